"""Trace latency, indexing speed and index size on a generated corpus, beside datasketch MinHashLSH.

    .venv/bin/python benchmarks/trace_speed.py [--articles 100000] [--targets 200]

Builds (or reuses, or takes with `--db`) a store of generated articles (benchmarks/corpus_gen.py),
rebuilds its index once in its own process to time indexing (seconds, bytes written, peak RSS),
then traces generated 600-word composites (sentences copied
from 3-4 stored articles, some numbers changed, new sentences mixed in) and reports p50/p99
latency, index size against the raw text, and the tracing process's memory (resident after
opening the store, and peak after the traces). The baseline, in the same run, is
document-level MinHash LSH (datasketch, word 5-grams, 128 permutations, threshold 0.5) over the
same articles, queried with the same targets: its build and query times, and what it finds.
`--settle-heap` traces as a `serve` process does: its start-up heap (index ids, gazetteers)
frozen out of the garbage collector's sight first (`web/heap.py`), so full collections do not
rescan it.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus_gen import generate_articles, write_jsonl
from wiretrace.doc.article import Article
from wiretrace.index.shingles import words
from wiretrace.store.articles import Store
from wiretrace.trace.tracer import Tracer

WORK = Path(__file__).parent / "work"


_REINDEX = """
import json, resource, sys, time
from pathlib import Path
from wiretrace import api
def io():
    rows = Path("/proc/self/io").read_text().splitlines()
    return int(dict(r.split(": ") for r in rows)["write_bytes"])
