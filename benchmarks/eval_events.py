"""Grouping articles by real-world event, on US gun-violence news with Gun Violence Archive ids.

Reads ../shared/eval/gunviolence/articles.jsonl at run time (not part of the repo). Incidents
are split in two halves by the parity of the SHA-1 of "events:" and the incident id (all of an
incident's articles go together); each half is grouped on its own, as if it were the whole
corpus. The pair model's weights (`wiretrace.corroborate.event_pairs`, printed by `--fit`: a
logistic regression on the candidate pairs of the dev half, labelled same incident or not) and
the linkage threshold of `wiretrace.corroborate.events` were developed on the "dev" half; the
"held" half was only measured. Scores: pairwise precision, recall and F1 over article pairs,
and B-cubed F1. Baselines in the same run: single-link TF-IDF cosine >= 0.3 (scikit-learn's
default TfidfVectorizer over the whole text) between articles published within two days, and
every article alone.

    .venv/bin/python benchmarks/eval_events.py [--json] [--data PATH] [--half dev|held]
    .venv/bin/python benchmarks/eval_events.py --fit     # refit the pair model on the dev half
    .venv/bin/python benchmarks/eval_events.py --cv      # out-of-fold scores inside the dev half

`--cv` is how features and the linkage threshold are chosen without the held half: the dev
incidents in `FOLDS` folds (SHA-1 of "cv:" and the id), every candidate pair scored by a model
fitted (on standardised features) on the folds that hold neither of its articles, the whole dev
half then clustered once with those scores at each threshold of `CV_THRESHOLDS`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from wiretrace.corroborate.event_pairs import FEATURES
from wiretrace.corroborate.events import (
    EventDoc,
    candidate_features,
    cluster_scored,
    group_events,
)
from wiretrace.corroborate.linkage import single_linkage

sys.path.insert(0, str(Path(__file__).parent))
from eval_gvdb import load  # one JSON Lines reader for both gun-violence files

DEFAULT_DATA = (
    Path(__file__).resolve().parents[2] / "shared" / "eval" / "gunviolence" / "articles.jsonl"
)


def half(incident: str) -> str:
    """'dev' or 'held' by the parity of SHA-1 of "events:" + the incident id (the corpus itself
    is already one parity of the plain id's SHA-1, so the plain id cannot split it again)."""
    digest = hashlib.sha1(f"events:{incident}".encode()).hexdigest()
    return "dev" if int(digest, 16) % 2 == 0 else "held"


def _doc(n: int, row: dict[str, Any]) -> EventDoc:
    try:
        published = date.fromisoformat(row["published"][:10])
    except (TypeError, ValueError):
        published = None
    title, text = row.get("title") or "", row.get("text") or ""
    return EventDoc(str(n), title, text, published, row.get("outlet") or "")


def baseline(docs: list[EventDoc], threshold: float = 0.3, days: int = 2) -> list[int]:
    """Single-link TF-IDF cosine >= threshold (whole text) within `days`: a label per doc."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer().fit_transform([d.text for d in docs])
    similar = (matrix @ matrix.T).tocoo()
    pairs = []
    for i, j, value in zip(similar.row.tolist(), similar.col.tolist(), similar.data, strict=True):
        di, dj = docs[i].published, docs[j].published
        if i < j and value >= threshold and not (di and dj and abs((dj - di).days) > days):
            pairs.append((i, j))
    return single_linkage(len(docs), pairs)


def scores(labels: list[Any], gold: list[str]) -> dict[str, float]:
    """Pairwise P/R/F1 and B-cubed P/R/F1 of predicted labels against gold ids."""
    pairs_pred = Counter(labels)
    pairs_gold = Counter(gold)
    joint = Counter(zip(labels, gold, strict=True))
    same_both = sum(c * (c - 1) / 2 for c in joint.values())
    same_pred = sum(c * (c - 1) / 2 for c in pairs_pred.values())
    same_gold = sum(c * (c - 1) / 2 for c in pairs_gold.values())
    p = same_both / same_pred if same_pred else 1.0
    r = same_both / same_gold if same_gold else 1.0
    bp = sum(joint[(lab, g)] / pairs_pred[lab] for lab, g in zip(labels, gold, strict=True))
    br = sum(joint[(lab, g)] / pairs_gold[g] for lab, g in zip(labels, gold, strict=True))
    n = len(labels)
    bp, br = bp / n, br / n
    return {
        "pairwise_p": round(p, 4),
        "pairwise_r": round(r, 4),
        "pairwise_f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
        "bcubed_p": round(bp, 4),
        "bcubed_r": round(br, 4),
        "bcubed_f1": round(2 * bp * br / (bp + br) if bp + br else 0.0, 4),
    }


def fit(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Logistic-regression weights of the pair model, fitted on the dev half's candidate pairs
    (label: both articles carry the same incident id)."""
    from sklearn.linear_model import LogisticRegression

    chosen = [r for r in rows if half(str(r["incident"])) == "dev"]
    found = candidate_features([_doc(n, r) for n, r in enumerate(chosen)])
    if found is None:
        raise ValueError("no candidate pairs in the dev half")
    pairs, features = found
    gold = [str(r["incident"]) for r in chosen]
    same = [gold[i] == gold[j] for i, j in pairs.tolist()]
    model = LogisticRegression(C=10.0, max_iter=5000).fit(features, same)
    return {
        "pairs": len(same),
        "same_event_pairs": sum(same),
        "weights": dict(zip(FEATURES, (round(float(w), 2) for w in model.coef_[0]), strict=True)),
        "intercept": round(float(model.intercept_[0]), 2),
    }


FOLDS = 5
CV_THRESHOLDS = (0.2, 0.25, 0.3, 0.35)


def _fold(incident: str) -> int:
    return int(hashlib.sha1(f"cv:{incident}".encode()).hexdigest(), 16) % FOLDS


def cross_validate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Out-of-fold pairwise and B-cubed scores of the dev half at each linkage threshold."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    chosen = [r for r in rows if half(str(r["incident"])) == "dev"]
    docs = [_doc(n, r) for n, r in enumerate(chosen)]
    gold = [str(r["incident"]) for r in chosen]
    found = candidate_features(docs)
    if found is None:
        raise ValueError("no candidate pairs in the dev half")
    pairs, features = found
    same = np.array([gold[i] == gold[j] for i, j in pairs.tolist()])
    fold = np.array([_fold(g) for g in gold])
    left, right = fold[pairs[:, 0]], fold[pairs[:, 1]]
    probability = np.zeros(len(pairs))
    for a in range(FOLDS):
        for b in range(a, FOLDS):
            target = ((left == a) & (right == b)) | ((left == b) & (right == a))
            train = ~np.isin(left, (a, b)) & ~np.isin(right, (a, b))
            if not target.any():
                continue
            scaler = StandardScaler().fit(features[train])
            model = LogisticRegression(C=10.0, max_iter=2000)
            model.fit(scaler.transform(features[train]), same[train])
            probability[target] = model.predict_proba(scaler.transform(features[target]))[:, 1]
    out: dict[str, Any] = {"pairs": len(pairs), "same_event_pairs": int(same.sum())}
    for threshold in CV_THRESHOLDS:
        labels = cluster_scored(len(docs), pairs, probability, threshold)
        out[str(threshold)] = scores(labels, gold)
    return out


def evaluate(
    rows: list[dict[str, Any]], halves: tuple[str, ...] = ("dev", "held")
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in halves:
        chosen = [r for r in rows if half(str(r["incident"])) == name]
        docs = [_doc(n, r) for n, r in enumerate(chosen)]
        gold = [str(r["incident"]) for r in chosen]
        started = time.perf_counter()
        label = {a: e.id for e in group_events(docs) for a in e.articles}
        seconds = time.perf_counter() - started
        ours = [label[d.article_id] for d in docs]
        out[name] = {
            "articles": len(docs),
            "incidents": len(set(gold)),
            "wiretrace": scores(ours, gold) | {"seconds": round(seconds, 2)},
            "tfidf_0.3_2days": scores(baseline(docs), gold),
            "singletons": scores(list(range(len(docs))), gold),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true", help="print scores as JSON")
    parser.add_argument("--half", choices=["dev", "held"], help="measure one half only")
    parser.add_argument("--fit", action="store_true", help="print pair-model weights (dev half)")
    parser.add_argument("--cv", action="store_true", help="out-of-fold scores (dev half)")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"error: {args.data}: no such file", file=sys.stderr)
        return 2
    if args.cv:
        print(json.dumps(cross_validate(load(args.data)), indent=2))
        return 0
    if args.fit:
        print(json.dumps(fit(load(args.data)), indent=2))
        return 0
    halves = (args.half,) if args.half else ("dev", "held")
    result = evaluate(load(args.data), halves)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{'half':<6}{'method':<17}{'pair P':>8}{'pair R':>8}{'pair F1':>9}{'B3 F1':>8}")
    for name in halves:
        for method in ("wiretrace", "tfidf_0.3_2days", "singletons"):
            s = result[name][method]
            print(
                f"{name:<6}{method:<17}{s['pairwise_p']:>8.3f}{s['pairwise_r']:>8.3f}"
                f"{s['pairwise_f1']:>9.3f}{s['bcubed_f1']:>8.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
