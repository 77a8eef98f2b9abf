"""The ``commonhome`` command.

``commonhome demo``, ``serve``, ``createplace``, ``import-hsds``, ``export-hsds``, ``bench`` and
every other Django management command (``commonhome migrate`` …); dashes in names are the
underscores of the management command.
"""

from __future__ import annotations

import os
import sys

USAGE = """usage: commonhome COMMAND [options]

commands:
  demo [--load-only] [--port N]   migrate, load the West Midlands demo, serve it
  serve [--port N] [--host H]     serve the platform (127.0.0.1:8000 by default)
  createplace SLUG NAME ...       create a city, region or network
  import-hsds PATH --place SLUG   import Open Referral HSDS JSON or a CSV data package
  export-hsds --place SLUG PATH   export a place's directory as HSDS JSON or CSV
  bench directory [--services N]  measure the directory at scale
  help                            this text; 'commonhome help COMMAND' for one command
Any other Django management command works too (migrate, createsuperuser, ...).
Environment: COMMONHOME_DATA_DIR (default ./var) holds SQLite data; DATABASE_URL selects PostgreSQL.
"""


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonhome.settings")
    if not args or args[0] in {"-h", "--help"}:
        sys.stdout.write(USAGE)
        return
    from django.conf import settings

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    from django.core.management import execute_from_command_line

    command = args[0].replace("-", "_")
    execute_from_command_line(["commonhome", command, *args[1:]])


if __name__ == "__main__":
    main()
