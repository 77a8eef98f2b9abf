"""Not written yet: every view answers 404."""

from django.http import Http404


def me(request, *args, **kwargs):
    raise Http404("not written yet")


def download(request, *args, **kwargs):
    raise Http404("not written yet")


def erase(request, *args, **kwargs):
    raise Http404("not written yet")
