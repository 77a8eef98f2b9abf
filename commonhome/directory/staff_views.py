"""Staff pages: review queue, direct edits, translation status, freshness, audit log.

Views stay thin: they load what the page shows (the query sets say what they fetch), check
permission through the one permission module and call services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commonhome.core import audit
from commonhome.core.constants import Role, TranslationStatus
from commonhome.core.models import AuditEntry, Place, Translation
from commonhome.core.permissions import can, require
from commonhome.core.translation import STATUS_FIELDS, status_of
from commonhome.web.staff import staff_page as web_staff_page

from . import changes, freshness, services
from .constants import ChangeStatus
from .forms import AmendForm, EditForm, RejectForm
from .models import ChangeRequest, Organization, Service
from .tasks import remind_stale_records

View = Callable[..., HttpResponse]


def staff_page(action: str = "directory.staff_pages") -> Callable[[View], View]:
    return web_staff_page(action)


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    place = context.get("place")
    context["is_staff_page"] = place is not None and can(
        request.user, "directory.staff_pages", place
    )
    return render(request, template, context, status=status)


def display(model: type, name: str, value: Any) -> Any:
    """A value as people read it: the label of a choice, not its key."""
    field = model._meta.get_field(name)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value


# --- Home ---------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    places = Place.objects.order_by("name")
    if not user.is_superuser:
        places = places.filter(
            memberships__user=user, memberships__role__in=[Role.ADMIN, Role.MODERATOR]
        ).distinct()
    places = list(places)
    organizations = list(user.edited_organizations.select_related("place").order_by("name"))
    if not places and not organizations:
        raise PermissionDenied("directory.staff_pages")
    pending = dict(
        ChangeRequest.objects.filter(place__in=places, status=ChangeStatus.PENDING)
        .values_list("place")
        .annotate(n=Count("id"))
        .values_list("place", "n")
    )
    rows = [(place, pending.get(place.pk, 0)) for place in places]
    return _render(
        request, "directory/staff/home.html", {"rows": rows, "organizations": organizations}
    )


# --- Review -------------------------------------------------------------------------------


@staff_page("directory.review")
def review_queue(request: HttpRequest, place: Place) -> HttpResponse:
    pending = ChangeRequest.objects.filter(place=place, status=ChangeStatus.PENDING).select_related(
        "service", "organization"
    )
    decided = (
        ChangeRequest.objects.filter(place=place)
        .exclude(status=ChangeStatus.PENDING)
        .select_related("service", "organization", "decided_by")
        .order_by("-decided_at")[:20]
    )
    return _render(
        request,
        "directory/staff/review_queue.html",
        {"place": place, "pending": list(pending), "decided": list(decided)},
    )


def _diff_rows(change: ChangeRequest) -> list[dict[str, Any]]:
    record = change.target
    model = type(record)
    return [
        {
            "change": fc,
            "seen": display(model, fc.name, fc.seen),
            "current": display(model, fc.name, fc.current),
            "proposed": display(model, fc.name, fc.proposed),
        }
        for fc in changes.field_changes(change)
    ]


@staff_page("directory.review")
@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, place: Place, pk: str) -> HttpResponse:
    change = get_object_or_404(
        ChangeRequest.objects.select_related("service__organization", "organization", "decided_by"),
        place=place,
        pk=pk,
    )
    record = change.target
    if record is None:
        raise Http404
    amend_form = AmendForm(record=record, proposed=change.proposed)
    reject_form = RejectForm()
    queue = reverse("directory:staff-review", args=[place.slug])
    if request.method == "POST" and change.status == ChangeStatus.PENDING:
        decision = request.POST.get("decision")
        try:
            if decision == "accept":
                changes.accept(request.user, change)
                messages.success(request, _("Suggestion accepted and applied."))
                return redirect(queue)
            if decision == "amend":
                amend_form = AmendForm(request.POST, record=record, proposed=change.proposed)
                if amend_form.is_valid():
                    changes.amend(
                        request.user,
                        change,
                        amend_form.record_values(),
                        base_version=amend_form.cleaned_data["version"],
                        reason=amend_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("Suggestion applied with your changes."))
                    return redirect(queue)
            elif decision == "reject":
                reject_form = RejectForm(request.POST)
                if reject_form.is_valid():
                    changes.reject(request.user, change, reject_form.cleaned_data["reason"])
                    messages.success(request, _("Suggestion rejected."))
                    return redirect(queue)
        except changes.ChangedSince as exc:
            messages.error(
                request,
                _(
                    "Someone changed these fields since the suggestion was made: %(fields)s. "
                    "Nothing was applied. Amend the suggestion below to choose the values."
                )
                % {"fields": ", ".join(exc.fields)},
            )
        except services.StaleVersion as exc:
            record = exc.record
            messages.error(request, _("Nothing was saved: %(reason)s") % {"reason": exc})
            data = request.POST.copy()
            data["version"] = str(record.version)
            amend_form = AmendForm(data, record=record, proposed=change.proposed)
        except changes.AlreadyDecided as exc:
            messages.error(request, str(exc))
            return redirect(queue)
        except ValidationError as exc:
            form = amend_form if decision == "amend" else reject_form
            form.add_error(None, exc)
        change.refresh_from_db()
        record.refresh_from_db()
    rows = _diff_rows(change)
    return _render(
        request,
        "directory/staff/review_detail.html",
        {
            "place": place,
            "change": change,
            "record": record,
            "rows": rows,
            "drifted": any(row["change"].changed_since for row in rows),
            "changed_since": changes.changes_since(record, change.base_version),
            "amend_form": amend_form,
            "reject_form": reject_form,
            "is_service": isinstance(record, Service),
        },
    )


# --- Direct edits -------------------------------------------------------------------------


def _edit(request: HttpRequest, place: Place, record: Service | Organization) -> HttpResponse:
    require(request.user, "directory.edit", record)
    conflict: list[AuditEntry] | None = None
    changed_names: set[str] = set()
    if request.method == "POST" and "verify" in request.POST:
        services.mark_verified(request.user, record)
        messages.success(request, _("Marked as verified today."))
        return redirect(request.path)
    if request.method == "POST":
        form = EditForm(request.POST, record=record)
        if form.is_valid():
            base_version = form.cleaned_data["version"]
            try:
                services.update_record(
                    request.user,
                    record,
                    form.record_values(),
                    base_version=base_version,
                    minor=form.cleaned_data["minor"],
                )
            except services.StaleVersion as exc:
                record = exc.record
                conflict = changes.changes_since(record, base_version)
                for entry in conflict:
                    changed_names.update(entry.changed_fields)
                # Keep the person's input; the next save is made against what they now see.
                data = request.POST.copy()
                data["version"] = str(record.version)
                form = EditForm(data, record=record)
                form.is_valid()
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(request.path)
    else:
        form = EditForm(record=record)
    model = type(record)
    rows = [
        {
            "field": bf,
            "current": display(model, bf.name, getattr(record, bf.name)),
            "changed": bf.name in changed_names,
        }
        for bf in form.record_fields()
    ]
    return _render(
        request,
        "directory/staff/edit.html",
        {
            "place": place,
            "record": record,
            "form": form,
            "rows": rows,
            "conflict": conflict,
            "is_service": isinstance(record, Service),
            "is_staff": can(request.user, "directory.staff_pages", place),
            "stale": freshness.is_stale(record, place),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_service(request: HttpRequest, place_slug: str, pk: str) -> HttpResponse:
    place = get_object_or_404(Place, slug=place_slug)
    service = get_object_or_404(
        Service.objects.filter(place=place).select_related("organization"), pk=pk
    )
    return _edit(request, place, service)


@login_required
@require_http_methods(["GET", "POST"])
def edit_organisation(request: HttpRequest, place_slug: str, pk: str) -> HttpResponse:
    place = get_object_or_404(Place, slug=place_slug)
    organization = get_object_or_404(Organization.objects.filter(place=place), pk=pk)
    return _edit(request, place, organization)


# --- Translation status -------------------------------------------------------------------

STATUS_COLUMNS = [
    TranslationStatus.MISSING,
    TranslationStatus.OUTDATED,
    TranslationStatus.MACHINE,
    TranslationStatus.HUMAN,
    TranslationStatus.REVIEWED,
]


def _with_translations(model: type) -> Any:
    return model.objects.only("id", "name", "source_language", "content_version").prefetch_related(
        Prefetch(
            "translations",
            queryset=Translation.objects.only("id", "content_type_id", "object_id", *STATUS_FIELDS),
        )
    )


@staff_page()
def translations(request: HttpRequest, place: Place) -> HttpResponse:
    kinds = {
        "service": list(_with_translations(Service).filter(place=place).order_by("name")),
        "organisation": list(_with_translations(Organization).filter(place=place).order_by("name")),
    }
    table = []
    listing: list[Any] = []
    chosen = (
        request.GET.get("language"),
        request.GET.get("kind"),
        request.GET.get("status"),
    )
    for language in place.content_languages:
        row: dict[str, Any] = {"language": language, "kinds": []}
        for kind, records in kinds.items():
            counts = dict.fromkeys(STATUS_COLUMNS, 0)
            original = 0
            for record in records:
                status = status_of(record, language)
                if status == TranslationStatus.SOURCE:
                    original += 1
                else:
                    counts[status] += 1
                if chosen == (language, kind, status):
                    listing.append(record)
            row["kinds"].append(
                {
                    "kind": kind,
                    "original": original,
                    "cells": [(status, counts[status]) for status in STATUS_COLUMNS],
                }
            )
        table.append(row)
    return _render(
        request,
        "directory/staff/translations.html",
        {
            "place": place,
            "table": table,
            "columns": STATUS_COLUMNS,
            "listing": listing,
            "chosen": chosen,
            "chosen_label": dict(TranslationStatus.choices).get(chosen[2] or "", ""),
        },
    )


# --- Freshness ----------------------------------------------------------------------------


@staff_page()
@require_http_methods(["GET", "POST"])
def freshness_overview(request: HttpRequest, place: Place) -> HttpResponse:
    if request.method == "POST":
        require(request.user, "place.moderate", place)
        remind_stale_records.enqueue(str(place.pk))
        messages.success(request, _("Reminders are being sent to editors and moderators."))
        return redirect(request.path)
    return _render(
        request,
        "directory/staff/freshness.html",
        {"place": place, "overview": freshness.overview(place)},
    )


# --- Audit log ----------------------------------------------------------------------------


@staff_page("audit.view")
@require_http_methods(["GET", "POST"])
def audit_log(request: HttpRequest, place: Place) -> HttpResponse:
    if request.method == "POST":
        require(request.user, "audit.revert", place)
        entry = get_object_or_404(AuditEntry, place=place, pk=request.POST.get("entry"))
        try:
            audit.revert(entry, request.user)
        except (audit.RevertError, ObjectDoesNotExist) as exc:
            messages.error(request, _("Not reverted: %(reason)s") % {"reason": exc})
        else:
            messages.success(request, _("Reverted: %(entry)s") % {"entry": entry.object_repr})
        return redirect(request.get_full_path())
    entries = AuditEntry.objects.filter(place=place).select_related("content_type")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return _render(request, "directory/staff/audit.html", {"place": place, "page": page})
