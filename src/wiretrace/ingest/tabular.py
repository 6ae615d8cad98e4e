"""JSON Lines, JSON arrays and CSV files: one article per record, columns mapped by name."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, cast

from wiretrace.errors import NotAnArticle, RecordError, UnreadableInput
from wiretrace.ingest.json_limits import JsonLimitError, array_end, array_items, loads_bounded
from wiretrace.ingest.records import RawRecord, ReadOptions, ReadResult, json_kind
from wiretrace.ingest.text import UTF16_BOMS, UTF16_WINDOW, decode_text, is_utf16, read_bytes

FIELDS = ("text", "title", "url", "outlet", "published", "author", "language")
# Column names seen in the wild for each field, tried after the field's own name.
_ALIASES = {
    "text": ("body", "content", "article", "maintext"),
    "published": ("published_at", "date", "date_publish", "pubdate", "timestamp"),
    "outlet": ("source", "site", "sitename", "domain", "source_domain"),
    "title": ("headline",),
    "url": ("link", "source_url"),
}

_SNIFF = 8192
# Bytes surrogateescape could not decode, and NUL (csv reads it since Python 3.11).
_BAD_BYTE = re.compile("[\udc80-\udcff\x00]")
csv.field_size_limit(sys.maxsize)  # article bodies are far longer than csv's 128 KiB default


def _open_binary(path: Path) -> IO[bytes]:
    """The file's bytes as a stream, gunzipped on the fly for '.gz'."""
    try:
        stream = gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")  # noqa: SIM115 - the caller closes it
        return cast(IO[bytes], stream)
    except OSError as exc:
        raise UnreadableInput(exc.strerror or str(exc), source=str(path)) from exc


def _check_start(stream: IO[bytes], path: Path) -> tuple[bytes, bool]:
    """The first bytes and whether the file is UTF-16, refusing empty, binary and broken gzip
    files before any record is read."""
    source = str(path)
    try:
        head = stream.peek(_SNIFF) if hasattr(stream, "peek") else b""
    except (OSError, EOFError, zlib.error) as exc:
        raise UnreadableInput(f"broken gzip: {exc}", source=source) from exc
    head = head[:_SNIFF]
    if not head.strip():
        raise UnreadableInput("empty file", source=source)
    if head.startswith(UTF16_BOMS) and is_utf16(_window(path)):
        return head, True  # decoded as UTF-16 by the reader
    # A stray NUL is one bad record; many NULs mean a binary file (or UTF-16 without a BOM).
    if head.count(b"\x00") * 100 > len(head):
        raise UnreadableInput("binary file, not text", source=source)
    return head, False


def _window(path: Path) -> bytes:
    """The first UTF16_WINDOW bytes (gunzipped), enough to weigh UTF-16 against UTF-8 even when
    the first records are longer than the sniffed head."""
    with _open_binary(path) as stream:
        try:
            return stream.read(UTF16_WINDOW)
        except (OSError, EOFError, zlib.error) as exc:
            raise UnreadableInput(f"broken gzip: {exc}", source=str(path)) from exc


def _load_whole(path: Path, options: ReadOptions, *, lenient: bool = False) -> str:
    """A whole (small) file as text: for a JSON array, which cannot be streamed line by line.

    `lenient`: bytes that are not UTF-8 become lone surrogates (surrogateescape) instead of
    refusing the file, so they cost only the record they are in (to_article repairs or the
    JSON parse refuses them); so does a stray NUL (JSON refuses it where it stands). The caller
    has already refused a binary file by its head (`_check_start`)."""
    data = read_bytes(path, options.max_bytes)
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise UnreadableInput(f"broken gzip: {exc}", source=str(path)) from exc
    try:
        return decode_text(data, str(path))
    except UnreadableInput:
        if not lenient or is_utf16(data):
            raise
        return data.decode("utf-8-sig", errors="surrogateescape")


