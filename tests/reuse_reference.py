"""The `wiretrace.reuse/1` JSON made the old way, whole and in memory, for the tests to compare the
streamed result.json with byte for byte: every `aligned` row read into a dict, every relation a
dict sorted in Python, outlet profiles from lists of every article and relation, and one
`json.dumps` of the whole document (the builder of `corpus/result.py` before the streaming
writer, its profile code inlined so the two do not share it)."""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from wiretrace.corpus.profiles import DELAY_BUCKETS, TOP_SOURCES, farm_score, outlet_of

_US_PER_HOUR = 3_600_000_000


def reference_json(workdir: Path) -> str:
    """The canonical JSON of a finished run's `docs` and `aligned` checkpoints."""
    meta = {
        int(key): (aid, url, outlet_of(outlet), pub)
        for key, aid, url, outlet, pub in zip(
            *pq.read_table(
                workdir / "docs.parquet",
                columns=["doc_key", "article_id", "url", "outlet", "published_us"],
            )
            .to_pydict()
            .values(),
            strict=True,
        )
    }
    articles: list[tuple[Any, ...]] = []
    stats: list[tuple[Any, ...]] = []
    links: list[tuple[int, int]] = []
    relations: list[dict[str, Any]] = []
    related: set[tuple[str, str]] = set()
    for row in pq.read_table(workdir / "aligned.parquet").to_pylist():
        target = meta[row["tdoc"]]
        if row["kind"] == "article":
            sizes = [row[f"{n}_chars"] for n in ("copied", "paraphrased", "duplicate")]
            sizes += [row["unsourced_chars"], row["boilerplate_chars"]]
            articles.append((target[2], *sizes, row["sources"], bool(row["mixed"])))
            continue
        source = meta[row["sdoc"]]
        links.append((row["tdoc"], row["sdoc"]))
        if row["kind"] == "related":
            first, second = sorted((source[0], target[0]))
            related.add((first, second))
            continue
        delay = (
            round((target[3] - source[3]) / _US_PER_HOUR, 3)
            if target[3] is not None and source[3] is not None
            else None
        )
        relations.append(
            {
                "source": source[0],
                "target": target[0],
                "source_url": source[1],
                "target_url": target[1],
                "source_outlet": source[2],
                "target_outlet": target[2],
                "delay_hours": delay,
                "passages": [
                    {"sentences": [a, b], "start": start, "end": end}
                    for a, b, start, end in json.loads(row["passages"])
                ],
                "sentences": row["sentences"],
                "copied_chars": row["copied_chars"],
                "paraphrased_chars": row["paraphrased_chars"],
                "factual_changes": row["factual_changes"],
                "credited": bool(row["credited"]),
                "earliest_origins": sorted({meta[k][0] for k in json.loads(row["origins"])}),
            }
        )
        chars = row["copied_chars"] + row["paraphrased_chars"]
        stats.append((source[2], target[2], chars, delay, row["factual_changes"], row["credited"]))
    document = {
        "schema": "wiretrace.reuse/1",
        "complete": True,
        "stopped_after": None,
        "articles": len(meta),
        "relations": sorted(relations, key=lambda r: (r["target"], r["source"])),
        "related": [
            {"a": a, "b": b, "reason": "same or unknown publication time"}
            for a, b in sorted(related)
        ],
        "clusters": _clusters(links, meta),
        "outlets": _profiles(articles, stats),
        "outlet_edges": _edges(stats),
    }
    return json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1)


def _clusters(links: list[tuple[int, int]], meta: dict[int, tuple[Any, ...]]) -> list[Any]:
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
        when = {k: float("inf") if meta[k][3] is None else float(meta[k][3]) for k in members}
        ordered = sorted(members, key=lambda k: (when[k], meta[k][0]))
        clusters.append(
            {
                "size": len(ordered),
                "origin": meta[ordered[0]][0],
                "articles": [meta[k][0] for k in ordered],
                "outlets": sorted({meta[k][2] for k in ordered}),
            }
        )
    clusters.sort(key=lambda c: (-c["size"], c["origin"]))
    for number, cluster in enumerate(clusters):
        cluster["id"] = number
    return clusters


def _profiles(articles: list[tuple[Any, ...]], stats: list[tuple[Any, ...]]) -> list[Any]:
    arts: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    rels: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for article in articles:
        arts[article[0]].append(article)
    for rel in stats:
        rels[rel[1]].append(rel)
    profiles = []
    for outlet in {**arts, **rels}:
        mine, copies = arts[outlet], rels[outlet]
        chars = sum(sum(a[1:6]) for a in mine)
        copied, paraphrased = sum(a[1] for a in mine), sum(a[2] for a in mine)
        reusing = [a for a in mine if a[6]]
        stitched = statistics.fmean(a[6] for a in reusing) if reusing else 0.0
        stitching = min(1.0, max(0.0, (stitched - 1) / 3)) if reusing else 0.0
        mixing = sum(a[7] for a in reusing) / len(reusing) if reusing else 0.0
        by_source: Counter[str] = Counter()
        count: Counter[str] = Counter()
        for rel in copies:
            by_source[rel[0]] += rel[2]
            count[rel[0]] += 1
        delays = sorted(r[3] for r in copies if r[3] is not None)
        foreign = [r for r in copies if r[0] != outlet]
        buckets = dict.fromkeys((name for name, _ in DELAY_BUCKETS), 0)
        for delay in delays:
            buckets[next(n for n, bound in DELAY_BUCKETS if delay < bound)] += 1
        top = sorted(by_source.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_SOURCES]
        profiles.append(
            {
                "outlet": outlet,
                "articles": len(mine),
                "copied_share": _share(copied, chars),
                "paraphrased_share": _share(paraphrased, chars),
                "original_share": _share(sum(a[4] for a in mine), chars),
                "duplicate_share": _share(sum(a[3] for a in mine), chars),
                "boilerplate_share": _share(sum(a[5] for a in mine), chars),
                "reusing_articles": len(reusing),
                "top_sources": [
                    {"outlet": name, "chars": size, "relations": count[name]} for name, size in top
                ],
                "median_delay_hours": round(statistics.median(delays), 2) if delays else None,
                "delay_hours": buckets,
                "changed_facts_share": _share(sum(r[4] > 0 for r in copies), len(copies)),
                "credit_share": _share(sum(bool(r[5]) for r in foreign), len(foreign)),
                "stitched_sources": round(stitched, 3),
                "unsourced_mixed_share": round(mixing, 4),
                "farm_score": farm_score(
                    (copied + paraphrased) / chars if chars else 0.0, stitching, mixing
                ),
            }
        )
    return sorted(profiles, key=lambda p: (-p["farm_score"], p["outlet"]))


def _edges(stats: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    weight: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for rel in stats:
        weight[(rel[0], rel[1])][0] += 1
        weight[(rel[0], rel[1])][1] += rel[2]
    return [
        {"source": s, "target": t, "relations": n, "chars": c}
        for (s, t), (n, c) in sorted(weight.items())
    ]


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
