"""Speed of incident building on the generated world: full build, then one-article updates.

    .venv/bin/python benchmarks/corroborate_speed.py [--articles 100000] [--updates 20]
        [--engine duckdb|spark] [--master local[2]]

The world (`eval_incidents.world`: wire stories, farm copies, independent local reports; about
four articles an incident) is stored once in `benchmarks/work/corroborate-base-N.duckdb` and
copied to `corroborate-N-ENGINE.duckdb` for each run, so every run extracts from scratch. Reports
the full build (claim extraction, grouping, grading) split into its steps, and its CPU seconds;
grouping+grading alone (load, `group_all`, `assemble_all` in this process); the median and
maximum time of `update_incidents` for one new article (and its median CPU time); the peak
resident memory of this process and its children (the Spark JVM and Python workers), sampled
every 0.2 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from eval_incidents import world
from wiretrace.corroborate import build_incidents, update_incidents
from wiretrace.corroborate.groups import group_all
from wiretrace.corroborate.incidents import assemble_all
from wiretrace.corroborate.storage import load_claims
from wiretrace.doc.article import Article
from wiretrace.store.articles import Store

WORK = Path(__file__).parent / "work"


def _tree_rss_mb(root: int) -> float:
    """Resident memory (MB) of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total / 2**20


class PeakMemory:
    """Samples the resident memory of this process tree in a thread; `.peak` in MB."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, _tree_rss_mb(os.getpid()))

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _cpu_seconds() -> float:
    """CPU seconds of this process (all threads) and its waited-for children: on a shared
    machine wall-clock times follow the load, CPU time much less."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _base_store(articles: list[Article], path: Path) -> None:
    if path.exists():
        return
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    started = time.perf_counter()
    with Store(tmp) as store:
        for start in range(0, len(articles), 5000):
            store.add_articles(articles[start : start + 5000])
    tmp.rename(path)
    print(f"stored {len(articles)} articles in {time.perf_counter() - started:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=8000, help="about this many articles")
    parser.add_argument("--updates", type=int, default=20)
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args(argv)
    incidents = max(1, args.articles // 4)
    articles, _ = world(incidents, seed=11)
    held, base = articles[-args.updates :], articles[: -args.updates]
    WORK.mkdir(exist_ok=True)
    pristine = WORK / f"corroborate-base-{args.articles}.duckdb"
    _base_store(base, pristine)
    db = WORK / f"corroborate-{args.articles}-{args.engine}.duckdb"
    shutil.copyfile(pristine, db)
    with PeakMemory() as memory, Store(db) as store:
        started, cpu = time.perf_counter(), _cpu_seconds()
        result = build_incidents(db=store, engine=args.engine, master=args.master)
        full, full_cpu = time.perf_counter() - started, _cpu_seconds() - cpu
        started = time.perf_counter()
        rows = load_claims(store.db)
        groups = group_all(rows)
        assemble_all(rows)
        regroup = time.perf_counter() - started
        store.add_articles(held)
        times, cpu_times = [], []
        for article in held:
            started, cpu = time.perf_counter(), _cpu_seconds()
            update_incidents(store, [article.id])
            times.append(time.perf_counter() - started)
            cpu_times.append(_cpu_seconds() - cpu)
    n = len(base)
    steps = "  ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items())
    print(f"engine {args.engine} ({args.master if args.engine == 'spark' else 'local'}), "
          f"cpus {os.cpu_count()}")  # fmt: skip
    print(f"articles {n}, claims {len(rows)}, groups {len(set(groups.values()))}")
    print(f"incidents {len(result.incidents)}")
    print(f"full build        {full:8.1f} s  {n / full:8.0f} articles/s   ({steps})")
    print(f"full build CPU    {full_cpu:8.1f} s  (this process and its children, all threads)")
    print(f"group+grade only  {regroup:8.1f} s  {n / regroup:8.0f} articles/s")
    print(f"update one article: median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms; CPU median "
          f"{statistics.median(cpu_times) * 1000:.0f} ms")  # fmt: skip
    print(f"peak memory (process tree) {memory.peak:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
