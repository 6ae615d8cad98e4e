"""The quote tables (`quotes`, `quotes_indexed`; migration 004): quotes by speaker and channel.

`quotes_indexed` records which articles had their quotes extracted, those with none included;
an article's quotes are replaced and it is marked done in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from wiretrace.store.articles import fetch_one
from wiretrace.store.transaction import transaction

QUOTE_COLUMNS = (
    "article_id",
    "sentence_index",
    "speaker",
    "speaker_canonical",
    "role",
    "cue",
    "channel",
    "content",
    "start",
    "end",
    "direct",
)


def exists(db: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store has the quote tables (a read-only store may not)."""
    row = fetch_one(db, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'quotes_indexed'")
    return bool(row and row[0])


def replace_quotes(
    db: duckdb.DuckDBPyConnection, article_id: str, rows: Sequence[Sequence[Any]]
) -> None:
    """An article's quote rows (`QUOTE_COLUMNS` order) in place of any stored before."""
    with transaction(db) as tx:
        tx.execute("DELETE FROM quotes WHERE article_id = ?", [article_id])
        tx.execute("DELETE FROM quotes_indexed WHERE article_id = ?", [article_id])
        marks = ", ".join("?" * len(QUOTE_COLUMNS))
        tx.executemany(f"INSERT INTO quotes VALUES ({marks})", rows)
        tx.execute("INSERT INTO quotes_indexed VALUES (?, ?)", [article_id, len(rows)])


def unextracted(db: duckdb.DuckDBPyConnection, limit: int) -> list[str]:
    """Up to `limit` stored articles whose quotes were not extracted, newest first."""
    rows = db.execute(
        "SELECT a.id FROM articles a ANTI JOIN quotes_indexed d ON d.article_id = a.id "
        "ORDER BY a.published_at DESC NULLS LAST, a.id LIMIT ?",
        [limit],
    ).fetchall()
    return [r[0] for r in rows]


def coverage(db: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many stored articles have had their quotes extracted."""
    total = fetch_one(db, "SELECT count(*) FROM articles")
    done = fetch_one(db, "SELECT count(*) FROM quotes_indexed") if exists(db) else (0,)
    return {
        "articles_with_quotes_extracted": int(done[0]) if done else 0,
        "articles_stored": int(total[0]) if total else 0,
    }


def search(
    db: duckdb.DuckDBPyConnection,
    *,
    speaker: str | None,
    channel: str | None,
    limit: int,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Quotes whose speaker / channel contain the given words (case-insensitive)."""
    if not exists(db):
        return []
    where, params = [], []
    if speaker:
        where.append(
            "(strpos(lower(q.speaker), lower(?)) > 0 "
            "OR strpos(lower(coalesce(q.speaker_canonical, '')), lower(?)) > 0)"
        )
        params += [speaker, speaker]
    if channel:
        where.append("strpos(lower(coalesce(q.channel, '')), lower(?)) > 0")
        params.append(channel)
    sql = (
        "SELECT q.article_id, q.sentence_index, q.speaker, q.speaker_canonical, q.role, q.cue, "
        'q.channel, q.content, q.start, q."end", q.direct, a.outlet, a.title, a.url, '
        "a.published_at FROM quotes q JOIN articles a ON a.id = q.article_id "
        + (f"WHERE {' AND '.join(where)} " if where else "")
        + "ORDER BY a.published_at DESC NULLS LAST, q.article_id, q.start LIMIT ? OFFSET ?"
    )
    out = []
    for row in db.execute(sql, [*params, limit, offset]).fetchall():
        item = dict(zip(QUOTE_COLUMNS, row[:11], strict=True))
        item.update(
            outlet=row[11],
            title=row[12],
            url=row[13],
            published_at=row[14].isoformat() if row[14] else None,
        )
        out.append(item)
    return out
