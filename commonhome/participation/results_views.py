"""Staff pages of results ("what we did") and of the place's result statuses.

Views stay thin: they load what the page shows, check permission through the one permission
module and call ``results``. Every form posts and redirects (no JavaScript needed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commonhome.core.models import Place
from commonhome.core.permissions import can
from commonhome.directory.models import Service
from commonhome.web.staff import staff_page

from . import results as svc
from .constants import AnswerState, ProgressMode
from .models import Contribution, Meeting, Milestone, Result, ResultStatus
from .results_forms import (
    LinkContributionsForm,
    LinkForm,
    MilestoneForm,
    ResultFilterForm,
    ResultForm,
    StatusForm,
)

View = Callable[..., HttpResponse]


def error_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(
            f"{name}: {' '.join(str(m) for m in msgs)}" if name != "__all__" else " ".join(msgs)
            for name, msgs in exc.message_dict.items()
        )
    return " ".join(exc.messages)


# --- List ---------------------------------------------------------------------------------


@staff_page("participation.results")
def results(request: HttpRequest, place: Place) -> HttpResponse:
    svc.ensure_statuses(place)
    filters = ResultFilterForm(request.GET or None, place=place)
    rows = (
        Result.objects.filter(place=place)
        .select_related("status", "consultation", "parent")
        .annotate(n_contributions=Count("contributions", distinct=True))
        .annotate(n_children=Count("children", distinct=True))
        .order_by("title")
    )
    if filters.is_valid():
        data = filters.cleaned_data
        if data["consultation"]:
            rows = rows.filter(consultation=data["consultation"])
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["topic"]:
            rows = rows.filter(domain=data["topic"])
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "participation/staff/results/list.html",
        {
            "place": place,
            "nav": "results",
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "can_manage": can(request.user, "participation.manage", place),
        },
    )


# --- Create and edit ----------------------------------------------------------------------


def _from_contribution(request: HttpRequest, place: Place) -> HttpResponse:
    contribution = get_object_or_404(
        Contribution, place=place, pk=request.POST.get("from_contribution")
    )
    try:
        result = svc.result_from_contribution(request.user, contribution)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("participation:staff-contribution", place.slug, contribution.pk)
    messages.success(request, _("Result created from the contribution. Check it and save."))
    return redirect("participation:staff-result", place.slug, result.pk)


def _accepted_choices(place: Place, result: Result) -> list[tuple[str, str]]:
    """Accepted contributions of the place (published or draft answer) not linked yet."""
    accepted = (
        Contribution.objects.filter(place=place)
        .filter(
            Q(public_state_group=AnswerState.ACCEPTED) | Q(answer__state_group=AnswerState.ACCEPTED)
        )
        .exclude(results=result)
        .order_by("title")
        .values_list("pk", "title")[:200]
    )
    return [(str(pk), title) for pk, title in accepted]


def _service_choices(place: Place, result: Result) -> list[tuple[str, str]]:
    linked = set(result.services.values_list("pk", flat=True))
    services = Service.objects.filter(place=place).order_by("name").values_list("pk", "name")
    return [(str(pk), name) for pk, name in services if pk not in linked]


def _meeting_choices(place: Place, result: Result) -> list[tuple[str, str]]:
    linked = set(result.meetings.values_list("pk", flat=True))
    meetings = Meeting.objects.filter(place=place).order_by("-starts_at")
    return [
        (str(m.pk), f"{m.starts_at:%Y-%m-%d} · {m.title}") for m in meetings if m.pk not in linked
    ]


def _records(model: type, place: Place, ids: list[str]) -> list[Any]:
    """Records of ``place`` with these ids; ids of other places or unknown ones are refused."""
    valid = []
    for raw in ids:
        try:
            valid.append(model._meta.pk.to_python(raw))
        except ValidationError:
            continue
    found = list(model.objects.filter(pk__in=valid))
    unknown = {str(v) for v in valid} - {str(r.pk) for r in found}
    if unknown or len(valid) != len(ids):
        raise ValidationError(_("Not found: %(ids)s") % {"ids": ", ".join(sorted(unknown) or ids)})
    return found


def _act(request: HttpRequest, place: Place, result: Result) -> tuple[bool, dict[str, Any]]:
    """Handle one posted action on an existing result; (done, forms to show again)."""
    action = request.POST.get("action", "save")
    user = request.user
    bound: dict[str, Any] = {}
    if action == "link_contributions":
        form = LinkContributionsForm(request.POST, choices=_accepted_choices(place, result))
        bound["link_form"] = form
        if form.is_valid():
            chosen = _records(Contribution, place, form.chosen_ids())
            if not chosen:
                raise ValidationError(_("Choose or paste at least one contribution."))
            linked = svc.link_contributions(user, result, chosen)
            messages.success(request, _("Linked: %(count)s") % {"count": len(linked)})
            return True, bound
    elif action == "unlink_contribution":
        svc.unlink_contributions(user, result, _records(Contribution, place, [request.POST["id"]]))
        return True, bound
    elif action == "link_services":
        form = LinkForm(
            request.POST,
            choices=_service_choices(place, result),
            label=_("Directory services"),
            prefix="services",
        )
        if form.is_valid():
            svc.link_services(user, result, _records(Service, place, form.cleaned_data["chosen"]))
            return True, bound
    elif action == "unlink_service":
        svc.unlink_services(user, result, _records(Service, place, [request.POST["id"]]))
        return True, bound
    elif action == "link_meetings":
        form = LinkForm(
            request.POST,
            choices=_meeting_choices(place, result),
            label=_("Meetings"),
            prefix="meetings",
        )
        if form.is_valid():
            svc.link_meetings(user, result, _records(Meeting, place, form.cleaned_data["chosen"]))
            return True, bound
    elif action == "unlink_meeting":
        svc.unlink_meetings(user, result, _records(Meeting, place, [request.POST["id"]]))
        return True, bound
    elif action == "add_milestone":
        form = MilestoneForm(request.POST, prefix="milestone")
        bound["milestone_form"] = form
        if form.is_valid():
            svc.add_milestone(user, result, **form.cleaned_data)
            messages.success(request, _("Milestone added."))
            return True, bound
    elif action == "edit_milestone":
        milestone = get_object_or_404(Milestone, result=result, pk=request.POST.get("id"))
        form = MilestoneForm(request.POST, instance=milestone, prefix=str(milestone.pk))
        if form.is_valid():
            svc.update_milestone(
                user, Milestone.objects.get(pk=milestone.pk), None, **form.cleaned_data
            )
            messages.success(request, _("Saved."))
            return True, bound
        raise ValidationError(form.errors)
    elif action == "delete_milestone":
        milestone = get_object_or_404(Milestone, result=result, pk=request.POST.get("id"))
        svc.delete_milestone(user, milestone)
        messages.success(request, _("Milestone removed."))
        return True, bound
    else:
        form = ResultForm(request.POST, place=place, result=result)
        bound["form"] = form
        if form.is_valid():
            try:
                svc.update_result(user, result, form.cleaned_data["version"], **form.values())
            except svc.StaleVersion as exc:
                form.add_error(None, str(exc))
                return False, bound
            except ValidationError as exc:
                _errors_to_form(form, exc)
                return False, bound
            messages.success(request, _("Saved."))
            return True, bound
    return False, bound


def _errors_to_form(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@staff_page("participation.results")
@require_http_methods(["GET", "POST"])
def result_edit(request: HttpRequest, place: Place, pk: Any = None) -> HttpResponse:
    if pk is None:
        return _create(request, place)
    result = get_object_or_404(
        Result.objects.filter(place=place).select_related("status", "parent", "consultation"),
        pk=pk,
    )
    bound: dict[str, Any] = {}
    if request.method == "POST":
        try:
            done, bound = _act(request, place, result)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            done = True
        if done:
            return redirect(request.path)
    return _edit_page(request, place, result, bound)


def _create(request: HttpRequest, place: Place) -> HttpResponse:
    svc.ensure_statuses(place)
    if request.method == "POST" and request.POST.get("from_contribution"):
        return _from_contribution(request, place)
    form = ResultForm(request.POST or None, place=place)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.values().items() if v is not None or k == "progress"}
        try:
            result = svc.create_result(request.user, place, **values)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Result created."))
            return redirect("participation:staff-result", place.slug, result.pk)
    return render(
        request,
        "participation/staff/results/edit.html",
        {"place": place, "nav": "results", "form": form, "result": None},
    )


def _edit_page(
    request: HttpRequest, place: Place, result: Result, bound: dict[str, Any]
) -> HttpResponse:
    children = list(result.children.select_related("status").order_by("title"))
    return render(
        request,
        "participation/staff/results/edit.html",
        {
            "place": place,
            "nav": "results",
            "result": result,
            "form": bound.get("form") or ResultForm(place=place, result=result),
            "computed": result.progress_mode != ProgressMode.MANUAL and bool(children),
            "children": children,
            "contributions": list(
                result.contributions.select_related("consultation").order_by("-created_at")
            ),
            "services": list(result.services.select_related("organization").order_by("name")),
            "meetings": list(result.meetings.order_by("-starts_at")),
            "milestones": [
                {"m": m, "form": MilestoneForm(instance=m, prefix=str(m.pk))}
                for m in result.milestones.all()
            ],
            "link_form": bound.get("link_form")
            or LinkContributionsForm(choices=_accepted_choices(place, result)),
            "service_form": LinkForm(
                choices=_service_choices(place, result),
                label=_("Directory services"),
                prefix="services",
            ),
            "meeting_form": LinkForm(
                choices=_meeting_choices(place, result), label=_("Meetings"), prefix="meetings"
            ),
            "milestone_form": bound.get("milestone_form") or MilestoneForm(prefix="milestone"),
        },
    )


# --- Statuses -----------------------------------------------------------------------------


@staff_page("participation.manage")
@require_http_methods(["GET", "POST"])
def statuses(request: HttpRequest, place: Place) -> HttpResponse:
    svc.ensure_statuses(place)
    new_form = StatusForm(prefix="new")
    rows = list(ResultStatus.objects.filter(place=place).annotate(n_results=Count("results")))
    forms_by_id = {str(s.pk): StatusForm(instance=s, prefix=str(s.pk)) for s in rows}
    if request.method == "POST":
        target = request.POST.get("status", "")
        try:
            if target == "new":
                new_form = StatusForm(request.POST, prefix="new")
                if new_form.is_valid():
                    svc.create_status(request.user, place, **_status_values(new_form))
                    messages.success(request, _("Status added."))
                    return redirect(request.path)
            elif target in forms_by_id:
                status = next(s for s in rows if str(s.pk) == target)
                if request.POST.get("delete"):
                    svc.delete_status(request.user, status)
                    messages.success(request, _("Status removed."))
                    return redirect(request.path)
                form = StatusForm(request.POST, instance=status, prefix=target)
                forms_by_id[target] = form
                if form.is_valid():
                    svc.update_status(
                        request.user,
                        ResultStatus.objects.get(pk=status.pk),
                        form.cleaned_data.get("version"),
                        **_status_values(form),
                    )
                    messages.success(request, _("Saved."))
                    return redirect(request.path)
        except svc.StaleVersion as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            form = new_form if target == "new" else forms_by_id[target]
            _errors_to_form(form, exc)
    return render(
        request,
        "participation/staff/results/statuses.html",
        {
            "place": place,
            "nav": "results",
            "rows": [(s, forms_by_id[str(s.pk)]) for s in rows],
            "new_form": new_form,
        },
    )


def _status_values(form: StatusForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in ("key", "name", "progress", "position")}
