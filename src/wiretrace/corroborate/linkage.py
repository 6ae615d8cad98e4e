"""Average-linkage clustering over a sparse graph of scored pairs.

Single link joins two groups when any one pair of their members is alike, so one shared city
name chains two shootings (and everything they touch) into one. Average linkage joins the two
groups whose mean pair score is highest, and only while that mean is at least `threshold`:
the score of every pair across the two groups counts, a pair with no edge as 0. An article
joins an event when it is like enough of its articles, not one of them.

Two groups can only reach a mean of `threshold` when one of their pairs scores at least that
much, so final clusters lie within the connected components of the pairs at or above it: pairs
across those components are dropped first (most of a large corpus's weak pairs).

Exact agglomeration (UPGMA on the sparse graph): each cluster keeps, per neighbouring cluster,
the sum of its edge scores; merging adds the smaller cluster's sums into the larger's, and a heap
of (mean, pair) with lazy deletion finds the best pair. Ties break on the smaller indices, so
the result does not depend on the order the edges were given in.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable


def average_linkage(n: int, edges: Iterable[tuple[int, int, float]], threshold: float) -> list[int]:
    """A cluster label (a member's index) for each of `n` items, given scored pairs
    (i, j, score in [0, 1]); pairs given twice add up."""
    edges = [(i, j, score) for i, j, score in edges if i != j]
    component = list(range(n))
    for i, j, score in edges:
        if score >= threshold:
            component[_root(component, i)] = _root(component, j)
    sums: list[dict[int, float]] = [{} for _ in range(n)]
    for i, j, score in edges:
        if _root(component, i) != _root(component, j):
            continue
        sums[i][j] = sums[i].get(j, 0.0) + score
        sums[j][i] = sums[j].get(i, 0.0) + score
    size = [1] * n
    parent = list(range(n))
    heap: list[tuple[float, int, int]] = []
    for a in range(n):
        for b, total in sums[a].items():
            if a < b and total >= threshold:
                heapq.heappush(heap, (-total, a, b))
    while heap:
        negative, a, b = heapq.heappop(heap)
        if -negative < threshold:
            break
        if parent[a] != a or parent[b] != b:
            continue  # one of them was merged into another since this entry was pushed
        current = sums[a].get(b, 0.0) / (size[a] * size[b])
        if abs(current + negative) > 1e-12:
            continue  # a stale entry: the pair's mean changed
        keep, gone = (a, b) if len(sums[a]) >= len(sums[b]) else (b, a)
        parent[gone] = keep
        size[keep] += size[gone]
        for other, total in sums[gone].items():
            if other == keep:
                continue
            merged = sums[keep].get(other, 0.0) + total
            sums[keep][other] = merged
            sums[other][keep] = merged
            del sums[other][gone]
        sums[keep].pop(gone, None)
        sums[gone] = {}
        for other, total in sums[keep].items():
            mean = total / (size[keep] * size[other])
            if mean >= threshold:
                heapq.heappush(heap, (-mean, min(keep, other), max(keep, other)))
    return [_root(parent, i) for i in range(n)]


def single_linkage(n: int, pairs: Iterable[tuple[int, int]]) -> list[int]:
    """A cluster label (a member's index) for each of `n` items: the connected components of
    the pairs (single link, as the baselines group)."""
    parent = list(range(n))
    for i, j in pairs:
        parent[_root(parent, i)] = _root(parent, j)
    return [_root(parent, i) for i in range(n)]


def _root(parent: list[int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x
