"""Word lists shared by the rule-based components: a set of words written as one text block, and
the English month and weekday names, taken from dateutil's parser tables (the same names it
reads dates with) rather than typed out again in every module that needs them."""

from __future__ import annotations

from collections.abc import Sequence

from dateutil.parser import parserinfo


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text` (word lists are written as text blocks)."""
    return frozenset(text.split())


def _names(table: Sequence[tuple[str, ...]]) -> tuple[frozenset[str], frozenset[str]]:
    """(full names, short forms) of dateutil's table; each entry ends with the full name."""
    full = frozenset(entry[-1] for entry in table)
    short = frozenset(form for entry in table for form in entry[:-1])
    return full, short


# "January", ...; "Jan", ..., "Sep", "Sept", ... ("May" is both).
MONTHS, MONTH_ABBREVIATIONS = _names(parserinfo.MONTHS)
# "Monday", ...; "Mon", ..., "Sun".
WEEKDAYS, WEEKDAY_ABBREVIATIONS = _names(parserinfo.WEEKDAYS)


def lowered(*word_sets: frozenset[str]) -> frozenset[str]:
    """The union of the sets, lower-cased."""
    return frozenset(word.lower() for words in word_sets for word in words)
