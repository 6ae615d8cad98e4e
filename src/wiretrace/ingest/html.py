"""HTML pages to article records with trafilatura: main text, title, date, author, site, url."""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

from wiretrace.errors import MissingPart, UnreadableInput
from wiretrace.ingest.records import RawRecord, ReadOptions, ReadResult
from wiretrace.ingest.text import read_bytes

# A declared charset is looked for only near the top, as browsers do (their prescan is 1024 bytes).
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_PRESCAN_BYTES = 2048
# Labels that browsers decode as a superset encoding; decoding strictly as the label fails on pages
# that use the superset's extra characters (curly quotes in "iso-8859-1" pages).
_SUPERSETS = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "tis-620": "cp874",
    "iso-8859-9": "cp1254",
}
# Keep a time of day when the page gives one; trafilatura's default keeps only the date.
_DATE_PARAMS = {
    "extensive_search": True,
    "original_date": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}
# libxml2 stops reading elements nested deeper than this, or this with its huge-document option.
_PARSER_DEPTH = 255
_HUGE_DEPTH = 2048
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _trafilatura(source: str, record: int | None) -> Any:
    """The trafilatura module, imported late so a partial install is one W140 line (MissingPart).

    trafilatura imports justext, which imports lxml.html.clean: a separate package
    (lxml_html_clean) since lxml 5.2 that old pips leave out.
    """
    try:
        import trafilatura
        import trafilatura.utils
    except ImportError as exc:
        missing = exc.name or "lxml_html_clean"
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise MissingPart(
            f"reading HTML needs the Python package '{missing}', which is not installed "
            f"({first}); install it: pip install {missing if exc.name else 'lxml_html_clean'}",
            source=source,
            record=record,
        ) from exc
    return trafilatura


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when Python does not know it."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(
    data: bytes, *, charset: str | None = None, source: str = "", record: int | None = None
) -> str:
    """Decode page bytes: BOM, valid UTF-8, HTTP charset, <meta charset>, then a guess."""
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            return data.decode(bom_codec, errors="replace")
    # Valid UTF-8 beats any declaration: servers often label UTF-8 pages "ISO-8859-1", while
    # legacy text that happens to be valid UTF-8 is vanishingly rare.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(data[:_PRESCAN_BYTES])
    declared = [charset, meta.group(1).decode("ascii", "ignore") if meta else None]
    for label in declared:
        codec = _codec(label)
        if codec is None:
            continue
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue  # the declaration lies; fall through to detection
    # trafilatura guesses with charset_normalizer, then decodes with replacement
    return str(_trafilatura(source, record).utils.decode_file(data))


def nesting_depth(page: str) -> int:
    """How deep the page's elements nest (void elements and self-closed tags not counted)."""
    depth = deepest = 0
    for match in _TAG.finditer(page):
        closing, name, self_closed = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            depth = max(0, depth - 1)
        elif name not in _VOID and not self_closed:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _deep_extraction(trafilatura: Any, page: str, url: str | None, depth: int) -> Any:
    """Extraction from a tree parsed with libxml2's huge-document option, which reads nesting
    past 256 levels (up to 2,048); deeper pages are beyond it."""
    if depth > _HUGE_DEPTH:
        return None
    import lxml.html  # type: ignore[import-untyped, unused-ignore]  # no stubs shipped

    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        tree = lxml.html.document_fromstring(page, parser=parser)
        return trafilatura.bare_extraction(
            tree, url=url, with_metadata=True, date_extraction_params=_DATE_PARAMS
        )
    except (ValueError, TypeError):
        return None


def _strip_title(text: str, title: str) -> str:
    """Drop the headline from the top of the body: it is stored as the title already."""
    first, _, rest = text.partition("\n")
    if title and " ".join(first.split()) == " ".join(title.split()):
        return rest.lstrip("\n")
    return text


def extract_html(
    html: str | bytes,
    *,
    source: str,
    url: str | None = None,
    record: int | None = None,
    charset: str | None = None,
) -> RawRecord:
    """Extract one article from an HTML page; UnreadableInput when it holds no article text."""
    trafilatura = _trafilatura(source, record)
    if isinstance(html, bytes):
        page = decode_html(html, charset=charset, source=source, record=record)
    else:
        page = html
    try:
        doc: Any = trafilatura.bare_extraction(
            page,
            url=url,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except (ValueError, TypeError) as exc:  # lxml refuses some malformed documents outright
        raise UnreadableInput(
            f"cannot parse the HTML ({exc})", source=source, record=record
        ) from exc
    text = str(getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        depth = nesting_depth(page)
        if depth > _PARSER_DEPTH:
            doc = _deep_extraction(trafilatura, page, url, depth)
            text = str(getattr(doc, "text", None) or "").strip() if doc is not None else ""
        if not text and depth > _PARSER_DEPTH:
            raise UnreadableInput(
                f"no article text could be read: the HTML nests elements {depth:,} levels deep, "
                f"past the {_HUGE_DEPTH:,} levels the HTML parser reads",
                source=source,
                record=record,
            )
    if not text:
        raise UnreadableInput("no article text found in the HTML", source=source, record=record)
    title = str(doc.title or "").strip()
    return RawRecord(
        text=_strip_title(text, title) or text,
        source=source,
        record=record,
        title=title,
        url=doc.url or url,
        outlet=doc.sitename or None,
        author=doc.author or None,
        published=doc.date or None,
        language=doc.language or None,
    )


def read_html_file(path: Path, options: ReadOptions) -> ReadResult:
    """Read one HTML file as one article; options.url, .outlet and .published override the page."""
    source = str(path)
    data = read_bytes(path, options.max_bytes)  # refuses missing, unreadable and oversized files
    if not data.strip():
        raise UnreadableInput("empty file", source=source)
    raw = extract_html(data, source=source, url=options.url)
    if options.url:
        raw.url = options.url  # the user knows where the file came from better than the page
    if options.outlet:
        raw.outlet = options.outlet
    if options.published:
        raw.published = options.published
    yield raw
