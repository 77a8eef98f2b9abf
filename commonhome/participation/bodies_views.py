"""Not written yet: every view answers 404."""

from django.http import Http404


def staff_bodies(request, *args, **kwargs):
    raise Http404("not written yet")


def staff_body_edit(request, *args, **kwargs):
    raise Http404("not written yet")


def staff_meeting_edit(request, *args, **kwargs):
    raise Http404("not written yet")


def bodies(request, *args, **kwargs):
    raise Http404("not written yet")


def body(request, *args, **kwargs):
    raise Http404("not written yet")


def meeting(request, *args, **kwargs):
    raise Http404("not written yet")
