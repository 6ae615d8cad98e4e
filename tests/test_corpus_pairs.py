"""The candidate pairs counted in NumPy (`corpus/pairs.py`) are the rows of the plan's SQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.test_corpus import build_store
from wiretrace.corpus import ReuseParams, run_reuse
from wiretrace.corpus.duckdb_engine import DuckDBEngine
from wiretrace.corpus.pairs import Pairable, count_targets, open_pairable, write_pairable
from wiretrace.corpus.plan import candidates_sql
from wiretrace.trace.params import TraceParams


def _sql_rows(shingles: Path, params: ReuseParams) -> list[tuple[Any, ...]]:
    con = duckdb.connect()
    con.execute(f"CREATE VIEW shingles AS SELECT * FROM read_parquet('{shingles}')")
    rows = con.sql(candidates_sql(params)).fetchall()
    con.close()
    return sorted(rows)


def _file_rows(path: Path) -> list[tuple[Any, ...]]:
    table = pq.read_table(path)
    return list(zip(*table.to_pydict().values(), strict=True))


@pytest.mark.parametrize("min_shared", [1, 2])
def test_engine_candidates_are_the_plans_sql(tmp_path: Path, min_shared: int) -> None:
    db = tmp_path / "crawl.duckdb"
    build_store(db)
    params = ReuseParams(min_shared=min_shared)
    run_reuse(db=db, workdir=tmp_path / "one", params=params, until="candidates")
    want = _sql_rows(tmp_path / "one" / "shingles.parquet", params)
    assert len(want) > 10
    got = _file_rows(tmp_path / "one" / "candidates.parquet")
    assert got == want  # and written in (tdoc, tsent, sdoc, ssent) order
    # Buckets of two targets in two processes: the same file; its arrays are removed.
    engine = DuckDBEngine(workers=2, batch_articles=2)
    run_reuse(db=db, engine=engine, workdir=tmp_path / "two", params=params, until="candidates")
    assert _file_rows(tmp_path / "two" / "candidates.parquet") == want
    assert not (tmp_path / "two" / "pairable").exists()


def _random_shingles(rng: np.random.Generator, rows: int, docs: int) -> pa.Table:
    published = rng.integers(0, 5, rows) * 1_000_000
    unknown = rng.random(rows) < 0.1
    return pa.table(
        {
            "doc_key": pa.array(rng.integers(0, docs, rows), pa.int32()),
            "sent": pa.array(rng.integers(0, 6, rows), pa.int32()),
            "hash": pa.array(rng.integers(0, 40, rows), pa.int64()),
            "published_us": pa.array(published, pa.int64(), mask=unknown),
        }
    )


def test_wide_keys_count_as_packed_keys(tmp_path: Path) -> None:
    """Keys too wide for 63 bits are grouped by a lexsort: the same rows as packed keys."""
    table = _random_shingles(np.random.default_rng(7), 3000, 60)
    write_pairable(iter(table.to_batches(max_chunksize=700)), table.num_rows, tmp_path)
    arrays = open_pairable(tmp_path)
    assert np.all(np.diff(arrays.hash) >= 0)
    targets = tuple(
        np.asarray(column)
        for column in (
            np.asarray(arrays.doc, dtype=np.int64),
            np.asarray(arrays.sent, dtype=np.int64),
            arrays.hash,
            arrays.published,
        )
    )
    packed = count_targets(targets, arrays, 2, 3)  # type: ignore[arg-type]
    fields = {name: getattr(arrays, name) for name in Pairable.__slots__}
    wide = Pairable(**{**fields, "max_doc": 1 << 40})
    assert count_targets(targets, wide, 2, 3) == packed  # type: ignore[arg-type]
    # Against the plan's SQL on the same rows.
    pq.write_table(table, tmp_path / "s.parquet")
    params = ReuseParams(trace=TraceParams(candidates_per_sentence=3))
    assert _file_rows_of(packed) == _sql_rows(tmp_path / "s.parquet", params)


def _file_rows_of(table: pa.Table) -> list[tuple[Any, ...]]:
    return list(zip(*table.to_pydict().values(), strict=True))
