"""Create a place (city, region or network) from the command line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonhome.core.constants import PlaceKind
from commonhome.core.places import PlaceInput, create_place


class Command(BaseCommand):
    help = "Create a city, region or network that owns content."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("name")
        parser.add_argument("--kind", choices=PlaceKind.values, default=PlaceKind.CITY)
        parser.add_argument("--languages", default="en", help="content languages, e.g. en,ar,fa")
        parser.add_argument("--timezone", default="Europe/London")
        parser.add_argument("--center", default="0,0", help="map centre as LAT,LON")
        parser.add_argument("--parent", default="", help="slug of the region or network")

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            lat, lon = (float(x) for x in o["center"].split(","))
        except ValueError as exc:
            raise CommandError(
                f"--center: expected LAT,LON such as 52.41,-1.51, got {o['center']!r}"
            ) from exc
        langs = [code.strip() for code in o["languages"].split(",") if code.strip()]
        try:
            place = create_place(
                PlaceInput(
                    slug=o["slug"],
                    name=o["name"],
                    kind=o["kind"],
                    languages=langs,
                    timezone=o["timezone"],
                    center_lat=lat,
                    center_lon=lon,
                    parent_slug=o["parent"],
                )
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"created {place.kind} '{place.slug}': {place.name}"))
