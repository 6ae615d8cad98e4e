"""Score sentence tracing on composites stitched from real articles, with MinHash baselines.

Usage: python benchmarks/eval_composites.py [--composites N] [--seed S] [--limit-store N]
       [--pool CSV] [--json]

The pool (default `../shared/eval/fakes-dev.csv`, read at run time) is split into a store part,
ingested into a fresh DuckDB store, and a held-out part that supplies inserted sentences
(benchmarks/composites.py). Each composite is traced with `trace.tracer.trace_article`, and
the same composites go through three baselines in the same run: document-level MinHash LSH (an
article-level method: every sentence gets every document returned), sentence-level MinHash LSH
(word 5-grams, threshold 0.5) and exact normalised-sentence lookup.

Measures (truth-duplicate sentences are scored only as duplicates):
* attribution, top-1 (the headline): a sentence's first listed source is right when it is in the
  sentence's acceptable set; P over sentences with a source listed, R over sourced sentences.
* attribution, any: every listed (sentence, source) pair; P over listed pairs, R = sourced
  sentences with at least one acceptable source listed.
* unsourced: P/R of status "unsourced" against inserted sentences.
* duplicates: a predicted `duplicate_of` is right when it points at an earlier copy of the text.
* factual changes: (kind, from, to) of number/entity changes marked factual against the first
  listed source, case-folded, words shared by both sides trimmed ("Talal Barazi" -> "Talal
  Homs" is "barazi" -> "homs").
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from composites import (
    Change,
    Composite,
    CompositeGenerator,
    PoolArticle,
    TruthSentence,
    load_pool,
    normalise_sentence,
    split_pool,
)

DEFAULT_POOL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "fakes-dev.csv"
DOC_THRESHOLDS = (0.5, 0.3, 0.2, 0.1)
SENTENCE_THRESHOLD = 0.5
NUM_PERM = 128
_WORD = re.compile(r"\w+")
# Figures from methods.md, measured on composites built the same way from real articles.
ANCHORS = [
    ("passim (Spark local[2], defaults) — methods.md", "0.900", "0.73 / 0.37", "~20 (15 start-up)"),
    ("sentence-level MinHash, 5-grams, t=0.5 — methods.md", "0.885", "0.88 / 0.57", "0.7"),
    ("document-level MinHash, any threshold — methods.md", "<= 0.38", "—", "0.2"),
    (
        "exact normalised-sentence matching — methods.md",
        "0.846 (P 1.00, R 0.73)",
        "1.00 / 0.33",
        "—",
    ),
]


@dataclass(slots=True)
class Prediction:
    """What a method says about one sentence span of a composite."""

    start: int
    end: int
    status: str
    sources: list[str]  # pool keys, best first
    duplicate_of: int | None = None  # index into the same prediction list
    changes: list[Change] = field(default_factory=list)  # factual number/entity changes


@dataclass(slots=True)
class Counts:
    """Tallies over composites (`n`, by name); `scores()` turns them into figures."""

    n: Counter[str] = field(default_factory=Counter)
    by_op: Counter[str] = field(default_factory=Counter)  # sourced sentences per operation
    by_op_hit: Counter[str] = field(default_factory=Counter)  # ... with a right top-1 source

    def scores(self) -> dict[str, Any]:
        """Precision, recall and F1 of every measure, rounded to 3 places."""
        n = self.n
        return {
            "sentences": n["sentences"],
            "attribution_top1": _prf(
                n["top1_correct"], n["top1_listed"], n["top1_correct"], n["sourced"]
            ),
            "attribution_any": _prf(
                n["pairs_correct"], n["pairs_listed"], n["any_recalled"], n["sourced"]
            ),
            "unsourced": _prf(
                n["unsourced_correct"],
                n["unsourced_pred"],
                n["unsourced_correct"],
                n["unsourced_truth"],
            ),
            "duplicates": _prf(n["dup_correct"], n["dup_pred"], n["dup_correct"], n["dup_truth"]),
            "factual_changes": _prf(
                n["change_correct"], n["change_pred"], n["change_correct"], n["change_truth"]
            ),
            "top1_recall_by_operation": {
                op: round(self.by_op_hit[op] / k, 3) for op, k in sorted(self.by_op.items())
            },
        }


def _prf(right_p: int, predicted: int, right_r: int, truth: int) -> dict[str, float | None]:
    """P over predictions, R over truth, F1 (0 when nothing true is found; None when undefined)."""
    p = right_p / predicted if predicted else None
    r = right_r / truth if truth else None
    if p is None or r is None:
        f = 0.0 if r == 0 else None
    else:
        f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": _r(p), "r": _r(r), "f1": _r(f)}


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def change_key(kind: str, before: str, after: str) -> tuple[str, str, str]:
    """A change as compared: case-folded words, the words both sides share at the ends trimmed."""
    a, b = _WORD.findall(before.casefold()), _WORD.findall(after.casefold())
    while a and b and a[0] == b[0]:
        a, b = a[1:], b[1:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    return kind, " ".join(a), " ".join(b)


def align(truth: Sequence[TruthSentence], preds: Sequence[Prediction]) -> list[Prediction | None]:
    """One prediction per truth sentence: predicted spans are given to the truth sentence they
    overlap most; several spans on one sentence are combined (the longest one leads)."""
    owner: list[int | None] = []
    groups: dict[int, list[tuple[int, int]]] = {}
    for i, pred in enumerate(preds):
        best, best_overlap = None, 0
        for t in truth:
            overlap = min(pred.end, t.end) - max(pred.start, t.start)
            if overlap > best_overlap:
                best, best_overlap = t.index, overlap
        owner.append(best)
        if best is not None:
            groups.setdefault(best, []).append((best_overlap, i))
    out: list[Prediction | None] = []
    for t in truth:
        members = sorted(groups.get(t.index, []), key=lambda x: (-x[0], x[1]))
        if not members:
            out.append(None)
            continue
        lead = preds[members[0][1]]
        sources = list(dict.fromkeys(s for _, i in members for s in preds[i].sources))
        dup = owner[lead.duplicate_of] if lead.duplicate_of is not None else None
        changes = [c for _, i in members for c in preds[i].changes]
        out.append(Prediction(t.start, t.end, lead.status, sources, dup, changes))
    return out


def score(composite: Composite, preds: Sequence[Prediction], counts: Counts) -> None:
    """Add one composite's predictions to the tallies."""
    truth, n = composite.sentences, counts.n
    for t, pred in zip(truth, align(truth, preds), strict=True):
        n["sentences"] += 1
        status = pred.status if pred else "missing"
        n["dup_truth"] += t.status == "duplicate"
        if pred is not None and (pred.duplicate_of is not None or status == "duplicate"):
            n["dup_pred"] += 1
            j = pred.duplicate_of
            same = j is not None and j < t.index and _same(truth[j].text, t.text)
            n["dup_correct"] += t.status == "duplicate" and same
        if t.status == "duplicate":
            continue
        listed = pred.sources if pred else []
        right = sum(s in t.sources for s in listed)
        top1 = bool(listed) and listed[0] in t.sources
        sourced = bool(t.sources)
        n["sourced"] += sourced
        n["top1_listed"] += bool(listed)
        n["top1_correct"] += top1
        n["pairs_listed"] += len(listed)
        n["pairs_correct"] += right
        n["any_recalled"] += sourced and right > 0
        for op in t.ops if sourced else ():
            counts.by_op[op] += 1
            counts.by_op_hit[op] += top1
        n["unsourced_truth"] += t.status == "unsourced"
        n["unsourced_pred"] += status == "unsourced"
        n["unsourced_correct"] += t.status == "unsourced" and status == "unsourced"
        expected = Counter(change_key(c.kind, c.before, c.after) for c in t.changes)
        found = Counter(
            {change_key(c.kind, c.before, c.after): 1 for c in (pred.changes if pred else [])}
        )
        n["change_truth"] += sum(expected.values())
        n["change_pred"] += sum(found.values())
        n["change_correct"] += sum((expected & found).values())


