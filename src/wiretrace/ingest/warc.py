"""WARC and WARC.gz files (Common Crawl News): one article per HTML response record (warcio)."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader

from wiretrace.errors import InputError, InputNotFound, MissingPart, RecordError, UnreadableInput
from wiretrace.ingest.html import extract_html
from wiretrace.ingest.records import RawRecord, ReadOptions, ReadResult

_GZIP_MAGIC = b"\x1f\x8b"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_SNIFF_BYTES = 65536


def _looks_like_warc(head: bytes) -> bool:
    """True when the file starts with a WARC version line, gzipped or not."""
    if head.startswith(_GZIP_MAGIC):
        try:
            head = zlib.decompressobj(31).decompress(head, 16)  # 31: expect a gzip header
        except zlib.error:
            return False
    return head.lstrip(b"\r\n").startswith(b"WARC/")


def _load_failure(exc: ArchiveLoadFailed) -> str:
    """warcio's multi-line message cut to one line the CLI can print."""
    if "non-chunked gzip" in str(exc):
        return "gzip holds several WARC records in one member; fix it with `warcio recompress`"
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    return f"corrupt WARC record ({first[:120]})"


def _content_type(http: Any) -> tuple[str, str | None]:
    """(media type, charset) from a record's HTTP Content-Type header."""
    value = str(http.get_header("Content-Type") or "")
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.strip().partition("=")
        if key.lower() == "charset" and val:
            charset = val.strip().strip("\"'")
    return media.strip().lower(), charset


def _truncated(archive: Any, record: Any) -> bool:
    """True when the record's bytes or its gzip member ended before they should have."""
    length = str(record.rec_headers.get_header("Content-Length") or "").strip()
    if not length.isdigit() or not isinstance(record.raw_stream, LimitReader):
        return True  # no usable Content-Length: the header block itself was cut
    # Drain the record ourselves: warcio stops quietly at a short read and reports nothing.
    while record.raw_stream.read(65536):
        pass
    if record.raw_stream.limit > 0:
        return True
    archive.read_to_end()  # consumes the blank lines that close the record (and its gzip member)
    decompressor = archive.reader.decompressor if archive.reader is not None else None
    return decompressor is not None and not decompressor.eof


def _article(
    record: Any, body: bytes, number: int, source: str, options: ReadOptions
) -> RawRecord | InputError:
    """One HTML response record as a RawRecord, or the RecordError that says why it has none."""
    url = record.rec_headers.get_header("WARC-Target-URI") or None
    _, charset = _content_type(record.http_headers)
    try:
        raw = extract_html(body, source=source, url=url, record=number, charset=charset)
    except MissingPart:
        raise  # no record of this file can be read: one line for the file, not one per record
    except UnreadableInput as exc:
        return RecordError(exc.reason, source=source, record=number)
    except Exception as exc:  # one odd page in a crawl of millions must not end the whole file
        return RecordError(
            f"cannot extract the page ({type(exc).__name__}: {exc})", source=source, record=number
        )
    raw.url = url or raw.url  # where the crawler found it, not what the page calls itself
    raw.published = raw.published or record.rec_headers.get_header("WARC-Date") or None
    if options.outlet:
        raw.outlet = options.outlet
    return raw


def _wanted(record: Any) -> bool:
    """A `response` with HTTP 200 and an HTML body."""
    if record.rec_type != "response" or record.http_headers is None:
        return False
    if record.http_headers.get_statuscode() != "200":
        return False
    media, _ = _content_type(record.http_headers)
    return media in _HTML_TYPES


def _records(stream: IO[bytes], size: int, source: str, options: ReadOptions) -> ReadResult:
    """Walk the archive; stop with a RecordError at the first record that is cut short."""
    archive = ArchiveIterator(stream)
    records: Iterator[Any] = iter(archive)
    number = 0
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except ArchiveLoadFailed as exc:
            yield RecordError(_load_failure(exc), source=source, record=number + 1)
            return
        except Exception as exc:  # warcio raises assorted errors on a cut header; all mean the same
            yield RecordError(
                f"truncated or corrupt WARC record ({type(exc).__name__})",
                source=source,
                record=number + 1,
            )
            return
        number += 1
        try:
            body = record.content_stream().read() if _wanted(record) else b""
            cut = _truncated(archive, record)
        except (OSError, EOFError, zlib.error, ValueError) as exc:
            yield RecordError(
                f"truncated or corrupt WARC record ({exc})", source=source, record=number
            )
            return
        if cut:
            yield RecordError(
                "truncated WARC record: the file ends inside it", source=source, record=number
            )
            return
        if body:
            yield _article(record, body, number, source, options)
    # A record cut inside its first line is skipped by warcio without a word: bytes left over
    # past the last complete record mean the file was truncated there.
    if archive.offset < size:
        yield RecordError(
            "truncated WARC record: the file ends inside it", source=source, record=number + 1
        )


def read_warc(path: Path, options: ReadOptions) -> ReadResult:
    """Read the HTML responses of a WARC or WARC.gz file, one RawRecord per article."""
    source = str(path)
    try:
        stream = path.open("rb")
    except FileNotFoundError as exc:
        raise InputNotFound("no such file", source=source) from exc
    except IsADirectoryError as exc:
        raise UnreadableInput("is a directory, not a WARC file", source=source) from exc
    with stream:
        head = stream.read(_SNIFF_BYTES)
        if not head:
            raise UnreadableInput("empty file", source=source)
        if not _looks_like_warc(head):
            raise UnreadableInput("not a WARC file (no WARC/1.x header)", source=source)
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(0)
        yield from _records(stream, size, source, options)
