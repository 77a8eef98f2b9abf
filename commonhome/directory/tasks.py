"""Background work of the directory: e-mails to suggesters and freshness reminders.

Tasks take plain, JSON-able arguments (ids), since a worker may run them in another process.
"""

from __future__ import annotations

from commonhome.core.models import Place
from commonhome.core.tasks import task


@task()
def notify_suggester(change_request_id: str) -> bool:
    """Tell the person who suggested a change what was decided. False when no e-mail was left."""
    from .changes import send_outcome_email
    from .models import ChangeRequest

    change = ChangeRequest.objects.select_related(
        "place", "service", "organization", "decided_by"
    ).get(pk=change_request_id)
    return send_outcome_email(change)


@task()
def remind_stale_records(place_id: str | None = None) -> int:
    """E-mail editors (or moderators) their records that need checking; returns e-mails sent."""
    from .freshness import remind_place

    places = Place.objects.all()
    if place_id is not None:
        places = places.filter(pk=place_id)
    return sum(remind_place(place) for place in places)
