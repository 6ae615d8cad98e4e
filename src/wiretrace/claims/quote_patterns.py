"""Word lists, regexes and span helpers (sources, cues, channels, speakers) for `quotes.py`."""

from __future__ import annotations

import re

from wiretrace.doc.scan import CASE_BLIND_ASCII
from wiretrace.doc.words import word_set as _words

# Cue forms: verbs of saying, writing, thinking and stance. Chosen from the gold cue heads on the
# PolNeAR *train* split (count >= 6 and at least half of the word's occurrences annotated as a cue)
# plus the speech verbs the brief names; each form is listed so no stemming runs at find time.
SPEECH_CUES = _words(
    """said says say saying told tells tell telling added adds adding wrote writes writing
    asked asks asking noted notes noting announced announces announcing argued argues arguing
    argue explained explains explaining acknowledged acknowledges acknowledging claimed claims
    claiming warned warns warning warn stated states stating insisted insists insisting insist
    denied denies denying confirmed confirms confirming reported reports reporting declared
    declares declaring tweeted tweets tweeting responded responds replied replies answered
    suggested suggests suggesting suggest urged urges urging cited cites citing recalled recalls
    recalling conceded concedes admitted admits admitting vowed vows vowing promised promises
    promising pledged pledges pledging predicted predicts predicting stressed stresses
    emphasized emphasizes reiterated reiterates asserted asserts asserting joked jokes
    complained complains lamented remarked remarks revealed reveals disclosed indicated
    indicates agreed agrees accused accuses accusing blamed blames blaming criticized
    criticizes criticizing praised praises praising denounced denounces denouncing condemned
    condemns decried blasted blasts slammed slams mocked mocks dismissed dismisses questioned
    questions defended defends echoed echoes concluded concludes described describes describing
    called calls calling mentioned mentions referring referred cautioned alleged alleges
    alleging boasted railed touted touts quipped observed added shouted chanted estimated
    estimates conceded countered contended contends maintained maintains explained pointed
    hinted hints signaled signalled posted retweeted emailed implied implies announced
    insisted wondered thinks believes believe believed feels fears hopes hoped expects
    expected declined refused endorsed expressed showed shows found finds pointing asserted
    recounted reminded assured pleaded urged vowed predicted complained acknowledge continued
"""
)
# Cues that only count when followed by a content clause ("he thinks that ..."), never bare.
CLAUSE_ONLY = _words(
    """believe believes believed feels fears hopes hoped expects expected thinks wondered
    questions pointed mentions mentioned found finds shows showed
    posted referred referring states remarks reports claims promises estimates notes hints
    questions"""
)
# Words between source and cue that belong to the cue ("has also said", "later told").
AUX = _words(
    """has have had also later previously repeatedly reportedly once again then now would
    will could did didn't never recently publicly initially earlier first further since
    already often frequently explicitly openly privately flatly just"""
)
PRONOUNS = _words("he she they we i you it who")
PERSON_PRONOUNS = _words("he she")
# Generic audiences: "told reporters" names no outlet, so channel stays null.
AUDIENCES = _words(
    """reporters journalists supporters lawmakers voters crowd crowds audience
    audiences members senators delegates students listeners viewers him her them us me
    congress parliament"""
)
# Words that cannot start a subject noun phrase; a left context starting so is introductory.
INTRO = _words(
    """in on at after before during since when while as if though although because with
    without for from by to of about over under into through despite later earlier still
    however meanwhile but and or so yet also then now instead last next this speaking asked
    according separately similarly indeed moreover yesterday today tonight"""
)
# Titles stripped from a person's name for `speaker_canonical` (lower case, no period).
TITLES = _words(
    """mr mrs ms miss dr prof gen lt col maj capt sgt adm cmdr brig gov sen rep rev hon pres
    sir dame lord lady president senator governor representative minister secretary general
    colonel major captain sergeant admiral commander chairman chairwoman judge justice mayor
    sheikh imam father sister brother pastor rabbi ambassador lieutenant brigadier marshal
    prime deputy vice chief cpl const cst insp supt det coun atty fr"""
)
# Lower-case nouns that end a role before a name ("SDF spokesman Talal Hadi").
ROLE_NOUNS = _words(
    """spokesman spokeswoman spokesperson director minister commander official officer chief
    head leader chairman chairwoman president secretary adviser advisor analyst aide
    researcher professor expert envoy ambassador representative governor mayor general
    colonel manager founder editor correspondent coordinator activist resident witness
    monitor lawmaker senator candidate strategist economist lawyer attorney member"""
)
MEDIA_NOUNS = _words(
    """television tv radio newspaper media agency channel broadcaster twitter facebook
    outlet website"""
)
# Verb-ish words after which a name-like token sequence cannot be a subject.
STOP_AFTER_SOURCE = _words(
    """in on at during after before when while adding referring citing noting saying
    according as to with from via by last this"""
)
# Words that mark an organisation, so a pronoun is never resolved to it.
ORG_WORDS = _words(
    """news agency ministry army party council observatory forces press group committee
    office department government police union association institute university company
    campaign house senate court agency times post network"""
)
WEEKDAYS = _words(
    """monday tuesday wednesday thursday friday saturday sunday yesterday today tonight
    recently earlier later then again also"""
)

