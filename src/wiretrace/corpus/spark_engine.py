"""The scale-out engine: Apache Spark computes the plan's tables (same Python functions).

Shingling is `mapInArrow` over `shingle_batch`; the candidate pairs are the plan's relational
steps in a Spark-shaped plan (document frequencies by one aggregation on hash; pairs expanded,
counted and ranked with NumPy in `mapInArrow` tasks over buckets of targets, against the
pairable shingles' sorted arrays the driver writes and each Python worker maps (`pairs.py`); the
plan's SQL as written when they are too many); alignment is a grouped `applyInArrow` calling
`align_targets` on buckets of consecutive targets, texts read from the doc store the driver
writes in the work directory. Locally it starts `local[2]` with settings for one machine
(`local_session`); on a cluster pass the session that `spark-submit` made (docs/reuse.md).
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from wiretrace.corpus.align import ALIGNED_FIELDS, ALIGNED_SCHEMA, align_targets, shingle_batch
from wiretrace.corpus.checkpoints import Meter, Workdir
from wiretrace.corpus.pairs import (
    close_pairable,
    count_slice,
    open_pairable,
    write_pairable,
)
from wiretrace.corpus.plan import ReuseParams, candidates_sql
from wiretrace.corpus.texts import docs_of, keys_between, open_texts, write_texts
from wiretrace.errors import MissingExtra
from wiretrace.index.texts import TextStore
from wiretrace.trace.params import TraceParams

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


def local_cores(master: str) -> int:
    """Cores of a `local[N]` / `local[*]` / `local` master."""
    inside = master.partition("[")[2].partition("]")[0].partition(",")[0]
    if inside == "*":
        return os.cpu_count() or 1
    return max(int(inside), 1) if inside.isdigit() else 1


def default_memory() -> str:
    """A third of the machine's memory for the local JVM (1g to 32g): Spark's default of 1g
    spills the pair counts and shuffles to disk."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (OSError, ValueError):
        return "4g"
    return f"{min(max(total // 3 // 2**30, 1), 32)}g"


