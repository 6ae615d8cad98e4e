"""What the shingle index needs of an article, computed wherever the article is made.

A bulk add spends most of its CPU on work that needs nothing but the article itself: sentence
splitting, shingle hashing and the compressed source record. `prepare_article` does that work
and keeps the results on the article (its sentence spans and two layers), so the reader's worker
processes (`ingest/workers.py`) can do it while the main process stores and indexes; the index's
run buffer (`postings._Run`) takes the layers when they are there and computes them when not.
"""

from __future__ import annotations

import numpy as np

from wiretrace.doc.article import Article
from wiretrace.doc.layers import LayerKey
from wiretrace.index import records
from wiretrace.index.shingles import ShingleParams, sentence_shingles

SHINGLES: LayerKey[tuple[np.ndarray, np.ndarray]] = LayerKey(
    "index_shingles", "shingle hashes and their sentence indexes (index/prepare.py)"
)
SOURCE_RECORD: LayerKey[bytes] = LayerKey(
    "index_source_record", "the compressed source record the text store keeps (index/records.py)"
)


def prepare_article(article: Article, params: ShingleParams) -> None:
    """Split the article into sentences, hash its shingles and encode its source record."""
    hashes, sents = sentence_shingles(article.text, article.spans, params)
    article.set_layer(SHINGLES, (hashes, sents))
    article.set_layer(SOURCE_RECORD, records.encode(article))


def take_prepared(article: Article, params: ShingleParams) -> tuple[np.ndarray, np.ndarray, bytes]:
    """The article's shingles and source record, prepared or computed now; the layers are
    dropped, since a run holds them until it is written."""
    if article.has_layer(SHINGLES.name) and article.has_layer(SOURCE_RECORD.name):
        hashes, sents = article.pop_layer(SHINGLES)
        return hashes, sents, article.pop_layer(SOURCE_RECORD)
    hashes, sents = sentence_shingles(article.text, article.spans, params)
    return hashes, sents, records.encode(article)