_CUE_ALT = "|".join(sorted(SPEECH_CUES, key=len, reverse=True))
# A cue word (case-insensitive only at the first letter, so "Said" opens a sentence but a name
# like "Says" inside caps is rare enough to accept).
CUE_RE = re.compile(r"(?<![-\w])(?:" + _CUE_ALT + r")\b")  # not "self-declared"
ACCORDING_RE = re.compile(r"\b(?:according to|per)\s+", re.IGNORECASE)
# Channels: "told Fox News", "in a phone interview with Reuters", "speaking to X by telephone".
INTERVIEW_RE = re.compile(
    r"\b(?:[Ii]n|[Dd]uring)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:interview|conversation|statement|call|remarks|email|e-mail)\s+(?:with|to)\s+"
    r"(?P<chan>(?:the\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,4})"
)
SPEAKING_TO_RE = re.compile(
    r"\b(?:[Ss]peaking|[Tt]alking|[Ww]riting)\s+(?:to|with|on|in)\s+"
    r"(?P<chan>(?:the\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,4})"
)
ON_MEDIUM_RE = re.compile(
    r"^\s*(?:on|in|to)\s+(?P<chan>Twitter|Facebook|Instagram|X|television|radio"
    r"|state (?:television|TV|media|radio)|(?:the\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})"
)
# "in a statement", "on Tuesday", ", by telephone": material after a cue that belongs to it.
CUE_TAIL_RE = re.compile(
    r"\s+(?:(?:in|at|during)\s+(?:an?|the|a\s+written)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:statement|interview|email|e-mail|letter|post|tweet|speech|release|report|briefing|"
    r"conference)\b"
    r"(?:\s+(?:on|with|to)\s+(?:the\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,4})?)"
)
# A run of name-ish tokens: capitalised words, initials, "al-", "bin", "de", "(D-Ill.)".
NAME_TOKEN = r"(?:[A-Z][\w.'’&-]*|al-\w+|bin|de|van|von|da|del|la|le|of|\(\w[\w.-]*\))"
SPACE_RUN = re.compile(r"\s+")
WORD_RE = re.compile(r"[\w'’.&-]+|\([^()\s]{1,12}\)")
# Two apostrophes stand for a straight quotation mark in some newswire text.
QUOTE_CHAR_RE = re.compile(r"''|[\"“”]")
THAT_RE = re.compile(r"\s*(?:that\s+)", re.IGNORECASE)
# Points where a reported clause ends before the sentence does.
CONTENT_STOP_RE = re.compile(
    r",\s+(?:but|and|while|although|though|adding|saying|citing|noting|referring|"
    r"according)\b|;\s|\s+[—–]\s|\s+--\s|,\s+(?:he|she|they|it|we|I)\s+(?:said|says|added)\b"
    # '... is met in most cases but Chapman says ...': a second speaker, with a clause of their own.
    r"|\s+(?:but|while|whereas)\s+(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}|he|she|they)"
    r"\s+(?:said|says|told|tells|added|adds|argued|argues|insisted|insists|countered|noted|notes)\b"
)
TRIM_CHARS = " \t\n.,;:!?\"“”'‘’()[]—–-"


