"""Queue the daily matching round; run it once a day from cron or a scheduler."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonhome.matching.tasks import daily_round


class Command(BaseCommand):
    help = (
        "Expire unanswered proposals and send reminders, then propose new matches in every "
        "open programme."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = daily_round.enqueue()
        self.stdout.write(f"matching round queued ({result.id})")
