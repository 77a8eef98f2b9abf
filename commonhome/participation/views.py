"""Public participation pages: consultations, sending a contribution, its trail page, sign-in.

Everything works without JavaScript (plain forms, POST-redirect-GET). Texts people wrote are
read through :func:`commonhome.web.texts.shown` (machine translations labelled, the original one
link away). The query sets below say what each page fetches, so query counts stay constant
however many contributions or comments there are (pinned in the tests).
"""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings as django_settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commonhome.core import ratelimit
from commonhome.core.models import Place, Translation
from commonhome.core.permissions import can
from commonhome.core.translation import localize
from commonhome.directory.constants import Domain
from commonhome.directory.models import Service
from commonhome.web.texts import lang_attrs, language_name, shown

from . import answers, identity, services
from .constants import Action, AnswerState, Kind, Level, Phase, Visibility
from .forms import CodeForm, CommentForm, ContributionForm, ReportForm, SignInForm
from .models import (
    Answer,
    Comment,
    Consultation,
    Contribution,
    Follow,
    Result,
    Support,
)
from .permissions import public_place_or_404

PAGE_SIZE = 20
PHASE_ORDER = {key: i for i, key in enumerate(Phase.values)}
REPORTS_PER_CLIENT_PER_HOUR = 30
VERIFY_PER_CLIENT_PER_HOUR = 30
SIGN_IN_EMAIL = "participation:sign-in-email"
TEMPLATES = "participation/public/"


# --- Helpers -------------------------------------------------------------------------------


def _is_staff(request: HttpRequest, place: Place) -> bool:
    return can(request.user, "participation.moderate", place)


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _topic_label(key: str) -> str:
    return str(Domain(key).label) if key in Domain.values else key


