"""Score wiretrace's aligner on PAN 2013's verbatim ("no obfuscation") text-alignment pairs.

Usage: python benchmarks/eval_pan.py [--corpus DIR] [--limit N] [--json] [--param KEY=VALUE ...]

The corpus directory holds `pairs` ("susp src" per line), `susp/`, `src/` and `truth/*.xml`
(one file per pair named "<susp stem>-<src stem>.xml", features with this_offset/this_length/
source_offset/source_length). Measures are PAN's own (wiretrace.pan_measures).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from wiretrace.align import AlignParams, align_texts
from wiretrace.pan_measures import PanScores, Span, pan_scores

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "pan13-no-obfuscation"

# Figures from methods.md, measured (or published) on this corpus.
ANCHORS = [
    ("passim (Spark local[2], defaults)", "0.897", "0.929", "0.869", "1.002", "500", "~20"),
    ("exact common substrings >= 50 chars", "0.900", "0.928", "0.898", "1.020", "500", "4"),
    ("PAN 2014 winner, all obfuscations (published)", "0.878", "—", "—", "—", "—", "—"),
]


def read_cases(truth: Path) -> list[Span]:
    """Plagiarism cases of one truth file."""
    root = ET.parse(truth).getroot()
    susp_doc = root.get("reference", "")
    cases = []
    for feature in root.iter("feature"):
        if feature.get("name") != "plagiarism":
            continue
        this_offset = int(feature.get("this_offset", "0"))
        source_offset = int(feature.get("source_offset", "0"))
        cases.append(
            Span(
                susp_doc=susp_doc,
                src_doc=feature.get("source_reference", ""),
                susp_start=this_offset,
                susp_end=this_offset + int(feature.get("this_length", "0")),
                src_start=source_offset,
                src_end=source_offset + int(feature.get("source_length", "0")),
            )
        )
    return cases


def evaluate(
    corpus: Path, *, limit: int | None, params: AlignParams
) -> tuple[PanScores, int, float]:
    """Align every pair of the corpus and score the detections: scores, pairs, aligner seconds."""
    pairs = [line.split() for line in (corpus / "pairs").read_text().splitlines() if line.strip()]
    if limit is not None:
        pairs = pairs[:limit]
    cases: list[Span] = []
    detections: list[Span] = []
    seconds = 0.0
    for susp_name, src_name in pairs:
        susp = (corpus / "susp" / susp_name).read_text(encoding="utf-8")
        src = (corpus / "src" / src_name).read_text(encoding="utf-8")
        truth = corpus / "truth" / f"{Path(susp_name).stem}-{Path(src_name).stem}.xml"
        cases.extend(read_cases(truth))
        started = time.perf_counter()  # time the aligner only, not file reading
        passages = align_texts(susp, src, params=params)
        seconds += time.perf_counter() - started
        detections.extend(
            Span(susp_name, src_name, p.target_start, p.target_end, p.source_start, p.source_end)
            for p in passages
        )
    return pan_scores(cases, detections), len(pairs), seconds


def parse_params(items: list[str]) -> AlignParams:
    """AlignParams with KEY=VALUE overrides, each cast to the field's default type."""
    defaults = AlignParams()
    overrides: dict[str, int | float] = {}
    for item in items:
        key, _, value = item.partition("=")
        current = getattr(defaults, key, None)
        if current is None:
            raise SystemExit(f"unknown parameter {key!r}")
        overrides[key] = type(current)(value)
    return dataclasses.replace(defaults, **overrides)  # type: ignore[arg-type]


def markdown(scores: PanScores, pairs: int, seconds: float) -> str:
    """The result table with the anchors beside it."""
    rows = [
        "| system | PlagDet | recall | precision | granularity | pairs | seconds |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| **wiretrace align** | **{scores.plagdet:.3f}** | {scores.recall:.3f} | "
        f"{scores.precision:.3f} | {scores.granularity:.3f} | {pairs} | {seconds:.1f} |",
    ]
    rows += ["| " + " | ".join(anchor) + " |" for anchor in ANCHORS]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="only the first N pairs")
    parser.add_argument("--json", action="store_true", help="print figures as JSON")
    parser.add_argument("--param", action="append", default=[], help="AlignParams KEY=VALUE")
    args = parser.parse_args(argv)
    if not (args.corpus / "pairs").exists():
        print(f"no PAN corpus at {args.corpus}", file=sys.stderr)
        return 2
    params = parse_params(args.param)
    scores, pairs, seconds = evaluate(args.corpus, limit=args.limit, params=params)
    if args.json:
        figures = dataclasses.asdict(scores) | {"pairs": pairs, "seconds": round(seconds, 2)}
        print(json.dumps(figures | {"params": dataclasses.asdict(params)}, indent=2))
    else:
        print(markdown(scores, pairs, seconds))
        print(f"\nparams: {params}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
