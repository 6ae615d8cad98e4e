"""Figures in news text: casualty counts (of whom, by whom, where, when, says who), quantities.

`find_figures` reads each sentence's numbers ("12", "1,200", "twenty-one", "dozens") and keeps
those tied to a casualty word (killed, dead, died, death toll, lost their lives, wounded, injured,
missing, displaced, fled, bodies) or followed by a unit ("35 miles", "230 families"). Death
phrasings read besides "N were killed" / "killing N": a toll or "number of victims" as a distant
subject ("the death toll from ... reached at least N"), "massacred N", a phrase between the
count and its verb ("29 fighters from the X brigade were killed", "three of his comrades"), a
breakdown with no number ("dozens of civilians including children were killed", "ten people,
some of them children, died"), a parenthetical part before the verb ("leaving N civilians, among
them five children, dead"), parts of the dead ("among the dead were 4 children", "five of the
dead were children", "the victims included 3 women", "5 of them children", counts after a colon
"90 people: 20 fighters, 70 civilians"), and "bringing to N the number killed" (a running
total). `casualties.casualty_summary` picks the main incident and reports its deaths by group.

Amounts. `value` is the number the text states (what a coder copies); `low`/`high` are the
bounds its wording implies (UCDP GED's low/best/high estimates are the model):

=========================================  =======  =====  ======
wording                                     value    low    high
=========================================  =======  =====  ======
"12", "twelve", "a dozen"                   12       12     12
"at least 12", "no fewer than 12"           12       12     null
"more than 20", "over 20", "well over 20"   20       21     null
"up to 30", "as many as 30", "at most 30"   30       null   30
"nearly 40", "almost 40", "close to 40"     40       null   40
"fewer than 40", "less than 40"             40       null   39
"about 50", "around", "some", "roughly"     50       null   null
"several", "a few", "a handful"             3        3      9
"dozens", "tens of"                         24       24     99
"scores"                                    40       40     99
"hundreds"                                  200      200    999
"thousands"                                 2000     2000   null
"several hundred", "a few hundred"          300      300    900
"tens of thousands"                         24000    24000  99000
"hundreds of thousands"                     200000   200000 999000
=========================================  =======  =====  ======

The vague rows are this module's choice, not a published standard: the smallest amount the plural
literally allows ("dozens" is at least two dozen) as value and low, and the next vague word's floor
as high. A vague word before a multiplier scales its whole row ("several hundred" is "several"
times 100, "tens of thousands" is "tens of" times 1000). ACLED's codebook, as we recall it, codes
vague reports more conservatively still (about 10 for "several"/"many", 12 for "dozens", 100 for
"hundreds"); UCDP records a low and a high instead of guessing one number. Check the current
codebooks before relying on either recollection.

Groups: civilians (and civilian roles: residents, medics, volunteers ...), children, women,
non_civilians (fighters, soldiers, militants, rebels, troops, terrorists ...), people (people,
persons, others). Place, actor, date and attribution are the nearest cue in the same sentence:
simple and self-contained heuristics (the gazetteer and quote extraction live elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from itertools import pairwise

from wiretrace.claims import figure_words as fw
from wiretrace.claims.figure_context import nearest, sentence_context
from wiretrace.doc.article import Article
from wiretrace.trace.edits import is_number_token, number_value

# Arabic-Indic and Persian digits map to ASCII one for one, so offsets stay valid.


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
        return {name: getattr(self, name) for name in _FIGURE_FIELDS}


_FIGURE_FIELDS = tuple(f.name for f in fields(Figure))


@dataclass(slots=True)
class _Mention:
    """A number in a sentence while its figure is being worked out (token indices)."""

    first: int  # first token, modifiers included
    last: int  # last token of the number itself
    value: float
    low: float | None
    high: float | None
    kind: str | None = None
    after: bool = False  # the kind came from a word after the count
    group: str | None = None
    unit: str | None = None
    # Part of another count: "in" the one before in the sentence ("including 7 children"),
    # "dead" the last one so far ("were among the dead"), "next" the one after ("among 43 dead").
    sub: str | None = None
    frame: str | None = None  # the relation found after the count when "including" overrides it
    cumulative: bool = False


def _amount(words: list[str], mod: str | None) -> tuple[float, float | None, float | None] | None:
    """Value, low and high of a number phrase under an optional modifier."""
    vague = [w for w in words if w in fw.VAGUE]
    if vague:
        # "several hundred", "tens of thousands": the vague row times the multiplier after it
        v_value, v_low, v_high = fw.VAGUE[vague[0]]
        scale = 1.0
        for word in words[words.index(vague[0]) + 1 :]:
            scale *= fw.SCALES.get(word, 1.0)
        return v_value * scale, v_low * scale, None if v_high is None else v_high * scale
    special = {"a": 1.0, "an": 1.0, "a dozen": 12.0, "half a dozen": 6.0}
    if len(words) > 1 and all(w.isdigit() for w in words):  # "2 000": digits in groups
        value: float | None = float("".join(words))
    else:
        value = special.get(" ".join(words)) or number_value(" ".join(words))
    if value is None:
        return None
    bounds: dict[str | None, tuple[float | None, float | None]] = {
        None: (value, value),
        "min": (value, None),
        "over": (value + 1, None),
        "max": (None, value),
        "under": (None, value - 1),
        "approx": (None, None),
    }
    return (value, *bounds[mod])


def _number_at(keys: list[str], i: int) -> int:
    """Index after the number phrase starting at token i, or i when there is none."""
    key, rest = keys[i], keys[i + 1 : i + 4]
    if key in ("a", "an"):
        if rest[:1] == ["dozen"]:
            return i + 2
        if rest[:1] == ["few"] or rest[:1] == ["handful"]:
            return i + 2 + (rest[1:2] in fw.SCALE_NEXT)  # "a few hundred"
        # "a child was killed", "including a woman": one person, only in a casualty frame.
        single = len(rest) > 1 and rest[0] in fw.GROUPS and not rest[0].endswith("s")
        framed = rest[1:2] and (rest[1] in fw.AUX or rest[1] in fw.AFTER or rest[1] == "among")
        return i + 1 if single and (framed or (i and keys[i - 1] in fw.SUB_BEFORE)) else i
    if key == "half" and rest[:2] == ["a", "dozen"]:
        return i + 3
    if key in fw.VAGUE and key not in ("few", "handful"):
        if key == "tens" and rest[:1] != ["of"]:
            return i
        if rest[:1] == ["of"] and rest[1:2] in (["thousands"], ["hundreds"]):
            return i + 3  # "tens of thousands"
        return i + 1 + (rest[:1] in fw.SCALE_NEXT)  # "several hundred"
    if not (key[0].isdigit() or key.partition("-")[0] in fw.NUMBER_WORDS) or key in fw.VAGUE:
        return i
    j = i + 1
    while j < len(keys) and keys[j] not in fw.VAGUE and keys[j] != "numerous":
        # "two hundred and fifty" keeps its "and"; "31 and eight" are two counts
        hundred_and = keys[j - 1 : j + 1] == ["hundred", "and"]
        # "09:42 17 nurses", "2031 Three people": after digits only a multiplier goes on, or
        # a group of three digits after one of one to three ("2 000", "14 700")
        more = keys[j].partition("-")[0] in (
            fw.MULTIPLIERS if keys[j - 1][0].isdigit() else fw.NUMBER_WORDS
        ) or (len(keys[j]) == 3 and keys[j].isdigit() and fw.GROUP_HEAD.fullmatch(keys[j - 1]))
        if (keys[j] != "and" and more and is_number_token(keys[j])) or hundred_and:
            j += 1
        else:
            break
    return j


def _modifier(keys: list[str], i: int) -> tuple[int, str | None]:
    """The hedge before token i ("at least"): (its first token, its class)."""
    for size in (3, 2, 1):
        if i >= size and "_".join(keys[i - size : i]) in fw.MODIFIERS:
            return i - size, fw.MODIFIERS["_".join(keys[i - size : i])]
    return i, None


def _mentions(keys: list[str]) -> list[_Mention]:
    """Every number phrase in the sentence's tokens, with its amount."""
    found: list[_Mention] = []
    starts = fw.OPENERS
    candidates = [
        i
        for i, k in enumerate(keys)
        if k in starts or k[0].isdigit() or ("-" in k and k.partition("-")[0] in starts)
    ]
    done = 0
    for i in candidates:
        end = i if i < done else _number_at(keys, i)
        if end == i:
            continue
        raw, prev = keys[i], keys[i - 1] if i else ""
        if prev in ("from", "of") and keys[i : i + 2] in fw.ONE_FAMILY:
            continue  # "from one family": not a count
        done = end
        if prev in fw.MONTHS or (raw.isdigit() and len(raw) == 4 and raw[:2] in ("19", "20", "00")):
            continue  # dates and clock times ("April 4", "2017", "0914")
        first, mod = _modifier(keys, i)
        amount = _amount(keys[i:end], mod)
        if amount is not None:
            found.append(_Mention(first, end - 1, *amount))
    return found


