"""Propaganda-technique spans on the shared PTC (SemEval-2020 Task 11), cross-validated by article.

    .venv/bin/python benchmarks/eval_ptc.py [--cv DIR [--folds 5] [--cache FILE]
        [--write-decode MODEL_DIR]] [--model DIR] [--slice N] [--json] [--save FILE]

Reads ../shared/eval/ptc at run time (it is not part of the repo; offsets count the title line).
Always scores the baseline, the lexicon path of the claims report (`assertions.find_loaded`
over the whole text). `--cv DIR` scores the detector cross-validated by article: DIR/fold<I>
is a head trained by `train_propaganda.py --folds K` on every article but fold I
(`in_fold`), scored on fold I only; the folds' predictions are pooled. The "O" biases of the
decoding (`propaganda.spans_from_scores`) are chosen on those pooled held-out predictions
(Loaded_Language F1 for its layer, then all-technique F1 for the other), so the biased figure
has two scalars fitted on the folds; the unbiased one has none. `--model DIR` scores one model
(with its own `decode.json`) on the articles (`--slice N`: the first N by id).

Measures, per technique and for all techniques as one class: the task's span measure
(`task-SI_scorer.py`: overlapping spans merged on each side; precision = sum over predicted s
and gold t of |s & t| / |s| over the number of predicted spans, recall the same with |t| over
the number of gold spans), exact (merged spans with equal offsets) and any-overlap (a span
counts when it overlaps one of the other side).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from wiretrace.claims import propaganda as pg
from wiretrace.claims import tagger as tg
from wiretrace.claims.assertions import find_loaded

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval" / "ptc"
ALL = "all techniques"


@dataclass(slots=True)
class Doc:
    """One PTC article: its id, whole text (title line included) and gold technique spans."""

    ident: str
    text: str
    gold: list[tuple[str, int, int]]


def in_fold(corpus: list[Doc], folds: int, fold: int) -> list[Doc]:
    """The articles of one cross-validation fold: sorted by id, every `folds`-th from `fold`."""
    ordered = sorted(corpus, key=lambda d: d.ident)
    return ordered[fold::folds]


def load_corpus(root: Path) -> list[Doc]:
    """Every article<ID>.txt under `root` with its labels, sorted by id."""
    out: list[Doc] = []
    for path in sorted(root.glob("article*.txt")):
        ident = path.stem.removeprefix("article")
        text = path.read_text(encoding="utf-8")
        gold: list[tuple[str, int, int]] = []
        labels = path.with_name(f"article{ident}.labels.tsv")
        if labels.exists():
            for n, line in enumerate(labels.read_text(encoding="utf-8").splitlines(), 1):
                cols = line.split("\t")
                if not line.strip():
                    continue
                if len(cols) != 4 or not cols[2].isdigit() or not cols[3].isdigit():
                    raise ValueError(f"{labels}:{n}: expected ID, technique, start, end")
                gold.append((cols[1], int(cols[2]), int(cols[3])))
        out.append(Doc(ident, text, gold))
    return out


Span = tuple[int, int]
Labelled = tuple[str, int, int]


def merge(spans: list[Span]) -> list[Span]:
    """Overlapping spans joined (the official scorer merges them on both sides)."""
    out: list[Span] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


@dataclass(slots=True)
class Tally:
    """Sums over articles for the span measure and the exact and any-overlap counts."""

    pred: int = 0
    gold: int = 0
    credit_p: float = 0.0  # sum over predicted s, gold t of |s & t| / |s|
    credit_r: float = 0.0  # the same over |t|
    exact: int = 0  # predicted spans equal to a gold span
    hit_p: int = 0  # predicted spans overlapping some gold span
    hit_r: int = 0  # gold spans overlapping some predicted span

    def add(self, pred: list[Span], gold: list[Span]) -> None:
        pred, gold = merge(pred), merge(gold)
        self.pred += len(pred)
        self.gold += len(gold)
        golds = set(gold)
        self.exact += sum(1 for s in pred if s in golds)
        touched: set[Span] = set()
        for s in pred:
            hit = False
            for t in gold:
                inter = min(s[1], t[1]) - max(s[0], t[0])
                if inter > 0:
                    self.credit_p += inter / (s[1] - s[0])
                    self.credit_r += inter / (t[1] - t[0])
                    hit = True
                    touched.add(t)
            self.hit_p += hit
        self.hit_r += len(touched)

    def report(self) -> dict[str, dict[str, float]]:
        def prf(p_num: float, r_num: float) -> dict[str, float]:
            p = p_num / self.pred if self.pred else 0.0
            r = r_num / self.gold if self.gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}

        return {
            "span": prf(self.credit_p, self.credit_r),
            "exact": prf(self.exact, self.exact),
            "overlap": prf(self.hit_p, self.hit_r),
            "counts": {"pred": self.pred, "gold": self.gold},
        }


def score(docs: list[Doc], predicted: dict[str, list[Labelled]]) -> dict[str, Any]:
    """Loaded_Language, each technique, and all techniques as one class."""
    tallies = {name: Tally() for name in (ALL, *pg.TECHNIQUES)}
    for doc in docs:
        pred = predicted.get(doc.ident, [])
        tallies[ALL].add([(s, e) for _, s, e in pred], [(s, e) for _, s, e in doc.gold])
        for technique in pg.TECHNIQUES:
            tallies[technique].add(
                [(s, e) for t, s, e in pred if t == technique],
                [(s, e) for t, s, e in doc.gold if t == technique],
            )
    return {name: tally.report() for name, tally in tallies.items()}


def lexicon_spans(doc: Doc) -> list[Labelled]:
    """The lexicon path: `find_loaded` over the whole text (the title line included)."""
    return [(s.technique, s.start, s.end) for s in find_loaded(doc.text)]


def model_spans(detector: pg.Detector, doc: Doc) -> list[Labelled]:
    return [(s.technique, s.start, s.end) for s in detector.spans(doc.text)]


# Per article: pieces, each word's first piece, and the words' logits (decoded per bias).
Scored = tuple[tg.Pieces, list[int], Any]
BIASES = (0.0, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0)


def run_detector(docs: list[Doc], detector: pg.Detector) -> tuple[dict[str, Scored], float]:
    """The detector's scores per article and its rate (articles per CPU second)."""
    cpu = time.process_time()
    out = {doc.ident: detector.scores(doc.text) for doc in docs}
    return out, len(docs) / max(time.process_time() - cpu, 1e-9)


