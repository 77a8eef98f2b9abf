"""Editing a versioned record: lock, check the version, change, audit, announce.

Every translatable record carries ``version`` (grows with each save) and ``content_version``
(grows when a translatable text changes, so translations made before are outdated). Saving
from a stale version is refused, so concurrent edits never silently overwrite each other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from . import audit, events


class StaleVersion(Exception):
    """Someone saved the record after the version this edit started from."""

    def __init__(self, record: Any, base_version: int) -> None:
        self.record = record
        self.base_version = base_version
        super().__init__(
            f"'{record}' was changed by someone else since you opened it "
            f"(you edited version {base_version}, it is now version {record.version}). "
            "Nothing was saved: reload to see their change, then make yours again."
        )


def update_versioned(
    actor: Any,
    record: models.Model,
    expected_version: int | None,
    fields: dict[str, Any],
    *,
    action: str,
    validate: Callable[[Any], None] | None = None,
    place: Any = None,
) -> Any:
    """Change ``fields`` of a locked copy of ``record`` and return it.

    Refuses a stale ``expected_version`` (None skips the check); ``validate`` sees the changed
    copy before it is saved. Nothing is written when no value differs.
    """
    with transaction.atomic():
        locked: Any = type(record)._default_manager.select_for_update().get(pk=record.pk)
        if expected_version is not None and locked.version != expected_version:
            raise StaleVersion(locked, expected_version)
        names = [name for name in fields if getattr(locked, name) != fields[name]]
        if not names:
            return locked
        before = audit.snapshot(locked, names)
        for name in names:
            setattr(locked, name, fields[name])
        if validate is not None:
            validate(locked)
        if any(name in getattr(locked, "translatable_fields", ()) for name in names):
            locked.content_version += 1
        locked.version += 1
        if hasattr(locked, "updated_at"):
            locked.updated_at = timezone.now()
        locked.save()
        audit.record(
            actor, action, locked, before=before, after=audit.snapshot(locked, names), place=place
        )
        events.emit("record.changed", record=locked)
        return locked
