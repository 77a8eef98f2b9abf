"""One search interface with an SQLite (FTS5) and a PostgreSQL (full-text + pg_trgm) backend.

Apps index plain documents — a kind, an id, a place, a language and text — and get back a
SQL fragment selecting matching ids, so they can combine text search with their own filters
in one query. Text is normalised in Python (:mod:`commonhome.core.text`) on both sides.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models.expressions import RawSQL

from .models import SearchEntry
from .text import normalize, tokens


@dataclass(frozen=True)
class Document:
    kind: str
    object_id: uuid.UUID
    place_id: uuid.UUID
    language: str
    text: str


def index(documents: Iterable[Document]) -> None:
    """Add or replace documents (one per kind, object and language)."""
    docs = list(documents)
    if not docs:
        return
    keys = {(d.kind, d.object_id) for d in docs}
    for kind in {k for k, _ in keys}:
        SearchEntry.objects.filter(
            kind=kind, object_id__in=[oid for k, oid in keys if k == kind]
        ).delete()
    SearchEntry.objects.bulk_create(
        [
            SearchEntry(
                kind=d.kind,
                object_id=d.object_id,
                place_id=d.place_id,
                language=d.language,
                text=normalize(d.text),
            )
            for d in docs
        ],
        batch_size=2000,
    )


def remove(kind: str, object_ids: Iterable[uuid.UUID]) -> None:
    SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()


def match_ids(kind: str, query: str, place_id: uuid.UUID | None = None) -> RawSQL | None:
    """A subquery of the ids of ``kind`` whose text matches every word of ``query``.

    Words match as prefixes ("advi" finds "advice"). With ``place_id`` only documents of that
    place match, and the text index itself applies the restriction, so a common word costs
    what it finds in the place, not in every place. Returns None for a query with no words.
    Use as ``Model.objects.filter(id__in=match_ids(...))``.
    """
    words = tokens(query)[:12]
    if not words:
        return None
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{_pg_quote(w)}:*" for w in words)
        sql = (
            "SELECT object_id FROM core_searchentry WHERE kind = %s AND "
            "to_tsvector('simple', text) @@ to_tsquery('simple', %s)"
        )
        params: tuple[object, ...] = (kind, tsquery)
        if place_id is not None:
            sql += " AND place_id = %s"
            params += (place_id,)
        return RawSQL(sql, params)
    fts = "text : (" + " AND ".join(f'"{w}"*' for w in words) + ")"
    if place_id is not None:
        # The place is an indexed column of the FTS table: its one token narrows the match
        # inside the index instead of after it.
        fts = f'place_id : "{uuid.UUID(str(place_id)).hex}" AND {fts}'
    # The FTS match runs once, as a rowid set, and each rowid is a primary-key lookup; the
    # unary plus keeps SQLite from scanning every entry of the kind by its index instead.
    return RawSQL(
        "SELECT object_id FROM core_searchentry WHERE +kind = %s AND id IN "
        "(SELECT rowid FROM core_search_fts WHERE core_search_fts MATCH %s)",
        (kind, fts),
    )


def _pg_quote(word: str) -> str:
    return "'" + word.replace("'", "''").replace("\\", "") + "'"


SQLITE_SETUP = [
    # External-content FTS5 index over core_searchentry, kept in step by triggers. The place
    # is indexed too (its id is one token), so a search within a place is one index lookup.
    "CREATE VIRTUAL TABLE IF NOT EXISTS core_search_fts USING fts5("
    "text, place_id, content='core_searchentry', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER IF NOT EXISTS core_search_ai AFTER INSERT ON core_searchentry BEGIN "
    "INSERT INTO core_search_fts(rowid, text, place_id) "
    "VALUES (new.id, new.text, new.place_id); END",
    "CREATE TRIGGER IF NOT EXISTS core_search_ad AFTER DELETE ON core_searchentry BEGIN "
    "INSERT INTO core_search_fts(core_search_fts, rowid, text, place_id) "
    "VALUES ('delete', old.id, old.text, old.place_id); END",
    "CREATE TRIGGER IF NOT EXISTS core_search_au AFTER UPDATE ON core_searchentry BEGIN "
    "INSERT INTO core_search_fts(core_search_fts, rowid, text, place_id) "
    "VALUES ('delete', old.id, old.text, old.place_id); "
    "INSERT INTO core_search_fts(rowid, text, place_id) "
    "VALUES (new.id, new.text, new.place_id); END",
]
SQLITE_TEARDOWN = [
    "DROP TRIGGER IF EXISTS core_search_ai",
    "DROP TRIGGER IF EXISTS core_search_ad",
    "DROP TRIGGER IF EXISTS core_search_au",
    "DROP TABLE IF EXISTS core_search_fts",
]
# Fills a freshly created FTS table from core_searchentry.
SQLITE_REBUILD = "INSERT INTO core_search_fts(core_search_fts) VALUES ('rebuild')"
POSTGRES_SETUP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS core_searchentry_fts ON core_searchentry "
    "USING gin (to_tsvector('simple', text))",
    "CREATE INDEX IF NOT EXISTS core_searchentry_trgm ON core_searchentry "
    "USING gin (text gin_trgm_ops)",
]
