"""The corroboration tables (`corroborate_claims`, `corroborate_articles`; migration 005;
`corroborate_boilerplate` and `corroborate_meta`, migration 006).

Claim rows go in and out as Arrow tables and tuples in the tables' column order (`wiretrace.
corroborate.storage` turns them into `ClaimRow`s). Each write is one transaction: an article's
claims are replaced and the article marked processed together, so a killed process never leaves
an article marked done without its claims.

The boilerplate rule (`BOILERPLATE_SQL`) only ever gains sentences as claims are added (pages,
articles and the span of dates can only grow), so its result is stored and kept up to date in
the transaction that adds claims: the rule runs over the claims of the new sentences alone. A
table that may be out of date (claims replaced, a bulk extraction, a store older than the
table) is marked stale in the same transaction and rebuilt from every claim before it is read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from wiretrace.store.transaction import Transaction, transaction

# A sentence is boilerplate, not a claim, when one outlet prints it in three or more of its
# pages, or when three or more articles carry it more than a week apart (copies of a story
# follow it within days; menus, newsletter pleas and sign-offs recur for months).
BOILERPLATE_SQL = """
WITH per_outlet AS (
    SELECT sentence, outlet, count(DISTINCT coalesce(url, article_id)) AS pages,
           count(DISTINCT article_id) AS articles,
           min(published_at) AS first_seen, max(published_at) AS last_seen
    FROM corroborate_claims
    WHERE claim_type IN ('assertion', 'quote') {only}
    GROUP BY sentence, outlet
)
SELECT sentence FROM per_outlet GROUP BY sentence
HAVING max(pages) >= 3
    OR (sum(articles) >= 3 AND date_diff('day', min(first_seen), max(last_seen)) > 7)
