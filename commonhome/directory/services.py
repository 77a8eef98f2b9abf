"""Every change of directory state goes through a function here.

Each one checks permission, validates, writes the audit log and emits an event; views, the API
and the CLI only call these.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commonhome.core import audit, events, search
from commonhome.core.hours import weekly_intervals
from commonhome.core.models import Place
from commonhome.core.permissions import require
from commonhome.core.places import bump_content_generation
from commonhome.core.records import StaleVersion

from .models import OpeningSlot, Organization, Service

Record = TypeVar("Record", Service, Organization)

SERVICE_EDITABLE = (
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "status",
    "interpretation_services",
    "application_process",
    "fees_description",
    "is_free",
    "wait_time",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "accessibility_description",
    "alert",
    "by_appointment",
)
ORGANIZATION_EDITABLE = (
    "name",
    "alternate_name",
    "description",
    "email",
    "website",
    "kind",
    "migrant_led",
    "legal_status",
    "year_incorporated",
)


def editable_fields(record: Service | Organization) -> tuple[str, ...]:
    return SERVICE_EDITABLE if isinstance(record, Service) else ORGANIZATION_EDITABLE


@transaction.atomic
def update_record(
    actor: Any,
    record: Record,
    changes: Mapping[str, Any],
    *,
    base_version: int,
    minor: bool = False,
    note: str = "",
    action: str = "update",
    check_permission: bool = True,
) -> Record:
    """Apply ``changes`` to ``record`` if nobody saved it since ``base_version``.

    A change to a translatable text makes translations outdated unless ``minor`` is set
    (a typo fix, say). Raises :class:`StaleVersion` or ``ValidationError`` (by field); on
    either, nothing is written.
    """
    if check_permission:
        require(actor, "directory.edit", record)
    allowed = set(editable_fields(record))
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationError({name: "This field cannot be edited here." for name in unknown})
    locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
    if locked.version != base_version:
        raise StaleVersion(locked, base_version)
    fields = [name for name in changes if getattr(locked, name) != changes[name]]
    before = audit.snapshot(locked, fields)
    for name in fields:
        setattr(locked, name, changes[name])
    locked.full_clean(exclude=[f.name for f in locked._meta.fields if f.name not in fields])
    if not fields:
        return locked
    texts_changed = any(name in locked.translatable_fields for name in fields)
    if texts_changed and not minor:
        locked.content_version += 1
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save()
    audit.record(
        actor,
        action,
        locked,
        before=before,
        after=audit.snapshot(locked, fields),
        note=note + (" (minor edit)" if minor and texts_changed else ""),
    )
    events.emit("record.changed", record=locked)
    return locked


@transaction.atomic
def mark_verified(actor: Any, record: Record) -> Record:
    """Record that someone checked this record is still right today."""
    require(actor, "directory.edit", record)
    before = audit.snapshot(record, ["last_verified"])
    record.last_verified = timezone.localdate()
    type(record)._default_manager.filter(pk=record.pk).update(last_verified=record.last_verified)
    bump_content_generation(Place.objects.filter(pk=record.place_id))
    audit.record(
        actor, "verify", record, before=before, after={"last_verified": record.last_verified}
    )
    return record


# --- Derived data -------------------------------------------------------------------------


def rebuild_opening_slots(service_ids: Iterable[UUID]) -> None:
    """Recompute the indexed weekly slots of services from their schedules."""
    ids = list(service_ids)
    services = Service.objects.filter(pk__in=ids).prefetch_related("schedules")
    OpeningSlot.objects.filter(service_id__in=ids).delete()
    slots: list[OpeningSlot] = []
    for service in services:
        for schedule in service.schedules.all():
            if not (schedule.byday and schedule.opens_at and schedule.closes_at):
                continue
            if schedule.freq and schedule.freq.upper() != "WEEKLY":
                continue
            for interval in weekly_intervals(schedule.byday, schedule.opens_at, schedule.closes_at):
                slots.append(
                    OpeningSlot(
                        service=service,
                        weekday=interval.weekday,
                        opens=interval.opens,
                        closes=interval.closes,
                    )
                )
    OpeningSlot.objects.bulk_create(slots, batch_size=2000)


def service_documents(services: Iterable[Service]) -> list[search.Document]:
    """One search document per service and language: its texts, its organisation, its domains."""
    docs: list[search.Document] = []
    for service in services:
        org = service.organization
        extra = [org.name, org.alternate_name]
        extra += [term.name for term in service.domains.all()]
        extra += [lang.code for lang in service.languages.all()]
        base = [v for v in service.source_texts().values() if v]
        docs.append(
            search.Document(
                "service",
                service.pk,
                service.place_id,
                service.source_language,
                " ".join(base + extra),
            )
        )
        for tr in service.translations.all():
            texts = [v for v in (tr.fields or {}).values() if v]
            docs.append(
                search.Document(
                    "service", service.pk, service.place_id, tr.language, " ".join(texts + extra)
                )
            )
    return docs


def index_services(service_ids: Iterable[UUID]) -> None:
    ids = list(service_ids)
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        services = (
            Service.objects.filter(pk__in=chunk)
            .select_related("organization")
            .prefetch_related("domains", "languages", "translations")
        )
        search.index(service_documents(services))