def _safe_next(request: HttpRequest, url: str, fallback: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return fallback


def _translations() -> Prefetch:
    return Prefetch("translations", queryset=Translation.objects.all())


def _consultation_or_404(request: HttpRequest, place: Place, slug: str) -> Consultation:
    qs = Consultation.objects.filter(place=place).prefetch_related(_translations())
    if not _is_staff(request, place):
        qs = qs.filter(is_published=True)
    consultation = get_object_or_404(qs, slug=slug)
    consultation.place = place
    return consultation


def _contribution_or_404(request: HttpRequest, place: Place, pk: UUID) -> Contribution:
    """The contribution, if the requester may see it: published ones for everyone, erased
    ones as a tombstone, the rest for staff only."""
    contribution = get_object_or_404(
        Contribution.objects.filter(place=place)
        .select_related("consultation")
        .prefetch_related(_translations()),
        pk=pk,
    )
    contribution.place = place
    contribution.consultation.place = place
    visible = contribution.visibility in (Visibility.PUBLISHED, Visibility.ERASED)
    if not visible and not _is_staff(request, place):
        raise Http404("No such contribution")
    if not contribution.consultation.is_published and not _is_staff(request, place):
        raise Http404("No such contribution")
    return contribution


def _action_rows(refusals: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for action in (Action.CONTRIBUTE, Action.SUPPORT, Action.COMMENT, Action.FOLLOW):
        refusal = refusals[action]
        rows.append(
            {
                "action": action,
                "label": Action(action).label,
                "open": refusal is None,
                "closed": refusal is not None and refusal.needed_level is None,
                "message": refusal.message if refusal is not None else "",
                "needs_sign_in": refusal is not None and refusal.needs_sign_in,
            }
        )
    return rows


def _refused(
    request: HttpRequest, place: Place, refusal: identity.ActionRefused, back: str
) -> HttpResponse:
    return render(
        request,
        TEMPLATES + "refused.html",
        {
            "place": place,
            "nav": "home",
            "refusal": refusal,
            "back": back,
            "sign_in": identity.sign_in_url(place, back) if refusal.needs_sign_in else "",
        },
        status=403,
    )


def _is_anonymous_level(participant: Any) -> bool:
    return participant is None or participant.level == Level.NONE


# --- Place home ----------------------------------------------------------------------------


def place_home(request: HttpRequest, place_slug: str) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    language = _language()
    published = Q(contributions__visibility=Visibility.PUBLISHED)
    qs = (
        Consultation.objects.filter(place=place)
        .annotate(
            heard=Count("contributions", filter=published),
            answered=Count(
                "contributions",
                filter=published & ~Q(contributions__public_state_group=AnswerState.NOT_ANSWERED),
            ),
        )
        .prefetch_related(_translations())
    )
    staff = _is_staff(request, place)
    if not staff:
        qs = qs.filter(is_published=True)
    items = []
    for consultation in sorted(qs, key=lambda c: PHASE_ORDER.get(c.phase, 9)):
        items.append(
            {
                "c": consultation,
                "s": shown(consultation, language),
                "phase": Phase(consultation.phase).label,
                "topics": [_topic_label(k) for k in consultation.domains or []],
                "url": reverse("participation:consultation", args=[place.slug, consultation.slug]),
            }
        )
    return render(
        request,
        TEMPLATES + "home.html",
        {"place": place, "nav": "home", "items": items, "staff": staff},
    )


# --- A consultation ------------------------------------------------------------------------


def consultation(request: HttpRequest, place_slug: str, slug: str) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    consultation = _consultation_or_404(request, place, slug)
    language = _language()
    page_url = reverse("participation:consultation", args=[place.slug, consultation.slug])
    original = request.GET.get("original") == "1"

    kind = request.GET.get("kind", "")
    topic = request.GET.get("topic", "")
    lang = request.GET.get("language", "")
    sort = request.GET.get("sort", "")
    qs = Contribution.objects.filter(
        consultation=consultation, visibility=Visibility.PUBLISHED
    ).prefetch_related(_translations())
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    else:
        kind = ""
    if topic in (consultation.domains or []):
        qs = qs.filter(domain=topic)
    else:
        topic = ""
    if lang in place.content_languages:
        qs = qs.filter(source_language=lang)
    else:
        lang = ""
    qs = qs.order_by("-support_count", "-created_at") if sort == "supports" else qs
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    contributions = list(page.object_list)
    labels = answers.state_labels(place, language, {c.public_state for c in contributions})
    rows = [
        {
            "c": c,
            "s": shown(c, language),
            "kind": Kind(c.kind).label if c.kind in Kind.values else c.kind,
            "topic": _topic_label(c.domain) if c.domain else "",
            "state": labels.get(c.public_state, c.public_state),
            "answered": c.public_state_group != AnswerState.NOT_ANSWERED,
            "url": reverse("participation:contribution", args=[place.slug, c.pk]),
        }
        for c in contributions
    ]
    filters = {k: v for k, v in (("kind", kind), ("topic", topic), ("language", lang)) if v}
    if sort == "supports":
        filters["sort"] = sort
    participant = identity.current_participant(request, place)
    refusals = identity.open_actions(participant, consultation)
    about = shown(consultation, language, original=original, page_url=page_url)
    return render(
        request,
        TEMPLATES + "consultation.html",
        {
            "place": place,
            "nav": "home",
            "consultation": consultation,
            "s": about,
            "notes": about.notes,
            "phase": Phase(consultation.phase).label,
            "topics": [(k, _topic_label(k)) for k in consultation.domains or []],
            "kinds": Kind.choices,
            "languages": [(code, language_name(code)) for code in place.content_languages],
            "filters": {"kind": kind, "topic": topic, "language": lang, "sort": sort},
            "filter_query": urlencode(filters),
            "rows": rows,
            "page": page,
            "actions": _action_rows(refusals),
            "can_contribute": refusals[Action.CONTRIBUTE] is None
            or refusals[Action.CONTRIBUTE].needed_level is not None,
            "staff": _is_staff(request, place),
            "sign_in": identity.sign_in_url(place, page_url),
        },
    )


# --- Sending a contribution -----------------------------------------------------------------


def _draft_key(consultation: Consultation) -> str:
    return f"participation:draft:{consultation.pk}"


DRAFT_FIELDS = (
    "kind",
    "domain",
    "title",
    "body",
    "language",
    "location_label",
    "latitude",
    "longitude",
    "author_name",
)


@require_http_methods(["GET", "POST"])
def contribute(request: HttpRequest, place_slug: str, slug: str) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    consultation = _consultation_or_404(request, place, slug)
    settings = identity.settings_for(place)
    participant = identity.current_participant(request, place)
    here = reverse("participation:contribute", args=[place.slug, consultation.slug])
    refusal: identity.ActionRefused | None = None
    try:
        identity.check_action(participant, Action.CONTRIBUTE, consultation)
    except identity.ActionRefused as exc:
        refusal = exc
    status = 200
    too_many_minutes = 0
    if request.method == "POST":
        form = ContributionForm(request.POST, consultation=consultation)
        if form.is_trap:
            # Answer an automated sender as if it succeeded, and keep nothing.
            messages.success(request, _("Thank you. We received what you sent."))
            return redirect("participation:consultation", place.slug, consultation.slug)
        if refusal is not None:
            # Keep the text: it comes back in the form after signing in.
            request.session[_draft_key(consultation)] = {
                name: request.POST.get(name, "") for name in DRAFT_FIELDS
            }
            status = 403
        elif _is_anonymous_level(participant):
            verdict = ratelimit.hit(
                f"participation-contribute:{place.pk}",
                ratelimit.client_key(request),
                settings.anonymous_per_hour,
            )
            if not verdict.allowed:
                status = 429
                too_many_minutes = max(1, verdict.retry_after // 60)
        if status == 200 and form.is_valid():
            participant = identity.participant_for(request, place)
            try:
                contribution = services.submit_contribution(
                    participant, consultation, **form.service_fields()
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                request.session.pop(_draft_key(consultation), None)
                return _after_submit(request, place, participant, contribution, form)
    else:
        draft = request.session.get(_draft_key(consultation))
        form = ContributionForm(initial=draft or None, consultation=consultation)
        if draft and refusal is None:
            messages.info(request, _("Your text was kept. Check it and send it."))
    response = render(
        request,
        TEMPLATES + "contribute.html",
        {
            "place": place,
            "nav": "home",
            "consultation": consultation,
            "s": shown(consultation, _language()),
            "form": form,
            "refusal": refusal,
            "sign_in": identity.sign_in_url(place, here),
            "too_many_minutes": too_many_minutes,
            "map_tiles": django_settings.MAP_TILE_URL,
            "map_attribution": django_settings.MAP_TILE_ATTRIBUTION,
        },
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(too_many_minutes * 60)
    return response


def _after_submit(
    request: HttpRequest,
    place: Place,
    participant: Any,
    contribution: Contribution,
    form: ContributionForm,
) -> HttpResponse:
    email = form.cleaned_data.get("email") or ""
    if email and form.cleaned_data.get("consent"):
        identity.remember_email(participant, email, contribution.source_language)
        with contextlib.suppress(identity.TooManyCodes):
            identity.send_code(place, email, _language(), client=ratelimit.client_key(request))
        request.session[SIGN_IN_EMAIL] = identity.normalise_email(email)
        messages.success(
            request,
            _(
                "Thank you: your contribution is published. We sent a code to your e-mail "
                "address; enter it to confirm the address and follow your contribution from "
                "any device."
            ),
        )
    else:
        messages.success(request, _("Thank you: your contribution is published."))
    return redirect("participation:contribution", place.slug, contribution.pk)


# --- A contribution's trail page -----------------------------------------------------------


def _comment_tree(comments: list[Comment]) -> list[dict[str, Any]]:
    """Top-level comments, each with all its replies (at any depth) in order under it."""
    by_id = {c.pk: c for c in comments}

    def root_of(comment: Comment) -> Any:
        seen = 0
        while comment.parent_id in by_id and seen < 50:
            comment = by_id[comment.parent_id]
            seen += 1
        return comment.pk

    roots: dict[Any, dict[str, Any]] = {}
    for comment in comments:
        if comment.parent_id is None or comment.parent_id not in by_id:
            roots[comment.pk] = {"comment": comment, "replies": []}
    for comment in comments:
        if comment.pk in roots:
            continue
        root = roots.get(root_of(comment))
        if root is not None:
            root["replies"].append(comment)
    return list(roots.values())


def _contribution_context(
    request: HttpRequest,
    place: Place,
    contribution: Contribution,
    comment_form: CommentForm | None = None,
) -> dict[str, Any]:
    language = _language()
    original = request.GET.get("original") == "1"
    page_url = reverse("participation:contribution", args=[place.slug, contribution.pk])
    staff = _is_staff(request, place)
    erased = contribution.visibility == Visibility.ERASED
    s = shown(contribution, language, original=original, page_url=page_url)

    answer = (
        Answer.objects.filter(contribution=contribution, published_at__isnull=False)
        .prefetch_related(
            _translations(),
            Prefetch(
                "services",
                queryset=Service.objects.filter(place=place).prefetch_related(_translations()),
            ),
        )
        .first()
    )
    answer_view = None
    if answer is not None:
        answer_view = {
            "answer": answer,
            "s": shown(answer, language, original=original, page_url=page_url),
            "services": [
                {
                    "name": shown(svc, language).t["name"],
                    "url": reverse("directory:service", args=[place.slug, svc.pk]),
                }
                for svc in answer.services.all()
            ],
        }
    state = answers.state_labels(place, language, {contribution.public_state}).get(
        contribution.public_state, contribution.public_state
    )

    results = (
        Result.objects.filter(contributions=contribution, is_published=True)
        .select_related("status")
        .prefetch_related(
            _translations(),
            Prefetch("status__translations", queryset=Translation.objects.all()),
            Prefetch("milestones__translations", queryset=Translation.objects.all()),
        )
        .order_by("title")
    )
    result_views = [
        {
            "r": r,
            "s": shown(r, language),
            "status": localize(r.status, language)["name"] if r.status else "",
            "progress": round(r.progress),
            "url": reverse("participation:result", args=[place.slug, r.pk]),
            "milestones": [{"m": m, "s": shown(m, language)} for m in r.milestones.all()],
        }
        for r in results
    ]

    comments_qs = Comment.objects.filter(contribution=contribution).order_by("created_at")
    if not staff:
        comments_qs = comments_qs.filter(visibility=Visibility.PUBLISHED)
    comments = list(comments_qs)
    for comment in comments:
        comment.attrs = lang_attrs(comment.language, language)

    participant = identity.current_participant(request, place)
    supported = following = False
    if participant is not None:
        supported = Support.objects.filter(
            contribution=contribution, participant=participant
        ).exists()
        following = Follow.objects.filter(
            contribution=contribution, participant=participant
        ).exists()
    refusals = identity.open_actions(participant, contribution.consultation)
    if comment_form is None:
        draft = request.session.get(f"participation:comment-draft:{contribution.pk}")
        comment_form = CommentForm(initial=draft or None, place=place)
    return {
        "place": place,
        "nav": "home",
        "contribution": contribution,
        "consultation": contribution.consultation,
        "consultation_s": shown(contribution.consultation, language),
        "s": s,
        "notes": s.notes,
        "source_attrs": lang_attrs(contribution.source_language, language),
        "erased": erased,
        "staff": staff,
        "hidden": contribution.visibility not in (Visibility.PUBLISHED, Visibility.ERASED),
        "visibility_label": Visibility(contribution.visibility).label,
        "kind": Kind(contribution.kind).label if contribution.kind in Kind.values else "",
        "topic": _topic_label(contribution.domain) if contribution.domain else "",
        "author": contribution.author_name or _("Anonymous"),
        "state": state,
        "answered": contribution.public_state_group != AnswerState.NOT_ANSWERED,
        "answer": answer_view,
        "results": result_views,
        "threads": _comment_tree(comments),
        "comment_form": comment_form,
        "supported": supported,
        "following": following,
        "refusals": refusals,
        "has_email": participant is not None and bool(participant.email_verified_at),
        "pending_email": bool(request.session.get(SIGN_IN_EMAIL))
        and participant is not None
        and not participant.email_verified_at,
        "page_url": page_url,
        "sign_in": identity.sign_in_url(place, page_url),
    }


def contribution(request: HttpRequest, place_slug: str, pk: UUID) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    item = _contribution_or_404(request, place, pk)
    return render(
        request, TEMPLATES + "contribution.html", _contribution_context(request, place, item)
    )


@require_POST
def support(request: HttpRequest, place_slug: str, pk: UUID) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    item = _contribution_or_404(request, place, pk)
    back = reverse("participation:contribution", args=[place.slug, item.pk])
    try:
        identity.check_action(
            identity.current_participant(request, place), Action.SUPPORT, item.consultation
        )
        participant = identity.participant_for(request, place)
        if request.POST.get("undo"):
            services.unsupport(participant, item)
            messages.success(request, _("Your support was taken back."))
        else:
            services.support(participant, item)
            messages.success(request, _("Thank you for your support."))
    except identity.ActionRefused as refusal:
        return _refused(request, place, refusal, back)
    return redirect(back + "#support")


@require_POST
def follow(request: HttpRequest, place_slug: str, pk: UUID) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    item = _contribution_or_404(request, place, pk)
    back = reverse("participation:contribution", args=[place.slug, item.pk])
    participant = identity.participant_for(request, place)
    if request.POST.get("undo"):
        services.unfollow(participant, item)
        messages.success(request, _("You no longer follow this contribution."))
        return redirect(back + "#follow")
    try:
        services.follow(participant, item)
    except identity.ActionRefused as refusal:
        return _refused(request, place, refusal, back)
    if participant.email_verified_at:
        messages.success(
            request, _("You follow this contribution. We will write when there is news.")
        )
    else:
        messages.success(
            request,
            _(
                "You follow this contribution: news appears under “My participation” in this "
                "browser. To be told by e-mail, sign in with an e-mail code."
            ),
        )
    return redirect(back + "#follow")


@require_POST
def comment(request: HttpRequest, place_slug: str, pk: UUID) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    item = _contribution_or_404(request, place, pk)
    back = reverse("participation:contribution", args=[place.slug, item.pk])
    draft_key = f"participation:comment-draft:{item.pk}"
    form = CommentForm(request.POST, place=place)
    try:
        identity.check_action(
            identity.current_participant(request, place), Action.COMMENT, item.consultation
        )
    except identity.ActionRefused as refusal:
        request.session[draft_key] = {
            "body": request.POST.get("body", ""),
            "language": request.POST.get("language", ""),
        }
        return _refused(request, place, refusal, back + "#comment-form")
    if form.is_valid():
        parent = None
        parent_id = form.cleaned_data.get("parent")
        if parent_id:
            parent = Comment.objects.filter(pk=parent_id).first()
            if parent is None:
                form.add_error("parent", _("The comment you replied to is not shown any more."))
        if not form.errors:
            participant = identity.participant_for(request, place)
            try:
                new = services.add_comment(
                    participant,
                    item,
                    form.cleaned_data["body"],
                    form.cleaned_data["language"],
                    parent=parent,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            except identity.ActionRefused as refusal:
                return _refused(request, place, refusal, back)
            else:
                request.session.pop(draft_key, None)
                messages.success(request, _("Your comment is published."))
                return redirect(f"{back}#comment-{new.pk}")
    return render(
        request,
        TEMPLATES + "contribution.html",
        _contribution_context(request, place, item, comment_form=form),
        status=400,
    )


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, place_slug: str, pk: UUID) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    item = _contribution_or_404(request, place, pk)
    back = reverse("participation:contribution", args=[place.slug, item.pk])
    comment_id = request.POST.get("comment") or request.GET.get("comment") or ""
    target_comment = None
    if comment_id:
        try:
            target_comment = get_object_or_404(
                Comment, pk=UUID(comment_id), contribution=item, visibility=Visibility.PUBLISHED
            )
        except ValueError as exc:
            raise Http404("No such comment") from exc
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST)
        client = ratelimit.client_key(request)
        verdict = ratelimit.hit("participation-report", client, REPORTS_PER_CLIENT_PER_HOUR)
        if not verdict.allowed:
            form.add_error(None, _("Too many reports from your connection. Try again later."))
            status = 429
        elif form.is_valid():
            participant = identity.current_participant(request, place)
            reporter = str(participant.pk) if participant is not None else f"client:{client}"
            try:
                services.report(
                    reporter,
                    item,
                    target_comment,
                    reason=form.cleaned_data["reason"],
                    details=form.cleaned_data["details"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Thank you. A moderator will look at it."))
                item.refresh_from_db(fields=["visibility"])
                if item.visibility != Visibility.PUBLISHED:
                    return redirect(
                        "participation:consultation", place.slug, item.consultation.slug
                    )
                return redirect(back)
    else:
        form = ReportForm(initial={"comment": comment_id})
    return render(
        request,
        TEMPLATES + "report.html",
        {
            "place": place,
            "nav": "home",
            "contribution": item,
            "s": shown(item, _language()),
            "target_comment": target_comment,
            "form": form,
            "back": back,
        },
        status=status,
    )


# --- Signing in with an e-mail code --------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest, place_slug: str) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    home = reverse("participation:home", args=[place.slug])
    status = 200
    if request.method == "POST":
        form = SignInForm(request.POST)
        if form.is_valid():
            email = identity.normalise_email(form.cleaned_data["email"])
            try:
                identity.send_code(place, email, _language(), client=ratelimit.client_key(request))
            except identity.TooManyCodes as exc:
                form.add_error(
                    None,
                    _(
                        "Too many codes were asked for in the last hour. "
                        "Try again in %(minutes)s minutes."
                    )
                    % {"minutes": max(1, exc.retry_after // 60)},
                )
                status = 429
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                request.session[SIGN_IN_EMAIL] = email
                next_url = _safe_next(request, form.cleaned_data.get("next") or "", home)
                return redirect(
                    reverse("participation:sign-in-code", args=[place.slug])
                    + "?"
                    + urlencode({"next": next_url})
                )
    else:
        form = SignInForm(initial={"next": _safe_next(request, request.GET.get("next", ""), "")})
    return render(
        request,
        TEMPLATES + "sign_in.html",
        {"place": place, "nav": "me", "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest, place_slug: str) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    home = reverse("participation:home", args=[place.slug])
    status = 200
    if request.method == "POST":
        form = CodeForm(request.POST)
        verdict = ratelimit.hit(
            "participation-verify", ratelimit.client_key(request), VERIFY_PER_CLIENT_PER_HOUR
        )
        if not verdict.allowed:
            form.add_error(None, _("Too many tries from your connection. Try again later."))
            status = 429
        elif form.is_valid():
            try:
                identity.verify_code(
                    request, place, form.cleaned_data["email"], form.cleaned_data["code"]
                )
            except identity.CodeRejected as exc:
                form.add_error("code", exc.message)
                status = 400
            else:
                request.session.pop(SIGN_IN_EMAIL, None)
                messages.success(request, _("You are signed in. What you did before is kept."))
                return redirect(_safe_next(request, form.cleaned_data.get("next") or "", home))
    else:
        form = CodeForm(
            initial={
                "email": request.session.get(SIGN_IN_EMAIL, ""),
                "next": _safe_next(request, request.GET.get("next", ""), ""),
            }
        )
    return render(
        request,
        TEMPLATES + "sign_in_code.html",
        {"place": place, "nav": "me", "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest, place_slug: str) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    if request.method == "POST":
        identity.forget(request, place)
        messages.success(request, _("You are signed out on this device."))
        return redirect("participation:home", place.slug)
    return render(request, TEMPLATES + "sign_out.html", {"place": place, "nav": "me"})


__all__ = [
    "comment",
    "consultation",
    "contribute",
    "contribution",
    "follow",
    "place_home",
    "report",
    "sign_in",
    "sign_in_code",
    "sign_out",
    "support",
]
