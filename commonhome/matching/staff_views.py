"""Coordinators' pages of matching: the place's programmes, one programme's pool and figures,
one person, one proposal, the programme's rules, and a CSV export.

Views stay thin: the figures come from ``dashboard``, every change goes through ``services``
(which check the ``matching.coordinate`` permission again and write the audit log). A person's
contact details are never on a page by default: a coordinator asks for them with a separate
request, and each look is logged.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commonhome.core import audit, tabular
from commonhome.core.models import Place
from commonhome.core.records import StaleVersion
from commonhome.core.tabular import inert
from commonhome.web.staff import staff_page

from . import dashboard as figures
from . import services
from .constants import ProposalStatus, Side
from .models import Profile, Programme, Proposal
from .staff_forms import (
    HARD_LABELS,
    REASON_LABELS,
    SOFT_LABELS,
    EndMatchForm,
    PairRuleForm,
    ProgrammeForm,
)
from .texts import reason_sentence

ACTION = "matching.coordinate"


def _programme(place: Place, slug: str) -> Programme:
    return get_object_or_404(Programme, place=place, slug=slug)


def _errors(form: Any, exc: ValidationError) -> None:
    """Put a service's field errors on the field they name, or on the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    response = render(request, template, context)
    response["Cache-Control"] = "private, no-store"
    return response


# --- The place's programmes -----------------------------------------------------------------


@staff_page(ACTION)
@require_http_methods(["GET"])
def dashboard(request: HttpRequest, place: Place) -> HttpResponse:
    services.programmes_for(request.user, place)
    return _page(
        request,
        "matching/staff/dashboard.html",
        {"place": place, "nav": "dashboard", "rows": figures.programme_rows(place)},
    )


# --- One programme ---------------------------------------------------------------------------


def _run_message(request: HttpRequest, programme: Programme, result: Any) -> None:
    try:
        stats = result.return_value or {}
    except ValueError:
        messages.info(request, _("Matching was asked for; it runs in the background."))
        return
    messages.success(
        request,
        _(
            "Matching ran: %(seekers)s looking, %(offerers)s offering, %(pairs)s possible "
            "pairs, %(matched)s new proposals."
        )
        % {key: stats.get(key, 0) for key in ("seekers", "offerers", "pairs", "matched")},
    )


@staff_page(ACTION)
@require_http_methods(["GET", "POST"])
def programme(request: HttpRequest, place: Place, programme_slug: str) -> HttpResponse:
    current = _programme(place, programme_slug)
    if request.method == "POST":
        if request.POST.get("action") != "run":
            return HttpResponse(status=400)
        try:
            result = services.request_run(request.user, current)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            _run_message(request, current, result)
        return redirect(request.path)
    shown = figures.programme_figures(current)
    for group in shown.unmatched:
        group.label = REASON_LABELS.get(group.reason, group.reason)
    return _page(
        request,
        "matching/staff/programme.html",
        {
            "place": place,
            "nav": "dashboard",
            "programme": current,
            "figures": shown,
        },
    )


@staff_page(ACTION)
@require_http_methods(["GET", "POST"])
def programme_edit(
    request: HttpRequest, place: Place, programme_slug: str | None = None
) -> HttpResponse:
    current = _programme(place, programme_slug) if programme_slug else None
    editing = current is not None
    if request.method == "POST":
        form = ProgrammeForm(request.POST, editing=editing)
        if form.is_valid():
            try:
                saved = _save_programme(request, place, current, form)
            except StaleVersion:
                form.add_error(
                    None,
                    _(
                        "Someone else changed this programme since you opened it. "
                        "Reload the page to see their changes."
                    ),
                )
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("Programme saved."))
                return redirect("matching:staff-programme", place.slug, saved.slug)
    elif current is not None:
        form = ProgrammeForm(initial=ProgrammeForm.initial_for(current), editing=True)
    else:
        form = ProgrammeForm(
            initial={
                "kind": "buddy",
                "max_capacity": 1,
                "proposal_expiry_days": 14,
                "reminder_days": 5,
                "is_open": True,
                "hard": ["shared_language"],
                "weight_language": 1,
                "weight_waiting": 1,
                "priority": ["few_options"],
                "long_wait_days": 60,
                "few_options_max": 3,
            }
        )
    return _page(
        request,
        "matching/staff/programme_edit.html",
        {
            "place": place,
            "nav": "new" if current is None else "dashboard",
            "programme": current,
            "form": form,
        },
    )


def _save_programme(
    request: HttpRequest, place: Place, current: Programme | None, form: ProgrammeForm
) -> Programme:
    fields = form.programme_fields()
    if current is not None:
        return services.update_programme(
            request.user, current, form.cleaned_data.get("version"), **fields
        )
    is_open = fields.pop("is_open")
    created = services.create_programme(
        request.user, place, slug=form.cleaned_data["slug"], **fields
    )
    if not is_open:
        created = services.update_programme(request.user, created, created.version, is_open=False)
    return created


# --- Export ------------------------------------------------------------------------------------


def pseudonym(profile_id: Any) -> str:
    return tabular.pseudonym("matching-export", "m-", profile_id)


def _iso(value: Any) -> str:
    return value.isoformat() if value else ""


#: What the export reads of a proposal: no names, no contact details.
EXPORT_FIELDS = (
    "id",
    "seeker_id",
    "offerer_id",
    "score",
    "parts",
    "reasons",
    "status",
    "seeker_response",
    "offerer_response",
    "forced",
    "proposed_at",
    "expires_at",
    "decided_at",
    "ended_at",
    "end_reason",
)
#: The CSV's column names: the fields, with people named as the pseudonyms they are.
EXPORT_HEADER = ["proposal_id", "seeker", "offerer", *EXPORT_FIELDS[3:]]