def _kind_after(keys: list[str], mention: _Mention, nxt: _Mention | None) -> None:
    """Group, unit and a casualty word after the count ("12 civilians were killed")."""
    j, end = mention.last + 1, nxt.first if nxt else len(keys)
    if j < end and keys[j] == "of":  # "dozens of civilians"
        if keys[j + 1 : j + 3] in fw.DEAD_OF:  # "five of the dead were children": a part
            mention.kind, mention.sub, mention.after = "killed", "dead", True
            for key in keys[j + 3 : min(end, j + 7)]:
                if key in fw.GROUPS:
                    mention.group = fw.GROUPS[key]
                    break
            return
        if keys[j + 1 : j + 2] in (["them"], ["whom"]):  # "12 people, five of them children"
            mention.sub, j = "in", j + 1
        elif keys[j + 1 : j + 2] in fw.POSSESSIVES:  # "three of his comrades"
            j += 1
        j += 1
    # a part in a parenthesis ("including two children -") may close it before its verb
    part = mention.first > 0 and keys[mention.first - 1] in fw.SUB_BEFORE
    frozen, steps = False, 0
    while j < end and steps < 8:
        key = keys[j]
        frozen = frozen or key in fw.FREEZE
        group = fw.GROUPS.get(key)
        if group and not frozen and mention.group in (None, "people"):
            mention.group = group
        kind = fw.AFTER.get(key) or ("killed" if key == "lives" and steps == 0 else None)
        if key == "lost" and keys[j + 1 : j + 3] == ["their", "lives"]:
            kind = "killed"
        if kind:
            # "towns killed 43 people": an active verb right before the next count is its verb.
            if key in fw.BEFORE and nxt and nxt.first == j + 1 and not nxt.after:
                return
            mention.kind, mention.after = kind, True
            return
        if key == "among":
            tail = keys[j + 1 : j + 4]
            if nxt and (nxt.first == j + 1 or (nxt.first == j + 2 and keys[j + 1] == "the")):
                mention.kind, mention.sub, mention.after = "killed", "next", True
                nxt.sub, nxt.frame = nxt.frame, None  # "among 43 dead": 43 is the whole
            elif any(k in fw.DEAD_NOUNS for k in tail):
                mention.kind, mention.sub, mention.after = "killed", "dead", True
            return
        if key in ("from", "of") and keys[j + 1 : j + 3] in fw.ONE_FAMILY:
            j, steps = j + 3, steps + 1  # "five residents from one family were killed"
            continue
        if key == "members" and keys[j + 1 : j + 2] == ["of"]:
            _verb_after_phrase(keys, mention, j + 1, end)  # "12 members of the same family"
            return
        if key in fw.CLOSERS and (
            keys[j + 1 : j + 2] in fw.BREAKDOWN_OPEN
            or (keys[j + 1 : j + 2] in fw.SOME_OPEN and keys[j + 2 : j + 4] == ["of", "them"])
        ):
            part, j, steps = True, j + 1, steps + 1  # "ten people, some of them children, ..."
            continue
        if key in fw.SKIP_BREAKDOWN or (key in fw.SOME and keys[j + 1 : j + 3] == ["of", "them"]):
            # "dozens of civilians including children were killed", "ten people, some of them
            # children, died": a breakdown with no number of its own
            j, steps, frozen = j + (1 if key in fw.SKIP_BREAKDOWN else 3), steps + 1, True
            continue
        if key in ("from", "of") and (mention.group or steps):
            # "29 fighters from the Kestrel brigade were killed": the verb after the phrase
            _verb_after_phrase(keys, mention, j, end)
            return
        if part and key in fw.CLOSERS and mention.group:
            part, j, steps = False, j + 1, steps + 1
            continue
        if key == "and" and j + 1 < end and keys[j + 1][0].isalpha():
            ahead = keys[j + 1]
            if ahead not in fw.STOP and ahead not in fw.BEFORE and ahead not in fw.AFTER:
                j, steps = j + 1, steps + 1
                continue
        if key in fw.STOP or not key[0].isalpha() or key in fw.BEFORE:
            return
        plural = (
            key.endswith("s") and len(key) > 3 and key not in fw.NOT_UNITS and key not in fw.AUX
        )
        if steps == 0 and mention.group is None and (plural or key in fw.MEASURES):
            mention.unit = key
        steps += 1
        j += 1


