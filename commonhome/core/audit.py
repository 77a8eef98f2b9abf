"""The one audit writer, and revert."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from . import events
from .models import AuditEntry, Place


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON-able values of ``fields`` of ``obj`` (foreign keys by id)."""
    result: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        result[name] = _jsonable(getattr(obj, attname))
    return result


def actor_label(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "anonymous"
    return str(actor.get_username())


def record(
    actor: Any,
    action: str,
    obj: models.Model | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    place: Place | None = None,
    note: str = "",
    reverts: AuditEntry | None = None,
) -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_label=actor_label(actor),
        place=place if place is not None else getattr(obj, "place", None),
        action=action,
        content_type=ContentType.objects.get_for_model(type(obj)) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        before={k: _jsonable(v) for k, v in (before or {}).items()},
        after={k: _jsonable(v) for k, v in (after or {}).items()},
        note=note,
        reverts=reverts,
    )


class RevertError(Exception):
    pass


@transaction.atomic
def revert(entry: AuditEntry, actor: Any) -> AuditEntry:
    """Put back the values ``entry`` changed, as a new audited change.

    Refused when a field was changed again since: reverting would silently discard that edit.
    """
    if entry.content_type is None or not entry.before:
        raise RevertError("this change cannot be reverted: it recorded no previous values")
    model = entry.content_type.model_class()
    assert model is not None
    obj = model._default_manager.select_for_update().get(pk=entry.object_id)
    fields = entry.changed_fields
    current = snapshot(obj, fields)
    drifted = [f for f in fields if current.get(f) != entry.after.get(f)]
    if drifted:
        raise RevertError(
            "changed again since; revert the later change first: " + ", ".join(drifted)
        )
    for name in fields:
        field = obj._meta.get_field(name)
        setattr(obj, getattr(field, "attname", name), field.to_python(entry.before.get(name)))
    if hasattr(obj, "version"):
        obj.version += 1
    obj.save()
    new = record(
        actor,
        "revert",
        obj,
        before=current,
        after=snapshot(obj, fields),
        place=entry.place,
        reverts=entry,
    )
    events.emit("record.changed", record=obj)
    return new
