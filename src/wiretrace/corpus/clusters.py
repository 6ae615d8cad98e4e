"""Story clusters: the connected components of the articles that reuse links (a relation or a
same-time pair links two), over article positions (`DocColumns`), listed biggest first."""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow.compute as pc

from wiretrace.corpus.doc_columns import DocColumns

_CLUSTERS_A_BATCH = 10_000  # clusters whose article ids are read from Arrow at once


def components(size: int, first: Any, second: Any) -> Any:
    """Each position's component, named by its smallest position (union-find with path halving
    over the links first[i] - second[i]; 4 bytes a position)."""
    parent = array("i")
    parent.frombytes(np.arange(size, dtype=np.intc).tobytes())

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for start in range(0, len(first), 1 << 16):
        stop = start + (1 << 16)
        for a, b in zip(first[start:stop].tolist(), second[start:stop].tolist(), strict=True):
            ra, rb = find(a), find(b)
            if ra < rb:
                parent[rb] = ra
            elif rb < ra:
                parent[ra] = rb
    roots = np.frombuffer(parent, dtype=np.intc).copy()
    while True:  # every position straight to its root (pointer jumping)
        up = roots[roots]
        if np.array_equal(up, roots):
            return roots
        roots = up


@dataclass(frozen=True, slots=True)
class Clusters:
    """Clusters in output order (size descending, then origin id), each a slice of `members`
    ordered by publication time (unknown last), then article id; its first is the origin."""

    members: Any  # positions, grouped by cluster
    starts: Any  # where each cluster's slice of `members` starts, in output order
    sizes: Any

    def __len__(self) -> int:
        return len(self.starts)

    @classmethod
    def of(cls, docs: DocColumns, first: Any, second: Any) -> Clusters:
        """The clusters of the links first[i] - second[i] (positions in `docs`)."""
        linked = np.zeros(len(docs), dtype=bool)
        linked[first] = True
        linked[second] = True
        members = np.flatnonzero(linked)
        roots = components(len(docs), first, second)[members]
        published = pc.fill_null(docs.published, 0).to_numpy()
        known = pc.is_valid(docs.published).to_numpy(zero_copy_only=False)
        when = np.where(known, published.astype(np.float64), np.inf)[members]
        order = np.lexsort((docs.rank[members], when, roots))
        members, roots = members[order], roots[order]
        new = np.ones(len(members), dtype=bool)
        new[1:] = roots[1:] != roots[:-1]
        starts = np.flatnonzero(new)
        sizes = np.diff(np.append(starts, len(members)))
        ranked = np.lexsort((docs.rank[members[starts]], -sizes))
        return cls(members=members, starts=starts[ranked], sizes=sizes[ranked])

    def items(self, docs: DocColumns) -> Iterator[dict[str, Any]]:
        """Each cluster as the JSON lists it, `id` its place in the list."""
        for batch in range(0, len(self), _CLUSTERS_A_BATCH):
            starts = self.starts[batch : batch + _CLUSTERS_A_BATCH].tolist()
            sizes = self.sizes[batch : batch + _CLUSTERS_A_BATCH].tolist()
            at = np.concatenate(
                [self.members[s : s + n] for s, n in zip(starts, sizes, strict=True)]
            )
            ids = docs.article_ids(at)
            codes = docs.outlet[at].tolist()
            offset = 0
            for number, size in enumerate(sizes, start=batch):
                articles = ids[offset : offset + size]
                # Outlet codes number the names in sorted order: sorted codes, sorted names.
                outlets = [docs.outlets[c] for c in sorted(set(codes[offset : offset + size]))]
                yield {
                    "size": size,
                    "origin": articles[0],
                    "articles": articles,
                    "outlets": outlets,
                    "id": number,
                }
                offset += size
