"""``commonhome demo``: migrate, load the West Midlands demo, then serve it."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from commonhome.demo.load import load_westmidlands

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


class Command(BaseCommand):
    help = "Migrate the database, load the West Midlands demo content and serve the platform."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--load-only", action="store_true", help="Load the demo content without serving."
        )
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, load_only: bool, port: int, host: str, **options: Any) -> None:
        if "COMMONHOME_EMAIL_BACKEND" not in os.environ:
            # Demo people have example.org addresses: what they would be sent goes to files
            # to read, not to the terminal. The server inherits the choice.
            os.environ["COMMONHOME_EMAIL_BACKEND"] = FILE_BACKEND
            settings.EMAIL_BACKEND = FILE_BACKEND
        call_command("migrate", interactive=False, verbosity=0)
        result = load_westmidlands()
        counts = result.counts
        self.stdout.write(
            f"Demo loaded: region '{result.region.slug}' with "
            f"{', '.join(p.name for p in result.cities.values())}; "
            f"{counts['organization']} organisations, {counts['service']} services, "
            f"{counts['translation']} translations, {counts['changerequest']} pending changes."
        )
        if counts.get("contribution"):
            self.stdout.write(
                f"Participation in Coventry: {counts['consultation']} consultations, "
                f"{counts['contribution']} contributions, {counts['result']} results, "
                f"{counts['body']} consultative body with {counts['meeting']} meetings "
                f"(/en/participate/coventry/)."
            )
        self.stdout.write("Demo accounts (the password is new on every load):")
        for username, role in result.accounts.items():
            self.stdout.write(f"  {username:<16} {role}")
        self.stdout.write(f"  password: {result.password}")
        if result.links:
            self.stdout.write("Private pages of demo people in matching (new links on every load):")
            for label, path in result.links.items():
                self.stdout.write(f"  {label}\n    {path}")
        if settings.EMAIL_BACKEND == FILE_BACKEND:
            self.stdout.write(f"E-mails sent are written to {settings.EMAIL_FILE_PATH}")
        if not load_only:
            call_command("serve", port=port, host=host)
