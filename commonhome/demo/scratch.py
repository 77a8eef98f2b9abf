"""A scratch database for benchmarks, so synthetic data never touches real or demo content.

SQLite: a temporary data directory. PostgreSQL: a database named after the configured one with
``_bench`` appended, created empty on the same server and dropped afterwards.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings


@contextmanager
def scratch_environment(keep: bool = False) -> Iterator[tuple[dict[str, str], str]]:
    """Environment variables that point a new process at an empty scratch database.

    Yields the environment and a description of where the database is.
    """
    env = dict(os.environ)
    url = settings.DATABASE_URL
    if not url:
        directory = tempfile.mkdtemp(prefix="commonhome-bench-")
        env["COMMONHOME_DATA_DIR"] = directory
        try:
            yield env, f"SQLite in {directory}"
        finally:
            if not keep:
                shutil.rmtree(directory, ignore_errors=True)
        return

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'commonhome'}_bench"
    server = urlunsplit(parts._replace(path="/postgres"))

    def run(statement: sql.Composed) -> None:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(statement)

    run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    run(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield env, f"PostgreSQL database {name}"
    finally:
        if not keep:
            run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
