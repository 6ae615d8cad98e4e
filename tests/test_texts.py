"""The one source-text store: the index's records and a reuse run's, old records included."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest

from wiretrace.doc.article import Article
from wiretrace.errors import StoreError
from wiretrace.index import records
from wiretrace.index.texts import TextStore

TEXT = "Lanterns lit the Quorra pier. Fishers sold the catch by noon."


def _as_written_before(payload: list[object]) -> bytes:
    """A record as versions before reuse runs shared this store wrote it: five fields, zlib."""
    return zlib.compress(json.dumps(payload, ensure_ascii=False).encode(), 3)


def test_records_of_every_version_decode(tmp_path: Path) -> None:
    article = Article.create(TEXT, url="https://quorra.example/1", title="Pier")
    old = _as_written_before([article.url, "quorra.example", "Pier", TEXT, [0, 29, 30, 61]])
    assert records.decode(old) == records.DocRecord(
        article.url, "quorra.example", "Pier", TEXT, ((0, 29), (30, 61))
    )
    assert records.decode(records.encode(article)).text == TEXT
    row = records.encode_row(None, None, TEXT, [0, 29], "a1", -5)
    assert row[:1] == b"["  # uncompressed
    assert records.decode(row) == records.DocRecord(None, None, "", TEXT, ((0, 29),), "a1", -5)


def test_a_store_written_the_old_way_opens(tmp_path: Path) -> None:
    blobs = [_as_written_before(["u", None, f"T{n}", f"{TEXT} {n}", [0, 29]]) for n in range(3)]
    writer = TextStore(tmp_path / "t", (0, 0), writable=True)
    state = writer.append([0, 2, 5], blobs)
    writer.commit(state)
    writer.close()
    store = TextStore(tmp_path / "t", state, writable=False)
    assert list(store.keys()) == [0, 2, 5]
    record = store.source(5)
    assert record is not None and record.text == f"{TEXT} 2" and record.article_id is None
    assert store.source(1) is None


def test_sealed_store_opens_by_path_and_ignores_an_unsealed_tail(tmp_path: Path) -> None:
    writer = TextStore(tmp_path / "t", (0, 0), writable=True)
    writer.commit(writer.append([0], [records.encode_row("u", "o", TEXT, [], "a0", None)]))
    writer.seal()
    writer.append([1], [records.encode_row("u", "o", "unsealed", [], "a1", None)])
    writer.close()
    store = TextStore.open_sealed(tmp_path / "t")
    assert list(store.keys()) == [0]
    found = store.source(0)
    assert found is not None and found.article_id == "a0" and found.published_us is None
    with pytest.raises(StoreError, match="not a sealed"):
        TextStore.open_sealed(tmp_path / "nothing")
