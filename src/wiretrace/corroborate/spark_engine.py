"""Incidents on Apache Spark: distributed claim extraction and grouping per part of a key.

The driver exports the articles not processed yet from the store to Parquet in a work directory;
Spark extracts their claims with `mapInArrow(extract_batches)` (the plain-Python `claim_rows`),
and the driver inserts them into `corroborate_claims`. Then the driver exports every claim and
finds the parts of each grouping key (`groups.Partitioner`: spatial cells and runs of days that
never share a group) from the distinct keys, places and days; Spark labels each claim with its
part (`keyed_batches`), groups by part and runs the plain-Python greedy `group_all` on each
part's claims (`applyInArrow(group_table)`), and the driver writes the group ids back. Origins
and grades are assembled by the caller as on DuckDB, so both engines give the same incidents.
The work directory is handled with local paths: on a cluster it must be a file system the driver
and all executors see (NFS, a FUSE mount), as for `wiretrace reuse`.
"""

from __future__ import annotations

import functools
import math
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from wiretrace.corroborate.batches import (
    ARTICLE_COLUMNS,
    GROUPS_SCHEMA,
    KEY_FIELD,
    KEYED_SCHEMA,
    extract_batches,
    group_table,
    keyed_batches,
)
from wiretrace.corroborate.groups import Partitioner
from wiretrace.corroborate.storage import CLAIMS_SCHEMA, COLUMNS, insert_claims_table
from wiretrace.errors import MissingExtra
from wiretrace.store import corroboration, queries
from wiretrace.store.articles import Store

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

ARTICLES_PER_TASK = 2000  # about 10 s of extraction on one core
_DDL_TYPES = {
    pa.string(): "string",
    pa.int32(): "int",
    pa.float64(): "double",
    pa.date32(): "date",
    pa.timestamp("us", tz="UTC"): "timestamp",
}


def ddl(schema: pa.Schema) -> str:
    """A Spark DDL string for an Arrow schema of the types used here."""
    return ", ".join(f"`{f.name}` {_DDL_TYPES[f.type]}" for f in schema)


def spark_session(spark: SparkSession | None, master: str) -> SparkSession:
    """The session given, else a local one (`local[2]`); MissingExtra without PySpark."""
    if spark is not None:
        return spark
    try:
        from wiretrace.corpus.spark_engine import local_session
    except ImportError as exc:
        raise MissingExtra("spark", "the Spark engine") from exc
    return local_session(master)


@contextmanager
def work_directory(workdir: str | Path | None) -> Iterator[Path]:
    """The given work directory (created), else a temporary one removed afterwards."""
    if workdir is not None:
        path = Path(workdir)
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="wiretrace-incidents-") as tmp:
        yield Path(tmp)


def _fresh(path: Path) -> str:
    """A path for an output, with anything left by an earlier run removed."""
    import shutil

    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    return str(path)


def _read(path: Path, schema: pa.Schema) -> pa.Table:
    """A Spark output directory as one Arrow table (empty with `schema` when it has no parts)."""
    if not any(path.glob("*.parquet")):
        return schema.empty_table()
    return pq.read_table(str(path))


def extract(spark: SparkSession, store: Store, ids: Sequence[str], workdir: Path) -> int:
    """Extract the claims of these articles on Spark and store them; the number of claims."""
    if not ids:
        return 0
    articles = workdir / "articles.parquet"
    queries.export_articles(store.db, ids, ARTICLE_COLUMNS, Path(_fresh(articles)))
    parallel = int(spark.sparkContext.defaultParallelism)
    parts = max(parallel * 2, math.ceil(len(ids) / ARTICLES_PER_TASK))
    out = workdir / "claims.parquet"
    frame = spark.read.parquet(str(articles)).repartition(parts)
    frame.mapInArrow(extract_batches, ddl(CLAIMS_SCHEMA)).write.parquet(_fresh(out))
    table = _read(out, CLAIMS_SCHEMA)
    insert_claims_table(store.db, table, ids)
    return int(table.num_rows)


def group(spark: SparkSession, store: Store, workdir: Path) -> dict[str, str]:
    """Claim id -> group id for every stored claim, grouped per part of a key on Spark."""
    claims = workdir / "all_claims.parquet"
    corroboration.export_claims(store.db, COLUMNS, Path(_fresh(claims)))

    # The parts (key, spatial cell, run of days) are found on the driver from the distinct
    # keys, places and days; each part is grouped in its own task.
    keyed = functools.partial(keyed_batches, partitioner=Partitioner.from_db(store.db))
    out = workdir / "groups.parquet"
    (
        spark.read.parquet(str(claims))
        .mapInArrow(keyed, ddl(KEYED_SCHEMA))
        .groupBy(KEY_FIELD)
        .applyInArrow(group_table, ddl(GROUPS_SCHEMA))
        .write.parquet(_fresh(out))
    )
    table = _read(out, GROUPS_SCHEMA)
    return dict(
        zip(table.column("claim_id").to_pylist(), table.column("group_id").to_pylist(), strict=True)
    )


def session_info(spark: Any) -> str:
    """Master and parallelism of a session, for reports."""
    return f"{spark.sparkContext.master} (parallelism {spark.sparkContext.defaultParallelism})"
