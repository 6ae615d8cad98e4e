"""The semantic paraphrase path: embeddings of stored sentences in an ANN index (extra).

Embedding costs ~3 ms a sentence on 2 cores, so the index is opt-in (`add --semantic`,
`reindex --semantic`) and `trace` uses it when it exists. It lives beside the store as
`STORE.duckdb.semantic.npz` (keys: the shingle index's doc keys and sentence indexes), written
atomically after each batch; articles not yet embedded are found by comparing its keys with the
store's `index_docs`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from wiretrace.doc.article import Article
from wiretrace.store import index_tables as tables
from wiretrace.store.articles import Store

MIN_WORDS = 4  # shorter sentences carry too little meaning to embed usefully
_BATCH_ARTICLES = 500


def semantic_path(store: Store) -> Path:
    """Where a store's semantic index lives."""
    return store.path.with_name(store.path.name + ".semantic.npz")


class ParaphraseIndex:
    """Sentence embeddings of a store's articles, searchable by cosine."""

    def __init__(self, store: Store) -> None:
        from wiretrace.index.semantic import SentenceIndex, get_embedder

        self.store = store
        self.path = semantic_path(store)
        self.index = SentenceIndex.load(self.path) if self.path.exists() else SentenceIndex()
        self.embedder = get_embedder()

    def embedded_docs(self) -> set[int]:
        keys = self.index.keys  # (doc_key, sentence_index) rows
        return set(np.unique(keys[:, 0]).tolist()) if len(keys) else set()

    def add(self, articles: Sequence[tuple[int, Article]]) -> int:
        """Embed the sentences of (doc_key, article) pairs, then save; returns sentences added."""
        keys: list[tuple[int, int]] = []
        texts: list[str] = []
        for doc_key, article in articles:
            for sentence in article.sentences:
                text = sentence.text
                if len(text.split()) >= MIN_WORDS:
                    keys.append((doc_key, sentence.index))
                    texts.append(text)
        if texts:
            self.index.add(keys, self.embedder.embed(texts))
            self.index.save(self.path)
        return len(texts)

    def catch_up(self) -> int:
        """Embed every indexed article not embedded yet; returns articles embedded."""
        done = self.embedded_docs()
        docs = tables.indexed_docs(self.store.db)
        rows = zip(docs["doc_key"].to_pylist(), docs["article_id"].to_pylist(), strict=True)
        todo = [(key, article_id) for key, article_id in rows if key not in done]
        for start in range(0, len(todo), _BATCH_ARTICLES):
            batch = todo[start : start + _BATCH_ARTICLES]
            key_of = {article_id: key for key, article_id in batch}
            articles = self.store.get_many([article_id for _, article_id in batch])
            self.add([(key_of[a.id], a) for a in articles])
        return len(todo)

    def search(self, texts: Sequence[str], k: int) -> list[list[tuple[int, int, float]]]:
        """For each text, up to k (doc_key, sentence_index, cosine) neighbours, best first."""
        if not texts or not len(self.index):
            return [[] for _ in texts]
        found = self.index.search(self.embedder.embed(texts), k)
        return [
            [(d, s, score) for (d, s), score in zip(keys, scores, strict=True)]
            for keys, scores in found
        ]


def open_for_trace(
    store: Store, semantic: bool | None
) -> tuple[ParaphraseIndex | None, str | None]:
    """The store's paraphrase index when wanted and usable, and a note when it is not used."""
    from wiretrace.index import semantic as extra

    if semantic is False:
        return None, None
    if not semantic_path(store).exists():
        if semantic:
            return None, "no semantic index in this store (run 'wiretrace reindex --semantic')"
        return None, None
    if not extra.available():
        return None, (
            "the store has a semantic index but the 'semantic' extra is not installed: "
            "paraphrases were looked for lexically only"
        )
    return ParaphraseIndex(store), None
