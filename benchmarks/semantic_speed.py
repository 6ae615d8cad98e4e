"""Speed of the semantic extra: embedding throughput and the sentence index against exact search.

    .venv/bin/python benchmarks/semantic_speed.py [--sentences 2000] [--n 50000] [--queries 500]

Embeds synthetic sentences (generated here, invented vocabulary) with
`index.semantic.Embedder` beside a plain `SentenceTransformer.encode` baseline, then grows the
real embeddings to `--n` vectors (each a real embedding plus Gaussian noise, renormalised: clusters
of near-duplicates, like one wire story copied by many sites) and times `SentenceIndex` (faiss HNSW)
build and query against exact numpy brute force, with recall@10 (tie-aware: a hit counts when it
scores at least the exact 10th best). hnswlib and usearch rows are added when those packages are
installed, at the same graph settings. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import importlib
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from wiretrace.index import semantic

K = 10

SUBJECTS = [
    "The militia",
    "Government troops",
    "A convoy from Varnholt",
    "The Ostrel council",
    "Rebels loyal to Commander Hask",
    "Aid workers",
    "The mayor of Quellan",
    "Police in Tarrowmere",
    "A spokesman for the Brannock coalition",
    "Residents of Lower Caldreth",
    "The Dunmere garrison",
]
VERBS = [
    "seized",
    "shelled",
    "evacuated",
    "surrounded",
    "reopened",
    "abandoned",
    "inspected",
    "blockaded",
    "defended",
    "repaired",
    "left",
    "reported fighting near",
]
OBJECTS = [
    "the bridge over the Vessel river",
    "the grain depot",
    "the northern checkpoint",
    "the hospital in Pelling",
    "the old market",
    "two villages east of Marrowdale",
    "the airfield at Lisk",
    "the water plant",
    "the ferry crossing",
    "the district school",
]
TAILS = [
    "",
    "at dawn on Tuesday",
    "after a week of clashes",
    "according to local officials",
    "the agency said",
    "witnesses told reporters",
    "despite a ceasefire agreed in March",
    "killing at least 12 people",
    "as aid trucks waited at the border",
    "late on Sunday night",
]


def make_sentences(n: int, *, seed: int = 13) -> list[str]:
    """n synthetic news-like sentences of varied length, deterministic for a seed."""
    rng = random.Random(seed)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        parts = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)]
        for _ in range(rng.randint(0, 3)):
            tail = rng.choice(TAILS)
            if tail:
                parts.append(("," if rng.random() < 0.5 else "") + " " + tail)
        sentence = " ".join(parts).replace(" ,", ",").replace("  ", " ") + "."
        if sentence not in seen:
            seen.add(sentence)
            out.append(sentence)
    return out


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """Run fn once; its result and wall seconds."""
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def grow(base: Any, n: int, *, noise: float, seed: int) -> Any:
    """n unit vectors: random rows of base plus Gaussian noise (base rows come first)."""
    rng = np.random.default_rng(seed)
    extra = max(0, n - len(base))
    picks = base[rng.integers(0, len(base), extra)]
    noisy = picks + noise * rng.standard_normal(picks.shape).astype(np.float32)
    vecs = np.vstack([base, noisy])[:n].astype(np.float32)
    return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


def exact_top_k(data: Any, queries: Any, k: int) -> Any:
    """Exact top-k rows by inner product (numpy brute force, in blocks)."""
    rows = []
    for start in range(0, len(queries), 256):
        sims = queries[start : start + 256] @ data.T
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(sims, top, axis=1), axis=1)
        rows.append(np.take_along_axis(top, order, axis=1))
    return np.vstack(rows)


def recall(found: Any, data: Any, queries: Any, truth: Any) -> float:
    """Mean share of the top-k found; a hit scoring at least the exact k-th best counts (ties)."""
    found = np.asarray(found, dtype=np.int64).reshape(len(queries), -1)
    kth = np.einsum("ij,ij->i", queries, data[truth[:, -1]]) - 1e-5
    hit_scores = np.einsum("ij,ikj->ik", queries, data[np.maximum(found, 0)])
    good = (found >= 0) & (hit_scores >= kth[:, None])
    return float(good.sum() / truth.size)


def bench_embedding(sentences: list[str]) -> list[tuple[str, float, float]]:
    """Rows (method, sentences/s, ratio to baseline) for embedding the sentences."""
    embedder = semantic.get_embedder()
    embedder.embed(sentences[:64])  # warm-up
    model = embedder._model
    base_s = ours_s = float("inf")
    for _ in range(3):  # best of three, alternating, so a busy neighbour hurts both alike
        _, seconds = timed(
            lambda: model.encode(sentences, batch_size=embedder.batch_size, show_progress_bar=False)
        )
        base_s = min(base_s, seconds)
        _, seconds = timed(lambda: embedder.embed(sentences))
        ours_s = min(ours_s, seconds)
    n = len(sentences)
    return [
        ("SentenceTransformer.encode (baseline)", n / base_s, 1.0),
        ("wiretrace Embedder.embed (length-sorted)", n / ours_s, base_s / ours_s),
    ]


def bench_index(data: Any, queries: Any) -> list[tuple[str, float, float, float]]:
    """Rows (method, build s, query ms per query, recall@10) on the given vectors."""
    truth, exact_s = timed(lambda: exact_top_k(data, queries, K))
    rows = [("numpy brute force (exact baseline)", 0.0, 1000 * exact_s / len(queries), 1.0)]
    keys = [(i, 0) for i in range(len(data))]
    for label, options in (
        ("SentenceIndex faiss HNSW (M=32, efC=100, ef=64)", {}),
        ("SentenceIndex exact (faiss IndexFlatIP)", {"exact": True}),
    ):
        index = semantic.SentenceIndex(**options)
        _, build_s = timed(lambda index=index: index.add(keys, data))
        hits, query_s = timed(lambda index=index: index.search(queries, K))
        found = [[doc for doc, _ in hit_keys] for hit_keys, _ in hits]
        rec = recall(found, data, queries, truth)
        rows.append((label, build_s, 1000 * query_s / len(queries), rec))
    rows.extend(bench_peers(data, queries, truth))
    return rows


def bench_peers(data: Any, queries: Any, truth: Any) -> list[tuple[str, float, float, float]]:
    """hnswlib and usearch at matching settings, when installed."""
    rows = []
    labels = np.arange(len(data))
    try:
        hnswlib: Any = importlib.import_module("hnswlib")
    except ImportError:
        hnswlib = None
    if hnswlib is not None:
        index = hnswlib.Index(space="ip", dim=data.shape[1])
        index.init_index(max_elements=len(data), ef_construction=100, M=32)
        index.set_num_threads(2)
        _, build_s = timed(lambda: index.add_items(data, labels))
        index.set_ef(64)
        (found, _), query_s = timed(lambda: index.knn_query(queries, k=K))
        rows.append(
            (
                "hnswlib (M=32, efC=100, ef=64)",
                build_s,
                1000 * query_s / len(queries),
                recall(found, data, queries, truth),
            )
        )
    try:
        usearch: Any = importlib.import_module("usearch.index")
    except ImportError:
        usearch = None
    if usearch is not None:
        uindex = usearch.Index(
            ndim=data.shape[1],
            metric="ip",
            dtype="f32",
            connectivity=32,
            expansion_add=100,
            expansion_search=64,
        )
        _, build_s = timed(lambda: uindex.add(labels, data, threads=2))
        result, query_s = timed(lambda: uindex.search(queries, K, threads=2))
        rows.append(
            (
                "usearch (M=32, efC=100, ef=64)",
                build_s,
                1000 * query_s / len(queries),
                recall(result.keys, data, queries, truth),
            )
        )
    return rows


def pair_scores() -> dict[str, list[float]]:
    """Cosine of each hand-written pair in tests/test_semantic.py, by class."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    pairs: Any = importlib.import_module("tests.test_semantic")
    embedder = semantic.get_embedder()
    out = {}
    for name, group in (
        ("paraphrase", pairs.PARAPHRASE_PAIRS),
        ("related, different fact", pairs.RELATED_PAIRS),
        ("unrelated", pairs.UNRELATED_PAIRS),
    ):
        vecs = embedder.embed([text for pair in group for text in pair])
        out[name] = [
            semantic.paraphrase_score(vecs[i], vecs[i + 1]) for i in range(0, len(vecs), 2)
        ]
    return out