def local_session(master: str = "local[2]", *, memory: str | None = None) -> SparkSession:
    """A local SparkSession whose Python workers run this interpreter (and its packages), set
    for one machine: shuffle partitions and input splits sized to the cores, a driver with a
    third of the RAM (`memory`, or SPARK_DRIVER_MEMORY), adaptive execution. Settings given
    to `spark-submit --conf` or in spark-defaults.conf are kept: these are only defaults."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise MissingExtra("spark", "the Spark engine") from exc
    # Workers would otherwise start the system Python, without wiretrace installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    cores = local_cores(master)
    memory = memory or os.environ.get("SPARK_DRIVER_MEMORY") or default_memory()
    defaults = {
        "spark.driver.memory": memory,
        "spark.driver.maxResultSize": "0",
        "spark.sql.broadcastTimeout": "3600",
        "spark.sql.shuffle.partitions": str(8 * cores),
        "spark.default.parallelism": str(cores),
        # At least 4 input splits a core (docs is one file of 2 kB rows; 2 splits would leave
        # a core idle behind a slow one).
        "spark.sql.files.minPartitionNum": str(4 * cores),
        "spark.sql.files.maxPartitionBytes": str(64 * 2**20),
        "spark.sql.adaptive.enabled": "true",
        "spark.sql.adaptive.coalescePartitions.enabled": "true",
        "spark.sql.adaptive.skewJoin.enabled": "true",
        "spark.sql.execution.arrow.maxRecordsPerBatch": "10000",
        "spark.python.worker.reuse": "true",
        "spark.serializer": "org.apache.spark.serializer.KryoSerializer",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.session.timeZone": "UTC",
    }
    builder = SparkSession.builder.master(master).appName("wiretrace-reuse")
    given = _given_conf()
    for key, value in defaults.items():
        if key not in given:
            builder = builder.config(key, value)
    return builder.getOrCreate()


def _given_conf() -> set[str]:
    """Keys set outside this module: spark-submit's --conf (PYSPARK_SUBMIT_ARGS) and
    spark-defaults.conf, which builder settings would otherwise override."""
    given: set[str] = set()
    args = os.environ.get("PYSPARK_SUBMIT_ARGS", "").split()
    for flag, value in itertools.pairwise(args):
        if flag == "--conf":
            given.add(value.partition("=")[0])
        elif flag == "--driver-memory":
            given.add("spark.driver.memory")
    home = os.environ.get("SPARK_CONF_DIR") or (
        os.path.join(os.environ["SPARK_HOME"], "conf") if "SPARK_HOME" in os.environ else ""
    )
    conf = Path(home) / "spark-defaults.conf" if home else None
    if conf is not None and conf.is_file():
        for line in conf.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                given.add(line.split()[0])
    return given


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
        broadcast_rows: int = 400_000_000,
    ) -> None:
        self._spark = spark
        self.master = master
        self.partitions = partitions
        self.bucket_articles = bucket_articles  # targets aligned in one Python call
        # Pairable shingles up to this many are written by the driver as arrays (32 bytes a row
        # in its memory while sorted) that every Python worker maps for the pair count.
        self.broadcast_rows = broadcast_rows

    @property
    def spark(self) -> SparkSession:
        if self._spark is None:
            self._spark = local_session(self.master)
        if self.partitions:
            self._spark.conf.set("spark.sql.shuffle.partitions", str(self.partitions))
        return self._spark

    def _partitions(self) -> int:
        return int(self.spark.conf.get("spark.sql.shuffle.partitions") or 8)

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
        """Stage `candidates` (and `stock`): the plan's SQL, computed as Spark does it best.

        The plan's tables, not its text: document frequencies by one aggregation on hash (no
        sort: a window over hash sorted every shingle and took twice as long); the few stock
        shingles (in more than `max_df` sentences) broadcast for `stock`; the shingles that can
        pair (in 2 to `max_df` sentences) joined out and written to the work directory. The
        driver turns them into sorted arrays (`corpus/pairs.py`) that every Python worker maps,
        and each task counts, cuts and ranks the pairs of a few buckets of `bucket_articles`
        target documents, reading its targets from the same arrays, so no shingle or pair row
        is shuffled. Past `broadcast_rows` such shingles (a cluster's corpus), the plan's SQL
        runs as written (a shuffled self-join)."""
        from pyspark import StorageLevel
        from pyspark.sql import functions as F

        spark = self.spark
        max_df = int(params.trace.max_df)
        shingles = spark.read.parquet(str(workdir.output("shingles")))
        df = shingles.groupBy("hash").agg(F.count(F.lit(1)).alias("df"))
        df = df.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            common = df.where(f"df > {max_df}").select("hash", F.lit(1).alias("common"))
            if common.count() <= _BROADCAST_STOCK:
                common = F.broadcast(common)
            stock = (
                shingles.join(common, "hash", "left")
                .groupBy(F.col("doc_key").alias("tdoc"), F.col("sent").alias("tsent"))
                .agg(
                    F.count("common").alias("stocked"),
                    F.count(F.lit(1)).alias("shingles"),
                )
                .where("stocked > 0")
                .select(
                    "tdoc",
                    "tsent",
                    (F.col("stocked").cast("double") / F.col("shingles")).alias("stock"),
                )
            )
            self._write(stock, workdir, "stock")
            # A shingle in one sentence pairs nothing; the plan's pairs need two documents.
            rare = shingles.join(
                df.where(f"df >= 2 AND df <= {max_df}").select("hash"), "hash"
            ).select("doc_key", "sent", "hash", "published_us")
            rare_path = workdir.path / "pairable-shingles"  # not hidden: Hadoop skips dot paths
            arrays = workdir.path / "pairable"
            _remove_tree(rare_path)
            _remove_tree(arrays)
            try:
                rare.write.parquet(str(rare_path))
                rare = spark.read.parquet(str(rare_path))
                size = rare.count()
                if size <= self.broadcast_rows:
                    _write_pairable(rare_path, size, arrays)
                    frame = self._candidates_numpy(arrays, params)
                else:
                    rare.createOrReplaceTempView("shingles")
                    frame = spark.sql(candidates_sql(params))
                rows = self._write(frame, workdir, "candidates")
            finally:
                close_pairable()
                _remove_tree(rare_path)
                _remove_tree(arrays)
        finally:
            df.unpersist()
        meter.advance(rows)
        return rows

    def _candidates_numpy(self, arrays: Path, params: ReuseParams) -> DataFrame:
        """The plan's `candidates` over the pairable shingles' arrays: one row per bucket of
        `bucket_articles` consecutive target documents (its slice of the arrays in doc order),
        spread over tasks; each task counts its buckets' pairs in NumPy (`pairs.count_slice`,
        as the DuckDB engine's workers do), against the arrays each Python worker maps."""
        pairable = open_pairable(arrays)
        if not len(pairable):
            return self.spark.createDataFrame([], _CANDIDATES_DDL)
        slices = pairable.bucket_slices(self.bucket_articles)
        path = str(arrays)
        min_shared = int(params.min_shared)
        limit = int(params.trace.candidates_per_sentence)

        def count(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            for batch in batches:
                columns = batch.to_pydict()
                for start, stop in zip(columns["start"], columns["stop"], strict=True):
                    yield from count_slice(path, start, stop, min_shared, limit).to_batches()

        tasks = min(len(slices), 4 * self._partitions())
        ranges = self.spark.sparkContext.parallelize(slices, tasks)
        return ranges.toDF("start long, stop long").mapInArrow(count, _CANDIDATES_DDL)

    def aligned(self, workdir: Workdir, params: ReuseParams, meter: Meter) -> int:
        """Stage `aligned`: targets in buckets of `bucket_articles` consecutive doc_keys, each
        bucket's candidate and stock rows grouped (`applyInArrow`) and aligned in a Python
        worker that reads the texts from a sealed source-text store (`corpus.texts`) the driver
        writes into the work directory, as the DuckDB engine does: the texts never go through a
        shuffle."""
        from pyspark.sql import functions as F

        spark = self.spark
        trace_params = params.trace
        size = int(self.bucket_articles)
        store_path = workdir.path / ".texts"
        _write_texts(workdir, store_path)
        _remove_tree(workdir.path / ".docstore")  # an older version's, left by a killed run
        texts = TextStore.open_sealed(store_path)
        keys = texts.keys()
        texts.close()
        if not len(keys):
            empty = spark.createDataFrame([], _ALIGNED_DDL)
            rows = self._write(empty, workdir, "aligned")
            _remove_tree(store_path)
            return rows
        first, last = int(keys[0]) // size, int(keys[-1]) // size
        bucket = F.expr(f"CAST(tdoc div {size} AS INT)").alias("bucket")
        cands = spark.read.parquet(str(workdir.output("candidates")))
        stock = spark.read.parquet(str(workdir.output("stock")))
        pairs = cands.select(bucket, *_PAIR_COLUMNS[:-1], F.lit(0.0).alias("stock")).unionByName(
            stock.select(
                bucket,
                "tdoc",
                "tsent",
                F.lit(-1).alias("sdoc"),
                F.lit(-1).alias("ssent"),
                F.lit(0).alias("shared"),
                "stock",
            )
        )
        # One row per bucket, so a bucket whose targets have no candidates is aligned too.
        marks = spark.range(first, last + 1, numPartitions=1).select(
            F.col("id").cast("int").alias("bucket"),
            *[F.lit(-1).alias(c) for c in _PAIR_COLUMNS[:-1]],
            F.lit(0.0).alias("stock"),
        )
        path = str(store_path)

        def align(rows: pa.Table) -> pa.Table:
            return _align_bucket(rows, path, size, trace_params)

        out = (
            pairs.unionByName(marks)
            .repartition(self._partitions(), "bucket")
            .groupBy("bucket")
            .applyInArrow(align, _ALIGNED_DDL)
        )
        try:
            rows = self._write(out, workdir, "aligned")
        finally:
            _remove_tree(store_path)
        meter.advance(len(keys))
        return rows


_PAIR_COLUMNS = ("tdoc", "tsent", "sdoc", "ssent", "shared", "stock")


def _write_texts(workdir: Workdir, path: Path) -> None:
    """The `docs` table as a sealed text store, in doc_key order (DuckDB sorts whatever wrote
    it)."""
    import duckdb

    source = workdir.scan("docs").replace("'", "''")
    con = duckdb.connect()
    try:
        query = f"SELECT * FROM read_parquet('{source}') ORDER BY doc_key"
        write_texts(path, con.sql(query).to_arrow_reader(4096))
    finally:
        con.close()


def _align_bucket(rows: pa.Table, store_path: str, size: int, params: TraceParams) -> pa.Table:
    """The `aligned` rows of one bucket's targets, their texts and sources' from the text store."""
    store = open_texts(store_path)
    columns = rows.select(["bucket", *_PAIR_COLUMNS]).to_pydict()
    low = int(columns["bucket"][0]) * size
    pairs: dict[int, list[tuple[int, int, int, int]]] = {}
    shares: dict[int, dict[int, float]] = {}
    for tdoc, tsent, sdoc, ssent, shared, share in zip(
        *(columns[c] for c in _PAIR_COLUMNS), strict=True
    ):
        if tdoc < 0:
            continue  # the bucket's own row
        if sdoc < 0:
            shares.setdefault(tdoc, {})[tsent] = share
        else:
            pairs.setdefault(tdoc, []).append((tsent, sdoc, ssent, shared))
    targets = docs_of(store, keys_between(store.keys(), low, low + size - 1))
    docs = docs_of(store, {c[1] for found in pairs.values() for c in found})
    docs.update(targets)
    out = align_targets(targets.values(), docs, pairs, shares, params)
    return pa.Table.from_pylist(out, schema=ALIGNED_SCHEMA)


def _write_pairable(rare_path: Path, rows: int, arrays: Path) -> None:
    """The pairable shingles Spark wrote, as the sorted arrays every Python worker maps."""
    import pyarrow.dataset as ds

    parts = ds.dataset(str(rare_path), format="parquet")
    write_pairable(iter(parts.to_batches(batch_size=1 << 20)), rows, arrays)


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def session_info(spark: Any) -> str:
    """Master and parallelism of a session, for benchmark reports."""
    return f"{spark.sparkContext.master} (parallelism {spark.sparkContext.defaultParallelism})"


_CANDIDATES_DDL = "tdoc int, tsent int, sdoc int, ssent int, shared int"
# Stock shingles (in more than `max_df` sentences) up to this many are broadcast for `stock`.
_BROADCAST_STOCK = 20_000_000
