"""The one way a staff page admits people: sign-in first, then the place's permission rule."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from commonhome.core.models import Place
from commonhome.core.permissions import require

View = Callable[..., HttpResponse]


def staff_page(action: str) -> Callable[[View], View]:
    """Anonymous people are sent to sign in; signed-in people without ``action`` get 403.

    The view receives the place instead of its slug.
    """

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, place_slug: str, *args: Any, **kwargs: Any) -> Any:
            place = get_object_or_404(Place, slug=place_slug)
            require(request.user, action, place)
            return view(request, place, *args, **kwargs)

        return wrapper

    return decorate
