"""Date phrases in news sentences ("on Monday", "last week", "April 4") resolved to ISO dates.

A small resolver of our own instead of dateparser: news uses a handful of relative forms, and
resolving them is date arithmetic on the publication date. Rules (documented, deliberately simple):

* a weekday ("on Tuesday", "Tuesday's", "Tuesdays") is the latest such day on or before the
  publication date (news reports the past; a same-day weekday is the publication day itself);
* "today", "tonight", "this morning/evening/afternoon" are the publication day; "yesterday",
  "last night", "overnight" the day before;
* "last week" is seven days before (the date is a point inside the span, not its start);
  "last month" / "last year" keep the day and move the month / year back (day clamped);
* "N days/weeks ago" move back by that much;
* "April 4", "4 April", "April 4 2017", "4/4/2017" are absolute; without a year they take the
  publication year, or the previous year when that would put them after publication.

Anything else, or a relative phrase in an undated article, resolves to None.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from wiretrace.doc.scan import WordStarts

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_SMALL = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "a": 1}

# One pattern for every phrase we resolve; named groups say which rule applies.
DATE_PHRASE = re.compile(
    r"\b(?:"
    rf"(?P<wd>(?:{'|'.join(_WEEKDAYS)}))(?:['’]?s)?"
    r"|(?P<rel>today|tonight|yesterday|last\s+night|overnight|this\s+(?:morning|afternoon|evening)"
    r"|last\s+(?:week|month|year))"
    r"|(?P<ago_n>\d{1,2}|one|two|three|four|five|six|seven|a)\s+(?P<ago_u>days?|weeks?)\s+ago"
    rf"|(?P<md_m>{_MONTH_ALT})\.?\s+(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
    r"(?:,?\s+(?P<md_y>(?:19|20)\d\d))?"
    rf"|(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<dm_m>{_MONTH_ALT})\b\.?"
    r"(?:,?\s+(?P<dm_y>(?:19|20)\d\d))?"
    r"|(?P<n_m>\d{1,2})/(?P<n_d>\d{1,2})/(?P<n_y>(?:19|20)\d\d)"
    r")\b",
    re.IGNORECASE,
)


# The same pattern, case-sensitive, run on lower-cased text: Python's re compares case-blind
# alternations character by character, and this is ~3x faster. Every alternative opens with a
# word character after `\b`: searched from a scan for word starts (doc/scan.py).
_DATE_LOWER = WordStarts(re.compile(DATE_PHRASE.pattern))
# Words one of which every date phrase holds (weekdays, months, relative words) or "/" ("4/4").
_TRIGGER_ALTERNATIVES = (
    *_WEEKDAYS,
    *_MONTHS,
    "today",
    "tonight",
    "yesterday",
    "last",
    "overnight",
    "this",
    "ago",
    "/",
)
# Tested as substrings (in C, faster than one alternation tried at every position): those no
# other one is part of ("sep" stands for "sept" and "september").
_TRIGGERS = tuple(
    word
    for word in _TRIGGER_ALTERNATIVES
    if not any(other != word and other in word for other in _TRIGGER_ALTERNATIVES)
)


def find_dates(text: str, published: datetime | date | None) -> list[tuple[int, int, date]]:
    """Every date phrase of `text` that resolves, as (start, end, date)."""
    lower = text.lower()
    if not any(word in lower for word in _TRIGGERS):
        return []
    matches = DATE_PHRASE.finditer(text) if len(lower) != len(text) else _DATE_LOWER.finditer(lower)
    found = []
    for m in matches:
        day = resolve_match(m, published)
        if day is not None:
            found.append((m.start(), m.end(), day))
    return found


def _day(value: datetime | date | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _months_back(base: date, months: int) -> date:
    index = base.year * 12 + base.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(base.day, last))


def _absolute(month: int, day: int, year: str | None, base: date | None) -> date | None:
    if year:
        return _safe(int(year), month, day)
    if base is None:
        return None
    found = _safe(base.year, month, day)
    if found is not None and found > base:
        found = _safe(base.year - 1, month, day)
    return found


def resolve_match(match: re.Match[str], published: datetime | date | None) -> date | None:
    """The date a DATE_PHRASE match names, resolved against the publication date."""
    base = _day(published)
    groups = match.groupdict()
    if groups["md_m"]:
        return _absolute(_MONTHS[groups["md_m"].lower()], int(groups["md_d"]), groups["md_y"], base)
    if groups["dm_m"]:
        return _absolute(_MONTHS[groups["dm_m"].lower()], int(groups["dm_d"]), groups["dm_y"], base)
    if groups["n_m"]:
        return _safe(int(groups["n_y"]), int(groups["n_m"]), int(groups["n_d"]))
    if base is None:
        return None
    if groups["wd"]:
        back = (base.weekday() - _WEEKDAYS.index(groups["wd"].lower())) % 7
        return base - timedelta(days=back)
    if groups["ago_n"]:
        raw = groups["ago_n"].lower()
        count = int(raw) if raw.isdigit() else _SMALL[raw]
        unit = 7 if groups["ago_u"].lower().startswith("week") else 1
        return base - timedelta(days=count * unit)
    rel = " ".join(groups["rel"].lower().split())
    if rel in ("yesterday", "last night", "overnight"):
        return base - timedelta(days=1)
    if rel == "last week":
        return base - timedelta(days=7)
    if rel == "last month":
        return _months_back(base, 1)
    if rel == "last year":
        return _months_back(base, 12)
    return base  # today, tonight, this morning ...


def resolve_date(phrase: str, published: datetime | date | None) -> date | None:
    """Resolve the first date phrase in `phrase`; None when there is none or it cannot be dated."""
    match = DATE_PHRASE.search(phrase)
    return resolve_match(match, published) if match else None
