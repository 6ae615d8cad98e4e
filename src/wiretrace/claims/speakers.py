"""Who a quote's speaker is: pronouns, descriptions and surnames resolved to a name in the text.

A speaker is given as written ("she", "the minister", "the 34-year-old", "Lonechild"); a
reader wants the person or organisation, by the name the article first gives ("Darian
Lonechild"). Rules, no model (the default claims pass has no parser):

* mentions: runs of capitalised words that are people (two to four words with a title, a role
  word, an age or a speech verb beside them, or a gendered pronoun after them, and no word of
  an organisation, a place, a street or a building) or organisations (a head word such as
  "Council" or "Police", or an acronym), each with the gender the article gives it (titles,
  role words such as "spokeswoman", and the pronouns that follow its mentions);
* a surname or first name alone is the full name it belongs to;
* "he" / "she": the most salient person of that gender (or of no known gender) before the
  quote: the last speaker, else the last person mentioned, within a few paragraphs;
* "they" / "it": the last organisation or group that spoke (a quoted speaker that is not a
  person), else the last organisation mentioned;
* "the minister", "the coach", "the 34-year-old": the last person given that role or age;
* anything else (headings, places, fragments of sentences) resolves to nothing: the speaker
  stays as written and `resolved` is None.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from wiretrace.claims import quote_patterns as qp
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
    spokesman spokeswoman minister leader chief mayor senator sen rep"""
)
_ROLE_WORDS = qp.ROLE_NOUNS | ROLE_PREFIXES | MALE_ROLES | FEMALE_ROLES
# Words after which an apposition goes on about something else ('a nurse who ...').
_APP_STOP = _words("who whose which that of for at in with from and to on since")
# Nouns for a body that a definite description ('the utility') may stand for.
INSTITUTIONS = _words(
    """utility company firm group organization organisation agency corporation bank retailer
    airline insurer carrier broadcaster network ministry department board commission council
    union association party regulator watchdog"""
)
AGE_RE = re.compile(r"\b(\d{1,3})-year-old\b")
# Capitalised words on one line ('de', 'van', 'al-' inside); a possessive ends the run.
_CAP_RUN = re.compile(
    r"(?<![\w'’-])[A-Z][\w.-]*(?:['’][A-Za-z]{2,}[\w-]*)?"
    r"(?:[ \t]+(?:[A-Z][\w.-]*(?:['’][A-Za-z]{2,}[\w-]*)?|de|van|von|al-\w+))*"
)
_PRONOUN_RE = re.compile(r"\b(?:he|him|his|himself|she|her|hers|herself)\b", re.I)
_PERSON_TITLES = MALE_TITLES | FEMALE_TITLES | _words("dr prof coun det sgt rev")
_CAP_PAIR = re.compile(r"\b[A-Z][a-z]+\s+[A-Z][a-z]+")
_OPENING_PRONOUN = re.compile(r"[\"“]?(?:He|She|His|Her)\b")
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s")
_SAY_AFTER = re.compile(
    r"^\s*(?:,[^,]{1,80},\s*)?(?:(?:" + "|".join(sorted(qp.AUX, key=len, reverse=True)) + r")\s+)*"
    r"(?:said|says|say|told|tells|added|adds|wrote|writes|explained|noted|argued|asked)\b"
)
_SAY_BEFORE = re.compile(r"\b(?:said|says|added|wrote|asked|according to)\s+$")
_AGE_AFTER = re.compile(r"^,\s*(\d{1,3})\s*,")


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
        if self.male > self.female:
            return "m"
        if self.female > self.male:
            return "f"
        return None


def _clean_run(run: str) -> list[str]:
    words = run.split()
    # 'Education Minister Rob Fleming': the name is what follows the last role word.
    for k in range(len(words) - 3, -1, -1):
        low = words[k].lower().rstrip(".,")
        if low in qp.TITLES or low in qp.ROLE_NOUNS or low in ROLE_PREFIXES:
            words = words[k + 1 :]
            break
    while words and (
        (low := words[0].lower().rstrip(".")) in qp.TITLES
        or low in qp.INTRO
        or low in qp.DETERMINERS
        or low in qp.PRONOUNS
        or low in MALE_TITLES
        or low in FEMALE_TITLES
    ):
        words.pop(0)
    while words and words[-1].lower().rstrip(".") in qp.TITLES:
        words.pop()
    return [w.rstrip(".,") for w in words if w.rstrip(".,")]


