"""Public matching pages: programmes, sign-up on both sides, a person's private page (with
their consents, one by one), the page where they change their answers, and a new link for
whoever lost theirs.

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
from django.utils.crypto import salted_hmac
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commonhome.core import ratelimit
from commonhome.core.models import Place
from commonhome.core.permissions import place_or_404
from commonhome.core.records import StaleVersion
from commonhome.web.texts import shown

from . import services
from .constants import (
    REQUIRED_CONSENTS,
    ConsentPurpose,
    ProfileStatus,
    ProgrammeKind,
    ProposalStatus,
    Response,
    Side,
)
from .forms import (
    STALE_ANSWERS,
    CheckInForm,
    EmployerSignUpForm,
    LeaveForm,
    LostLinkForm,
    PlacementForm,
    ProfileForm,
    RatingForm,
    SignUpForm,
    SkillsAuditForm,
    apply_service_errors,
    audit_initial,
    uses,
)
from .models import Feedback, Placement, Profile, Programme, Proposal, SkillsAudit
from .texts import part_sentence, reason_sentence

T = "matching/"
#: Asking for a new link e-mails someone: a client may ask this often in an hour, and one
#: address may be sent this many links (further requests get the same answer, and no e-mail).
LINK_REQUESTS_PER_CLIENT_PER_HOUR = 10
LINKS_PER_ADDRESS_PER_HOUR = 3


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


def _explained(profile: Profile, proposal: Proposal) -> dict[str, Any]:
    why = services.explanation(profile, proposal)
    return {
        "proposal": proposal,
        "why": why,
        "reasons": [reason_sentence(r) for r in why.reasons],
        "parts": [part_sentence(n, v) for n, v in why.parts.items() if v],
        "contact": services.contact_for(profile, proposal),
        "can_answer": why.status == ProposalStatus.PROPOSED
        and why.your_response == Response.PENDING,
        "matched": why.status == ProposalStatus.ACCEPTED,
        "feedback_given": any(f.side == proposal.side_of(profile) for f in proposal.feedback.all()),
    }


# --- Programmes ----------------------------------------------------------------------------


def _about(programme: Programme) -> dict[str, Any]:
    """The programme, and its name and description in the reader's language (``s.t``)."""
    return {"programme": programme, "s": shown(programme, get_language())}


