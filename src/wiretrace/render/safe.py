"""Untrusted text made safe for a terminal: control characters shown as escapes, never sent raw.

An article can hold ESC sequences (ESC ] 0; sets the terminal's title, ESC [ moves the cursor and
recolours), a carriage return that overwrites the line, C1 controls some terminals obey, and
bidirectional overrides that show text in another order than it is stored. Each is written as a
visible escape (`\\u001b`, `\\u202e`) in every text output; a tab and, where lines are expected,
a newline are kept.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 but tab and newline, DEL, C1, and the Unicode format controls that reorder or hide text.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"
_UNSAFE = re.compile(f"[{_CONTROLS}]")
_UNSAFE_OR_NEWLINE = re.compile(f"[{_CONTROLS}\n]")
# In JSON text, C0 controls are already escaped by json.dumps; the rest are not.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def _escape(match: re.Match[str]) -> str:
    # \uXXXX for all: the same spelling JSON uses, so escaped JSON text stays valid JSON.
    return f"\\u{ord(match.group()):04x}"


def escape_controls(text: str, *, newlines: bool = True) -> str:
    """`text` with every control character written as a visible escape (newlines kept if asked)."""
    pattern = _UNSAFE if newlines else _UNSAFE_OR_NEWLINE
    return pattern.sub(_escape, text)


def escape_tree(value: Any, *, newlines: bool = True) -> Any:
    """A copy of a JSON-like value with every string passed through `escape_controls`."""
    if isinstance(value, str):
        return escape_controls(value, newlines=newlines)
    if isinstance(value, dict):
        return {key: escape_tree(item, newlines=newlines) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [escape_tree(item, newlines=newlines) for item in value]
    return value


def safe_json(payload: Any, *, indent: int | None = 2) -> str:
    """JSON for a terminal: C0 controls escaped by json, C1 and format controls as \\uXXXX too
    (they can only occur inside strings, so the result is the same JSON value)."""
    text = json.dumps(payload, ensure_ascii=False, indent=indent, default=str)
    return _JSON_UNSAFE.sub(_escape, text)
