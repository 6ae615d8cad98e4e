"""The embedded engine: DuckDB runs the plan's SQL over the Parquet checkpoints, Python aligns.

The store is only read (read-only connection, in the `docs` stage); every later stage works on
Parquet files in the work directory with an in-memory DuckDB that may spill to the work directory.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from wiretrace.corpus.align import ALIGNED_SCHEMA, SHINGLE_SCHEMA, align_bundle, shingle_batch
from wiretrace.corpus.checkpoints import Meter, Workdir
from wiretrace.corpus.plan import ReuseParams, candidates_sql, stock_sql
from wiretrace.store import Store, fetch_one

_DOCS_SQL = """
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


def _quote(path: str | Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _arrow(con: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    table = con.sql(sql).to_arrow_table()
    assert table is not None
    return table


def store_fingerprint(db: str | Path) -> dict[str, Any]:
    """What identifies the store's content for a resume: article count and last ingest time."""
    with Store(db, read_only=True) as store:
        row = fetch_one(
            store.db, "SELECT count(*), CAST(max(ingested_at) AS VARCHAR) FROM articles"
        )
    return {"articles": int(row[0]) if row else 0, "last_ingested": row[1] if row else None}


def export_docs(db: str | Path, workdir: Workdir, meter: Meter) -> int:
    """Stage `docs`: the store's articles and sentence offsets, as Parquet for both engines."""
    tmp = workdir.temporary("docs")
    with Store(db, read_only=True) as store:
        store.db.execute(
            f"COPY ({_DOCS_SQL}) TO {_quote(tmp)} (FORMAT parquet, ROW_GROUP_SIZE 4096)"
        )
        row = fetch_one(store.db, "SELECT count(*) FROM articles")
    workdir.commit("docs", tmp)
    count = int(row[0]) if row else 0
    meter.advance(count)
    return count


class DuckDBEngine:
    """Runs the plan with DuckDB (SQL steps) and plain Python (shingles, alignment)."""

    name = "duckdb"

    def __init__(
        self, *, memory_limit: str = "8GB", batch_articles: int = 1000, workers: int = 1
    ) -> None:
        self.memory_limit = memory_limit
        self.batch_articles = batch_articles
        self.workers = workers  # processes aligning batches while DuckDB reads the next ones

    def _connect(self, workdir: Workdir) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect()
        spill = workdir.path / "duckdb-spill"
        con.execute(f"SET memory_limit = {_quote(self.memory_limit)}")
        con.execute(f"SET temp_directory = {_quote(spill)}")
        con.execute("SET preserve_insertion_order = false")
        return con

    def shingles(self, workdir: Workdir, params: ReuseParams, meter: Meter) -> int:
        """Stage `shingles`, written batch by batch."""
        tmp = workdir.temporary("shingles")
        docs = pq.ParquetFile(workdir.output("docs"))
        rows = 0
        with pq.ParquetWriter(tmp, SHINGLE_SCHEMA) as writer:
            for batch in docs.iter_batches(
                batch_size=self.batch_articles,
                columns=["doc_key", "text", "starts", "stops", "published_us"],
            ):
                out = shingle_batch(batch, params.shingles)
                writer.write_batch(out)
                rows += out.num_rows
                meter.advance(batch.num_rows)
        workdir.commit("shingles", tmp)
        return rows

    def candidates(self, workdir: Workdir, params: ReuseParams, meter: Meter) -> int:
        """Stage `candidates` (and its `stock` table): the plan's SQL over the shingles."""
        con = self._connect(workdir)
        try:
            source = _quote(workdir.scan("shingles"))
            con.execute(f"CREATE VIEW shingles AS SELECT * FROM read_parquet({source})")
            tmp_stock = workdir.temporary("stock")
            con.execute(f"COPY ({stock_sql(params)}) TO {_quote(tmp_stock)} (FORMAT parquet)")
            tmp = workdir.temporary("candidates")
            # Sorted by target so the alignment stage reads one range of row groups per batch.
            con.execute(
                f"COPY (SELECT * FROM ({candidates_sql(params)}) "
                "ORDER BY tdoc, tsent, sdoc, ssent) "
                f"TO {_quote(tmp)} (FORMAT parquet, ROW_GROUP_SIZE 100000)"
            )
            row = fetch_one(con, f"SELECT count(*) FROM read_parquet({_quote(tmp)})")
        finally:
            con.close()
        workdir.commit("stock", tmp_stock)
        workdir.commit("candidates", tmp)
        count = int(row[0]) if row else 0
        meter.advance(count)
        return count

    def aligned(self, workdir: Workdir, params: ReuseParams, meter: Meter) -> int:
        """Stage `aligned`: targets in doc_key ranges, each with its candidates and sources."""
        con = self._connect(workdir)
        tmp = workdir.temporary("aligned")
        rows = 0
        pool = ProcessPoolExecutor(self.workers) if self.workers > 1 else None
        pending: deque[tuple[int, Future[list[dict[str, Any]]] | list[dict[str, Any]]]] = deque()
        try:
            with pq.ParquetWriter(tmp, ALIGNED_SCHEMA) as writer:

                def drain(keep: int) -> None:
                    nonlocal rows
                    while len(pending) > keep:  # in order, so the file is the same either way
                        size, job = pending.popleft()
                        out = job.result() if isinstance(job, Future) else job
                        writer.write_table(pa.Table.from_pylist(out, schema=ALIGNED_SCHEMA))
                        rows += len(out)
                        meter.advance(size)

                for size, bundle, pairs in self._bundles(con, workdir):
                    if pool is None:
                        pending.append((size, align_bundle(bundle, pairs, params.trace)))
                    else:
                        pending.append(
                            (size, pool.submit(align_bundle, bundle, pairs, params.trace))
                        )
                    drain(self.workers)
                drain(0)
        finally:
            con.close()
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        workdir.commit("aligned", tmp)
        return rows

    def _bundles(
        self, con: duckdb.DuckDBPyConnection, workdir: Workdir
    ) -> Iterator[tuple[int, list[dict[str, Any]], list[dict[str, Any]]]]:
        """(targets, docs rows, candidate rows) per doc_key range of `batch_articles` targets."""
        docs, cands, stock = (
            f"read_parquet({_quote(workdir.scan(n))})" for n in ("docs", "candidates", "stock")
        )
        row = fetch_one(con, f"SELECT count(*) FROM {docs}")
        total = int(row[0]) if row else 0
        for low in range(0, total, self.batch_articles):
            high = min(low + self.batch_articles, total)
            where = f"BETWEEN {low} AND {high - 1}"
            pairs = _arrow(
                con,
                f"SELECT tdoc, tsent, sdoc, ssent, shared, 0.0 AS stock FROM {cands} "
                f"WHERE tdoc {where} UNION ALL "
                f"SELECT tdoc, tsent, -1, -1, 0, stock FROM {stock} WHERE tdoc {where}",
            )
            con.register("_pairs", pairs)
            # The sources' texts come from one scan of `docs` per batch.
            bundle = _arrow(
                con,
                f"SELECT d.doc_key AS tdoc, 0 AS role, d.* FROM {docs} d "
                f"WHERE d.doc_key {where} UNION ALL "
                f"SELECT n.tdoc, 1 AS role, d.* FROM {docs} d JOIN "
                "(SELECT DISTINCT tdoc, sdoc FROM _pairs WHERE sdoc >= 0) n "
                "ON d.doc_key = n.sdoc",
            )
            con.unregister("_pairs")
            yield high - low, bundle.to_pylist(), pairs.to_pylist()
