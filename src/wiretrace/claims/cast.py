"""The people and organisations of one article, for resolving quotes' speakers (`speakers.py`).

Runs of capitalised words that are people (two to four words with a title, a role word, an age
or a speech verb beside them, and no word of an organisation, a place, a street or a building)
or organisations (a head word such as "Council", an acronym, or an apposition that says so:
"X, the group that ..."), each with the gender the article gives it (titles, role words such as
"spokeswoman", and the pronouns that follow its mentions), its roles and ages, and every
mention's position. A surname or a first name alone is the full name it belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from wiretrace.claims import quote_patterns as qp
from wiretrace.claims.given_names import gender_of
from wiretrace.doc.words import MONTHS, WEEKDAYS, lowered
from wiretrace.doc.words import word_set as _words

# How far back (characters) a pronoun may point: about four short news paragraphs.
REACH = 1500
MALE = _words("he him his himself")
FEMALE = _words("she her hers herself")
MALE_TITLES = _words("mr mr. sir lord father brother king prince")
FEMALE_TITLES = _words("mrs mrs. ms ms. miss dame lady sister queen princess madam")
MALE_ROLES = _words(
    "spokesman chairman businessman congressman councilman alderman father son husband boy "
    "brother uncle grandfather man"
)
FEMALE_ROLES = _words(
    "spokeswoman chairwoman businesswoman congresswoman councilwoman alderwoman mother "
    "daughter wife girl sister aunt grandmother woman"
)
# Words that make a capitalised run something other than a person.
NOT_PERSON = _words(
    """street st avenue ave road rd boulevard drive lane way highway square park place
    school schools college university academy hospital centre center church mosque hall
    station airport bridge tower building court courthouse arena stadium hotel mall
    market store restaurant cafe theatre theater museum library gallery club
    mainland island islands river lake mountain mountains valley bay coast north south east
    by and the for at in on west northern southern eastern western province provinces
    state states county city
    town village district region territory territories republic kingdom
    news times post star sun globe mail press network channel radio tv television magazine
    daily weekly herald tribune journal gazette report reports study survey
    inc ltd corp corporation co company group holdings bank fund foundation trust
    agency ministry department office council committee commission board authority
    service services police force forces army navy party union association institute
    society federation league organization organisation coalition alliance network
    government parliament senate congress assembly house court tribunal
    tours tour games game cup championship series festival awards award prize
    day week month year
    read more watch video photo photos click follow subscribe sign share related advertisement
    continued below article story update updated editor note opinion analysis
    health care act law program programme project plan strategy policy fund"""
) | lowered(WEEKDAYS, MONTHS - {"May"})  # not "may": a verb far more often than a month
ORG_HEADS = _words(
    """agency ministry department office council committee commission board authority
    service services police force forces army navy party union association institute
    society federation league organization organisation coalition alliance government
    parliament senate congress assembly court tribunal company corporation corp inc ltd
    bank foundation trust group network university college school hospital centre center
    club team campaign fund institute laboratory lab"""
)
# Lower-case nouns of a group that speaks as one ("officials", "the union", "police").
GROUP_NOUNS = _words(
    """officials authorities police union company government ministry department council
    board committee commission agency organization organisation group association party
    team club federation coalition campaign researchers scientists experts critics
    protesters protestors residents workers employees members parents students doctors
    nurses teachers lawyers prosecutors investigators organizers organisers advocates
    activists analysts economists opponents supporters leaders staff firm city province
    court utility firm bank retailer airline insurer carrier broadcaster network
    school hospital province ministry regulator watchdog"""
)
# Capitalised words before a name that are its role ('Coach Stephen Gillis', 'Coun. X').
ROLE_PREFIXES = _words(
    """coach coun councillor councilor organizer organiser activist resident farmer owner
    founder co-founder executive principal teacher trustee volunteer candidate premier mp
    mpp mla officer constable det detective
    supt superintendent inspector sgt staff dr professor prof judge justice crown attorney
    commissioner ceo president chair chairman chairwoman director manager spokesperson
    spokesman spokeswoman minister leader chief mayor senator sen rep speaker secretary"""
)
_ROLE_WORDS = qp.ROLE_NOUNS | ROLE_PREFIXES | MALE_ROLES | FEMALE_ROLES
# Party members: 'the Ohio Democrat' describes the person who spoke last; 'Republican Ola
# Penn' is her name after her party.
PARTY_MEMBERS = _words("republican democrat liberal conservative tory labourite socialist")
# Verbs that open a question and never a name ('Is Ruiz ...', 'Does Kessel ...').
_QUESTION_OPENERS = _words("is are was were does did do has have had can could should would")
# Nouns of a person that a description may end on ('the retired teacher', 'X, a nurse').
PERSON_NOUNS = _ROLE_WORDS | _words(
    """resident teacher nurse doctor driver farmer owner worker student mother father
        woman man veteran victim survivor neighbour neighbor parent widow widower officer
        businessman businesswoman volunteer retiree pensioner artist author singer player
        labourer laborer writer reporter journalist partner friend native graduate mom dad
        grandmother grandfather son daughter wife husband boy girl athlete coach captain
        dancer actor actress producer designer scientist economist lawyer politician
        historian physician surgeon pastor priest chef baker fan member citizen refugee
        immigrant mp mla mpp councillor councilor trustee defenceman forward goaltender"""
)
# An apposition that says the name before it is a person: 'X, who ...', 'X, 34,', 'X, a
# retired teacher' (not 'X, the host site of ...' or 'X, a non-partisan civic group').
_PERSON_APPOSITION = re.compile(
    r"^,\s+(?:who\b|\d{1,3}\b|(?:a|an|the)\s+(?:[\w'’-]+\s+){0,4}?(?:"
    + "|".join(sorted(PERSON_NOUNS, key=len, reverse=True))
    + r"|[\w-]+-year-old)s?\b)"
)
# Words of a capitalised run's prefix that are not a title: 'The' in 'The Kessel Rovers'.
_NOT_TITLE = qp.INTRO | qp.DETERMINERS | qp.PRONOUNS
# Words after which an apposition goes on about something else ('a nurse who ...').
_APP_STOP = _words("who whose which that of for at in with from and to on since")
# Nouns for a body that a definite description ('the utility') may stand for.
INSTITUTIONS = _words(
    """utility company firm group organization organisation agency corporation bank retailer
    airline insurer carrier broadcaster network ministry department board commission council
    union association party regulator watchdog"""
)
AGE_RE = re.compile(r"\b(\d{1,3})-year-old\b")
# Capitalised words on one line ('de', 'van', 'al-' inside, as whole words before another
# name: not the 'de' of 'Brann defended'); a possessive ends the run.
# The capital first, then the look behind it: a pattern opening with a character class is
# searched by a fast scan for that class (one opening with a look-behind tries every position).
_CAP_RUN = re.compile(
    r"[A-Z](?<![\w'’-][A-Z])[\w.-]*(?:['’][A-Za-z]{2,}[\w-]*)?"
    r"(?:[ \t]+(?:[A-Z][\w.-]*(?:['’][A-Za-z]{2,}[\w-]*)?|(?:de|van|von)(?=[ \t]+[A-Z])|al-\w+))*"
)
# A name followed by a pronoun of its own within a few words ('Ada Crane and her husband',
# 'Olek Brann lost his home'): a person.
_OWN_PRONOUN = re.compile(r"^(?:\s+[a-z]+){0,3}\s+(?:his|her|himself|herself)\b")
_PRONOUN_RE = re.compile(r"\b(?:he|him|his|himself|she|her|hers|herself)\b", re.I)
_PERSON_TITLES = MALE_TITLES | FEMALE_TITLES | _words("dr prof coun det sgt rev")
_CAP_PAIR = re.compile(r"\b[A-Z][a-z]+\s+[A-Z][a-z]+")
# Not inside a quotation: a speaker's "He ..." is someone they talk about.
_OPENING_PRONOUN = re.compile(r"(?:He|She|His|Her)\b")
SENTENCE_END = re.compile(r"[.!?][\"”’']?\s")
_SAY_AFTER = re.compile(
    r"^\s*(?:,[^,]{1,80},\s*)?(?:(?:" + "|".join(sorted(qp.AUX, key=len, reverse=True)) + r")\s+)*"
    r"(?:said|says|say|told|tells|added|adds|wrote|writes|explained|noted|argued|asked)\b"
)
# Evidence too weak for one capitalised word alone ('Kessel is', 'Rovers had').
_WEAK_EVIDENCE = re.compile(r"^\s+(?:is|was|has|had)\b")
_SAY_BEFORE = re.compile(r"\b(?:said|says|added|wrote|asked|according to)\s+$")
_AGE_AFTER = re.compile(r"^,\s*(\d{1,3})\s*,")
_PARENTHESIS_AFTER = re.compile(r"^\s+\(")
_VERB_AFTER = re.compile(r"^\s+(?:is|was|has|had|says|said|told|added)\b")


@dataclass(slots=True)
class Entity:
    """A person or organisation of the article, with every mention's position."""

    name: str
    kind: str  # "person" | "organisation" | "group"
    positions: list[int] = field(default_factory=list)
    male: int = 0
    female: int = 0
    roles: set[str] = field(default_factory=set)
    ages: set[str] = field(default_factory=set)

    @property
    def gender(self) -> str | None:
        # A given name of one gender weighs as much as a title ('Nancy Orr' stays a woman
        # after one 'he' that followed her name and meant someone else).
        by_name = gender_of(self.name.split()[0]) if self.kind == "person" else None
        male = self.male + 2 * (by_name == "m")
        female = self.female + 2 * (by_name == "f")
        if male > female:
            return "m"
        if female > male:
            return "f"
        return None


