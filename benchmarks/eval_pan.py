"""Score wiretrace's aligner on PAN 2013's verbatim ("no obfuscation") text-alignment pairs.

Usage: python benchmarks/eval_pan.py [--corpus DIR] [--limit N] [--json] [--param KEY=VALUE ...]
       [--through trace|align]

`--through trace` (the default) measures the product: every source document is stored
(`wiretrace add`) and each suspicious document is traced against the whole store with
`Tracer.trace`; its report's `alignments` are the detections, so candidate selection and the
aligner are scored. As in PAN's text alignment task, detections are judged on the listed pairs:
a suspicious document's passages credited to other stored sources have no truth here (they
belong to PAN's other obfuscation parts) and are counted, not scored. `--through align` runs the
aligner alone on the listed pairs.

The corpus directory holds `pairs` ("susp src" per line), `susp/`, `src/` and `truth/*.xml`
(one file per pair named "<susp stem>-<src stem>.xml", features with this_offset/this_length/
source_offset/source_length). Measures are PAN's own (wiretrace.pan_measures).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from pan_measures import PanScores, Span, pan_scores
from wiretrace.trace.align import AlignParams, align_texts

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


def _offset_map(raw: str, stored: str) -> list[int]:
    """For each offset into the stored (normalised) text, the offset into the raw file text.
    Normalisation only drops characters (carriage returns, trailing and outer spaces)."""
    out = []
    i = 0
    for char in stored:
        while i < len(raw) and raw[i] != char:
            i += 1
        out.append(i)
        i += 1
    out.append(min(i, len(raw)))
    return out


def evaluate_trace(corpus: Path, *, limit: int | None) -> tuple[PanScores, int, float]:
    """Store every source document, trace each suspicious one: scores, pairs, trace seconds."""
    from wiretrace import api
    from wiretrace.doc.article import Article
    from wiretrace.store.articles import Store
    from wiretrace.trace.tracer import Tracer

    pairs = [line.split() for line in (corpus / "pairs").read_text().splitlines() if line.strip()]
    if limit is not None:
        pairs = pairs[:limit]
    cases: list[Span] = []
    for susp_name, src_name in pairs:
        truth = corpus / "truth" / f"{Path(susp_name).stem}-{Path(src_name).stem}.xml"
        cases.extend(read_cases(truth))
    detections: list[Span] = []
    listed = {(susp, src) for susp, src in pairs}
    unlisted = 0
    seconds = 0.0
    with tempfile.TemporaryDirectory(prefix="wiretrace-pan-") as tmp:
        jsonl = Path(tmp) / "src.jsonl"
        raw_src = {}
        with jsonl.open("w", encoding="utf-8") as out:
            for src in sorted((corpus / "src").iterdir()):
                raw_src[src.name] = src.read_text(encoding="utf-8")
                record = {
                    "text": raw_src[src.name],
                    "title": src.stem,
                    "url": f"pan://src/{src.name}",
                    "published": "2000-01-01T00:00:00Z",
                }
                out.write(json.dumps(record) + "\n")
        db = Path(tmp) / "pan.duckdb"
        api.add([jsonl], db=db)
        with Store(db, read_only=True) as store:
            name_of = {
                article_id: url.removeprefix("pan://src/")
                for article_id, url in store.db.execute("SELECT id, url FROM articles").fetchall()
            }
            maps: dict[str, list[int]] = {}
            tracer = Tracer(store, semantic=False, claims=False)
            for susp_name in sorted({susp for susp, _ in pairs}):
                raw = (corpus / "susp" / susp_name).read_text(encoding="utf-8")
                article = Article.create(
                    raw,
                    url=f"pan://susp/{susp_name}",
                    published_at=datetime(2001, 1, 1, tzinfo=UTC),
                )
                started = time.perf_counter()
                report = tracer.trace(article)
                seconds += time.perf_counter() - started
                target_map = _offset_map(raw, article.text)
                for doc, passage in report.alignments:
                    src_name = name_of[doc.article_id]
                    if (susp_name, src_name) not in listed:
                        unlisted += 1
                        continue
                    if src_name not in maps:
                        maps[src_name] = _offset_map(raw_src[src_name], doc.text)
                    source_map = maps[src_name]
                    detections.append(
                        Span(
                            susp_name,
                            src_name,
                            target_map[passage.target_start],
                            target_map[passage.target_end],
                            source_map[passage.source_start],
                            source_map[passage.source_end],
                        )
                    )
    print(
        f"note: {unlisted} passages credited to sources outside the listed pairs", file=sys.stderr
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


def markdown(scores: PanScores, pairs: int, seconds: float, through: str) -> str:
    """The result table with the anchors beside it."""
    name = "wiretrace trace (all sources stored)" if through == "trace" else "wiretrace align"
    rows = [
        "| system | PlagDet | recall | precision | granularity | pairs | seconds |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| **{name}** | **{scores.plagdet:.3f}** | {scores.recall:.3f} | "
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
    parser.add_argument("--through", choices=("trace", "align"), default="trace")
    args = parser.parse_args(argv)
    if not (args.corpus / "pairs").exists():
        print(f"no PAN corpus at {args.corpus}", file=sys.stderr)
        return 2
    params = parse_params(args.param)
    if args.through == "trace":
        if args.param:
            raise SystemExit("--param applies to --through align only")
        scores, pairs, seconds = evaluate_trace(args.corpus, limit=args.limit)
    else:
        scores, pairs, seconds = evaluate(args.corpus, limit=args.limit, params=params)
    if args.json:
        figures = dataclasses.asdict(scores) | {"pairs": pairs, "seconds": round(seconds, 2)}
        figures["through"] = args.through
        print(json.dumps(figures | {"params": dataclasses.asdict(params)}, indent=2))
    else:
        print(markdown(scores, pairs, seconds, args.through))
        print(f"\nparams: {params}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
