"""Outlet profiles from the reuse relations, and the content-farm score that ranks them.

farm_score = reused_share * (0.5 + 0.3 * stitching + 0.2 * mixing), in [0, 1], where
  reused_share = (copied + paraphrased characters) / all sentence characters of the outlet;
  stitching    = min(1, (mean earlier sources per reusing article - 1) / 3): 0 for one source,
                 1 for four or more stitched together;
  mixing       = share of its reusing articles that also hold unsourced sentences (insertions).
A wire service that copies nobody scores 0; an aggregator republishing one wire story verbatim
scores about half its reused share; a farm stitching several sources around inserted sentences
scores near its reused share.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

UNKNOWN_OUTLET = "(unknown)"
# Delay buckets (hours after the source): upper bounds; the last bucket is open.
DELAY_BUCKETS: tuple[tuple[str, float], ...] = (
    ("<1h", 1.0),
    ("1-6h", 6.0),
    ("6-24h", 24.0),
    ("1-7d", 168.0),
    (">7d", float("inf")),
)
TOP_SOURCES = 5


@dataclass(slots=True)
class ArticleStats:
    """An article's sentence characters by status, and how it reuses."""

    outlet: str
    copied: int = 0
    paraphrased: int = 0
    duplicate: int = 0
    unsourced: int = 0
    boilerplate: int = 0
    sources: int = 0
    mixed: bool = False

    @property
    def chars(self) -> int:
        return self.copied + self.paraphrased + self.duplicate + self.unsourced + self.boilerplate


@dataclass(slots=True)
class RelationStats:
    """What an outlet profile needs from one relation."""

    source_outlet: str
    target_outlet: str
    chars: int
    delay_hours: float | None
    factual_changes: int
    credited: bool


@dataclass(slots=True)
class _Tally:
    articles: list[ArticleStats] = field(default_factory=list)
    relations: list[RelationStats] = field(default_factory=list)


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def farm_score(reused_share: float, stitching: float, mixing: float) -> float:
    """The documented farm score (see the module docstring)."""
    return round(reused_share * (0.5 + 0.3 * stitching + 0.2 * mixing), 4)


def outlet_profiles(
    articles: Iterable[ArticleStats], relations: Iterable[RelationStats]
) -> list[dict[str, Any]]:
    """One profile per outlet, highest farm score first (then by name)."""
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for article in articles:
        tallies[article.outlet].articles.append(article)
    for relation in relations:
        tallies[relation.target_outlet].relations.append(relation)
    profiles = [_profile(outlet, tally) for outlet, tally in tallies.items()]
    return sorted(profiles, key=lambda p: (-p["farm_score"], p["outlet"]))


def _profile(outlet: str, tally: _Tally) -> dict[str, Any]:
    arts, rels = tally.articles, tally.relations
    chars = sum(a.chars for a in arts)
    copied = sum(a.copied for a in arts)
    paraphrased = sum(a.paraphrased for a in arts)
    reusing = [a for a in arts if a.sources]
    stitched = statistics.fmean(a.sources for a in reusing) if reusing else 0.0
    stitching = min(1.0, max(0.0, (stitched - 1) / 3)) if reusing else 0.0
    mixing = sum(a.mixed for a in reusing) / len(reusing) if reusing else 0.0
    reused_share = (copied + paraphrased) / chars if chars else 0.0
    by_source: Counter[str] = Counter()
    copies_from: Counter[str] = Counter()
    for rel in rels:
        by_source[rel.source_outlet] += rel.chars
        copies_from[rel.source_outlet] += 1
    delays = sorted(r.delay_hours for r in rels if r.delay_hours is not None)
    foreign = [r for r in rels if r.source_outlet != outlet]
    return {
        "outlet": outlet,
        "articles": len(arts),
        "copied_share": _share(copied, chars),
        "paraphrased_share": _share(paraphrased, chars),
        "original_share": _share(sum(a.unsourced for a in arts), chars),
        "duplicate_share": _share(sum(a.duplicate for a in arts), chars),
        "boilerplate_share": _share(sum(a.boilerplate for a in arts), chars),
        "reusing_articles": len(reusing),
        "top_sources": [
            {"outlet": name, "chars": size, "relations": copies_from[name]}
            for name, size in sorted(by_source.items(), key=lambda kv: (-kv[1], kv[0]))[
                :TOP_SOURCES
            ]
        ],
        "median_delay_hours": round(statistics.median(delays), 2) if delays else None,
        "delay_hours": _buckets(delays),
        "changed_facts_share": _share(sum(r.factual_changes > 0 for r in rels), len(rels)),
        "credit_share": _share(sum(r.credited for r in foreign), len(foreign)),
        "stitched_sources": round(stitched, 3),
        "unsourced_mixed_share": round(mixing, 4),
        "farm_score": farm_score(reused_share, stitching, mixing),
    }


def _buckets(delays: list[float]) -> dict[str, int]:
    counts = dict.fromkeys((name for name, _ in DELAY_BUCKETS), 0)
    for delay in delays:
        name = next(n for n, bound in DELAY_BUCKETS if delay < bound)
        counts[name] += 1
    return counts


def outlet_edges(relations: Iterable[RelationStats]) -> list[dict[str, Any]]:
    """The outlet-level reuse graph: source outlet -> copying outlet, with counts and chars."""
    weight: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for rel in relations:
        pair = weight[(rel.source_outlet, rel.target_outlet)]
        pair[0] += 1
        pair[1] += rel.chars
    return [
        {"source": s, "target": t, "relations": n, "chars": c}
        for (s, t), (n, c) in sorted(weight.items())
    ]


def outlet_of(value: str | None) -> str:
    """An outlet name for grouping (unknown outlets grouped together)."""
    return value or UNKNOWN_OUTLET
