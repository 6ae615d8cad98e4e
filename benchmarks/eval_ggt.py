"""Gender Gap Tracker quotes: the Tracker's own measure, plus resolved speakers, on eval/ggt.

Reads ../shared/eval/ggt/articles.jsonl at run time (it is not part of the repo): 50 Canadian
news articles from seven outlets with every quote, its speaker span and the speaker's name
(`reference`) annotated (the corpus README says how). Scoring follows the Tracker's
`evaluate_quotes.py`:

* for each annotated quote in order, the still unmatched predicted quote whose content span
  covers the largest share of the annotated span (overlap / annotated length) is its match, if
  that share is over the threshold (0.3 lenient, 0.8 strict); precision, recall and F1 over
  quotes;
* speaker match, among matches: the predicted speaker span overlaps the annotated one (an
  annotated quote without a speaker span matches a prediction without one);
* annotated speaker spans that fall inside another word (the corpus placed each span at the
  occurrence of its string nearest to the table's approximate index: 'he' in 'the') are moved
  to the nearest whole-word occurrence first; `--raw-spans` scores them as they are (the
  figures of issue 19's table);
* an annotated speaker span away from its annotated verb ('"...," he said, and he was upset'
  placed on the second 'he') is moved to the occurrence of the same string joined to the verb
  nearest the quote (`align_speakers_to_verbs`; `--no-verb-align` leaves them, `--raw-spans`
  leaves both corrections out);
* resolved speaker, among matches whose annotation names a reference: a word of the name the
  report gives (`speaker_resolved`, else the speaker as written) is a word of the reference.

The baseline in the same run is the lexical rules as they were before issue 19 (the
`legacy=True` path of `find_quotes`). Then `claims` (the default: with the `semantic` extra the
tagger's attributions with the rules' speakers, `tagged_speakers.py`; without it the rules) and
`claims --rules` (the rules, the path of the bulk callers); `--tagger-alone` adds the tagger
with its own speakers (the `--tagger` path before the rules' speakers), `--parser` the parse
path. Halves: the articles sorted by the MD5 of their id, even positions `dev` (rules
developed there), odd positions `held` (reported as held-out), or `all`.

    .venv/bin/python benchmarks/eval_ggt.py [--half all|dev|held] [--tagger-alone] [--parser]
        [--json] [--errors N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wiretrace.claims import attribution, tagger
from wiretrace.claims.found import Quote
from wiretrace.claims.quotes import find_attributions_in, find_quotes, find_quotes_in
from wiretrace.doc.article import Article

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "shared" / "eval" / "ggt" / "articles.jsonl"
THRESHOLDS = (0.3, 0.8)
# The Tracker's own system on its own annotation files of the same articles (corpus README).
ANCHOR = {"f1_0.3": 0.837, "f1_0.8": 0.761, "p": 0.846, "r": 0.827, "speaker": 0.865}
_WORD = re.compile(r"[\w'’-]+")
Predict = Callable[[Article], list[Quote]]
DEFAULT_TAGGER = "`claims` (default: the tagger's spans, the rules' speakers)"
DEFAULT_RULES = "`claims` (default without the semantic extra: the rules)"


def load(path: Path, half: str) -> list[dict[str, Any]]:
    """The annotated articles of one half (see the module docstring)."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"eval_ggt: {path} record {n}: invalid JSON: {exc}") from exc
    rows.sort(key=lambda r: hashlib.md5(str(r["id"]).encode()).hexdigest())
    if half == "dev":
        return rows[0::2]
    if half == "held":
        return rows[1::2]
    return rows


