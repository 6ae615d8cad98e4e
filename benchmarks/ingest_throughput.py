"""Ingest throughput on a generated corpus, beside a raw DuckDB load of the same file as baseline.

    .venv/bin/python benchmarks/ingest_throughput.py [--articles 100000] [--workdir DIR]
        [--workers N] [--skip-baseline]

The baseline (`read_json` into a table) does no parsing into Articles, no hashing, no language
identification and no sentence splitting: it is the floor for moving these bytes into DuckDB.
Each run is a separate process, so peak memory (max RSS) is that run's own.

The wiretrace run is `wiretrace.index.updates.add_inputs` (what `wiretrace add` calls) in a child
process that samples, every tenth of the corpus, its articles/s and the bytes it has written
(`/proc/self/io` write_bytes: what reached the block layer on its behalf), and adds up the bytes
written and the seconds spent inside the store's writes (DuckDB: WAL and checkpoints) and inside
the index's (postings, merges, source records). Start and end figures are the first and the last
tenth of the run.
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from corpus_gen import write_jsonl

WORK = Path(__file__).parent / "work"

_BASELINE = """
import duckdb, sys
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE raw AS SELECT * FROM read_json(?, format='newline_delimited')",
            [sys.argv[1]])
con.close()
"""

# A fresh wrapper process per run, so RUSAGE_CHILDREN's peak is that run's alone.
_MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def io_counters() -> dict[str, int]:
    """This process's `/proc/self/io` counters (Linux)."""
    rows = Path("/proc/self/io").read_text().splitlines()
    return {key: int(value) for key, value in (row.split(": ") for row in rows)}


