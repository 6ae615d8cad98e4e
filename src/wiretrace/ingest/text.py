"""Plain-text articles: first line the title, a blank line, then the body; optional JSON sidecar."""

from __future__ import annotations

import codecs
from pathlib import Path

from wiretrace.errors import UnreadableInput
from wiretrace.ingest.json_limits import loads_bounded
from wiretrace.ingest.records import RawRecord, ReadOptions, ReadResult, json_kind

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


UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


UTF16_WINDOW = 1 << 20  # the bytes weighed to tell UTF-16 from UTF-8 behind a BOM-like start


def is_utf16(head: bytes) -> bool:
    """True when the bytes start with a UTF-16 byte-order mark (Windows "Unicode" text) and read
    as UTF-16 at least as well as they read as UTF-8.

    Two bytes FF FE (or FE FF) can also open a UTF-8 file whose first record is junk: decoded as
    UTF-16, such a file turns into one line of CJK-looking noise and every good record after it
    is lost. So the two readings of the first `UTF16_WINDOW` bytes are weighed by their clean
    lines (ended by a newline, neither NUL nor undecodable bytes in them): real UTF-16 text read
    as UTF-8 has a NUL in every line (ASCII) or invalid sequences (other scripts), while UTF-8
    read as UTF-16 has almost no newline. A tie (one line, nothing to weigh) trusts the BOM."""
    if not head.startswith(UTF16_BOMS):
        return False
    window = head[:UTF16_WINDOW]
    as_utf16 = window[: len(window) // 2 * 2].decode("utf-16", errors="replace")
    as_utf8 = window.decode("utf-8", errors="replace")
    return _clean_lines(as_utf16) >= _clean_lines(as_utf8)


def _clean_lines(text: str) -> int:
    """Lines ended by a newline that are not blank and hold no NUL or undecodable bytes."""
    lines = text.split("\n")[:-1]  # the last one may be cut by the window
    return sum(1 for line in lines if line.strip() and "\ufffd" not in line and "\x00" not in line)


def decode_text(data: bytes, source: str) -> str:
    """Strict UTF-8 (a BOM is dropped), or UTF-16 when a BOM says so; binary or mis-encoded files
    are refused, not guessed."""
    if not data.strip():
        raise UnreadableInput("empty file", source=source)
    if is_utf16(data):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableInput(
                f"starts with a UTF-16 byte-order mark but is not valid UTF-16 (byte {exc.start})",
                source=source,
            ) from exc
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
        meta = loads_bounded(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UnreadableInput(f"bad sidecar JSON: {exc}", source=str(meta_path)) from exc
    if not isinstance(meta, dict):
        raise UnreadableInput("sidecar must hold a JSON object", source=str(meta_path))
    for key, value in meta.items():
        if value is not None and not isinstance(value, str):
            raise UnreadableInput(
                f"sidecar field '{key}' must be a string, not {json_kind(value)}",
                source=str(meta_path),
            )
    return {k: v for k, v in meta.items() if v is not None}


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