def snap_speakers(rows: list[dict[str, Any]]) -> int:
    """Move every annotated speaker span that starts or ends inside a word ('he' found in
    'the' by the corpus's nearest-occurrence alignment) to the nearest whole-word occurrence
    of the same string. Returns how many were moved."""
    moved = 0
    for row in rows:
        text = row["text"]
        for g in row["quotes"]:
            s, e, name = g.get("speaker_start"), g.get("speaker_end"), g.get("speaker")
            if s is None or e is None or not name:
                continue
            inside = (s > 0 and text[s - 1].isalnum()) or (e < len(text) and text[e].isalnum())
            if not inside:
                continue
            whole = [
                m.start() for m in re.finditer(r"(?<![\w])" + re.escape(name) + r"(?![\w])", text)
            ]
            if whole:
                best = min(whole, key=lambda p: abs(p - s))
                g["speaker_start"], g["speaker_end"] = best, best + len(name)
                moved += 1
    return moved


_REACH = 300  # characters either side of a quote where its speaker and verb are looked for


def _joined_to_verb(text: str, start: int, end: int, verb: str) -> bool:
    """The speaker occurrence text[start:end] is joined to the annotated verb: 'he said',
    'he has also said', '..., said he.' (not 'says he is': that 'he' opens the content)."""
    after = text[end : end + 40 + len(verb)]
    before = text[max(0, start - 40 - len(verb)) : start]
    v = re.escape(verb)
    return bool(
        re.match(r"\s+(?:[a-z]+\s+){0,2}" + v + r"\b", after)
        or (re.search(r"\b" + v + r"\s+$", before) is not None and re.match(r"\s*[,.;:\"”]", after))
    )


def align_speakers_to_verbs(rows: list[dict[str, Any]]) -> int:
    """Move an annotated speaker span that is not joined to its annotated verb to the
    occurrence of the same string that is, nearest the quote and outside it ('"...," he
    said, and he was upset': the corpus placed the span at the occurrence nearest the table's
    approximate index, which is the second 'he' when two lie close together). Only spans
    whose string occurs more than once near the quote can move. Returns how many moved."""
    moved = 0
    for row in rows:
        text = row["text"]
        for g in row["quotes"]:
            s, e, name, verb = (
                g.get("speaker_start"),
                g.get("speaker_end"),
                g.get("speaker"),
                g.get("verb"),
            )
            if s is None or e is None or not name or not verb or verb not in text:
                continue
            if _joined_to_verb(text, s, e, verb):
                continue
            qs, qe = g["quote_start"], g["quote_end"]
            lo, hi = max(0, qs - _REACH), min(len(text), qe + _REACH)
            pattern = r"(?<![\w])" + re.escape(name) + r"(?![\w])"
            joined = [
                m.start()
                for m in re.finditer(pattern, text[lo:hi])
                if not qs <= lo + m.start() < qe
                and _joined_to_verb(text, lo + m.start(), lo + m.end(), verb)
            ]
            if joined:
                best = lo + min(joined, key=lambda p: min(abs(lo + p - qs), abs(lo + p - qe)))
                g["speaker_start"], g["speaker_end"] = best, best + len(name)
                moved += 1
    return moved


def _share(gold: tuple[int, int], pred: tuple[int, int]) -> float:
    """Overlap over the annotated length (the Tracker's asymmetric score)."""
    if gold[1] <= gold[0]:
        return 0.0
    return max(0, min(gold[1], pred[1]) - max(gold[0], pred[0])) / (gold[1] - gold[0])


def _words(name: str | None) -> set[str]:
    return {w.lower() for w in _WORD.findall(name or "") if len(w) > 1}


def resolved_name(q: Quote) -> str | None:
    """The name a reader of the report sees for the speaker."""
    for name in (getattr(q, "speaker_resolved", None), q.speaker_canonical, q.speaker):
        if name:
            return str(name)
    return None


