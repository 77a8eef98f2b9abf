"""Keeps derived data (search entries, opening slots) in step with audited changes."""

from __future__ import annotations

from typing import Any

from commonhome.core import events

from .models import Organization, Service


def _reindex(record: Any, **_: Any) -> None:
    from .services import index_services

    if isinstance(record, Service):
        index_services([record.pk])
    elif isinstance(record, Organization):
        index_services(list(record.services.values_list("pk", flat=True)))


events.subscribe("record.changed", _reindex)
