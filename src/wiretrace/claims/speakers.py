"""Who a quote's speaker is: pronouns, descriptions and surnames resolved to a name in the text.

A speaker is given as written ("she", "the minister", "the 34-year-old", "Lonechild"); a
reader wants the person or organisation, by the name the article first gives ("Darian
Lonechild"). Rules, no model (the default claims pass has no parser):

* mentions: the people and organisations of the article (`cast.py`), each with its gender,
  roles and ages; a surname or first name alone is the full name it belongs to (a name two
  people share: the one named last), an acronym the words it stands for;
* a person who opens the sentence right before a quote speaks it: a quotation with no
  attribution of its own, or a "he" / "she" of the right gender after it, is theirs
  ('Ravi Ostrander of the union turned out early. "...," he said.');
* "he" / "she": the most salient person of that gender (or of no known gender) before the
  quote: the last speaker, else the last person mentioned, within a few paragraphs;
* "they" / "it": the last organisation or group that spoke (a quoted speaker that is not a
  person), else the last organisation mentioned; "the group" / "the union": the organisation
  so named or so described;
* "the minister", "the coach", "the 34-year-old": the last person given that role or age;
* anything else (headings, places, fragments of sentences) resolves to nothing: the speaker
  stays as written and `resolved` is None.
"""

from __future__ import annotations

import re

