"""Staff pages of participation: overview, answers and publishing, moderation, the desk,
resident checks, settings, consultations and exports.

Views stay thin: they load what the page shows (the query sets say what they fetch), check
permission through the one permission module and call the service functions in
``answers``, ``moderation`` and ``consultations``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commonhome.core import audit
from commonhome.core.models import Place
from commonhome.core.permissions import can
from commonhome.core.translation import status_of
from commonhome.directory.models import Service
from commonhome.web.staff import staff_page as web_staff_page

from . import answers, consultations, exports
from . import moderation as decisions
from .constants import AnswerState, Level, Phase, Visibility
from .models import (
    Answer,
    Comment,
    Consultation,
    Contribution,
    CustomAnswerState,
    Participant,
    Report,
)
from .staff_forms import (
    AnswerForm,
    ConsultationForm,
    CustomStateForm,
    DeskForm,
    FilterForm,
    ParticipantLookupForm,
    ReasonForm,
    SettingsForm,
    TranslationForm,
)

View = Callable[..., HttpResponse]
PAGE_SIZE = 50


def staff_page(action: str = "participation.staff_pages") -> Callable[[View], View]:
    return web_staff_page(action)


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    place = context["place"]
    context["can_manage"] = can(request.user, "participation.manage", place)
    return render(request, template, context)


def _errors(form: Any, exc: ValidationError) -> None:
    """Put a service's field errors on the form, on the field they name when it has one."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _staff_language(place: Place) -> str:
    """The language staff write in: their page language when the place offers it."""
    language = translation.get_language() or ""
    return language if language in place.content_languages else place.default_language


# --- Overview -----------------------------------------------------------------------------


def unanswered_q() -> Q:
    return Q(answer__isnull=True) | Q(answer__state=AnswerState.NOT_ANSWERED)


