"""PolNeAR attribution spans: source, cue and content precision/recall/F1, exact and overlap.

Reads ../shared/eval/polnear at run time (it is not part of the repo). Rules are developed on
`train`; the reported figure is `dev`. Articles annotated by several annotators are scored
against the first annotation file in name order.

Matching, per role (source, cue, content), one-to-one between predicted and gold spans:

* a span is its outer extent: BRAT fragments of a discontinuous gold span ('"A," he said. "B"')
  are joined from the first start to the last end, as are the parts of a predicted quote;
* both sides are trimmed of whitespace, quotation marks and punctuation at the edges (PARC and
  PolNeAR leave the placement of a closing comma or period inside or outside a span open);
* exact: trimmed offsets equal; overlap: trimmed spans share at least one character, matched
  greedily by the largest shared length.

Gold spans are those taking part in an attribution relation (`E` lines), with or without a
source; `Discuss`/`Discard` labels are ignored.

Speaker inside source (`speaker_in_source`, what issue 19's speakers are checked on here):
PolNeAR's source is the whole phrase ('a senior official at the ministry'), so for each of our
speech quotes whose content lies at least half inside an annotated content, the speaker we name
(`speaker_start`/`speaker_end`, the name the Gender Gap Tracker would score) is right when it
overlaps that attribution's source (and absent where it has none).

    .venv/bin/python benchmarks/eval_polnear.py [--split dev|train] [--json] [--limit N]
        [--parser | --tagger [--model DIR] | --tagger-alone | --agreement]

Without options: the lexical rules (`claims --rules`). `--parser` scores the dependency-parse
path (`wiretrace.claims.attribution`, the `parse` extra); `--tagger` the `claims` default with
the `semantic` extra: the trained tagger's attributions (`wiretrace.claims.tagger`) with the
rules' speakers (`tagged_speakers.py`; `--model` another adapter directory, e.g. a fresh
`train_attribution_tagger.py --out DIR`); `--tagger-alone` the tagger with its own speakers.
articles/s then includes parsing or tagging. `--agreement` scores PolNeAR's annotators
against each other (the articles annotated by several, every ordered pair): the human ceiling
under this measure;
with `--tagger`, the tagger too, on those articles, against every annotator's file but the
first (the one it was trained on, on train).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from wiretrace.claims import attribution, tagger
from wiretrace.claims.found import Quote
from wiretrace.claims.quotes import find_attributions_in
from wiretrace.doc.article import Article

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear"
ROLES = ("source", "cue", "content")
TRIM = " \t\n.,;:!?\"“”'‘’()[]—–-"
# Exact-match F1 (source, cue, content) of earlier attempts on PolNeAR dev (methods.md) and the
# published Citron figure on PARC 3.0.
ANCHORS = [
    ("textacy direct_quotations", (0.26, 0.31, 0.12)),
    ("cue verbs + nearest NP + clause", (0.47, 0.51, 0.25)),
    ("dependency-parse baseline", (0.52, 0.51, 0.21)),
    ("published: Citron on PARC 3.0", (0.82, 0.82, 0.57)),
]
Span = tuple[int, int]


def trim(text: str, span: Span) -> Span | None:
    """The span without edge whitespace and punctuation; None when nothing is left."""
    s, e = span
    while s < e and text[s] in TRIM:
        s += 1
    while e > s and text[e - 1] in TRIM:
        e -= 1
    return (s, e) if e > s else None


def read_gold(ann: Path) -> dict[str, list[Span]]:
    """Source, cue and content outer extents of every attribution in one BRAT file."""
    spans: dict[str, tuple[str, Span]] = {}
    out: dict[str, list[Span]] = {r: [] for r in ROLES}
    lines = ann.read_text(encoding="utf-8").splitlines()
    for line in lines:
        cols = line.split("\t")
        if len(cols) >= 2 and cols[0].startswith("T"):
            label, _, offsets = cols[1].partition(" ")
            nums = [int(x) for x in re.findall(r"\d+", offsets)]
            if nums:
                spans[cols[0]] = (label.lower(), (min(nums), max(nums)))
    for line in lines:
        cols = line.split("\t")
        if len(cols) >= 2 and cols[0].startswith("E"):
            for arg in cols[1].split()[1:]:
                role, _, tid = arg.partition(":")
                if role.lower() in out and tid in spans:
                    out[role.lower()].append(spans[tid][1])
    return out


def predict(
    text: str,
    doc: Any = None,
    tagged: list[tagger.Attribution] | None = None,
    alone: bool = False,
) -> dict[str, list[Span]]:
    """Our source, cue and content spans for one article (`doc`: its parse, `tagged`: the
    tagger's attributions, or neither for the lexical rules). Every kind counts (PolNeAR
    marks beliefs, plans and findings too); a quotation that continues the quote before it
    with no cue of its own is, as in PolNeAR, a further part of that quote's content.
    `alone`: the tagger's attributions with its own speakers, not the rules'."""
    article = Article(id="polnear", text=text)
    return spans_of(text, find_attributions_in(article, doc, tagged, rule_speakers=not alone))


def spans_of(text: str, found: list[Quote]) -> dict[str, list[Span]]:
    """Source, cue and content spans of our attributions (see `predict`)."""
    out: dict[str, list[Span]] = {r: [] for r in ROLES}
    last_end = 0
    for q in found:
        gap = text[last_end : q.content_start]
        if q.continued and out["content"] and ("\n" not in gap or not gap.strip()):
            s, _ = out["content"][-1]
            out["content"][-1] = (s, q.content_end)
            last_end = q.end
            continue
        last_end = q.end
        if q.source_start is not None and q.source_end is not None:
            out["source"].append((q.source_start, q.source_end))
        if q.cue_start is not None and q.cue_end is not None:
            out["cue"].append((q.cue_start, q.cue_end))
        out["content"].append((q.content_start, q.content_end))
    return out


def read_relations(ann: Path) -> list[dict[str, Span]]:
    """Each gold attribution's role spans (outer extents), for the speaker measure."""
    spans: dict[str, Span] = {}
    lines = ann.read_text(encoding="utf-8").splitlines()
    for line in lines:
        cols = line.split("\t")
        if len(cols) >= 2 and cols[0].startswith("T"):
            nums = [int(x) for x in re.findall(r"\d+", cols[1].partition(" ")[2])]
            if nums:
                spans[cols[0]] = (min(nums), max(nums))
    out = []
    for line in lines:
        cols = line.split("\t")
        if len(cols) >= 2 and cols[0].startswith("E"):
            roles = {}
            for arg in cols[1].split()[1:]:
                role, _, tid = arg.partition(":")
                if tid in spans:
                    roles[role.lower()] = spans[tid]
            if "content" in roles:
                out.append(roles)
    return out


