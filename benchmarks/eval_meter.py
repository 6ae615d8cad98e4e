"""Score `trace` on METER (PA wire copy and the newspaper texts written from it), with the word
3-gram containment baseline in the same run.

Usage: python benchmarks/eval_meter.py [--corpus DIR] [--semantic] [--limit N] [--folds 5] [--json]

Every PA text is stored in a fresh store (`wiretrace add pa.jsonl`, with `--semantic` the
sentence embeddings too); each newspaper text is traced as a stored-nowhere article with its
title, outlet and publication time (the next morning). Measures (../shared/eval/meter/README.md):

* token level: each gold word (`\\w+` inside a gold span) takes the call of the sentence holding
  it; P/R/F1 of derived (copied, paraphrased, duplicate) against Verbatim+Rewrite and of new
  (unsourced, boilerplate) against New;
* sentence level: wiretrace's sentences, gold = majority class of their gold words (ties:
  Verbatim, then Rewrite); the same two F1s;
* document level: the share of a text's words in derived sentences, two thresholds (non /
  partially / wholly) chosen by 5-fold stratified cross-validation, macro-F1 over the 3 classes
  on the out-of-fold calls; and the AUC of the share for derived vs non;
* source precision@1: over wholly and partially derived texts, the PA text cited most often as the
  first source of the derived sentences must belong to the text's story; a text with no derived
  sentence is judged by the first of its report's `summary.passage_sources` (no source: a miss).

Baseline: word 3-gram containment of each sentence (the same sentences) in the union of the
same-date PA texts; derived above a threshold chosen on the training folds (folds grouped by
story); its source is the same-date PA text sharing most 3-grams with the derived sentences, or
with the whole text when none is derived.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import GroupKFold, StratifiedKFold

from wiretrace import api
from wiretrace.doc.article import Article
from wiretrace.store.articles import Store
from wiretrace.trace.tracer import Tracer

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "meter"
_WORD = re.compile(r"\w+")
DERIVED = ("copied", "paraphrased", "duplicate")
CLASSES = ("non", "partially", "wholly")
# Published anchors (Clough et al. 2002, whole corpus, their features): document classes only.
ANCHORS = [
    ("Clough et al. 2002, combined classifier (published, whole corpus)", "0.664"),
    ("Clough et al. 2002, two binary Naive Bayes (published, whole corpus)", "0.73"),
]


@dataclass(slots=True)
class Text:
    """One newspaper text with its gold and both methods' sentence calls."""

    record: dict[str, Any]
    article: Article
    spans: list[tuple[int, int]]  # wiretrace's sentences
    gold_words: list[tuple[int, str]]  # (char offset, Verbatim|Rewrite|New)
    words_total: int  # \w+ words of the text (document share)
    calls: list[bool] = field(default_factory=list)  # wiretrace: derived per sentence
    first_sources: list[str | None] = field(default_factory=list)  # PA story of best source
    containment: list[float] = field(default_factory=list)  # baseline per sentence
    baseline_sources: list[str | None] = field(default_factory=list)
    # The story of the closest source of the whole text, for a text with no derived sentence:
    # wiretrace's first `passage_sources` entry; the baseline's same-day text sharing most 3-grams.
    passage_source: str | None = None
    baseline_passage_source: str | None = None

    @property
    def story(self) -> str:
        return str(self.record["story"])


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def to_article(record: dict[str, Any]) -> Article:
    published = datetime.fromisoformat(str(record["published"]).replace("Z", "+00:00"))
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return Article.create(
        record["text"],
        title=record.get("title") or "",
        url=record.get("url"),
        outlet=record.get("outlet"),
        published_at=published,
    )


def gold_words(record: dict[str, Any]) -> list[tuple[int, str]]:
    text = record["text"]
    out = []
    for start, end, label in record.get("spans") or []:
        out.extend((start + m.start(), label) for m in _WORD.finditer(text[start:end]))
    return out


def _sentence_of(spans: Sequence[tuple[int, int]]) -> Callable[[int], int | None]:
    starts = np.array([s for s, _ in spans])

    def find(offset: int) -> int | None:
        i = int(np.searchsorted(starts, offset, side="right")) - 1
        return i if i >= 0 and offset < spans[i][1] else None

    return find


# -- baseline ----------------------------------------------------------------------------------


def trigrams(text: str) -> set[tuple[str, ...]]:
    tokens = [w.casefold() for w in _WORD.findall(text)]
    return {tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)}


