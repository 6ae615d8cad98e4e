"""Speed of incident building on the generated world: full build, then one-article updates.

    .venv/bin/python benchmarks/corroborate_speed.py [--incidents 2000] [--updates 20]

Reports articles/s for the full build (claim extraction, grouping, grading), split into
extraction and grouping+grading, and the median time of `update_incidents` for one new article.
Baseline in the same run: `find_figures` alone over the same articles (the extraction floor).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from eval_incidents import world
from wiretrace.claims.figures import find_figures
from wiretrace.corroborate import build_incidents, update_incidents
from wiretrace.corroborate.groups import group_all
from wiretrace.corroborate.incidents import assemble_all
from wiretrace.corroborate.storage import load_claims
from wiretrace.store import Store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=2000)
    parser.add_argument("--updates", type=int, default=20)
    args = parser.parse_args(argv)
    articles, _ = world(args.incidents + args.updates, seed=11)
    held, base = articles[-args.updates :], articles[: -args.updates]
    started = time.perf_counter()
    for article in base:
        find_figures(article)
    floor = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "speed.duckdb"
        with Store(db) as store:
            store.add_articles(base)
            started = time.perf_counter()
            result = build_incidents(db=store)
            full = time.perf_counter() - started
            started = time.perf_counter()
            rows = load_claims(store.db)
            groups = group_all(rows)
            assemble_all(rows)
            regroup = time.perf_counter() - started
            store.add_articles(held)
            times = []
            for article in held:
                started = time.perf_counter()
                update_incidents(store, [article.id])
                times.append(time.perf_counter() - started)
    n = len(base)
    print(f"articles {n}, claims {len(rows)}, groups {len(set(groups.values()))}")
    print(f"incidents {len(result.incidents)}")
    print(f"full build        {full:8.2f} s  {n / full:8.0f} articles/s")
    print(f"group+grade only  {regroup:8.2f} s  {n / regroup:8.0f} articles/s")
    print(f"baseline figures  {floor:8.2f} s  {n / floor:8.0f} articles/s")
    print(f"update one article: median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