before, started = io(), time.perf_counter()
stats = api.reindex(db=sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - started, "write_bytes": io() - before,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "segments": stats.segments, "postings": stats.postings}))
"""


def reindex(db: Path) -> dict[str, float]:
    """`reindex` in its own process: seconds, bytes written, peak RSS (its own)."""
    out = subprocess.run(
        [sys.executable, "-c", _REINDEX, str(db)], check=True, capture_output=True, text=True
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def _rss_mb(field: str = "VmRSS") -> float:
    """Resident memory now (MB), from /proc/self/status: all of it (VmRSS), or its anonymous
    part (RssAnon: the heap, what the process needs) or its file-backed part (RssFile: pages of
    mapped files, here the index's postings, which the kernel can drop and read again)."""
    for row in Path("/proc/self/status").read_text().splitlines():
        if row.startswith(f"{field}:"):
            return int(row.split()[1]) / 1024
    return float("nan")


def build_store(articles: int) -> Path:
    db = WORK / f"trace-{articles}.duckdb"
    if db.exists():
        with Store(db, read_only=True) as store:
            if store.count() == articles:
                return db
        for stale in (db, db.with_name(db.name + ".wal")):
            stale.unlink(missing_ok=True)
        shutil.rmtree(db.with_name(db.name + ".index"), ignore_errors=True)
    corpus = write_jsonl(WORK / f"corpus-{articles}.jsonl", articles)
    subprocess.run(
        [sys.executable, "-m", "wiretrace.cli", "add", str(corpus), "-q", "--db", str(db)],
        check=True,
    )
    return db


def make_targets(store: Store, count: int, seed: int = 11) -> list[Article]:
    """Composites of 3-4 stored articles' sentences plus new text, published after all of them."""
    rng = random.Random(seed)
    total = store.count()
    sample = int(min(total, count * 4))  # DuckDB's SAMPLE takes only a constant
    ids = [
        r[0]
        for r in store.db.execute(
            f"SELECT id FROM articles USING SAMPLE reservoir({sample} ROWS) REPEATABLE (7)"
        ).fetchall()
    ]
    fresh = generate_articles(count, seed=seed + 1000, copy_share=0.0)
    targets = []
    for n in range(count):
        sentences: list[str] = []
        for article_id in rng.sample(ids, 4 if n % 2 else 3):
            article = store.get(article_id)
            assert article is not None
            picked = rng.sample(article.sentences, k=min(5, len(article.sentences)))
            sentences.extend(s.text for s in picked)
        new_text = next(fresh)["text"].replace("\n\n", " ")
        sentences.extend(new_text.split(". ")[:8])
        rng.shuffle(sentences)
        text = " ".join(s if s.endswith(".") else s + "." for s in sentences)
        targets.append(
            Article.create(text, url=f"https://farm.example/{n}", title="farm", published_at=None)
        )
    return targets


def minhash_baseline(store: Store, targets: list[Article]) -> dict[str, float]:
    from datasketch import MinHash, MinHashLSH

    def sketch(text: str) -> MinHash:
        tokens = words(text)
        grams = {" ".join(tokens[i : i + 5]).encode() for i in range(max(1, len(tokens) - 4))}
        m = MinHash(num_perm=128)
        m.update_batch(list(grams))
        return m

    started = time.perf_counter()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for n, article in enumerate(store.iter_articles(batch_size=2000)):
        lsh.insert(str(n), sketch(article.text))
    build = time.perf_counter() - started
    latencies, found = [], 0
    for target in targets:
        t0 = time.perf_counter()
        found += bool(lsh.query(sketch(target.text)))
        latencies.append(time.perf_counter() - t0)
    return {
        "build_s": build,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * _p99(latencies),
        "targets_with_any_match": found,
    }


def _p99(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.99) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--targets", type=int, default=200)
    parser.add_argument("--skip-reindex", action="store_true")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--workdir", type=Path, help="where the corpus and store go")
    parser.add_argument("--db", type=Path, help="trace an existing store of generated articles")
    parser.add_argument(
        "--settle-heap",
        action="store_true",
        help="freeze the start-up heap out of the garbage collector's sight, as `serve` does",
    )
    args = parser.parse_args()
    global WORK
    WORK = args.workdir or WORK
    db = args.db or build_store(args.articles)
    out: dict[str, object] = {"articles": args.articles}
    if not args.skip_reindex:  # its own process, so the peak memory below is tracing's
        built = reindex(db)
        out["index_build_s"] = built["seconds"]
        out["index_build_gb_written"] = built["write_bytes"] / 1e9
        out["index_build_peak_mb"] = built["peak_mb"]
        out["index_segments"] = built["segments"]
    with Store(db) as store:
        tracer = Tracer(store)
        if args.settle_heap:
            from wiretrace.web.heap import settle_heap

            settle_heap()
        out["settled_heap"] = args.settle_heap
        out["rss_open_mb"] = _rss_mb()  # store, index and tracer open, nothing traced yet
        out["index_mb"] = tracer.index.size_bytes() / 1e6
        out["texts_mb"] = tracer.index.texts_bytes() / 1e6
        targets = make_targets(store, args.targets)
        tracer.trace(targets[0])  # warm caches and memory maps once
        latencies, cpu, statuses = [], [], {"copied": 0, "unsourced": 0, "other": 0}
        anon_peak = file_peak = 0.0
        for made in targets:
            # A fresh copy, dropped after its trace as a server drops a finished request: the
            # trace's layers stay on the article, and 200 kept reports would grow the heap the
            # cyclic garbage collector rescans (their pauses would count as tracing's).
            target = Article.create(made.text, url=made.url, title=made.title, published_at=None)
            t0, c0 = time.perf_counter(), time.process_time()
            report = tracer.trace(target)
            latencies.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)  # what a shared machine's load leaves alone
            for sentence in report.sentences:
                key = sentence.status if sentence.status in statuses else "other"
                statuses[key] += 1
            anon_peak = max(anon_peak, _rss_mb("RssAnon"))
            file_peak = max(file_peak, _rss_mb("RssFile"))
        out["trace_p50_ms"] = 1000 * statistics.median(latencies)
        out["trace_p99_ms"] = 1000 * _p99(latencies)
        out["trace_cpu_p50_ms"] = 1000 * statistics.median(cpu)
        out["trace_cpu_p99_ms"] = 1000 * _p99(cpu)
        out["trace_statuses"] = statuses
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out["peak_rss_anon_mb"], out["peak_rss_file_mb"] = anon_peak, file_peak  # after a trace
        # After the traces: a scan of every text fills DuckDB's buffer pool, which would count
        # as tracing's memory above.
        raw_mb = (
            float(store.db.execute("SELECT sum(strlen(text)) FROM articles").fetchall()[0][0]) / 1e6
        )
        out["raw_text_mb"] = raw_mb
        out["index_to_text"] = out["index_mb"] / raw_mb  # type: ignore[operator]
        out["texts_to_text"] = out["texts_mb"] / raw_mb  # type: ignore[operator]
        if "index_build_s" in out:
            out["index_mb_per_s"] = raw_mb / out["index_build_s"]  # type: ignore[operator]
        if not args.skip_baseline:
            out["minhash"] = minhash_baseline(store, targets)
    print(
        f"{args.articles:,} generated articles, {raw_mb:,.0f} MB of text; "
        f"{args.targets} traced composites of ~600 words\n"
    )
    print("| measure | wiretrace |")
    print("| --- | ---: |")
    for key in (
        "index_build_s",
        "index_mb_per_s",
        "index_build_gb_written",
        "index_build_peak_mb",
        "index_segments",
        "index_mb",
        "index_to_text",
        "texts_mb",
        "texts_to_text",
        "rss_open_mb",
        "trace_p50_ms",
        "trace_p99_ms",
        "trace_cpu_p50_ms",
        "trace_cpu_p99_ms",
        "peak_rss_mb",
        "peak_rss_anon_mb",
        "peak_rss_file_mb",
    ):
        if key in out:
            print(f"| {key} | {out[key]:,.2f} |")
    if "minhash" in out:
        base = out["minhash"]
        assert isinstance(base, dict)
        print(
            f"\nMinHashLSH (document level): build {base['build_s']:.1f} s, "
            f"query p50 {base['p50_ms']:.1f} ms, p99 {base['p99_ms']:.1f} ms, "
            f"targets with any match {base['targets_with_any_match']}/{args.targets}; "
            f"wiretrace/minhash p50 ratio "
            f"{out['trace_p50_ms'] / base['p50_ms']:.1f}x"
        )  # type: ignore[operator]
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