def _verb_after_phrase(keys: list[str], mention: _Mention, j: int, end: int) -> None:
    """The casualty verb after a prepositional phrase ("of the Kestrel group were killed"),
    and a group named in it when the count has none ("members of the army's forces")."""
    group = None
    for k in range(j + 1, min(end, j + 12)):
        key = keys[k]
        if (
            key in fw.PHRASE_ENDS
            or key[0].isdigit()
            or (key in fw.BEFORE and keys[k - 1] not in fw.AUX)
        ):
            break
        if key in fw.AFTER and (keys[k - 1] in fw.AUX or key in fw.FINITE):
            mention.kind, mention.after = fw.AFTER[key], True
            break
        group = group or fw.GROUPS.get(key) or ("non_civilians" if key in fw.UNITS_ARMED else None)
    if group and mention.group in (None, "people"):
        mention.group = group


def _toll_before(keys: list[str], first: int, window: int) -> bool:
    """Whether a death toll is the subject before token `first` ("the death toll from the
    strikes on Varnhold reached 40", "the number of people killed rose to 40")."""
    back = keys[max(0, first - window) : first]
    for n in range(len(back) - 1, -1, -1):
        key = back[n]
        if key in (".", ";") or (key[0].isdigit() and n < len(back) - 1):
            return False
        if key == "toll" or (key == "count" and back[n - 1 : n] == ["death"]):
            return True
        if key == "number" and back[n + 1 : n + 2] == ["of"]:
            return any(k in fw.DEAD_NOUNS or k == "killed" for k in back[n + 2 : n + 5])
        if key == "number" and back[n + 1 : n + 2] in (["killed"], ["dead"]):
            return True
    return False


