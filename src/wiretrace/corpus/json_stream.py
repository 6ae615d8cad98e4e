"""Canonical JSON written piece by piece: the text `json.dumps(document, sort_keys=True,
ensure_ascii=False, indent=1)` gives, without the document or its text ever held whole.

With an indent, `json.dumps` writes an object's keys in sorted order, each on its own line, and
a list's items one a line, each nested one level deeper. An item's own `json.dumps` text can be
indented to its depth by padding every line break, because JSON strings never hold a raw line
break (json escapes it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

INDENT = 1
# What json.dumps(value, sort_keys=True, ensure_ascii=False, indent=INDENT) makes for each call.
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, indent=INDENT)


def dumps(value: Any) -> str:
    """A value's canonical JSON text, at depth 0."""
    return _ENCODER.encode(value)


@dataclass(frozen=True, slots=True)
class Streamed:
    """A list given as an iterable of its items: written one item at a time."""

    items: Iterable[Any]


def write_object(handle: TextIO, fields: Mapping[str, Any]) -> None:
    """A top-level object whose values are JSON values or `Streamed` lists."""
    if not fields:
        handle.write("{}")
        return
    handle.write("{")
    for n, key in enumerate(sorted(fields)):
        handle.write(f"{',' if n else ''}\n{_pad(1)}{dumps(key)}: ")
        value = fields[key]
        if isinstance(value, Streamed):
            _write_list(handle, value.items, 1)
        else:
            handle.write(_at_depth(dumps(value), 1))
    handle.write("\n}")


def _write_list(handle: TextIO, items: Iterable[Any], depth: int) -> None:
    opened = False
    for item in items:
        handle.write(f"{',' if opened else '['}\n{_pad(depth + 1)}")
        handle.write(_at_depth(dumps(item), depth + 1))
        opened = True
    handle.write(f"\n{_pad(depth)}]" if opened else "[]")


def _pad(depth: int) -> str:
    return " " * (INDENT * depth)


def _at_depth(text: str, depth: int) -> str:
    return text.replace("\n", "\n" + _pad(depth))


def write_atomically(path: Path, write: Callable[[TextIO], None]) -> None:
    """Write a text file through a temporary file in the same directory, renamed into place when
    complete: a run that fails or is killed leaves no part of a file under `path`."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)  # a killed run's
    try:
        with tmp.open("w", encoding="utf-8", newline="") as handle:  # "\n" as json.dumps wrote it
            write(handle)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
