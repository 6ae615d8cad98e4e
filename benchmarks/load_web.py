"""Bounded load test of `wiretrace serve` on loopback: concurrent clients against trace and search.

Starts the server in a child process over an existing store opened read-only (default: the
100,000-article store that benchmarks/trace_speed.py builds), then for each phase runs N
clients for a fixed time and reports throughput, p50/p90/p99 latency and errors. Each phase
first runs `--warmup` seconds of the same kind of requests, not counted (connections, page cache,
the server's caches as a running server has them); the cold phase then asks for a different
article every time, so its trace is computed on request.

    .venv/bin/python benchmarks/load_web.py --db benchmarks/work/trace-100000.duckdb [--pages]

`--pages` loads the workbench's HTML pages (trace view, standalone report, claims page, corpus
search) instead of the JSON API.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import httpx

SERVER = """
import sys
from wiretrace.web import serve
db, port, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
serve(db=db, port=port, read_only=True, workers=workers)  # `wiretrace serve --read-only`
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sample(db: Path, count: int, seed: int) -> tuple[list[str], list[str], list[str]]:
    """Random article ids, search words taken from stored titles, and outlets."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        ids = [
            r[0]
            for r in con.execute(
                f"SELECT id FROM articles USING SAMPLE {count} ROWS (reservoir, {seed})"
            ).fetchall()
        ]
        titles = [
            r[0]
            for r in con.execute(
                f"SELECT title FROM articles USING SAMPLE 500 ROWS (reservoir, {seed})"
            ).fetchall()
        ]
        outlets = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL"
            ).fetchall()
        ]
    finally:
        con.close()
    words = sorted({w.lower() for t in titles for w in t.split() if len(w) >= 6})
    return ids, words, outlets


async def phase(base: str, make_path: Any, *, clients: int, seconds: float) -> dict[str, Any]:
    """`clients` loops sending requests for `seconds`; latencies of the finished ones."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def worker() -> None:
            while time.monotonic() < stop:
                started = time.perf_counter()
                try:
                    response = await client.get(make_path())
                    if response.status_code != 200:
                        errors[str(response.status_code)] = (
                            errors.get(str(response.status_code), 0) + 1
                        )
                        continue
                    response.read()
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    continue
                latencies.append((time.perf_counter() - started) * 1000)

        began = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.monotonic() - began
    latencies.sort()

    def pct(p: float) -> float:
        return (
            round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)
            if latencies
            else 0.0
        )

    return {
        "requests": len(latencies),
        "errors": errors,
        "seconds": round(elapsed, 1),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "max_ms": round(latencies[-1], 1) if latencies else 0.0,
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("benchmarks/work/trace-100000.duckdb"))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument(
        "--workers", type=int, default=1, help="server processes (wiretrace serve --workers)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--warmup", type=float, default=3.0, help="seconds of uncounted requests before a phase"
    )
    parser.add_argument("--only", default="", help="run the phases whose name contains this")
    parser.add_argument(
        "--pages", action="store_true", help="load the workbench's HTML pages, not the JSON API"
    )
    parser.add_argument("--out", type=Path, default=Path("benchmarks/work/load_web.json"))
    args = parser.parse_args()
    if not args.db.exists():
        sys.exit(f"{args.db}: no store (run benchmarks/trace_speed.py --articles 100000 first)")
    ids, words, outlets = sample(args.db, 20000, args.seed)
    rng = random.Random(args.seed)
    hot = ids[:50]
    fresh = iter(ids[50:])  # each cold request a different article: the trace cache never hits
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SERVER,
            str(args.db),
            str(port),
            str(args.workers),
        ]
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("the server did not start")
            time.sleep(0.2)
        phases = {
            # Distinct random articles: almost every request is a cold trace.
            "trace (cold, random article)": lambda: f"/api/articles/{next(fresh)}/trace",
            # The same 50 articles again and again: the per-generation trace cache answers.
            "trace (warm, 50 articles)": lambda: f"/api/articles/{rng.choice(hot)}/trace",
            "search (one word)": lambda: (
                "/api/articles?"
                + httpx.QueryParams({"q": rng.choice(words), "limit": 20}).__str__()
            ),
            "search (word + outlet)": lambda: (
                "/api/articles?"
                + httpx.QueryParams(
                    {"q": rng.choice(words), "outlet": rng.choice(outlets), "limit": 20}
                ).__str__()
            ),
        }
        if args.pages:  # the workbench's HTML pages instead of the JSON API
            phases = {
                # The same 50 articles: their traces are cached, so this is mostly rendering.
                "page: trace view (warm, 50 articles)": lambda: f"/articles/{rng.choice(hot)}",
                "page: standalone report (warm, 50 articles)": lambda: (
                    f"/api/articles/{rng.choice(hot)}/trace.html"
                ),
                "page: claims (50 articles)": lambda: f"/articles/{rng.choice(hot)}/claims",
                "page: corpus search": lambda: (
                    "/corpus?" + httpx.QueryParams({"q": rng.choice(words)}).__str__()
                ),
            }
        results: dict[str, Any] = {
            "store": str(args.db),
            "articles": httpx.get(base + "/api/health").json()["articles"],
            "clients": args.clients,
            "seconds": args.seconds,
            "readers": 2,
            "workers": args.workers,
            "warmup_seconds": args.warmup,
            "phases": {},
        }
        for name, make in phases.items():
            if args.only not in name:
                continue
            if args.warmup > 0:  # the same requests, not counted: connections, page cache
                asyncio.run(phase(base, make, clients=args.clients, seconds=args.warmup))
            results["phases"][name] = asyncio.run(
                phase(base, make, clients=args.clients, seconds=args.seconds)
            )
            print(name, json.dumps(results["phases"][name]), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(
        f"\n{results['articles']:,} articles, {args.clients} clients, {args.seconds:g} s a phase "
        f"after {args.warmup:g} s of warm-up\n"
    )
    print("| phase | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, row in results["phases"].items():
        errors = sum(row["errors"].values())
        print(
            f"| {name} | {row['requests']:,} | {row['rps']} | {row['p50_ms']} | {row['p90_ms']} "
            f"| {row['p99_ms']} | {row['max_ms']} | {errors} |"
        )


if __name__ == "__main__":
    main()
