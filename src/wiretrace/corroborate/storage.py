"""Claim rows in and out of the store's corroboration tables (the SQL: `store.corroboration`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import astuple, fields
from typing import Any

import duckdb
import pyarrow as pa

from wiretrace.corroborate.claimrows import ClaimRow
from wiretrace.store import corroboration as tables

COLUMNS = tuple(f.name for f in fields(ClaimRow))  # the table's columns, in its order


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
    """Replace the claims of these articles and mark them processed (one transaction)."""
    insert_claims_table(db, claims_table(rows), article_ids)


def insert_claims_table(
    db: duckdb.DuckDBPyConnection, table: pa.Table, article_ids: Iterable[str]
) -> None:
    """`insert_claims` for claims already in an Arrow table (cast to `CLAIMS_SCHEMA`)."""
    tables.replace_claims(db, table.select(list(COLUMNS)).cast(CLAIMS_SCHEMA), article_ids, COLUMNS)


def load_claims(
    db: duckdb.DuckDBPyConnection, where: str = "", params: Any = None
) -> list[ClaimRow]:
    """Claim rows (optionally filtered by a WHERE clause), ordered by claim id."""
    return [ClaimRow(*values) for values in tables.select_claims(db, COLUMNS, where, params)]


set_groups = tables.set_groups
unprocessed = tables.unprocessed
boilerplate_sentences = tables.boilerplate_sentences
rebuild_boilerplate = tables.rebuild_boilerplate
mark_boilerplate_stale = tables.mark_boilerplate_stale
BOILERPLATE_SQL = tables.BOILERPLATE_SQL
