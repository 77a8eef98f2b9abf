"""``commonhome export-hsds --place SLUG PATH``: export a place's directory as HSDS 3.0."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from commonhome.core.models import Place
from commonhome.directory.hsds.exporter import export_path


class Command(BaseCommand):
    help = (
        "Export a place's directory as HSDS 3.0: a JSON bundle when PATH ends in .json, "
        "otherwise a directory with datapackage.json and one CSV file per HSDS table."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--place", required=True, help="slug of the place to export")
        parser.add_argument("--format", choices=["json", "csv"], dest="fmt")

    def handle(self, *args: Any, **options: Any) -> None:
        place = Place.objects.filter(slug=options["place"]).first()
        if place is None:
            raise CommandError(f"no place with the slug '{options['place']}'")
        written = export_path(
            None, place, options["path"], fmt=options["fmt"], check_permission=False
        )
        self.stdout.write(f"Exported {place.slug} to {options['path']} ({len(written)} files)")
