"""Background work of matching: the daily round, and runs a coordinator asks for.

Tasks take plain, JSON-able arguments (ids), since a worker may run them in another process.
"""

from __future__ import annotations

import logging
from typing import Any

from commonhome.core.tasks import task

log = logging.getLogger("commonhome.matching")


@task()
def daily_round(now: str | None = None) -> dict[str, Any]:
    """Expire and remind, then run matching for every open programme.

    Expiry first, so the people whose proposals lapsed are back in the pool (or paused) before
    the run. One programme failing does not stop the others. ``now`` (ISO 8601) is for tests.
    """
    import datetime as dt

    from .models import Programme
    from .runner import run_matching
    from .services import expire_and_remind

    moment = dt.datetime.fromisoformat(now) if now else None
    counts = expire_and_remind(moment)
    runs: dict[str, int] = {}
    for programme in Programme.objects.filter(is_open=True).order_by("pk"):
        try:
            run = run_matching(programme, now=moment)
        except Exception:  # noqa: BLE001 - one broken programme must not stop the others
            log.exception("matching run of programme %s failed", programme.pk)
            continue
        runs[str(programme.pk)] = int(run.stats.get("matched", 0))
    return {**counts, "runs": runs}


@task()
def run_programme(
    programme_id: str, method: str = "flow", requested_by: int | None = None
) -> dict[str, Any]:
    """One programme's run, on a coordinator's request; returns the run's figures."""
    from commonhome.core.models import User

    from .models import Programme
    from .runner import run_matching

    programme = Programme.objects.get(pk=programme_id)
    actor = User.objects.filter(pk=requested_by).first() if requested_by is not None else None
    run = run_matching(programme, method=method, requested_by=actor)
    return {"run": str(run.pk), **run.stats}


@task()
def send_matching_email(profile_id: str, kind: str, proposal_id: str = "") -> bool:
    """One e-mail about a proposal (or a new link); False when the person must not get it."""
    from .notifications import send

    return send(profile_id, kind, proposal_id or None)


@task()
def send_run_emails(run_id: str) -> int:
    """The e-mails of one run's new proposals; returns how many were sent."""
    from .notifications import send_run

    return send_run(run_id)