def run_baseline(texts: list[Text], pa: list[dict[str, Any]]) -> float:
    started = time.perf_counter()
    by_date: dict[str, list[tuple[str, set[tuple[str, ...]]]]] = defaultdict(list)
    for record in pa:
        by_date[record["date"]].append((record["story"], trigrams(record["text"])))
    for text in texts:
        same_day = by_date.get(text.record["date"], [])
        union: set[tuple[str, ...]] = set().union(*(grams for _, grams in same_day))
        for start, end in text.spans:
            grams = trigrams(text.article.text[start:end])
            text.containment.append(len(grams & union) / len(grams) if grams else 0.0)
            best = max(same_day, key=lambda pair: len(grams & pair[1]), default=None)
            text.baseline_sources.append(best[0] if best and grams & best[1] else None)
        whole = trigrams(text.article.text)
        closest = max(same_day, key=lambda pair: len(whole & pair[1]), default=None)
        text.baseline_passage_source = closest[0] if closest and whole & closest[1] else None
    return time.perf_counter() - started


# -- wiretrace ---------------------------------------------------------------------------------


def run_wiretrace(
    texts: list[Text], db: Path, *, semantic: bool, pa_story: dict[str, str]
) -> float:
    started = time.perf_counter()
    with Store(db, read_only=True) as store:
        tracer = Tracer(store, semantic=semantic, claims=False)
        for text in texts:
            report = tracer.trace(text.article)
            for trace in report.sentences:
                text.calls.append(trace.status in DERIVED)
                best = trace.best
                text.first_sources.append(pa_story.get(best.doc.article_id) if best else None)
            by_passages = report.passage_sources()
            if by_passages:
                text.passage_source = pa_story.get(by_passages[0]["article_id"])
    return time.perf_counter() - started


# -- measures ----------------------------------------------------------------------------------


def _prf(tp: int, predicted: int, truth: int) -> dict[str, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / truth if truth else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3)}


def token_scores(texts: Sequence[Text], calls: Sequence[Sequence[bool]]) -> dict[str, Any]:
    n: Counter[str] = Counter()
    for text, sentence_calls in zip(texts, calls, strict=True):
        find = _sentence_of(text.spans)
        for offset, label in text.gold_words:
            i = find(offset)
            _count(n, derived=bool(i is not None and sentence_calls[i]), gold=label != "New")
    return _derived_new(n)


def sentence_gold(text: Text) -> list[bool | None]:
    """Per sentence: derived by majority of gold words (ties: Verbatim, Rewrite), None if none."""
    find = _sentence_of(text.spans)
    counts: list[Counter[str]] = [Counter() for _ in text.spans]
    for offset, label in text.gold_words:
        i = find(offset)
        if i is not None:
            counts[i][label] += 1
    out: list[bool | None] = []
    for c in counts:
        if not c:
            out.append(None)
            continue
        top = max(("Verbatim", "Rewrite", "New"), key=lambda k: c[k])  # first wins ties
        out.append(top != "New")
    return out


def sentence_scores(texts: Sequence[Text], calls: Sequence[Sequence[bool]]) -> dict[str, Any]:
    n: Counter[str] = Counter()
    for text, sentence_calls in zip(texts, calls, strict=True):
        for gold, derived in zip(sentence_gold(text), sentence_calls, strict=True):
            if gold is not None:
                _count(n, derived=derived, gold=gold)
    return _derived_new(n)


def _count(n: Counter[str], *, derived: bool, gold: bool) -> None:
    """One unit (word or sentence) into the derived and the new confusion counts."""
    n["pred_d"] += derived
    n["gold_d"] += gold
    n["tp_d"] += derived and gold
    n["pred_n"] += not derived
    n["gold_n"] += not gold
    n["tp_n"] += (not derived) and (not gold)


def _derived_new(n: Counter[str]) -> dict[str, Any]:
    return {
        "derived": _prf(n["tp_d"], n["pred_d"], n["gold_d"]),
        "new": _prf(n["tp_n"], n["pred_n"], n["gold_n"]),
    }


def derived_share(text: Text, calls: Sequence[bool]) -> float:
    if not text.words_total:
        return 0.0
    words = sum(
        len(_WORD.findall(text.article.text[s:e]))
        for (s, e), derived in zip(text.spans, calls, strict=True)
        if derived
    )
    return words / text.words_total


def _classify(shares: np.ndarray, low: float, high: float) -> np.ndarray:
    return np.where(shares >= high, 2, np.where(shares >= low, 1, 0))


def _macro_f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    """Macro-F1 over the three classes (sklearn's definition; numpy, for the threshold grid)."""
    scores = []
    for k in range(3):
        tp = float(np.sum((predicted == k) & (gold == k)))
        denominator = float(np.sum(predicted == k) + np.sum(gold == k))
        scores.append(2 * tp / denominator if denominator else 0.0)
    return sum(scores) / 3


