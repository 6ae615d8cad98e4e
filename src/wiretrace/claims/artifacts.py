"""Stitching artifacts: traces a copy-and-paste job leaves in an article.

Kinds, each aimed at precision (a flag should be worth a reader's look):

* dangling_reference: a sentence opens with a pronoun or a definite description that nothing
  earlier resolves: any pronoun opening the article; "He"/"She" before any person is named;
  "They" before any person or organisation; "It began with ... / has since turned into ..."
  (a conflict) when no conflict noun is in the sentences just before; "The group" before any
  organisation or group; "The observatory" / "The ministry" / "The agency" before that word;
  "The move" / "The decision" opening the body when the title does not name it.
* caption: a photo caption left in the body: a one-sentence paragraph of at most 30 words, no
  attribution, a present-tense scene verb ("gather", "wait", "walk"), and a date with a year,
  a photo credit, or (in the last paragraph) "on <day or date>".
* dateline: a wire dateline or credit after the first sentence: "BEIRUT (Reuters) -", a known
  agency in parentheses, "Reporting by ...; Editing by ...".
* truncated_headline: a title cut at the front: starting lowercase, with punctuation, or with
  the tail of a hyphen compound ("Led Coalition ...", "Backed Forces ...").
* repeated_claim: a sentence saying again what an earlier one said (same content words).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from rapidfuzz import fuzz

from wiretrace.claims.assertions import QUOTED, is_attributed
from wiretrace.claims.entities import Entity, find_entities
from wiretrace.doc.article import Article
from wiretrace.doc.words import word_set as _words

DANGLING = "dangling_reference"
CAPTION = "caption"
DATELINE = "dateline"
TRUNCATED = "truncated_headline"
REPEATED = "repeated_claim"

# Openers inside a quote are the speaker's and point into the speaker's context: not matched.
_OPEN = re.compile(r"(It|They|This|These|That|Those|He|She|His|Her|Their|Its)\b")
# "It is unclear whether ...", "It was not immediately clear ...": no referent needed.
_EXPLETIVE = re.compile(
    r"It (?:is|was|has been|had been|will be|would be|remains|seems|appears|took)\b.{0,60}?"
    r"\b(?:that|to|whether|if|when|how|why|what|before|until)\b"
)
_TIME_NOUNS = _words(
    "week year month morning afternoon evening night time weekend summer winter spring autumn "
    "fall season day decade century"
)
_CONFLICT_ORIGIN = re.compile(
    r"It (?:began|started|erupted|broke out|grew out of|emerged)\b.*\b(?:has since|turned into|"
    r"evolved into|escalated into|grown into|spiral(?:l)?ed into|became|descended into)\b"
)
_CONFLICT_NOUN = re.compile(
    r"\b(?:wars?|conflicts?|uprising|revolt|rebellion|revolution|crisis|insurgency|unrest|"
    r"protests?|dispute|feud|standoff|violence|fighting|clashes)\b",
    re.IGNORECASE,
)
_DEFINITE = re.compile(
    r"The (group|organi[sz]ation|alliance|militia|coalition|movement|faction|observatory|"
    r"ministry|agency|move|decision|step|announcement)\b"
)
_GROUP_NOUNS = _words("group organisation organization alliance militia coalition movement faction")
_NAMED_NOUNS = _words("observatory ministry agency")

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_FULL_DATE = re.compile(rf"\b{_MONTH} \d{{1,2}},? \d{{4}}\b|\b\d{{1,2}} {_MONTH},? \d{{4}}\b")
_SHORT_DATE = re.compile(
    rf"\bon (?:{_MONTH} \d{{1,2}}|\d{{1,2}} {_MONTH}|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b"
)
_PHOTO_CREDIT = re.compile(
    r"\b(?:REUTERS|AFP|AP|Getty Images|EPA)\s*/\s*[A-Z]|\b(?:File photo|Photo:|Picture taken)"
)
_SCENE_VERB = re.compile(
    r"\b(?:gathers?|waits?|walks?|stands?|sits?|looks?|holds?|rides?|carr(?:y|ies)|flees?|"
    r"queues?|line up|lines up|prays?|mourns?|inspects?|watch(?:es)?|rests?|plays?|sleeps?|"
    r"cross(?:es)?|pass(?:es)?|march(?:es)?|chants?|cr(?:y|ies)|reacts?|searches|search|"
    r"sifts?|clears?|collects?|receives?|arrives?|poses?|drives?|gestures?|digs?|shouts?|"
    r"hugs?|greets?|fills?|cooks?|eats?|drinks?|celebrates?|pushes|push|bur(?:y|ies)|"
    r"attends?|smokes?|is seen|are seen|take part|takes part|wave|waves)\b"
)
_KNOWN_AGENCY = r"Reuters|AP|AFP|Xinhua|dpa|ANSA|EFE|Anadolu|SANA|UPI|TASS|Interfax|Kyodo"
_DATELINE = re.compile(
    rf"\((?:{_KNOWN_AGENCY})\)"
    r"|\b[A-Z][A-Z.'\- ]{2,}(?:,\s*[A-Z][\w.]*)*\s*\([A-Z][\w&.' /-]{1,30}\)\s*[-–—―]"
    r"|\b(?:Reporting|Writing|Editing|Additional reporting|Compiled) by [A-Z]"
)
# Tails of hyphen compounds that open a headline cut at the front ("US-Led" -> "Led").
_COMPOUND_TAILS = _words(
    """Led Backed Based Owned Run Funded Sponsored Controlled Held Linked Allied Affiliated
    Aligned Supported Brokered Trained Style Era Wide Related Bound Friendly Speaking Occupied
    Dominated Majority Born Made Driven Fuelled Fueled Inspired Organised Organized Installed
    Appointed Proof Free Ridden Hit Torn Stricken Bombed"""
)
_NOT_CUT_AFTER = _words("by to in from on at for with up back out down off as")
_WORD = re.compile(r"[a-z0-9']+")
_SHORT_WORDS = _words("the a an and or but of in on at to for from with by as is was")


def _paragraph_of(text: str, spans: tuple[tuple[int, int], ...]) -> list[int]:
    """The line (paragraph) number of each sentence."""
    breaks = [m.start() for m in re.finditer("\n", text)]
    return [bisect_right(breaks, start) for start, _ in spans]


def find_artifacts(article: Article, entities: list[Entity] | None = None) -> dict[int, list[str]]:
    """Artifact kinds per sentence index (only sentences with at least one); `entities`: the
    article's entities when already found."""
    text, spans = article.text, article.spans
    paras = _paragraph_of(text, spans)
    out: dict[int, list[str]] = {}

    def add(i: int, kind: str) -> None:
        out.setdefault(i, []).append(kind)

    if entities is None:
        entities = find_entities(article)
    last_para = paras[-1] if paras else 0
    for i, (start, end) in enumerate(spans):
        sent = text[start:end]
        first_in_para = i == 0 or paras[i - 1] != paras[i]
        alone = first_in_para and (i + 1 == len(spans) or paras[i + 1] != paras[i])
        if _dangling(article, i, sent, entities):
            add(i, DANGLING)
        if alone and _caption(sent, paras[i] == last_para):
            add(i, CAPTION)
        # Every dateline form holds "(" or " by ": the check skips the pattern elsewhere.
        if i > 0 and ("(" in sent or " by " in sent) and _DATELINE.search(sent):
            add(i, DATELINE)
        if i == 0 and _headline_like(sent) and truncated_title(sent):
            add(i, TRUNCATED)
    for i in _repeats(text, spans):
        add(i, REPEATED)
    return out


