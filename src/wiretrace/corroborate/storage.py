"""The corroboration tables in the store: claim rows with their group, and processed articles."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import astuple, fields
from typing import Any

import duckdb
import pyarrow as pa

from wiretrace.corroborate.claimrows import ClaimRow

# Proposed as a named migration (m0NN_corroboration); created here with IF NOT EXISTS until then.
COLUMNS = tuple(f.name for f in fields(ClaimRow))
_SELECT = ", ".join(COLUMNS)


def claims_table(rows: Sequence[ClaimRow]) -> pa.Table:
    """Claim rows as an Arrow table with the `corroborate_claims` columns (`CLAIMS_SCHEMA`)."""
    cols: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for row in rows:
        for name, value in zip(COLUMNS, astuple(row), strict=True):
            cols[name].append(value)
    return pa.table(cols, schema=CLAIMS_SCHEMA)


def claims_from_table(table: pa.Table) -> list[ClaimRow]:
    """Claim rows back from an Arrow table with (at least) the claim columns."""
    table = table.select(list(COLUMNS)).cast(CLAIMS_SCHEMA)
    return [ClaimRow(**row) for row in table.to_pylist()]


_TYPES = {
    "n": pa.int32(),
    "value": pa.float64(),
    "low": pa.float64(),
    "high": pa.float64(),
    "lat": pa.float64(),
    "lon": pa.float64(),
    "event_date": pa.date32(),
    "published_at": pa.timestamp("us", tz="UTC"),
}
CLAIMS_SCHEMA = pa.schema([(name, _TYPES.get(name, pa.string())) for name in COLUMNS])


def insert_claims(
    db: duckdb.DuckDBPyConnection, rows: Sequence[ClaimRow], article_ids: Iterable[str]
) -> None:
    """Replace the claims of these articles and mark them processed."""
    insert_claims_table(db, claims_table(rows), article_ids)


def insert_claims_table(
    db: duckdb.DuckDBPyConnection, table: pa.Table, article_ids: Iterable[str]
) -> None:
    """`insert_claims` for claims already in an Arrow table (cast to `CLAIMS_SCHEMA`)."""
    ids = sorted(set(article_ids))
    db.register(
        "_corr_ids", pa.table({"article_id": ids}, schema=pa.schema([("article_id", pa.string())]))
    )
    db.register("_corr_rows", table.select(list(COLUMNS)).cast(CLAIMS_SCHEMA))
    try:
        db.execute("DELETE FROM corroborate_claims WHERE article_id IN (SELECT * FROM _corr_ids)")
        db.execute("DELETE FROM corroborate_articles WHERE article_id IN (SELECT * FROM _corr_ids)")
        db.execute(f"INSERT INTO corroborate_claims SELECT {_SELECT} FROM _corr_rows")
        db.execute(
            "INSERT INTO corroborate_articles SELECT i.article_id, count(r.claim_id) "
            "FROM _corr_ids i LEFT JOIN _corr_rows r USING (article_id) GROUP BY i.article_id"
        )
    finally:
        db.unregister("_corr_ids")
        db.unregister("_corr_rows")


def _rows(result: list[tuple[Any, ...]]) -> list[ClaimRow]:
    return [ClaimRow(*values) for values in result]


def load_claims(
    db: duckdb.DuckDBPyConnection, where: str = "", params: Any = None
) -> list[ClaimRow]:
    """Claim rows (optionally filtered by a WHERE clause), ordered by claim id."""
    sql = f"SELECT {_SELECT} FROM corroborate_claims {where} ORDER BY claim_id"
    return _rows(db.execute(sql, params or []).fetchall())


def set_groups(db: duckdb.DuckDBPyConnection, groups: dict[str, str]) -> None:
    """Write group ids (claim id -> group id) in one statement."""
    if not groups:
        return
    keys = sorted(groups)
    db.register("_corr_groups", pa.table({"claim_id": keys, "gid": [groups[k] for k in keys]}))
    try:
        db.execute(
            "UPDATE corroborate_claims c SET group_id = g.gid FROM _corr_groups g "
            "WHERE c.claim_id = g.claim_id"
        )
    finally:
        db.unregister("_corr_groups")


def unprocessed(db: duckdb.DuckDBPyConnection) -> list[str]:
    """Ids of stored articles whose claims are not in the corroboration tables yet."""
    sql = (
        "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM corroborate_articles) "
        "ORDER BY id"
    )
    return [r[0] for r in db.execute(sql).fetchall()]


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


def boilerplate_sentences(
    db: duckdb.DuckDBPyConnection, among: Iterable[str] | None = None
) -> frozenset[str]:
    """Claim sentences that are boilerplate across the store (`BOILERPLATE_SQL`); with `among`,
    only those of these sentences (an update looks at the groups it touched)."""
    if among is None:
        return frozenset(r[0] for r in db.execute(BOILERPLATE_SQL.format(only="")).fetchall())
    wanted = sorted(set(among))
    if not wanted:
        return frozenset()
    sql = BOILERPLATE_SQL.format(only="AND list_contains(?, sentence)")
    return frozenset(r[0] for r in db.execute(sql, [wanted]).fetchall())