def document_scores(shares: np.ndarray, labels: np.ndarray, folds: int) -> dict[str, Any]:
    """Macro-F1 of 3 classes by two thresholds chosen on the training folds; AUC of the share."""
    grid = np.round(np.arange(0.0, 1.0001, 0.02), 3)
    predicted = np.zeros_like(labels)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=13)
    chosen = []
    for train, test in splitter.split(shares, labels):
        best = (-1.0, 0.0, 0.0)
        for low in grid:
            for high in grid[grid > low]:
                f = _macro_f1(labels[train], _classify(shares[train], low, high))
                if f > best[0]:
                    best = (float(f), float(low), float(high))
        chosen.append(best[1:])
        predicted[test] = _classify(shares[test], best[1], best[2])
    return {
        "macro_f1": round(float(f1_score(labels, predicted, average="macro")), 3),
        "auc_derived_vs_non": round(float(roc_auc_score(labels > 0, shares)), 3),
        "thresholds": [[round(a, 2), round(b, 2)] for a, b in chosen],
    }


def precision_at_1(
    texts: Sequence[Text],
    sources: Sequence[Sequence[str | None]],
    fallbacks: Sequence[str | None],
) -> float:
    """The story of the source cited most often by a derived text's derived sentences, or when
    none is derived the text's closest source as a whole (`fallbacks`), is the text's story."""
    hits = total = 0
    for text, firsts, fallback in zip(texts, sources, fallbacks, strict=True):
        if text.record["doc_class"] == "non":
            continue
        total += 1
        cited = Counter(s for s in firsts if s is not None)
        named = cited.most_common(1)[0][0] if cited else fallback
        if named == text.story:
            hits += 1
    return round(hits / total, 3) if total else 0.0


def _sentence_tallies(text: Text) -> list[tuple[float, int, int]]:
    find = _sentence_of(text.spans)
    derived = [0] * len(text.spans)
    new = [0] * len(text.spans)
    for offset, label in text.gold_words:
        i = find(offset)
        if i is not None:
            if label == "New":
                new[i] += 1
            else:
                derived[i] += 1
    return list(zip(text.containment, derived, new, strict=True))


def baseline_calls(
    texts: Sequence[Text], folds: int
) -> tuple[list[list[bool]], list[float], list[float]]:
    """Per-sentence derived calls of the baseline with the threshold chosen on training folds
    (grouped by story) over the annotated texts; for texts without word gold, the threshold best
    over all annotated texts. Returns calls, the per-fold thresholds and the global one."""
    grid = [round(x, 2) for x in np.arange(0.05, 0.96, 0.05)]
    annotated = [i for i, t in enumerate(texts) if t.gold_words]

    # Per sentence: containment, gold derived words, gold new words (token scores by tallies).
    tallies = [_sentence_tallies(t) for t in texts]

    def best_threshold(indexes: Sequence[int]) -> float:
        rows = np.array([row for i in indexes for row in tallies[i]]).reshape(-1, 3)

        def score(th: float) -> float:
            derived = rows[:, 0] >= th
            tp = rows[derived, 1].sum()
            predicted = rows[derived, 1:].sum()
            truth = rows[:, 1].sum()
            return float(2 * tp / (predicted + truth)) if predicted + truth else 0.0

        return max(grid, key=score)

    calls: list[list[bool]] = [[] for _ in texts]
    per_fold = []
    groups = [texts[i].story for i in annotated]
    for train, test in GroupKFold(n_splits=folds).split(annotated, groups=groups):
        th = best_threshold([annotated[i] for i in train])
        per_fold.append(th)
        for i in test:
            t = texts[annotated[i]]
            calls[annotated[i]] = [c >= th for c in t.containment]
    overall = best_threshold(annotated)
    for i, t in enumerate(texts):
        if not t.gold_words:
            calls[i] = [c >= overall for c in t.containment]
    return calls, per_fold, [overall]


def score_method(
    texts: Sequence[Text],
    calls: Sequence[Sequence[bool]],
    sources: Sequence[Sequence[str | None]],
    fallbacks: Sequence[str | None],
    folds: int,
    seconds: float,
) -> dict[str, Any]:
    annotated = [i for i, t in enumerate(texts) if t.gold_words]
    a_texts = [texts[i] for i in annotated]
    a_calls = [calls[i] for i in annotated]
    labels = np.array([CLASSES.index(t.record["doc_class"]) for t in texts])
    shares = np.array([derived_share(t, c) for t, c in zip(texts, calls, strict=True)])
    firsts = [
        [s for s, derived in zip(src, c, strict=True) if derived]
        for src, c in zip(sources, calls, strict=True)
    ]
    return {
        "token": token_scores(a_texts, a_calls),
        "sentence": sentence_scores(a_texts, a_calls),
        "document": document_scores(shares, labels, folds),
        "source_precision_at_1": precision_at_1(texts, firsts, fallbacks),
        "seconds": round(seconds, 1),
    }


