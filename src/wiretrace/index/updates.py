"""The pipeline step after the readers: store what they read, then bring every index up to date.

`add_inputs` (what `wiretrace add` and `api.add` run) takes the readers' articles
(`wiretrace.ingest`, which only reads) in batches; each batch is stored in one transaction
(`Store.add_articles`), then `Indexes.add` indexes the articles that batch added: the shingle
postings and source records (a bulk add, `postings.ShingleIndex.bulk`), the full-text sidecar
when the store has one (`store.fulltext`, made by `wiretrace serve`), and, opt-in, sentence
embeddings once at the end (`paraphrase.py`; ~3 ms a sentence).

A process killed mid-way loses at most the batch in flight: articles stored but not indexed are
indexed by `ShingleIndex.catch_up()` on the next add (or `trace`, or the server's start), and
re-running the same command completes the work, since storing a stored article is a no-op.
"""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType

from wiretrace.doc.article import Article
from wiretrace.index.postings import BulkWriter, ShingleIndex
from wiretrace.index.prepare import prepare_article
from wiretrace.index.shingles import ShingleParams
from wiretrace.ingest.records import ReadOptions
from wiretrace.ingest.run import IngestProgress, IngestReport, ProgressCallback, Reading
from wiretrace.store.articles import AddResult, Store
from wiretrace.store.fulltext import TextIndex, sidecar_path

_BATCH_ARTICLES = 500
_BATCH_CHARS = 32_000_000
_TICK = timedelta(microseconds=1)  # the store's timestamps keep microseconds


class Indexes:
    """Every index of a store, fed the articles each write added.

    `Indexes.for_add(store)` is a bulk add's (use it as a context manager, or call `finish`, so
    the last run is written and merged); the server builds one over the indexes it keeps open.
    """

    def __init__(
        self,
        store: Store,
        *,
        shingles: ShingleIndex | BulkWriter,
        text: TextIndex | None = None,
        semantic: bool = False,
        owns_text: bool = False,
    ) -> None:
        self.store = store
        self.shingles = shingles
        self.text = text
        self.semantic = semantic
        self.owns_text = owns_text  # opened here, so closed here

    @classmethod
    def for_add(cls, store: Store, *, semantic: bool = False) -> Indexes:
        """A bulk add's indexes: the shingle index caught up (articles a killed add stored but
        did not index) and written in large sorted runs, merged once at `finish`; the full-text
        sidecar when the store has one; embeddings at `finish` when `semantic`."""
        shingles = ShingleIndex(store)
        shingles.catch_up()
        writer = shingles.bulk()
        return cls(store, shingles=writer, text=_open_text_index(store), semantic=semantic,
                   owns_text=True)  # fmt: skip

    @property
    def shingle_params(self) -> ShingleParams:
        index = self.shingles.index if isinstance(self.shingles, BulkWriter) else self.shingles
        return index.params

    def add(self, articles: Sequence[Article]) -> None:
        """Index articles just stored (`AddResult.added`)."""
        self.shingles.add(articles)
        if self.text is not None:
            # After the store's commit: if this fails, the sidecar's catch_up on the server's
            # next start adds what it missed.
            self.text.add(articles)

    def finish(self) -> None:
        if isinstance(self.shingles, BulkWriter):
            self.shingles.finish()
        self._close_text()
        if self.semantic:  # after the shingle index, whose doc keys the embeddings carry
            from wiretrace.index.paraphrase import ParaphraseIndex
            from wiretrace.index.semantic import require

            require()
            ParaphraseIndex(self.store).catch_up()

    def _close_text(self) -> None:
        if self.owns_text and self.text is not None:
            self.text.close()
            self.text = None

    def __enter__(self) -> Indexes:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.finish()
        else:
            self._close_text()


def store_articles(store: Store, articles: Sequence[Article], indexes: Indexes) -> AddResult:
    """The write step: store articles in one transaction, then index the ones it added."""
    result = store.add_articles(articles)
    indexes.add(result.added)
    return result


def _open_text_index(store: Store) -> TextIndex | None:
    """The full-text sidecar, kept current when the store has one (`wiretrace serve` makes it)."""
    path = sidecar_path(store.path)
    if not path.exists():
        return None
    try:
        return TextIndex(path)
    except (OSError, sqlite3.Error):  # the server rebuilds a broken sidecar; the add goes on
        return None


def add_inputs(
    items: Iterable[str | Path],
    *,
    store: Store,
    options: ReadOptions | None = None,
    input_format: str | None = None,
    progress: ProgressCallback | None = None,
    semantic: bool = False,
    workers: int | None = None,
) -> IngestReport:
    """Read files, directories, globs and URLs, store their articles in batches (one
    transaction each) and index each batch; never raises for bad input.

    `workers` processes make the articles and their shingles (`ingest/workers.py`): None uses
    every core once the input is big enough to pay for it, 1 keeps everything in this process.
    """
    started = time.perf_counter()
    indexes = Indexes.for_add(store, semantic=semantic)
    store.prepare_bulk_load()
    prepare = functools.partial(prepare_article, params=indexes.shingle_params)
    reading = Reading(
        items, options=options, input_format=input_format, prepare=prepare, workers=workers
    )
    report = reading.report
    batch: list[Article] = []
    batch_chars = 0

    def flush() -> None:
        nonlocal batch, batch_chars
        result = store_articles(store, batch, indexes)
        report.added += len(result.added)
        report.already_stored += result.already_stored
        report.article_ids.extend(a.id for a in batch)
        batch, batch_chars = [], 0

    def tell(inputs_done: int) -> None:
        if progress:
            seconds = time.perf_counter() - started
            articles = report.added + len(batch)
            progress(IngestProgress(inputs_done, report.inputs, articles, report.chars, seconds))

    stamped = datetime.min.replace(tzinfo=UTC)
    with indexes:
        for done, articles in enumerate(reading.per_input(), 1):
            for article in articles:
                # Stamped again here, in the order read: workers make articles at once, and the
                # store numbers its articles by (ingested_at, id) (the reuse pass's doc keys),
                # which must not depend on which worker ran first.
                stamped = article.ingested_at = max(datetime.now(UTC), stamped + _TICK)
                batch.append(article)
                batch_chars += len(article.text)
                if len(batch) >= _BATCH_ARTICLES or batch_chars >= _BATCH_CHARS:
                    flush()
                tell(done - 1)
            tell(done)
        if batch:
            flush()
    report.seconds = time.perf_counter() - started
    return report