def title_artifacts(article: Article) -> list[str]:
    """Artifact kinds of the article's title."""
    return [TRUNCATED] if article.title and truncated_title(article.title) else []


def truncated_title(title: str) -> bool:
    """True when a headline looks cut at the front."""
    title = title.strip()
    if not title:
        return False
    first = title[0]
    if first.islower():
        word = title.split()[0]
        return not any(ch.isupper() for ch in word)  # "iPhone", "eBay" are whole words
    if first in ",.;:)]-–—’'":
        return True
    words = title.split()
    head = words[0].rstrip(",:")
    nxt = words[1] if len(words) > 1 else ""
    return head in _COMPOUND_TAILS and nxt[:1].isupper() and nxt.casefold() not in _NOT_CUT_AFTER


def _headline_like(sent: str) -> bool:
    words = sent.split()
    if not words or sent.rstrip()[-1:] in '.!?"”':
        return False
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised >= 0.6 * len(words)


def _dangling(article: Article, i: int, sent: str, entities: list[Entity]) -> bool:
    """One sentence's opening reference has nothing earlier to point to."""
    text = article.text
    start = article.spans[i][0]
    opener = _OPEN.match(sent)
    if opener is not None:
        word = opener.group(1)
        if _EXPLETIVE.match(sent.lstrip('"“')):
            return False
        if word in ("This", "That", "These", "Those"):
            following = sent[opener.end() :].split()[:1]
            if following and following[0].casefold().strip(",") in _TIME_NOUNS:
                return False
        if i == 0:
            return True
        if word in ("He", "She", "His", "Her"):
            return not any(e.kind == "person" and e.end <= start for e in entities)
        if word in ("They", "Their"):
            kinds = ("person", "organisation")
            return not any(e.kind in kinds and e.end <= start for e in entities)
        if word == "It" and _CONFLICT_ORIGIN.match(sent):
            context = " ".join(text[s:e] for s, e in article.spans[max(0, i - 2) : i])
            return not _CONFLICT_NOUN.search(context)
        return False
    definite = _DEFINITE.match(sent)
    if definite is None:
        return False
    noun = definite.group(1).casefold()
    before = text[:start].casefold()
    if noun in _GROUP_NOUNS:
        kinds = ("organisation", "outlet")
        return noun not in before and not any(e.kind in kinds and e.end <= start for e in entities)
    if noun in _NAMED_NOUNS:
        return noun not in before
    return i == 0 and noun not in article.title.casefold()


