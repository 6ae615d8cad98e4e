"""Figures claimed in news text: casualty counts (who, by whom, where, when, says who) and quantities.

`find_figures` reads each sentence's numbers ("12", "1,200", "twenty-one", "dozens") and keeps
those tied to a casualty word (killed, dead, died, death toll, lost their lives, wounded, injured,
missing, displaced, fled) or followed by a unit ("35 miles", "230 families"). `casualty_summary`
picks the article's main incident and reports its deaths by group.

Amounts. `value` is the number the text states (what a coder copies); `low`/`high` are the
bounds its wording implies (UCDP GED's low/best/high estimates are the model):

=========================================  =======  =====  ======
wording                                     value    low    high
=========================================  =======  =====  ======
"12", "twelve", "a dozen"                   12       12     12
"at least 12", "no fewer than 12"           12       12     null
"more than 20", "over 20"                   20       21     null
"up to 30", "as many as 30", "at most 30"   30       null   30
"nearly 40", "almost 40", "close to 40"     40       null   40
"fewer than 40", "less than 40"             40       null   39
"about 50", "around", "some", "roughly"     50       null   null
"several", "a few", "a handful"             3        3      9
"dozens", "tens of"                         24       24     99
"scores"                                    40       40     99
"hundreds"                                  200      200    999
"thousands"                                 2000     2000   null
=========================================  =======  =====  ======

The vague rows are this module's choice, not a published standard: the smallest amount the plural
literally allows ("dozens" is at least two dozen) as value and low, and the next vague word's floor
as high. ACLED's codebook, as we recall it, codes vague reports more conservatively still (about 10
for "several"/"many", 12 for "dozens", 100 for "hundreds"); UCDP records a low and a high instead
of guessing one number. Check the current codebooks before relying on either recollection.

Groups: civilians (and civilian roles: residents, medics, volunteers ...), children, women,
non_civilians (fighters, soldiers, militants, rebels, troops, terrorists ...), people (people,
persons, others). Place, actor, date and attribution are the nearest cue in the same sentence:
simple and self-contained heuristics (the gazetteer and quote extraction live elsewhere).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from wiretrace.claims.dates import DATE_PHRASE, resolve_match
from wiretrace.edits import is_number_token, number_value
from wiretrace.model import Article

# Arabic-Indic and Persian digits map to ASCII one for one, so offsets stay valid.
_DIGIT_MAP = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_][\w'’]*(?:-[\w'’]+)*|[^\w\s]")
# Cheap pre-check: sentences without a digit or number word cannot hold a figure.
_HINT = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|teen|twenty|thirty"
    r"|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|dozen|scores|several|few|handful"
    r"|tens)",
    re.IGNORECASE,
)


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_KIND = {
    **dict.fromkeys(
        _set(
            "killed kill kills killing dead died die dies dying death deaths perished slain "
            "massacred executed fatalities lives martyred toll"
        ),
        "killed",
    ),
    **dict.fromkeys(
        _set("wounded wounding wounds injured injuring injures injure injuries hurt"), "wounded"
    ),
    **dict.fromkeys(_set("missing disappeared unaccounted"), "missing"),
    **dict.fromkeys(_set("displaced displacing uprooted homeless"), "displaced"),
    **dict.fromkeys(_set("fled fleeing flee flees"), "fled"),
}
# Active verbs that take the count as object right after them ("killing 12").
_ACTIVE = _set(
    "killed kill kills killing wounded wounding wounds injured injuring injures injure "
    "displaced displacing"
)
_GROUPS = {
    **dict.fromkeys(
        _set(
            "civilian civilians resident residents villager villagers volunteer volunteers medic "
            "medics doctor doctors nurse nurses journalist journalists worker workers staff "
            "staffers student students worshipper worshippers refugee refugees pilgrim pilgrims "
            "passenger passengers shopper shoppers farmer farmers evacuees teacher teachers "
            "family families patients"
        ),
        "civilians",
    ),
    **dict.fromkeys(
        _set("child children kid kids boy boys girl girls minor minors infant infants baby babies"),
        "children",
    ),
    **dict.fromkeys(_set("woman women"), "women"),
    **dict.fromkeys(
        _set(
            "fighter fighters soldier soldiers militant militants rebel rebels troops trooper "
            "jihadist jihadists militiaman militiamen militia militias gunman gunmen terrorist "
            "terrorists insurgent insurgents combatant combatants officer officers personnel "
            "servicemen pilot pilots policemen guards members operatives attackers mercenaries "
            "recruits commanders commander bombers extremists loyalists"
        ),
        "non_civilians",
    ),
    **dict.fromkeys(_set("people persons person others individuals victims"), "people"),
}
# Words allowed between a count and its passive casualty word ("12 people have reportedly been").
_AUX = _set(
    "were was have has had been being are is be to reportedly also all later allegedly now "
    "feared believed confirmed said say reported thought more other others left still"
)
# Words that end the noun phrase after a count.
_STOP = _set(
    "in on at near by from after during when while as with for since of the a an and or but "
    "who which that said told including among into across between over under this these those "
    "his her their its than per"
)
_SUBCOUNT_BEFORE = _set("including incl among whom them")
_DEAD_NOUNS = _set("dead killed victims casualties fatalities deaths")
_CONFLICT = _set("war conflict uprising crisis revolution")
_MODIFIERS: dict[tuple[str, ...], str] = {
    ("at", "least"): "min",
    ("no", "fewer", "than"): "min",
    ("no", "less", "than"): "min",
    ("a", "minimum", "of"): "min",
    ("more", "than"): "over",
    ("over",): "over",
    ("upwards", "of"): "over",
    ("just", "over"): "over",
    ("up", "to"): "max",
    ("as", "many", "as"): "max",
    ("at", "most"): "max",
    ("no", "more", "than"): "max",
    ("nearly",): "max",
    ("almost",): "max",
    ("close", "to"): "max",
    ("just", "under"): "max",
    ("fewer", "than"): "under",
    ("less", "than"): "under",
    ("about",): "approx",
    ("around",): "approx",
    ("some",): "approx",
    ("roughly",): "approx",
    ("approximately",): "approx",
    ("an", "estimated"): "approx",
    ("estimated",): "approx",
}
# value, low, high for vague amounts (see the table in the module docstring).
_VAGUE: dict[str, tuple[float, float | None, float | None]] = {
    "several": (3, 3, 9),
    "few": (3, 3, 9),
    "handful": (3, 3, 9),
    "dozens": (24, 24, 99),
    "tens": (24, 24, 99),
    "scores": (40, 40, 99),
    "hundreds": (200, 200, 999),
    "thousands": (2000, 2000, None),
}
_UNIT_SKIP = _set("km kilometres kilometers miles metres meters mile km2")
_NOT_UNIT = _set("hours")  # time spans are not counts of things; dates are skipped elsewhere
_MONTHS = _set(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)


@dataclass(frozen=True, slots=True)
class Figure:
    """A number claimed in the text, with what it counts and who, where, when and says who."""

    value: float | None
    low: float | None
    high: float | None
    kind: str
    group: str | None
    unit: str | None
    actor: str | None
    place: str | None
    date: str | None
    attributed_to: str | None
    start: int
    end: int
    sentence_index: int
    part_of: int | None = None  # index (in the figure list) of the count this one is part of
    cumulative: bool = False  # a war-wide or running total, not one incident

    def to_dict(self) -> dict[str, object]:
        """The figure as the `figures` object of the claims JSON contract."""
        return {
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "kind": self.kind,
            "group": self.group,
            "unit": self.unit,
            "actor": self.actor,
            "place": self.place,
            "date": self.date,
            "attributed_to": self.attributed_to,
            "start": self.start,
            "end": self.end,
            "sentence_index": self.sentence_index,
            "part_of": self.part_of,
            "cumulative": self.cumulative,
        }


@dataclass(slots=True)
class _Mention:
    """A number in a sentence while its figure is being worked out (token indices)."""

    first: int  # first token, modifiers included
    last: int  # last token of the number itself
    value: float | None
    low: float | None
    high: float | None
    kind: str | None = None
    group: str | None = None
    unit: str | None = None
    sub: bool = False
    cumulative: bool = False


def _amount(words: list[str], mod: str | None) -> tuple[float | None, float | None, float | None]:
    """Value, low and high of a number phrase under an optional modifier."""
    head = words[-1]
    if head in _VAGUE:
        value, low, high = _VAGUE[head]
        if words[:2] == ["tens", "of"] or (len(words) > 1 and words[0] in _VAGUE):
            value, low, high = _VAGUE[words[0]]
        return value, low, high
    if words[0] in ("a", "half") or words[0] == "dozen":
        value = 6.0 if words[0] == "half" else 12.0
    else:
        found = number_value(" ".join(words))
        if found is None:
            return None, None, None
        value = found
    if mod == "min":
        return value, value, None
    if mod == "over":
        return value, value + 1, None
    if mod == "max":
        return value, None, value
    if mod == "under":
        return value, None, value - 1
    if mod == "approx":
        return value, None, None
    return value, value, value


def _number_at(keys: list[str], i: int) -> int:
    """Index after the number phrase starting at token i, or i when there is none."""
    key = keys[i]
    if key in ("a", "half"):
        j = i + 1 + (key == "half" and i + 1 < len(keys) and keys[i + 1] == "a")
        return j + 1 if j < len(keys) and keys[j] == "dozen" else i
    if key in _VAGUE:
        j = i + 1
        if key in ("few", "handful") and (i == 0 or keys[i - 1] != "a"):
            return i
        if key == "tens" and (j >= len(keys) or keys[j] != "of"):
            return i
        # "tens of thousands", "hundreds of thousands"
        if j + 1 < len(keys) and keys[j] == "of" and keys[j + 1] in ("thousands", "hundreds"):
            return j + 2
        return j
    if not is_number_token(key) or key in ("dozens", "scores", "numerous"):
        return i
    j = i + 1
    while j < len(keys) and (
        (keys[j] == "and" and j + 1 < len(keys) and is_number_token(keys[j + 1]))
        or (keys[j] != "and" and is_number_token(keys[j]) and keys[j] not in _VAGUE)
    ):
        j += 1
    return j


def _modifier(keys: list[str], i: int) -> tuple[int, str | None]:
    """The hedge before token i ("at least"): (its first token, its class)."""
    for size in (3, 2, 1):
        if i >= size and tuple(keys[i - size : i]) in _MODIFIERS:
            return i - size, _MODIFIERS[tuple(keys[i - size : i])]
    return i, None


def _mentions(keys: list[str], words: list[str]) -> list[_Mention]:
    """Every number phrase in the sentence's tokens, with its amount."""
    found: list[_Mention] = []
    i = 0
    while i < len(keys):
        end = _number_at(keys, i)
        if end == i:
            i += 1
            continue
        raw = words[i]
        prev = keys[i - 1] if i else ""
        is_year = raw.isdigit() and len(raw) == 4 and raw[:2] in ("19", "20")
        if prev in _MONTHS or is_year or (raw.isdigit() and len(raw) == 4 and raw[0] == "0"):
            i = end  # dates and clock times ("April 4", "2017", "0914")
            continue
        first, mod = _modifier(keys, i)
        if keys[i] == "a" and first == i and i and keys[i - 1] == "half":
            first -= 1
        value, low, high = _amount(keys[i:end], mod)
        if value is not None:
            found.append(_Mention(first, end - 1, value, low, high))
        i = end
    return found