_GENDER_ROLES = MALE_ROLES | FEMALE_ROLES  # 'Congressman Tavi Roon': the name after it


# A full stop after a word of three letters or more, then a space: a sentence ends inside a run
# of capitalised words ('... Mr. Ames. All told'), unless the word is a title ('Gov.').
_RUN_SENTENCE_END = re.compile(r"(?<=[A-Za-z]{3})\.[ \t]+")


# Titles and capitalised role words right before a name ('Police Chief', 'Gov.', 'Mr.').
_LEADING_TITLES = re.compile(r"(?:\s*\b[A-Z][\w'’-]*\.?)+$")


def _runs(text: str) -> Iterable[re.Match[str]]:
    """Runs of capitalised words, cut where a sentence ends inside one."""
    for m in _CAP_RUN.finditer(text):
        cuts = [
            c
            for c in (_RUN_SENTENCE_END.finditer(m.group()) if "." in m.group() else ())
            if m.group()[: c.start()].split()[-1].lower() + "." not in qp.TITLES
            and m.group()[: c.start()].split()[-1].lower() not in qp.TITLES
        ]
        if not cuts:
            yield m
            continue
        lo = m.start()
        for c in cuts:
            yield from _CAP_RUN.finditer(text, lo, m.start() + c.start())
            lo = m.start() + c.end()
        yield from _CAP_RUN.finditer(text, lo, m.end())


