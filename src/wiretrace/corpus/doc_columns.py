"""What the `result` stage needs of each article, as columns of the `docs` checkpoint.

Arrow strings (ids, urls) and NumPy arrays (outlet codes, times, id ranks) in doc_key
order: some tens of bytes an article, where a Python object per article took hundreds. A batch of
doc keys is turned into Python values only when its rows are written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from wiretrace.corpus.profiles import outlet_of


@dataclass(frozen=True, slots=True)
class DocColumns:
    """The articles of `docs`, one position each (in doc_key order)."""

    keys: Any  # doc_key at each position (int64, increasing)
    ids: pa.Array  # article id
    urls: pa.Array
    published: pa.Array  # microseconds, null when not known
    outlet: Any  # int32: position in `outlets`
    outlets: list[str]  # outlet names for grouping (`outlet_of`), sorted
    rank: Any  # int64: the article id's place in id order (code point order, as Python sorts)
    dense: bool  # doc_key == position (as `docs` numbers them)

    def __len__(self) -> int:
        return len(self.keys)

    @classmethod
    def read(cls, docs: Path) -> DocColumns:
        columns = ["doc_key", "article_id", "url", "outlet", "published_us"]
        table = pq.read_table(docs, columns=columns)
        keys = table.column("doc_key").to_numpy().astype(np.int64)
        if np.any(keys[1:] < keys[:-1]):  # `docs` is written in doc_key order: not copied then
            table = table.sort_by("doc_key")
            keys = table.column("doc_key").to_numpy().astype(np.int64)
        ids = _one_array(table.column("article_id"))
        codes = pc.dictionary_encode(pc.fill_null(table.column("outlet"), "")).combine_chunks()
        names = [outlet_of(value) for value in codes.dictionary.to_pylist()]
        # "" and null (and "(unknown)" itself) are one outlet: number each name once.
        outlets = sorted(set(names))
        number = {name: n for n, name in enumerate(outlets)}
        renumber = np.array([number[name] for name in names], dtype=np.int32)
        return cls(
            keys=keys,
            ids=ids,
            urls=_one_array(table.column("url")),
            published=table.column("published_us").combine_chunks(),
            outlet=renumber[codes.indices.to_numpy(zero_copy_only=False)],
            outlets=outlets,
            # Arrow compares strings as UTF-8 bytes, which is code point order; equal ids rank
            # equal, so a stable sort on ranks keeps their rows in order, as sorted() does.
            rank=pc.rank(ids, sort_keys="ascending", tiebreaker="min").to_numpy().astype(np.int64),
            dense=bool(np.array_equal(keys, np.arange(len(keys)))),
        )

    def positions(self, doc_keys: Any) -> Any:
        """The positions of these doc keys (a KeyError for a key `docs` does not hold)."""
        wanted = np.asarray(doc_keys, dtype=np.int64)
        if self.dense:
            found = wanted
            ok = (wanted >= 0) & (wanted < len(self.keys))
        else:
            found = np.searchsorted(self.keys, wanted)
            inside = found < len(self.keys)
            ok = inside & (self.keys[np.minimum(found, len(self.keys) - 1)] == wanted)
        if not bool(np.all(ok)):
            raise KeyError(f"doc_key {int(wanted[~ok][0])} is not in docs")
        return found.astype(np.int32)  # positions < 2**31, as doc keys (int32 in `docs`)

    def article_ids(self, positions: Any) -> list[str]:
        return list(self.ids.take(pa.array(positions)).to_pylist())

    def meta(self, positions: Any) -> tuple[list[str], list[str | None], list[str], list[Any]]:
        """(ids, urls, outlet names, publication times) at these positions, as Python lists."""
        at = pa.array(positions)
        outlets = [self.outlets[code] for code in self.outlet[positions].tolist()]
        return (
            self.ids.take(at).to_pylist(),
            self.urls.take(at).to_pylist(),
            outlets,
            self.published.take(at).to_pylist(),
        )


def _one_array(column: pa.ChunkedArray) -> pa.Array:
    """The column as one array (a take from it is several times faster than from its chunks);
    with 64-bit offsets past 2 GB of text."""
    try:
        return column.combine_chunks()
    except pa.ArrowInvalid:  # offsets overflow
        return pc.cast(column, pa.large_string()).combine_chunks()