"""


# `corroborate_meta`'s 'boilerplate' value: the table is complete, or to be rebuilt first.
CURRENT, STALE = "current", "stale"
# A sentence among a list given as the parameter: a hash semi-join (`list_contains` compares
# each row with the whole list, costly for the sentences of a batch).
_AMONG = "sentence IN (SELECT unnest(?))"


def replace_claims(
    db: duckdb.DuckDBPyConnection,
    table: pa.Table,
    article_ids: Iterable[str],
    columns: Sequence[str],
) -> None:
    """Replace the claims of these articles by `table`'s rows and mark them processed.

    Only articles marked processed can have stored claims (both are written in one
    transaction), so the deletes run only for those: a new article's update scans no table.
    The boilerplate table is kept up to date in the same transaction, or marked stale when
    claims were removed (the rule must then run over every claim again)."""
    ids = sorted(set(article_ids))
    counts = Counter(table.column("article_id").to_pylist()) if table.num_rows else Counter()
    marks = pa.table(
        {"article_id": ids, "claims": [counts[i] for i in ids]},
        schema=pa.schema([("article_id", pa.string()), ("claims", pa.int32())]),
    )
    with transaction(db) as tx:
        tx.register("_corr_ids", marks)
        tx.register("_corr_rows", table)
        done = tx.execute(
            "SELECT article_id FROM corroborate_articles WHERE article_id IN "
            "(SELECT article_id FROM _corr_ids)"
        )
        if done:
            tx.execute(
                "DELETE FROM corroborate_claims WHERE article_id IN (SELECT article_id FROM "
                "corroborate_articles WHERE article_id IN (SELECT article_id FROM _corr_ids))"
            )
            tx.execute(
                "DELETE FROM corroborate_articles WHERE article_id IN "
                "(SELECT article_id FROM _corr_ids)"
            )
        if table.num_rows:
            tx.execute(
                f"INSERT INTO corroborate_claims SELECT {', '.join(columns)} FROM _corr_rows"
            )
        tx.execute("INSERT INTO corroborate_articles SELECT article_id, claims FROM _corr_ids")
        if done:
            _set_boilerplate_state(tx, STALE)
        elif table.num_rows and _boilerplate_state(tx) == CURRENT:
            _add_boilerplate(tx, table)


def _add_boilerplate(tx: Transaction, table: pa.Table) -> None:
    """Mark the sentences of these new claims the rule now finds boilerplate (the rule run over
    the claims of those sentences alone, not yet marked: it never unmarks one)."""
    kinds = table.column("claim_type").to_pylist()
    sentences = {s for s, k in zip(table.column("sentence").to_pylist(), kinds, strict=True)
                 if k in ("assertion", "quote")}  # fmt: skip
    if not sentences:
        return
    marked = tx.execute(
        f"SELECT sentence FROM corroborate_boilerplate WHERE {_AMONG}", [sorted(sentences)]
    )
    fresh = sorted(sentences - {r[0] for r in marked})
    if fresh:
        tx.execute(
            "INSERT INTO corroborate_boilerplate " + BOILERPLATE_SQL.format(only=f"AND {_AMONG}"),
            [fresh],
        )


def _boilerplate_state(tx: Transaction) -> str:
    row = tx.fetch_one("SELECT value FROM corroborate_meta WHERE key = 'boilerplate'")
    return str(row[0]) if row else STALE


def _set_boilerplate_state(tx: Transaction, value: str) -> None:
    tx.execute("UPDATE corroborate_meta SET value = ? WHERE key = 'boilerplate'", [value])


def mark_boilerplate_stale(db: duckdb.DuckDBPyConnection) -> None:
    """Stop keeping the boilerplate table up to date (before a bulk extraction, which
    `rebuild_boilerplate` follows): it is rebuilt before it is read next."""
    with transaction(db) as tx:
        _set_boilerplate_state(tx, STALE)


def rebuild_boilerplate(db: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """Run the boilerplate rule over every stored claim, store its result as the boilerplate
    table (marked current) and return it."""
    with transaction(db) as tx:
        tx.execute("DELETE FROM corroborate_boilerplate")
        tx.execute("INSERT INTO corroborate_boilerplate " + BOILERPLATE_SQL.format(only=""))
        _set_boilerplate_state(tx, CURRENT)
        return frozenset(r[0] for r in tx.execute("SELECT sentence FROM corroborate_boilerplate"))


def set_groups(db: duckdb.DuckDBPyConnection, groups: dict[str, str]) -> None:
    """Write group ids (claim id -> group id) in one statement."""
    if not groups:
        return
    keys = sorted(groups)
    with transaction(db) as tx:
        tx.register("_corr_groups", pa.table({"claim_id": keys, "gid": [groups[k] for k in keys]}))
        tx.execute(
            "UPDATE corroborate_claims c SET group_id = g.gid FROM _corr_groups g "
            "WHERE c.claim_id = g.claim_id"
        )


def select_claims(
    db: duckdb.DuckDBPyConnection, columns: Sequence[str], where: str = "", params: Any = None
) -> list[tuple[Any, ...]]:
    """Claim rows (optionally filtered by a WHERE clause), ordered by claim id (the first
    column). Sorted here, not by SQL: an ORDER BY made DuckDB scan where it would otherwise
    look the few rows of an update up by index (one group: 7 ms against 3.7 at 37,000 claims)."""
    if columns[0] != "claim_id":
        raise ValueError("claim_id must be the first column")
    rows = db.execute(f"SELECT {', '.join(columns)} FROM corroborate_claims {where}", params or [])
    return sorted(rows.fetchall(), key=itemgetter(0))


def unprocessed(db: duckdb.DuckDBPyConnection) -> list[str]:
    """Ids of stored articles whose claims are not in the corroboration tables yet."""
    sql = (
        "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM corroborate_articles) "
        "ORDER BY id"
    )
    return [r[0] for r in db.execute(sql).fetchall()]


def boilerplate_sentences(
    db: duckdb.DuckDBPyConnection, among: Iterable[str] | None = None
) -> frozenset[str]:
    """Claim sentences that are boilerplate across the store (`BOILERPLATE_SQL` run over every
    claim); with `among`, those of these sentences, looked up in the boilerplate table (an
    update looks at the groups it touched), which is rebuilt first when stale."""
    if among is None:
        return frozenset(r[0] for r in db.execute(BOILERPLATE_SQL.format(only="")).fetchall())
    wanted = sorted(set(among))
    if not wanted:
        return frozenset()
    with transaction(db) as tx:
        stale = _boilerplate_state(tx) != CURRENT
    if stale:
        rebuild_boilerplate(db)
    sql = f"SELECT sentence FROM corroborate_boilerplate WHERE {_AMONG}"
    return frozenset(r[0] for r in db.execute(sql, [wanted]).fetchall())


def processed_among(db: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> set[str]:
    """Which of these articles have their claims in the tables."""
    rows = db.execute(
        "SELECT article_id FROM corroborate_articles WHERE list_contains(?, article_id)",
        [list(article_ids)],
    ).fetchall()
    return {r[0] for r in rows}


def quote_groups(db: duckdb.DuckDBPyConnection, speaker: str) -> list[str]:
    """Groups holding a quote by this speaker (lower case)."""
    rows = db.execute(
        "SELECT DISTINCT group_id FROM corroborate_claims WHERE claim_type = 'quote' "
        "AND lower(speaker) = ? AND group_id IS NOT NULL",
        [speaker],
    ).fetchall()
    return [r[0] for r in rows]


def kind_groups(
    db: duckdb.DuckDBPyConnection, kind: str, first: date, last: date, days: int
) -> list[str]:
    """Groups holding a claim of this kind dated within `days` of [first, last]."""
    rows = db.execute(
        "SELECT DISTINCT group_id FROM corroborate_claims WHERE kind = ? "
        f"AND event_date BETWEEN ? - INTERVAL {int(days)} DAY AND ? + INTERVAL {int(days)} DAY "
        "AND group_id IS NOT NULL",
        [kind, first, last],
    ).fetchall()
    return [r[0] for r in rows]


def group_keys(db: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """The distinct (claim_type, kind, speaker, place, lat, lon, event_date, has content) of
    every stored claim: what a partition of the claims needs, a small table even for a crawl."""
    sql = (
        "SELECT DISTINCT claim_type, kind, speaker, place, lat, lon, event_date, "
        "coalesce(content, '') <> '' FROM corroborate_claims"
    )
    return db.execute(sql).fetchall()


def export_claims(db: duckdb.DuckDBPyConnection, columns: Sequence[str], path: Path) -> None:
    """Every stored claim as a Parquet file."""
    target = "'" + str(path).replace("'", "''") + "'"
    db.execute(
        f"COPY (SELECT {', '.join(columns)} FROM corroborate_claims) TO {target} (FORMAT parquet)"
    )