def _classify(keys: list[str], mention: _Mention, nxt: int) -> None:
    """Fill kind, group, unit, sub-count and total flags from the words around a mention."""
    j = mention.last + 1
    if j < len(keys) and keys[j] == "of":  # "dozens of civilians", "tens of"
        j += 1
    before = keys[mention.first - 1] if mention.first else ""
    before2 = keys[mention.first - 2] if mention.first > 1 else ""
    mention.sub = before in _SUBCOUNT_BEFORE or (before2, before) == ("of", "whom")
    if before in _ACTIVE or (before2 in _ACTIVE and before in ("another", "also", "the")):
        mention.kind = _KIND[before if before in _ACTIVE else before2]
    elif before in ("of", "to", "at") and "toll" in keys[max(0, mention.first - 5) : mention.first]:
        mention.kind = "killed"  # "the death toll rose to 58", "put the toll at 58"
    elif before == "of" and before2 == "lives":
        mention.kind = "killed"  # "claimed the lives of 12"
    steps = 0
    while j < nxt and steps < 8:
        key = keys[j]
        group = _GROUPS.get(key)
        if group and mention.group in (None, "people"):
            mention.group = group
        if mention.kind is None and key in _KIND and not (key == "toll" and steps == 0):
            mention.kind = _KIND[key]
            break
        if key == "among" and j + 1 < len(keys):
            tail = keys[j + 1 : j + 4]
            if any(k in _DEAD_NOUNS for k in tail) or (j + 1 == nxt):
                mention.kind, mention.sub = "killed", True
            break
        if key == "lost" and keys[j + 1 : j + 3] == ["their", "lives"]:
            mention.kind = "killed"
            break
        if key in _STOP or not key[0].isalpha() or key in _KIND:
            break
        if steps == 0 and mention.kind is None and mention.group is None and key not in _AUX:
            mention.unit = key if key not in _NOT_UNIT else None
        steps += 1
        j += 1
    if mention.kind and mention.kind != "killed":
        return
    # Running totals: "killed since 2011", "killed in Syria's war", "the war has killed 280,000".
    after = keys[mention.last + 1 : mention.last + 14]
    if "since" in after or "so" in after and "far" in after:
        mention.cumulative = True
    for k in range(len(after) - 1):
        if after[k] in ("in", "during", "of") and any(w in _CONFLICT for w in after[k + 1 : k + 5]):
            mention.cumulative = True
    if any(w in _CONFLICT for w in keys[max(0, mention.first - 5) : mention.first]):
        mention.cumulative = True


