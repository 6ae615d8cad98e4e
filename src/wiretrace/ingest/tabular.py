"""JSON Lines, JSON arrays and CSV files: one article per record, columns mapped by name."""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, cast

from wiretrace.errors import RecordError, UnreadableInput
from wiretrace.ingest.records import RawRecord, ReadOptions, ReadResult
from wiretrace.ingest.text import decode_text, read_bytes

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
csv.field_size_limit(sys.maxsize)  # article bodies are far longer than csv's 128 KiB default


def _open_binary(path: Path) -> IO[bytes]:
    """The file's bytes as a stream, gunzipped on the fly for '.gz'."""
    try:
        stream = gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")  # noqa: SIM115 - the caller closes it
        return cast(IO[bytes], stream)
    except OSError as exc:
        raise UnreadableInput(exc.strerror or str(exc), source=str(path)) from exc


def _check_start(stream: IO[bytes], source: str) -> bytes:
    """The first bytes, refusing empty, binary and broken gzip files before any record is read."""
    try:
        head = stream.peek(_SNIFF) if hasattr(stream, "peek") else b""
    except (OSError, EOFError, zlib.error) as exc:
        raise UnreadableInput(f"broken gzip: {exc}", source=source) from exc
    head = head[:_SNIFF]
    if not head.strip():
        raise UnreadableInput("empty file", source=source)
    if b"\x00" in head:
        raise UnreadableInput("binary file, not text", source=source)
    return head


def _load_whole(path: Path, options: ReadOptions) -> str:
    """A whole (small) file as text: for a JSON array, which cannot be streamed line by line."""
    data = read_bytes(path, options.max_bytes)
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise UnreadableInput(f"broken gzip: {exc}", source=str(path)) from exc
    return decode_text(data, str(path))


def _pick(row: Mapping[str, Any], name: str, field_map: Mapping[str, str]) -> str | None:
    keys = (field_map[name],) if name in field_map else (name, *_ALIASES.get(name, ()))
    for key in keys:
        value = row.get(key)
        if value not in (None, ""):
            return str(value)
    return None


def record_from_row(
    row: Mapping[str, Any], *, source: str, record: int, options: ReadOptions
) -> RawRecord | RecordError:
    """A RawRecord from one mapped row, or a RecordError when it has no text."""
    values = {name: _pick(row, name, options.field_map) for name in FIELDS}
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
        head = _check_start(stream, source)
        if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
            yield from _json_array(_load_whole(path, options), source, options)
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


def _skip_rest_of_line(stream: IO[bytes]) -> None:
    while True:
        chunk = stream.readline(1 << 20)
        if not chunk or chunk.endswith(b"\n"):
            return


def _json_line(line: bytes, source: str, number: int, options: ReadOptions) -> ReadResult:
    if not line.strip():
        return
    try:
        row = json.loads(line.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        yield RecordError(f"not valid UTF-8 (byte {exc.start})", source=source, record=number)
        return
    except json.JSONDecodeError as exc:
        yield RecordError(
            f"invalid JSON: {exc.msg} at column {exc.colno}", source=source, record=number
        )
        return
    if not isinstance(row, dict):
        yield RecordError("not a JSON object", source=source, record=number)
        return
    yield record_from_row(row, source=source, record=number, options=options)


def _json_array(content: str, source: str, options: ReadOptions) -> ReadResult:
    try:
        rows = json.loads(content)
    except json.JSONDecodeError as exc:
        raise UnreadableInput(f"invalid JSON: {exc}", source=source) from exc
    if not isinstance(rows, list):
        raise UnreadableInput("a JSON file must hold an array of objects", source=source)
    for number, row in enumerate(rows, 1):
        if isinstance(row, dict):
            yield record_from_row(row, source=source, record=number, options=options)
        else:
            yield RecordError("not a JSON object", source=source, record=number)


def read_csv(path: Path, options: ReadOptions) -> ReadResult:
    """CSV or TSV with a header row, streamed; record numbers count data rows from 1."""
    source = str(path)
    delimiter = "\t" if ".tsv" in path.suffixes else ","
    with _open_binary(path) as stream:
        _check_start(stream, source)
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
        reader = csv.DictReader(text, delimiter=delimiter)
        number = 0
        while True:
            number += 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                yield RecordError(
                    f"not valid UTF-8 (byte {exc.start} of a read block); the rest "
                    "of the file is skipped",
                    source=source,
                    record=number,
                )
                return
            except (csv.Error, OSError, EOFError, zlib.error) as exc:
                yield RecordError(f"broken file: {exc}", source=source, record=number)
                return
            if None in row:  # more cells than header columns
                yield RecordError(
                    "row has more cells than the header", source=source, record=number
                )
                continue
            yield record_from_row(row, source=source, record=number, options=options)