def _kind_before(keys: list[str], mention: _Mention) -> None:
    """A casualty verb or death toll before the count ("killing 12", "the toll rose to 58")."""
    first = mention.first
    before = keys[first - 1] if first else ""
    before2 = keys[first - 2] if first > 1 else ""
    if before in fw.SUB_BEFORE or (before2, before) == ("of", "whom"):
        mention.frame, mention.sub = mention.sub, "in"
    if mention.kind:
        return
    if before in fw.QUOTE_MARKS and first > 1:  # killing "50 terrorists"
        before, before2 = before2, keys[first - 3] if first > 2 else ""
    back = keys[max(0, first - 8) : first]
    if before in fw.BEFORE:
        mention.kind = fw.BEFORE[before]
    elif before in fw.INCLUDE and any(k in fw.DEAD_NOUNS for k in back):
        # "among the dead were 22 children", "the victims included 25 civilians": a part
        mention.kind, mention.sub = "killed", "dead"
        if before not in ("include", "included", "includes") and "among" not in back:
            mention.kind, mention.sub = None, None
    elif before == "of" and before2 in ("bodies", "corpses"):
        mention.kind = "killed"  # "the bodies of 16 children"
    elif (before2, before) in fw.BRING_TO and keys[
        mention.last + 1 : mention.last + 4
    ] in fw.TOLL_NP:
        mention.kind, mention.cumulative = "killed", True  # "bringing to 45 the number killed"
    elif before in fw.CLAIM and mention.group:
        mention.kind = "killed"  # "rocket shells claim 9 civilians"
    elif before in ("another", "also", "the") and before2 in fw.BEFORE:
        mention.kind = fw.BEFORE[before2]
    elif before in fw.TOLL_VERBS and _toll_before(keys, first, 6):
        mention.kind = "killed"
    elif before in fw.TOLL_REACH and _toll_before(keys, first, 25):
        mention.kind = "killed"  # "the death toll from the strikes on Monday reached N"
    elif (before2, before) in fw.TOLL_RISES and _toll_before(keys, first - 1, 30):
        mention.kind = "killed"  # "the death toll from Monday's strikes ... has risen to 21"
    elif before == "of" and before2 in ("lives", "killing", "deaths", "death"):
        mention.kind = "killed"  # "claiming the lives of 8", "led to the killing of one"
    elif before == "of" and before2 in ("injury", "wounding", "injuring"):
        mention.kind = "wounded"