# --- span helpers ---------------------------------------------------------------------------

MAX_SOURCE_WORDS = 12
AUX_RE = re.compile(
    r"(?:\b(?:" + "|".join(sorted(AUX, key=len, reverse=True)) + r")\s+)+$", re.IGNORECASE
)
NOT_RE = re.compile(r"(?:\b(?:did|does|do|would|will|could)\s*(?:not|n't|n’t)\s+)$", re.I)
_AUX_ENDINGS, _NOT_ENDINGS = tuple(AUX), ("not", "n't", "n’t")


def aux_before(head: str) -> re.Match[str] | None:
    """`AUX_RE.search(head) or NOT_RE.search(head)`: auxiliaries or a negation ending `head`
    ('has also ', 'did not '). Either ends with the last word of `head`, so a pattern runs
    only when that word ends like one of its words (the patterns try every position)."""
    last = head.rsplit(None, 1)[-1:]
    if not last:
        return None
    word = last[0].translate(CASE_BLIND_ASCII).lower()
    found = AUX_RE.search(head) if word.endswith(_AUX_ENDINGS) else None
    return found or (NOT_RE.search(head) if word.endswith(_NOT_ENDINGS) else None)


CLAUSE_BOUNDARY = re.compile(
    r"[;:“”\"—–(]|\s--\s|\b(?:that|and|but|because|while|although|though|so|if|when|as|where|"
    r"whom|since|until|whether|than|unless)\b"
)
STRONG_BOUNDARY = re.compile(r"[;:“”\"—–(]|\s--\s")
COORD_CUE = re.compile(
    r",?\s+(?:and|but)\s+(?:(?:" + "|".join(sorted(AUX, key=len, reverse=True)) + r")\s+)*"
    r"(?:" + "|".join(sorted(SPEECH_CUES, key=len, reverse=True)) + r")\b"
)
DETERMINERS = _words(
    """the a an his her their its our my this these those some many most several both each
    another other any no one two three four five six seven eight nine ten"""
)
NAME_RUN_END = re.compile(r"(?:" + NAME_TOKEN + r"\s+)*" + NAME_TOKEN + r"$")
NP_END = re.compile(r"\b(?:the|a|an|his|her|their|its)\s+(?:[\w'’-]+\s+){0,3}[\w'’-]+$", re.I)
RIGHT_SOURCE = re.compile(
    r"\s+(?P<src>(?:(?:the|a|an)\s+)?(?:[\w.'’&-]+|\([^()\s]{1,12}\))"
    r"(?:\s+(?:[\w.'’&-]+|\([^()\s]{1,12}\))){0,9})"
)
TOLD_OBJ = re.compile(
    r"\s+(?P<obj>(?:the\s+)?[A-Z][\w&.'’-]*(?:\s+(?:of\s+)?[A-Z][\w&.'’-]*){0,4}"
    r"|(?:state|local|national)\s+(?:television|TV|media|radio|news agency(?:\s+[A-Z]\w*)?)"
    r"|(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:newspaper|radio|channel|television|broadcaster)"
    r"(?:\s+[A-Z][\w&.'’-]*){0,3}"
    r"|(?:[a-z]+\s+){0,2}?(?:" + "|".join(sorted(AUDIENCES, key=len, reverse=True)) + r"))"
    r"(?=[\s,.;:]|$)"
)
LEAD_TIME = re.compile(
    r"\s*(?:,\s*)?(?:on\s+)?(?:(?:last|this|next)\s+)?(?:"
    + "|".join(sorted(WEEKDAYS, key=len, reverse=True))
    + r"|week|month|year|night|morning|afternoon|evening)\b(?:\s+(?:morning|night|afternoon))?",
    re.IGNORECASE,
)
PAREN = re.compile(r"\s*\([^()]*\)")
# An apposition after an inverted speaker ('said X, an aide to Y', 'said X, the group's
# director'): PolNeAR counts it in the source. It runs to the end of the sentence.
APPOSITION_RE = re.compile(
    r",\s+(?:(?:a|an|the|who|whose|one|former|then|now|also|both|head|chief|director|"
    r"president|chairman|spokesman|spokeswoman|spokesperson|author|professor|leader|member|"
    r"founder|co-founder|executive|senior|deputy|vice)\b|[A-Z][\w.'’-]*(?:'s|’s)\s)"
    r"[^“”\"\n]*?(?=[.!?](?:\s|$)|[“”\"]|\n|$)"
)