def _pick(row: Mapping[str, Any], name: str, field_map: Mapping[str, str]) -> tuple[str, Any]:
    """(column, value) of the first of the field's columns that holds a value."""
    keys = (field_map[name],) if name in field_map else (name, *_ALIASES.get(name, ()))
    for key in keys:
        value = row.get(key)
        if value not in (None, ""):
            return key, value
    return keys[0], None


def _field_value(column: str, name: str, value: Any) -> str | None:
    """A field's value as text; ValueError naming the column when it is not text."""
    if value is None or isinstance(value, str):
        return value
    if name == "published" and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # dateutil reads some numeric dates; the rest become a warning
    raise ValueError(f"'{column}' must be a string, not {json_kind(value)}")


def record_from_row(
    row: Mapping[str, Any], *, source: str, record: int, options: ReadOptions
) -> RawRecord | RecordError:
    """A RawRecord from one mapped row, or a RecordError (no text, a field that is not text)."""
    values: dict[str, str | None] = {}
    for name in FIELDS:
        column, value = _pick(row, name, options.field_map)
        try:
            values[name] = _field_value(column, name, value)
        except ValueError as exc:
            return RecordError(str(exc), source=source, record=record)
    text = values["text"]
    if not text or not text.strip():
        column = options.field_map.get("text", "text")
        return RecordError(
            f"no '{column}' value (map it with --field text=COLUMN)", source=source, record=record
        )
    return RawRecord(
        text=text,
        source=source,
        record=record,
        title=values["title"] or "",
        url=values["url"],
        outlet=options.outlet or values["outlet"],
        published=values["published"] or options.published,
        author=values["author"],
        language=values["language"],
    )


def read_jsonl(path: Path, options: ReadOptions) -> ReadResult:
    """JSON Lines (one object per line, streamed: a crawl dump may be many GB) or a JSON array."""
    source = str(path)
    with _open_binary(path) as stream:
        head, utf16 = _check_start(stream, path)
        if utf16:  # decoded whole (within --max-bytes), then read as UTF-8 would be
            content = _load_whole(path, options)
            if content.lstrip().startswith("["):
                yield from _json_array(content, source, options)
                return
            for number, text_line in enumerate(content.split("\n"), 1):
                yield from _json_line(text_line.encode(), source, number, options)
            return
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if start.startswith(b"["):
            content = _load_whole(path, options, lenient=True)
            end = array_end(content)
            # More after the array's close: JSON Lines whose first record is an array. An array
            # that never closes is a cut-off array, or JSON Lines whose first line is junk that
            # opens one: whichever reading finds more objects wins.
            if (end is not None and not content[end:].strip()) or (
                end is None and _objects_in_array(content) >= _objects_in_lines(content)
            ):
                yield from _json_array(content, source, options)
                return
        elif start.startswith(b"{") and _first_line_is_not_json(start):
            document = _whole_document(path, options)
            if document is not None:  # else JSON Lines with a broken first line
                yield from _json_document(document, source, options)
                return
        number = 0
        while True:
            try:
                line = stream.readline(options.max_bytes + 1)
            except (OSError, EOFError, zlib.error) as exc:
                yield RecordError(f"broken gzip: {exc}", source=source, record=number + 1)
                return
            if not line:
                return
            number += 1
            if len(line) > options.max_bytes:
                yield RecordError(
                    f"record over the {options.max_bytes:,}-byte cap", source=source, record=number
                )
                _skip_rest_of_line(stream)
                continue
            yield from _json_line(line, source, number, options)


def _objects_in_array(content: str) -> int:
    """How many JSON objects reading `content` as one JSON array finds."""
    return sum(isinstance(item, dict) for item in array_items(content))


def _objects_in_lines(content: str) -> int:
    """How many JSON objects reading `content` as JSON Lines finds."""
    found = 0
    for line in content.split("\n"):
        if line.lstrip().startswith("{"):
            try:
                found += isinstance(loads_bounded(line), dict)
            except ValueError:
                continue
    return found


def _first_line_is_not_json(head: bytes) -> bool:
    """True when the first line is complete and is no JSON value: an indented JSON document."""
    line, newline, _ = head.partition(b"\n")
    if not newline:
        return False  # a first record longer than the sniffed bytes: JSON Lines
    try:
        json.loads(line)
    except ValueError:
        return True
    return False