from wiretrace.claims import quote_patterns as qp
from wiretrace.claims.cast import (
    AGE_RE,
    GROUP_NOUNS,
    INSTITUTIONS,
    ORG_HEADS,
    PARTY_MEMBERS,
    PERSON_NOUNS,
    REACH,
    SENTENCE_END,
    Cast,
    Entity,
    clean_run,
    is_person_name,
)
from wiretrace.doc.words import MONTHS, WEEKDAYS, lowered
from wiretrace.doc.words import word_set as _words


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

    def resolve(
        self, speaker: str, canonical: str, pos: int, quote_start: int | None = None
    ) -> str | None:
        """The name `speaker` (as written at `pos`, its title-less form `canonical`, of the
        quote whose content starts at `quote_start`) stands for, or None where nothing fits."""
        low = speaker.lower().strip()
        cast = self.cast
        if low in ("he", "she"):
            gender = _pronoun_gender(low)
            at = pos if quote_start is None else min(pos, quote_start)
            name = (
                self.subject(pos, gender)
                or self.opener(at, gender)
                or cast.person(pos, gender, self.speakers)
            )
            ent = cast.people.get(name) if name is not None else None
            if ent is not None and ent.gender is None:
                # A 'he' / 'she' that is this person says which they are, for later pronouns.
                ent.male += gender == "m"
                ent.female += gender == "f"
            self.spoke(name, pos)
            return name
        if low in ("they", "it", "we"):
            return self._group(pos)
        if low == "who" or low.startswith("who "):
            # 'Name, who ...': the person named right before.
            near = next(iter(cast.before(pos)), None)
            if near is not None and pos - near[0] <= 120 and near[1].kind == "person":
                self.spoke(near[1].name, pos)
                return near[1].name
            named = _NAME_BEFORE_WHO.search(self.text, max(0, pos - 160), pos)
            if named is not None:
                # 'by Nunes, the champion who calls herself': the name the clause hangs on.
                words = clean_run(named.group(1))
                full = cast.full_name(words[-1], pos) if words else None
                name = full or (" ".join(words) if is_person_name(words) else None)
                self.spoke(name, pos)
                return name
            return None
        if low in qp.PRONOUNS or low in ("which", "that", "i", "you"):
            return None
        owner = re.match(
            r"(his|her)\s+(?:\w+\s+)?(?:statement|email|e-mail|letter|post|tweet)s?$", low
        )
        if owner is not None:
            # 'her statement said': whoever 'her' is.
            return self.resolve("he" if owner.group(1) == "his" else "she", "", pos, quote_start)
        document = _DOCUMENT_SPEAKER.match(low)
        if document is not None:
            # 'the study', 'a tweet last week', 'government data': who wrote it, if the
            # article says ('a study by the Kessel Institute'), or who spoke last (a message).
            return self._author(document.group("noun"), pos)
        clause = re.match(r"((?:the|a|an)\s+\w+)\s+(?:that|who|which)\s", low)
        if clause is not None:
            # 'the group that organised the march': the description before its clause.
            speaker = speaker[: clause.end(1)]
            low = clause.group(1)
        words = low.split()
        rest = speaker.split()[1:]
        if words and words[0] == "the" and words[-1] in MEMBER_NOUNS and len(words) <= 5:
            # 'The South Carolina Republican': a description of the person speaking.
            last = next((e for p, e in reversed(self.speakers) if p < pos), None)
            if last is not None and last.kind == "person":
                self.spoke(last.name, pos)
                return last.name
            return None
        if (
            words
            and words[0] == "the"
            and rest
            and rest[0][:1].isupper()
            and all(w[:1].isupper() or w in _NAME_SMALL_WORDS for w in rest)
        ):
            # 'The CFA', 'The Kessel Water Board', 'the Party of Orlan': a name
            canonical = " ".join(rest)
        elif (
            words
            and words[0] in ("the", "a", "an")
            and len(words) <= 6
            and speaker.split()[-1][:1].isupper()
            and (known := cast.full_name(speaker.split()[-1], pos)) in cast.people
        ):
            # 'The more cautious Kell': a description before a surname the article knows.
            self.spoke(known, pos)
            return known
        elif words and words[0] in ("the", "this", "that") and 2 <= len(words) <= 4:
            head = words[-1].strip(",.")
            if "of" in words[2:]:
                head = words[words.index("of", 2) - 1]  # 'the mother of two': 'mother'
            age = AGE_RE.search(low)
            name = None
            if age:
                name = cast.by_role(age.group(1), pos)
                if name is None:
                    # 'Ada Crane found work. The 32-year-old said': an age the article did
                    # not give before is the person who opens the sentence before.
                    name = self.opener(pos, named_only=True)
            elif head not in GROUP_NOUNS:
                name = cast.by_role(head, pos)  # 'the minister', 'the coach': given that role
                if name is None and head in PERSON_NOUNS:
                    # 'Ada Crane lives on Marrow Street. The Dunmere resident said': a
                    # description right after a sentence that opens with a person is them.
                    name = self.opener(pos, named_only=True)
                if name is None and head in ORG_HEADS:
                    # 'the budget office', 'the foundation': the body named before with
                    # every word of the description ('Kessel Budget Office').
                    name = self._named_body(pos, words[1:])
            else:
                name = self._group(pos, head)
                if name is None and head in INSTITUTIONS:
                    name = self._organisation(pos)  # 'the utility': the body named before
                if name is None and head in INSTITUTIONS:
                    # 'the agency': the body that spoke last, by its name (one body: never
                    # 'researchers' or 'officials', a group of people that spoke before).
                    name = self._group(pos, named=True)
                if name is None:
                    self.groups.append((pos, speaker))  # 'the union' ... 'they said'
            if name is not None and name in cast.people:
                self.spoke(name, pos)
            elif name is not None:
                self.groups.append((pos, name))  # the body that spoke, for 'it' / 'a tweet'
            return name
        cleaned = clean_run(canonical) if _plausible_name(canonical) else []
        if cleaned and len(cleaned) < len(canonical.split()):
            canonical = " ".join(cleaned)  # 'Organizer Dwayne Croteau' -> 'Dwayne Croteau'
        if not _plausible_name(canonical):
            if _plausible_group(low):
                self.groups.append((pos, speaker))
                return speaker if speaker[:1].isupper() else None
            inner = _INNER_NAME.search(speaker)
            if (
                inner is not None
                and is_person_name(inner.group().split())
                and speaker[: inner.start()].split()[-1].lower() not in _NAME_SMALL_WORDS
            ):
                # 'The prize-winning novelist Ines Ruda, one of the signers': the name in it.
                name = cast.full_name(inner.group(), pos) or inner.group()
                cast.people.setdefault(name, Entity(name, "person"))
                self.spoke(name, pos)
                return name
            return None
        full = cast.full_name(canonical, pos)
        if full is not None:
            self.spoke(full, pos)
            return full
        outlet = _REPORTED.match(self.text, pos + len(speaker))
        if outlet is None and (is_person_name(canonical.split()) or self._surname(canonical)):
            ent = cast.people.setdefault(canonical, Entity(canonical, "person"))
            self.speakers.append((pos, ent))
            return canonical
        # An organisation or a single name the article gives no more of.
        self.groups.append((pos, canonical))
        return canonical

    def opener(
        self, pos: int, gender: str | None = None, *, named_only: bool = False
    ) -> str | None:
        """The person who opens the sentence just before the one at `pos`, as its subject
        ('Ravi Ostrander of the union turned out early. "...," he said.'; 'Ostrander did not
        hesitate. "..."'): a person newly brought in is who speaks next, before any earlier
        speaker. None when that sentence quotes someone itself, ends in a colon, or opens with
        anything but a name (or 'He' / 'She': the person that pronoun is)."""
        text = self.text
        here = _sentence_start(text, pos)
        head = text[max(0, here - 400) : here].rstrip(' \t\n"“')
        if not head.endswith((".", "!", "?")):
            return None
        base = here - 400 if here > 400 else 0
        start = base + _sentence_start(head, len(head) - 1)
        return self._opening_person(start, text[start : base + len(head)], gender, named_only)

    def subject(self, pos: int, gender: str | None) -> str | None:
        """The person who opens the sentence a 'he' / 'she' at `pos` stands inside, as its
        subject ('Dale Orsons was sure of it when he said ...'; 'Spokesperson Lu Kang gave no
        details, but he said ...'): a pronoun later in a clause points to the clause's
        subject. None for a pronoun that opens its sentence or follows a quotation in it."""
        text = self.text
        start = _sentence_start(text, pos)
        if not text[start:pos].strip() or re.search(r"[\"“”]", text[start:pos]):
            return None
        for p, ent in self.cast.before(pos):
            if p < start:
                break
            if ent.kind != "person" or (gender is not None and ent.gender not in (None, gender)):
                continue
            if _DETERMINER_BEFORE.search(text, max(start, p - 8), p):
                continue  # 'The Kessel outlets have', 'a Dunmore spokesman': a modifier
            back = _LEADING_CAPS.sub("", text[start:p]).rstrip()
            run = _NAME_AT.match(text, p)
            if run is None or not _SUBJECT_AFTER.match(text, run.end()):
                continue
            if not back or _SUBJECT_BEFORE.search(back):
                return ent.name
        return None

    def _opening_person(
        self, start: int, sentence: str, gender: str | None, named_only: bool = False
    ) -> str | None:
        """The person named at the opening of `sentence` (which starts at `start`); with
        `named_only`, never the person an opening 'He' / 'She' stands for."""
        start += len(sentence) - len(sentence.lstrip())
        sentence = sentence.lstrip()
        if re.search(r"[\"“”]", sentence):
            return None
        role = _OPENING_ROLE.match(sentence)
        if role is not None:
            # 'Foreign Ministry spokesperson Lu Kang gave ...': the name after the role.
            start += role.end()
            sentence = sentence[role.end() :]
        m = _OPENING_NAME.match(sentence)
        if m is None:
            return None
        first = m.group(1)
        if first in ("He", "She"):
            if named_only:
                return None
            if gender is not None and _pronoun_gender(first) != gender:
                return None
            return self.cast.person(start, _pronoun_gender(first), self.speakers)
        words = clean_run(first)
        name = None
        if len(words) == 1:
            name = self.cast.full_name(words[0], start)
            if name is None or name not in self.cast.people:
                return None
        elif is_person_name(words):
            name = " ".join(words)
            if name not in self.cast.people:
                name = self.cast.full_name(words[-1], start) or name
        if name is None:
            return None
        ent = self.cast.people.get(name)
        if ent is None:
            ent = self.cast.people.setdefault(name, Entity(name, "person"))
        if gender is not None and ent.gender not in (None, gender):
            return None
        return name

    def _author(self, noun: str, pos: int) -> str | None:
        """Who wrote the document `noun` that speaks at `pos`: the body or person the article
        names with such a document ('a study by X', "X's report", 'the X survey'), nearest
        before, else within the next few sentences; a message (statement, tweet, letter) is
        the last speaker's. None where the article names nobody."""
        if noun in _MESSAGES:
            last = max(
                [(p, e.name) for p, e in self.speakers if p < pos and pos - p <= REACH]
                + [(p, n) for p, n in self.groups if p < pos and pos - p <= REACH],
                default=None,
            )
            return last[1] if last is not None else None
        stem = noun.rstrip("s") if noun not in ("analysis", "data") else noun
        found: list[tuple[int, str]] = []
        pattern = _authored(stem)
        for m in pattern.finditer(self.text, max(0, pos - 3 * REACH), pos + 600):
            name = m.group("by") or m.group("of")
            words = clean_run(name)
            if words and not (len(words) > 1 and name.isupper()):
                found.append((m.start(), " ".join(words)))
        before = [f for f in found if f[0] < pos]
        if before:
            return before[-1][1]
        return found[0][1] if found else None

    def _named_body(self, pos: int, words: list[str]) -> str | None:
        """The organisation mentioned last before `pos` whose name holds every word."""
        for _, ent in self.cast.before(pos):
            if ent.kind == "organisation" and set(words) <= set(ent.name.lower().split()):
                return ent.name
        return None

    def _organisation(self, pos: int) -> str | None:
        """The organisation mentioned last before `pos`, within reach."""
        for _, ent in self.cast.before(pos):
            if ent.kind == "organisation":
                return ent.name
        return None

    def _surname(self, word: str) -> bool:
        """A single capitalised word that is a name: never written in lower case in the
        article ('Protestors' opening a sentence is the noun 'protestors')."""
        if " " in word or not is_person_name([word, word]) or word.lower() in GROUP_NOUNS:
            return False
        return re.search(r"\b" + re.escape(word.lower()) + r"\b", self.text) is None

    def spoke(self, name: str | None, pos: int) -> None:
        if name is None:
            return
        ent = self.cast.people.get(name)
        if ent is not None:
            self.speakers.append((pos, ent))

    def _group(self, pos: int, head: str | None = None, *, named: bool = False) -> str | None:
        for p, name in reversed(self.groups):
            last = name.split()[-1]
            if named and (not last[:1].isupper() or _document_noun(last.lower())):
                continue  # a group of people, or a document ('the Food Price Report')
            if p < pos and pos - p <= REACH and (head is None or head in name.lower()):
                return name
        # An organisation mentioned anywhere before: 'it' may point past several paragraphs
        # of quotation to the body named at the top.
        for p, ent in reversed(self.cast.mentions):
            if (
                p < pos
                and ent.kind == "organisation"
                and (head is None or head in ent.name.lower() or head in ent.roles)
            ):
                return ent.name
        return None