def home(request: HttpRequest, place_slug: str) -> HttpResponse:
    place = _place(request, place_slug)
    programmes = Programme.objects.filter(place=place, is_open=True).order_by("name")
    return render(
        request,
        T + "home.html",
        {"place": place, "nav": "home", "programmes": [_about(p) for p in programmes]},
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
            **_about(prog),
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
            **_about(prog),
            "side": side,
            "side_label": Side(side).label,
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- A person's private page ---------------------------------------------------------------


def _no_link(request: HttpRequest, place: Place, programme: Programme) -> HttpResponse:
    """The answer to a link that opens nothing: a 404 that says how to get a new link."""
    return _private(
        render(
            request,
            T + "no_link.html",
            {"place": place, "nav": "me", **_about(programme)},
            status=404,
        )
    )


def _proposal_of(profile: Profile, pk: str) -> Proposal:
    try:
        return services.proposals_for(profile).get(pk=pk)
    except (Proposal.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such proposal") from None


def _consent_action(request: HttpRequest, profile: Profile) -> str | None:
    """Give or withdraw one purpose; withdrawing a required one is leaving, confirmed as such."""
    purpose = request.POST.get("purpose", "")
    give = request.POST.get("given") == "yes"
    if purpose not in ConsentPurpose.values:
        return _("Unknown action.")
    if give and purpose == ConsentPurpose.EMAIL_UPDATES and not profile.email:
        return _("E-mails need an e-mail address: add one under “Change your answers” first.")
    if not give and purpose in REQUIRED_CONSENTS:
        if not LeaveForm(request.POST, prefix=purpose).is_valid():
            return _("Tick the box to confirm that you want to leave.")
        services.set_consent(profile, purpose, False)
        messages.success(
            request, _("You have left the programme. Your contact details are erased.")
        )
        return None
    services.set_consent(profile, purpose, give)
    messages.success(
        request,
        _("Saved: you have given this consent.")
        if give
        else _("Saved: you have withdrawn this consent."),
    )
    return None


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
    elif action == "consent":
        return _consent_action(request, profile)
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


def _consents(profile: Profile, programme: Programme) -> list[dict[str, Any]]:
    """Each purpose the person can agree to here: given since when, required or not.

    Sharing origin is listed only where the programme uses origin (or it was given): nobody
    is asked about data a programme does not read.
    """
    _hard, weights = uses(programme)
    given = profile.consents or {}
    rows = []
    for purpose in ConsentPurpose:
        since = given.get(purpose.value)
        if purpose == ConsentPurpose.SHARE_ORIGIN and "origin" not in weights and not since:
            continue
        required = purpose in REQUIRED_CONSENTS
        rows.append(
            {
                "purpose": purpose.value,
                "label": purpose.label,
                "given": bool(since),
                "since": parse_datetime(since) if isinstance(since, str) else None,
                "required": required,
                "needs_email": purpose == ConsentPurpose.EMAIL_UPDATES and not profile.email,
                "confirm": LeaveForm(prefix=purpose.value) if required and since else None,
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, place_slug: str, programme_slug: str, token: str) -> HttpResponse:
    place = _place(request, place_slug)
    prog = _programme(place, programme_slug)
    profile = services.profile_for_token(prog, token)
    if profile is None:
        return _no_link(request, place, prog)
    url = reverse("matching:person", args=[place.slug, prog.slug, token])
    if request.method == "POST":
        try:
            error = _person_action(request, profile)
        except ValidationError as exc:
            error = " ".join(m for ms in exc.message_dict.values() for m in ms)
        except PermissionDenied:
            raise Http404("No such proposal") from None
        if error is None and services.profile_for_token(prog, token) is None:
            # Left (or withdrew what taking part needs): this link opens nothing any more.
            return _private(redirect("matching:programme", place.slug, prog.slug))
        if error is not None:
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
                **_about(prog),
                "profile": profile,
                "status_label": ProfileStatus(profile.status).label,
                "side_label": Side(profile.side).label,
                "items": items,
                "link": request.build_absolute_uri(url),
                "consents": _consents(profile, prog),
                "leave_form": LeaveForm(),
                "check_in_form": CheckInForm(),
                "feedback_form": RatingForm(),
                "edit_url": reverse("matching:edit", args=[place.slug, prog.slug, token]),
                "skills_url": reverse("matching:skills", args=[place.slug, prog.slug, token])
                if prog.kind == ProgrammeKind.EMPLOYMENT and profile.side == Side.SEEKER
                else "",
            },
        )
    )


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, place_slug: str, programme_slug: str, token: str) -> HttpResponse:
    """Change one's answers: the sign-up questions, from what is saved, checked for staleness."""
    place = _place(request, place_slug)
    prog = _programme(place, programme_slug)
    profile = services.profile_for_token(prog, token)
    if profile is None:
        return _no_link(request, place, prog)
    back = reverse("matching:person", args=[place.slug, prog.slug, token])
    form = ProfileForm(request.POST or None, profile=profile)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = services.update_profile(
                    profile, form.cleaned_data["version"], **form.answers()
                )
            except StaleVersion:
                form.add_error(None, STALE_ANSWERS)
                status = 409
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if saved.version == profile.version:
                    messages.info(request, _("Nothing was changed."))
                else:
                    messages.success(request, _("Your answers are saved."))
                return _private(redirect(back))
    return _private(
        render(
            request,
            T + "edit.html",
            {
                "place": place,
                "nav": "me",
                **_about(prog),
                "profile": profile,
                "side_label": Side(profile.side).label,
                "form": form,
                "stale": str(STALE_ANSWERS) in form.non_field_errors(),
                "back": back,
            },
            status=status,
        )
    )