def _running_total(keys: list[str], mention: _Mention) -> bool:
    """War-wide or running totals: "killed since 2011", "in Syria's war", "the war has killed"."""
    after = keys[mention.last + 1 : mention.last + 12]
    for k, key in enumerate(after):
        near = after[k + 1 : k + 5]
        if key == "since" and any(
            _conflict(near, n) or w[:1].isdigit() for n, w in enumerate(near)
        ):
            return True
        if key in ("in", "during", "of") and any(_conflict(near, n) for n in range(len(near[:3]))):
            return True
    back = keys[max(0, mention.first - 8) : mention.first]
    verbs = [w for w in back if w in fw.BEFORE or w in ("left", "claimed", "cost")]
    return bool(verbs) and ("since" in back or any(_conflict(back, n) for n in range(len(back))))


def _conflict(keys: list[str], n: int) -> bool:
    """A word naming the whole conflict ("the war"), not "war planes" or "war crimes"."""
    return keys[n] in fw.CONFLICT and keys[n + 1 : n + 2] not in fw.WAR_COMPOUNDS


def _token_starts(lower: str, keys: list[str], count: int) -> list[int]:
    """Where each of the first `count` tokens of `fw.TOKEN.findall(lower)` starts. Tokens are
    back to back but for whitespace and underscores, which no token opens with: each token is
    the first occurrence of its text after the one before (no match objects made)."""
    starts: list[int] = []
    pos, find = 0, lower.find
    for key in keys[:count]:
        pos = find(key, pos)
        starts.append(pos)
        pos += len(key)
    return starts


