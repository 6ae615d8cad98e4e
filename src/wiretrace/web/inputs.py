"""Turning what a client sends (JSON records, raw text or HTML, a URL) into Articles."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from wiretrace.errors import InputError, UnreadableInput
from wiretrace.ingest.records import RawRecord, ReadOptions, to_article
from wiretrace.model import Article

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


class BatchIn(BaseModel):
    """Several articles, stored in one transaction."""

    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(..., min_length=1, max_length=MAX_BATCH)


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
        raise InputError("give text, html or a url to fetch", source=source)
    if record.title:
        raw.title = record.title
    raw.outlet = record.outlet or raw.outlet
    raw.author = record.author or raw.author
    raw.published = record.published_at or raw.published
    raw.language = record.language or raw.language
    return to_article(raw)


def fetch(url: str, *, allow_private: bool, timeout: float, max_bytes: int) -> RawRecord:
    """Fetch one HTML article with the CLI's guards (SSRF, redirects, time and size caps)."""
    from wiretrace.ingest.fetch import read_url

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
