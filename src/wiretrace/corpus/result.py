"""The `result` stage: relations, story clusters and outlet profiles from the `aligned` table.

Common to both engines (it reads their Parquet checkpoints), so equal checkpoints give equal
JSON. Everything is sorted on article ids and names, never on engine order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from wiretrace.corpus.profiles import (
    ArticleStats,
    RelationStats,
    outlet_edges,
    outlet_of,
    outlet_profiles,
)

SCHEMA = "wiretrace.reuse/1"
_US_PER_HOUR = 3_600_000_000


@dataclass(slots=True)
class ReuseResult:
    """What a reuse run found (complete when its last stage ran)."""

    workdir: str
    engine: str
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    stopped_after: str | None = None
    relations: list[dict[str, Any]] = field(default_factory=list)
    related: list[dict[str, Any]] = field(default_factory=list)
    clusters: list[dict[str, Any]] = field(default_factory=list)
    outlets: list[dict[str, Any]] = field(default_factory=list)
    outlet_edges: list[dict[str, Any]] = field(default_factory=list)
    articles: int = 0

    @property
    def complete(self) -> bool:
        return self.stopped_after is None

    def to_dict(self) -> dict[str, Any]:
        """The `wiretrace.reuse/1` JSON: no engine, path or timing in it, so runs compare."""
        return {
            "schema": SCHEMA,
            "complete": self.complete,
            "stopped_after": self.stopped_after,
            "articles": self.articles,
            "relations": self.relations,
            "related": self.related,
            "clusters": self.clusters,
            "outlets": self.outlets,
            "outlet_edges": self.outlet_edges,
        }

    def to_json(self) -> str:
        """Canonical JSON text (sorted keys, fixed separators)."""
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, indent=1)


@dataclass(frozen=True, slots=True)
class _Meta:
    article_id: str
    url: str | None
    outlet: str
    published_us: int | None


def _load_meta(docs: Path) -> dict[int, _Meta]:
    table = pq.read_table(docs, columns=["doc_key", "article_id", "url", "outlet", "published_us"])
    cols = table.to_pydict()
    return {
        int(key): _Meta(aid, url, outlet_of(outlet), pub)
        for key, aid, url, outlet, pub in zip(*cols.values(), strict=True)
    }


def build_result(docs: Path, aligned: Path, result: ReuseResult) -> ReuseResult:
    """Fill `result` from the `docs` and `aligned` checkpoints."""
    meta = _load_meta(docs)
    rows = pq.read_table(aligned).to_pylist()
    articles: list[ArticleStats] = []
    rel_stats: list[RelationStats] = []
    links: list[tuple[int, int]] = []
    relations: list[dict[str, Any]] = []
    related: set[tuple[str, str]] = set()
    for row in rows:
        kind, tdoc, sdoc = row["kind"], row["tdoc"], row["sdoc"]
        target = meta[tdoc]
        if kind == "article":
            articles.append(
                ArticleStats(
                    target.outlet,
                    row["copied_chars"],
                    row["paraphrased_chars"],
                    row["duplicate_chars"],
                    row["unsourced_chars"],
                    row["boilerplate_chars"],
                    row["sources"],
                    bool(row["mixed"]),
                )
            )
            continue
        source = meta[sdoc]
        links.append((tdoc, sdoc))
        if kind == "related":
            first, second = sorted((source.article_id, target.article_id))
            related.add((first, second))
            continue
        delay = (
            round((target.published_us - source.published_us) / _US_PER_HOUR, 3)
            if target.published_us is not None and source.published_us is not None
            else None
        )
        relations.append(_relation(row, source, target, delay, meta))
        rel_stats.append(
            RelationStats(
                source.outlet,
                target.outlet,
                row["copied_chars"] + row["paraphrased_chars"],
                delay,
                row["factual_changes"],
                bool(row["credited"]),
            )
        )
    result.articles = len(meta)
    result.relations = sorted(relations, key=lambda r: (r["target"], r["source"]))
    result.related = [
        {"a": a, "b": b, "reason": "same or unknown publication time"} for a, b in sorted(related)
    ]
    result.clusters = _clusters(links, meta)
    result.outlets = outlet_profiles(articles, rel_stats)
    result.outlet_edges = outlet_edges(rel_stats)
    return result


def _relation(
    row: dict[str, Any], source: _Meta, target: _Meta, delay: float | None, meta: dict[int, _Meta]
) -> dict[str, Any]:
    runs = json.loads(row["passages"])
    return {
        "source": source.article_id,
        "target": target.article_id,
        "source_url": source.url,
        "target_url": target.url,
        "source_outlet": source.outlet,
        "target_outlet": target.outlet,
        "delay_hours": delay,
        "passages": [
            {"sentences": [first, last], "start": start, "end": end}
            for first, last, start, end in runs
        ],
        "sentences": row["sentences"],
        "copied_chars": row["copied_chars"],
        "paraphrased_chars": row["paraphrased_chars"],
        "factual_changes": row["factual_changes"],
        "credited": bool(row["credited"]),
        "earliest_origins": sorted({meta[k].article_id for k in json.loads(row["origins"])}),
    }


def _clusters(links: list[tuple[int, int]], meta: dict[int, _Meta]) -> list[dict[str, Any]]:
    """Connected components of articles linked by reuse (union-find, path halving)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for key in parent:
        groups.setdefault(find(key), []).append(key)
    clusters: list[dict[str, Any]] = []
    for members in groups.values():
        ordered = sorted(members, key=lambda k: (_time_key(meta[k]), meta[k].article_id))
        clusters.append(
            {
                "size": len(ordered),
                "origin": meta[ordered[0]].article_id,
                "articles": [meta[k].article_id for k in ordered],
                "outlets": sorted({meta[k].outlet for k in ordered}),
            }
        )
    clusters.sort(key=lambda c: (-c["size"], c["origin"]))
    for number, cluster in enumerate(clusters):
        cluster["id"] = number
    return clusters


def _time_key(item: _Meta) -> float:
    return float("inf") if item.published_us is None else float(item.published_us)