def from_cache(docs: list[Doc], model_dir: Path, cached: Any) -> tuple[dict[str, Scored], float]:
    """The scores of a head on word features cached by `train_propaganda.py --cache` (the base's
    share of the work done once for all folds); the rate is the head's alone."""
    from safetensors.torch import load_file

    from wiretrace.claims import propaganda_head as ph

    head = ph.Head(pg.NUM_LABELS)
    head.load_state_dict(load_file(str(model_dir / pg.HEAD_FILE)))
    head.eval()
    cpu = time.process_time()
    out = {}
    with torch.inference_mode():
        for doc in docs:
            p, words, feats, _ = cached[doc.ident]
            out[doc.ident] = (p, words, head(feats.float()[None])[0])
    return out, len(docs) / max(time.process_time() - cpu, 1e-9)


def decode_all(scored: dict[str, Scored], bias: tuple[float, ...]) -> dict[str, list[Labelled]]:
    return {
        ident: [(s.technique, s.start, s.end) for s in pg.spans_from_scores(p, w, lg, bias)]
        for ident, (p, w, lg) in scored.items()
    }


def choose_bias(docs: list[Doc], scored: dict[str, Scored]) -> tuple[tuple[float, ...], Any]:
    """The "O" biases that maximise, on these articles, Loaded_Language span F1 (layer 0) and
    then all-technique span F1 (layer 1), and the F1 curves."""
    curve: dict[str, list[list[float]]] = {"loaded": [], "all": []}
    best0, top = 0.0, -1.0
    for b in BIASES:
        f1 = score(docs, decode_all(scored, (b, 0.0)))[pg.LOADED]["span"]["f1"]
        curve["loaded"].append([b, f1])
        if f1 > top:
            best0, top = b, f1
    best1, top = 0.0, -1.0
    for b in BIASES:
        f1 = score(docs, decode_all(scored, (best0, b)))[ALL]["span"]["f1"]
        curve["all"].append([b, f1])
        if f1 > top:
            best1, top = b, f1
    return (best0, best1), curve