def _caption(sent: str, last: bool) -> bool:
    """A photo caption: short, present-tense scene, dated or credited, with no source."""
    if len(sent.split()) > 30 or QUOTED.search(sent) or not _SCENE_VERB.search(sent):
        return False
    if _PHOTO_CREDIT.search(sent):
        return True
    if is_attributed(sent):
        return False
    return bool(_FULL_DATE.search(sent)) or (last and bool(_SHORT_DATE.search(sent)))


def _contents(text: str, spans: tuple[tuple[int, int], ...]) -> list[frozenset[str]]:
    """The content words of each sentence, case-folded. The text is folded once when folding
    keeps its length (then every character folds to one, in place, whatever its neighbours)."""
    folded = text.casefold()
    if len(folded) != len(text):
        return [
            frozenset(_WORD.findall(text[s:e].casefold())).difference(_SHORT_WORDS)
            for s, e in spans
        ]
    find = _WORD.findall
    return [frozenset(find(folded, s, e)).difference(_SHORT_WORDS) for s, e in spans]


def _repeats(text: str, spans: tuple[tuple[int, int], ...]) -> list[int]:
    """Indices of sentences whose content repeats an earlier sentence's."""
    words = _contents(text, spans)
    sizes = [len(w) for w in words]
    found: list[int] = []
    for j in range(1, len(spans)):
        b, size_b = words[j], sizes[j]
        if size_b < 6:
            continue
        low = 0.6 * size_b
        for i in range(j):
            size_a = sizes[i]
            # sizes within 60% of each other, then 70% of the smaller one shared
            if size_a < 6 or size_a < low or size_b < 0.6 * size_a:
                continue
            if len(words[i] & b) < 0.7 * min(size_a, size_b):
                continue
            sa, sb = text[spans[i][0] : spans[i][1]], text[spans[j][0] : spans[j][1]]
            if fuzz.ratio(sa, sb) >= 80:
                found.append(j)
                break
    return found
