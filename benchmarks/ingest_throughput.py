"""Ingest throughput on a generated corpus, beside a raw DuckDB load of the same file as baseline.

    .venv/bin/python benchmarks/ingest_throughput.py [--articles 100000]

The baseline (`read_json` into a table) does no parsing into Articles, no hashing, no language
identification and no sentence splitting: it is the floor for moving these bytes into DuckDB.
Each run is a separate process, so peak memory (max RSS) is that run's own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

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


def _run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a command."""
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def _size_mb(db: Path) -> float:
    """The store file, its WAL and (for wiretrace) its index directory."""
    files = [db, db.with_name(db.name + ".wal")]
    index = db.with_name(db.name + ".index")
    if index.is_dir():
        files.extend(index.rglob("*"))
    return sum(p.stat().st_size for p in files if p.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()
    corpus = write_jsonl(WORK / f"corpus-{args.articles}.jsonl", args.articles)
    raw_mb = corpus.stat().st_size / 1e6

    results = {}
    for name, command, db in (
        (
            "duckdb read_json (baseline)",
            [sys.executable, "-c", _BASELINE, str(corpus)],
            WORK / "baseline.duckdb",
        ),
        (
            "wiretrace add",
            [sys.executable, "-m", "wiretrace.cli", "add", str(corpus), "-q", "--db"],
            WORK / "wiretrace.duckdb",
        ),
    ):
        for stale in (db, db.with_name(db.name + ".wal")):
            stale.unlink(missing_ok=True)
        seconds, peak_mb = _run([*command, str(db)])
        results[name] = {"seconds": seconds, "peak_mb": peak_mb, "store_mb": _size_mb(db)}

    ours = results["wiretrace add"]
    base = results["duckdb read_json (baseline)"]
    print(f"{args.articles:,} generated articles, {raw_mb:,.0f} MB of JSON Lines, 2-core machine\n")
    print("| run | seconds | articles/s | MB/s | peak RSS MB | store MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, r in results.items():
        print(
            f"| {name} | {r['seconds']:.1f} | {args.articles / r['seconds']:,.0f} | "
            f"{raw_mb / r['seconds']:.1f} | {r['peak_mb']:,.0f} | {r['store_mb']:,.0f} |"
        )
    print(f"\nwiretrace / baseline time: {ours['seconds'] / base['seconds']:.1f}x")
    print(json.dumps({"articles": args.articles, "raw_mb": raw_mb, "results": results}))


if __name__ == "__main__":
    main()