def sentence_end(s: str) -> bool:
    """A sentence boundary inside `s` (a period after a title or initial is not one)."""
    for m in re.finditer(r"(\w+)[.!?]\s", s):
        if m.group(1).lower() not in TITLES and len(m.group(1)) > 1:
            return True
    return False


def extend_cue(text: str, start: int, end: int, limit: int) -> tuple[int, int]:
    """Take 'in a statement' into the cue, as PolNeAR does ('said in a statement')."""
    m = CUE_TAIL_RE.match(text, end, limit)
    return (start, m.end() if m else end)


_TELLING = ("tell", "told", "ask", "warn", "urg", "remind", "assur")


def told_object(text: str, word: str, after: int, limit: int) -> tuple[str | None, int]:
    """After told/asked/warned: (the object as a channel unless it is a generic audience,
    the position after the object); (None, after) when there is no object."""
    if not word.lower().startswith(_TELLING):
        return None, after
    om = TOLD_OBJ.match(text, after, limit)
    if not om:
        return None, after
    obj = om.group("obj")
    chan = None if obj.split()[-1].lower() in AUDIENCES else obj.strip().rstrip(".,")
    return chan, om.end()


def channel(text: str, pos: int, limit: int) -> str | None:
    """The outlet a statement went to, looked for right after the cue."""
    window = text[pos : min(limit, pos + 160)]
    for rx in (INTERVIEW_RE, SPEAKING_TO_RE):
        m = rx.search(window)
        if m:
            return m.group("chan").strip()
    m = ON_MEDIUM_RE.match(window)
    if m and m.group("chan").split()[-1].lower().strip(".,") not in WEEKDAYS:
        chan = m.group("chan").strip()
        if chan[0].isupper() or chan.split()[-1].lower() in MEDIA_NOUNS:
            return chan
    return None


def is_np(words: list[str]) -> bool:
    """A short left context that can be a subject noun phrase."""
    if not words or len(words) > MAX_SOURCE_WORDS:
        return False
    first = words[0].lower().strip("“”\"'(")
    if first in PRONOUNS or first in DETERMINERS:
        return True
    if words[0][:1].isupper():
        return first not in INTRO
    if first in INTRO or first.endswith(("ly", "ing", "ed")):
        return False
    return len(words) <= 4


# A lower-case parenthesis after a name: a note on a photo or a place ('(pictured)', '(left)').
_PHOTO_NOTE = re.compile(r"\s*\([a-z][^()]{0,30}\)$")
_OPENING_CONJUNCTIONS = frozenset(("but", "and", "so", "yet", "still", "then", "now"))


