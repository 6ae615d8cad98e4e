"""What every reader yields: a `RawRecord` (one article's fields as found) or an `InputError`.

Readers never raise for one broken record inside a file: they yield the error and go on, so the
rest of the file is still ingested. They raise an `InputError` only when the whole input is
unusable.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from dateutil import parser as date_parser

from wiretrace.errors import InputError
from wiretrace.model import Article


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
    try:
        return datetime.fromisoformat(text)  # fast path: most feeds and dumps send ISO 8601
    except ValueError:
        pass
    try:
        return date_parser.parse(text)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"unparseable date {text[:60]!r}") from exc


def to_article(raw: RawRecord) -> Article:
    """Turn a raw record into an Article; a bad date becomes a warning, not a failure."""
    if not raw.text or not raw.text.strip():
        raise InputError("no article text", source=raw.source, record=raw.record)
    try:
        published = parse_published(raw.published)
    except ValueError as exc:
        where = raw.source + (f" record {raw.record}" if raw.record is not None else "")
        raw.warnings.append(f"{where}: {exc}; stored without a publication time")
        published = None
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
