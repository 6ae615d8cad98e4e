"""`finditer` for patterns that match only after a given kind of character (a word boundary).

Python's `re` tries a pattern that opens with `\\b` or a lookbehind at every position of the
text; one that opens with a character class is searched by a fast scan in C for that class
first. `WordStarts` runs the pattern behind such a lead: a pattern whose matches all start right
after a character of `lead` (or at the start of the searched range) is searched as `lead` +
pattern, and each hit is matched again with the pattern itself one character on, so callers get
the very same match objects as `pattern.finditer` (same spans, groups, `lastgroup`), 1.5-2x
faster on news text.

The condition is the caller's to keep: for `\\b` + words (every alternative starts with a word
character) the lead is `\\W`; for `(?<![\\w-])` it is `[^\\w-]`. Matches must not be empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


class WordStarts:
    """A compiled pattern and its lead-character twin (see the module docstring)."""

    __slots__ = ("_lead", "pattern")

    def __init__(self, pattern: re.Pattern[str], lead: str = r"\W") -> None:
        self.pattern = pattern
        self._lead = re.compile(lead + "(?:" + pattern.pattern + ")", pattern.flags)

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        """The matches `self.pattern.finditer(text, pos, endpos)` gives, in order."""
        end = len(text) if endpos is None else min(endpos, len(text))
        match = self.pattern.match
        search = self._lead.search
        first = match(text, pos, end)
        if first is not None:
            yield first
            pos = first.end()
        else:
            pos += 1  # the lead's character sits before the match: search from pos - 1 below
        while True:
            hit = search(text, pos - 1, end)
            if hit is None:
                return
            found = match(text, hit.start() + 1, end)
            assert found is not None  # the lead matched the pattern right there
            yield found
            pos = found.end()

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """The first match, as `self.pattern.search(text, pos, endpos)`."""
        return next(self.finditer(text, pos, endpos), None)


# The characters that match an ASCII letter case-blind but do not lower-case to it, and that
# letter ("İ" lower-cases to two characters).
CASE_BLIND_ASCII = str.maketrans({"ı": "i", "ſ": "s", "İ": "i"})
_FOLD_EXCEPTIONS = frozenset(map(chr, CASE_BLIND_ASCII))


def _lowered(pattern: str) -> str:
    """The pattern with its letters lower-cased, escapes (`\\W`, `\\S`, `\\B`) and `(?P` kept."""
    out: list[str] = []
    escaped = False
    for n, ch in enumerate(pattern):
        keep = escaped or (ch == "P" and pattern[n - 2 : n] == "(?")
        out.append(ch if keep else ch.lower())
        escaped = not escaped and ch == "\\"
    return "".join(out)


class CaseBlind:
    """A case-blind (`re.IGNORECASE`) pattern searched case-sensitively in the lower-cased text.

    Python's `re` compares case-blind literals one character at a time and skips no alternative
    by its first letter; the same pattern in lower case on lower-cased text finds the same
    matches 2-3x faster. That holds when lower-casing keeps every offset and the text holds none
    of the two letters that match an ASCII letter case-blind without lower-casing to it ("ı",
    "ſ"); otherwise the pattern runs as it is. Each hit is matched again with the pattern itself
    on the text, so callers get the same match objects as `pattern.finditer` (original case in
    the groups). The pattern's letters are lower-cased as written: group names must be lower case.
    """

    __slots__ = ("_lower", "pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        if not pattern.flags & re.IGNORECASE:
            raise ValueError("CaseBlind needs a re.IGNORECASE pattern")
        self.pattern = pattern
        self._lower = re.compile(_lowered(pattern.pattern), pattern.flags & ~re.IGNORECASE)
        if self._lower.groupindex != pattern.groupindex:
            raise ValueError("CaseBlind needs lower-case group names")

    def finditer(self, text: str, lower: str | None = None) -> Iterator[re.Match[str]]:
        """The matches `self.pattern.finditer(text)` gives; `lower`: `text.lower()` if known."""
        low = text.lower() if lower is None else lower
        if len(low) != len(text) or not _FOLD_EXCEPTIONS.isdisjoint(text):
            yield from self.pattern.finditer(text)
            return
        match = self.pattern.match
        for hit in self._lower.finditer(low):
            found = match(text, hit.start())
            assert found is not None and found.end() == hit.end()  # the same pattern, case-blind
            yield found

    def search(self, text: str, lower: str | None = None) -> re.Match[str] | None:
        """The first match, as `self.pattern.search(text)`."""
        return next(self.finditer(text, lower), None)
