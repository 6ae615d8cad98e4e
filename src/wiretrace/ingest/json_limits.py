"""JSON read with its limits checked before parsing: nesting depth and the length of numbers.

`json.loads` raises RecursionError on a value nested some thousands deep and ValueError on an
integer of more than 4,300 digits; both are one broken record, never the end of a file. A JSON
array is cut into its elements first, so each is parsed (and can fail) on its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

MAX_DEPTH = 64  # a news record is a flat object; deeper nesting is junk or an attack
MAX_DIGITS = 100  # no field of an article is a number this long

# A complete JSON string (escapes included), or one structural character.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},]')


class JsonLimitError(ValueError):
    """A JSON value over a limit (nesting depth, digits in a number); a record error."""


def _int(text: str) -> int:
    digits = len(text) - text.startswith("-")
    if digits > MAX_DIGITS:
        raise JsonLimitError(f"a number with {digits:,} digits (the limit is {MAX_DIGITS})")
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_DIGITS + 20:
        raise JsonLimitError(f"a number {len(text):,} characters long (the limit is {MAX_DIGITS})")
    return float(text)


def _depth_over(text: str, start: int = 0, end: int | None = None) -> int:
    """The nesting depth of text[start:end] when it is over MAX_DEPTH, else 0 (strings skipped)."""
    depth = deepest = 0
    for match in _TOKEN.finditer(text, start, len(text) if end is None else end):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest if deepest > MAX_DEPTH else 0


def loads_bounded(text: str) -> Any:
    """json.loads with the depth and number limits (JsonLimitError), checked first."""
    if text.count("[") + text.count("{") > MAX_DEPTH:  # cheap: only then can it be too deep
        deepest = _depth_over(text)
        if deepest:
            raise JsonLimitError(f"JSON nested {deepest:,} levels deep (the limit is {MAX_DEPTH})")
    return json.loads(text, parse_int=_int, parse_float=_float)


def array_end(content: str) -> int | None:
    """Where the JSON array that starts at the first "[" of `content` closes (the index after its
    "]"), or None when it never does."""
    depth = 0
    for match in _TOKEN.finditer(content, content.find("[")):
        token = match.group()
        if token in "[{":
            depth += 1
        elif token in "]}":
            depth -= 1
            if depth == 0:
                return match.end()
    return None


def array_items(
    content: str, start: int | None = None, *, rest_allowed: str = ""
) -> Iterator[Any | JsonLimitError | json.JSONDecodeError]:
    """Each element of the JSON array in `content` (from its first "[", or `start`): its value,
    or the error parsing it. After the closing bracket only whitespace and `rest_allowed` may
    follow."""
    start = content.find("[") if start is None else start
    depth = 0
    item_start = start + 1
    closed = False
    for match in _TOKEN.finditer(content, start):
        token = match.group()
        if token in "[{":
            depth += 1
        elif token in "]}":
            depth -= 1
            if depth == 0:
                yield from _item(content, item_start, match.start(), last=True)
                closed = True
                break
        elif token == "," and depth == 1:
            yield from _item(content, item_start, match.start(), last=False)
            item_start = match.end()
    if not closed:
        rest = content[item_start:]
        yield json.JSONDecodeError("the file ends inside the array", rest, len(rest))
    elif content[match.end() :].strip(" \t\r\n" + rest_allowed):
        yield json.JSONDecodeError("extra data after the array's closing bracket", content, 0)


def object_array_items(
    content: str, key: str = "articles"
) -> list[Any | JsonLimitError | json.JSONDecodeError] | None:
    """The items of `{"key": [...]}` each parsed on its own, or None when `content` is not an
    object of that one key (so one item over a limit costs only itself, as in a JSON array file)."""
    start = re.match(r'\s*\{\s*"' + re.escape(key) + r'"\s*:\s*\[', content)
    if start is None:
        return None
    return list(array_items(content, start.end() - 1, rest_allowed="}"))


def _item(content: str, start: int, end: int, *, last: bool) -> Iterator[Any]:
    piece = content[start:end]
    if last and not piece.strip():
        return  # "[]" or a trailing "]" after the last element
    try:
        yield loads_bounded(piece)
    except (JsonLimitError, json.JSONDecodeError) as exc:
        yield exc
