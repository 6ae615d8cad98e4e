"""The one transaction API: every write to the store's DuckDB file goes through a `Transaction`.

`transaction(db)` (and `Store.transaction()`, which most callers use) owns BEGIN, COMMIT and
ROLLBACK: the block's statements commit together when it ends normally and are rolled back when
anything is raised in it (a KeyboardInterrupt too). A process killed inside the block leaves no
trace of it: DuckDB replays only committed transactions from its WAL on the next open.

Arrow tables registered on a transaction (`register`) are views for its statements, dropped when
it ends, so no batch table outlives the write that used it. A block opened inside another joins
it (DuckDB has no nested transactions): the outermost block commits.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import duckdb
import pyarrow as pa


class Transaction:
    """An open transaction on one connection; use it only inside its `with` block."""

    def __init__(self, db: duckdb.DuckDBPyConnection) -> None:
        self.db = db
        self._views: list[str] = []

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run one statement; its rows (read to the end, as DuckDB needs before the next)."""
        return self.db.execute(sql, list(params or [])).fetchall()

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.db.executemany(sql, [list(r) for r in rows])

    def fetch_one(self, sql: str, params: Sequence[Any] | None = None) -> tuple[Any, ...] | None:
        rows = self.execute(sql, params)
        return rows[0] if rows else None

    def register(self, name: str, table: pa.Table) -> None:
        """An Arrow table as a view named `name` until the transaction ends."""
        self.db.register(name, table)
        self._views.append(name)

    def _drop_views(self) -> None:
        while self._views:
            self.db.unregister(self._views.pop())


_OPEN: dict[int, Transaction] = {}  # connection id -> its open transaction (for joining)


@contextmanager
def transaction(db: duckdb.DuckDBPyConnection) -> Iterator[Transaction]:
    """BEGIN; the block; COMMIT, or ROLLBACK when anything is raised in the block."""
    joined = _OPEN.get(id(db))
    if joined is not None:
        yield joined
        return
    tx = _OPEN[id(db)] = Transaction(db)
    db.execute("BEGIN TRANSACTION")
    try:
        yield tx
        db.execute("COMMIT")
    except BaseException:
        with suppress(duckdb.Error):  # a COMMIT that failed has ended the transaction already
            db.execute("ROLLBACK")
        raise
    finally:
        del _OPEN[id(db)]
        tx._drop_views()
