"""Ingest: read every input, build Articles, and store them in batches (one transaction each).

A broken record or file is reported and skipped; everything readable is stored. A process killed
mid-ingest loses at most the batch in flight, and re-running the same command completes the work
because storing an article already stored is a no-op.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wiretrace.doc.article import Article
from wiretrace.errors import InputError, NotAnArticle, UnreadableInput
from wiretrace.ingest.records import RawRecord, ReadOptions, to_article
from wiretrace.ingest.sources import expand_inputs, read_input
from wiretrace.store.articles import Store

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_NOTHING_INGESTED = 3
EXIT_MISSING_PART = 5  # as the CLI's exit code for a missing extra

_BATCH_ARTICLES = 500
_BATCH_CHARS = 32_000_000


@dataclass(slots=True)
class IngestProgress:
    """Where a running ingest is: passed to the progress callback after each record."""

    inputs_done: int
    inputs_total: int
    articles: int
    chars: int
    seconds: float


@dataclass(slots=True)
class IngestReport:
    """What an ingest did; `exit_code` tells all ok / some inputs failed / nothing ingested."""

    inputs: int = 0
    added: int = 0
    already_stored: int = 0
    chars: int = 0
    seconds: float = 0.0
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if not self.errors:
            return EXIT_OK
        if self.added + self.already_stored:
            return EXIT_SOME_FAILED
        if all(e.code == "W140" for e in self.errors):
            return EXIT_MISSING_PART
        return EXIT_NOTHING_INGESTED

    def to_dict(self) -> dict[str, object]:
        return {
            "inputs": self.inputs,
            "added": self.added,
            "already_stored": self.already_stored,
            "chars": self.chars,
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.added / self.seconds, 1) if self.seconds else None,
            "errors": [
                {"code": e.code, "source": e.source, "record": e.record, "message": e.reason}
                for e in self.errors
            ],
            "warnings": self.warnings,
            "article_ids": self.article_ids,
            "exit_code": self.exit_code,
        }


ProgressCallback = Callable[[IngestProgress], None]


def ingest(
    items: Iterable[str | Path],
    *,
    store: Store,
    options: ReadOptions | None = None,
    input_format: str | None = None,
    progress: ProgressCallback | None = None,
    semantic: bool = False,
) -> IngestReport:
    """Read files, directories, globs and URLs into the store; never raises for bad input."""
    from wiretrace.index.postings import ShingleIndex

    options = options or ReadOptions()
    started = time.perf_counter()
    index = ShingleIndex(store)
    index.catch_up()  # articles a killed ingest stored but did not index
    indexer = index.bulk()  # postings sorted in large runs, merged once at the end
    store.prepare_bulk_load()
    text_index = _open_text_index(store)
    inputs, errors = expand_inputs([str(i) for i in items])
    report = IngestReport(inputs=len(inputs), errors=list(errors))
    batch: list[Article] = []
    batch_chars = 0

    def flush() -> None:
        nonlocal batch, batch_chars
        result = store.add_articles(batch)
        indexer.add(result.added)
        if text_index is not None:
            text_index.add(result.added)
        report.added += len(result.added)
        report.already_stored += result.already_stored
        report.article_ids.extend(a.id for a in batch)
        batch, batch_chars = [], 0

    named = {str(i) for i in items}  # inputs given by name, not found by a walk or a glob
    for done, item in enumerate(inputs, 1):
        for article in _articles_from(item, options, input_format, report, str(item) in named):
            batch.append(article)
            batch_chars += len(article.text)
            report.chars += len(article.text)
            if len(batch) >= _BATCH_ARTICLES or batch_chars >= _BATCH_CHARS:
                flush()
            if progress:
                progress(
                    IngestProgress(
                        done - 1,
                        len(inputs),
                        report.added + len(batch),
                        report.chars,
                        time.perf_counter() - started,
                    )
                )
        if progress:
            progress(
                IngestProgress(
                    done,
                    len(inputs),
                    report.added + len(batch),
                    report.chars,
                    time.perf_counter() - started,
                )
            )
    if batch:
        flush()
    indexer.finish()
    if text_index is not None:
        text_index.close()
    if semantic:  # embeddings are slow (~3 ms a sentence): opt-in, once at the end
        from wiretrace.index.paraphrase import ParaphraseIndex
        from wiretrace.index.semantic import require

        require()
        ParaphraseIndex(store).catch_up()
    report.seconds = time.perf_counter() - started
    return report


def _open_text_index(store: Store) -> Any:
    """The full-text sidecar, kept current when the store has one (`wiretrace serve` makes it)."""
    import sqlite3

    from wiretrace.store.fulltext import TextIndex, sidecar_path

    path = sidecar_path(store.path)
    if not path.exists():
        return None
    try:
        return TextIndex(path)
    except (OSError, sqlite3.Error):  # the server rebuilds a broken sidecar; ingest goes on
        return None


def _articles_from(
    item: str | Path,
    options: ReadOptions,
    input_format: str | None,
    report: IngestReport,
    named: bool = True,
) -> Iterable[Article]:
    """Articles from one input; its errors and warnings go into the report."""
    try:
        for found in read_input(item, options, fmt=input_format):
            if isinstance(found, InputError):
                report.errors.append(found)
                continue
            article = _to_article(found, report)
            if article is not None:
                yield article
    except NotAnArticle as exc:  # e.g. metadata beside the articles of a directory
        if named:
            report.errors.append(exc)
        else:
            report.warnings.append(f"{exc}; skipped")
    except InputError as exc:
        report.errors.append(exc)
    except (OSError, EOFError, ValueError) as exc:  # a reader met something it did not expect
        report.errors.append(UnreadableInput(f"{type(exc).__name__}: {exc}", source=str(item)))


def _to_article(raw: RawRecord, report: IngestReport) -> Article | None:
    try:
        article = to_article(raw)
    except InputError as exc:
        report.errors.append(exc)
        return None
    report.warnings.extend(raw.warnings)
    return article