def _whole_document(path: Path, options: ReadOptions) -> dict[str, Any] | None:
    """The file as one JSON object over several lines, or None when it is not one."""
    try:
        document = loads_bounded(_load_whole(path, options))
    except (UnreadableInput, ValueError):
        return None
    return document if isinstance(document, dict) else None


def _json_document(document: dict[str, Any], source: str, options: ReadOptions) -> ReadResult:
    """One JSON object over several lines: an article when it has a text field, else no input."""
    found = record_from_row(document, source=source, record=1, options=options)
    if isinstance(found, RecordError) and _pick(document, "text", options.field_map)[1] is None:
        keys = ", ".join(sorted(document)[:6])
        raise NotAnArticle(
            f"a JSON document with no article text (its keys: {keys}); not an article",
            source=source,
        )
    yield found


def _skip_rest_of_line(stream: IO[bytes]) -> None:
    while True:
        chunk = stream.readline(1 << 20)
        if not chunk or chunk.endswith(b"\n"):
            return


def _json_line(line: bytes, source: str, number: int, options: ReadOptions) -> ReadResult:
    if not line.strip():
        return
    try:
        row = loads_bounded(line.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        yield RecordError(f"not valid UTF-8 (byte {exc.start})", source=source, record=number)
        return
    except json.JSONDecodeError as exc:
        yield RecordError(
            f"invalid JSON: {exc.msg} at column {exc.colno}", source=source, record=number
        )
        return
    except JsonLimitError as exc:
        yield RecordError(str(exc), source=source, record=number)
        return
    yield _row_record(row, source, number, options)


def _row_record(
    row: Any, source: str, number: int, options: ReadOptions
) -> RawRecord | RecordError:
    if not isinstance(row, dict):
        return RecordError(f"not a JSON object but {json_kind(row)}", source=source, record=number)
    return record_from_row(row, source=source, record=number, options=options)


def _json_array(content: str, source: str, options: ReadOptions) -> ReadResult:
    """Each element of a JSON array parsed on its own: a broken one costs only itself."""
    for number, item in enumerate(array_items(content), 1):
        if isinstance(item, JsonLimitError | json.JSONDecodeError):
            message = (
                f"invalid JSON: {item.msg}" if isinstance(item, json.JSONDecodeError) else str(item)
            )
            yield RecordError(message, source=source, record=number)
        else:
            yield _row_record(item, source, number, options)


def read_csv(path: Path, options: ReadOptions) -> ReadResult:
    """CSV or TSV with a header row, streamed; record numbers count data rows from 1.

    Bytes that are not UTF-8 are decoded as lone surrogates (surrogateescape), so a bad byte
    costs only the row it is in.
    """
    source = str(path)
    delimiter = "\t" if ".tsv" in path.suffixes else ","
    with _open_binary(path) as stream:
        utf16 = _check_start(stream, path)[1]
        encoding = "utf-16" if utf16 else "utf-8-sig"
        text = io.TextIOWrapper(stream, encoding=encoding, errors="surrogateescape", newline="")
        reader = csv.DictReader(text, delimiter=delimiter)
        number = 0
        while True:
            number += 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # one malformed line; the reader goes on with the next
                yield RecordError(f"malformed CSV row: {exc}", source=source, record=number)
                continue
            except (OSError, EOFError, zlib.error) as exc:
                yield RecordError(f"broken file: {exc}", source=source, record=number)
                return
            if None in row:  # more cells than header columns
                yield RecordError(
                    "row has more cells than the header", source=source, record=number
                )
                continue
            bad = next(
                (v for v in row.values() if isinstance(v, str) and _BAD_BYTE.search(v)), None
            )
            if bad is not None:
                yield RecordError(
                    "not valid UTF-8 (a byte that is not UTF-8, or NUL, in this row)",
                    source=source,
                    record=number,
                )
                continue
            yield record_from_row(row, source=source, record=number, options=options)