def source_left(text: str, lo: int, hi: int, *, allow_long: bool = True) -> tuple[int, int] | None:
    """The subject right before a cue: a pronoun, a name or a noun phrase with apposition."""
    seg = text[lo:hi]
    stripped = seg.rstrip()
    photo = _PHOTO_NOTE.search(stripped)
    if photo is not None and photo.start() > 0:
        stripped = stripped[: photo.start()]  # 'Ada Crane (pictured) said'
    if not stripped:
        return None
    last = stripped.split()[-1].lower()
    if last in ("who", "which", "that"):
        return (lo + len(stripped) - len(last), lo + len(stripped))
    if stripped.endswith(","):
        # Apposition closed by a comma: 'Name, the group's director, said'. A short
        # parenthesis after a name ('Rep. Ivo Marrick (D-Md.), chair of ...') is no boundary.
        masked = _mask_short_parens(stripped)
        strong = max((m.end() for m in STRONG_BOUNDARY.finditer(masked)), default=0)
        pos = strong
        for part in re.finditer(r"[^,]+", masked[strong:]):
            words = part.group().split()
            skip = 0
            if len(words) > 1 and words[0].lower() in _OPENING_CONJUNCTIONS:
                # 'But Name, who was stunned by it, said': the subject after the conjunction.
                skip = part.group().index(words[1])
                words = words[1:]
            if words and is_np(words[:1] + words[1:3]) and words[0].lower() not in INTRO:
                pos = strong + part.start() + skip
                break
        else:
            return None
        cand = stripped[pos:].strip()
        if len(cand.split()) > 40 or not cand:
            return None
        s = lo + pos + (len(stripped[pos:]) - len(stripped[pos:].lstrip()))
        return (s, lo + len(stripped.rstrip(",")))
    bound = max(
        (m.end() for m in CLAUSE_BOUNDARY.finditer(_mask_short_parens(stripped))), default=0
    )
    bound = max(bound, stripped.rfind(",") + 1)
    clause = stripped[bound:]
    words = clause.split()
    if len(words) > 1 and words[0].lower() in _OPENING_CONJUNCTIONS:
        # 'But he warned': the subject after a sentence-opening conjunction.
        bound += clause.index(words[0]) + len(words[0])
        clause = stripped[bound:]
        words = words[1:]
    if is_np(words):
        s = lo + bound + (len(clause) - len(clause.lstrip()))
        return (s, lo + len(stripped))
    if not allow_long:
        return None
    m = NAME_RUN_END.search(stripped) or NP_END.search(stripped)
    if (m and m.group()[:1].isupper()) or (m and m.group().split()[0].lower() in DETERMINERS):
        return (lo + m.start(), lo + len(stripped))
    return None


# Words that open a described speaker after an inverted cue ('said the coach', 'said one of
# the players'); a quantifier only with 'of' after it.
_QUANTIFIERS = frozenset(("one", "some", "several", "many", "two", "three", "both", "each"))
_DESCRIPTION_OPENERS = frozenset(("the", "a", "an")) | _QUANTIFIERS
_NOT_SPEAKER_AFTER_ONE = frozenset(
    _words("more last time day week month year night morning evening thing way point")
)


def source_right(text: str, pos: int, limit: int) -> tuple[int, int] | None:
    """The speaker after an inverted cue ('said Sen. Name (D-X.)'), up to a stop word."""
    m = RIGHT_SOURCE.match(text, pos, limit)
    if m is None:
        return None
    words = list(WORD_RE.finditer(m.group("src")))
    keep = 0
    for k, w in enumerate(words):
        lw = w.group().lower().rstrip(".")
        if k and (lw in STOP_AFTER_SOURCE or lw in WEEKDAYS):
            break
        # A lower-case word ends a name unless it follows a determiner ('the group').
        if (
            k
            and w.group()[:1].islower()
            and lw not in ("of", "al", "bin", "de", "and")
            and words[0].group().lower() not in _DESCRIPTION_OPENERS
        ):
            break
        keep = k + 1
        tail = m.group("src")[w.end() : w.end() + 1]
        if tail in (",", ";") or (w.group().endswith(".") and lw not in TITLES and len(lw) > 2):
            break
    if keep == 0:
        return None
    first = words[0].group()
    if first[:1].islower() and first.lower() not in PRONOUNS | _DESCRIPTION_OPENERS:
        return None
    if first.lower() in _QUANTIFIERS and (
        keep < 2
        or words[1].group() in _NOT_SPEAKER_AFTER_ONE
        or (keep < 3 and words[1].group() == "of")
    ):
        return None  # 'said one of the players', 'said one resident'; not 'said one more time'

    s = m.start("src") + words[0].start()
    e = m.start("src") + words[keep - 1].end()
    while e > s and text[e - 1] in ".,":
        if text[e - 1] == "." and re.search(r"(?:\b[A-Z]|\.\w+)\.$|\)\.$", text[s:e]) is None:
            e -= 1
            break
        if text[e - 1] == ",":
            e -= 1
        else:
            break
    return (s, e)


