"""Plain-text articles: first line the title, a blank line, then the body; optional JSON sidecar."""

from __future__ import annotations

import json
from pathlib import Path

from wiretrace.errors import UnreadableInput
from wiretrace.ingest.records import RawRecord, ReadOptions, ReadResult

_SNIFF_BYTES = 8192


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes; UnreadableInput when it is too large or cannot be read."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UnreadableInput(
                f"file is {size:,} bytes, over the {max_bytes:,}-byte cap (--max-bytes)",
                source=str(path),
            )
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(exc.strerror or str(exc), source=str(path)) from exc


def decode_text(data: bytes, source: str) -> str:
    """Strict UTF-8 (a BOM is dropped); binary or mis-encoded files are refused, not guessed."""
    if not data.strip():
        raise UnreadableInput("empty file", source=source)
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise UnreadableInput("binary file, not text", source=source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableInput(
            f"not valid UTF-8 (byte {exc.start}); re-encode the file as UTF-8", source=source
        ) from exc


def split_title(content: str) -> tuple[str, str]:
    """(title, body): the first line is the title when a blank line follows it."""
    lines = content.lstrip("\ufeff\n\r ").split("\n", 2)
    if len(lines) >= 3 and not lines[1].strip() and lines[0].strip():
        return lines[0].strip(), lines[2]
    return "", content


def sidecar_path(path: Path) -> Path:
    """Where metadata for a text or HTML file lives: 'story.txt' -> 'story.txt.json'."""
    return path.with_name(path.name + ".json")


def read_sidecar(path: Path) -> dict[str, str]:
    """The sidecar's fields (url, outlet, published, author, title, language), or {}."""
    meta_path = sidecar_path(path)
    if not meta_path.is_file():
        return {}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UnreadableInput(f"bad sidecar JSON: {exc}", source=str(meta_path)) from exc
    if not isinstance(meta, dict):
        raise UnreadableInput("sidecar must hold a JSON object", source=str(meta_path))
    return {k: str(v) for k, v in meta.items() if v is not None}


def read_text_file(path: Path, options: ReadOptions) -> ReadResult:
    """One article from a plain-text file."""
    source = str(path)
    content = decode_text(read_bytes(path, options.max_bytes), source)
    title, body = split_title(content)
    if not body.strip():
        raise UnreadableInput("no article text after the title line", source=source)
    meta = read_sidecar(path)
    yield RawRecord(
        text=body,
        source=source,
        title=meta.get("title", title),
        url=options.url or meta.get("url"),
        outlet=options.outlet or meta.get("outlet"),
        author=meta.get("author"),
        published=options.published or meta.get("published"),
        language=meta.get("language"),
    )
