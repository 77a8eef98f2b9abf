"""Public contribution pages: anyone, without an account, suggests an edit or reports an error."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from commonhome.core import ratelimit
from commonhome.core.models import Place
from commonhome.core.permissions import require

from . import changes
from .forms import SuggestionForm
from .models import Organization, Service
from .permissions import public_place_or_404


def _suggest(request: HttpRequest, place: Place, record: Service | Organization) -> HttpResponse:
    require(request.user, "directory.suggest", record)
    if request.method == "POST":
        verdict = ratelimit.hit(
            "suggest", ratelimit.client_key(request), settings.SUGGESTION_RATE_PER_HOUR
        )
        if not verdict.allowed:
            response = render(
                request,
                "directory/contrib/too_many.html",
                {"place": place, "record": record, "minutes": max(1, verdict.retry_after // 60)},
                status=429,
            )
            response["Retry-After"] = str(verdict.retry_after)
            return response
        form = SuggestionForm(request.POST, record=record)
        if form.is_trap:
            # Answer an automated sender as if it succeeded, and keep nothing.
            return redirect("directory:suggest-thanks", place_slug=place.slug)
        if form.is_valid():
            proposed, seen = form.proposal()
            try:
                changes.submit_change_request(
                    request.user,
                    record,
                    proposed=proposed,
                    base_values=seen,
                    base_version=form.cleaned_data["base_version"],
                    message=form.cleaned_data["message"],
                    email=form.cleaned_data["reply_email"],
                    language=get_language() or "",
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("directory:suggest-thanks", place_slug=place.slug)
    else:
        form = SuggestionForm(record=record)
    return render(
        request,
        "directory/contrib/suggest.html",
        {
            "place": place,
            "record": record,
            "form": form,
            "is_service": isinstance(record, Service),
        },
    )


@require_http_methods(["GET", "POST"])
def suggest_service(request: HttpRequest, place_slug: str, pk: str) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    service = get_object_or_404(
        Service.objects.filter(place=place).select_related("organization"), pk=pk
    )
    return _suggest(request, place, service)


@require_http_methods(["GET", "POST"])
def suggest_organisation(request: HttpRequest, place_slug: str, pk: str) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    organization = get_object_or_404(Organization.objects.filter(place=place), pk=pk)
    return _suggest(request, place, organization)


def thanks(request: HttpRequest, place_slug: str) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    return render(request, "directory/contrib/thanks.html", {"place": place})
