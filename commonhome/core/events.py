"""A small in-process event bus. Services emit; other apps subscribe in ``AppConfig.ready``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction

Handler = Callable[..., None]
_handlers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(name: str, handler: Handler) -> None:
    if handler not in _handlers[name]:
        _handlers[name].append(handler)


def emit(name: str, **payload: Any) -> None:
    """Run handlers of ``name`` once the surrounding transaction commits."""

    def run() -> None:
        for handler in list(_handlers[name]):
            handler(**payload)

    transaction.on_commit(run)
