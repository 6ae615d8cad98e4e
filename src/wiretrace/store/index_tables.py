"""The index's bookkeeping tables: which articles, segments and source records are indexed.

The postings and source records themselves are files beside the store (`wiretrace.index`); these
tables (`index_docs`, `index_segments`, `index_meta`, migration 002) say which of those files
count, so a file is only ever visible once the transaction recording it has committed. Writes
take the open `Transaction`; reads take the connection.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

from wiretrace.store.articles import fetch_one
from wiretrace.store.transaction import Transaction

SHINGLES = "shingles"  # index_meta key: the shingle parameters the postings were built with
TEXTS = "texts"  # index_meta key: "<entries> <bytes>" committed in the source-text store


def meta(db: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = fetch_one(db, "SELECT value FROM index_meta WHERE key = ?", [key])
    return str(row[0]) if row else None


def set_meta(tx: Transaction, key: str, value: str) -> None:
    tx.execute("INSERT OR REPLACE INTO index_meta VALUES (?, ?)", [key, value])


def set_texts_state(tx: Transaction, state: tuple[int, int]) -> None:
    """Record how many source records (entries, bytes) are committed."""
    set_meta(tx, TEXTS, f"{state[0]} {state[1]}")


def texts_state(db: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    value = meta(db, TEXTS)
    if value is None:
        return 0, 0
    entries, size = value.split()
    return int(entries), int(size)


def segment_names(db: duckdb.DuckDBPyConnection) -> list[str]:
    """Recorded segments, oldest first."""
    rows = db.execute("SELECT name FROM index_segments ORDER BY created_at, name").fetchall()
    return [r[0] for r in rows]


def indexed_docs(db: duckdb.DuckDBPyConnection) -> pa.Table:
    """doc_key, publication time (epoch seconds `t`) and article_id of every indexed article."""
    return db.sql(
        "SELECT doc_key, epoch(published_at) AS t, article_id FROM index_docs ORDER BY doc_key"
    ).to_arrow_table()


def indexed_among(tx: Transaction, article_ids: Sequence[str]) -> set[str]:
    """Which of these articles are indexed."""
    tx.register("_idx_ids", pa.table({"article_id": list(article_ids)}))
    rows = tx.execute("SELECT article_id FROM index_docs JOIN _idx_ids USING (article_id)")
    return {r[0] for r in rows}


def unindexed_count(db: duckdb.DuckDBPyConnection) -> int:
    row = fetch_one(
        db, "SELECT count(*) FROM articles a ANTI JOIN index_docs d ON d.article_id = a.id"
    )
    return int(row[0]) if row else 0


def unindexed(db: duckdb.DuckDBPyConnection) -> pa.Table:
    """Stored articles not indexed: their rowid (`row`) and id, in stored order."""
    return db.sql(
        "SELECT a.rowid AS row, a.id FROM articles a "
        "ANTI JOIN index_docs d ON d.article_id = a.id ORDER BY a.rowid"
    ).to_arrow_table()


def record_run(
    tx: Transaction, docs: pa.Table, segment: str, postings: int, texts: tuple[int, int]
) -> None:
    """A written segment with its articles (`docs`: doc_key, article_id, published_at) and the
    source-text store's new committed length."""
    tx.register("_idx_rows", docs)
    tx.execute("INSERT INTO index_docs SELECT * FROM _idx_rows")
    tx.execute(
        "INSERT INTO index_segments VALUES (?, ?, ?, current_timestamp)",
        [segment, docs.num_rows, postings],
    )
    set_texts_state(tx, texts)


def record_merge(tx: Transaction, replaced: Sequence[str], merged: str, postings: int) -> None:
    """One merged segment in place of those it replaces (with their article count)."""
    tx.register("_merged_names", pa.table({"name": list(replaced)}))
    row = tx.fetch_one("SELECT sum(docs) FROM index_segments JOIN _merged_names USING (name)")
    docs = int(row[0]) if row and row[0] is not None else 0
    tx.execute("DELETE FROM index_segments WHERE name IN (SELECT name FROM _merged_names)")
    tx.execute(
        "INSERT INTO index_segments VALUES (?, ?, ?, current_timestamp)", [merged, docs, postings]
    )


def reset(tx: Transaction, shingles: str) -> None:
    """Forget the whole index (a rebuild follows), keeping its parameters."""
    tx.execute("DELETE FROM index_docs")
    tx.execute("DELETE FROM index_segments")
    tx.execute("DELETE FROM index_meta")
    set_meta(tx, SHINGLES, shingles)
    set_texts_state(tx, (0, 0))


def is_read_only(db: duckdb.DuckDBPyConnection) -> bool:
    row = fetch_one(
        db, "SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()"
    )
    return bool(row and row[0])
