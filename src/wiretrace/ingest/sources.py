"""Turn what the user named (paths, directories, globs, URLs) into inputs; pick their readers."""

from __future__ import annotations

import glob
import gzip
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from wiretrace.errors import InputError, InputNotFound, UnreadableInput
from wiretrace.ingest.records import ReadOptions, ReadResult

FORMATS = ("text", "html", "jsonl", "csv", "warc", "feed")
_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".warc": "warc",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}
Reader = Callable[[Path, ReadOptions], ReadResult]


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def is_url(item: str) -> bool:
    """An http(s) URL, whatever the case of its scheme ("HTTP://" too)."""
    return item[:8].lower().startswith(("http://", "https://"))


def local_input(item: str) -> str:
    """A `file://` URL as the path it names; other inputs unchanged. InputError for a file URL
    on another host or a scheme that is neither http(s) nor file."""
    found = _SCHEME.match(item)
    if found is None or is_url(item):
        return item
    scheme = found.group(1).lower()
    if scheme != "file":
        raise InputError(
            f"cannot read {scheme}:// URLs; give a file, a directory, or an http(s) or file:// URL",
            source=item,
        )
    parts = urlsplit(item)
    if parts.netloc not in ("", "localhost"):
        raise InputError(
            f"a file:// URL on another host ({parts.netloc}) cannot be read; copy the file here",
            source=item,
        )
    return url2pathname(unquote(parts.path))


def expand_inputs(items: list[str]) -> tuple[list[str | Path], list[InputError]]:
    """Files, directories (recursively), globs and URLs -> inputs, plus errors for no match."""
    inputs: list[str | Path] = []
    errors: list[InputError] = []
    for given in items:
        try:
            item = local_input(given)
        except InputError as exc:
            errors.append(exc)
            continue
        if is_url(item):
            inputs.append(item)
            continue
        path = Path(item)
        if path.is_dir():
            inputs.extend(_walk(path))
        elif path.exists():
            inputs.append(path)
        elif glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            files = [Path(m) for m in matches if Path(m).is_file()]
            for directory in (Path(m) for m in matches if Path(m).is_dir()):
                files.extend(_walk(directory))
            if files:
                inputs.extend(f for f in files if not _is_sidecar(f))
            else:
                errors.append(InputNotFound("no file matches this pattern", source=item))
        else:
            errors.append(InputNotFound("no such file or directory", source=item))
    return inputs, errors


def _walk(directory: Path) -> list[Path]:
    files = (p for p in sorted(directory.rglob("*")) if p.is_file())
    return [p for p in files if not _hidden(p, directory) and not _is_sidecar(p)]


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _is_sidecar(path: Path) -> bool:
    """'story.txt.json' beside 'story.txt' is metadata, not an input of its own."""
    return path.name.endswith(".json") and path.with_name(path.name[: -len(".json")]).is_file()


def detect_format(path: Path) -> str:
    """The reader for a file: by its suffix (ignoring .gz), else by sniffing its first bytes."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    if suffixes and suffixes[-1] in _BY_SUFFIX:
        found = _BY_SUFFIX[suffixes[-1]]
        return _sniff(path) if found == "feed" and suffixes[-1] == ".xml" else found
    return _sniff(path)


def _sniff(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
        if head[:2] == b"\x1f\x8b":
            with gzip.open(path, "rb") as handle:
                head = handle.read(2048)
    except (OSError, EOFError) as exc:
        raise UnreadableInput(f"cannot read: {exc}", source=str(path)) from exc
    lowered = head.lstrip().lower()
    if lowered.startswith(b"warc/"):
        return "warc"
    if b"<rss" in lowered or b"<feed" in lowered or b"<rdf:rdf" in lowered:
        return "feed"
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<body" in lowered:
        return "html"
    if lowered.startswith((b"{", b"[")):
        return "jsonl"
    return "text"


def reader_for(fmt: str) -> Reader:
    """The reading function for a format name (imported late: web readers pull in trafilatura)."""
    if fmt == "text":
        from wiretrace.ingest.text import read_text_file

        return read_text_file
    if fmt == "jsonl":
        from wiretrace.ingest.tabular import read_jsonl

        return read_jsonl
    if fmt == "csv":
        from wiretrace.ingest.tabular import read_csv

        return read_csv
    if fmt == "html":
        from wiretrace.ingest.html import read_html_file

        return read_html_file
    if fmt == "warc":
        from wiretrace.ingest.warc import read_warc

        return read_warc
    if fmt == "feed":
        from wiretrace.ingest.feeds import read_feed_file

        return read_feed_file
    raise ValueError(f"unknown input format {fmt!r}; choose from {', '.join(FORMATS)}")


def read_input(item: str | Path, options: ReadOptions, *, fmt: str | None = None) -> ReadResult:
    """Records from one input (file or URL)."""
    if isinstance(item, str):
        from wiretrace.ingest.urls import read_url

        return read_url(item, options)
    return reader_for(fmt or detect_format(item))(item, options)
