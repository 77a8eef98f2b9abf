"""A participant's own page: what they hear about, what they wrote, their data.

Everything here is about the person the session speaks for (``identity.current_participant``);
someone the session does not know is asked to sign in with an e-mail code first.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commonhome.core.models import Translation
from commonhome.web.texts import shown

from . import answers, identity, privacy
from .constants import NotificationKind, Visibility
from .models import Contribution, Notification
from .permissions import public_place_or_404

NOTIFICATIONS_SHOWN = 50


def _anonymous(request: HttpRequest, place) -> HttpResponse:
    here = request.get_full_path()
    context = {
        "place": place,
        "nav": "me",
        "sign_in_url": identity.sign_in_url(place, here),
    }
    return render(request, "participation/me/sign_in_first.html", context)


def _listed(contributions, language: str, place) -> list[dict]:
    return [
        {
            "c": c,
            "s": shown(c, language) if c.visibility != Visibility.ERASED else None,
            "url": reverse("participation:contribution", args=[place.slug, c.pk]),
        }
        for c in contributions
    ]


@require_http_methods(["GET", "POST"])
def me(request: HttpRequest, place_slug: str) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    participant = identity.current_participant(request, place)
    if participant is None:
        return _anonymous(request, place)
    here = reverse("participation:me", args=[place.slug])
    if request.method == "POST":
        if "notify_by_email" in request.POST:
            enabled = request.POST["notify_by_email"] == "on"
            privacy.set_notify_by_email(participant, enabled)
            messages.success(
                request,
                _("We will e-mail you news.") if enabled else _("We will not e-mail you any more."),
            )
        return redirect(here)

    language = get_language() or place.default_language
    tr = Prefetch("translations", queryset=Translation.objects.filter(language=language))
    labels = answers.state_labels(place, language)
    notifications = list(
        Notification.objects.filter(participant=participant)
        .select_related("contribution", "result")
        .prefetch_related(
            Prefetch("contribution__translations", queryset=tr.queryset),
            Prefetch("result__translations", queryset=tr.queryset),
        )[:NOTIFICATIONS_SHOWN]
    )
    unread = [n.pk for n in notifications if n.read_at is None]
    if unread:
        Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    kinds = dict(NotificationKind.choices)
    notes = []
    for n in notifications:
        c = n.contribution
        notes.append(
            {
                "n": n,
                "new": n.pk in unread,
                "kind": kinds.get(n.kind, n.kind),
                "title": shown(c, language).t["title"]
                if c is not None and c.visibility != Visibility.ERASED
                else None,
                "url": reverse("participation:contribution", args=[place.slug, c.pk])
                if c is not None and c.visibility != Visibility.ERASED
                else (
                    reverse("participation:result", args=[place.slug, n.result_id])
                    if n.result_id
                    else ""
                ),
                "result": shown(n.result, language).t["title"] if n.result else None,
            }
        )
    mine = Contribution.objects.filter(participant=participant).prefetch_related(tr)
    supported = Contribution.objects.filter(
        supports__participant=participant, visibility=Visibility.PUBLISHED
    ).prefetch_related(tr)
    followed = Contribution.objects.filter(
        follows__participant=participant, visibility=Visibility.PUBLISHED
    ).prefetch_related(tr)
    context = {
        "place": place,
        "nav": "me",
        "participant": participant,
        "can_email": bool(participant.email and participant.email_verified_at),
        "notifications": notes,
        "mine": [
            {**row, "state": labels.get(row["c"].public_state, row["c"].public_state)}
            for row in _listed(mine, language, place)
        ],
        "supported": _listed(supported, language, place),
        "followed": _listed(followed, language, place),
    }
    return render(request, "participation/me/me.html", context)


def download(request: HttpRequest, place_slug: str) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    participant = identity.current_participant(request, place)
    if participant is None:
        return _anonymous(request, place)
    data = privacy.export_participant(participant)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f'attachment; filename="my-participation-{place.slug}-{stamp}.json"'
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, place_slug: str) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    participant = identity.current_participant(request, place)
    if participant is None:
        return _anonymous(request, place)
    error = ""
    if request.method == "POST":
        mode = request.POST.get("mode", "")
        if request.POST.get("confirm") != "yes":
            error = _("Tick the box to confirm.")
        else:
            try:
                privacy.erase_participant(participant, participant, mode)
            except ValidationError:
                error = _("Choose whether to erase or to anonymise what you wrote.")
            else:
                identity.forget(request, place)
                messages.success(
                    request,
                    _("Your data was erased.")
                    if mode == "erase"
                    else _("What you wrote is no longer linked to you; the rest was erased."),
                )
                return redirect(reverse("participation:home", args=[place.slug]))
    counts = {
        "contributions": Contribution.objects.filter(participant=participant).count(),
    }
    context = {
        "place": place,
        "nav": "me",
        "participant": participant,
        "counts": counts,
        "error": error,
        "mode": request.POST.get("mode", "") if request.method == "POST" else "",
    }
    return render(request, "participation/me/erase.html", context, status=422 if error else 200)
