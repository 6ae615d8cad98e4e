"""The api of the corpus-wide reuse pass: `reuse` (who copies whom across the store, on DuckDB or
Spark, resumable from its work directory) and `graph` (its outlet graph, exported or drawn)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from wiretrace.errors import MissingExtra

if TYPE_CHECKING:  # the corpus package (pyarrow, the engines) loads when a command runs
    from wiretrace.corpus import ProgressCallback, ReuseResult
    from wiretrace.corpus.run import Engine

STAGE_NAMES = ("docs", "shingles", "candidates", "aligned", "result")
DEFAULT_WORKDIR = "out/reuse"


def reuse(
    *,
    db: str | Path | None = None,
    workdir: str | Path = DEFAULT_WORKDIR,
    engine: str = "duckdb",
    until: str | None = None,
    min_shared: int = 2,
    max_df: int = 200,
    master: str = "local[2]",
    workers: int = 1,
    progress: ProgressCallback | None = None,
) -> ReuseResult:
    """Who copies whom across the whole store: relations, story clusters, outlet profiles.

    A rerun resumes from the stage checkpoints in `workdir` (and refuses other settings);
    `until` stops after that stage. `min_shared`: shingles a sentence pair must share to be
    aligned; `max_df`: shingles in more sentences are stock phrases. `master`: the Spark
    master (engine "spark", the `spark` extra); `workers`: DuckDB aligning processes.
    """
    from wiretrace.corpus import ReuseParams, run_reuse
    from wiretrace.trace.params import DEFAULT_PARAMS

    params = ReuseParams(trace=replace(DEFAULT_PARAMS, max_df=max_df), min_shared=min_shared)
    return run_reuse(
        db=db,
        engine=_engine(engine, master=master, workers=workers),
        workdir=workdir,
        until=until,
        params=params,
        progress=progress,
    )


def _engine(name: str, *, master: str, workers: int) -> Engine | str:
    """The engine object (an unknown name is left for `run_reuse` to refuse)."""
    if name == "spark":
        try:
            from wiretrace.corpus.spark_engine import SparkEngine
        except ImportError as exc:
            raise MissingExtra("spark", "the Spark engine") from exc
        return SparkEngine(master=master)
    if name == "duckdb":
        from wiretrace.corpus.duckdb_engine import DuckDBEngine

        return DuckDBEngine(workers=workers)
    return name


@dataclass(slots=True)
class GraphFile:
    """The graph file `graph` wrote."""

    path: str
    format: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def graph(
    output: str | Path, *, workdir: str | Path = DEFAULT_WORKDIR, format: str | None = None
) -> GraphFile:
    """Export the outlet reuse graph of a finished run (CSV edges, GraphML, Parquet), or with no
    `format` and a .png/.svg `output`, draw it (the `plot` extra)."""
    from wiretrace.corpus import export_graph, load_result, plot_graph
    from wiretrace.corpus.graph import graph_format

    out = Path(output)
    result = load_result(workdir)
    if format is None and out.suffix.lower() in (".png", ".svg"):
        plot_graph(result, out)
        return GraphFile(path=str(out), format=out.suffix.lower().lstrip("."))
    export_graph(result, out, format)
    return GraphFile(path=str(out), format=graph_format(out, format))