def _model_bias(model_dir: Path) -> tuple[float, ...]:
    path = model_dir / pg.DECODE_FILE
    if not path.exists():
        return (0.0,) * len(pg.LAYERS)
    return tuple(float(b) for b in json.loads(path.read_text("utf-8"))["o_bias"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--cv", type=Path, default=None, help="fold models DIR/fold0 .. DIR/fold<K-1>")
    ap.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="with --cv: word features cached by train_propaganda.py (else computed here)",
    )
    ap.add_argument("--model", type=Path, default=None, help="score this model on --slice")
    ap.add_argument("--slice", type=int, default=0, help="only the first N articles by id")
    ap.add_argument("--save", type=Path, default=None, help="write the predictions as JSON")
    ap.add_argument(
        "--write-decode",
        type=Path,
        default=None,
        help="with --cv: write the biases chosen on the folds to DIR/decode.json",
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    try:
        docs = load_corpus(args.root)
    except (OSError, ValueError) as exc:
        print(f"eval_ptc: {exc}", file=sys.stderr)
        return 2
    if not docs:
        print(f"eval_ptc: no articles under {args.root}", file=sys.stderr)
        return 2
    if args.slice:
        docs = docs[: args.slice]
    result: dict[str, Any] = {"articles": len(docs), "gold_spans": sum(len(d.gold) for d in docs)}
    cpu = time.process_time()
    result["lexicon"] = score(docs, {d.ident: lexicon_spans(d) for d in docs})
    result["lexicon"]["articles_per_cpu_s"] = round(len(docs) / (time.process_time() - cpu), 1)
    predicted: dict[str, list[Labelled]] = {}
    if args.cv is not None:
        rates = []
        scored: dict[str, Scored] = {}
        cached = torch.load(args.cache, weights_only=False) if args.cache else None
        for fold in range(args.folds):
            path = args.cv / f"fold{fold}"
            if not (path / pg.HEAD_FILE).exists():
                print(f"eval_ptc: {path}: no {pg.HEAD_FILE}", file=sys.stderr)
                return 2
            held = in_fold(docs, args.folds, fold)
            if cached is not None:
                found, rate = from_cache(held, path, cached)
            else:
                found, rate = run_detector(held, pg.Detector(path))
            scored.update(found)
            rates.append(rate)
        zero = (0.0,) * len(pg.LAYERS)
        result["detector_cv_no_bias"] = score(docs, decode_all(scored, zero))
        bias, curve = choose_bias(docs, scored)
        predicted = decode_all(scored, bias)
        result["detector_cv"] = score(docs, predicted)
        result["detector_cv"]["o_bias"] = list(bias)
        result["detector_cv"]["bias_curve"] = curve
        for fold in range(args.folds):
            held = in_fold(docs, args.folds, fold)
            per = score(held, {d.ident: predicted[d.ident] for d in held})
            result[f"fold{fold}"] = {
                "articles": len(held),
                "loaded_f1": per[pg.LOADED]["span"]["f1"],
                "all_f1": per[ALL]["span"]["f1"],
            }
        rate = sum(rates) / len(rates)
        for key in ("detector_cv", "detector_cv_no_bias"):
            # With --cache the base's features were not computed here: the head's rate alone.
            result[key]["articles_per_cpu_s"] = round(rate, 2)
            result[key]["features_from_cache"] = args.cache is not None
        if args.write_decode is not None:
            (args.write_decode / pg.DECODE_FILE).write_text(
                json.dumps(
                    {"o_bias": list(bias), "chosen_by": f"eval_ptc.py --cv, {args.folds} folds"}
                )
                + "\n",
                encoding="utf-8",
            )
    elif args.model is not None:
        scored, rate = run_detector(docs, pg.Detector(args.model))
        bias = _model_bias(args.model)
        predicted = decode_all(scored, bias)
        result["detector"] = score(docs, predicted)
        result["detector"]["articles_per_cpu_s"] = round(rate, 2)
        result["detector"]["o_bias"] = list(bias)
    if args.save is not None:
        args.save.write_text(json.dumps(predicted) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"{result['articles']} articles, {result['gold_spans']} gold spans")
    for method in ("lexicon", "detector_cv_no_bias", "detector_cv", "detector"):
        if method not in result:
            continue
        bias = result[method].get("o_bias")
        print(
            f"\n{method}  ({result[method]['articles_per_cpu_s']} articles/CPU s)"
            + (f"  O bias {bias}" if bias else "")
        )
        print(f"{'technique':38} {'span P/R/F1':>20} {'exact F1':>9} {'overlap F1':>11} gold")
        for name in (ALL, *pg.TECHNIQUES):
            row = result[method][name]
            sp = row["span"]
            print(
                f"{name:38} {sp['p']:6.3f} {sp['r']:6.3f} {sp['f1']:6.3f} "
                f"{row['exact']['f1']:9.3f} {row['overlap']['f1']:11.3f} {row['counts']['gold']}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
