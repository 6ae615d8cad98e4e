"""The reuse engines' side of the one source-text store (`wiretrace.index.texts`).

Alignment needs, for each batch of targets, the texts of their sources, which lie anywhere in the
corpus; a Parquet scan per batch reads most of the `docs` table again at a million articles. So
both engines write the table once, in doc_key order, as a sealed source-text store in the work
directory (uncompressed records with the article id and time: written once, read a few times),
and their alignment processes (DuckDB's pool, Spark's Python workers) open it by path and read
any article with one `pread`, sharing the page cache. No engine is used here.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa

from wiretrace.corpus.align import Doc
from wiretrace.index import records
from wiretrace.index.texts import TextStore

_OPEN: dict[str, TextStore] = {}  # per process: the store of the run being aligned


def write_texts(path: Path, batches: Iterable[pa.RecordBatch]) -> int:
    """Write `docs` rows (in increasing doc_key order) as a sealed store; returns the rows.

    Whatever was at `path` (a killed run's store, or an older version's doc store) goes first."""
    if path.exists():
        shutil.rmtree(path)
    store = TextStore(path, (0, 0), writable=True)
    last = -1
    try:
        for batch in batches:
            rows = batch.to_pydict()
            keys = rows["doc_key"]
            if keys and (keys[0] <= last or any(b <= a for a, b in itertools.pairwise(keys))):
                raise ValueError("docs rows must come in increasing doc_key order")
            blobs = [
                records.encode_row(
                    url,
                    outlet,
                    text or "",
                    [n for pair in zip(starts or (), stops or (), strict=True) for n in pair],
                    article_id,
                    published,
                )
                for url, outlet, text, starts, stops, article_id, published in zip(
                    rows["url"],
                    rows["outlet"],
                    rows["text"],
                    rows["starts"],
                    rows["stops"],
                    rows["article_id"],
                    rows["published_us"],
                    strict=True,
                )
            ]
            if keys:
                store.commit(store.append(keys, blobs))
                last = keys[-1]
        store.seal()
        return store.entries
    finally:
        store.close()


def open_texts(path: str | Path) -> TextStore:
    """The sealed store at `path`, opened once per process (workers align many batches)."""
    key = str(path)
    store = _OPEN.get(key)
    if store is None:
        close_texts()
        store = _OPEN[key] = TextStore.open_sealed(Path(path))
    return store


def close_texts() -> None:
    while _OPEN:
        _OPEN.popitem()[1].close()


def docs_of(store: TextStore, keys: Iterable[int]) -> dict[int, Doc]:
    """Docs by doc_key, in key order; KeyError for a key the store does not hold."""
    out: dict[int, Doc] = {}
    for key in sorted(set(keys)):
        record = store.source(key)
        if record is None:
            raise KeyError(key)
        out[key] = Doc(
            doc_key=key,
            article_id=record.article_id or "",
            url=record.url or None,
            outlet=record.outlet or None,
            published_us=record.published_us,
            text=record.text,
            spans=record.spans,
        )
    return out


def keys_between(keys: np.ndarray, low: int, high: int) -> Sequence[int]:
    """The doc_keys of `keys` (ascending) in [low, high]."""
    first = int(np.searchsorted(keys, low))
    last = int(np.searchsorted(keys, high, side="right"))
    found: list[int] = keys[first:last].tolist()
    return found
