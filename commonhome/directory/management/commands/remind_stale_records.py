"""Queue the freshness reminders; run daily from cron or a scheduler."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonhome.core.models import Place
from commonhome.directory.tasks import remind_stale_records


class Command(BaseCommand):
    help = "E-mail editors the records not verified for longer than their place allows."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--place", default="", help="slug of one place (default: all)")

    def handle(self, *args: Any, place: str, **options: Any) -> None:
        place_id = None
        if place:
            found = Place.objects.filter(slug=place).values_list("pk", flat=True).first()
            if found is None:
                raise CommandError(f"--place: no place '{place}'")
            place_id = str(found)
        result = remind_stale_records.enqueue(place_id)
        self.stdout.write(f"reminders queued ({result.id})")