# A weekday or month opening a run is a date before the name ('On Tuesday Marta Ivanko').
_DATE_WORDS = lowered(WEEKDAYS, MONTHS - {"May"})


# Abbreviated titles and the role noun a later description uses ('Sen.' ... 'the senator').
# fmt: off
_TITLE_ROLES = {
    "sen": "senator", "gov": "governor", "rep": "representative", "coun": "councillor",
    "supt": "superintendent", "sgt": "sergeant", "det": "detective", "prof": "professor",
    "dr": "doctor", "insp": "inspector", "const": "constable", "gen": "general",
    "lt": "lieutenant", "capt": "captain", "adm": "admiral", "col": "colonel", "maj": "major",
    "cmdr": "commander", "pres": "president"
}
# fmt: on


def clean_run(run: str) -> list[str]:
    """The name in a run of capitalised words: titles, roles and openers around it dropped."""
    return list(_clean_run(run))


@lru_cache(maxsize=8192)  # the same runs ('The', 'Police', a name) recur within and across texts
def _clean_run(run: str) -> tuple[str, ...]:
    words = run.split()
    # 'Education Minister Rob Fleming': the name is what follows the last role word.
    for k in range(len(words) - 2, -1, -1):
        low = words[k].lower().rstrip(".,")
        if low in qp.TITLES or low in PERSON_NOUNS or low in PARTY_MEMBERS:
            words = words[k + 1 :]  # also 'Actor Clint Vay', 'Republican Ola Penn'
            break
    while words and (
        (low := words[0].lower().rstrip(".")) in qp.TITLES
        or low in _QUESTION_OPENERS  # 'Is Ruiz ready?': a question, not a name
        or low in qp.INTRO
        or low in qp.DETERMINERS
        or low in qp.PRONOUNS
        or low in MALE_TITLES
        or low in FEMALE_TITLES
        or low in _DATE_WORDS
    ):
        words.pop(0)
    while words and words[-1].lower().rstrip(".") in qp.TITLES:
        words.pop()
    return tuple(w.rstrip(".,") for w in words if w.rstrip(".,"))