def _sentence_figures(
    sent: str, offset: int, index: int, published: date | None, parent: int | None, base: int
) -> list[Figure]:
    """Figures of one sentence; `base` is the list index of its first figure, `parent` the last
    whole count before it (what "six children were among the dead" is part of)."""
    lower = sent.translate(fw.DIGIT_MAP).lower().replace("’", "'")
    if len(lower) != len(sent):  # a letter whose lower case is longer ("İ"): token by token
        norm = sent.translate(fw.DIGIT_MAP)
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in norm).replace("’", "'")
    keys = fw.TOKEN.findall(lower)
    mentions = _mentions(keys)
    if not mentions:
        return []
    # Right to left, so a count knows whether the next one found its own casualty word.
    for n in range(len(mentions) - 1, -1, -1):
        _kind_after(keys, mentions[n], mentions[n + 1] if n + 1 < len(mentions) else None)
        _kind_before(keys, mentions[n])
    # "including a woman and two children were killed": coordinated parts share the verb.
    chain: list[bool] = []
    for part, nxt in pairwise(mentions):  # left to right: "a man, a woman and two children"
        linked = part.sub == "in" and bool(part.group and nxt.group) and nxt.sub is None
        linked = (
            linked and not set(keys[part.last + 1 : nxt.first]) - {"and", ","} - fw.GROUPS.keys()
        )
        chain.append(linked)
        if linked:
            nxt.sub = "in"
    for n in range(len(chain) - 1, -1, -1):
        if chain[n] and not mentions[n].kind:
            mentions[n].kind = mentions[n + 1].kind
    # "236 people: 82 fighters, 154 civilians": counts after a colon break the count down.
    for n, mention in enumerate(mentions):
        if mention.kind and ":" in keys[mention.last + 1 : mention.last + 5]:
            colon = keys.index(":", mention.last + 1)
            for after in mentions[n + 1 :]:
                if ";" in keys[colon : after.first]:
                    break
                if after.group and not after.kind and after.sub is None:
                    after.kind, after.sub = mention.kind, "in"
            break
    # "40 people including 27 civilians were killed": the count before "including" takes its
    # part's casualty word, and "were among 52 killed" makes it in turn part of the next count.
    for before, part in pairwise(mentions):
        if part.sub != "in" or not part.kind or before.kind or not before.group:
            continue
        between = keys[before.last + 1 : part.first]
        if len(between) < 5 and not set(between) - fw.INCLUDING - fw.GROUPS.keys():
            before.kind, before.after, before.sub = part.kind, True, part.frame
    whole: _Mention | None = None
    for mention in mentions:  # "killed 10 people including seven children": the part's kind
        if mention.sub == "in" and whole is None:
            mention.sub = None
        elif mention.sub == "in" and whole is not None and mention.group:
            mention.kind = mention.kind or whole.kind
        elif mention.kind and mention.sub in (None, "next"):
            whole = mention
    # Coordinated counts share a kind: "16 civilians and three children were killed",
    # "killed 31 jihadists and eight civilians".
    for n, mention in enumerate(mentions):
        for other in (mentions[n + 1 : n + 2], mentions[n - 1 : n] if n else [])[::-1]:
            if mention.kind or not mention.group or not other or not other[0].kind:
                continue
            first, last = sorted((mention, other[0]), key=lambda m: m.first)
            gap = set(keys[first.last + 1 : last.first]) - {"and", ",", "of"} - set(fw.GROUPS)
            if other[0].group and not gap - fw.AUX:
                mention.kind, mention.sub = other[0].kind, mention.sub or other[0].sub
    figures: list[Figure] = []
    local: int | None = None
    kept = [m for m in mentions if m.kind or m.unit]
    if not kept:
        return []
    starts = _token_starts(lower, keys, max(m.last for m in kept) + 1)
    ctx = sentence_context(sent, published, actors=any(m.kind for m in kept))
    for n, mention in enumerate(kept):
        mention.cumulative = mention.kind == "killed" and (
            mention.cumulative or _running_total(keys, mention)
        )
        start, end = starts[mention.first], starts[mention.last] + len(keys[mention.last])
        part_of = None
        if mention.sub in ("in", "dead"):
            part_of = local if local is not None or mention.sub == "in" else parent
        elif mention.sub == "next":
            # the next count that is not itself a part ("four civilians including a child were
            # among 19 people killed": 19)
            later = [k for k in range(n + 1, len(kept)) if kept[k].sub != "in"]
            part_of = base + len(figures) + later[0] - n if later else None
        kind = mention.kind or "quantity"
        casualty = kind != "quantity"
        place = nearest(ctx["place"], start, end) or nearest(ctx["other"], start, end)
        figures.append(
            Figure(
                value=mention.value,
                low=mention.low,
                high=mention.high,
                kind=kind,
                group=mention.group if casualty else None,
                unit=None if casualty else mention.unit,
                actor=nearest(ctx["actor"], start, end) if casualty else None,
                place=place,
                date=nearest(ctx["date"], start, end),
                attributed_to=nearest(ctx["source"], start, end),
                start=offset + start,
                end=offset + end,
                sentence_index=index,
                part_of=part_of,
                cumulative=mention.cumulative,
            )
        )
        if casualty and mention.sub in (None, "next") and not mention.cumulative:
            local = base + len(figures) - 1
    return figures


def _published(article: Article) -> date | None:
    return article.published_at.date() if article.published_at else None


def _figures_of(
    spans: list[tuple[int, int, int]], text: str, published: date | None
) -> list[Figure]:
    figures: list[Figure] = []
    parent: int | None = None
    for index, start, end in spans:
        sent = text[start:end]
        if fw.DIGIT.search(sent) or fw.hinted(sent, fw.HINTS):
            found = _sentence_figures(sent, start, index, published, parent, len(figures))
            figures += found
            whole = [
                f for f in found if f.kind != "quantity" and f.part_of is None and not f.cumulative
            ]
            if whole:
                parent = figures.index(whole[-1])
    return figures


def find_figures(article: Article) -> list[Figure]:
    """Every casualty count and unit quantity in the article body, in text order."""
    spans = [(i, s, e) for i, (s, e) in enumerate(article.spans)]
    return _figures_of(spans, article.text, _published(article))


def title_figures(article: Article) -> list[Figure]:
    """Figures of the title (offsets into the title; sentence_index -1)."""
    return _figures_of([(-1, 0, len(article.title))], article.title, _published(article))
