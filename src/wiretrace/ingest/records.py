"""What every reader yields: a `RawRecord` (one article's fields as found) or an `InputError`.

Readers never raise for one broken record inside a file: they yield the error and go on, so the
rest of the file is still ingested. They raise an `InputError` only when the whole input is
unusable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from dateutil import parser as date_parser

from wiretrace.doc.article import Article
from wiretrace.errors import InputError, RecordError

# Publication times outside these years are a broken record, not news (year -1, year 9999).
# Fixed bounds, not "now + n": a store's contents must not depend on the day they were read.
EARLIEST_YEAR = 1800
LATEST_YEAR = 2100
# Unpaired UTF-16 surrogates: Python strings may hold them (JSON "\ud800", CSV bytes decoded
# with surrogateescape), UTF-8 cannot, so the store would refuse the whole batch.
_SURROGATE = re.compile("[\ud800-\udfff]")
_TEXT_FIELDS = ("text", "title", "url", "outlet", "author", "language")


@dataclass(slots=True)
class RawRecord:
    """One article as a reader found it, before normalisation and hashing."""

    text: str
    source: str  # the file path or URL it came from
    record: int | None = None  # 1-based record number inside a multi-record file
    title: str = ""
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: datetime | str | None = None
    language: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ReadOptions:
    """Options shared by all readers (the CLI's flags)."""

    url: str | None = None  # for a single plain-text or HTML file
    outlet: str | None = None
    published: str | None = None
    field_map: dict[str, str] = field(default_factory=dict)  # our name -> column name
    follow_links: bool = False  # feeds: fetch each entry's page
    allow_private: bool = False  # fetch: allow loopback / private addresses
    timeout: float = 20.0
    max_bytes: int = 100_000_000


ReadResult = Iterator[RawRecord | InputError]


def parse_published(value: datetime | str | None) -> datetime | None:
    """A timezone-aware datetime (UTC when none is given); ValueError when unparseable."""
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime) else _parse_date_text(str(value).strip())
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _parse_date_text(text: str) -> datetime:
    if len(text) > 100:  # no date is this long; dateutil would take its time to say so
        raise ValueError(f"unparseable date {text[:60]!r}...")
    try:
        return datetime.fromisoformat(text)  # fast path: most feeds and dumps send ISO 8601
    except ValueError:
        pass
    try:
        return date_parser.parse(text)
    except (ValueError, OverflowError, TypeError) as exc:
        raise ValueError(f"unparseable date {text[:60]!r}") from exc


def json_kind(value: object) -> str:
    """What a JSON value is called in a message: 'object', 'array', 'number', 'boolean'."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return f"a {type(value).__name__}"


def _where(raw: RawRecord) -> str:
    return raw.source + (f" record {raw.record}" if raw.record is not None else "")


def _checked_fields(raw: RawRecord) -> None:
    """Refuse fields that are not text; repair unpaired surrogates (with a warning)."""
    for name in _TEXT_FIELDS:
        value = getattr(raw, name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise RecordError(
                f"'{name}' must be a string, not {json_kind(value)}",
                source=raw.source,
                record=raw.record,
            )
        if _SURROGATE.search(value):
            setattr(raw, name, _SURROGATE.sub("\ufffd", value))
            raw.warnings.append(
                f"{_where(raw)}: {name} held unpaired surrogate code points (not Unicode text); "
                "each was replaced by U+FFFD"
            )
    if isinstance(raw.published, str) and _SURROGATE.search(raw.published):
        raw.published = _SURROGATE.sub("\ufffd", raw.published)


def check_date_range(moment: datetime) -> None:
    """ValueError for a publication time outside the years news can have."""
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ValueError(
            f"publication year {moment.year} is outside {EARLIEST_YEAR}..{LATEST_YEAR}"
        )


def to_article(raw: RawRecord) -> Article:
    """Turn a raw record into an Article; an unparseable date becomes a warning, a date outside
    the sane range or a field that is not text a RecordError."""
    _checked_fields(raw)
    if not raw.text or not raw.text.strip():
        raise InputError("no article text", source=raw.source, record=raw.record)
    try:
        published = parse_published(raw.published)
    except ValueError as exc:
        raw.warnings.append(f"{_where(raw)}: {exc}; stored without a publication time")
        published = None
    if published is not None:
        try:
            check_date_range(published)
        except ValueError as exc:
            raise RecordError(str(exc), source=raw.source, record=raw.record) from exc
    return Article.create(
        raw.text,
        title=raw.title or "",
        url=raw.url,
        outlet=raw.outlet,
        author=raw.author,
        published_at=published,
        language=raw.language,
        origin_file=raw.source,
        origin_record=raw.record,
    )
