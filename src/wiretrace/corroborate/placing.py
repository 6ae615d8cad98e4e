"""Where a claim happened: places found in text, the countries a text is about, the main place.

Place names are found by scanning runs of capitalised words (with the Arabic article particles
"al-", "ash-" ... between them) and resolving the longest run that names a place below country
level (`places.resolve_local`). Towns known only to the local gazetteer, and names matched on
their transliteration skeleton, count only in a country the text is about: the countries it
names ("Syria", "Syrian"), then the countries of the cities it names, most often named first.

A claim's place is the first place in its own sentence; a claim whose sentence names none takes
the article's main place: the first place in the first sentence carrying an incident figure,
else in the title, else in the opening text, else the dateline (a dateline says where the
report was filed, "BEIRUT (Reuters) -", which for a war is often not where it happened).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from wiretrace.claims.places import (
    STREET_WORDS,
    Place,
    country_of,
    fold,
    resolve_in_region,
    resolve_local,
    resolve_place,
    us_state_after,
)
from wiretrace.doc.words import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
    lowered,
)
from wiretrace.doc.words import word_set as _words

_TOKEN = re.compile(r"[^\W\d_][\w‘’'ʿ]*")
_PARTICLES = _words("al ar as ash ad adh an at ath az el es ez ed en et bin ibn abu umm bani deir")
# Capitalised words that open sentences or name times, not places (some are towns elsewhere).
_NOT_PLACES = _words(
    """
    the a an in on at of and but he she it they we this that there these those his her its
    date today yesterday tags posted published
    updated photo video reuters afp president minister army police state news media
    observatory council government regime coalition forces islamic syrian human rights
    """
) | lowered(WEEKDAYS, WEEKDAY_ABBREVIATIONS, MONTHS, MONTH_ABBREVIATIONS)
# What follows a name that is not the place of an event: "Damascus-based", "Beirut regime".
_NOT_AFTER = re.compile(
    r"^(?:-|\s)(?:based|backed|led|linked|allied|affiliated|regime|government|said|says|"
    r"announced|accused|claimed|denied)\b",
    re.IGNORECASE,
)
_MAX_WORDS = 4
# A country counts as what a text is about when it is named at least half as often as the most
# named one ("Russian jets", "US officials" in a story about Syria are parties, not places).
_MAIN_SHARE = 2
_LEAD_CHARS = 1500
# A name that is neither a city of the main gazetteer nor spelled like the town it resolved to
# (a transliteration skeleton hit: "House" -> "Hisya", "Kerry" -> "Qarah") must still look like
# it: folded, without the article, at least this similar (rapidfuzz ratio; "Idleb" / "Idlib" 80).
_LOOSE_SIMILARITY = 80.0
_ARTICLE = re.compile(r"^(?:a[lnrsdtz]|e[lnrsdtz]|ash|adh|ath) ")


def _bare(name: str) -> str:
    return _ARTICLE.sub("", fold(name).replace("-", " "))


def _believable(name: str, place: Place) -> bool:
    """Whether a resolved name looks like its place (not a skeleton hit on an ordinary word)."""
    if resolve_place(name) is not None:
        return True
    return fuzz.ratio(_bare(name), _bare(place.name)) >= _LOOSE_SIMILARITY


_DATELINE_CHARS = 80


@dataclass(frozen=True, slots=True)
class Found:
    """A place named in a text, with its offsets."""

    start: int
    end: int
    place: Place


def _runs(text: str) -> list[list[re.Match[str]]]:
    """Runs of words joined by a space or hyphen, each starting with a capital or particle."""
    runs: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        joined = current and text[current[-1].end() : match.start()] in (" ", "-")
        usable = word[0].isupper() or word.casefold() in _PARTICLES
        if usable and (joined or not current):
            current.append(match)
            continue
        if current:
            runs.append(current)
        current = [match] if usable else []
    if current:
        runs.append(current)
    return runs


def countries_of(text: str) -> list[str]:
    """ISO codes of the countries a text is about, most often named first.

    A country counts once for each time it is named ("Syria", "Syrian") and for each of its
    cities named by their own name ("Erbil"); the countries counted at least half as often as
    the first are kept.
    """
    named: Counter[str] = Counter()
    cities: Counter[str] = Counter()
    for run in _runs(text):
        words = [m.group(0) for m in run]
        i = 0
        while i < len(words):
            step = 1
            for n in range(min(3, len(words) - i), 0, -1):
                name = " ".join(words[i : i + n])
                place = resolve_place(name)
                if place is not None and place.kind == "country" and place.country:
                    named[place.country] += 1
                elif n == 1 and (code := country_of(name)) is not None:
                    named[code] += 1
                elif (
                    place is not None
                    and place.country
                    and len(name) >= 5
                    and fold(place.name) == fold(name)
                    and name.casefold() not in _NOT_PLACES
                ):
                    cities[place.country] += 1
                else:
                    continue
                step = n
                break
            i += step
    ranked = (named + cities).most_common()
    if not ranked:
        return []
    return [code for code, count in ranked if count * _MAIN_SHARE >= ranked[0][1]]


def find_places(
    text: str, countries: Sequence[str] = (), offset: int = 0, *, capitals: bool = False
) -> list[Found]:
    """Places below country level named in a text, in text order (offsets + `offset`).

    A single word in capitals is a dateline ("BEIRUT -") or an agency ("SANA"), where the report
    was filed rather than where it happened; it counts only with `capitals`.
    """
    found: list[Found] = []
    for run in _runs(text):
        i = 0
        while i < len(run):
            first = run[i].group(0)
            hit = None
            if first[0].isupper() or i + 1 < len(run):
                for n in range(min(_MAX_WORDS, len(run) - i), 0, -1):
                    start, end = run[i].start(), run[i + n - 1].end()
                    name = text[start:end]
                    if n == 1 and (
                        name.casefold() in _NOT_PLACES
                        or len(name) < 4
                        or (name.isupper() and not capitals)
                        or country_of(name)
                    ):
                        continue
                    if not run[i + n - 1].group(0)[0].isupper():
                        continue
                    if _NOT_AFTER.match(text[end : end + 14]):
                        continue
                    if i + n < len(run) and run[i + n].group(0).casefold() in STREET_WORDS:
                        continue  # "Marrow Street": a street of the town, not a town
                    state = us_state_after(text[end : end + 24])
                    place = resolve_in_region(name, "US", state) if state else None
                    place = place or resolve_local(name, countries)
                    if place is not None and place.kind != "country" and _believable(name, place):
                        hit = Found(start + offset, end + offset, place)
                        i += n
                        break
            if hit is None:
                i += 1
            else:
                found.append(hit)
    return found


def first_place(text: str, countries: Sequence[str] = ()) -> Place | None:
    """The first place below country level named in a text, or None."""
    found = find_places(text, countries)
    return found[0].place if found else None


def main_place(
    title: str, text: str, figure_sentences: Sequence[str], countries: Sequence[str]
) -> Place | None:
    """An article's main place: first place of its first figure sentence, title, or lead."""
    for chunk in (*figure_sentences[:1], title, text[:_LEAD_CHARS]):
        place = first_place(chunk, countries)
        if place is not None:
            return place
    dateline = find_places(text[:_DATELINE_CHARS], countries, capitals=True)
    return dateline[0].place if dateline else None
