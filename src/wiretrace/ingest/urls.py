"""Reading a URL: fetch it (`fetch.py`), then read it as one HTML article or a feed's entries.

Apart from `fetch.py` because a feed reader follows entry links with `fetch_url`: with `read_url`
beside `fetch_url`, the two modules imported each other.
"""

from __future__ import annotations

from wiretrace.errors import UnreadableInput
from wiretrace.ingest.feeds import read_feed
from wiretrace.ingest.fetch import FetchedPage, fetch_url
from wiretrace.ingest.html import extract_html
from wiretrace.ingest.records import ReadOptions, ReadResult

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_XML_TYPES = ("application/xml", "text/xml")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _is_feed(page: FetchedPage) -> bool:
    """RSS or Atom, by declared type, or by the first tag of an XML body."""
    if page.media_type in _FEED_TYPES:
        return True
    if page.media_type in _XML_TYPES or not page.media_type:
        head = page.body[:1024].lstrip().lower()
        return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))
    return False


def read_url(url: str, options: ReadOptions) -> ReadResult:
    """Fetch a URL and read it: an HTML page as one article, an RSS/Atom feed entry by entry."""
    page = fetch_url(
        url,
        timeout=options.timeout,
        max_bytes=options.max_bytes,
        allow_private=options.allow_private,
    )
    if _is_feed(page):
        yield from read_feed(page.body, source=url, options=options)
        return
    if page.media_type and page.media_type not in _HTML_TYPES:
        raise UnreadableInput(f"unsupported content type {page.media_type}", source=url)
    raw = extract_html(page.body, source=url, url=page.url, charset=page.charset)
    if options.outlet:
        raw.outlet = options.outlet
    if options.published:
        raw.published = options.published
    yield raw