def score_article(
    row: dict[str, Any], quotes: list[Quote], threshold: float, errors: list[str] | None = None
) -> dict[str, int]:
    """Counts for one article at one threshold."""
    remaining = list(range(len(quotes)))
    c = {"tp": 0, "fn": 0, "fp": 0, "speaker": 0, "ref_n": 0, "ref_ok": 0}
    text = row["text"]
    for g in row["quotes"]:
        gspan = (g["quote_start"], g["quote_end"])
        best, best_score = None, 0.0
        for i in remaining:
            q = quotes[i]
            s = _share(gspan, (q.content_start, q.content_end))
            if s > threshold and s > best_score:
                best, best_score = i, s
        if best is None:
            c["fn"] += 1
            if errors is not None:
                errors.append(f"MISS {g['speaker']!r} {text[gspan[0] : gspan[1]][:120]!r}")
            continue
        remaining.remove(best)
        q = quotes[best]
        c["tp"] += 1
        gs, ge = g.get("speaker_start"), g.get("speaker_end")
        if gs is not None and ge is not None and ge > gs and g.get("speaker"):
            ok = q.speaker_start is not None and q.speaker_end is not None
            ok = ok and q.speaker_start < ge and gs < (q.speaker_end or 0)
        else:
            ok = q.speaker_start is None
        c["speaker"] += ok
        if errors is not None and not ok:
            errors.append(f"SPEAKER {q.speaker!r}, want {g.get('speaker')!r}: {q.content[:80]!r}")
        if g.get("reference"):
            c["ref_n"] += 1
            good = bool(_words(resolved_name(q)) & _words(g["reference"]))
            c["ref_ok"] += good
            if errors is not None and not good:
                errors.append(
                    f"NAME {q.speaker!r} -> {resolved_name(q)!r}, want {g['reference']!r}"
                )
    c["fp"] = len(remaining)
    if errors is not None:
        for i in remaining:
            q = quotes[i]
            errors.append(f"EXTRA {q.speaker!r} {q.cue!r} {q.content[:120]!r}")
    return c


def evaluate(rows: list[dict[str, Any]], predict: Predict, name: str) -> dict[str, Any]:
    """Scores of one path over the articles, at both thresholds."""
    t0 = time.process_time()
    predicted = []
    for row in rows:
        article = Article.create(row["text"], title=row.get("title", ""), url=row["url"])
        predicted.append(predict(article))
    cpu = time.process_time() - t0
    out: dict[str, Any] = {"method": name, "articles": len(rows), "cpu_seconds": round(cpu, 2)}
    for th in THRESHOLDS:
        tot = {"tp": 0, "fn": 0, "fp": 0, "speaker": 0, "ref_n": 0, "ref_ok": 0}
        for row, quotes in zip(rows, predicted, strict=True):
            for k, v in score_article(row, quotes, th).items():
                tot[k] += v
        p = tot["tp"] / (tot["tp"] + tot["fp"]) if tot["tp"] + tot["fp"] else 0.0
        r = tot["tp"] / (tot["tp"] + tot["fn"]) if tot["tp"] + tot["fn"] else 0.0
        out[str(th)] = {
            "gold": tot["tp"] + tot["fn"],
            "pred": tot["tp"] + tot["fp"],
            "p": round(p, 4),
            "r": round(r, 4),
            "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
            "speaker_match": round(tot["speaker"] / tot["tp"], 4) if tot["tp"] else 0.0,
            "resolved_speaker": round(tot["ref_ok"] / tot["ref_n"], 4) if tot["ref_n"] else 0.0,
        }
    return out


def default_path(article: Article) -> list[Quote]:
    """The quotes `claims` reports by default (the tagger where it is installed)."""
    return find_quotes(article, tagger=True)


