"""Sentence splitters compared on real news text: boundary accuracy and speed.

Usage (from the repo root, with the dev extras installed):

    .venv/bin/python benchmarks/sentence_splitters.py            # Markdown table
    .venv/bin/python benchmarks/sentence_splitters.py --disagreements   # errors in context

Texts are read from the evaluation corpus (default /work/shared/eval, or --eval DIR); this repo
holds no third-party text. benchmarks/data/sentence_gold.json stores, per article, only a
reference (path relative to the eval dir, plus CSV row for fakes-dev.csv), the sha256 of the
file (and of the article text for CSV rows) and the gold sentence boundaries as character end
offsets into the article text (after "\\r\\n" -> "\\n").

How the gold was made: 31 articles, chosen by a fixed rule before looking at the results
(`select_articles`: every 4th text of polnear/dev/text in name order, 21 texts from seven
outlets; the fakes-dev.csv rows whose article has at least 1,000 characters, every 40th of them,
10 texts). The six splitters below (wiretrace's at an early stage) were run on each article.
Boundaries all of them agreed on were accepted (those after short or capitalised tokens were
re-read); line ends are boundaries by convention; each of the 187 in-line boundaries where any
two disagreed was adjudicated by the annotator (the engineer who wrote segment.py) reading the
text in context, and two true boundaries that no splitter placed right were added. Conventions:
a line break always ends a sentence (headlines, bylines, photo credits are their own segments);
sentences inside a quotation are split ('"We won. They lost," he said.' is two sentences), and a
closing quote or a trailing attribution ('..." ― Name') belongs to the sentence it closes;
a dateline or a leading credit ('(Agency) The ...') stays with the first sentence; an ellipsis
inside a quote is not a boundary unless a new capitalised sentence follows; text with stripped
punctuation (fakes-dev) is split only where a sentence-final mark is present.
Limits: errors that all splitters share may survive in the gold, so scores are an upper bound;
and wiretrace's repair rules were written while reading polnear dev disagreements (some in these
articles), so its margin over blingfire here is optimistic (see docs/segmentation.md for a
held-out check).

Scores are micro-averaged boundary precision / recall / F1 over all articles. "all" counts
every sentence end, including line ends that any per-line splitter gets for free; "in-line"
counts only boundaries followed by more text on the same line, the hard cases.
Speed is MB/s of UTF-8 input on the 31 articles joined by blank lines, best of 3 runs.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from wiretrace.doc.segment import split_sentences  # noqa: E402

GOLD = Path(__file__).resolve().parent / "data" / "sentence_gold.json"
FAKES = "fakes-dev.csv"
_LINE = re.compile(r"[^\n]+")

Splitter = Callable[[str], set[int]]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fakes_rows(eval_dir: Path) -> list[str]:
    csv.field_size_limit(1 << 30)
    with open(eval_dir / FAKES, encoding="utf-8", newline="") as fh:
        return [row["article_content"] for row in csv.DictReader(fh)]


def load_text(eval_dir: Path, ref: dict[str, object]) -> str:
    path = eval_dir / str(ref["path"])
    if "row" in ref:
        text = _fakes_rows(eval_dir)[int(str(ref["row"]))]
    else:
        text = path.read_text(encoding="utf-8")
    return text.replace("\r\n", "\n")


def select_articles(eval_dir: Path) -> list[dict[str, object]]:
    """The fixed selection rule used to build the gold set (see the module docstring)."""
    refs: list[dict[str, object]] = []
    texts = sorted((eval_dir / "polnear/dev/text").glob("*.txt"))
    for path in texts[::4]:
        refs.append({"path": str(path.relative_to(eval_dir))})
    rows = _fakes_rows(eval_dir)
    long_rows = [i for i, t in enumerate(rows) if len(t) >= 1000]
    for i in long_rows[::40]:
        refs.append({"path": FAKES, "row": i, "column": "article_content"})
    return refs


def _ends(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """Sentence end offsets, with trailing whitespace removed (splitters differ on it)."""
    ends = set()
    for start, end in spans:
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            ends.add(end)
    return ends


def _per_line(split: Callable[[str], list[tuple[int, int]]]) -> Splitter:
    def run(text: str) -> set[int]:
        spans: list[tuple[int, int]] = []
        for m in _LINE.finditer(text):
            spans.extend((m.start() + s, m.start() + e) for s, e in split(m.group()))
        return _ends(text, spans)

    return run


def make_splitters() -> dict[str, Splitter]:
    import blingfire
    import pysbd
    import spacy

    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)

    def pysbd_spans(text: str) -> list[tuple[int, int]]:
        return [(s.start, s.end) for s in seg.segment(text)]

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10**9

    def spacy_spans(text: str) -> list[tuple[int, int]]:
        return [(s.start_char, s.end_char) for s in nlp(text).sents]

    def blingfire_spans(text: str) -> list[tuple[int, int]]:
        return list(blingfire.text_to_sentences_and_offsets(text)[1])

    return {
        "pysbd (whole text)": lambda t: _ends(t, pysbd_spans(t)),
        "pysbd (per line)": _per_line(pysbd_spans),
        "spaCy sentencizer (whole text)": lambda t: _ends(t, spacy_spans(t)),
        "spaCy sentencizer (per line)": _per_line(spacy_spans),
        "blingfire (per line)": _per_line(blingfire_spans),
        "wiretrace split_sentences": lambda t: _ends(t, split_sentences(t)),
    }


def _in_line(text: str, ends: set[int]) -> set[int]:
    """The ends followed by more text on the same line."""
    out = set()
    for e in ends:
        nl = text.find("\n", e)
        if text[e : nl if nl >= 0 else len(text)].strip():
            out.add(e)
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _speed(split: Splitter, text: str, budget: float) -> float:
    size = len(text.encode("utf-8")) / 1e6
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        split(text)
        best = min(best, time.perf_counter() - t0)
        if best > budget:
            break
    return size / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval", type=Path, default=Path("/work/shared/eval"))
    ap.add_argument("--disagreements", action="store_true", help="print errors in context")
    args = ap.parse_args()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    docs: list[tuple[str, str, set[int]]] = []
    for art in gold["articles"]:
        text = load_text(args.eval, art)
        data = (args.eval / art["path"]).read_bytes()
        if _sha256(data) != art["sha256"]:
            sys.exit(f"{art['path']}: sha256 differs from the gold set's; wrong corpus version")
        docs.append((str(art["path"]) + f"#{art.get('row', '')}", text, set(art["ends"])))

    splitters = make_splitters()
    n_sent = sum(len(g) for _, _, g in docs)
    print(
        f"{len(docs)} articles, {n_sent} gold sentences, "
        f"{sum(len(_in_line(t, g)) for _, t, g in docs)} in-line boundaries\n"
    )
    print("| splitter | P | R | F1 | in-line P | in-line R | in-line F1 | MB/s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    joined = "\n\n".join(t for _, t, _ in docs)
    for name, split in splitters.items():
        tp = n_pred = tp_in = n_pred_in = n_gold_in = 0
        for ref, text, g in docs:
            pred = split(text)
            tp, n_pred = tp + len(pred & g), n_pred + len(pred)
            p_in, g_in = _in_line(text, pred), _in_line(text, g)
            tp_in, n_pred_in, n_gold_in = (
                tp_in + len(p_in & g_in),
                n_pred_in + len(p_in),
                n_gold_in + len(g_in),
            )
            if args.disagreements:
                for e in sorted(pred ^ g):
                    kind = "extra" if e in pred else "missed"
                    ctx = text[max(0, e - 60) : e] + " ‖ " + text[e : e + 40]
                    print(f"  {name} {kind} {ref}@{e}: {ctx!r}", file=sys.stderr)
        p, r, f = _prf(tp, n_pred, n_sent)
        pi, ri, fi = _prf(tp_in, n_pred_in, n_gold_in)
        mbs = _speed(split, joined if "pysbd" in name else joined * 20, budget=5.0)
        print(
            f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {pi:.3f} | {ri:.3f} | {fi:.3f} | {mbs:.2f} |"
        )


if __name__ == "__main__":
    main()
