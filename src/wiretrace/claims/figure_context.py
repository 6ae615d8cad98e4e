"""Who, where, when and says who, for the counts of one sentence: the nearest cue of each kind.

Actor (the subject of a casualty verb, or "by ..."), place (a capitalised name after a place
preposition), date (`dates.py`) and attribution (an "according to" phrase or the noun phrase
before a cue verb), each with its offsets, so `figures.py` can give a count the nearest one.
Simple, self-contained heuristics: the gazetteer and quote extraction live elsewhere.
"""

from __future__ import annotations

import re
from datetime import date

from wiretrace.claims import figure_words as fw
from wiretrace.claims.dates import find_dates
from wiretrace.claims.places import STREET_WORDS
from wiretrace.doc.scan import WordStarts
from wiretrace.doc.words import MONTHS, WEEKDAYS

_ACTOR_HEAD = (
    r"(?:air\s*strikes?|air\s*raids?|raids?|strikes?|shelling|bombardment|barrel\s+bombs?|bombs?"
    r"|bomber|bombing|rockets?|missiles?|mortars?|shells|forces|troops|fighters|militants"
    r"|jihadists|rebels|regime|army|coalition|warplanes?|jets?|aircraft|helicopters?|gunmen"
    r"|snipers?|militias?|group|IS|ISIS|ISIL|Daesh|terrorists)"
)
_ACTOR_WORD = (
    r"(?:(?!(?:and|or|the|of|in|on|at|were|was|killed|said|by|with|which|that)\b)[\w'-]+\s+)"
)
_ACTOR_BY = WordStarts(
    re.compile(rf"\bby\s+(?:an?\s+|the\s+)?({_ACTOR_WORD}{{0,4}}?{_ACTOR_HEAD})\b")
)
# The subject before a casualty verb: found from the verb back, so the costly pattern only
# ever runs on a short window ending at a verb.
_ACTOR_VERBS = (
    "killed", "kills", "kill", "killing", "left", "hit", "struck", "targeted", "wounded",
)  # fmt: skip
_ACTOR_VERB = WordStarts(re.compile(r"\b(?:" + "|".join(_ACTOR_VERBS) + r")\b"))
_ACTOR_SUBJ = re.compile(rf"\b((?:an?\s+|the\s+)?{_ACTOR_WORD}{{0,3}}{_ACTOR_HEAD})\s+(?:\w+\s+)?$")
# An actor head word ending a token: what the subject pattern needs at one of the last two
# tokens before the verb (it ends in `\s+(?:\w+\s+)?$`; a head of two words ends in one).
_HEAD_END = re.compile(rf"{_ACTOR_HEAD}$")


def _head_before(window: str) -> bool:
    """Whether `_ACTOR_SUBJ` can match this window (text up to a verb): it ends in whitespace
    and one of its last two tokens ends in a head word. A test on two tokens, where the subject
    pattern is tried at every word start of the window."""
    if not window[-1:].isspace():
        return False
    return any(_HEAD_END.search(token) for token in window.split()[-2:])


# Every pattern below opens with `\b` and a word: run from a scan for word starts (doc/scan.py).
_PLACE_PREP = re.compile(
    r"\b(?:in|near|at|outside|around|of|from|into|on|targeting|hit|across)\s+(?:the\s+)?"
    r"(?:(?:town|city|village|province|district|neighbou?rhood|area|areas|countryside|suburbs?"
    r"|region|governorate|outskirts|of|and|Syrias|Syria['’]s|\w+-(?:held|controlled|run)"
    r"|besieged|(?:north|south)?(?:east|west)?(?:ern)?|north|south|central)\s+){0,4}"
    r"((?:(?:al|el|ad|as|ar|ash|ad|at|az|an|ez|es)-)?[A-Z][\w'’]*(?:-[\w'’]+)*"
    r"(?:\s+(?:(?:al|el|ad|as|ar|ash|at|az|an|ez|es)-)?[A-Z][\w'’]*(?:-[\w'’]+)*){0,2})"
)
_PLACE_PREPS = WordStarts(_PLACE_PREP)
_NOT_PLACE = (
    fw.word_set(
        "The A An This That Syrian Syrians Russian Islamic State Observatory Reuters AFP AP SANA "
        "Human Rights He She They It UN US U.S."
    )
    | WEEKDAYS
    | MONTHS
)
_COUNTRIES = fw.word_set("Syria Iraq Turkey Lebanon Jordan Israel Russia Iran")
_CUES = (
    "said", "says", "reported", "reports", "told", "announced", "stated", "claimed", "added",
    "confirmed", "documented", "estimated",
)  # fmt: skip
_CUE = WordStarts(re.compile(r"\b(?:" + "|".join(_CUES) + r")\b"))
_ACCORDING = re.compile(
    r"\baccording\s+to\s+((?:(?!(?:on|in|at|who|which|that|and|said|while|after)\b)[\w'’.-]+\s*){1,8})"
)
_NP_STOP = fw.word_set(
    "on in at near by from after before during killed wounded said told that which who while as "
    "when is was were has have had and but or he she they it his her their to of"
)
_DETS = fw.word_set("the a an")
_NP_WORD = re.compile(r"[\w'’.-]+")


