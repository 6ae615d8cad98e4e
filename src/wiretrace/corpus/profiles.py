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
from array import array
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
    """One outlet's sums and counts, added to row by row (its articles, the relations whose
    target it is); only the delays are kept one by one (8 bytes each, for the median)."""

    articles: int = 0
    chars: int = 0
    copied: int = 0
    paraphrased: int = 0
    duplicate: int = 0
    unsourced: int = 0
    boilerplate: int = 0
    reusing: int = 0  # articles with an earlier source
    stitched: int = 0  # earlier sources of the reusing articles, summed
    mixed: int = 0  # reusing articles that also hold unsourced sentences
    relations: int = 0
    changed: int = 0  # relations with a factual change
    foreign: int = 0  # relations from another outlet
    credited: int = 0  # of those, the ones whose target names the source outlet
    delays: array[float] = field(default_factory=lambda: array("d"))
    chars_from: Counter[str] = field(default_factory=Counter)  # by source outlet
    relations_from: Counter[str] = field(default_factory=Counter)


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def farm_score(reused_share: float, stitching: float, mixing: float) -> float:
    """The documented farm score (see the module docstring)."""
    return round(reused_share * (0.5 + 0.3 * stitching + 0.2 * mixing), 4)


class OutletTallies:
    """Outlet profiles and the outlet graph, accumulated as article and relation rows are read,
    so no row need be kept."""

    def __init__(self) -> None:
        self._tallies: dict[str, _Tally] = defaultdict(_Tally)

    def add_article(self, article: ArticleStats) -> None:
        tally = self._tallies[article.outlet]
        tally.articles += 1
        tally.chars += article.chars
        tally.copied += article.copied
        tally.paraphrased += article.paraphrased
        tally.duplicate += article.duplicate
        tally.unsourced += article.unsourced
        tally.boilerplate += article.boilerplate
        if article.sources:
            tally.reusing += 1
            tally.stitched += article.sources
            tally.mixed += bool(article.mixed)

    def add_relation(self, relation: RelationStats) -> None:
        tally = self._tallies[relation.target_outlet]
        tally.relations += 1
        tally.changed += relation.factual_changes > 0
        if relation.source_outlet != relation.target_outlet:
            tally.foreign += 1
            tally.credited += bool(relation.credited)
        if relation.delay_hours is not None:
            tally.delays.append(relation.delay_hours)
        tally.chars_from[relation.source_outlet] += relation.chars
        tally.relations_from[relation.source_outlet] += 1

    def profiles(self) -> list[dict[str, Any]]:
        """One profile per outlet, highest farm score first (then by name)."""
        profiles = [_profile(outlet, tally) for outlet, tally in self._tallies.items()]
        return sorted(profiles, key=lambda p: (-p["farm_score"], p["outlet"]))

    def edges(self) -> list[dict[str, Any]]:
        """The outlet-level reuse graph: source outlet -> copying outlet, with counts and chars."""
        pairs = sorted(
            (source, target)
            for target, tally in self._tallies.items()
            for source in tally.relations_from
        )
        return [
            {
                "source": source,
                "target": target,
                "relations": self._tallies[target].relations_from[source],
                "chars": self._tallies[target].chars_from[source],
            }
            for source, target in pairs
        ]


def outlet_profiles(
    articles: Iterable[ArticleStats], relations: Iterable[RelationStats]
) -> list[dict[str, Any]]:
    """One profile per outlet, highest farm score first (then by name)."""
    tallies = OutletTallies()
    for article in articles:
        tallies.add_article(article)
    for relation in relations:
        tallies.add_relation(relation)
    return tallies.profiles()


def _profile(outlet: str, tally: _Tally) -> dict[str, Any]:
    reusing = tally.reusing
    # The mean as statistics.fmean makes it: the float sum (exact: whole numbers) by the count.
    stitched = float(tally.stitched) / reusing if reusing else 0.0
    stitching = min(1.0, max(0.0, (stitched - 1) / 3)) if reusing else 0.0
    mixing = tally.mixed / reusing if reusing else 0.0
    reused_share = (tally.copied + tally.paraphrased) / tally.chars if tally.chars else 0.0
    delays = sorted(tally.delays)
    top = sorted(tally.chars_from.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_SOURCES]
    return {
        "outlet": outlet,
        "articles": tally.articles,
        "copied_share": _share(tally.copied, tally.chars),
        "paraphrased_share": _share(tally.paraphrased, tally.chars),
        "original_share": _share(tally.unsourced, tally.chars),
        "duplicate_share": _share(tally.duplicate, tally.chars),
        "boilerplate_share": _share(tally.boilerplate, tally.chars),
        "reusing_articles": reusing,
        "top_sources": [
            {"outlet": name, "chars": size, "relations": tally.relations_from[name]}
            for name, size in top
        ],
        "median_delay_hours": round(statistics.median(delays), 2) if delays else None,
        "delay_hours": _buckets(delays),
        "changed_facts_share": _share(tally.changed, tally.relations),
        "credit_share": _share(tally.credited, tally.foreign),
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


def outlet_of(value: str | None) -> str:
    """An outlet name for grouping (unknown outlets grouped together)."""
    return value or UNKNOWN_OUTLET
