"""Not written yet: every view answers 404."""

from django.http import Http404


def place_home(request, *args, **kwargs):
    raise Http404("not written yet")


def consultation(request, *args, **kwargs):
    raise Http404("not written yet")


def contribute(request, *args, **kwargs):
    raise Http404("not written yet")


def contribution(request, *args, **kwargs):
    raise Http404("not written yet")


def support(request, *args, **kwargs):
    raise Http404("not written yet")


def follow(request, *args, **kwargs):
    raise Http404("not written yet")


def comment(request, *args, **kwargs):
    raise Http404("not written yet")


def report(request, *args, **kwargs):
    raise Http404("not written yet")


def sign_in(request, *args, **kwargs):
    raise Http404("not written yet")


def sign_in_code(request, *args, **kwargs):
    raise Http404("not written yet")


def sign_out(request, *args, **kwargs):
    raise Http404("not written yet")
