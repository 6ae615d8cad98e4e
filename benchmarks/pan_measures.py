"""PAN's text-alignment measures (Potthast et al. 2010), written from the paper's definitions.

A case or a detection is a pair of character ranges: one in the suspicious document, one in the
source. Both are sets of character references over the two documents, so every size below counts
characters on both sides. A detection r *detects* a case s when they concern the same two
documents and overlap on both sides. Then, over all cases S and detections R of a corpus:

- precision   = mean over r of |union over s of (s ⊓ r)| / |r|
- recall      = mean over s of |union over r of (s ⊓ r)| / |s|
- granularity = mean over detected cases of the number of detections that detect them
- plagdet     = F1 / log2(1 + granularity)

where s ⊓ r is s ∩ r if r detects s and empty otherwise.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A passage: a range in the suspicious document and one in the source (end exclusive)."""

    susp_doc: str
    src_doc: str
    susp_start: int
    susp_end: int
    src_start: int
    src_end: int

    def __len__(self) -> int:
        return (self.susp_end - self.susp_start) + (self.src_end - self.src_start)


@dataclass(frozen=True)
class PanScores:
    """Macro precision and recall, granularity and PlagDet over a corpus."""

    precision: float
    recall: float
    granularity: float
    plagdet: float
    cases: int
    detections: int


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def detects(detection: Span, case: Span) -> bool:
    """Whether the detection detects the case: same documents, overlapping on both sides."""
    return (
        detection.susp_doc == case.susp_doc
        and detection.src_doc == case.src_doc
        and _overlaps(detection.susp_start, detection.susp_end, case.susp_start, case.susp_end)
        and _overlaps(detection.src_start, detection.src_end, case.src_start, case.src_end)
    )


def _union_length(ranges: Iterable[tuple[int, int]]) -> int:
    total = 0
    cur_start = cur_end = -1
    for start, end in sorted(ranges):
        if start >= end:
            continue
        if start > cur_end:
            total += cur_end - cur_start
            cur_start, cur_end = start, end
        else:
            cur_end = max(cur_end, end)
    return total + (cur_end - cur_start)


def _covered(outer: Span, others: Sequence[Span]) -> int:
    """Characters of `outer` (both sides) covered by the union of `others`."""
    susp = [(max(o.susp_start, outer.susp_start), min(o.susp_end, outer.susp_end)) for o in others]
    src = [(max(o.src_start, outer.src_start), min(o.src_end, outer.src_end)) for o in others]
    return _union_length(susp) + _union_length(src)


def plagdet_from(precision: float, recall: float, granularity: float) -> float:
    """PlagDet: harmonic mean of precision and recall, divided by log2(1 + granularity)."""
    if precision + recall == 0:
        return 0.0
    f1 = 2 * precision * recall / (precision + recall)
    return f1 / math.log2(1 + granularity)


def pan_scores(cases: Sequence[Span], detections: Sequence[Span]) -> PanScores:
    """Score detections against cases with PAN's character-level measures."""
    by_docs: dict[tuple[str, str], list[Span]] = defaultdict(list)
    for det in detections:
        by_docs[(det.susp_doc, det.src_doc)].append(det)
    cases_by_docs: dict[tuple[str, str], list[Span]] = defaultdict(list)
    for case in cases:
        cases_by_docs[(case.susp_doc, case.src_doc)].append(case)

    recall_sum = 0.0
    detected_cases = 0
    detections_per_case = 0
    for case in cases:
        hits = [d for d in by_docs[(case.susp_doc, case.src_doc)] if detects(d, case)]
        if hits:
            detected_cases += 1
            detections_per_case += len(hits)
            recall_sum += _covered(case, hits) / len(case)

    precision_sum = 0.0
    for det in detections:
        hits = [c for c in cases_by_docs[(det.susp_doc, det.src_doc)] if detects(det, c)]
        if hits and len(det):
            precision_sum += _covered(det, hits) / len(det)

    # Conventions for empty sets: no detections means precision 0; nothing detected, granularity 1.
    precision = precision_sum / len(detections) if detections else 0.0
    recall = recall_sum / len(cases) if cases else 0.0
    granularity = detections_per_case / detected_cases if detected_cases else 1.0
    return PanScores(
        precision=precision,
        recall=recall,
        granularity=granularity,
        plagdet=plagdet_from(precision, recall, granularity),
        cases=len(cases),
        detections=len(detections),
    )
