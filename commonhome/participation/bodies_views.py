"""Consultative bodies and meetings: public pages, and the staff pages that keep them.

Private bodies, and meetings that are private or belong to a private body, answer 404 to the
public and are shown to the place's staff. A member's name is public only with their consent
(``show_name``). Public pages read texts through :func:`commonhome.web.texts.shown`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commonhome.core.models import Place, Translation
from commonhome.core.permissions import can, is_staff_of
from commonhome.core.translation import STATUS_FIELDS
from commonhome.web.texts import shown

from . import bodies as svc
from . import ical
from .bodies_forms import AttachForm, BodyForm, MeetingForm, MemberForm
from .constants import Position, Visibility
from .models import Body, BodyMember, Contribution, Meeting, Result
from .permissions import public_place_or_404
from .results_views import _errors_to_form, _records, error_text, staff_page

UPCOMING_LIMIT = 20
PAST_LIMIT = 20


def _translations() -> Prefetch:
    return Prefetch(
        "translations",
        queryset=Translation.objects.only("id", "content_type_id", "object_id", *STATUS_FIELDS),
    )


def _wants_original(request: HttpRequest) -> bool:
    return request.GET.get("original") == "1"


def _visible_meetings(place: Place, staff: bool) -> Any:
    meetings = Meeting.objects.filter(place=place)
    if not staff:
        meetings = meetings.filter(is_public=True).filter(
            Q(body__isnull=True) | Q(body__is_public=True)
        )
    return meetings


POSITION_ORDER = list(Position.values)


def _position_rank(member: BodyMember) -> tuple[int, str]:
    """Chair first, then vice-chair, secretary, members and observers, by name."""
    rank = POSITION_ORDER.index(member.position) if member.position in POSITION_ORDER else 99
    return rank, member.name


def _member_row(member: BodyMember) -> dict[str, Any]:
    return {
        "member": member,
        "name": member.name if member.show_name else _("Member (name withheld)"),
        "withheld": not member.show_name,
    }


# --- Public pages -------------------------------------------------------------------------


def bodies(request: HttpRequest, place_slug: str) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    staff = is_staff_of(request.user, place)
    language = get_language()
    original = _wants_original(request)
    body_rows = Body.objects.filter(place=place).prefetch_related(_translations())
    if not staff:
        body_rows = body_rows.filter(is_public=True)
    now = timezone.now()
    meetings = (
        _visible_meetings(place, staff)
        .select_related("body")
        .prefetch_related(_translations())
        .annotate(n_contributions=Count("contributions", distinct=True))
    )
    upcoming = list(meetings.filter(starts_at__gte=now).order_by("starts_at")[:UPCOMING_LIMIT])
    past = list(meetings.filter(starts_at__lt=now).order_by("-starts_at")[:PAST_LIMIT])
    return render(
        request,
        "participation/bodies/list.html",
        {
            "place": place,
            "nav": "bodies",
            "bodies": [{"body": b, "s": shown(b, language, original)} for b in body_rows],
            "upcoming": [{"meeting": m, "s": shown(m, language, original)} for m in upcoming],
            "past": [{"meeting": m, "s": shown(m, language, original)} for m in past],
            "is_staff": staff,
        },
    )


def body(request: HttpRequest, place_slug: str, slug: str) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    record = get_object_or_404(
        Body.objects.filter(place=place).select_related("place").prefetch_related(_translations()),
        slug=slug,
    )
    if not can(request.user, "participation.view_body", record):
        raise Http404("No such body")
    staff = is_staff_of(request.user, place)
    language = get_language()
    original = _wants_original(request)
    page_url = reverse("participation:body", args=[place.slug, record.slug])
    today = timezone.localdate()
    members = sorted((m for m in record.members.all() if m.in_office(today)), key=_position_rank)
    meetings = list(
        _visible_meetings(place, staff)
        .filter(body=record)
        .prefetch_related(_translations())
        .order_by("-starts_at")
    )
    for m in meetings:
        m.body = record  # the meetings' body is this one: no query per meeting
    now = timezone.now()
    return render(
        request,
        "participation/bodies/body.html",
        {
            "place": place,
            "nav": "bodies",
            "body": record,
            "s": shown(record, language, original, page_url),
            "members": [_member_row(m) for m in members],
            "upcoming": [
                {"meeting": m, "s": shown(m, language, original)}
                for m in reversed(meetings)
                if m.starts_at >= now
            ],
            "past": [
                {"meeting": m, "s": shown(m, language, original)}
                for m in meetings
                if m.starts_at < now
            ],
            "is_staff": staff,
        },
    )


def meeting(request: HttpRequest, place_slug: str, pk: Any) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    staff = is_staff_of(request.user, place)
    record = get_object_or_404(
        _visible_meetings(place, staff)
        .select_related("body", "consultation")
        .prefetch_related(_translations()),
        pk=pk,
    )
    language = get_language()
    original = _wants_original(request)
    page_url = reverse("participation:meeting", args=[place.slug, record.pk])
    contributions = (
        record.contributions.filter(visibility=Visibility.PUBLISHED)
        .prefetch_related(_translations())
        .order_by("created_at")
    )
    results = (
        record.results.filter(is_published=True)
        .select_related("status")
        .prefetch_related(_translations())
        .order_by("title")
    )
    return render(
        request,
        "participation/bodies/meeting.html",
        {
            "place": place,
            "nav": "bodies",
            "meeting": record,
            "s": shown(record, language, original, page_url),
            "body_s": shown(record.body, language, original) if record.body else None,
            "is_past": record.starts_at < timezone.now(),
            "contributions": [
                {"contribution": c, "s": shown(c, language, original)} for c in contributions
            ],
            "results": [{"result": r, "s": shown(r, language, original)} for r in results],
            "is_staff": staff,
        },
    )


# --- Staff pages --------------------------------------------------------------------------


@staff_page("participation.staff_pages")
def staff_bodies(request: HttpRequest, place: Place) -> HttpResponse:
    today = timezone.localdate()
    body_rows = Body.objects.filter(place=place).annotate(
        n_members=Count(
            "members",
            filter=(Q(members__term_start__isnull=True) | Q(members__term_start__lte=today))
            & (Q(members__term_end__isnull=True) | Q(members__term_end__gte=today)),
        ),
        n_meetings=Count("meetings", distinct=True),
    )
    meetings = (
        Meeting.objects.filter(place=place)
        .select_related("body")
        .annotate(n_contributions=Count("contributions"))
        .order_by("-starts_at")[:100]
    )
    return render(
        request,
        "participation/staff/bodies/list.html",
        {
            "place": place,
            "nav": "bodies",
            "bodies": list(body_rows),
            "meetings": list(meetings),
            "can_manage": can(request.user, "participation.manage", place),
            "now": timezone.now(),
        },
    )


@staff_page("participation.manage")
@require_http_methods(["GET", "POST"])
def staff_body_edit(request: HttpRequest, place: Place, slug: str | None = None) -> HttpResponse:
    record = get_object_or_404(Body, place=place, slug=slug) if slug else None
    form = BodyForm(instance=record, place=place) if record else BodyForm(place=place)
    member_form = MemberForm(prefix="member")
    if request.method == "POST":
        action = request.POST.get("action", "save")
        user = request.user
        try:
            if action == "save":
                form = BodyForm(request.POST, instance=record or Body(), place=place)
                if form.is_valid():
                    if record is None:
                        record = svc.create_body(user, place, **form.values())
                    else:
                        record = svc.update_body(
                            user,
                            Body.objects.get(pk=record.pk),
                            form.cleaned_data["version"],
                            **form.values(),
                        )
                    messages.success(request, _("Saved."))
                    return redirect("participation:staff-body", place.slug, record.slug)
            elif record is not None and action == "add_member":
                member_form = MemberForm(request.POST, prefix="member")
                if member_form.is_valid():
                    svc.add_member(user, record, **member_form.values())
                    messages.success(request, _("Member added."))
                    return redirect(request.path)
            elif record is not None and action in ("edit_member", "end_term"):
                member = get_object_or_404(BodyMember, body=record, pk=request.POST.get("id"))
                if action == "end_term":
                    svc.end_term(user, member)
                    messages.success(request, _("Term ended today."))
                    return redirect(request.path)
                edit = MemberForm(request.POST, instance=member, prefix=str(member.pk))
                if edit.is_valid():
                    svc.update_member(user, BodyMember.objects.get(pk=member.pk), **edit.values())
                    messages.success(request, _("Saved."))
                else:
                    messages.error(request, error_text(ValidationError(edit.errors)))
                return redirect(request.path)
        except svc.StaleVersion as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            target = member_form if action == "add_member" else form
            _errors_to_form(target, exc)
    members = sorted(record.members.all(), key=_position_rank) if record else []
    today = timezone.localdate()
    return render(
        request,
        "participation/staff/bodies/body.html",
        {
            "place": place,
            "nav": "bodies",
            "body": record,
            "form": form,
            "member_form": member_form,
            "members": [
                {
                    "member": m,
                    "form": MemberForm(instance=m, prefix=str(m.pk)),
                    "in_office": m.in_office(today),
                }
                for m in members
            ],
            "meetings": list(record.meetings.order_by("-starts_at")) if record else [],
        },
    )


def _attach_choices(place: Place, meeting: Meeting | None) -> list[tuple[str, str]]:
    if meeting is None or meeting.consultation_id is None:
        return []
    rows = (
        Contribution.objects.filter(place=place, consultation_id=meeting.consultation_id)
        .exclude(meeting=meeting)
        .order_by("-created_at")
        .values_list("pk", "title")[:200]
    )
    return [(str(pk), title) for pk, title in rows]


@staff_page("participation.manage")
@require_http_methods(["GET", "POST"])
def staff_meeting_edit(request: HttpRequest, place: Place, pk: Any = None) -> HttpResponse:
    record = get_object_or_404(Meeting, place=place, pk=pk) if pk else None
    if record is not None:
        form = MeetingForm(instance=record, place=place)
    else:
        initial = {}
        body_slug = request.GET.get("body")
        if body_slug:
            initial["body"] = Body.objects.filter(place=place, slug=body_slug).first()
        form = MeetingForm(place=place, initial=initial)
    attach_form = AttachForm(choices=_attach_choices(place, record))
    if request.method == "POST":
        action = request.POST.get("action", "save")
        user = request.user
        try:
            if action == "save":
                form = MeetingForm(request.POST, instance=record or Meeting(), place=place)
                if form.is_valid():
                    if record is None:
                        record = svc.create_meeting(user, place, **form.values())
                    else:
                        record = svc.update_meeting(
                            user,
                            Meeting.objects.get(pk=record.pk),
                            form.cleaned_data["version"],
                            **form.values(),
                        )
                    messages.success(request, _("Saved."))
                    return redirect("participation:staff-meeting", place.slug, record.pk)
            elif record is not None and action == "attach":
                attach_form = AttachForm(request.POST, choices=_attach_choices(place, record))
                if attach_form.is_valid():
                    chosen = _records(Contribution, place, attach_form.chosen_ids())
                    svc.attach_contributions(user, record, chosen)
                    messages.success(
                        request, _("Contributions recorded as raised at this meeting.")
                    )
                    return redirect(request.path)
            elif record is not None and action == "detach":
                chosen = _records(Contribution, place, [request.POST.get("id", "")])
                svc.detach_contributions(user, record, chosen)
                return redirect(request.path)
        except svc.StaleVersion as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            if action == "save":
                _errors_to_form(form, exc)
            else:
                messages.error(request, error_text(exc))
                return redirect(request.path)
    return render(
        request,
        "participation/staff/bodies/meeting.html",
        {
            "place": place,
            "nav": "bodies",
            "meeting": record,
            "form": form,
            "attach_form": attach_form,
            "contributions": list(record.contributions.order_by("created_at")) if record else [],
            "results": list(Result.objects.filter(meetings=record).order_by("title"))
            if record
            else [],
        },
    )


def meeting_ics(request: HttpRequest, place_slug: str, pk: Any) -> HttpResponse:
    """The meeting as an iCalendar file, in the reader's language."""
    place = public_place_or_404(request, place_slug)
    record = get_object_or_404(
        _visible_meetings(place, is_staff_of(request.user, place)).prefetch_related(
            _translations()
        ),
        pk=pk,
    )
    texts = shown(record, get_language()).t
    page = request.build_absolute_uri(
        reverse("participation:meeting", args=[place.slug, record.pk])
    )
    event = ical.Event(
        uid=f"{record.pk}@commonhome",
        starts=record.starts_at,
        ends=record.ends_at,
        title=str(texts["title"]),
        description=str(texts["agenda"]),
        location=record.address or record.online_url,
        url=page,
    )
    response = HttpResponse(
        ical.calendar([event], timezone.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="meeting.ics"'
    return response
