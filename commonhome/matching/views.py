"""Public matching pages: programmes, sign-up on both sides, a person's private page.

People have no account: the private link they get at sign-up carries a token, and the
services turn it into their profile. Pages reached through a token answer with
``Referrer-Policy: same-origin`` and ``Cache-Control: private, no-store`` so the link leaks
neither to other sites nor to shared caches. (Not ``no-referrer``: browsers then send
``Origin: null`` with the page's own forms, which the CSRF check rightly refuses.) Nothing
on a page shows another person's contact or token, and a partner's contact appears only when
:func:`services.contact_for` returns it (both accepted). Everything works without
JavaScript: plain forms, POST-redirect-GET.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commonhome.core.models import Place
from commonhome.core.permissions import place_or_404

from . import services
from .constants import ProfileStatus, ProgrammeKind, ProposalStatus, Response, Side
from .forms import (
    CheckInForm,
    EmployerSignUpForm,
    LeaveForm,
    PlacementForm,
    RatingForm,
    SignUpForm,
    SkillsAuditForm,
    apply_service_errors,
    audit_initial,
    uses,
)
from .models import Feedback, Placement, Profile, Programme, Proposal, SkillsAudit

T = "matching/"


# --- Helpers -------------------------------------------------------------------------------


def _place(request: HttpRequest, slug: str) -> Place:
    return place_or_404(request, slug, "directory.view_public")


def _programme(place: Place, slug: str) -> Programme:
    programme = get_object_or_404(Programme, place=place, slug=slug)
    programme.place = place
    return programme


def _private(response: HttpResponse) -> HttpResponse:
    """Headers of every page a private link opens."""
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


def _reason_sentence(reason: str) -> str:
    """One of the engine's reasons (``shared_language:fa``) as a sentence people read."""
    from commonhome.web.texts import language_name

    from .forms import DAY_LABELS, GROUPS, PART_LABELS

    name, _sep, value = reason.partition(":")
    if name == "shared_language":
        return _("You both speak %(language)s.") % {"language": language_name(value)}
    if name == "language_exchange":
        kind, _eq, code = value.partition("=")
        if kind == "learns":
            return _("Your match speaks %(language)s, which you want to learn.") % {
                "language": language_name(code)
            }
        return _("You speak %(language)s, which your match wants to learn.") % {
            "language": language_name(code)
        }
    if name == "distance":
        return _("You live about %(km)s km apart.") % {"km": value.removesuffix("km")}
    if name == "availability":
        day, _dash, part = value.partition("-")
        when = f"{DAY_LABELS.get(day, day)}, {PART_LABELS.get(part, part)}"
        return _("You are both free on %(when)s.") % {"when": when}
    if name == "target_group":
        if value == "everyone":
            return _("This programme is open to everyone.")
        return _("This match is meant for: %(group)s.") % {"group": dict(GROUPS).get(value, value)}
    if name == "gender":
        return _("Gender preferences are respected.")
    if name == "age_band":
        return _("Age preferences are respected.")
    if name == "skills":
        return (
            _("Skills required: %(skill)s.") % {"skill": value}
            if value
            else _("The skills asked for are met.")
        )
    if name == "conditions":
        return (
            _("The home meets your needs: %(need)s.") % {"need": value}
            if value
            else _("The home meets the conditions asked for.")
        )
    if name == "forced":
        return _("A coordinator chose this match for you.")
    return reason


def _part_sentence(name: str, points: int) -> str:
    labels = {
        "language": _("Languages in common"),
        "origin": _("A shared history"),
        "interests": _("Interests in common"),
        "distance": _("Living close to each other"),
        "waiting": _("Time you have waited"),
    }
    return _("%(part)s: %(points)s points.") % {"part": labels.get(name, name), "points": points}


def _explained(profile: Profile, proposal: Proposal) -> dict[str, Any]:
    why = services.explanation(profile, proposal)
    return {
        "proposal": proposal,
        "why": why,
        "reasons": [_reason_sentence(r) for r in why.reasons],
        "parts": [_part_sentence(n, v) for n, v in why.parts.items() if v],
        "contact": services.contact_for(profile, proposal),
        "can_answer": why.status == ProposalStatus.PROPOSED
        and why.your_response == Response.PENDING,
        "matched": why.status == ProposalStatus.ACCEPTED,
        "feedback_given": any(f.side == proposal.side_of(profile) for f in proposal.feedback.all()),
    }


# --- Programmes ----------------------------------------------------------------------------


def home(request: HttpRequest, place_slug: str) -> HttpResponse:
    place = _place(request, place_slug)
    programmes = list(Programme.objects.filter(place=place, is_open=True).order_by("name"))
    return render(
        request,
        T + "home.html",
        {"place": place, "nav": "home", "programmes": programmes},
    )