def load_texts(corpus: Path, limit: int | None) -> tuple[list[Text], list[dict[str, Any]]]:
    pa = read_jsonl(corpus / "pa.jsonl")
    news = read_jsonl(corpus / "newspapers.jsonl")
    if limit is not None:
        news = news[:limit]
    texts = []
    for record in news:
        article = to_article(record)
        if article.text != record["text"]:
            raise SystemExit(f"{record['id']}: text changed when read; offsets would not hold")
        texts.append(
            Text(
                record,
                article,
                [(s.start, s.end) for s in article.sentences],
                gold_words(record),
                len(_WORD.findall(record["text"])),
            )
        )
    return texts, pa


def evaluate(corpus: Path, *, semantic: bool, limit: int | None, folds: int) -> dict[str, Any]:
    texts, pa = load_texts(corpus, limit)
    with tempfile.TemporaryDirectory(prefix="wiretrace-meter-") as tmp:
        db = Path(tmp) / "meter.duckdb"
        started = time.perf_counter()
        api.add([corpus / "pa.jsonl"], db=db, semantic=semantic)
        store_seconds = time.perf_counter() - started
        with Store(db, read_only=True) as store:
            stored = store.db.execute("SELECT id, url FROM articles").fetchall()
        story_of_url = {r["url"]: r["story"] for r in pa}
        pa_story = {article_id: story_of_url[url] for article_id, url in stored}
        seconds = run_wiretrace(texts, db, semantic=semantic, pa_story=pa_story)
    base_seconds = run_baseline(texts, pa)
    ours = score_method(
        texts,
        [t.calls for t in texts],
        [t.first_sources for t in texts],
        [t.passage_source for t in texts],
        folds,
        seconds,
    )
    calls, per_fold, overall = baseline_calls(texts, folds)
    base = score_method(
        texts,
        calls,
        [t.baseline_sources for t in texts],
        [t.baseline_passage_source for t in texts],
        folds,
        base_seconds,
    )
    base["thresholds"] = {"per_fold": per_fold, "all_annotated": overall[0]}
    return {
        "texts": len(texts),
        "annotated": sum(1 for t in texts if t.gold_words),
        "pa_texts": len(pa),
        "semantic": semantic,
        "store_seconds": round(store_seconds, 1),
        "methods": {"wiretrace": ours, "baseline_3gram": base},
    }


def markdown(result: dict[str, Any]) -> str:
    path = "semantic" if result["semantic"] else "lexical"
    rows = [
        "| method | token derived P / R / F1 | token new P / R / F1 | sentence derived / new F1 "
        "| doc 3-class macro-F1 | doc AUC | source P@1 | seconds |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, m in result["methods"].items():
        label = f"**wiretrace ({path})**" if name == "wiretrace" else "word 3-gram containment"
        d, n = m["token"]["derived"], m["token"]["new"]
        rows.append(
            f"| {label} | {d['p']:.3f} / {d['r']:.3f} / {d['f1']:.3f} | "
            f"{n['p']:.3f} / {n['r']:.3f} / {n['f1']:.3f} | "
            f"{m['sentence']['derived']['f1']:.3f} / {m['sentence']['new']['f1']:.3f} | "
            f"{m['document']['macro_f1']:.3f} | {m['document']['auc_derived_vs_non']:.3f} | "
            f"{m['source_precision_at_1']:.3f} | {m['seconds']} |"
        )
    rows += [f"| {name} | — | — | — | {figure} | — | — | — |" for name, figure in ANCHORS]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--semantic", action="store_true", help="embed PA sentences and use them")
    parser.add_argument("--limit", type=int, default=None, help="only the first N newspaper texts")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not (args.corpus / "pa.jsonl").exists():
        print(f"no METER corpus at {args.corpus}", file=sys.stderr)
        return 2
    result = evaluate(args.corpus, semantic=args.semantic, limit=args.limit, folds=args.folds)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(markdown(result))
        print(
            f"\n{result['texts']} newspaper texts ({result['annotated']} with word gold), "
            f"{result['pa_texts']} PA texts stored in {result['store_seconds']} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
