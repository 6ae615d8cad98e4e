"""The embedded engine: DuckDB runs the plan's SQL over the Parquet checkpoints, Python aligns.

The store is only read (read-only connection, in the `docs` stage); every later stage works on
Parquet files in the work directory with an in-memory DuckDB that may spill to the work directory.
"""

from __future__ import annotations

import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from wiretrace.corpus.align import ALIGNED_SCHEMA, SHINGLE_SCHEMA, align_targets, shingle_batch
from wiretrace.corpus.checkpoints import Meter, Workdir
from wiretrace.corpus.pairs import (
    CANDIDATE_SCHEMA,
    close_pairable,
    count_slice,
    open_pairable,
    write_pairable,
)
from wiretrace.corpus.plan import DF_SQL, ReuseParams, pairable_sql, stock_sql
from wiretrace.corpus.texts import close_texts, docs_of, keys_between, open_texts, write_texts
from wiretrace.store import queries
from wiretrace.store.articles import Store, fetch_one


def _quote(path: str | Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _arrow(con: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    table = con.sql(sql).to_arrow_table()
    assert table is not None
    return table


def store_fingerprint(db: str | Path) -> dict[str, Any]:
    """What identifies the store's content for a resume: article count and last ingest time."""
    with Store(db, read_only=True) as store:
        return queries.content_fingerprint(store.db)


def export_docs(db: str | Path, workdir: Workdir, meter: Meter) -> int:
    """Stage `docs`: the store's articles and sentence offsets, as Parquet for both engines."""
    tmp = workdir.temporary("docs")
    with Store(db, read_only=True) as store:
        count = queries.export_docs(store.db, tmp)
    workdir.commit("docs", tmp)
    meter.advance(count)
    return count


T = TypeVar("T")
_SHINGLE_COLUMNS = ["doc_key", "text", "starts", "stops", "published_us"]


def _shingle_row_group(path: str, group: int, params: ReuseParams) -> pa.RecordBatch:
    table = pq.ParquetFile(path).read_row_group(group, columns=_SHINGLE_COLUMNS)
    return shingle_batch(table.combine_chunks().to_batches()[0], params.shingles)


def align_range(
    store_path: str,
    low: int,
    high: int,
    pairs: dict[str, Any],
    stock: dict[str, Any],
    params: ReuseParams,
) -> pa.Table:
    """Align the targets with doc_key in [low, high] (in a worker process or in this one)."""
    store = open_texts(store_path)
    targets = docs_of(store, keys_between(store.keys(), low, high))
    by_target: dict[int, list[tuple[int, int, int, int]]] = {}
    columns = (pairs["tdoc"], pairs["tsent"], pairs["sdoc"], pairs["ssent"], pairs["shared"])
    for tdoc, tsent, sdoc, ssent, shared in zip(*columns, strict=True):
        by_target.setdefault(tdoc, []).append((tsent, sdoc, ssent, shared))
    shares: dict[int, dict[int, float]] = {}
    for tdoc, tsent, share in zip(stock["tdoc"], stock["tsent"], stock["stock"], strict=True):
        shares.setdefault(tdoc, {})[tsent] = share
    docs = docs_of(store, pairs["sdoc"])
    docs.update(targets)
    rows = align_targets(targets.values(), docs, by_target, shares, params.trace)
    return pa.Table.from_pylist(rows, schema=ALIGNED_SCHEMA)


def _in_order(
    jobs: Iterable[tuple[int, Callable[..., T], tuple[Any, ...]]],
    pool: ProcessPoolExecutor | None,
    ahead: int,
) -> Iterator[tuple[int, T]]:
    """(size, result) of each job in the order given, run in the pool (at most `ahead` waiting)
    or here, so the output files are the same whatever the number of processes."""
    pending: deque[tuple[int, Future[T]]] = deque()
    for size, function, args in jobs:
        if pool is None:
            yield size, function(*args)
            continue
        pending.append((size, pool.submit(function, *args)))
        while len(pending) > ahead:
            done, future = pending.popleft()
            yield done, future.result()
    while pending:
        done, future = pending.popleft()
        yield done, future.result()


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

    def _pool(self) -> ProcessPoolExecutor | None:
        if self.workers <= 1:
            return None
        pool = ProcessPoolExecutor(self.workers)
        # Start the processes now, before this process opens DuckDB (its threads and locks
        # are not to be forked).
        list(pool.map(int, range(self.workers)))
        return pool

    def shingles(self, workdir: Workdir, params: ReuseParams, meter: Meter) -> int:
        """Stage `shingles`, written row group by row group (in `workers` processes)."""
        tmp = workdir.temporary("shingles")
        path = str(workdir.output("docs"))
        docs = pq.ParquetFile(path)
        groups = [(docs.metadata.row_group(i).num_rows, i) for i in range(docs.num_row_groups)]
        rows = 0
        pool = self._pool()
        try:
            with pq.ParquetWriter(tmp, SHINGLE_SCHEMA) as writer:
                jobs = ((size, _shingle_row_group, (path, i, params)) for size, i in groups)
                for size, out in _in_order(jobs, pool, 2 * self.workers):
                    writer.write_batch(out)
                    rows += out.num_rows
                    meter.advance(size)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        workdir.commit("shingles", tmp)
        return rows

    def candidates(self, workdir: Workdir, params: ReuseParams, meter: Meter) -> int:
        """Stage `candidates` (and its `stock` table): stock shares by the plan's SQL; the pairs
        counted from the pairable shingles in buckets of `batch_articles` targets (in `workers`
        processes; `corpus/pairs.py`), written in target order."""
        pairable = workdir.path / "pairable"
        _remove_tree(pairable)  # a killed run's
        pool = self._pool()
        try:
            self._stock_and_pairable(workdir, params, pairable)
            tmp = workdir.temporary("candidates")
            rows = 0
            with pq.ParquetWriter(tmp, CANDIDATE_SCHEMA) as writer:
                for size, out in _in_order(
                    self._buckets(pairable, params), pool, 2 * max(self.workers, 1)
                ):
                    writer.write_table(out, row_group_size=100_000)
                    rows += out.num_rows
                    meter.advance(size)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
            close_pairable()
            _remove_tree(pairable)
        workdir.commit("candidates", tmp)
        return rows

    def _stock_and_pairable(self, workdir: Workdir, params: ReuseParams, pairable: Path) -> None:
        """Write (and commit) `stock`; write the pairable shingles' arrays into `pairable`."""
        con = self._connect(workdir)
        try:
            source = _quote(workdir.scan("shingles"))
            con.execute(f"CREATE VIEW shingles AS SELECT * FROM read_parquet({source})")
            con.execute(f"CREATE TEMP TABLE df AS {DF_SQL}")
            tmp_stock = workdir.temporary("stock")
            con.execute(
                f"COPY (SELECT * FROM ({stock_sql(params, 'df')}) ORDER BY tdoc, tsent) "
                f"TO {_quote(tmp_stock)} (FORMAT parquet, ROW_GROUP_SIZE 100000)"
            )
            con.execute(f"CREATE TEMP TABLE pairable AS {pairable_sql(params, 'df')}")
            con.execute("DROP TABLE df")
            row = fetch_one(con, "SELECT count(*) FROM pairable")
            # Sorted here (in parallel), so write_pairable need not sort.
            query = "SELECT * FROM pairable ORDER BY hash, doc_key, sent"
            reader = con.sql(query).to_arrow_reader(1 << 20)
            write_pairable(iter(reader), int(row[0]) if row else 0, pairable)
        finally:
            con.close()
        workdir.commit("stock", tmp_stock)

    def _buckets(
        self, pairable: Path, params: ReuseParams
    ) -> Iterator[tuple[int, Callable[..., pa.Table], tuple[Any, ...]]]:
        """(targets, count_slice, its arguments) per bucket of `batch_articles` doc_keys."""
        arrays = open_pairable(pairable)
        if not len(arrays):
            return
        settings = (int(params.min_shared), int(params.trace.candidates_per_sentence))
        for start, stop in arrays.bucket_slices(self.batch_articles):
            yield stop - start, count_slice, (str(pairable), start, stop, *settings)

    def aligned(self, workdir: Workdir, params: ReuseParams, meter: Meter) -> int:
        """Stage `aligned`: targets in doc_key ranges of `batch_articles`, each range aligned (in
        `workers` processes) with its candidates and its sources' texts from a sealed
        source-text store (`corpus.texts`)."""
        tmp = workdir.temporary("aligned")
        store = workdir.path / ".texts"
        rows = 0
        pool = self._pool()
        con = self._connect(workdir)
        try:
            self._write_store(con, workdir, store)
            ranges = self._ranges(con, workdir, open_texts(store).keys())
            with pq.ParquetWriter(tmp, ALIGNED_SCHEMA) as writer:
                jobs = (
                    (size, align_range, (str(store), low, high, pairs, stock, params))
                    for size, low, high, pairs, stock in ranges
                )
                for size, out in _in_order(jobs, pool, 2 * self.workers):
                    writer.write_table(out)
                    rows += out.num_rows
                    meter.advance(size)
        finally:
            con.close()
            if pool is not None:
                pool.shutdown(cancel_futures=True)
            close_texts()
        workdir.commit("aligned", tmp)
        _remove_tree(store)
        _remove_tree(workdir.path / ".docstore")  # an older version's, left by a killed run
        return rows

    def _write_store(self, con: duckdb.DuckDBPyConnection, workdir: Workdir, path: Path) -> None:
        """The `docs` table as a sealed text store (rebuilt on every run of the stage)."""
        docs = _quote(workdir.scan("docs"))
        reader = con.sql(f"SELECT * FROM read_parquet({docs}) ORDER BY doc_key").to_arrow_reader(
            4096
        )
        write_texts(path, reader)

    def _ranges(
        self, con: duckdb.DuckDBPyConnection, workdir: Workdir, keys: Any
    ) -> Iterator[tuple[int, int, int, dict[str, Any], dict[str, Any]]]:
        """(targets, low, high, candidate columns, stock columns) per doc_key range."""
        cands, stock = (f"read_parquet({_quote(workdir.scan(n))})" for n in ("candidates", "stock"))
        if not len(keys):
            return
        first, last = int(keys[0]), int(keys[-1])
        for low in range(first, last + 1, self.batch_articles):
            high = min(low + self.batch_articles - 1, last)
            where = f"tdoc BETWEEN {low} AND {high}"
            pairs = _arrow(
                con, f"SELECT tdoc, tsent, sdoc, ssent, shared FROM {cands} WHERE {where}"
            )
            shares = _arrow(con, f"SELECT tdoc, tsent, stock FROM {stock} WHERE {where}")
            size = len(keys_between(keys, low, high))
            yield size, low, high, pairs.to_pydict(), shares.to_pydict()


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
