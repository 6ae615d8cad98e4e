"""Train the derivation model (provenance.py) on METER's word gold, cross-validated by story.

Usage: python benchmarks/train_derivation.py [--corpus DIR] [--folds 5] [--out PATH] [--json]

All PA texts are stored and every annotated newspaper text is traced with the model off; each
sentence the sentence-level path leaves unsourced gives its evidence (`provenance.FEATURES`) and
its gold (majority of its gold words derived: Verbatim or Rewrite), weighted by its gold words so
the fit serves token-level F1. A standardised logistic regression is fitted on the training
stories of each fold; a sentence is called derived when the model finds it more likely than not
(probability 0.5: no threshold is tuned, and a lower one, best for METER's F1, calls sentences
inserted among copied ones on the same subject derived). The held-out stories' calls give the
cross-validated figures printed here; the shipped model is then fitted on every story of the
development half.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).parent))
from eval_meter import DEFAULT_CORPUS, DERIVED, Text, load_texts, sentence_gold, token_scores
from wiretrace import api
from wiretrace.store.articles import Store
from wiretrace.trace.params import TraceParams
from wiretrace.trace.provenance import _MODEL_PATH, FEATURES, DerivationModel
from wiretrace.trace.tracer import Tracer


@dataclasses.dataclass
class Samples:
    texts: list[Text]
    fixed: list[list[bool]]  # per text, per sentence: derived by the sentence path
    rows: list[tuple[int, int]]  # (text, sentence) of each model sample
    x: np.ndarray
    y: np.ndarray
    weight: np.ndarray


def collect(corpus: Path) -> Samples:
    texts, _ = load_texts(corpus, None)
    texts = [t for t in texts if t.gold_words]
    params = TraceParams(derivation_model=False, partial_coverage=2.0)
    fixed, rows, x, y, weight = [], [], [], [], []
    with tempfile.TemporaryDirectory(prefix="wiretrace-train-") as tmp:
        db = Path(tmp) / "meter.duckdb"
        api.add([corpus / "pa.jsonl"], db=db)
        with Store(db, read_only=True) as store:
            tracer = Tracer(store, params=params, semantic=False, claims=False)
            for t_index, text in enumerate(texts):
                report = tracer.trace(text.article)
                gold = sentence_gold(text)
                words = _gold_counts(text)
                fixed.append([tr.status in DERIVED for tr in report.sentences])
                for s_index, trace in enumerate(report.sentences):
                    if trace.evidence is None or gold[s_index] is None:
                        continue
                    rows.append((t_index, s_index))
                    x.append(trace.evidence)
                    y.append(int(bool(gold[s_index])))
                    weight.append(words[s_index])
    return Samples(texts, fixed, rows, np.array(x), np.array(y), np.array(weight, dtype=float))


def _gold_counts(text: Text) -> list[int]:
    from eval_meter import _sentence_of

    find = _sentence_of(text.spans)
    counts = [0] * len(text.spans)
    for offset, _ in text.gold_words:
        i = find(offset)
        if i is not None:
            counts[i] += 1
    return counts


def fit(x: np.ndarray, y: np.ndarray, weight: np.ndarray) -> DerivationModel:
    mean = x.mean(axis=0)
    scale = np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
    model = LogisticRegression(C=1.0, max_iter=1000)
    model.fit((x - mean) / scale, y, sample_weight=weight)
    return DerivationModel(
        tuple(float(v) for v in mean),
        tuple(float(v) for v in scale),
        tuple(float(v) for v in model.coef_[0]),
        float(model.intercept_[0]),
        0.5,
    )


def calls_with(samples: Samples, probs: np.ndarray, threshold: float, texts: set[int]) -> Any:
    calls = {t: list(samples.fixed[t]) for t in texts}
    for (t, s), p in zip(samples.rows, probs, strict=True):
        if t in calls:
            calls[t][s] = bool(p >= threshold)
    ordered = sorted(texts)
    return token_scores([samples.texts[t] for t in ordered], [calls[t] for t in ordered])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=_MODEL_PATH)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    samples = collect(args.corpus)
    stories = np.array([samples.texts[t].story for t, _ in samples.rows])
    oof = np.zeros(len(samples.rows))
    for train, test in GroupKFold(n_splits=args.folds).split(samples.x, groups=stories):
        model = fit(samples.x[train], samples.y[train], samples.weight[train])
        probs = np.array([model.probability(row) for row in samples.x])
        oof[test] = (probs[test] >= model.threshold).astype(float)
    cv = calls_with(samples, oof, 0.5, set(range(len(samples.texts))))
    final = fit(samples.x, samples.y, samples.weight)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(final.to_dict(), indent=1) + "\n", encoding="utf-8")
    result = {
        "samples": len(samples.rows),
        "cross_validated_token": cv,
        "model": final.to_dict(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{len(samples.rows)} sentences left unsourced by the sentence path, features:")
        for name, coef in zip(FEATURES, final.coef, strict=True):
            print(f"  {name:20s} {coef:+.3f}")
        d, n = cv["derived"], cv["new"]
        print(
            f"cross-validated by story (token level): derived P/R/F1 {d['p']} / {d['r']} / "
            f"{d['f1']}, new {n['p']} / {n['r']} / {n['f1']}"
        )
        print(f"model written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