def _is_person_name(words: list[str]) -> bool:
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
        self._mentions: list[tuple[int, Entity]] = []
        self._tokens: dict[str, list[Entity]] = {}  # each word of a person's name -> people
        # surname -> (position, full name) of the first name given with no evidence beside it
        self._unconfirmed: dict[str, tuple[int, str]] = {}
        self._scan()

    # -- building ----------------------------------------------------------------------------

    def _scan(self) -> None:
        text = self.text
        for m in _CAP_RUN.finditer(text):
            raw = m.group()
            words = _clean_run(raw)
            if not words:
                continue
            start = m.start() + raw.find(words[0])
            before = text[max(0, m.start() - 40) : m.start()]
            after = text[m.end() : m.end() + 80]
            prefix = raw[: raw.find(words[0])].lower()
            titled = bool(set(prefix.replace(".", " ").split()) & _PERSON_TITLES)
            if _is_person_name(words) and self._person_evidence(prefix, before, after):
                self._add_person(" ".join(words), start, prefix, before, after, m.end())
            elif _is_person_name(words):
                # A name with nothing beside it to say it is a person: only a candidate for a
                # surname given alone later ('Ravi Ostrander of the agency ... Ostrander said').
                self._unconfirmed.setdefault(words[-1], (start, " ".join(words)))
            elif len(words) == 1 and (words[0] in self._tokens or titled):
                ent = self._token_owner(words[0])
                if ent is None and titled and _is_person_name([words[0], words[0]]):
                    # 'Mr. Fry' before (or without) a full name: a person known by surname.
                    self._add_person(words[0], start, prefix, before, after, m.end())
                elif ent is not None:
                    ent.positions.append(start)
                    self._mentions.append((start, ent))
                    self._gender_votes(ent, prefix, before, m.end())
            elif words[-1].lower() in ORG_HEADS or (
                words[0].isupper() and 2 <= len(words[0]) <= 6 and len(words) <= 3
            ):
                name = " ".join(words)
                if len(words) > 1 and name.isupper():
                    continue  # a heading in capitals ('READ MORE')
                ent = self.orgs.setdefault(name, Entity(name, "organisation"))
                ent.positions.append(start)
                self._mentions.append((start, ent))

    def _token_owner(self, token: str) -> Entity | None:
        """The person a single name belongs to: by surname, else by an unambiguous first
        name."""
        owners = self._tokens.get(token, [])
        by_last = [e for e in owners if e.name.split()[-1] == token]
        if by_last:
            return by_last[0]
        return owners[0] if len(owners) == 1 else None

    def _person_evidence(self, prefix: str, before: str, after: str) -> bool:
        if prefix.strip():
            return True  # a title before the name
        last_before = before.split()[-1:] if before.split() else []
        if last_before:
            word = last_before[0].lower().strip(",:")
            if {word, word.removesuffix("s")} & (qp.ROLE_NOUNS | ROLE_PREFIXES | MALE_ROLES):
                return True
        if _SAY_AFTER.match(after) or _SAY_BEFORE.search(before) or _AGE_AFTER.match(after):
            return True
        if re.match(r"^,\s+(?:a|an|the|who)\b", after) or re.match(r"^\s+\(", after):
            return True
        return bool(re.match(r"^\s+(?:is|was|has|had|says|said|told|added)\b", after))

    def _next_sentence(self, end: int) -> str:
        m = _SENTENCE_END.search(self.text, end)
        stop = m.end() if m else len(self.text)
        m2 = _SENTENCE_END.search(self.text, stop)
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
                self._mentions = [(p, ent if e is short else e) for p, e in self._mentions]
            self.people[name] = ent
            for token in name.split():
                self._tokens.setdefault(token, []).append(ent)
        ent.positions.append(start)
        self._mentions.append((start, ent))
        words = before.lower().split() + prefix.split()
        for w in words[-5:]:
            w = w.strip(",.")
            if w in qp.ROLE_NOUNS or w in ROLE_PREFIXES or w in MALE_ROLES or w in FEMALE_ROLES:
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
        # The first gendered pronoun after the mention in its own sentence ('Lonechild said
        # she'), else a next sentence that opens with one ('... Lonechild. She ...').
        m = _SENTENCE_END.search(self.text, end)
        rest = self.text[end : m.start() if m else len(self.text)]
        cut = _CAP_PAIR.search(rest)
        pm = _PRONOUN_RE.search(rest[: cut.start()] if cut else rest)
        if pm is None and m is not None:
            pm = _OPENING_PRONOUN.match(self.text, m.end())
        if pm:
            if pm.group().strip(' "“').lower() in MALE:
                ent.male += 1
            else:
                ent.female += 1

    # -- asking --------------------------------------------------------------------------------

    def full_name(self, name: str) -> str | None:
        """The full name a surname or first name alone belongs to (the first given), or the
        name an acronym was defined for ('Parliamentary Budget Officer (PBO)')."""
        if name in self.people:
            return name
        if name.isupper() and 2 <= len(name) <= 6:
            return self._acronym(name)
        if " " in name:
            return None
        ent = self._token_owner(name)
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
        for p, ent in reversed(self._mentions):
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
        # A person of the right known gender mentioned after the last speaker of that gender is
        # the likelier antecedent ('Smith said ... . Jones, a nurse, ... she said').
        for p, ent in mentions:
            if recent_speaker is not None and p <= recent_speaker[0]:
                break
            # A person of that known gender mentioned since.
            if strict(ent) or recent_speaker is None:
                return ent.name
        if recent_speaker is not None:
            return recent_speaker[1].name
        return mentions[0][1].name if mentions else None

    def by_role(self, noun: str, pos: int) -> str | None:
        """The last person before `pos` given this role or age ('the minister', '34')."""
        for _, ent in self.before(pos):
            if ent.kind == "person" and (noun in ent.roles or noun in ent.ages):
                return ent.name
        return None


