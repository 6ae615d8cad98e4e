"""RSS and Atom feeds with feedparser: one record per entry, or per linked page when following."""

from __future__ import annotations

import re
from calendar import timegm
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import lxml.html  # type: ignore[import-untyped, unused-ignore]  # no stubs shipped

from wiretrace.errors import InputError, MissingPart, RecordError, UnreadableInput
from wiretrace.ingest.fetch import fetch_url
from wiretrace.ingest.html import extract_html
from wiretrace.ingest.records import RawRecord, ReadOptions, ReadResult
from wiretrace.ingest.text import read_bytes

# Elements that start a new line when an HTML summary is flattened to text.
_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "pre",
}
_DROP = ("script", "style", "noscript", "template")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: block elements become lines, scripts and styles vanish."""
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types on junk; a feed's own text is better than none
        return fragment.strip()
    for element in root.iter(*_DROP):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
            element.text = "\n" + (element.text or "")
    lines = (_SPACES.sub(" ", line).strip() for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _entry_date(entry: Any) -> datetime | str | None:
    """The entry's published (else updated) time; feedparser gives it as UTC struct_time.

    Read with `dict.get`: the entry's own `get` answers a missing `updated` with `published`
    and a DeprecationWarning (feedparser issue 310), and `published` was tried already."""
    for key in ("published", "updated", "created"):
        parsed = dict.get(entry, f"{key}_parsed")
        if parsed:
            return datetime.fromtimestamp(timegm(parsed), tz=UTC)
        value = dict.get(entry, key)
        if value:
            return str(value)  # unparsed by feedparser: records.parse_published tries
    return None


def _entry_text(entry: Any) -> str:
    """The longest of the entry's content blocks and its summary, as plain text."""
    candidates = [str(block.get("value") or "") for block in entry.get("content") or []]
    candidates.append(str(entry.get("summary") or ""))
    texts = [html_to_text(value) for value in candidates if value.strip()]
    return max(texts, key=len, default="")


def _followed(
    raw: RawRecord, number: int, source: str, options: ReadOptions
) -> RawRecord | InputError:
    """The entry's linked page, extracted; the feed's own fields fill what the page lacks."""
    if not raw.url:
        return RecordError("entry has no link to follow", source=source, record=number)
    try:
        page = fetch_url(
            raw.url,
            timeout=options.timeout,
            max_bytes=options.max_bytes,
            allow_private=options.allow_private,
        )
        found = extract_html(
            page.body, source=source, url=page.url, record=number, charset=page.charset
        )
    except MissingPart:
        raise  # no entry can be followed: one line for the feed, not one per entry
    except InputError as exc:
        return RecordError(f"{raw.url}: {exc.reason}", source=source, record=number)
    found.title = found.title or raw.title
    found.author = found.author or raw.author
    # A feed's date carries a time of day; a page's often only the day.
    found.published = raw.published or found.published
    found.outlet = options.outlet or found.outlet
    return found


def read_feed(data: bytes, *, source: str, options: ReadOptions) -> ReadResult:
    """Read an RSS or Atom document: one RawRecord (or RecordError) per entry, in feed order."""
    # Bytes, never str: feedparser treats a str as a URL or file name and would open it.
    parsed: Any = feedparser.parse(bytes(data))
    entries = list(parsed.get("entries") or [])
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        cause = parsed.get("bozo_exception")
        detail = f" ({cause})" if cause else ""
        raise UnreadableInput(f"not an RSS or Atom feed{detail}", source=source)
    for number, entry in enumerate(entries, start=1):
        raw = RawRecord(
            text=_entry_text(entry),
            source=source,
            record=number,
            title=html_to_text(str(entry.get("title") or "")),
            url=str(entry.get("link") or "") or None,
            outlet=options.outlet,
            author=str(entry.get("author") or "") or None,
            published=_entry_date(entry),
        )
        if options.follow_links:
            yield _followed(raw, number, source, options)
        elif not raw.text:
            yield RecordError(
                "entry has no text (no content or summary)", source=source, record=number
            )
        else:
            yield raw


def read_feed_file(path: Path, options: ReadOptions) -> ReadResult:
    """Read an RSS or Atom file from disk."""
    source = str(path)
    data = read_bytes(path, options.max_bytes)  # refuses missing, unreadable and oversized files
    if not data.strip():
        raise UnreadableInput("empty file", source=source)
    yield from read_feed(data, source=source, options=options)