def _run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a command."""
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def _size_mb(db: Path) -> float:
    """The store file, its WAL and (for wiretrace) its index and source-text directories."""
    files = [db, db.with_name(db.name + ".wal")]
    for suffix in (".index", ".texts"):
        side = db.with_name(db.name + suffix)
        if side.is_dir():
            files.extend(side.rglob("*"))
    return sum(p.stat().st_size for p in files if p.is_file()) / 1e6


class _Meter:
    """Seconds and bytes written inside wrapped methods (each label inclusive of what it calls,
    counted once when it calls itself)."""

    def __init__(self) -> None:
        self.totals: dict[str, dict[str, float]] = {}
        self.depth: dict[str, int] = {}

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original: Callable[..., Any] | None = getattr(owner, name, None)
        if original is None:
            return
        slot = self.totals.setdefault(label, {"seconds": 0.0, "write_bytes": 0.0, "calls": 0})
        self.depth[label] = 0

        @functools.wraps(original)
        def measured(*args: Any, **kwargs: Any) -> Any:
            if self.depth[label]:
                return original(*args, **kwargs)
            self.depth[label] += 1
            before, t0 = io_counters()["write_bytes"], time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                slot["seconds"] += time.perf_counter() - t0
                slot["write_bytes"] += io_counters()["write_bytes"] - before
                slot["calls"] += 1
                self.depth[label] -= 1

        setattr(owner, name, measured)


def child(corpus: Path, db: Path, total: int, workers: int | None) -> None:
    """Ingest `corpus` into `db` as `wiretrace add` does, printing one JSON report."""
    from wiretrace.index import postings as index_module
    from wiretrace.index.updates import add_inputs
    from wiretrace.ingest.run import IngestProgress
    from wiretrace.store.articles import Store

    meter = _Meter()
    meter.wrap(Store, "add_articles", "store (DuckDB)")
    label = "index add (postings, records, merges)"
    meter.wrap(index_module.ShingleIndex, "add", label)  # what ingest called before bulk adds
    if hasattr(index_module, "BulkWriter"):
        meter.wrap(index_module.BulkWriter, "add", label)
        meter.wrap(index_module.BulkWriter, "finish", "index finish (last run, final merge)")
    meter.wrap(index_module.ShingleIndex, "merge", "index merges (inside the two above)")
    samples: list[dict[str, float]] = []
    step = max(1, total // 20)
    started, cpu_started = time.perf_counter(), time.process_time()
    start_io = io_counters()

    def sample(articles: int) -> dict[str, float]:
        return {
            "articles": articles,
            "seconds": time.perf_counter() - started,
            "cpu_seconds": time.process_time() - cpu_started,
            "write_bytes": io_counters()["write_bytes"] - start_io["write_bytes"],
        }

    log = db.with_name(db.name + ".samples.jsonl").open("w")  # as they come: a long run
    # stopped early still tells its story

    def on_progress(progress: IngestProgress) -> None:
        if progress.articles >= (len(samples) + 1) * step:
            samples.append(sample(progress.articles))
            log.write(json.dumps(samples[-1]) + "\n")
            log.flush()

    with Store(db) as store:
        report = add_inputs([corpus], store=store, progress=on_progress, workers=workers)
    # The worker processes' CPU (they have exited with the add; the samples' CPU is this
    # process's own: the main process that stores and indexes).
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    end = io_counters()
    finished = sample(report.added)  # after the bulk add's last run and final merge
    print(
        json.dumps(
            result := {
                "added": report.added,
                "seconds": time.perf_counter() - started,
                "write_bytes": end["write_bytes"] - start_io["write_bytes"],
                "cancelled_write_bytes": end["cancelled_write_bytes"]
                - start_io["cancelled_write_bytes"],
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "cpu_seconds": finished["cpu_seconds"],
                "worker_cpu_seconds": children.ru_utime + children.ru_stime,
                "worker_peak_mb": children.ru_maxrss / 1024,
                "samples": samples,
                "finished": finished,
                "parts": meter.totals,
            }
        )
    )
    db.with_name(db.name + ".ingest.json").write_text(json.dumps(result))  # kept for later


def _tenth(samples: list[dict[str, float]], first: bool) -> dict[str, float]:
    """Articles/s (wall and per CPU second) and bytes written per article over the first or
    the last tenth of the articles read."""
    zero = {"articles": 0.0, "seconds": 0.0, "cpu_seconds": 0.0, "write_bytes": 0.0}
    points = [zero, *samples]  # one every twentieth
    a, b = (points[0], points[2]) if first else (points[-3], points[-1])
    articles = b["articles"] - a["articles"]
    return {
        "articles_per_s": articles / (b["seconds"] - a["seconds"]),
        "articles_per_cpu_s": articles / (b["cpu_seconds"] - a["cpu_seconds"]),
        "kib_written_per_article": (b["write_bytes"] - a["write_bytes"]) / articles / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=WORK, help="corpus and stores go here")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument(
        "--workers", type=int, help="as `wiretrace add --workers` (default: every core)"
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        workers = int(args.child[3]) or None
        child(Path(args.child[0]), Path(args.child[1]), int(args.child[2]), workers)
        return
    work: Path = args.workdir
    corpus = write_jsonl(work / f"corpus-{args.articles}.jsonl", args.articles)
    raw_mb = corpus.stat().st_size / 1e6

    results: dict[str, dict[str, Any]] = {}
    if not args.skip_baseline:
        db = work / "baseline.duckdb"
        for stale in (db, db.with_name(db.name + ".wal")):
            stale.unlink(missing_ok=True)
        seconds, peak_mb = _run([sys.executable, "-c", _BASELINE, str(corpus), str(db)])
        results["duckdb read_json (baseline)"] = {
            "seconds": seconds,
            "peak_mb": peak_mb,
            "store_mb": _size_mb(db),
        }
    db = work / f"wiretrace-{args.articles}.duckdb"
    subprocess.run(["rm", "-rf", str(db), f"{db}.wal", f"{db}.index", f"{db}.texts"], check=True)
    child_args = [str(corpus), str(db), str(args.articles), str(args.workers or 0)]
    out = subprocess.run(
        [sys.executable, __file__, "--child", *child_args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    ours = json.loads(out.strip().splitlines()[-1])
    ours["store_mb"] = _size_mb(db)
    ours["start"] = _tenth(ours["samples"], first=True)
    ours["end"] = _tenth(ours["samples"], first=False)
    last, finished = ours["samples"][-1], ours["finished"]
    ours["finish"] = {  # after the last article: the last run and the final merge
        "seconds": finished["seconds"] - last["seconds"],
        "write_bytes": finished["write_bytes"] - last["write_bytes"],
    }
    results["wiretrace add"] = ours

    print(f"{args.articles:,} generated articles, {raw_mb:,.0f} MB of JSON Lines, 2-core machine\n")
    print("| run | seconds | articles/s | MB/s | peak RSS MB | store MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, r in results.items():
        print(
            f"| {name} | {r['seconds']:.1f} | {args.articles / r['seconds']:,.0f} | "
            f"{raw_mb / r['seconds']:.1f} | {r['peak_mb']:,.0f} | {r['store_mb']:,.0f} |"
        )
    start, end, finish = ours["start"], ours["end"], ours["finish"]
    kept = end["articles_per_s"] / start["articles_per_s"]
    kept_cpu = end["articles_per_cpu_s"] / start["articles_per_cpu_s"]
    print(
        f"\nwiretrace add, first tenth -> last tenth of the articles: "
        f"{start['articles_per_s']:,.0f} -> {end['articles_per_s']:,.0f} articles/s ({kept:.0%}), "
        f"{start['articles_per_cpu_s']:,.0f} -> {end['articles_per_cpu_s']:,.0f} "
        f"per CPU second ({kept_cpu:.0%}); "
        f"{start['kib_written_per_article']:.1f} -> {end['kib_written_per_article']:.1f} KiB "
        f"written per article "
        f"({end['kib_written_per_article'] / start['kib_written_per_article']:.2f}x). "
        f"After the last article: {finish['seconds']:.1f} s and "
        f"{finish['write_bytes'] / 1e9:.2f} GB (last run, final merge). "
        f"In all {ours['write_bytes'] / 1e9:.2f} GB written "
        f"({ours['write_bytes'] / ours['added'] / 1024:.1f} KiB per article), "
        f"{ours['cpu_seconds']:.0f} CPU seconds in the main process and "
        f"{ours['worker_cpu_seconds']:.0f} in its workers (peak RSS of one "
        f"{ours['worker_peak_mb']:,.0f} MB)"
    )
    print("\n| part | seconds | GB written | KiB per article |")
    print("| --- | ---: | ---: | ---: |")
    for name, part in ours["parts"].items():
        if part["calls"]:
            print(
                f"| {name} | {part['seconds']:.1f} | {part['write_bytes'] / 1e9:.2f} | "
                f"{part['write_bytes'] / ours['added'] / 1024:.1f} |"
            )
    if "duckdb read_json (baseline)" in results:
        base = results["duckdb read_json (baseline)"]
        print(f"\nwiretrace / baseline time: {ours['seconds'] / base['seconds']:.1f}x")
    print(json.dumps({"articles": args.articles, "raw_mb": raw_mb, "results": results}))


if __name__ == "__main__":
    main()