def speaker_hits(found: list[Quote], gold: list[dict[str, Span]]) -> tuple[int, int]:
    """(speakers inside the annotated source, quotes matched): for each of our speech quotes
    whose content lies at least half inside an annotated content, the speaker we name is
    right when its span overlaps that attribution's source phrase (none where it has none).
    A quotation continuing the speaker before, named nowhere in it, is not counted."""
    hits = matched = 0
    for q in found:
        if q.kind != "speech" or (q.continued and q.speaker_start is None):
            continue
        span = (q.content_start, q.content_end)

        def shared(g: dict[str, Span], span: Span = span) -> int:
            return max(0, min(span[1], g["content"][1]) - max(span[0], g["content"][0]))

        best = max(gold, key=shared, default=None)
        if best is None or 2 * shared(best) < span[1] - span[0]:
            continue
        matched += 1
        src = best.get("source")
        if src is None:
            hits += q.speaker_start is None
        elif q.speaker_start is not None and q.speaker_end is not None:
            hits += q.speaker_start < src[1] and src[0] < q.speaker_end
    return hits, matched


def match(pred: list[Span], gold: list[Span]) -> tuple[int, int]:
    """(exact matches, overlap matches), each one-to-one. Spans are multisets: a source that
    speaks in two attributions is two gold spans, and matches two predicted ones at most."""
    exact = sum((Counter(pred) & Counter(gold)).values())
    pairs = sorted(
        (
            (min(pe, ge) - max(ps, gs), i, j)
            for i, (ps, pe) in enumerate(pred)
            for j, (gs, ge) in enumerate(gold)
            if ps < ge and gs < pe
        ),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    return exact, len(used_p)


def articles(root: Path, split: str) -> list[tuple[str, Path]]:
    """(text, first annotation file) per article of a split."""
    out: list[tuple[str, Path]] = []
    seen: set[str] = set()
    for ann in sorted((root / split / "attributions").glob("*.ann")):
        base = ann.name.rsplit("_", 1)[0]
        txt = root / split / "text" / f"{base}.txt"
        if base in seen or not txt.exists():
            continue
        seen.add(base)
        out.append((txt.read_text(encoding="utf-8"), ann))
    return out


def annotations(root: Path, split: str) -> list[tuple[str, list[Path]]]:
    """(text, every annotation file) per article annotated more than once."""
    files: dict[str, list[Path]] = {}
    for ann in sorted((root / split / "attributions").glob("*.ann")):
        files.setdefault(ann.name.rsplit("_", 1)[0], []).append(ann)
    out: list[tuple[str, list[Path]]] = []
    for base, anns in files.items():
        txt = root / split / "text" / f"{base}.txt"
        if len(anns) > 1 and txt.exists():
            out.append((txt.read_text(encoding="utf-8"), anns))
    return out


def _add(
    counts: dict[str, list[int]],
    text: str,
    pred: dict[str, list[Span]],
    gold: dict[str, list[Span]],
) -> None:
    for role in ROLES:
        p = [t for t in (trim(text, s) for s in pred[role]) if t is not None]
        g = [t for t in (trim(text, s) for s in gold[role]) if t is not None]
        exact, overlap = match(p, g)
        c = counts[role]
        c[0] += len(p)
        c[1] += len(g)
        c[2] += exact
        c[3] += overlap


def _scores(counts: dict[str, list[int]]) -> dict[str, object]:
    return {
        role: {
            "pred": n_p,
            "gold": n_g,
            "exact": prf(ex, n_p, ex, n_g),
            "overlap": prf(ov, n_p, ov, n_g),
        }
        for role, (n_p, n_g, ex, ov) in counts.items()
    }


def agreement(root: Path, split: str, tag: tagger.Tagger | None = None) -> dict[str, object]:
    """Human agreement under the same measure: on articles with several annotation files, each
    annotator's spans scored against each other annotator's (every ordered pair, pooled; P, R
    and F1 are then equal). The ceiling a system scored against one annotator can expect.
    With `tag`, the tagger is scored on the same articles against every file but the first
    (the one it was trained on, on train)."""
    docs = annotations(root, split)
    counts = {r: [0, 0, 0, 0] for r in ROLES}
    system = {r: [0, 0, 0, 0] for r in ROLES}
    for text, anns in docs:
        gold = [read_gold(a) for a in anns]
        for i, g in enumerate(gold):
            for j, p in enumerate(gold):
                if i != j:
                    _add(counts, text, p, g)
        if tag is not None:
            pred = predict(text, None, tag.attributions(text))
            for g in gold[1:]:
                _add(system, text, pred, g)
    result: dict[str, object] = {
        "split": split,
        "method": f"annotator vs annotator ({sum(len(a) for _, a in docs)} files)",
        "articles": len(docs),
        "scores": _scores(counts),
    }
    if tag is not None:
        result["tagger_vs_annotators"] = _scores(system)
    return result


def load_tagger(model_dir: Path | None) -> tagger.Tagger:
    """The shipped tagger, or the one in `model_dir`; exits when it cannot load."""
    tag = tagger.Tagger(model_dir) if model_dir is not None else tagger.load_tagger()
    if tag is None:
        raise SystemExit("eval_polnear: --tagger needs the semantic extra and the model")
    return tag


def prf(hit_p: int, n_pred: int, hit_g: int, n_gold: int) -> dict[str, float]:
    p = hit_p / n_pred if n_pred else 0.0
    r = hit_g / n_gold if n_gold else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def evaluate(
    root: Path,
    split: str,
    limit: int | None = None,
    parser: bool = False,
    use_tagger: bool = False,
    model_dir: Path | None = None,
    alone: bool = False,
) -> dict[str, object]:
    """Span scores per role for one split."""
    docs = articles(root, split)[:limit]
    tag = load_tagger(model_dir) if use_tagger or alone else None
    counts = {r: [0, 0, 0, 0] for r in ROLES}  # pred, gold, exact, overlap
    nlp = attribution.load_parser() if parser else None
    if parser and nlp is None:
        raise SystemExit("eval_polnear: --parser needs the parse extra (en_core_web_sm)")
    t0 = time.perf_counter()
    parsed = nlp.pipe(t for t, _ in docs) if nlp is not None else (None for _ in docs)
    words = hits = matched = 0
    for (text, ann), doc in zip(docs, parsed, strict=True):
        words += len(text.split())
        tagged = tag.attributions(text) if tag is not None else None
        article = Article(id="polnear", text=text)
        found = find_attributions_in(article, doc, tagged, rule_speakers=not alone)
        _add(counts, text, spans_of(text, found), read_gold(ann))
        h, m = speaker_hits(found, read_relations(ann))
        hits, matched = hits + h, matched + m
    elapsed = time.perf_counter() - t0
    scores = _scores(counts)
    return {
        "split": split,
        "method": "tagger, its own speakers"
        if alone
        else "tagger, the rules' speakers (claims default)"
        if use_tagger
        else "parser"
        if parser
        else "rules",
        "articles": len(docs),
        "words": words,
        "seconds": round(elapsed, 3),
        "articles_per_s": round(len(docs) / elapsed, 1) if elapsed else None,
        "scores": scores,
        # Our speaker inside the annotated source phrase (`speaker_hits`): who is named.
        "speaker_in_source": round(hits / matched, 4) if matched else None,
        "speaker_quotes": matched,
    }


def table(result: dict[str, object]) -> str:
    """A Markdown table: our exact and overlap P/R/F1 per role, anchors beside."""
    scores = result["scores"]
    assert isinstance(scores, dict)
    lines = [
        f"PolNeAR {result['split']} ({result['articles']} articles), span P / R / F1",
        "",
        "| method | source | cue | content |",
        "| --- | --- | --- | --- |",
    ]
    for kind in ("exact", "overlap"):
        cells = []
        for role in ROLES:
            m = scores[role][kind]
            cells.append(f"{m['p']:.2f} / {m['r']:.2f} / **{m['f1']:.2f}**")
        method = result["method"]
        name = method if str(method).startswith("annotator") else f"wiretrace {method}"
        lines.append(f"| {name}, {kind} | " + " | ".join(cells) + " |")
    versus = result.get("tagger_vs_annotators")
    if isinstance(versus, dict):
        for kind in ("exact", "overlap"):
            cells = [
                "{p:.2f} / {r:.2f} / **{f1:.2f}**".format(**versus[role][kind]) for role in ROLES
            ]
            lines.append(
                f"| wiretrace tagger vs those annotators, {kind} | " + " | ".join(cells) + " |"
            )
    for name, figs in ANCHORS:
        lines.append(f"| {name} (exact F1) | " + " | ".join(f"{f:.2f}" for f in figs) + " |")
    if result.get("speaker_in_source") is not None:
        lines.append("")
        lines.append(
            f"speaker inside the annotated source: {result['speaker_in_source']:.3f} of "
            f"{result['speaker_quotes']} matched speech quotes"
        )
    if "articles_per_s" in result:
        lines.append("")
        lines.append(
            f"{result['articles_per_s']} articles/s "
            f"({result['words']} words in {result['seconds']} s)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "train"), default="dev")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    ap.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    ap.add_argument("--data", type=Path, default=DEFAULT_DIR, help="PolNeAR directory")
    ap.add_argument("--parser", action="store_true", help="score the dependency-parse path")
    ap.add_argument("--tagger", action="store_true", help="score the trained tagger path")
    ap.add_argument("--model", type=Path, default=None, help="tagger model directory")
    ap.add_argument(
        "--tagger-alone",
        action="store_true",
        help="the tagger's attributions with its own speakers (no rules)",
    )
    ap.add_argument(
        "--agreement",
        action="store_true",
        help="score the annotators against each other on articles annotated more than once",
    )
    args = ap.parse_args(argv)
    if not (args.data / args.split).is_dir():
        print(f"eval_polnear: no {args.split} split under {args.data}", file=sys.stderr)
        return 2
    if args.agreement:
        tag = load_tagger(args.model) if args.tagger or args.model else None
        result = agreement(args.data, args.split, tag)
    else:
        result = evaluate(
            args.data,
            args.split,
            args.limit,
            args.parser,
            args.tagger or bool(args.model),
            args.model,
            args.tagger_alone,
        )
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
