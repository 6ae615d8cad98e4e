"""Turning what a client sends (JSON records, raw text or HTML, a URL) into Articles."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wiretrace.doc.article import Article
from wiretrace.errors import InputError, UnreadableInput
from wiretrace.ingest.records import (
    RawRecord,
    ReadOptions,
    check_date_range,
    parse_published,
    to_article,
)
from wiretrace.web.errors import ApiError

MAX_BATCH = 1000


class ArticleIn(BaseModel):
    """One article: `text` or `html` as given, or only `url` to fetch it (public hosts only)."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="plain text; a first line is not a title")
    html: str | None = Field(None, description="an HTML page; the article is extracted from it")
    url: str | None = Field(None, description="the article's url; fetched when no text or html")
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published_at: datetime | str | None = Field(None, description="ISO 8601 or a date string")
    language: str | None = None


def batch_items(body: str) -> list[Any]:
    """The records of a batch body, each parsed on its own when the whole body is over a JSON
    limit; a ValueError item stands for one that cannot be parsed. ApiError (422) when the body
    is not `{"articles": [...]}` with 1 to MAX_BATCH items."""
    from wiretrace.ingest.json_limits import JsonLimitError, loads_bounded, object_array_items

    items: list[Any] | None
    try:
        parsed = loads_bounded(body)
        items = parsed.get("articles") if isinstance(parsed, dict) and len(parsed) == 1 else None
    except JsonLimitError:
        items = object_array_items(body)
    except ValueError as exc:
        raise ApiError(422, "validation_error", f"the body is not valid JSON: {exc}") from exc
    if not isinstance(items, list):
        raise ApiError(422, "validation_error", 'the body must be {"articles": [...]}')
    if not 1 <= len(items) <= MAX_BATCH:
        raise ApiError(422, "validation_error", f"a batch holds 1 to {MAX_BATCH} articles")
    return items


def validate_record(item: Any) -> ArticleIn:
    """One batch item as an ArticleIn; InputError naming the first field that is wrong."""
    try:
        return ArticleIn.model_validate(item)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "the record"
        raise InputError(f"{where}: {first.get('msg', 'invalid')}") from exc


def from_record(
    record: ArticleIn,
    *,
    source: str,
    allow_private: bool,
    timeout: float,
    max_bytes: int,
) -> Article:
    """An Article from one record; InputError when it cannot be used."""
    if record.text is not None and record.text.strip():
        raw = RawRecord(text=record.text, source=source, url=record.url)
    elif record.html is not None and record.html.strip():
        from wiretrace.ingest.html import extract_html

        raw = extract_html(record.html, source=source, url=record.url)
    elif record.url:
        raw = fetch(record.url, allow_private=allow_private, timeout=timeout, max_bytes=max_bytes)
    else:
        raise InputError("give text, html or a url to fetch", source=source, field="text")
    if record.title:
        raw.title = record.title
    raw.outlet = record.outlet or raw.outlet
    raw.author = record.author or raw.author
    raw.published = _checked_date(record.published_at, source) or raw.published
    raw.language = record.language or raw.language
    return to_article(raw)


def _checked_date(value: datetime | str | None, source: str) -> datetime | str | None:
    """A publication time a client gave, refused (naming the field) when it is not a date or
    outside the sane years: a form must not drop it silently."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        moment = parse_published(value)
        if moment is not None:
            check_date_range(moment)
    except ValueError as exc:
        raise InputError(f"published_at: {exc}", source=source, field="published_at") from exc
    return moment


def fetch(url: str, *, allow_private: bool, timeout: float, max_bytes: int) -> RawRecord:
    """Fetch one HTML article with the CLI's guards (SSRF, redirects, time and size caps)."""
    from wiretrace.ingest.urls import read_url

    options = ReadOptions(allow_private=allow_private, timeout=timeout, max_bytes=max_bytes)
    for found in read_url(url, options):
        if isinstance(found, InputError):
            raise found
        return found
    raise UnreadableInput("no article found at this URL", source=url)


def from_upload(
    data: bytes, *, filename: str, content_type: str | None, title: str | None
) -> Article:
    """An Article from an uploaded file: HTML by type or name, else UTF-8 text."""
    name = filename or "upload"
    is_html = (content_type or "").startswith(("text/html", "application/xhtml")) or (
        name.lower().endswith((".html", ".htm"))
    )
    if is_html:
        from wiretrace.ingest.html import extract_html

        raw = extract_html(data, source=name)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableInput("not UTF-8 text or HTML", source=name) from exc
        if "\x00" in text:
            raise UnreadableInput("a binary file, not text", source=name)
        raw = RawRecord(text=text, source=name)
    if title:
        raw.title = title
    return to_article(raw)