_ACTOR_HEAD = (
    r"(?:air\s*strikes?|air\s*raids?|raids?|strikes?|shelling|bombardment|barrel\s+bombs?|bombs?"
    r"|bomber|bombing|rockets?|missiles?|mortars?|shells|forces|troops|fighters|militants"
    r"|jihadists|rebels|regime|army|coalition|warplanes?|jets?|aircraft|helicopters?|gunmen"
    r"|snipers?|militias?|group|IS|ISIS|ISIL|Daesh|terrorists)"
)
_ACTOR_WORD = r"(?:(?!(?:and|or|the|of|in|on|at|were|was|killed|said|by|with|which|that)\b)[\w'-]+\s+)"
_ACTOR_BY = re.compile(rf"\bby\s+(?:an?\s+|the\s+)?({_ACTOR_WORD}{{0,4}}?{_ACTOR_HEAD})\b")
_ACTOR_SUBJ = re.compile(
    rf"\b((?:an?\s+|the\s+)?{_ACTOR_WORD}{{0,3}}{_ACTOR_HEAD})\s+(?:\w+\s+)?(?:killed|kills|kill"
    r"|killing|left|hit|struck|targeted|wounded)\b"
)
_PLACE_PREP = re.compile(
    r"\b(?:in|near|at|outside|around|of|from|into|on|targeting|hit|across)\s+(?:the\s+)?"
    r"(?:(?:town|city|village|province|district|neighbou?rhood|area|areas|countryside|suburbs?"
    r"|region|governorate|outskirts|of|and|Syrias|Syria['’]s|\w+-(?:held|controlled|run)"
    r"|besieged|(?:north|south)?(?:east|west)?(?:ern)?|north|south|central)\s+){0,4}"
    r"((?:(?:al|el|ad|as|ar|ash|ad|at|az|an|ez|es)-)?[A-Z][\w'’]*(?:-[\w'’]+)*"
    r"(?:\s+(?:(?:al|el|ad|as|ar|ash|at|az|an|ez|es)-)?[A-Z][\w'’]*(?:-[\w'’]+)*){0,2})"
)
_NOT_PLACE = _set(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December The A An This That Syrian Syrians "
    "Russian Islamic State Observatory Reuters AFP AP SANA Human Rights He She They It UN US U.S."
)
_COUNTRIES = _set("Syria Iraq Turkey Lebanon Jordan Israel Russia Iran")
_CUE = re.compile(
    r"\b(?:said|says|reported|reports|told|announced|stated|claimed|added|confirmed|documented"
    r"|estimated)\b"
)
_ACCORDING = re.compile(
    r"\baccording\s+to\s+((?:(?!(?:on|in|at|who|which|that|and|said|while|after)\b)[\w'’.-]+\s*){1,8})"
)
_NP_STOP = _set(
    "on in at near by from after before during killed wounded said told that which who while as "
    "when is was were has have had and but or he she they it his her their to of"
)
_DETS = _set("the a an")


