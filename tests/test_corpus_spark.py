"""The Spark engine runs the same plan as DuckDB: byte-identical reuse JSON on the same crawl."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_corpus import build_store
from wiretrace.corpus import run_reuse

pytest.importorskip("pyspark")
pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from wiretrace.corpus.spark_engine import local_session

    session = local_session("local[2]", memory="1g")
    yield session
    session.stop()


def test_spark_and_duckdb_give_identical_json(spark: Any, tmp_path: Path) -> None:
    from wiretrace.corpus.spark_engine import SparkEngine

    db = tmp_path / "crawl.duckdb"
    build_store(db)
    local = run_reuse(db=db, workdir=tmp_path / "duck")
    engine = SparkEngine(spark=spark, partitions=4)
    # Stop after the relational steps and resume: Spark checkpoints (part directories) resume too.
    partial = run_reuse(db=db, engine=engine, workdir=tmp_path / "spark", until="candidates")
    assert partial.stopped_after == "candidates"
    assert (tmp_path / "spark" / "candidates.parquet").is_dir()
    scaled = run_reuse(db=db, engine=engine, workdir=tmp_path / "spark")
    assert scaled.stages["shingles"]["skipped"] and scaled.engine == "spark"
    assert local.relation_count == 5
    assert scaled.to_json() == local.to_json()
    # Past `broadcast_rows` pairable shingles the plan's SQL runs as written (shuffled
    # self-join): the same candidates and stock shares.
    shuffled = SparkEngine(spark=spark, partitions=4, broadcast_rows=0)
    run_reuse(db=db, engine=shuffled, workdir=tmp_path / "sql", until="candidates")
    for name in ("candidates", "stock"):
        assert _rows(tmp_path / "sql" / f"{name}.parquet") == _rows(
            tmp_path / "spark" / f"{name}.parquet"
        )


def _rows(path: Path) -> list[tuple[Any, ...]]:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    return sorted(zip(*table.to_pydict().values(), strict=True))