def _pronoun_gender(word: str) -> str | None:
    low = word.lower()
    return "m" if low == "he" else "f" if low == "she" else None


class Resolver:
    """Speakers of one article's quotes, resolved in text order."""

    def __init__(self, text: str) -> None:
        self.cast = Cast(text)
        self.text = text
        self.speakers: list[tuple[int, Entity]] = []  # (position, entity) of resolved speakers
        self.groups: list[tuple[int, str]] = []  # (position, name) of non-person speakers

    def resolve(self, speaker: str, canonical: str, pos: int) -> str | None:
        """The name `speaker` (as written at `pos`, its title-less form `canonical`) stands
        for, or None where nothing fits."""
        low = speaker.lower().strip()
        cast = self.cast
        if low in ("he", "she"):
            name = cast.person(pos, _pronoun_gender(low), self.speakers)
            self._spoke(name, pos)
            return name
        if low in ("they", "it", "we"):
            return self._group(pos)
        if low == "who" or low.startswith("who "):
            # 'Name, who ...': the person named right before.
            near = next(iter(cast.before(pos)), None)
            if near is not None and pos - near[0] <= 120 and near[1].kind == "person":
                self._spoke(near[1].name, pos)
                return near[1].name
            return None
        if low in qp.PRONOUNS or low in ("which", "that", "i", "you"):
            return None
        words = low.split()
        rest = speaker.split()[1:]
        if words and words[0] == "the" and rest and all(w[:1].isupper() for w in rest):
            canonical = " ".join(rest)  # 'The CFA', 'The Kessel Water Board': a name
        elif words and words[0] in ("the", "this", "that") and 2 <= len(words) <= 4:
            head = words[-1].strip(",.")
            age = AGE_RE.search(low)
            name = None
            if age:
                name = cast.by_role(age.group(1), pos)
            elif head not in GROUP_NOUNS:
                name = cast.by_role(head, pos)  # 'the minister', 'the coach': given that role
            else:
                name = self._group(pos, head)
                if name is None and head in INSTITUTIONS:
                    name = self._organisation(pos)  # 'the utility': the body named before
                if name is None:
                    self.groups.append((pos, speaker))  # 'the union' ... 'they said'
            if name is not None:
                self._spoke(name, pos)
            return name
        cleaned = _clean_run(canonical) if _plausible_name(canonical) else []
        if cleaned and len(cleaned) < len(canonical.split()):
            canonical = " ".join(cleaned)  # 'Organizer Dwayne Croteau' -> 'Dwayne Croteau'
        if not _plausible_name(canonical):
            if _plausible_group(low):
                self.groups.append((pos, speaker))
                return speaker if speaker[:1].isupper() else None
            return None
        full = cast.full_name(canonical)
        if full is not None:
            self._spoke(full, pos)
            return full
        if qp.is_person(canonical) or self._surname(canonical):
            ent = cast.people.setdefault(canonical, Entity(canonical, "person"))
            self.speakers.append((pos, ent))
            return canonical
        # An organisation or a single name the article gives no more of.
        self.groups.append((pos, canonical))
        return canonical

    def _organisation(self, pos: int) -> str | None:
        """The organisation mentioned last before `pos`, within reach."""
        for _, ent in self.cast.before(pos):
            if ent.kind == "organisation":
                return ent.name
        return None

    def _surname(self, word: str) -> bool:
        """A single capitalised word that is a name: never written in lower case in the
        article ('Protestors' opening a sentence is the noun 'protestors')."""
        if " " in word or not _is_person_name([word, word]) or word.lower() in GROUP_NOUNS:
            return False
        return re.search(r"\b" + re.escape(word.lower()) + r"\b", self.text) is None

    def _spoke(self, name: str | None, pos: int) -> None:
        if name is None:
            return
        ent = self.cast.people.get(name)
        if ent is not None:
            self.speakers.append((pos, ent))

    def _group(self, pos: int, head: str | None = None) -> str | None:
        for p, name in reversed(self.groups):
            if p < pos and pos - p <= REACH and (head is None or head in name.lower()):
                return name
        # An organisation mentioned anywhere before: 'it' may point past several paragraphs
        # of quotation to the body named at the top.
        for p, ent in reversed(self.cast._mentions):
            if (
                p < pos
                and ent.kind == "organisation"
                and (head is None or head in ent.name.lower())
            ):
                return ent.name
        return None


