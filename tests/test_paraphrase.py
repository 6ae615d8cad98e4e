"""The semantic paraphrase path end to end: add --semantic, trace finds a reworded sentence."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from wiretrace import api
from wiretrace.doc.article import Article
from wiretrace.index.paraphrase import semantic_path
from wiretrace.store.articles import Store
from wiretrace.trace.tracer import Tracer

T0 = datetime(2031, 7, 1, 9, 0, tzinfo=UTC)
SOURCE = [
    "The militia seized the old stone bridge over the Vell river at dawn on Tuesday.",
    "Traders in the eastern market said bread prices had doubled within a week.",
    "The harbour master closed the port to fishing boats because of the storm.",
]
REWORDED = "At daybreak on Tuesday, militiamen took the old bridge across the Vell."
UNRELATED = "A children's choir from the hill villages will tour the northern provinces in spring."


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "wire.txt"
    path.write_text("Bridge taken\n\n" + " ".join(SOURCE) + "\n", encoding="utf-8")
    (tmp_path / "wire.txt.json").write_text(
        json.dumps(
            {
                "url": "https://wire.example/bridge",
                "published": (T0 - timedelta(hours=3)).isoformat(),
            }
        ),
        encoding="utf-8",
    )
    return path


def test_semantic_index_finds_a_reworded_sentence(tmp_path: Path) -> None:
    db = tmp_path / "sem.duckdb"
    report = api.add([_write(tmp_path)], db=db, semantic=True)
    assert report.added == 1 and semantic_path(_store(db)).exists()
    target = Article.create(
        " ".join([SOURCE[1], REWORDED, UNRELATED]), url="https://farm.example/1", published_at=T0
    )
    with Store(db) as store:
        lexical = Tracer(store, semantic=False).trace(target)
        semantic = Tracer(store).trace(target)
    assert [t.status for t in lexical.sentences] == ["copied", "unsourced", "unsourced"]
    assert [t.status for t in semantic.sentences] == ["copied", "paraphrased", "unsourced"]
    match = semantic.sentences[1].best
    assert match is not None and match.sentence_indexes == (0,) and match.similarity >= 0.70


def test_reindex_semantic_and_notes(tmp_path: Path) -> None:
    db = tmp_path / "sem.duckdb"
    api.add([_write(tmp_path)], db=db)
    assert not semantic_path(_store(db)).exists()
    [report] = api.trace(["https://wire.example/bridge"], db=db, semantic=True)
    assert any("no semantic index" in note for note in report.notes)
    stats = api.reindex(db=db, semantic=True)
    assert stats.articles == 1 and stats.embedded_sentences == 3
    assert semantic_path(_store(db)).exists()
    api.reindex(db=db)  # a lexical rebuild renumbers documents: stale embeddings are dropped
    assert not semantic_path(_store(db)).exists()


def _store(db: Path) -> Store:
    store = Store(db, read_only=True)
    store.close()
    return store
