"""Not written yet: every view answers 404."""

from django.http import Http404


def results(request, *args, **kwargs):
    raise Http404("not written yet")


def result_edit(request, *args, **kwargs):
    raise Http404("not written yet")


def statuses(request, *args, **kwargs):
    raise Http404("not written yet")
