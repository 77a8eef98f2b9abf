"""``commonhome import-hsds PATH --place SLUG``: import Open Referral HSDS data into a place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from commonhome.core.models import Place
from commonhome.directory.hsds.importer import InvalidData, import_path


class Command(BaseCommand):
    help = (
        "Import HSDS 3.0 data: a JSON file (an object, a list, a page, the tabular form or a "
        "bundle of lists) or a directory of HSDS CSV files. Nothing is written if any row is "
        "invalid."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--place", required=True, help="slug of the place to import into")
        parser.add_argument("--language", help="language of the texts (default: the place's)")
        parser.add_argument(
            "--lenient",
            action="store_true",
            help="keep references to records missing from the data, with a warning",
        )
        parser.add_argument("--user", help="username the import is recorded under")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"{path}: no such file or directory")
        place = Place.objects.filter(slug=options["place"]).first()
        if place is None:
            raise CommandError(f"no place with the slug '{options['place']}'")
        actor = None
        if options.get("user"):
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"no user '{options['user']}'")
        try:
            report = import_path(
                actor,
                place,
                path,
                language=options.get("language"),
                lenient=options["lenient"],
                check_permission=actor is not None,
            )
        except InvalidData as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(exc.problems)} problem(s) found in {path.name}; nothing was imported"
            ) from None
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(
            f"Imported into {place.slug} in {report.seconds:.1f} s: {report.summary()}"
        )
