"""JSON Lines, JSON arrays and CSV files: one article per record, columns mapped by name."""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

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

csv.field_size_limit(sys.maxsize)  # article bodies are far longer than csv's 128 KiB default


def _load(path: Path, options: ReadOptions) -> str:
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
    """JSON Lines (one object per line) or one JSON array of objects."""
    source = str(path)
    content = _load(path, options)
    if content.lstrip().startswith("["):
        try:
            rows = json.loads(content)
        except json.JSONDecodeError as exc:
            raise UnreadableInput(f"invalid JSON: {exc}", source=source) from exc
        lines: Iterator[tuple[int, Any]] = ((i, row) for i, row in enumerate(rows, 1))
    else:
        lines = _json_lines(content)
    for number, row in lines:
        if isinstance(row, RecordError):
            yield RecordError(row.reason, source=source, record=number)
        elif not isinstance(row, dict):
            yield RecordError("not a JSON object", source=source, record=number)
        else:
            yield record_from_row(row, source=source, record=number, options=options)


def _json_lines(content: str) -> Iterator[tuple[int, Any]]:
    for number, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, RecordError(f"invalid JSON: {exc.msg} at column {exc.colno}")


def read_csv(path: Path, options: ReadOptions) -> ReadResult:
    """CSV or TSV with a header row; record numbers count data rows from 1."""
    source = str(path)
    content = _load(path, options)
    delimiter = "\t" if ".tsv" in path.suffixes else ","
    reader = csv.DictReader(io.StringIO(content, newline=""), delimiter=delimiter)
    number = 0
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RecordError(f"broken CSV: {exc}", source=source, record=number)
            return
        if None in row:  # more cells than header columns
            yield RecordError("row has more cells than the header", source=source, record=number)
            continue
        yield record_from_row(row, source=source, record=number, options=options)
