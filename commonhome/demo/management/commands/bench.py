"""``commonhome bench directory|participation|matching``: synthetic data at scale in a scratch
database, then figures.

The command starts itself again in a fresh process pointed at a scratch database (a temporary
SQLite file, or a ``<name>_bench`` PostgreSQL database when ``DATABASE_URL`` is set), so the
configured database and its content are never touched.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

TARGETS = ["directory", "participation", "matching"]


class Command(BaseCommand):
    help = "Build synthetic data in a scratch database and measure the platform's budgets."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", choices=TARGETS)
        parser.add_argument("--services", type=int, default=100_000)
        parser.add_argument("--places", type=int, default=20)
        parser.add_argument(
            "--contributions", type=int, default=10_000, help="participation: trail size"
        )
        parser.add_argument("--queries", type=int, default=200, help="timed requests per figure")
        parser.add_argument("--seekers", type=int, default=20_000, help="matching: newcomers")
        parser.add_argument(
            "--offerers", type=int, default=8_000, help="matching: volunteers (capacity 1-3)"
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--keep", action="store_true", help="keep the scratch database afterwards"
        )
        # Set by the command itself for the process that runs inside the scratch database.
        parser.add_argument(
            "--inside-scratch-database", action="store_true", help=argparse.SUPPRESS
        )

    def handle(self, *args: Any, **options: Any) -> None:
        numbers = ("services", "places", "queries", "contributions", "seekers", "offerers")
        if min(options[k] for k in numbers) < 1:
            raise CommandError(
                "--services, --places, --contributions, --queries, --seekers and --offerers "
                "must be at least 1"
            )
        if options["inside_scratch_database"]:
            if options["target"] == "participation":
                self._bench_participation(options)
            elif options["target"] == "matching":
                self._bench_matching(options)
            else:
                self._bench_directory(options)
        else:
            self._in_scratch_database(options)

    def _in_scratch_database(self, options: dict[str, Any]) -> None:
        from commonhome.demo.scratch import scratch_environment

        argv = [
            sys.executable,
            "-m",
            "commonhome.cli",
            "bench",
            options["target"],
            "--services",
            str(options["services"]),
            "--places",
            str(options["places"]),
            "--contributions",
            str(options["contributions"]),
            "--queries",
            str(options["queries"]),
            "--seekers",
            str(options["seekers"]),
            "--offerers",
            str(options["offerers"]),
            "--seed",
            str(options["seed"]),
            "--inside-scratch-database",
        ]
        with scratch_environment(keep=options["keep"]) as (env, where):
            self.stdout.write(f"scratch database: {where}")
            with subprocess.Popen(
                argv, env=env, stdout=subprocess.PIPE, text=True, encoding="utf-8"
            ) as child:
                assert child.stdout is not None
                for line in child.stdout:
                    self.stdout.write(line.rstrip("\n"))
            if child.returncode != 0:
                raise CommandError(f"the benchmark failed (exit status {child.returncode})")

    def _bench_directory(self, options: dict[str, Any]) -> None:
        from commonhome.demo.synthetic import generate
        from commonhome.directory.bench import run

        def out(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        out(f"generating {options['services']} services in {options['places']} places")
        generated = generate(
            options["services"], options["places"], seed=options["seed"], progress=out
        )
        out(f"generated in {time.perf_counter() - started:.1f} s")
        # A bulk load leaves the planner without statistics; a running database gathers them
        # on its own (autovacuum), so measure as it would be, not as right after the load.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        first = generated[0]
        figures = run(
            first.place,
            first.services,
            [g.place for g in generated],
            services=options["services"],
            queries=options["queries"],
            out=out,
        )
        out(figures.summary())

    def _bench_participation(self, options: dict[str, Any]) -> None:
        from commonhome.demo.synthetic_participation import generate
        from commonhome.participation.bench import run

        def out(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        out(f"generating a trail of {options['contributions']} contributions")
        generated = generate(options["contributions"], seed=options["seed"], progress=out)
        out(f"generated in {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        figures = run(
            generated.place, generated.contributions, requests=options["queries"], out=out
        )
        out(figures.summary())

    def _bench_matching(self, options: dict[str, Any]) -> None:
        from commonhome.matching.bench import run

        def out(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        call_command("migrate", interactive=False, verbosity=0)
        out(f"matching {options['seekers']} seekers with {options['offerers']} offerers")
        figures = run(options["seekers"], options["offerers"], seed=options["seed"], out=out)
        out(figures.summary())