def _source_before(sent: str, cue_start: int) -> str | None:
    """The noun phrase right before an attribution cue ("the Syrian Observatory ... said")."""
    words = re.findall(r"[\w'’.-]+", sent[max(0, cue_start - 120) : cue_start])[-8:]
    taken: list[str] = []
    for word in reversed(words):
        low = word.lower()
        if (low in _NP_STOP and low not in ("of", "for") and word[0].islower()) or word[
            0
        ].isdigit():
            break
        if low in ("on", "in", "at") or low.capitalize() in _NOT_PLACE and low.endswith("day"):
            break
        taken.append(word)
    taken.reverse()
    while taken and not (taken[0][0].isupper() or taken[0].lower() in _DETS):
        taken.pop(0)
    while taken and taken[-1].lower() in ("of", "for", "the"):
        taken.pop()
    return " ".join(taken) or None


def _nearest(spans: list[tuple[int, int, str]], start: int, end: int) -> str | None:
    best, best_gap = None, 10**9
    for s, e, text in spans:
        gap = s - end if s >= end else start - e if e <= start else 0
        if gap < best_gap:
            best, best_gap = text, gap
    return best


def _context(sent: str, published: date | None) -> dict[str, list[tuple[int, int, str]]]:
    """Actor, place, date and attribution candidates of one sentence, with offsets."""
    ctx: dict[str, list[tuple[int, int, str]]] = {"actor": [], "place": [], "other": []}
    for pattern in (_ACTOR_BY, _ACTOR_SUBJ):
        for m in pattern.finditer(sent):
            ctx["actor"].append((m.start(1), m.end(1), m.group(1)))
    for m in _PLACE_PREP.finditer(sent):
        name = m.group(1)
        first = name.split()[0]
        if first in _NOT_PLACE or first.isupper() and len(first) <= 4:
            continue
        name = re.sub(r"(?:['’]s|s)$", "", name) if name in ("Syrias", "Syria's") else name
        bucket = "other" if name in _COUNTRIES else "place"
        ctx[bucket].append((m.start(1), m.end(1), name))
    ctx["date"] = []
    for m in DATE_PHRASE.finditer(sent):
        day = resolve_match(m, published)
        if day is not None:
            ctx["date"].append((m.start(), m.end(), day.isoformat()))
    ctx["source"] = []
    for m in _ACCORDING.finditer(sent):
        ctx["source"].append((m.start(), m.end(), m.group(1).strip().rstrip(".")))
    for m in _CUE.finditer(sent):
        source = _source_before(sent, m.start())
        if source:
            ctx["source"].append((m.start(), m.end(), source))
    return ctx