def _same(a: str, b: str) -> bool:
    return normalise_sentence(a) == normalise_sentence(b)


def predictions_from_report(
    report: Mapping[str, Any], key_of: Mapping[str, str]
) -> list[Prediction]:
    """Predictions from a `wiretrace.trace/2` report; `key_of` maps article ids and urls to
    pool keys (unknown sources are kept under their id and count as wrong). Changes are read
    from the best (first) source: those against weaker, related sources are not the edit."""
    out: list[Prediction] = []
    for sent in report.get("sentences", []):
        sources: list[str] = []
        changes: list[Change] = []
        for rank, src in enumerate(sent.get("sources") or []):
            key = key_of.get(src.get("article_id") or "") or key_of.get(src.get("url") or "")
            sources.append(key or str(src.get("article_id")))
            for c in src.get("changes") or [] if rank == 0 else []:
                if c.get("factual") and c.get("kind") in ("number", "entity"):
                    change = Change(c["kind"], str(c.get("from", "")), str(c.get("to", "")))
                    if change not in changes:
                        changes.append(change)
        out.append(
            Prediction(
                int(sent["start"]),
                int(sent["end"]),
                str(sent.get("status")),
                list(dict.fromkeys(sources)),
                sent.get("duplicate_of"),
                changes,
            )
        )
    return out