def is_person_name(words: list[str]) -> bool:
    if not 2 <= len(words) <= 4:
        return False
    for w in words:
        low = w.lower().removesuffix("'s").removesuffix("’s")
        if low in NOT_PERSON or low in qp.ORG_WORDS or w.isupper() or not w[:1].isupper():
            return False
        if any(ch.isdigit() for ch in w):
            return False
    return True


class Cast:
    """The people and organisations of one article, built once, asked once per quote."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.people: dict[str, Entity] = {}
        self.orgs: dict[str, Entity] = {}
        self.mentions: list[tuple[int, Entity]] = []
        self._tokens: dict[str, list[Entity]] = {}  # each word of a person's name -> people
        # surname -> (position, full name) of the first name given with no evidence beside it
        self._unconfirmed: dict[str, tuple[int, str]] = {}
        self._scan()

    # -- building ----------------------------------------------------------------------------

    def _scan(self) -> None:
        text = self.text
        for m in _runs(text):
            raw = m.group()
            words = clean_run(raw)
            if not words:
                continue
            start = m.start() + raw.find(words[0])
            before = text[max(0, m.start() - 40) : m.start()]
            after = text[m.end() : m.end() + 80]
            prefix = raw[: raw.find(words[0])].lower()
            titled = bool(set(prefix.replace(".", " ").split()) & _PERSON_TITLES)
            org_app = ORG_APPOSITION.match(after)
            person_like = is_person_name(words)
            # Evidence decides only for a name or a surname a longer name may end with: the
            # other runs skip its look around (a fifth of the quote rules' time).
            evidence = (
                org_app is None
                and (person_like or words[-1] in self._unconfirmed)
                and (
                    self._person_evidence(prefix, before, after)
                    or _OWN_PRONOUN.match(after) is not None
                )
            )
            longer = self._longer_name(words) if evidence else None
            if longer is not None and (len(words) > 1 or not _WEAK_EVIDENCE.match(after)):
                # 'Marc Kell' given with nothing beside it, later 'Kell, who ...' or 'Al Sayed
                # said' for 'Omar Al Sayed': the full name first given is that person, from
                # its first mention on (a later 'he' may point back to any of them).
                first_end = longer[0] + len(longer[1])
                self._add_person(longer[1], longer[0], "", "", "", first_end)
                self._add_person(longer[1], start, prefix, before, after, m.end())
            elif evidence and person_like:
                name = " ".join(words)
                # 'Al Sayed' after 'Omar Al Sayed': a surname of two words is that person.
                name = self._person_ending(name) or name
                self._add_person(name, start, prefix, before, after, m.end())
            elif org_app is None and person_like:
                # A name with nothing beside it to say it is a person: only a candidate for a
                # surname given alone later ('Ravi Ostrander of the agency ... Ostrander said').
                self._unconfirmed.setdefault(words[-1], (start, " ".join(words)))
            elif len(words) == 1 and (words[0] in self._tokens or titled):
                ent = self._token_owner(words[0])
                if ent is None and titled and is_person_name([words[0], words[0]]):
                    # 'Mr. Fry' before (or without) a full name: a person known by surname.
                    self._add_person(words[0], start, prefix, before, after, m.end())
                elif ent is not None:
                    ent.positions.append(start)
                    self.mentions.append((start, ent))
                    self._gender_votes(ent, prefix, before, m.end())
            elif (
                words[-1].lower() in ORG_HEADS
                or (words[0].isupper() and 2 <= len(words[0]) <= 6 and len(words) <= 3)
                or org_app
            ):
                name = " ".join(words)
                if len(words) > 1 and name.isupper():
                    continue  # a heading in capitals ('READ MORE')
                ent = self.orgs.setdefault(name, Entity(name, "organisation"))
                ent.positions.append(start)
                self.mentions.append((start, ent))
                if org_app:
                    ent.roles.add(org_app.group(1).lower())  # 'X, the group that ...': 'the group'

    def _token_owner(self, token: str, pos: int | None = None) -> Entity | None:
        """The person a single name belongs to: by surname, else by an unambiguous first
        name; given a position, a name that several people share is the one mentioned last
        before it ('Kwon' after 'Kwon Sun-ho' and 'Kwon Dae-jin': whoever was named last)."""
        owners = self._tokens.get(token, [])
        by_last = [e for e in owners if e.name.split()[-1] == token] or owners
        if len(by_last) > 1 and pos is not None:
            seen = [
                (max(p for p in e.positions if p < pos), e)
                for e in by_last
                if e.positions and min(e.positions) < pos
            ]
            if seen:
                return max(seen, key=lambda pe: pe[0])[1]
        if by_last and (len(by_last) == 1 or by_last is not owners):
            return by_last[0]
        return None

    def _person_ending(self, name: str) -> str | None:
        """The one person whose full name ends with `name` (a surname), if there is one."""
        longer = [n for n in self.people if n.endswith(" " + name)]
        return longer[0] if len(longer) == 1 else None

    def _longer_name(self, words: list[str]) -> tuple[int, str] | None:
        """(first position, name) of the longer name given earlier with no evidence that
        these words end ('Kell' or 'Al Sayed' after 'Omar Al Sayed'), not yet a person."""
        first = self._unconfirmed.get(words[-1])
        if first is None or first[1] in self.people or first[1] == " ".join(words):
            return None
        return first if first[1].endswith(" " + " ".join(words)) else None

    def _person_evidence(self, prefix: str, before: str, after: str) -> bool:
        words = prefix.replace(".", " ").split()
        if words and words[-1] in ("the", "a", "an"):
            return False  # 'The Kessel Rovers have', 'the Harbour Budget Officer': not people
        if any(w not in _NOT_TITLE and w not in _DATE_WORDS for w in words):
            return True  # a title before the name
        last_before = before.split()[-1:] if before.split() else []
        if last_before:
            word = last_before[0].lower().strip(",:")
            if {word, word.removesuffix("s")} & PERSON_NOUNS:
                return True  # 'harbour worker Tim Valder', 'spokesman Ivo Tarrant'

        if _SAY_AFTER.match(after) or _SAY_BEFORE.search(before) or _AGE_AFTER.match(after):
            return True
        if _PERSON_APPOSITION.match(after) or _PARENTHESIS_AFTER.match(after):
            return True
        return _VERB_AFTER.match(after) is not None

    def _next_sentence(self, end: int) -> str:
        m = SENTENCE_END.search(self.text, end)
        stop = m.end() if m else len(self.text)
        m2 = SENTENCE_END.search(self.text, stop)
        return self.text[end : min(m2.end() if m2 else len(self.text), end + 300)]

    def _add_person(
        self, name: str, start: int, prefix: str, before: str, after: str, end: int
    ) -> None:
        # The same person given again: one entity ('Pete Fry' after 'Mr. Fry' takes it over).
        ent = self.people.get(name)
        if ent is None:
            ent = Entity(name, "person")
            short = self.people.get(name.split()[-1]) if " " in name else None
            if short is not None and short is not ent:
                del self.people[short.name]
                ent.positions, ent.male, ent.female = short.positions, short.male, short.female
                ent.roles, ent.ages = short.roles, short.ages
                self.mentions = [(p, ent if e is short else e) for p, e in self.mentions]
            self.people[name] = ent
            for token in name.split():
                self._tokens.setdefault(token, []).append(ent)
        ent.positions.append(start)
        self.mentions.append((start, ent))
        if self.mentions[-2:-1] and self.mentions[-2][0] > start:
            # An earlier mention found later (`_longer_name`): mentions stay in text order.
            ent.positions.sort()
            self.mentions.sort(key=lambda pe: pe[0])
        words = before.lower().split() + prefix.split()
        for w in words[-5:]:
            w = w.strip(",.")
            titled = w in _TITLE_ROLES
            w = _TITLE_ROLES.get(w, w)  # 'Sen. Name' ... 'the senator', 'Adm.' ... 'the admiral'
            if titled or w in _ROLE_WORDS:
                ent.roles.add(w)
        app = re.match(r"^,\s+(?:a|an|the)\s+([^,.;]{1,60})", after)
        if app:
            # 'Jane Roe, the company's chief executive': the head noun and any role word.
            words = [w for w in app.group(1).lower().split() if not w.endswith(("'s", "’s"))]
            words = words[: next((k for k, w in enumerate(words) if w in _APP_STOP), None)]
            ent.roles.update(w for w in words if w in _ROLE_WORDS)
            if words:
                ent.roles.add(words[-1])
        age = _AGE_AFTER.match(after) or AGE_RE.search(before[-20:])
        if age:
            ent.ages.add(age.group(1))
        self._gender_votes(ent, prefix, before, end)

    def _gender_votes(self, ent: Entity, prefix: str, before: str, end: int) -> None:
        tokens = {w.strip(",.").lower() for w in prefix.split() + before.split()[-2:]}
        if tokens & (MALE_TITLES | MALE_ROLES):
            ent.male += 2
        if tokens & (FEMALE_TITLES | FEMALE_ROLES):
            ent.female += 2
        pronoun = self._pronoun_after(end)
        if pronoun == "m":
            ent.male += 1
        elif pronoun == "f":
            ent.female += 1

    def _pronoun_after(self, end: int) -> str | None:
        """The gender of the first gendered pronoun after a mention ending at `end`, in its
        own sentence before any other name ('Lonechild said she'), else in a next sentence
        that opens with one ('... Lonechild. She ...'); None without one. A name a 'he' or
        'she' points back to is a person ('Ravi Ostrander turned out ... "...," he said')."""
        m = SENTENCE_END.search(self.text, end)
        rest = self.text[end : m.start() if m else len(self.text)]
        cut = _CAP_PAIR.search(rest)
        pm = _PRONOUN_RE.search(rest[: cut.start()] if cut else rest)
        if pm is None and m is not None:
            pm = _OPENING_PRONOUN.match(self.text, m.end())
        if pm is None:
            return None
        return "m" if pm.group().strip(' "“').lower() in MALE else "f"

    # -- asking --------------------------------------------------------------------------------

    def full_name(self, name: str, pos: int | None = None) -> str | None:
        """The full name a surname or first name alone belongs to (the first given), or the
        name an acronym was defined for ('Parliamentary Budget Officer (PBO)')."""
        known = self.people.get(name)
        first = self._unconfirmed.get(name)
        if known is not None and (
            " " in name or first is None or not known.positions or known.positions[0] < first[0]
        ):
            return name
        if known is not None and first is not None:
            # 'Dale Orsons runs ... Mr. Orsons said': the full name given before the title.
            merged = self.people.setdefault(first[1], known)
            if merged is known and known.name != first[1]:
                known.name = first[1]
                self.people[first[1]] = known
            return first[1]
        if name.isupper() and 2 <= len(name) <= 6:
            return self._acronym(name)
        if " " in name:
            # 'Wasserman Tate' after 'Debra Wasserman Tate': a surname of several words.
            return self._person_ending(name)
        ent = self._token_owner(name, pos)
        first = self._unconfirmed.get(name)
        known_at = ent.positions[0] if ent is not None and ent.positions else -1
        if ent is not None and (first is None or known_at < first[0]):
            return ent.name
        full = first[1] if first is not None else None
        if full is not None and full in self.people:
            return full
        if full is not None:
            # Now it is known to be a person: it speaks.
            ent = Entity(full, "person")
            self.people[full] = ent
            for token in full.split():
                self._tokens.setdefault(token, []).append(ent)
            return full
        return None

    def _acronym(self, acronym: str) -> str | None:
        """The words an acronym was defined for: their capitalised initials spell it."""
        at = self.text.find(f"({acronym})")
        if at < 0:
            # Given in full somewhere without the letters beside it: the first run of
            # capitalised words whose initials spell it ('the Harbour Safety Board ... HSB').
            for run in CAP_WORDS.finditer(self.text):
                words = [w for w in run.group().split() if w[:1].isupper()]
                for n in range(len(words) - len(acronym) + 1):
                    if "".join(w[0] for w in words[n:]) == acronym:
                        return " ".join(words[n:])
            return None
        m = re.search(r"((?:[\w'’-]+\s+){1,9})$", self.text[max(0, at - 160) : at])
        if m is None:
            return None
        words = m.group(1).split()
        caps = [k for k, w in enumerate(words) if w[:1].isupper()]
        for n in range(len(caps)):
            if "".join(words[k][0] for k in caps[n:]) == acronym:
                return " ".join(words[caps[n] :])
        return None

    def before(self, pos: int) -> Iterable[tuple[int, Entity]]:
        """Mentions before `pos` within reach, nearest first."""
        for p, ent in reversed(self.mentions):
            if p < pos and pos - p <= REACH:
                yield p, ent

    def person(
        self, pos: int, gender: str | None, speakers: list[tuple[int, Entity]]
    ) -> str | None:
        """The person a 'he' / 'she' at `pos` most likely is."""

        def fits(ent: Entity) -> bool:
            return ent.kind == "person" and (gender is None or ent.gender in (None, gender))

        def strict(ent: Entity) -> bool:
            return ent.kind == "person" and gender is not None and ent.gender == gender

        mentions = [(p, e) for p, e in self.before(pos) if fits(e)]
        recent_speaker = next(
            ((p, e) for p, e in reversed(speakers) if p < pos and pos - p <= REACH and fits(e)),
            None,
        )
        # A person of the right known gender who opens a sentence after the last speaker of
        # that gender is the likelier antecedent ('Smith said ... . Jones, a nurse, ... she
        # said'); one named inside the speaker's own sentence is not ('Mr. Ames said he
        # agreed because Mr. Lund did. "...," he said': Ames).
        for p, ent in mentions:
            if recent_speaker is not None and p <= recent_speaker[0]:
                break
            if recent_speaker is None or (strict(ent) and self._opens_sentence(p)):
                return ent.name
        if recent_speaker is not None:
            return recent_speaker[1].name
        return mentions[0][1].name if mentions else None

    def _opens_sentence(self, pos: int) -> bool:
        """The name at `pos` (its title and capitalised role words before it set aside) opens
        a sentence or a line, or follows a quotation."""
        back = _LEADING_TITLES.sub("", self.text[max(0, pos - 80) : pos].rstrip()).rstrip()
        if back.endswith(("”", '"', "''")):
            return True  # right after a quotation: its speaker ('"...," Mr. Ames said')
        back = back.rstrip(" \t\"“'")
        return not back or back[-1] in ".!?\n:"

    def by_role(self, noun: str, pos: int) -> str | None:
        """The last person before `pos` given this role or age ('the minister', '34')."""
        for _, ent in self.before(pos):
            if ent.kind == "person" and (noun in ent.roles or noun in ent.ages):
                return ent.name
        return None


# 'Name, the group that ...', 'Name, a company based in ...': an organisation and what it is.
ORG_APPOSITION = re.compile(
    r",\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,2}?("
    + "|".join(sorted(INSTITUTIONS | ORG_HEADS | {"group", "charity", "coalition"}))
    # the head of its phrase: not 'the party chair', 'a union organiser'
    + r")\b(?=\s*[,.;:)]|\s*$|\s+(?:that|which|who|whose|of|in|at|for|with|and|based|"
    r"founded|on|from|to|representing|behind)\b)"
)
# Capitalised words, with the small words a name holds between them.
CAP_WORDS = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:(?:of|for|and|the|on|de)\s+)?[A-Z][\w'’-]*)+")