def _sentence_figures(
    sent: str, offset: int, index: int, published: date | None, base: int
) -> list[Figure]:
    """Figures of one sentence; `base` is the list index of its first figure (for part_of)."""
    norm = sent.translate(_DIGIT_MAP)
    spans = [m.span() for m in _TOKEN.finditer(norm)]
    words = [norm[s:e] for s, e in spans]
    keys = [w.lower().replace("’", "'") for w in words]
    mentions = _mentions(keys, words)
    for n, mention in enumerate(mentions):
        nxt = mentions[n + 1].first if n + 1 < len(mentions) else len(keys)
        _classify(keys, mention, nxt)
    # "16 civilians and three children were killed": a bare count takes the next one's kind.
    for n in range(len(mentions) - 2, -1, -1):
        here, nxt_m = mentions[n], mentions[n + 1]
        between = set(keys[here.last + 1 : nxt_m.first]) - set(_GROUPS) - {"and", ",", "of"}
        if here.kind is None and here.group and nxt_m.kind and not between - _STOP - _AUX:
            here.kind = nxt_m.kind
    kept = [m for m in mentions if m.kind or (m.unit and m.unit.isalpha() and not m.group)]
    if not kept:
        return []
    ctx = _context(sent, published)
    figures: list[Figure] = []
    parent: int | None = None
    for mention in kept:
        start, end = spans[mention.first][0], spans[mention.last][1]
        part_of = parent if mention.sub and parent is not None else None
        kind = mention.kind or "quantity"
        if mention.sub and kind == "quantity" and part_of is not None:
            kind = figures[part_of - base].kind
        place = _nearest(ctx["place"], start, end) or _nearest(ctx["other"], start, end)
        figures.append(
            Figure(
                value=mention.value,
                low=mention.low,
                high=mention.high,
                kind=kind,
                group=mention.group if kind != "quantity" else None,
                unit=mention.unit if kind == "quantity" else None,
                actor=_nearest(ctx["actor"], start, end) if kind != "quantity" else None,
                place=place,
                date=_nearest(ctx["date"], start, end),
                attributed_to=_nearest(ctx["source"], start, end),
                start=offset + start,
                end=offset + end,
                sentence_index=index,
                part_of=part_of,
                cumulative=mention.cumulative,
            )
        )
        if kind != "quantity" and not mention.sub:
            parent = base + len(figures) - 1
    return figures


def _published(article: Article) -> date | None:
    return article.published_at.date() if article.published_at else None


def find_figures(article: Article) -> list[Figure]:
    """Every casualty count and unit quantity in the article body, in text order."""
    published = _published(article)
    figures: list[Figure] = []
    for sent in article.iter_sentences():
        text = sent.text
        if _HINT.search(text):
            figures += _sentence_figures(text, sent.start, sent.index, published, len(figures))
    return figures


def title_figures(article: Article) -> list[Figure]:
    """Figures of the title (offsets into the title; sentence_index -1)."""
    if not article.title or not _HINT.search(article.title):
        return []
    return _sentence_figures(article.title, 0, -1, _published(article), 0)


from wiretrace.claims.casualties import casualty_summary  # noqa: E402  (re-export)

__all__ = ["Figure", "casualty_summary", "find_figures", "title_figures"]
