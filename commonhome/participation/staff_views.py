"""Not written yet: every view answers 404."""

from django.http import Http404


def dashboard(request, *args, **kwargs):
    raise Http404("not written yet")


def settings_page(request, *args, **kwargs):
    raise Http404("not written yet")


def consultation_edit(request, *args, **kwargs):
    raise Http404("not written yet")


def contributions(request, *args, **kwargs):
    raise Http404("not written yet")


def contribution(request, *args, **kwargs):
    raise Http404("not written yet")


def moderation(request, *args, **kwargs):
    raise Http404("not written yet")


def desk(request, *args, **kwargs):
    raise Http404("not written yet")


def participants(request, *args, **kwargs):
    raise Http404("not written yet")


def export(request, *args, **kwargs):
    raise Http404("not written yet")
