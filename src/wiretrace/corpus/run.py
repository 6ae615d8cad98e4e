"""`run_reuse`: the reuse plan's stages in order, each skipped when its checkpoint is there."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from wiretrace.corpus.checkpoints import Meter, ProgressCallback, ProgressEvent, ReuseError, Workdir
from wiretrace.corpus.duckdb_engine import DuckDBEngine, export_docs, store_fingerprint
from wiretrace.corpus.plan import STAGES, ReuseParams
from wiretrace.corpus.result import RESULT_FILE, ReuseResult, build_result, read_relation_links
from wiretrace.store.articles import default_db_path

ENGINES = ("duckdb", "spark")


class Engine(Protocol):
    """What an engine runs: the three stages between `docs` and `result`."""

    name: str

    def shingles(self, workdir: Workdir, params: ReuseParams, meter: Meter) -> int: ...

    def candidates(self, workdir: Workdir, params: ReuseParams, meter: Meter) -> int: ...

    def aligned(self, workdir: Workdir, params: ReuseParams, meter: Meter) -> int: ...


def make_engine(name: str, **options: Any) -> Engine:
    """The engine called `name`; Spark needs the `spark` extra."""
    if name == "duckdb":
        return DuckDBEngine(**options)
    if name == "spark":
        from wiretrace.corpus.spark_engine import SparkEngine

        return SparkEngine(**options)
    raise ReuseError(f"unknown engine {name!r}; choose {' or '.join(ENGINES)}")


def run_reuse(
    *,
    db: str | Path | None = None,
    engine: str | Engine = "duckdb",
    workdir: str | Path,
    until: str | None = None,
    params: ReuseParams | None = None,
    progress: ProgressCallback | None = None,
) -> ReuseResult:
    """Run (or resume) the corpus-wide reuse pass over a store; stop after `until` if given."""
    if until is not None and until not in STAGES:
        raise ReuseError(f"unknown stage {until!r}; stages: {', '.join(STAGES)}")
    params = params or ReuseParams()
    store = Path(db) if db is not None else default_db_path()
    work = Workdir(workdir)
    runner = make_engine(engine) if isinstance(engine, str) else engine
    work.check_params({"params": params.to_dict(), "store": store_fingerprint(store)})
    result = ReuseResult(workdir=str(work.path), engine=runner.name)
    steps = {
        "docs": lambda meter: export_docs(store, work, meter),
        "shingles": lambda meter: runner.shingles(work, params, meter),
        "candidates": lambda meter: runner.candidates(work, params, meter),
        "aligned": lambda meter: runner.aligned(work, params, meter),
    }
    for stage in STAGES[:-1]:
        if work.is_done(stage):
            result.stages[stage] = {**work.done_info(stage), "skipped": True}
            if progress is not None:
                info = result.stages[stage]
                progress(ProgressEvent(stage, info["rows"], info["rows"], 0.0, skipped=True))
        else:
            # The checkpoints change: a result.json made from the old ones goes.
            (work.path / RESULT_FILE).unlink(missing_ok=True)
            articles = result.stages.get("docs", {}).get("rows")
            meter = Meter(stage, progress, articles if stage in ("shingles", "aligned") else None)
            started = time.perf_counter()
            rows = steps[stage](meter)
            info = {"rows": rows, "seconds": round(time.perf_counter() - started, 3)}
            work.mark_done(stage, info)
            result.stages[stage] = {**info, "skipped": False}
        if stage == until:
            result.stopped_after = stage
            return result
    started = time.perf_counter()
    build_result(work, result, progress=progress)
    result.stages["result"] = {
        "rows": result.relation_count,
        "seconds": round(time.perf_counter() - started, 3),
        "skipped": False,
    }
    return result


def load_result(workdir: str | Path) -> ReuseResult:
    """The summary of a finished run from its checkpoints alone (for `wiretrace graph`): counts,
    outlet profiles and graph; `json_path` is the result.json its `result` stage wrote, if any."""
    work = _finished(workdir)
    result = ReuseResult(workdir=str(work.path), engine="checkpoints")
    build_result(work, result, write=False)
    written = work.path / RESULT_FILE
    result.json_path = str(written) if written.is_file() else None
    return result


def relation_links(workdir: str | Path) -> Iterator[tuple[str, str, list[str]]]:
    """(source, target, earliest origins) article ids of every relation of a finished run."""
    return read_relation_links(_finished(workdir))


def _finished(workdir: str | Path) -> Workdir:
    work = Workdir(workdir)
    if not work.is_done("aligned"):
        raise ReuseError(f"{work.path}: no finished reuse run here (run 'wiretrace reuse' first)")
    return work