# -- baselines ---------------------------------------------------------------------------------


def _shingles(text: str, n: int = 5) -> set[bytes]:
    words = _WORD.findall(text.casefold())
    if len(words) < n:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + n]).encode() for i in range(len(words) - n + 1)}


def _minhash(shingles: Iterable[bytes]) -> Any:
    from datasketch import MinHash

    mh = MinHash(num_perm=NUM_PERM)
    mh.update_batch(list(shingles))
    return mh


def doc_minhash(
    store: Sequence[PoolArticle], threshold: float
) -> Callable[[Composite], list[Prediction]]:
    """Article-level LSH: every sentence gets every document returned, best estimate first."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    hashes = {a.key: _minhash(_shingles(a.text)) for a in store}
    for key, mh in hashes.items():
        lsh.insert(key, mh)

    def predict(composite: Composite) -> list[Prediction]:
        query = _minhash(_shingles(composite.text))
        found = sorted(lsh.query(query), key=lambda k: (-query.jaccard(hashes[k]), k))
        status = "copied" if found else "unsourced"
        return [Prediction(t.start, t.end, status, list(found)) for t in composite.sentences]

    return predict


def sentence_minhash(
    store: Sequence[PoolArticle], threshold: float = SENTENCE_THRESHOLD
) -> Callable[[Composite], list[Prediction]]:
    """Sentence-level LSH over every store sentence; sources ranked by estimated Jaccard."""
    from datasketch import MinHashLSH

    from wiretrace.doc.segment import split_sentences

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    hashes: dict[str, Any] = {}
    for article in store:
        for i, (s, e) in enumerate(split_sentences(article.text)):
            shingles = _shingles(article.text[s:e])
            if shingles:
                name = f"{i}\t{article.key}"
                hashes[name] = _minhash(shingles)
                lsh.insert(name, hashes[name])

    def predict(composite: Composite) -> list[Prediction]:
        out = []
        for t in composite.sentences:
            query = _minhash(_shingles(t.text))
            best: dict[str, float] = {}
            for name in lsh.query(query):
                key = name.split("\t", 1)[1]
                best[key] = max(best.get(key, 0.0), query.jaccard(hashes[name]))
            ranked = sorted(best, key=lambda k: (-best[k], k))
            out.append(Prediction(t.start, t.end, "copied" if ranked else "unsourced", ranked))
        return out

    return predict


def exact_sentences(generator: CompositeGenerator) -> Callable[[Composite], list[Prediction]]:
    """Exact normalised-sentence lookup; a repeat of an earlier sentence is a duplicate."""

    def predict(composite: Composite) -> list[Prediction]:
        out: list[Prediction] = []
        first: dict[str, int] = {}
        for t in composite.sentences:
            norm = normalise_sentence(t.text)
            sources = sorted(generator.exact_sources(t.text))
            dup = first.get(norm)
            first.setdefault(norm, t.index)
            status = "duplicate" if dup is not None else "copied" if sources else "unsourced"
            out.append(Prediction(t.start, t.end, status, sources, dup))
        return out

    return predict


# -- wiretrace ---------------------------------------------------------------------------------

Tracing = Callable[[Any], Callable[[Any], Any]]  # store -> (article -> TraceReport)


def _tracer() -> Tracing | None:
    """wiretrace's tracer: one reusable `Tracer` per store when there is one (it caches source
    words), else `trace_article(article, store)`; None when neither imports yet."""
    try:
        from wiretrace.trace import tracer as trace
    except ImportError as exc:
        print(
            f"note: wiretrace.trace.tracer does not import ({exc}); running the baselines only.",
            file=sys.stderr,
        )
        return None
    tracer_class: Any = getattr(trace, "Tracer", None)
    trace_article: Any = getattr(trace, "trace_article", None)
    if tracer_class is not None:
        return lambda store: tracer_class(store).trace
    if trace_article is not None:
        return lambda store: lambda article: trace_article(article, store)
    print(
        "note: wiretrace.trace has no Tracer or trace_article yet; running the baselines only.",
        file=sys.stderr,
    )
    return None


def run_wiretrace(
    store_pool: Sequence[PoolArticle],
    composites: Sequence[Composite],
    tracing: Tracing,
    workdir: Path,
) -> tuple[Counts, float, float]:
    """Ingest the store pool into a fresh store and trace every composite.

    Returns the counts, the seconds to ingest (and index) and the seconds to trace."""
    from wiretrace.api import add
    from wiretrace.doc.article import Article
    from wiretrace.store.articles import Store

    started = time.perf_counter()
    jsonl = workdir / "store.jsonl"
    with jsonl.open("w", encoding="utf-8") as handle:
        for a in store_pool:
            handle.write(
                json.dumps(
                    {
                        "text": a.text,
                        "title": a.title,
                        "url": a.url,
                        "outlet": a.outlet,
                        "published": a.published_at.isoformat() if a.published_at else None,
                    }
                )
                + "\n"
            )
    db = workdir / "store.duckdb"
    report = add([jsonl], db=db)
    if report.errors:
        print(
            f"note: {len(report.errors)} store articles failed to ingest: {report.errors[0]}",
            file=sys.stderr,
        )
    key_of = {a.url: a.key for a in store_pool if a.url}
    counts = Counts()
    with Store(db) as store:
        for article_id, url in store.db.execute("SELECT id, url FROM articles").fetchall():
            if url in key_of:
                key_of[article_id] = key_of[url]
        _catch_up_index(store)
        ingest_seconds = time.perf_counter() - started
        started = time.perf_counter()
        trace_article = tracing(store)
        failures = 0
        for comp in composites:
            article = Article.create(
                comp.text,
                title=comp.title,
                outlet="composite.example",
                url=f"https://composite.example/{comp.key}",
                published_at=comp.published_at,
            )
            try:
                traced = trace_article(article).to_dict()
            except Exception as exc:  # a crash on one composite is reported, not fatal
                failures += 1
                if failures == 1:
                    print(f"note: tracing {comp.key} failed: {exc!r}", file=sys.stderr)
                traced = {"sentences": []}
            score(comp, predictions_from_report(traced, key_of), counts)
        if failures:
            print(
                f"note: {failures} of {len(composites)} composites failed to trace", file=sys.stderr
            )
    return counts, ingest_seconds, time.perf_counter() - started


def _catch_up_index(store: Any) -> None:
    """Index stored articles if the ingest did not (the index module is optional here)."""
    try:
        from wiretrace.index.postings import ShingleIndex
    except ImportError:
        return
    ShingleIndex(store).catch_up()


# -- the run -----------------------------------------------------------------------------------


def evaluate(
    pool: Sequence[PoolArticle], *, composites: int, seed: int, limit_store: int | None
) -> dict[str, Any]:
    """Generate composites, run wiretrace and the baselines, return every figure."""
    store_pool, held_out = split_pool(pool, seed=seed)
    if limit_store is not None:
        store_pool = store_pool[:limit_store]
    generator = CompositeGenerator(store_pool, held_out)
    comps = generator.generate(composites, seed=seed)
    results: dict[str, dict[str, Any]] = {}
    tracing = _tracer()
    if tracing is not None:
        with tempfile.TemporaryDirectory(prefix="wiretrace-composites-") as tmp:
            counts, ingest_s, trace_s = run_wiretrace(store_pool, comps, tracing, Path(tmp))
        results["wiretrace"] = {
            **counts.scores(),
            "seconds": round(trace_s, 2),
            "ingest_seconds": round(ingest_s, 2),
        }
    methods: list[tuple[str, Callable[[], Callable[[Composite], list[Prediction]]]]] = [
        (
            f"sentence MinHash (5-grams, t={SENTENCE_THRESHOLD})",
            lambda: sentence_minhash(store_pool),
        ),
        *[
            (f"document MinHash (5-grams, t={t})", lambda t=t: doc_minhash(store_pool, t))
            for t in DOC_THRESHOLDS
        ],
        ("exact normalised sentences", lambda: exact_sentences(generator)),
    ]
    for name, build in methods:
        started = time.perf_counter()
        predict = build()
        counts = Counts()
        for comp in comps:
            score(comp, predict(comp), counts)
        results[name] = {**counts.scores(), "seconds": round(time.perf_counter() - started, 2)}
    statuses = Counter(s.status for c in comps for s in c.sentences)
    ops = Counter(op for c in comps for s in c.sentences for op in s.ops)
    return {
        "config": {
            "composites": composites,
            "seed": seed,
            "store_articles": len(store_pool),
            "held_out_articles": len(held_out),
            "sentences": sum(statuses.values()),
            "statuses": dict(statuses),
            "operations": dict(ops),
            "headline": "attribution_top1",
        },
        "methods": results,
        "anchors": [
            dict(zip(("system", "attribution_f1", "unsourced_r_p", "seconds"), row, strict=True))
            for row in ANCHORS
        ],
    }


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def markdown(figures: Mapping[str, Any]) -> str:
    """The figures as Markdown tables: ours and the baselines, then the anchors."""
    cfg = figures["config"]
    lines = [
        f"Composites: {cfg['composites']} (seed {cfg['seed']}), {cfg['sentences']} sentences "
        f"{cfg['statuses']}; store {cfg['store_articles']} articles, held-out "
        f"{cfg['held_out_articles']}.",
        "",
        "| method | attribution F1 top-1 (P / R) | attribution F1 any (P / R) | unsourced R / P "
        "| duplicates F1 | factual changes F1 | seconds |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, m in figures["methods"].items():
        top, any_, uns = m["attribution_top1"], m["attribution_any"], m["unsourced"]
        seconds = f"{m['seconds']:.2f}"
        if "ingest_seconds" in m:
            seconds += f" (+{m['ingest_seconds']:.2f} ingest)"
        lines.append(
            f"| {name} | **{_fmt(top['f1'])}** ({_fmt(top['p'])} / {_fmt(top['r'])}) "
            f"| {_fmt(any_['f1'])} ({_fmt(any_['p'])} / {_fmt(any_['r'])}) "
            f"| {_fmt(uns['r'])} / {_fmt(uns['p'])} | {_fmt(m['duplicates']['f1'])} "
            f"| {_fmt(m['factual_changes']['f1'])} | {seconds} |"
        )
    for system, f1, unsourced, seconds in ANCHORS:
        lines.append(f"| {system} | {f1} | — | {unsourced} | — | — | {seconds} |")
    ops = sorted({op for m in figures["methods"].values() for op in m["top1_recall_by_operation"]})
    lines += [
        "",
        "Top-1 attribution recall by operation:",
        "",
        "| method | " + " | ".join(ops) + " |",
        "| --- |" + " --- |" * len(ops),
    ]
    for name, m in figures["methods"].items():
        by_op = m["top1_recall_by_operation"]
        lines.append(f"| {name} | " + " | ".join(_fmt(by_op.get(op)) for op in ops) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--composites", type=int, default=200, help="composites to generate")
    parser.add_argument("--seed", type=int, default=13, help="seed of the split and generator")
    parser.add_argument(
        "--limit-store", type=int, default=None, help="use at most N store articles"
    )
    parser.add_argument("--pool", type=Path, default=DEFAULT_POOL, help="FA-KES-style CSV")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not args.pool.exists():
        print(f"error: no pool at {args.pool}", file=sys.stderr)
        return 2
    figures = evaluate(
        load_pool(args.pool),
        composites=args.composites,
        seed=args.seed,
        limit_store=args.limit_store,
    )
    print(json.dumps(figures, indent=2) if args.json else markdown(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
