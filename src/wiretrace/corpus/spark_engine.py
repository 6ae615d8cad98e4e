"""The scale-out engine: Apache Spark runs the same plan (same SQL, same Python functions).

Shingling is `mapInArrow` over `shingle_batch`; the relational steps are the plan's SQL through
`spark.sql`; alignment is a cogrouped `applyInArrow` calling `align_bundle` on buckets of
consecutive targets, each bucket with the texts of its candidate sources. Locally it starts
`local[2]`; on a cluster pass the session that `spark-submit` made (docs/reuse.md).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from wiretrace.corpus.align import ALIGNED_FIELDS, ALIGNED_SCHEMA, align_bundle, shingle_batch
from wiretrace.corpus.checkpoints import Meter, Workdir
from wiretrace.corpus.plan import ReuseParams, candidates_sql, stock_sql
from wiretrace.errors import MissingExtra

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

_SHINGLES_DDL = "doc_key int, sent int, hash bigint, published_us bigint"
_SPARK_TYPES = {
    pa.string(): "string",
    pa.int8(): "tinyint",
    pa.int32(): "int",
    pa.int64(): "bigint",
}
_ALIGNED_DDL = ", ".join(f"{name} {_SPARK_TYPES[kind]}" for name, kind in ALIGNED_FIELDS)
_DOC_COLUMNS = ("doc_key", "article_id", "url", "outlet", "published_us", "text", "starts", "stops")


def local_session(master: str = "local[2]", *, memory: str = "4g") -> SparkSession:
    """A local SparkSession whose Python workers run this interpreter (and its packages)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise MissingExtra("spark", "the Spark engine") from exc
    # Workers would otherwise start the system Python, without wiretrace installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    return (
        SparkSession.builder.master(master)
        .appName("wiretrace-reuse")
        .config("spark.driver.memory", memory)
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


class SparkEngine:
    """Runs the plan on Spark; the session is made on first use unless one is given."""

    name = "spark"

    def __init__(
        self,
        *,
        spark: SparkSession | None = None,
        master: str = "local[2]",
        partitions: int | None = None,
        bucket_articles: int = 500,
    ) -> None:
        self._spark = spark
        self.master = master
        self.partitions = partitions
        self.bucket_articles = bucket_articles  # targets aligned in one Python call

    @property
    def spark(self) -> SparkSession:
        if self._spark is None:
            self._spark = local_session(self.master)
        if self.partitions:
            self._spark.conf.set("spark.sql.shuffle.partitions", str(self.partitions))
        return self._spark

    def _write(self, frame: DataFrame, workdir: Workdir, name: str) -> int:
        tmp = workdir.temporary(name)
        frame.write.parquet(str(tmp))
        workdir.commit(name, tmp)
        return int(self.spark.read.parquet(str(workdir.output(name))).count())

    def shingles(self, workdir: Workdir, params: ReuseParams, meter: Meter) -> int:
        """Stage `shingles`: `shingle_batch` over Arrow batches of the `docs` table."""
        settings = params.shingles

        def shingle(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            for batch in batches:
                yield shingle_batch(batch, settings)

        docs = self.spark.read.parquet(str(workdir.output("docs")))
        rows = self._write(
            docs.select(*_DOC_COLUMNS).mapInArrow(shingle, _SHINGLES_DDL), workdir, "shingles"
        )
        meter.advance(int(docs.count()))
        return rows

    def candidates(self, workdir: Workdir, params: ReuseParams, meter: Meter) -> int:
        """Stage `candidates` (and `stock`): the plan's SQL, as DuckDB runs it."""
        spark = self.spark
        spark.read.parquet(str(workdir.output("shingles"))).createOrReplaceTempView("shingles")
        self._write(spark.sql(stock_sql(params)), workdir, "stock")
        rows = self._write(spark.sql(candidates_sql(params)), workdir, "candidates")
        meter.advance(rows)
        return rows

    def aligned(self, workdir: Workdir, params: ReuseParams, meter: Meter) -> int:
        """Stage `aligned`: targets in buckets of `bucket_articles` consecutive doc_keys, each
        bucket cogrouped with its candidates and the texts of its sources (once a bucket)."""
        from pyspark.sql import functions as F

        spark = self.spark
        trace_params = params.trace
        bucket = F.expr(f"CAST(tdoc div {int(self.bucket_articles)} AS INT)").alias("bucket")
        docs = spark.read.parquet(str(workdir.output("docs"))).select(*_DOC_COLUMNS)
        cands = spark.read.parquet(str(workdir.output("candidates")))
        stock = spark.read.parquet(str(workdir.output("stock")))
        pairs = cands.withColumn("stock", F.lit(0.0)).unionByName(
            stock.select(
                "tdoc",
                "tsent",
                F.lit(-1).alias("sdoc"),
                F.lit(-1).alias("ssent"),
                F.lit(0).alias("shared"),
                "stock",
            )
        )
        pairs = pairs.select(bucket, *pairs.columns)
        needed = cands.select(bucket, "sdoc").distinct()
        targets = docs.select(
            F.expr(f"CAST(doc_key div {int(self.bucket_articles)} AS INT)").alias("bucket"),
            F.lit(0).alias("role"),
            *_DOC_COLUMNS,
        )
        sources = needed.join(docs, needed["sdoc"] == docs["doc_key"]).select(
            "bucket", F.lit(1).alias("role"), *[docs[c] for c in _DOC_COLUMNS]
        )

        def align(left: pa.Table, right: pa.Table) -> pa.Table:
            rows = align_bundle(left.to_pylist(), right.to_pylist(), trace_params)
            return pa.Table.from_pylist(rows, schema=ALIGNED_SCHEMA)

        out = (
            targets.unionByName(sources)
            .groupBy("bucket")
            .cogroup(pairs.groupBy("bucket"))
            .applyInArrow(align, _ALIGNED_DDL)
        )
        rows = self._write(out, workdir, "aligned")
        meter.advance(int(docs.count()))
        return rows


def session_info(spark: Any) -> str:
    """Master and parallelism of a session, for benchmark reports."""
    return f"{spark.sparkContext.master} (parallelism {spark.sparkContext.defaultParallelism})"