def programme(request: HttpRequest, place_slug: str, programme_slug: str) -> HttpResponse:
    place = _place(request, place_slug)
    prog = _programme(place, programme_slug)
    hard, weights = uses(prog)
    asked = []
    if {"shared_language", "language_exchange"} & hard or "language" in weights:
        asked.append(_("The languages you speak, to find someone you can talk with."))
    if "language_exchange" in hard:
        asked.append(_("The languages you want to learn."))
    if "gender" in hard:
        asked.append(_("Your gender and the gender of your match, if you have a preference."))
    if "age_band" in hard:
        asked.append(_("The year you were born, to respect age preferences."))
    if "target_group" in hard:
        asked.append(_("Whether you belong to a group the programme is meant for."))
    if "availability" in hard:
        asked.append(_("When you are free during the week."))
    if "distance" in hard or "distance" in weights:
        asked.append(_("Roughly where you live, to about a kilometre."))
    if "conditions" in hard:
        asked.append(_("What a home needs to have, or accepts."))
    if "interests" in weights:
        asked.append(_("Your interests, if you want to share them."))
    if "origin" in weights:
        asked.append(_("Where you come from, only if you agree to share it."))
    asked.append(
        _(
            "A name and an e-mail address or phone number, "
            "shown to your match only after you both accept."
        )
    )
    return render(
        request,
        T + "programme.html",
        {
            "place": place,
            "nav": "home",
            "programme": prog,
            "kind": ProgrammeKind(prog.kind).label,
            "asked": asked,
            "employment": prog.kind == ProgrammeKind.EMPLOYMENT,
        },
    )


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest, place_slug: str, programme_slug: str, side: str) -> HttpResponse:
    place = _place(request, place_slug)
    prog = _programme(place, programme_slug)
    if side not in Side.values or not prog.is_open:
        raise Http404("No such side")
    if side == Side.OFFERER and prog.kind == ProgrammeKind.EMPLOYMENT:
        return redirect("matching:employer-sign-up", place.slug)
    form = SignUpForm(request.POST or None, programme=prog, side=side)
    if request.method == "POST" and form.is_valid():
        try:
            profile, token = services.sign_up(prog, **form.service_arguments())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("You are signed up. Keep the link of this page: it is the only way back to it."),
            )
            return redirect("matching:person", place.slug, prog.slug, token)
    return render(
        request,
        T + "sign_up.html",
        {
            "place": place,
            "nav": "home",
            "programme": prog,
            "side": side,
            "side_label": Side(side).label,
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- A person's private page ---------------------------------------------------------------


def _profile_or_404(programme: Programme, token: str) -> Profile:
    profile = services.profile_for_token(programme, token)
    if profile is None:
        raise Http404("No such link")
    return profile


def _proposal_of(profile: Profile, pk: str) -> Proposal:
    try:
        return services.proposals_for(profile).get(pk=pk)
    except (Proposal.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such proposal") from None


def _person_action(request: HttpRequest, profile: Profile) -> str | None:
    """Run the posted action; an error message, or None when it went through."""
    action = request.POST.get("action", "")
    if action == "pause":
        services.pause(profile)
        messages.success(request, _("Paused: you get no new proposals until you resume."))
    elif action == "resume":
        services.resume(profile)
        messages.success(request, _("Welcome back: you are in the pool again."))
    elif action == "leave":
        if not LeaveForm(request.POST).is_valid():
            return _("Tick the box to confirm that you want to leave.")
        services.leave(profile)
        messages.success(
            request, _("You have left the programme. Your contact details are erased.")
        )
    elif action in ("accept", "decline"):
        proposal = _proposal_of(profile, request.POST.get("proposal", ""))
        services.respond(profile, proposal, action == "accept")
        messages.success(request, _("Thank you, your answer is saved."))
    elif action in ("check_in", "feedback"):
        proposal = _proposal_of(profile, request.POST.get("proposal", ""))
        form = (CheckInForm if action == "check_in" else RatingForm)(request.POST)
        if not form.is_valid():
            return _("Choose from 1 to 5.")
        rating, text = form.cleaned_data["rating"], form.cleaned_data["text"]
        if action == "check_in":
            services.add_check_in(proposal, rating=rating, text=text, profile=profile)
        else:
            services.add_feedback(profile, proposal, rating=rating, text=text)
        messages.success(request, _("Thank you for telling us."))
    else:
        return _("Unknown action.")
    return None


@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, place_slug: str, programme_slug: str, token: str) -> HttpResponse:
    place = _place(request, place_slug)
    prog = _programme(place, programme_slug)
    profile = _profile_or_404(prog, token)
    url = reverse("matching:person", args=[place.slug, prog.slug, token])
    if request.method == "POST":
        try:
            error = _person_action(request, profile)
        except ValidationError as exc:
            error = " ".join(m for ms in exc.message_dict.values() for m in ms)
        except PermissionDenied:
            raise Http404("No such proposal") from None
        if error is None:
            if request.POST.get("action") == "leave":
                return _private(redirect("matching:programme", place.slug, prog.slug))
            return _private(redirect(url))
        messages.error(request, error)
        return _private(redirect(url))
    proposals = services.proposals_for(profile).prefetch_related(
        Prefetch("feedback", queryset=Feedback.objects.only("id", "proposal_id", "side"))
    )
    items = [_explained(profile, p) for p in proposals]
    return _private(
        render(
            request,
            T + "person.html",
            {
                "place": place,
                "nav": "me",
                "programme": prog,
                "profile": profile,
                "status_label": ProfileStatus(profile.status).label,
                "side_label": Side(profile.side).label,
                "items": items,
                "link": request.build_absolute_uri(url),
                "leave_form": LeaveForm(),
                "check_in_form": CheckInForm(),
                "feedback_form": RatingForm(),
                "skills_url": reverse("matching:skills", args=[place.slug, prog.slug, token])
                if prog.kind == ProgrammeKind.EMPLOYMENT and profile.side == Side.SEEKER
                else "",
            },
        )
    )


@require_http_methods(["GET", "POST"])
def skills(request: HttpRequest, place_slug: str, programme_slug: str, token: str) -> HttpResponse:
    place = _place(request, place_slug)
    prog = _programme(place, programme_slug)
    profile = _profile_or_404(prog, token)
    if prog.kind != ProgrammeKind.EMPLOYMENT or profile.side != Side.SEEKER:
        raise Http404("No skills audit here")
    audit = SkillsAudit.objects.filter(profile=profile).first()
    form = SkillsAuditForm(request.POST or None, initial=audit_initial(audit))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_skills_audit(profile, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your skills are saved."))
            return _private(redirect("matching:person", place.slug, prog.slug, token))
    return _private(
        render(
            request,
            T + "skills.html",
            {
                "place": place,
                "nav": "me",
                "programme": prog,
                "profile": profile,
                "form": form,
                "back": reverse("matching:person", args=[place.slug, prog.slug, token]),
            },
            status=400 if form.is_bound and form.errors else 200,
        )
    )


# --- Employers -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def employer_sign_up(request: HttpRequest, place_slug: str) -> HttpResponse:
    place = _place(request, place_slug)
    form = EmployerSignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _employer, token = services.sign_up_employer(place, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Welcome. Keep the link of this page: it is the only way back to it."),
            )
            return redirect("matching:employer", place.slug, token)
    return render(
        request,
        T + "employer_sign_up.html",
        {"place": place, "nav": "employers", "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _employer_action(request: HttpRequest, employer: Any, programmes: list[Programme]) -> Any:
    """Run the posted action; returns a bound placement form with errors, or None."""
    action = request.POST.get("action", "")
    placement = None
    if action in ("close", "accept", "decline"):
        placement = get_object_or_404(
            Placement.objects.select_related("profile"),
            employer=employer,
            pk=request.POST.get("placement") or None,
        )
    if action == "post":
        form = PlacementForm(request.POST, programmes=programmes)
        if not form.is_valid():
            return form
        data = dict(form.cleaned_data)
        prog = next(p for p in programmes if p.slug == data.pop("programme"))
        if data.get("latitude") is None or data.get("longitude") is None:
            data.pop("latitude")
            data.pop("longitude")
        try:
            services.post_placement(employer, prog, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
            return form
        messages.success(request, _("Your placement is posted."))
    elif action == "close":
        services.close_placement(employer, placement)
        messages.success(request, _("The placement is closed."))
    elif action in ("accept", "decline"):
        proposal = _proposal_of(placement.profile, request.POST.get("proposal", ""))
        services.respond(placement.profile, proposal, action == "accept")
        messages.success(request, _("Thank you, your answer is saved."))
    else:
        messages.error(request, _("Unknown action."))
    return None


@require_http_methods(["GET", "POST"])
def employer(request: HttpRequest, place_slug: str, token: str) -> HttpResponse:
    place = _place(request, place_slug)
    found = services.employer_for_token(place, token)
    if found is None:
        raise Http404("No such link")
    url = reverse("matching:employer", args=[place.slug, token])
    programmes = list(
        Programme.objects.filter(place=place, kind=ProgrammeKind.EMPLOYMENT, is_open=True)
    )
    form = None
    if request.method == "POST":
        try:
            form = _employer_action(request, found, programmes)
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        if form is None:
            return _private(redirect(url))
    placements = []
    for placement in (
        Placement.objects.filter(employer=found)
        .select_related("profile", "programme")
        .order_by("-created_at")
    ):
        proposals = services.proposals_for(placement.profile).prefetch_related("feedback")
        placements.append(
            {
                "placement": placement,
                "items": [_explained(placement.profile, p) for p in proposals],
            }
        )
    return _private(
        render(
            request,
            T + "employer.html",
            {
                "place": place,
                "nav": "employers",
                "employer": found,
                "placements": placements,
                "form": form or PlacementForm(programmes=programmes),
                "programmes": programmes,
                "link": request.build_absolute_uri(url),
            },
            status=400 if form is not None else 200,
        )
    )