# A sentence that opens with a name (or a pronoun) followed by a lower-case word or a comma,
# perhaps after an opening clause ("After a long shift at the docks, Name walked ...").
_OPENING_NAME = re.compile(
    r"(?:[A-Z][^,;:\"“”]{0,100},\s+)?((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*)(?=\s+[a-z]|,)"
)
# A name in subject position: after the sentence opening, a conjunction or a comma, and
# followed by a lower-case word (its verb), not by a comma ('Schumer, he said, ...').
_LEADING_CAPS = re.compile(r"(?:\s*\b[A-Z][\w.'’-]*)+\s*$")
_NAME_AT = re.compile(r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*")
_DETERMINER_BEFORE = re.compile(r"\b(?:[Tt]he|[Aa]n?)\s+$")
_SUBJECT_AFTER = re.compile(r"\s+(?!said\b|says\b|told\b)[a-z]")
_SUBJECT_BEFORE = re.compile(r"(?:\b(?:and|but|while|as|when|because|so|after)|[,;:])$")
# Capitalised words and a lower-case role noun before a name opening a sentence.
_OPENING_ROLE = re.compile(
    r"(?:[A-Z][\w.'’-]*\s+){1,4}(?:"
    + "|".join(sorted(qp.ROLE_NOUNS, key=len, reverse=True))
    + r")\s+(?=[A-Z])"
)
_NAME_SMALL_WORDS = frozenset(("of", "for", "and", "the", "de", "on"))
# A name of two to four capitalised words after lower-case words, before a comma or the end.
_INNER_NAME = re.compile(r"(?<=[a-z] )(?:[A-Z][\w'’-]+ ){1,3}[A-Z][\w'’-]+(?=,|$)")
_DOCUMENTS = "study|report|survey|poll|analysis|data|review|audit|research|paper|figures"
_DOCUMENT_NOUNS = frozenset(_DOCUMENTS.split("|"))


def _document_noun(word: str) -> bool:
    """'report', 'reports', 'analysis', 'figures' (lower case): a document's noun."""
    return word in _DOCUMENT_NOUNS or word.removesuffix("s") in _DOCUMENT_NOUNS


_MESSAGES = frozenset(("statement", "tweet", "release", "letter", "email", "e-mail", "post"))
# A document as the speaker ('the study', 'a new report', 'government data', 'a tweet last week').
_DOCUMENT_SPEAKER = re.compile(
    r"(?:(?:the|a|an|this|that|its|their|new|latest|recent|annual|government|federal|"
    r"provincial|official|internal|[a-z]+-[a-z]+)\s+){0,3}"
    r"(?P<noun>(?:" + _DOCUMENTS + r"|" + "|".join(_MESSAGES) + r")s?)"
    r"(?:\s+(?:last|this)\s+\w+)?$"
)


def _authored(stem: str) -> re.Pattern[str]:
    """'a study by the Kessel Institute', "Kessel Institute's study", 'the Kessel study'."""
    cap = (
        r"(?!(?:A|An|The|This|That|Its|Their|In|On|New)\b)"
        r"[A-Z][\w'’.&-]*(?:\s+(?:of|for|and|on|the)?\s*[A-Z][\w'’.&-]*){0,5}"
    )
    return re.compile(
        r"\b" + stem + r"s?\s+(?:\w+\s+){0,2}?(?:by|from|of)\s+(?:the\s+)?(?P<by>" + cap + r")"
        r"|(?P<of>"
        + cap
        + r")(?:['’]s)?\s+(?:(?:new|latest|recent|annual|own)\s+)?"
        + stem
        + r"s?\b"
    )


# 'Name, the champion who' / 'Name, who': the name a relative clause at the end hangs on.
_NAME_BEFORE_WHO = re.compile(
    r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}),(?:\s+(?:the|a|an)\s+[^,.;\"“”]{1,60}?)?\s*$"
)
# 'Kessel Daily reported', 'Politico reports': a news outlet, not a person.
_REPORTED = re.compile(r"\s+(?:first\s+)?report(?:ed|s)\b")
# Party members and the like: 'the Ohio Democrat' describes the person who spoke last.
MEMBER_NOUNS = PARTY_MEMBERS | {"independent"}


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding `pos` starts: after the last sentence end or line break."""
    lo = max(0, pos - 600)
    start = text.rfind("\n", lo, pos) + 1
    for m in SENTENCE_END.finditer(text, max(lo, start), pos):
        word = text[max(lo, m.start() - 6) : m.start() + 1].split()[-1:]
        if m.group()[0] == "." and word and _ABBREVIATION.search(word[0]):
            continue  # 'Mr. Lund', 'J. Doe': no sentence end
        start = m.end()
    return max(start, lo)


# A title or an initial before a full stop: 'Mr.', 'Gov.', 'J.' (three letters at most).
_ABBREVIATION = re.compile(r"(?:^|[^\w])(?:[A-Z][a-z]{0,2}|[A-Z])\.$")


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


_DATE_WORD = "|".join(
    sorted(lowered(WEEKDAYS, MONTHS - {"May"}) | {"yesterday", "today"}, key=len, reverse=True)
)
_SPEAKER_EDGES = re.compile(
    r"(?:(?:(?:[Oo]n|[Ll]ast|[Tt]his)\s+)?(?:(?i:" + _DATE_WORD + r"))\b,?\s+(?=[A-Z]))?"
    r"(?P<core>.+?)"
    r"(?:\s+(?:[-–—]|--)\s+[^-–—]*(?:[-–—]|--)?"
    r"|\s+(?:finally|also|then|later|now|again|first|once|still|repeatedly|recently"
    r"|previously|herself|himself|themselves|itself|[a-z]+ly))?\s*"
)
_NAME_THEN_PREPOSITION = re.compile(
    r"((?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w.'’-]*)\s+(?:with|of|from|at)\s+\S"
)
_NAME_THEN_VERB = re.compile(
    r"((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*|[Hh]e|[Ss]he|[Tt]hey)"
    r"\s+(?:(?:also|then|later|again|first|repeatedly)\s+)?[a-z]+ed\s+\S"
)


def trim_fragment(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A speaker phrase that is a piece of a sentence: ending in a pronoun ('It's something
    she') it is the pronoun; a name and what it did ('Roy Graf protested the two bills,
    saying') it is the name; a name and where they are from ('Tia Renn with the dockers'
    union, which ...') it is the name."""
    s, e = span
    phrase = text[s:e]
    if " " not in phrase.strip():
        return span
    edges = _SPEAKER_EDGES.fullmatch(phrase)
    if edges is not None and edges.group("core").strip():
        # 'Tuesday Marta Ivanko', 'Ivanko - a nurse -', 'The baker finally': the speaker
        # without the date before it, the dashed apposition or the adverb after it.
        s, e = s + edges.start("core"), s + edges.end("core")
        span, phrase = (s, e), text[s:e]
        if " " not in phrase.strip():
            return span
    lead = _NAME_THEN_PREPOSITION.match(phrase)
    if lead:
        name = clean_run(lead.group(1))
        titled = len(name) == 1 and len(lead.group(1).split()) > 1  # 'Mr. Orsons of X'
        if is_person_name(name) or (titled and is_person_name(name * 2)):
            return (s, s + lead.end(1))
    nv = _NAME_THEN_VERB.match(phrase)
    if nv:
        return (s, s + nv.end(1))
    m = _FRAGMENT_PRONOUN.search(phrase)
    if m and any(
        w.lower() in _VERBISH or w.lower() in ("what", "something") for w in phrase.split()
    ):
        return (s + m.start(), s + m.end())
    return span