def paths(use_alone: bool = False, use_parser: bool = False) -> list[tuple[str, Predict]]:
    """(name, predict) for every path asked for: the baseline, the default and the rules
    always."""
    model = tagger.load_tagger()
    out: list[tuple[str, Predict]] = [
        ("rules before issue 19 (baseline)", lambda a: find_quotes(a, legacy=True)),
        (DEFAULT_TAGGER if model is not None else DEFAULT_RULES, default_path),
        ("`claims --rules`", lambda a: find_quotes(a, tagger=False)),
    ]
    if use_alone:
        if model is None:
            raise SystemExit("eval_ggt: --tagger-alone needs the semantic extra and the model")
        tag: tagger.Tagger = model

        def alone(a: Article) -> list[Quote]:
            found = find_attributions_in(a, tagged=tag.attributions(a.text), rule_speakers=False)
            return [q for q in found if q.kind == "speech"]

        out.append(("the tagger with its own speakers", alone))
    if use_parser:
        if attribution.load_parser() is None:
            raise SystemExit("eval_ggt: --parser needs the parse extra (en_core_web_sm)")
        out.append(("`--parser`", lambda a: find_quotes_in(a, attribution.parse(a.text))))
    return out


def table(results: list[dict[str, Any]], half: str, rows: int) -> str:
    lines = [
        f"Gender Gap Tracker eval/ggt, half {half} ({rows} articles)",
        "",
        "| path | quotes F1 at 0.3 / 0.8 | P / R at 0.3 | speaker match | resolved speaker "
        "| articles per CPU s |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for res in results:
        lo, hi = res["0.3"], res["0.8"]
        speed = res["articles"] / res["cpu_seconds"] if res["cpu_seconds"] else 0.0
        lines.append(
            f"| {res['method']} | {lo['f1']:.2f} / {hi['f1']:.2f} | {lo['p']:.2f} / {lo['r']:.2f}"
            f" | {lo['speaker_match']:.2f} | {lo['resolved_speaker']:.2f} | {speed:.0f} |"
        )
    lines.append(
        f"| the Tracker's own system (its own annotation files) | {ANCHOR['f1_0.3']:.3f} / "
        f"{ANCHOR['f1_0.8']:.3f} | {ANCHOR['p']:.2f} / {ANCHOR['r']:.2f} | "
        f"{ANCHOR['speaker']:.3f} | — | — |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_FILE, help="eval/ggt/articles.jsonl")
    ap.add_argument("--half", choices=("all", "dev", "held"), default="all")
    ap.add_argument(
        "--tagger-alone",
        action="store_true",
        help="also score the tagger with its own speakers (no rules)",
    )
    ap.add_argument("--parser", action="store_true", help="also score the parser path")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    ap.add_argument(
        "--raw-spans",
        action="store_true",
        help="score speaker spans as the corpus aligned them (some fall inside other words)",
    )
    ap.add_argument(
        "--no-verb-align",
        action="store_true",
        help="leave speaker spans the corpus placed away from their annotated verb",
    )
    ap.add_argument(
        "--errors",
        type=int,
        default=0,
        help="print N misses, extras and wrong names of the default path to stderr",
    )
    args = ap.parse_args(argv)
    if not args.data.is_file():
        print(f"eval_ggt: {args.data} is missing", file=sys.stderr)
        return 2
    rows = load(args.data, args.half)
    moved = 0 if args.raw_spans else snap_speakers(rows)
    aligned = 0 if args.raw_spans or args.no_verb_align else align_speakers_to_verbs(rows)
    results = [evaluate(rows, fn, name) for name, fn in paths(args.tagger_alone, args.parser)]
    if args.json:
        out = {"half": args.half, "articles": len(rows), "speakers_snapped": moved}
        out["speakers_aligned_to_verbs"] = aligned
        print(json.dumps(out | {"paths": results}, indent=2))
    else:
        print(table(results, args.half, len(rows)))
        print(f"\n{moved} annotated speaker spans inside a word moved to the whole word")
        print(f"{aligned} annotated speaker spans moved to the occurrence joined to their verb")
    if args.errors:
        errs: list[str] = []
        for row in rows:
            article = Article.create(row["text"], url=row["url"])
            score_article(row, find_quotes(article, tagger=True), THRESHOLDS[0], errs)
        print("\n".join(errs[: args.errors]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
