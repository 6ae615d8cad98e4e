"""Raw records into Articles on worker processes, so a big add uses every core.

Making an Article (normalising, hashing, language identification) and what the next step asks
of it (`prepare`: sentence splitting, shingles, the source record) cost ~1 ms an article, most
of an add's CPU, and need nothing but the record. The reader stays in the calling process (its
errors are reported as they always are); records go to the workers in chunks and come back in
the order they were read, so a parallel add stores exactly what a serial one does.

Workers are spawned, not forked: the caller holds a DuckDB connection and its threads.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from wiretrace.doc.article import Article
from wiretrace.errors import InputError
from wiretrace.ingest.records import RawRecord, to_article

CHUNK_RECORDS = 128
# Chunks in flight per worker: enough that the workers keep going while the main process
# writes an index run (~2 s), few enough to bound memory (a chunk is ~1 MB of articles).
_IN_FLIGHT_PER_WORKER = 8

Prepare = Callable[[Article], None]


@dataclass(slots=True)
class Made:
    """One record's outcome: its article, or the error that refused it, and its warnings."""

    article: Article | None
    error: InputError | None
    warnings: list[str]


def make(found: RawRecord | InputError, prepare: Prepare | None) -> Made:
    """What a worker does with one record (also the in-process path)."""
    if isinstance(found, InputError):
        return Made(None, found, [])
    try:
        article = to_article(found)
    except InputError as exc:
        return Made(None, exc, [])
    if prepare is not None:
        prepare(article)
    return Made(article, None, found.warnings)


def _make_chunk(chunk: list[RawRecord | InputError], prepare: Prepare | None) -> list[Made]:
    return [make(found, prepare) for found in chunk]


def _exit_with_parent(parent: int) -> None:
    """A worker's start: leave when the parent is gone (a killed add must not leave workers
    waiting on a queue nobody feeds)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


class RecordWorkers:
    """A pool of worker processes making Articles; close it (or use `with`) when done."""

    def __init__(self, workers: int, prepare: Prepare | None = None) -> None:
        self.workers = workers
        self.prepare = prepare
        self._pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_exit_with_parent,
            initargs=(os.getpid(),),
        )

    def made(self, found: Iterable[RawRecord | InputError]) -> Iterator[Made]:
        """Each record's outcome, in the order read. An exception the reader raises comes out
        after the outcomes of every record read before it."""
        pending: deque[Future[list[Made]]] = deque()
        records = iter(found)
        failure: BaseException | None = None
        while failure is None:
            chunk: list[RawRecord | InputError] = []
            try:
                for item in records:
                    chunk.append(item)
                    if len(chunk) >= CHUNK_RECORDS:
                        break
            except Exception as exc:  # the reader's; raised again once earlier records are out
                failure = exc
            if chunk:
                pending.append(self._pool.submit(_make_chunk, chunk, self.prepare))
            if not chunk or failure is not None:
                break
            while len(pending) >= self.workers * _IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
        if failure is not None:
            raise failure

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> RecordWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
