"""Not written yet: every view answers 404."""

from django.http import Http404


def trail(request, *args, **kwargs):
    raise Http404("not written yet")


def trail_json(request, *args, **kwargs):
    raise Http404("not written yet")


def result(request, *args, **kwargs):
    raise Http404("not written yet")