def _plausible_name(name: str) -> bool:
    """A name as written: capitalised words (an organisation or a person), not a heading in
    capitals of more than one word, not a place word, not a sentence fragment."""
    words = name.split()
    if not words or len(words) > 8:
        return False
    if len(words) > 1 and name.isupper():
        return False  # 'READ MORE'
    caps = [w for w in words if w[:1].isupper() or w in ("of", "for", "and", "the", "de", "al-")]
    return len(caps) == len(words) and words[0][:1].isupper()


def _plausible_group(low: str) -> bool:
    words = low.split()
    return bool(words) and len(words) <= 6 and words[-1].strip(",.") in GROUP_NOUNS


_FRAGMENT_PRONOUN = re.compile(r"\b(he|she|they|we|I)$")
_VERBISH = _words("is are was were be been can could will would has have had lies it's there")


_NAME_THEN_VERB = re.compile(
    r"((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*|[Hh]e|[Ss]he|[Tt]hey)"
    r"\s+(?:(?:also|then|later|again|first|repeatedly)\s+)?[a-z]+ed\s+\S"
)


def trim_fragment(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A speaker phrase that is a piece of a sentence: ending in a pronoun ('It's something
    she') it is the pronoun; a name and what it did ('Roy Graf protested the two bills,
    saying') it is the name."""
    s, e = span
    phrase = text[s:e]
    if " " not in phrase.strip():
        return span
    nv = _NAME_THEN_VERB.match(phrase)
    if nv:
        return (s, s + nv.end(1))
    m = _FRAGMENT_PRONOUN.search(phrase)
    if m and any(
        w.lower() in _VERBISH or w.lower() in ("what", "something") for w in phrase.split()
    ):
        return (s + m.start(), s + m.end())
    return span