def _source_before(sent: str, cue_start: int) -> str | None:
    """The noun phrase right before an attribution cue ("the Syrian Observatory ... said")."""
    words = _NP_WORD.findall(sent, max(0, cue_start - 120), cue_start)[-8:]
    taken: list[str] = []
    for word in reversed(words):
        low = word.lower()
        if (low in _NP_STOP and low not in ("of", "for") and word[0].islower()) or word[
            0
        ].isdigit():
            break
        if low in ("on", "in", "at") or (low.capitalize() in _NOT_PLACE and low.endswith("day")):
            break
        taken.append(word)
    taken.reverse()
    while taken and not (taken[0][0].isupper() or taken[0].lower() in _DETS):
        taken.pop(0)
    while taken and taken[-1].lower() in ("of", "for", "the"):
        taken.pop()
    return " ".join(taken) or None


def nearest(spans: list[tuple[int, int, str]], start: int, end: int) -> str | None:
    best, best_gap = None, 10**9
    for s, e, text in spans:
        gap = s - end if s >= end else start - e if e <= start else 0
        if gap < best_gap:
            best, best_gap = text, gap
    return best


def sentence_context(
    sent: str, published: date | None, actors: bool = True
) -> dict[str, list[tuple[int, int, str]]]:
    """Actor (only when asked: quantities have none), place, date and attribution candidates of
    one sentence, with offsets."""
    ctx: dict[str, list[tuple[int, int, str]]] = {"actor": [], "place": [], "other": []}
    # Substring tests first (in C): each pattern needs its literal word, and most sentences
    # have neither.
    for m in _ACTOR_BY.finditer(sent) if actors and "by" in sent else ():
        ctx["actor"].append((m.start(1), m.end(1), m.group(1)))
    verbs = actors and any(word in sent for word in _ACTOR_VERBS)
    for verb in _ACTOR_VERB.finditer(sent) if verbs else ():
        left = max(0, verb.start() - 70)
        if not _head_before(sent[left : verb.start()]):
            continue
        found = _ACTOR_SUBJ.search(sent, left, verb.start())
        if found:
            ctx["actor"].append((found.start(1), found.end(1), found.group(1)))
    for m in _PLACE_PREPS.finditer(sent):
        name = m.group(1)
        first = name.split()[0]
        if first in _NOT_PLACE or (first.isupper() and len(first) <= 4):
            continue
        if name.split()[-1].rstrip(".").casefold() in STREET_WORDS:
            continue  # "on Selma Avenue": a street, where in a town, not the town
        name = re.sub(r"(?:['’]s|s)$", "", name) if name in ("Syrias", "Syria's") else name
        bucket = "other" if name in _COUNTRIES else "place"
        ctx[bucket].append((m.start(1), m.end(1), name))
    ctx["date"] = [(s, e, day.isoformat()) for s, e, day in find_dates(sent, published)]
    ctx["source"] = []
    for m in _ACCORDING.finditer(sent) if "according" in sent else ():
        ctx["source"].append((m.start(), m.end(), m.group(1).strip().rstrip(".")))
    for m in _CUE.finditer(sent) if any(word in sent for word in _CUES) else ():
        source = _source_before(sent, m.start())
        if source:
            ctx["source"].append((m.start(), m.end(), source))
    return ctx
