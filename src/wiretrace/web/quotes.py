"""A table of extracted quotes, so quotes can be searched by speaker and channel.

Extracting claims takes milliseconds per article, too slow to do for a whole store on each
search, so quotes are stored when an article is added through the server and by a bounded
catch-up. The tables are created here with IF NOT EXISTS (not yet a named migration).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from wiretrace.claims import extract_claims
from wiretrace.store.articles import Store, fetch_one

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


def ensure(db: duckdb.DuckDBPyConnection) -> None:
    """The quote tables come from the store's migration 004; nothing to create here."""


def exists(db: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store has the quote tables (a read-only store may not)."""
    row = fetch_one(db, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'quotes_indexed'")
    return bool(row and row[0])


def record(db: duckdb.DuckDBPyConnection, article_id: str, quotes: Sequence[Any]) -> None:
    """Store an article's quotes (replacing any stored before)."""
    rows = []
    for quote in quotes:
        data = quote.to_dict()
        rows.append([article_id, *(data.get(name) for name in QUOTE_COLUMNS[1:])])
    db.execute("BEGIN TRANSACTION")
    try:
        db.execute("DELETE FROM quotes WHERE article_id = ?", [article_id])
        db.execute("DELETE FROM quotes_indexed WHERE article_id = ?", [article_id])
        if rows:
            db.executemany(f"INSERT INTO quotes VALUES ({', '.join('?' * 11)})", rows)
        db.execute("INSERT INTO quotes_indexed VALUES (?, ?)", [article_id, len(rows)])
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def catch_up(store: Store, limit: int) -> dict[str, int]:
    """Extract the quotes of up to `limit` stored articles not processed yet."""
    ids = [
        r[0]
        for r in store.db.execute(
            "SELECT a.id FROM articles a ANTI JOIN quotes_indexed d ON d.article_id = a.id "
            "ORDER BY a.published_at DESC NULLS LAST, a.id LIMIT ?",
            [limit],
        ).fetchall()
    ]
    found = 0
    for article in store.get_many(ids):
        quotes = extract_claims(article).quotes
        record(store.db, article.id, quotes)
        found += len(quotes)
    return {"articles": len(ids), "quotes": found, **coverage(store.db)}


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