@staff_page()
@require_http_methods(["GET", "POST"])
def dashboard(request: HttpRequest, place: Place) -> HttpResponse:
    if request.method == "POST":
        consultation = get_object_or_404(
            Consultation, place=place, slug=request.POST.get("consultation")
        )
        try:
            consultations.set_phase(request.user, consultation, request.POST.get("phase", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Phase changed."))
        return redirect(request.path)
    live = Contribution.objects.filter(place=place).exclude(visibility=Visibility.ERASED)
    counts = {
        "unanswered": live.filter(unanswered_q()).count(),
        "drafts": Answer.objects.filter(contribution__place=place, published_at__isnull=True)
        .exclude(state=AnswerState.NOT_ANSWERED)
        .count(),
        "pending": live.filter(visibility=Visibility.PENDING).count()
        + Comment.objects.filter(contribution__place=place, visibility=Visibility.PENDING).count(),
    }
    rows = list(
        Consultation.objects.filter(place=place).annotate(
            n_contributions=Count("contributions"),
            n_unanswered=Count(
                "contributions",
                filter=Q(contributions__answer__isnull=True)
                | Q(contributions__answer__state=AnswerState.NOT_ANSWERED),
            ),
        )
    )
    return _render(
        request,
        "participation/staff/dashboard.html",
        {
            "place": place,
            "nav": "dashboard",
            "counts": counts,
            "consultations": rows,
            "phases": Phase.choices,
            "exports": [(what, fmt) for what in exports.WHAT for fmt in exports.FORMATS],
        },
    )


# --- Settings and custom answer states ----------------------------------------------------


@staff_page("participation.manage")
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest, place: Place) -> HttpResponse:
    current = consultations.settings_of(place)
    form = SettingsForm(
        initial={name: getattr(current, name) for name in consultations.SETTINGS_FIELDS}
        | {"version": current.version}
    )
    state_form = CustomStateForm()
    states = list(CustomAnswerState.objects.filter(place=place))
    action = request.POST.get("action")
    if request.method == "POST":
        try:
            if action == "settings":
                form = SettingsForm(request.POST)
                if form.is_valid():
                    values = dict(form.cleaned_data)
                    version = values.pop("version")
                    consultations.save_settings(request.user, place, version, **values)
                    messages.success(request, _("Saved."))
                    return redirect(request.path)
            elif action in ("new_state", "rename_state"):
                state = None
                if action == "rename_state":
                    state = get_object_or_404(
                        CustomAnswerState, place=place, pk=request.POST.get("state")
                    )
                state_form = CustomStateForm(request.POST)
                if state_form.is_valid():
                    data = state_form.cleaned_data
                    consultations.save_custom_state(
                        request.user,
                        place,
                        name=data["name"],
                        counts_as=data["counts_as"],
                        key=data["key"],
                        state=state,
                        expected_version=data["version"],
                    )
                    messages.success(request, _("Saved."))
                    return redirect(request.path)
        except ValidationError as exc:
            _errors(form if action == "settings" else state_form, exc)
        except answers.StaleVersion as exc:
            messages.error(request, _("Nothing was saved: %(reason)s") % {"reason": exc})
            return redirect(request.path)
    return _render(
        request,
        "participation/staff/settings.html",
        {
            "place": place,
            "nav": "settings",
            "form": form,
            "state_form": state_form,
            "states": states,
            "counts_as": [(k, v) for k, v in AnswerState.choices if k != AnswerState.NOT_ANSWERED],
        },
    )


# --- Consultations ------------------------------------------------------------------------


@staff_page("participation.manage")
@require_http_methods(["GET", "POST"])
def consultation_edit(request: HttpRequest, place: Place, slug: str = "") -> HttpResponse:
    record = get_object_or_404(Consultation, place=place, slug=slug) if slug else None
    form = ConsultationForm.for_record(record)
    tr_form = TranslationForm(record=record, languages=place.content_languages) if record else None
    if request.method == "POST" and request.POST.get("action") == "translate" and record:
        tr_form = TranslationForm(request.POST, record=record, languages=place.content_languages)
        if tr_form.is_valid():
            data = dict(tr_form.cleaned_data)
            language = data.pop("language")
            try:
                consultations.translate(request.user, record, language, data)
            except ValidationError as exc:
                _errors(tr_form, exc)
            else:
                messages.success(request, _("Translation saved."))
                return redirect(request.path)
    elif request.method == "POST":
        form = ConsultationForm(request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            version = values.pop("version")
            try:
                if record is None:
                    record = consultations.create_consultation(request.user, place, **values)
                else:
                    record = consultations.update_consultation(
                        request.user, record, version or 0, **values
                    )
            except ValidationError as exc:
                _errors(form, exc)
            except answers.StaleVersion as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Saved."))
                return redirect("participation:staff-consultation-edit", place.slug, record.slug)
    translations = []
    if record is not None:
        for language in place.content_languages:
            if language != record.source_language:
                translations.append((language, status_of(record, language)))
    return _render(
        request,
        "participation/staff/consultation_edit.html",
        {
            "place": place,
            "nav": "dashboard",
            "record": record,
            "form": form,
            "tr_form": tr_form,
            "translations": translations,
        },
    )


# --- Contributions and answers ------------------------------------------------------------


def filtered_contributions(place: Place, data: dict[str, Any]) -> Any:
    """The staff list's query set for the filter values in ``data`` (all optional)."""
    qs = Contribution.objects.filter(place=place).select_related("consultation", "answer")
    if data.get("consultation"):
        qs = qs.filter(consultation__slug=data["consultation"])
    state = data.get("state")
    if state == AnswerState.NOT_ANSWERED:
        qs = qs.filter(unanswered_q())
    elif state:
        qs = qs.filter(answer__state=state)
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("domain"):
        qs = qs.filter(domain=data["domain"])
    if data.get("language"):
        qs = qs.filter(source_language=data["language"])
    if data.get("visibility"):
        qs = qs.filter(visibility=data["visibility"])
    if data.get("unpublished"):
        qs = qs.filter(answer__published_at__isnull=True).exclude(
            Q(answer__isnull=True) | Q(answer__state=AnswerState.NOT_ANSWERED)
        )
    return qs.order_by("-created_at", "pk")


@staff_page()
@require_http_methods(["GET", "POST"])
def contributions(request: HttpRequest, place: Place) -> HttpResponse:
    if request.method == "POST":
        chosen = request.POST.getlist("contribution")
        ids = list(
            Answer.objects.filter(
                contribution__place=place, contribution__pk__in=_uuids(chosen)
            ).values_list("pk", flat=True)
        )
        if not ids:
            messages.error(request, _("Choose answers to publish."))
        else:
            try:
                n = answers.publish(request.user, ids)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Answers published: %(count)s") % {"count": n})
        query = request.POST.get("query", "")
        return redirect(request.path + (f"?{query}" if query else ""))
    states = answers.state_choices(place)
    consultation_list = list(Consultation.objects.filter(place=place).only("slug", "title"))
    filters = FilterForm(
        request.GET or None, place=place, consultations=consultation_list, states=states
    )
    data = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    page = Paginator(filtered_contributions(place, data), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    labels = {key: label for key, label, _group in states}
    rows = []
    for c in page:
        ans = getattr(c, "answer", None)
        rows.append(
            {
                "c": c,
                "answer": ans,
                "state": labels.get(ans.state, ans.state) if ans else labels["not_answered"],
                "publishable": ans is not None
                and not ans.is_published
                and ans.state != AnswerState.NOT_ANSWERED,
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        "participation/staff/contributions.html",
        {
            "place": place,
            "nav": "contributions",
            "filters": filters,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
        },
    )


def _uuids(values: list[str]) -> list[str]:
    out = []
    for value in values:
        try:
            out.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    return out


def _answer_services(place: Place, contribution: Contribution, linked: set[str]) -> Any:
    """The place's services, those on the contribution's topic (or already linked) first."""
    services = list(Service.objects.filter(place=place).only("id", "name").order_by("name"))
    on_topic: set[str] = set()
    if contribution.domain:
        on_topic = {
            str(pk)
            for pk in Service.objects.filter(
                place=place, domains__code=contribution.domain
            ).values_list("pk", flat=True)
        }
    first = [s for s in services if str(s.pk) in on_topic or str(s.pk) in linked]
    rest = [s for s in services if s not in first]
    return services, first, rest


@staff_page()
@require_http_methods(["GET", "POST"])
def contribution(request: HttpRequest, place: Place, pk: str) -> HttpResponse:
    record = get_object_or_404(
        Contribution.objects.select_related(
            "consultation", "participant", "recorded_by", "moderated_by", "meeting"
        ).prefetch_related("translations"),
        place=place,
        pk=pk,
    )
    current = (
        Answer.objects.filter(contribution=record)
        .select_related("answered_by", "published_by")
        .prefetch_related("services")
        .first()
    )
    linked = {str(s.pk) for s in current.services.all()} if current else set()
    services, first, rest = _answer_services(place, record, linked)
    states = answers.state_choices(place)
    initial = {"expected_version": current.version if current else 0}
    if current is not None:
        initial |= {
            "state": current.state,
            "text": current.text,
            "reason": current.reason,
            "services": sorted(linked),
        }
    form = AnswerForm(initial=initial, states=states, services=services)
    reason_form = ReasonForm(prefix="mod")
    action = request.POST.get("action", "")
    if request.method == "POST":
        if action in ("save", "publish"):
            form = AnswerForm(request.POST, states=states, services=services)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    with transaction.atomic():
                        saved = answers.answer(
                            request.user,
                            record,
                            state=data["state"],
                            text=data["text"],
                            reason=data["reason"],
                            services=data["services"],
                            expected_version=data["expected_version"],
                            language=_staff_language(place),
                        )
                        if action == "publish":
                            answers.publish(request.user, [saved])
                except ValidationError as exc:
                    _errors(form, exc)
                except answers.StaleVersion as exc:
                    form.add_error(None, str(exc))
                else:
                    if action == "publish" or saved.is_published:
                        messages.success(request, _("Answer published."))
                    else:
                        messages.success(request, _("Answer saved as a draft."))
                    return redirect(request.path)
        elif action in ("hide", "restore"):
            reason_form = ReasonForm(request.POST, prefix="mod")
            target: Contribution | Comment = record
            if request.POST.get("comment"):
                target = get_object_or_404(
                    Comment, contribution=record, pk=request.POST.get("comment")
                )
            if reason_form.is_valid():
                decide = decisions.hide if action == "hide" else decisions.restore
                try:
                    decide(request.user, target, reason_form.cleaned_data["reason"])
                except ValidationError as exc:
                    _errors(reason_form, exc)
                else:
                    messages.success(request, _("Hidden.") if action == "hide" else _("Restored."))
                    return redirect(request.path)
    comments = list(record.comments.select_related("participant").order_by("created_at"))
    return _render(
        request,
        "participation/staff/contribution.html",
        {
            "place": place,
            "nav": "contributions",
            "c": record,
            "answer": current,
            "state_label": answers.state_label(place, current.state) if current else "",
            "form": form,
            "reason_form": reason_form,
            "services_first": first,
            "services_rest": rest,
            "chosen_services": set(form["services"].value() or []),
            "translations": sorted(record.translations.all(), key=lambda t: t.language),
            "comments": comments,
            "results": list(record.results.all()),
            "can_result": current is not None
            and current.state_group == AnswerState.ACCEPTED
            and can(request.user, "participation.results", place),
            "open_reports": list(
                Report.objects.filter(
                    contribution=record, comment__isnull=True, resolved_at__isnull=True
                )
            ),
            "participant_level": Level(record.participant.level).label
            if record.participant
            else "",
        },
    )


# --- Moderation ---------------------------------------------------------------------------


@staff_page("participation.moderate")
@require_http_methods(["GET", "POST"])
def moderation(request: HttpRequest, place: Place) -> HttpResponse:
    reason_form = ReasonForm()
    if request.method == "POST":
        action = request.POST.get("action")
        kind = request.POST.get("kind")
        pk = request.POST.get("pk", "")
        if kind == "comment":
            target: Any = get_object_or_404(Comment, contribution__place=place, pk=_one(pk))
        else:
            target = get_object_or_404(Contribution, place=place, pk=_one(pk))
        reason_form = ReasonForm(request.POST)
        if action in ("hide", "restore") and reason_form.is_valid():
            decide = decisions.hide if action == "hide" else decisions.restore
            try:
                decide(request.user, target, reason_form.cleaned_data["reason"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Hidden.") if action == "hide" else _("Restored."))
            return redirect(request.path)
        messages.error(request, _("Give a reason; the author is told."))
        return redirect(request.path)
    open_reports = Report.objects.filter(resolved_at__isnull=True)
    flagged = Q(visibility__in=[Visibility.PENDING, Visibility.HIDDEN]) | Q(report_count__gt=0)
    items = list(
        Contribution.objects.filter(flagged, place=place)
        .select_related("consultation", "moderated_by")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=open_reports.filter(comment__isnull=True),
                to_attr="open_reports",
            )
        )
        .order_by("visibility", "-updated_at")[:200]
    )
    comments = list(
        Comment.objects.filter(flagged, contribution__place=place)
        .select_related("contribution", "moderated_by")
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_reports"))
        .order_by("visibility", "-created_at")[:200]
    )
    return _render(
        request,
        "participation/staff/moderation.html",
        {
            "place": place,
            "nav": "moderation",
            "items": items,
            "comments": comments,
            "reason_form": reason_form,
        },
    )


def _one(value: str) -> str:
    ids = _uuids([value])
    if not ids:
        raise Http404
    return ids[0]


# --- Desk and resident checks -------------------------------------------------------------


@staff_page("participation.desk")
@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest, place: Place) -> HttpResponse:
    open_ones = list(
        Consultation.objects.filter(place=place, phase=Phase.OPEN).only("slug", "title")
    )
    form = DeskForm(request.POST or None, place=place, consultations=open_ones)
    if request.method == "POST" and form.is_valid():
        from . import services  # written alongside; imported here so the page loads without it

        data = form.cleaned_data
        consultation = next(c for c in open_ones if c.slug == data["consultation"])
        try:
            created = services.record_at_desk(
                request.user,
                Consultation.objects.get(pk=consultation.pk),
                display_name=data["display_name"],
                contact=data["contact"],
                email=data["email"],
                language=data["language"],
                kind=data["kind"],
                domain=data["domain"],
                title=data["title"],
                body=data["body"],
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Recorded. You can answer it here when it is decided."))
            return redirect("participation:staff-contribution", place.slug, created.pk)
    return _render(
        request,
        "participation/staff/desk.html",
        {"place": place, "nav": "desk", "form": form, "consultations": open_ones},
    )


@staff_page("participation.desk")
@require_http_methods(["GET", "POST"])
def participants(request: HttpRequest, place: Place) -> HttpResponse:
    if request.method == "POST":
        person = get_object_or_404(Participant, place=place, pk=_one(request.POST.get("pk", "")))
        verified = request.POST.get("action") == "verify"
        consultations.set_resident(request.user, person, verified)
        messages.success(
            request,
            _("Marked as a verified resident.") if verified else _("Resident mark removed."),
        )
        return redirect(request.get_full_path())
    lookup = ParticipantLookupForm(request.GET or None)
    found: list[Participant] = []
    if lookup.is_bound and lookup.is_valid():
        found = list(
            Participant.objects.filter(place=place, email__iexact=lookup.cleaned_data["email"])
            .select_related("resident_verified_by")
            .annotate(n_contributions=Count("contributions"))
        )
    verified = list(
        Participant.objects.filter(place=place, resident_verified_at__isnull=False)
        .select_related("resident_verified_by")
        .order_by("-resident_verified_at")[:50]
    )
    return _render(
        request,
        "participation/staff/participants.html",
        {
            "place": place,
            "nav": "participants",
            "lookup": lookup,
            "found": found,
            "searched": lookup.is_bound,
            "verified": verified,
        },
    )


# --- Exports ------------------------------------------------------------------------------


@staff_page("participation.export")
def export(request: HttpRequest, place: Place, what: str, fmt: str) -> HttpResponse:
    if what not in exports.WHAT or fmt not in exports.FORMATS:
        raise Http404("No such export")
    audit.record(request.user, "participation.export", None, place=place, note=f"{what}.{fmt}")
    header, rows = exports.table(place, what)
    stamp = timezone.localdate().isoformat()
    filename = f"{place.slug}-{what}-{stamp}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.csv_chunks(header, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(
        exports.xlsx_file(header, rows, what),
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
