"""Read-only queries other packages run on the store, kept beside its schema.

Each takes the connection (`Store.db`, read-only or not) and returns plain values, or writes
its result to a file outside the store (the reuse engines' `docs` checkpoint).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from wiretrace.doc.article import Article
from wiretrace.store.articles import fetch_one

# Every article with its sentence offsets, numbered (doc_key) in ingest order: the reuse plan's
# `docs` table.
DOCS_SQL = """
SELECT CAST(row_number() OVER (ORDER BY a.ingested_at, a.id) - 1 AS INTEGER) AS doc_key,
       a.id AS article_id, a.url, a.outlet,
       CAST(epoch_us(a.published_at) AS BIGINT) AS published_us,
       a.text,
       COALESCE(s.starts, CAST([] AS INTEGER[])) AS starts,
       COALESCE(s.stops, CAST([] AS INTEGER[])) AS stops
FROM articles a LEFT JOIN (
    SELECT article_id, list(start ORDER BY idx) AS starts, list(stop ORDER BY idx) AS stops
    FROM sentences GROUP BY article_id
) s ON s.article_id = a.id
ORDER BY doc_key
"""


def quote_path(path: str | Path) -> str:
    """A path as an SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


def content_fingerprint(db: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """What identifies the store's content for a resume: article count and last ingest time."""
    row = fetch_one(db, "SELECT count(*), CAST(max(ingested_at) AS VARCHAR) FROM articles")
    return {"articles": int(row[0]) if row else 0, "last_ingested": row[1] if row else None}


def export_docs(db: duckdb.DuckDBPyConnection, path: Path) -> int:
    """`DOCS_SQL` as a Parquet file (row groups of 4,096); returns its rows."""
    db.execute(f"COPY ({DOCS_SQL}) TO {quote_path(path)} (FORMAT parquet, ROW_GROUP_SIZE 4096)")
    row = fetch_one(db, "SELECT count(*) FROM articles")
    return int(row[0]) if row else 0


def export_articles(
    db: duckdb.DuckDBPyConnection, ids: Sequence[str], columns: Sequence[str], path: Path
) -> None:
    """These articles as a Parquet file: article `columns`, `starts`/`stops` being their
    sentence offsets in text order."""
    select = ", ".join(f"s.{c}" if c in ("starts", "stops") else f"a.{c}" for c in columns)
    db.register("_export_ids", pa.table({"id": pa.array(list(ids), pa.string())}))
    try:
        db.execute(
            f"COPY (SELECT {select} FROM articles a JOIN _export_ids USING (id) "
            "LEFT JOIN (SELECT article_id, list(start ORDER BY idx) AS starts, "
            "list(stop ORDER BY idx) AS stops FROM sentences "
            "WHERE article_id IN (SELECT id FROM _export_ids) GROUP BY article_id) s "
            f"ON s.article_id = a.id) TO {quote_path(path)} (FORMAT parquet)"
        )
    finally:
        db.unregister("_export_ids")


# Ids per query of `source_articles`: short IN lists are answered from the indexes (DuckDB scans
# for long lists, and a join would scan both tables).
_SOURCE_CHUNK = 16


def source_articles(db: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> list[Article]:
    """Stored articles by id with their sentence offsets, for a trace's few candidate sources
    (stored text is normalised already: kept as it is; times in UTC)."""
    found: list[Article] = []
    for first in range(0, len(ids), _SOURCE_CHUNK):
        chunk = list(ids[first : first + _SOURCE_CHUNK])
        marks = ", ".join("?" * len(chunk))
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for article_id, start, stop in db.execute(
            f"SELECT article_id, start, stop FROM sentences WHERE article_id IN ({marks}) "
            "ORDER BY article_id, idx",
            chunk,
        ).fetchall():
            spans[article_id].append((start, stop))
        for article_id, url, outlet, title, published, text in db.execute(
            "SELECT id, url, outlet, title, published_at, text FROM articles "
            f"WHERE id IN ({marks})",
            chunk,
        ).fetchall():
            article = Article(
                id=article_id,
                text=text,
                title=title or "",
                url=url,
                outlet=outlet,
                published_at=published.astimezone(UTC) if published else None,
            )
            article.set_spans(spans[article_id])
            found.append(article)
    return found