@require_http_methods(["GET", "POST"])
def skills(request: HttpRequest, place_slug: str, programme_slug: str, token: str) -> HttpResponse:
    place = _place(request, place_slug)
    prog = _programme(place, programme_slug)
    profile = services.profile_for_token(prog, token)
    if profile is None:
        return _no_link(request, place, prog)
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
                **_about(prog),
                "profile": profile,
                "form": form,
                "back": reverse("matching:person", args=[place.slug, prog.slug, token]),
            },
            status=400 if form.is_bound and form.errors else 200,
        )
    )


# --- A lost link ---------------------------------------------------------------------------


def _address_key(email: str) -> str:
    """A key for counting links sent to one address, without keeping the address."""
    return salted_hmac("commonhome.matching.link-address", email.strip().lower()).hexdigest()[:32]


@require_http_methods(["GET", "POST"])
def lost_link(request: HttpRequest, place_slug: str, programme_slug: str) -> HttpResponse:
    """Ask for a new private link by e-mail. Every request gets the same answer, whether the
    address takes part or not, so this page tells nobody who is in a programme."""
    place = _place(request, place_slug)
    prog = _programme(place, programme_slug)
    here = reverse("matching:link", args=[place.slug, prog.slug])
    sent = _("If this address is signed up, we have sent a new link to it. Check your e-mail.")
    form = LostLinkForm(request.POST or None)
    status, retry_after = 200, 0
    if request.method == "POST":
        verdict = ratelimit.hit(
            "matching-link", ratelimit.client_key(request), LINK_REQUESTS_PER_CLIENT_PER_HOUR
        )
        if not verdict.allowed:
            status, retry_after = 429, verdict.retry_after
            form.add_error(
                None,
                _(
                    "Too many requests from your connection. "
                    "Please wait %(minutes)s min, then try again."
                )
                % {"minutes": max(1, retry_after // 60)},
            )
        elif form.is_trap:
            # Answer an automated sender as if it succeeded, and send nothing.
            messages.success(request, sent)
            return redirect(here)
        elif form.is_valid():
            email = form.cleaned_data["email"]
            if ratelimit.hit(
                "matching-link-address", _address_key(email), LINKS_PER_ADDRESS_PER_HOUR
            ).allowed:
                services.send_link(prog, email)
            messages.success(request, sent)
            return redirect(here)
        else:
            status = 400
    response = render(
        request,
        T + "lost_link.html",
        {"place": place, "nav": "me", **_about(prog), "form": form},
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


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


def _placements_with_proposals(employer: Any) -> list[dict[str, Any]]:
    """The employer's placements, newest first, each with its proposals explained.

    Three queries whatever the number of placements and proposals: the placements, all their
    proposals, and those proposals' feedback.
    """
    placements = list(
        Placement.objects.filter(employer=employer)
        .select_related("profile", "programme")
        .order_by("-created_at")
    )
    by_profile: dict[Any, list[Proposal]] = {p.profile_id: [] for p in placements}
    # A placement's profile is always the offering side.
    proposals = (
        Proposal.objects.filter(offerer_id__in=list(by_profile))
        .select_related("seeker")
        .prefetch_related(
            Prefetch("feedback", queryset=Feedback.objects.only("id", "proposal_id", "side"))
        )
        .order_by("-proposed_at")
    )
    profiles = {p.profile_id: p.profile for p in placements}
    for item in proposals:
        item.offerer = profiles[item.offerer_id]
        by_profile[item.offerer_id].append(item)
    return [
        {
            "placement": placement,
            "items": [_explained(placement.profile, p) for p in by_profile[placement.profile_id]],
        }
        for placement in placements
    ]


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
    placements = _placements_with_proposals(found)
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
