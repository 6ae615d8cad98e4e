"""Reading every input into Articles, with a report of what was read and what was refused.

A broken record or file is reported and skipped; everything readable is read. This package only
reads: `wiretrace.index.updates.add_inputs` stores the articles and updates the indexes, and
fills in the report's stored counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from wiretrace.cores import usable_cores
from wiretrace.doc.article import Article
from wiretrace.errors import InputError, NotAnArticle, UnreadableInput
from wiretrace.ingest.records import RawRecord, ReadOptions
from wiretrace.ingest.sources import expand_inputs, read_input
from wiretrace.ingest.workers import Made, Prepare, RecordWorkers, make

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_NOTHING_INGESTED = 3
EXIT_MISSING_PART = 5  # as the CLI's exit code for a missing extra

# Worker processes cost ~1 s to start: worth it from a few thousand articles on.
_PARALLEL_FROM_BYTES = 16_000_000
_PARALLEL_FROM_CHARS = 8_000_000
MakeAll = Callable[[Iterable[RawRecord | InputError]], Iterator[Made]]


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


class Reading:
    """Articles read from files, directories, globs and URLs; bad input goes into `report`.

    Records in, `Article`s out: storing and indexing them is the next step's
    (`wiretrace.index.updates.add_inputs`)."""

    def __init__(
        self,
        items: Iterable[str | Path],
        *,
        options: ReadOptions | None = None,
        input_format: str | None = None,
        prepare: Prepare | None = None,
        workers: int | None = None,
    ) -> None:
        """`prepare` is run on each article where it is made (the next step's per-article
        work); `workers` processes make the articles (1: in this process; None: every core,
        once the inputs are big enough to pay for starting them)."""
        self.items = [str(i) for i in items]
        self.options = options or ReadOptions()
        self.input_format = input_format
        self.prepare = prepare
        self.workers = workers
        self.inputs, errors = expand_inputs(self.items)
        self.report = IngestReport(inputs=len(self.inputs), errors=list(errors))
        self._pool: RecordWorkers | None = None

    def per_input(self) -> Iterator[Iterator[Article]]:
        """One iterator of articles per input, in order (an input that fails yields none)."""
        named = set(self.items)  # inputs given by name, not found by a walk or a glob
        try:
            for item in self.inputs:
                yield self._counted(_articles_from(
                    item, self.options, self.input_format, self.report, str(item) in named,
                    self._make_all(item),
                ))  # fmt: skip
        finally:
            if self._pool is not None:
                self._pool.close()
                self._pool = None

    def _make_all(self, item: str | Path) -> MakeAll:
        """How this input's records become articles: on the workers when they pay."""
        workers = usable_cores() if self.workers is None else self.workers
        if self._pool is None and workers > 1 and (self.workers or self._big(item)):
            self._pool = RecordWorkers(workers, self.prepare)
        if self._pool is not None:
            return self._pool.made
        prepare = self.prepare
        return lambda found: (make(record, prepare) for record in found)

    def _big(self, item: str | Path) -> bool:
        """Worth starting workers for: a big local file, or many articles read already."""
        if self.report.chars >= _PARALLEL_FROM_CHARS:
            return True
        try:
            return Path(item).stat().st_size >= _PARALLEL_FROM_BYTES
        except (OSError, ValueError):  # a URL or glob result gone
            return False

    def __iter__(self) -> Iterator[Article]:
        for articles in self.per_input():
            yield from articles

    def _counted(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            self.report.chars += len(article.text)
            yield article


def _articles_from(
    item: str | Path,
    options: ReadOptions,
    input_format: str | None,
    report: IngestReport,
    named: bool,
    make_all: MakeAll,
) -> Iterable[Article]:
    """Articles from one input; its errors and warnings go into the report."""
    try:
        for made in make_all(read_input(item, options, fmt=input_format)):
            if made.error is not None:
                report.errors.append(made.error)
                continue
            report.warnings.extend(made.warnings)
            if made.article is not None:
                yield made.article
    except NotAnArticle as exc:  # e.g. metadata beside the articles of a directory
        if named:
            report.errors.append(exc)
        else:
            report.warnings.append(f"{exc}; skipped")
    except InputError as exc:
        report.errors.append(exc)
    except (OSError, EOFError, ValueError) as exc:  # a reader met something it did not expect
        report.errors.append(UnreadableInput(f"{type(exc).__name__}: {exc}", source=str(item)))