def print_thresholds() -> None:
    """Cosine distributions of the pair classes and how candidate thresholds split them."""
    scores = pair_scores()
    print("\n## Paraphrase thresholds: cosine of hand-written pairs\n")
    print("| class | pairs | min | p25 | median | p75 | max |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, values in scores.items():
        q = np.quantile(values, [0, 0.25, 0.5, 0.75, 1])
        print(f"| {name} | {len(values)} | " + " | ".join(f"{x:.3f}" for x in q) + " |")
    para = np.asarray(scores["paraphrase"])
    related = np.asarray(scores["related, different fact"])
    unrelated = np.asarray(scores["unrelated"])
    print("\n| threshold | paraphrases at or above | related above | unrelated above |")
    print("| ---: | ---: | ---: | ---: |")
    for threshold in (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8):
        cells = [f"{(arr >= threshold).mean():.0%}" for arr in (para, related, unrelated)]
        print(f"| {threshold:.2f} | " + " | ".join(cells) + " |")


def main() -> None:
    """Run the benchmark and print Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--n", type=int, default=50_000, help="vectors in the index benchmark")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--skip-index", action="store_true", help="embedding and thresholds only")
    args = parser.parse_args()
    semantic.require()

    sentences = make_sentences(args.sentences)
    print(f"## Embedding {len(sentences)} synthetic sentences (all-MiniLM-L6-v2, torch CPU)\n")
    print("| method | sentences/s | ratio |\n| --- | ---: | ---: |")
    for name, rate, ratio in bench_embedding(sentences):
        print(f"| {name} | {rate:,.0f} | {ratio:.2f}x |")

    print_thresholds()
    if args.skip_index:
        return
    real = semantic.get_embedder().embed(sentences)
    for n in sorted({len(real), args.n}):
        data = grow(real, n, noise=0.035, seed=1)
        queries = grow(data, len(data) + args.queries, noise=0.02, seed=2)[len(data) :]
        print(f"\n## Index: {n:,} vectors, {len(queries)} queries, k={K}\n")
        print("| method | build s | query ms | recall@10 |\n| --- | ---: | ---: | ---: |")
        for name, build_s, query_ms, rec in bench_index(data, queries):
            print(f"| {name} | {build_s:.2f} | {query_ms:.3f} | {rec:.4f} |")


if __name__ == "__main__":
    main()