_SHORT_PAREN = re.compile(r"\([^()\n]{1,24}\)")


def _mask_short_parens(phrase: str) -> str:
    """`phrase` with each short parenthesis ('(D-Md.)', '(pictured)') blanked, same length."""
    if "(" not in phrase:
        return phrase
    return _SHORT_PAREN.sub(lambda m: " " * len(m.group()), phrase)


def split_speaker(text: str, s: int, e: int) -> tuple[tuple[int, int], str | None]:
    """The name inside a source phrase and the role given beside it (prefix or apposition);
    a short parenthesis after the name is neither ('Ivo Marrick (D-Md.), chair of ...')."""
    phrase = _mask_short_parens(text[s:e]).rstrip()
    e = s + len(phrase)  # 'Sen. Ola Brandt (R-Kes.)': the name without its parenthesis
    parts = [m for m in re.finditer(r"[^,]+", phrase) if m.group().strip()]
    if len(parts) >= 2:
        # 'Name, role,' or 'role, Name': the part that looks like a name is the speaker.
        names = [
            p
            for p in parts
            if looks_like_name(p.group().strip()) and p.group().strip().lower() not in DETERMINERS
        ]
        if names:
            name = names[0]
            ns = s + name.start() + len(name.group()) - len(name.group().lstrip())
            ne = s + name.start() + len(name.group().rstrip())
            others = [p.group().strip() for p in parts if p is not name]
            role = ", ".join(others) or None
            inner, prefix_role = split_speaker(text, ns, ne)
            return inner, prefix_role or role
        return (s, e), None
    words = list(WORD_RE.finditer(phrase))
    for k in range(len(words) - 1, -1, -1):
        if words[k].group().lower() in ROLE_NOUNS and k + 1 < len(words):
            rest = words[k + 1 :]
            if all(w.group()[:1].isupper() or w.group().startswith("(") for w in rest):
                return (s + rest[0].start(), s + rest[-1].end()), phrase[: words[k].end()].strip()
            break
    return (s, e), None


def looks_like_name(part: str) -> bool:
    words = part.split()
    return (
        bool(words)
        and len(words) <= 6
        and all(w[:1].isupper() or w in ("al-", "bin") for w in words)
    )


CAP_RUN = re.compile(r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,4}")
# How far back a pronoun may point: further is a guess.
PRONOUN_REACH = 600


def last_person(text: str, pos: int, people: list[tuple[int, str]]) -> str | None:
    """The person named last before `pos`, as a speaker or anywhere in the text nearby."""
    best: tuple[int, str] | None = None
    lo = max(0, pos - PRONOUN_REACH)
    for m in CAP_RUN.finditer(text, lo, pos):
        words = m.group().split()
        while (
            words
            and (w := words[0].lower())
            and (w in PRONOUNS or w in INTRO or w in DETERMINERS or w in TITLES)
        ):
            words.pop(0)
        name = " ".join(words)
        if is_person(name):
            best = (m.start(), name)
    for p, n in people:
        if lo <= p < pos and (best is None or p >= best[0]):
            best = (p, n)
    if best is None:
        return None
    full = [n for _, n in people if n.split()[-1] == best[1].split()[-1] and " " in n]
    return full[-1] if full else best[1]


def is_person(name: str) -> bool:
    """Two to four capitalised words, none of them marking an organisation."""
    words = name.split()
    return 2 <= len(words) <= 4 and all(
        w[:1].isupper() and w.lower() not in ORG_WORDS for w in words
    )


def canonical(name: str) -> str:
    """'Lt. Gen. Halden Marrick' -> 'Halden Marrick'; organisations stay as written."""
    name = PAREN.sub("", name).strip()
    words = name.split()
    if words and words[0].lower() in DETERMINERS:
        return name
    k = 0
    while k < len(words) - 1 and words[k].lower().rstrip(".") in TITLES:
        k += 1
    if not k:
        return name
    # A possessive ending goes ('Mr. Ames's'), not every final s ('Mr. Orsons').
    return " ".join(words[k:]).removesuffix("'s").removesuffix("’s").rstrip(",")