def export_rows(proposals: Any) -> list[list[Any]]:
    """Proposals and matches without names or contact details: people as pseudonyms."""
    return [
        [
            inert(value)
            for value in (
                str(p.pk),
                pseudonym(p.seeker_id),
                pseudonym(p.offerer_id),
                p.score,
                json.dumps(p.parts or {}, sort_keys=True),
                " ".join(p.reasons or []),
                p.status,
                p.seeker_response,
                p.offerer_response,
                "yes" if p.forced else "no",
                _iso(p.proposed_at),
                _iso(p.expires_at),
                _iso(p.decided_at),
                _iso(p.ended_at),
                p.end_reason,
            )
        ]
        for p in proposals
    ]


@staff_page(ACTION)
@require_http_methods(["GET"])
def export(request: HttpRequest, place: Place, programme_slug: str) -> HttpResponse:
    current = _programme(place, programme_slug)
    proposals = (
        services.programme_proposals(request.user, current)
        .select_related(None)
        .only(*EXPORT_FIELDS)
        .order_by("proposed_at", "pk")
    )
    audit.record(request.user, "matching.export", current, note=f"{current.slug}.csv")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADER)
    writer.writerows(export_rows(proposals))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{current.slug}-proposals.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- One person ----------------------------------------------------------------------------


@staff_page(ACTION)
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest, place: Place, programme_slug: str, pk: Any) -> HttpResponse:
    current = _programme(place, programme_slug)
    person = get_object_or_404(
        services.profiles_for(request.user, current).select_related("programme", "place"), pk=pk
    )
    action = request.POST.get("action") if request.method == "POST" else None
    contact = None
    form = PairRuleForm(person)
    if action == "contact":
        contact = services.coordinator_contact(request.user, person)
    elif action in ("force", "forbid"):
        form = PairRuleForm(person, request.POST)
        if form.is_valid():
            other = form.cleaned_data["other"]
            seeker, offerer = (person, other) if person.side == Side.SEEKER else (other, person)
            do = services.force_pair if action == "force" else services.forbid_pair
            try:
                do(request.user, seeker, offerer, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The next run will propose this pair.")
                    if action == "force"
                    else _("This pair will never be proposed."),
                )
                return redirect(request.path)
    elif action is not None:
        return HttpResponse(status=400)
    proposals = list(
        Proposal.objects.filter(Q(seeker=person) | Q(offerer=person))
        .select_related("seeker", "offerer")
        .order_by("-proposed_at")
    )
    for item in proposals:
        item.partner = item.partner_of(person)
    return _page(
        request,
        "matching/staff/profile.html",
        {
            "place": place,
            "nav": "dashboard",
            "programme": current,
            "person": person,
            "proposals": proposals,
            "form": form,
            "contact": contact,
            "attributes": _attributes(person),
        },
    )


def _attributes(person: Profile) -> list[tuple[str, str]]:
    """What the engine reads about a person, least data: no contact, no exact place."""
    rows: list[tuple[str, str]] = []

    def add(label: str, value: Any) -> None:
        if value in (None, "", [], {}):
            return
        rows.append((label, ", ".join(value) if isinstance(value, list) else str(value)))

    add(_("Side"), person.get_side_display())
    add(_("Status"), person.get_status_display())
    add(_("Languages"), person.languages)
    add(_("Learning"), person.learning)
    add(_("Gender"), person.gender)
    add(_("Gender preference"), person.gender_preference)
    add(_("Birth year"), person.birth_year)
    if person.age_min is not None or person.age_max is not None:
        add(_("Age band"), f"{person.age_min or 0}–{person.age_max or '…'}")
    add(_("Groups"), person.groups)
    add(_("Availability"), person.availability)
    add(_("Skills"), person.skills)
    add(_("Needs"), person.needs)
    add(_("Offers"), person.offers)
    add(_("Interests"), person.interests)
    add(_("Capacity"), person.capacity if person.side == Side.OFFERER else None)
    add(_("Location given"), _("yes") if person.latitude is not None else None)
    add(_("Waiting since"), person.waiting_since.date().isoformat())
    add(_("Paused because"), person.pause_reason)
    return rows


# --- One proposal ----------------------------------------------------------------------------


@staff_page(ACTION)
@require_http_methods(["GET", "POST"])
def proposal(request: HttpRequest, place: Place, programme_slug: str, pk: Any) -> HttpResponse:
    current = _programme(place, programme_slug)
    item = get_object_or_404(services.programme_proposals(request.user, current), pk=pk)
    form = EndMatchForm()
    if request.method == "POST":
        if request.POST.get("action") != "end":
            return HttpResponse(status=400)
        form = EndMatchForm(request.POST)
        if form.is_valid():
            try:
                services.end_match(item, reason=form.cleaned_data["reason"], actor=request.user)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("The match has ended."))
                return redirect(request.path)
    parts = [(SOFT_LABELS.get(name, name), value) for name, value in (item.parts or {}).items()]
    return _page(
        request,
        "matching/staff/proposal.html",
        {
            "place": place,
            "nav": "dashboard",
            "programme": current,
            "proposal": item,
            "parts": parts,
            "reasons": [reason_sentence(reason) for reason in item.reasons or []],
            "check_ins": list(item.check_ins.all()),
            "feedback": list(item.feedback.all()),
            "form": form,
            "can_end": item.status == ProposalStatus.ACCEPTED,
            "hard_labels": HARD_LABELS,
        },
    )
