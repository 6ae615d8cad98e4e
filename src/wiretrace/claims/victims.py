"""Killed, injured, missing and kidnapped of an article's main incident, for any kind of violence.

`figures.py` reads counts tied to casualty words in war reporting ("12 civilians were killed");
crime and accident news mostly names its victims without a number ("a man was shot and killed",
"the 23-year-old died at the hospital", "a woman is in critical condition"). This module reads
victim phrases of both kinds, sentence by sentence, over the title and the lead (the first
sentences), where the main incident is told:

* a counted or single person as subject of an outcome ("two men were shot", "a teen is dead",
  "Jane Doe, 19, was fatally shot", "he died"), as object of a harming verb ("killing three
  people", "shot a woman"), or a count beside an outcome word ("1 dead, 2 hurt");
* outcomes: killed (killed, dead, died, shot dead, shot to death, fatally shot, slain, murdered,
  gunned down, found dead, pronounced dead), harmed by gunfire or injured (shot, wounded,
  injured, hurt, hospitalized, in critical condition: never a death), missing, kidnapped;
* "N were shot, one fatally" / "two of them died": the killed are a part of those shot.

Numbers that are never an incident's count: addresses ("the 9700 block"), ages ("55-year-old",
"Jane Doe, 19,"), years, clock times, and totals over a period ("965 people fatally shot by police
in 2015", "the 40th homicide this year"): these are read as cumulative and skipped.

Killed is the largest count of the dead in the lead, or 1 for a single victim who died. Injured
is the largest stated count of the wounded; else those shot less those of them who died; else 1
for a single victim who was hurt and is not the one who died.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wiretrace.doc.article import Article
from wiretrace.doc.scan import CaseBlind

LEAD_SENTENCES = 6  # body sentences read after the title: where the main incident is told

_WORD_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "lone": 1,
    "two": 2,
    "both": 2,
    "pair": 2,
    "couple": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "dozen": 12,
    "another": 1,
    "third": 1,
}
# What a count starts with: a digit or a number word's first letter (a lookahead on it skips the
# other positions before the costlier checks there).
_NUM_FIRST = r"(?=[\d" + "".join(sorted({w[0] for w in _WORD_NUMBERS})) + "])"
_NUM = (
    r"(?P<num>\b"
    + _NUM_FIRST
    + r"(?:\d{1,3}(?!\d|[-\s]*(?:year|yr|month|week|day|block|hundred block|th\b"
    r"|st\b|nd\b|rd\b|:|a\.m|p\.m|percent|%|caliber|mm\b))|"
    + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
    + r")\b)"
)
_PERSON = (
    r"(?:m[ae]n|wom[ae]n|person|people|persons|individuals?|teens?|teenagers?|boys?|girls?|"
    r"child|children|kids?|toddlers?|infants?|bab(?:y|ies)|victims?|students?|officers?|"
    r"deput(?:y|ies)|troopers?|residents?|customers?|bystanders?|friends?|relatives?|brothers?|"
    r"sisters?|mothers?|fathers?|sons?|daughters?|wi(?:fe|ves)|husbands?|adults?|juveniles?|"
    r"males?|females?|others?|suspects?|gunm[ae]n|shooters?|employees?|workers?|clerks?|"
    r"patrons?|guests?|neighbou?rs?|passengers?|drivers?|youths?|minors?|cousins?|"
    r"grandmothers?|grandfathers?|girlfriends?|boyfriends?|roommates?|year-olds?|partners?|"
    r"spouses?|neighbou?rs?|teenagers?|soldiers?|owners?|homeowners?|fisherm[ae]n|villagers?|"
    r"civilians?|hostages?|tourists?|journalists?|pilgrims?|hikers?|campers?)"
)
# Up to four words between a count and its person noun ("two young Chicago men").
_ADJ = (
    r"(?:(?!(?:where|when|who|whom|which|that|says?|said|was|were|is|are|and|or|but|after|as|in|"
    r"on|at|of|an?|the|to|from|by|with|for|police|had|has|have)\b)[\w'’.-]+\s+){0,4}?"
)
_BE = (
    r"(?:\s*,[^,.;]{1,80},)?(?:\s*,)?\s+(?:who\s+)?(?:(?:was|were|is|are|had|has|have|been|being|got|"
    r"reportedly|later|also|both|all|each|then|allegedly|apparently|eventually|each|now|"
    r"each|were\s+all|remains?|remained|lay|lies|left|found|listed|say|said)\s+){0,4}"
)
_KILLED = (
    r"(?:shot\s+(?:and\s+killed|dead|to\s+death|and\s+(?:later\s+)?died)|fatally\s+\w+|killed|"
    r"dead|died|dies|deceased|slain|murdered|gunned\s+down|pronounced\s+dead|mortally\s+wounded|"
    r"killed|stabbed\s+to\s+death|beaten\s+to\s+death|perished|lost\s+(?:his|her|their)\s+lives?)"
)
_HARMED = (
    r"(?:(?:with|suffer(?:ed|ing|s)(?:\s+from)?|received|receiving|sustained|sustaining)\s+"
    r"(?:\w+\s+){0,3}?(?:wounds?|injur(?:y|ies))|"
    r"shot|wounded|injured|hurt|hospitali[sz]ed|struck|hit|grazed|in\s+(?:critical|serious|"
    r"stable|fair|good|grave|unknown)\s+condition|taken\s+to\s+(?:a\s+|the\s+)?(?:\w+\s+){0,3}"
    r"hospital|treated)"
)
_MISSING = r"(?:missing|unaccounted\s+for)"
_KIDNAPPED = r"(?:kidnapped|abducted|taken\s+hostage|held\s+hostage)"
_OUTCOME = rf"(?P<out>{_KILLED}|{_MISSING}|{_KIDNAPPED}|{_HARMED})"
_SUBJECT = CaseBlind(
    re.compile(
        rf"{_NUM_FIRST}(?<!US )(?<!Route )(?<!Highway )(?<!Interstate )(?<!No\. )(?<!I-)"
        rf"{_NUM}\s+{_ADJ}(?P<noun>{_PERSON})\b{_BE}{_OUTCOME}",
        re.IGNORECASE,
    )
)
# "left a man dead", "left another teen critically wounded", "leaving two people injured".
_LEFT = re.compile(
    rf"\b(?:left|leaving|leaves)\s+{_NUM}\s+{_ADJ}(?P<noun>{_PERSON})\s+(?:\w+ly\s+)?"
    rf"(?P<out>dead|wounded|injured|hurt|in\s+\w+\s+condition|with\s+(?:\w+\s+){{0,3}}"
    r"(?:wounds?|injuries))",
    re.IGNORECASE,
)
# Counted victims as objects: "killing three people", "shot two men", "wounding 4".
_OBJECT = CaseBlind(
    re.compile(
        rf"\b(?P<verb>killing|killed|kills|kill|wounding|wounded|injuring|injured|shooting|shot|"
        rf"shoots|murdering|murdered)\s+(?:at\s+least\s+)?{_NUM}\s+"
        rf"(?:{_ADJ}(?P<noun>{_PERSON})\b)?",
        re.IGNORECASE,
    )
)
# A count beside its outcome word: "1 dead, 2 hurt", "three dead", "2 injured in shooting".
_BARE = CaseBlind(
    re.compile(
        rf"{_NUM}\s+(?:others?\s+|more\s+)?(?P<out>dead|killed|injured|wounded|hurt|shot|"
        r"hospitali[sz]ed)\b",
        re.IGNORECASE,
    )
)
# "two people were shot, one fatally", "three were shot; two of them died".
_PART_DIED = re.compile(
    rf"(?:,|;|\band\b)\s*{_NUM}\s+(?:of\s+(?:them|whom)\s+)?(?:fatally|(?:who\s+|later\s+)?died|"
    r"was\s+killed|is\s+dead|(?:has\s+)?died)\b",
    re.IGNORECASE,
)
# A single victim named, aged or pronoun: "Jane Doe, 19, was shot", "the 18-year-old died",
# "he was pronounced dead".
_SINGLE = re.compile(
    r"(?P<who>\b(?:[Hh]e|[Ss]he)\b|\b[Tt]he\s+(?:\d{1,3}-year-old|victim|teen(?:ager)?|boy|girl|man|"
    r"woman|child|toddler)\b|\b[A-Z][a-z]+(?:\s+[A-Z][a-z'’.-]+){1,3}(?:,\s+\d{1,3},)?|"
    r"\b(?:[Aa]n?)\s+(?:[\w'’-]+\s+){0,3}?(?:\d{1,3}-year-old|man|woman|teen(?:ager)?|boy|girl|"
    r"child|toddler|person|officer|deputy|trooper|bystander|student|victim|male|female)\b)"
    rf"{_BE}{_OUTCOME}",
)
_NO_ONE = re.compile(
    r"\b(?:no\s+(?:one|other\s+\w+|other\s+injuries|injuries|one\s+else)|nobody|none)\s+"
    r"(?:else\s+)?(?:was|were|is|has\s+been|have\s+been|reported)?\s*"
    r"(?:\w+\s+){0,2}?(?:hurt|injured|wounded|hit|struck|reported)",
    re.IGNORECASE,
)
# A total over a period, not one incident: "in 2015", "this year", "so far", "since January".
_PERIOD = CaseBlind(
    re.compile(
        r"\b(?:(?:in|during|since|of|for)\s+(?:19|20)\d\d\b|this\s+year|last\s+year|so\s+far|"
        r"since\s+(?:january|february|march|april|may|june|july|august|september|october|"
        r"november|december|the\s+start|the\s+beginning)|each\s+year|every\s+year|per\s+year|"
        r"a\s+year\b|annually|over\s+the\s+(?:past|last)\s+\w+|in\s+the\s+(?:past|last)\s+\w+\s+"
        r"(?:years|months|weeks|decades?)|year[-\s]to[-\s]date|homicides?\s+(?:this|of\s+the))",
        re.IGNORECASE,
    )
)
_SITE_SUFFIX = re.compile(r"\s+(?:[|«»]|-\s|–\s|—\s).*$")
_NEXT_VICTIM = re.compile(
    r"\b(?:another|a\s+second|a\s+third|second|third|other|others|also)\b", re.IGNORECASE
)


# Cheap pre-check: a sentence with none of these cannot hold a victim phrase (substring tests
# run in C; the phrase patterns cost ten times more).
_OUTCOME_HINTS = (
    "shot", "kill", "dead", "die", "deceased", "slain", "murder", "gunned", "death", "perish",
    "lost", "wound", "injur", "hurt", "hospital", "struck", "hit", "grazed", "condition",
    "treated", "missing", "unaccounted", "kidnap", "abduct", "hostage", "fatal", "shoot",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class VictimMention:
    """One victim phrase: how many, what happened to them, where in the text."""

    count: int
    outcome: str  # "killed", "shot" (killed or not), "injured", "missing", "kidnapped"
    single: bool  # no number stated ("a man", "he", "Jane Doe, 19,")
    cumulative: bool  # a total over a period, never the incident's count
    part: bool  # the killed among those counted before ("one fatally")
    next_victim: bool  # "another man", "a second woman": not the victim already counted
    sentence_index: int  # -1 for the title
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        return {
            "count": self.count,
            "outcome": self.outcome,
            "single": self.single,
            "cumulative": self.cumulative,
            "part": self.part,
            "sentence_index": self.sentence_index,
            "start": self.start,
            "end": self.end,
        }


def _count(text: str) -> int | None:
    word = text.lower()
    if word.isdigit():
        return int(word)
    return _WORD_NUMBERS.get(word)


def _outcome(text: str) -> str:
    low = " ".join(text.lower().split())
    if re.fullmatch(_KILLED, low):
        return "killed"
    if re.fullmatch(_MISSING, low):
        return "missing"
    if re.fullmatch(_KIDNAPPED, low):
        return "kidnapped"
    return "shot" if low.split()[0] in ("shot", "struck", "hit", "grazed") else "injured"


# A single victim as object: "shot his wife", "shoots himself", "accused of shooting a neighbor".
_SINGLE_OBJECT = CaseBlind(
    re.compile(
        rf"\b(?P<verb>shoots|shot|shooting|wounds|wounded|wounding|injures|injured|injuring|"
        rf"kills|killed|killing|murdered|murdering)\s+(?:and\s+(?:wounds|kills|killed|wounded)"
        rf"\s+)?(?:(?:his|her|their|a|an)\s+{_ADJ}{_PERSON}|him|her|himself|herself|self)\b",
        re.IGNORECASE,
    )
)


# What follows a harming verb in the active voice: its object.
_AUX = re.compile(r"\b(?:was|were|is|are|been|be|being|got)\b", re.IGNORECASE)
_ACTIVE = re.compile(
    r"\s+(?:(?:twice|once|\w+ly|(?:several|multiple|\w+)\s+times)\s+)?(?:at|him|her|them|himself|herself|themselves|a|an|his|their|another|two|three|"
    r"several|multiple\s+people|into|up)\b"
)
_THEN_DIED = re.compile(
    r"\b(?:and|later)\s+(?:\w+\s+){0,2}(?:died|killed)\b|\bfatally\b|\bto\s+death\b|"
    r"\bwhere\s+(?:he|she|they)\s+(?:\w+\s+){0,2}(?:died|(?:was|were)\s+pronounced\s+dead)\b"
)


def _shot_then_died(sentence: str, end: int) -> bool:
    """'was shot multiple times and later died', 'shot ... and killed' in the same clause."""
    tail = sentence[end : end + 70].lower()
    clause = re.split(r"[;.]|\bbut\b|\bwhile\b", tail, maxsplit=1)[0]
    return bool(_THEN_DIED.search(clause))


def sentence_victims(sentence: str, offset: int, index: int) -> list[VictimMention]:
    """Victim phrases of one sentence (offsets into the article)."""
    sentence = sentence.replace("\u00ad", "")  # soft hyphens cut words ("neigh-bor")
    lower = sentence.lower()
    if not any(word in lower for word in _OUTCOME_HINTS):
        return []
    cumulative = bool(_PERIOD.search(sentence, lower))
    found: list[VictimMention] = []
    taken: list[tuple[int, int]] = []

    def add(count: int, outcome: str, single: bool, m: re.Match[str], part: bool = False) -> None:
        if any(s < m.end() and m.start() < e for s, e in taken):
            return
        # "Jane Doe shot at neighbors", "two men killed a clerk": the shooters (but a title's
        # "Man shot at party" is passive)
        headline_at = index < 0 and sentence[m.end() :].lstrip().startswith("at ")
        if _AUX.search(m.group(0)) is None and _ACTIVE.match(sentence, m.end()) and not headline_at:
            return
        parts_after = any(m.end() <= s < m.end() + 70 for s, _ in taken)  # "N shot, one fatally"
        if (
            outcome in ("shot", "injured")
            and not parts_after
            and _shot_then_died(sentence, m.end())
        ):
            outcome = "killed"
        before = sentence[max(0, m.start() - 12) : m.start() + 12]
        found.append(
            VictimMention(
                count=count,
                outcome=outcome,
                single=single,
                cumulative=cumulative and not single,
                part=part,
                next_victim=bool(_NEXT_VICTIM.search(before)),
                sentence_index=index,
                start=offset + m.start(),
                end=offset + m.end(),
            )
        )
        taken.append((m.start(), m.end()))

    for m in _PART_DIED.finditer(sentence):
        value = _count(m.group("num"))
        if value is not None and value < 100:
            add(value, "killed", False, m, part=True)
    for m in _LEFT.finditer(sentence):
        value = _count(m.group("num"))
        if value is not None and value < 100:
            out = m.group("out").lower()
            add(
                value,
                "killed" if out == "dead" else "injured",
                m.group("num").lower() in ("a", "an"),
                m,
            )
    for m in _SUBJECT.finditer(sentence, lower):
        value = _count(m.group("num"))
        if value is None or value >= 100:
            continue
        noun = m.group("noun").lower()
        if noun in ("suspect", "suspects", "gunman", "gunmen", "shooter", "shooters"):
            continue
        single = m.group("num").lower() in ("a", "an")
        add(value, _outcome(m.group("out")), single, m)
    for m in _OBJECT.finditer(sentence, lower):
        value = _count(m.group("num"))
        if (
            value is None
            or value >= 100
            or (m.group("noun") is None and not m.group("num").isdigit())
        ):
            continue
        verb = m.group("verb").lower()
        outcome = "killed"
        if verb.startswith(("wound", "injur")):
            outcome = "injured"
        elif verb.startswith("sho"):
            outcome = "shot"
        add(value, outcome, m.group("num").lower() in ("a", "an"), m)
    for m in _BARE.finditer(sentence, lower):
        value = _count(m.group("num"))
        if value is None or value >= 100 or m.group("num").lower() in ("a", "an"):
            continue
        word = m.group("out").lower()
        outcome = (
            "killed" if word in ("dead", "killed") else "shot" if word == "shot" else "injured"
        )
        add(value, outcome, False, m)
    for m in _SINGLE.finditer(sentence):
        add(1, _outcome(m.group("out")), True, m)
    for m in _SINGLE_OBJECT.finditer(sentence, lower):
        verb = m.group(0).lower()
        outcome = "killed" if re.search(r"\b(?:kill|murder)", verb) else "shot"
        add(1, outcome, True, m)
    return found


_TITLE_DEATH = re.compile(
    r"\b(?<!non-)(?<!non)(?:kill(?:s|ed|ing)?|dead|deadly|death|dies|died|fatal(?:ly)?|slain|"
    r"murder(?:ed|s)?|"
    r"homicide|murder-suicide)\b",
    re.IGNORECASE,
)
_TITLE_HARM = re.compile(
    r"\b(?:injur(?:e|es|ed|ies|y)|wound(?:ed|s)?|hurt|hospitali[sz]ed|shot|shoots?|critical)\b",
    re.IGNORECASE,
)


# The lead calls the incident a death although no victim phrase says so ("a deadly shooting",
# "investigating a homicide after a victim was shot", "found the body of").
_LEAD_DEATH = re.compile(
    r"\b(?:(?<!non-)(?:deadly|fatal)\s+shooting|investigating\s+(?:a|the)\s+homicide|"
    r"(?:found|discovered|recovered)\s+(?:the\s+)?body|bodies\s+of)\b",
    re.IGNORECASE,
)


def main_incident_victims(article: Article) -> dict[str, int | None]:
    """Killed, injured, missing and kidnapped of the article's main incident (see the module
    docstring); every value is null when the article names no victim at all."""
    title = _SITE_SUFFIX.sub("", article.title)
    units = [(-1, 0, title)] if title else []
    text = article.text
    for index, (start, end) in enumerate(article.spans[: LEAD_SENTENCES + 1]):
        units.append((index, start, text[start:end]))
    mentions: list[VictimMention] = []
    for index, offset, sentence in units:
        mentions += sentence_victims(sentence, offset, index)
    title_death = bool(_TITLE_DEATH.search(title))
    title_harm = bool(_TITLE_HARM.search(title))
    if not mentions and not title_death and not title_harm:
        return {"killed": None, "injured": None, "missing": None, "kidnapped": None}
    counted = [m for m in mentions if not m.cumulative]

    def most(outcome: str, single: bool = False, part: bool = False) -> int:
        """The title's largest such count, else the lead's first: a later count in the lead is
        more often another incident ("earlier, 30 were killed elsewhere") than the same one."""
        found = [
            m for m in counted if m.outcome == outcome and m.single == single and m.part == part
        ]
        in_title = [m.count for m in found if m.sentence_index < 0]
        return max(in_title) if in_title else found[0].count if found else 0

    part_killed = most("killed", part=True)
    single_killed = any(m.outcome == "killed" and m.single for m in counted)
    killed = max(most("killed"), part_killed)
    lead = " ".join(sentence for index, _, sentence in units if index < 3)
    if not killed and (single_killed or title_death or _LEAD_DEATH.search(lead)):
        killed = 1
    shot = [m for m in counted if m.outcome == "shot" and not m.single]
    singles = [m for m in counted if m.single and m.outcome in ("shot", "injured")]
    if most("injured"):
        injured = most("injured")
    elif shot:
        biggest = max(shot, key=lambda m: m.count)
        injured = biggest.count if biggest.next_victim else max(biggest.count - killed, 0)
    elif singles and (not killed or any(m.next_victim for m in singles)):
        injured = 1
    else:
        injured = int(title_harm and not killed)
    return {
        "killed": killed,
        "injured": injured,
        "missing": most("missing"),
        "kidnapped": most("kidnapped"),
    }
