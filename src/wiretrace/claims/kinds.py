"""What kind of attribution a cue makes: speech, or a belief, a plan or a document's finding.

Speech and writing attributed to someone (said, told, wrote, according to, announced) are
quotes. Thoughts and expectations ("believes", "expects"), intentions ("wants", "plans to",
"agreed to") and what a study or a report found ("a study concluded") are attributions too
(PolNeAR marks them), but nobody said them: they are kept apart from quotes, out of the channel
checks and out of corroboration's sources. The Gender Gap Tracker's annotators draw the same
line.
"""

from __future__ import annotations

import re

from wiretrace.doc.words import word_set as _words

BELIEF = _words(
    """think thinks thought thinking believe believes believed believing feel feels felt
    feeling fear fears feared fearing hope hopes hoped hoping expect expects expected
    expecting doubt doubts doubted worry worries worried know knows knew suspect suspects
    suspected assume assumes assumed wonder wonders wondered consider considers considered
    see sees saw view views viewed regard regards regarded"""
)
PLAN = _words(
    """plan plans planned planning want wants wanted wanting intend intends intended
    intending aim aims aimed aiming decide decides decided deciding refuse refuses refused
    refusing decline declines declined declining seek seeks sought seeking prefer prefers
    preferred agree agrees agreed agreeing try tries tried trying hesitate hesitates
    hesitated"""
)
# Verbs that state a finding when a document, data or research is their subject.
FINDING = _words(
    """found finds find show shows showed shown conclude concludes concluded estimate
    estimates estimated indicate indicates indicated suggest suggests suggested predict
    predicts predicted project projects projected reveal reveals revealed"""
)
DOCUMENTS = _words(
    """study studies report reports survey surveys poll polls data research analysis
    review figures statistics audit paper papers records findings results numbers census
    estimates evidence investigation inquiry documents document filing filings model
    models projections forecast index assessment evaluation"""
)
# Cues that name what was said without reporting it ('citing concerns', 'called for a vote'
# is a demand: still speech).
OTHER = _words("citing cited cites")
_AUX = _words(
    """has have had also later previously repeatedly reportedly once again then now would
    will could did didn't never recently publicly initially earlier first further since
    already often frequently explicitly openly privately flatly just not n't is are was were
    be been being still"""
)
_WORD = re.compile(r"[a-z']+")


# Cues that report words (with or without quotation marks). Any other cue ('criticized the
# plan', 'praised X', 'pledged to') reports words only when its content quotes them: without
# quotation marks it is a stance or an act, not a quote.
SAYING = _words(
    """said says say saying told tells tell telling added adds adding wrote writes write
    writing explained explains explaining noted notes noting argued argues arguing argue
    claimed claims claiming announced announces announcing stated states stating insisted
    insists insisting insist warned warns warning warn stressed stresses acknowledged
    acknowledges admitted admits admitting conceded concedes confirmed confirms replied
    replies responded responds recalled recalls tweeted tweets posted predicted predicts
    suggested suggests suggest declared declares reported reports remarked remarks observed
    observes maintained maintains contended contends asserted asserts explained reiterated
    reiterates emphasized emphasizes emphasised emphasises alleged alleges alleging
    testified testifies disclosed revealed reveals indicated indicates joked jokes quipped
    complained complains lamented laments countered counters agreed agrees asked asks asking
    according per told speaking texted emailed answered answers shouted chanted cautioned
    cautions added continued went"""
)
# Nouns a cue word also is: after a determiner or a preposition it is the noun.
_DENY = _words("denied denies denying deny")
_NOUN_BEFORE = _words(
    """the a an these those this his her their its our my your some many no any several
    two three four five six seven eight nine ten numerous more fewer member"""
)
_NEVER_NOUNS = _words("said told wrote")
# ... and after a preposition, a cue word in -s is the plural noun ('responded to calls').
_PREP_BEFORE = _words("to of and with for in on from by about")
# Verbs that also report a change of a number ('added 0.2 per cent', 'declined 1.2 per cent').
_NUMBER_VERBS = _words("added adds declined declines rose fell gained lost climbed dropped")
_AUX_TOKEN = _words(
    """is are was were be been being am can can't cannot could couldn't will won't would
    wouldn't should shouldn't must did didn't does doesn't do don't it's there's that's
    who's what's suffice"""
)
_FUNCTION_END = _words("and or to of the a an in on at for with by but than as")
_TERMINAL = re.compile(r"[.!?\"”’')\]]\s*$")


def fragment(speaker: str) -> bool:
    """A source phrase that is a piece of a sentence rather than a speaker: it holds an
    auxiliary or copula ('the tax was', 'The cake can be'), or ends on a function word ('the
    North Korean crisis and')."""
    words = [w.strip(",.;:").lower().replace("’", "'") for w in speaker.split()]
    words = [w for w in words if w]
    if len(words) < 2:
        return False
    return any(w in _AUX_TOKEN for w in words) or words[-1] in _FUNCTION_END


def not_attribution(text: str, cue: tuple[int, int] | None, line: tuple[int, int]) -> bool:
    """A cue word that does not attribute here: a noun ('did not respond to calls', '50
    member states'), a name-giving 'called' ('a campaign called Code Red'), a number's change
    ('added 0.2 per cent'), or any cue in a heading or link line (no closing punctuation)."""
    if cue is None:
        return False
    cue_text = text[cue[0] : cue[1]].lower()
    words = _WORD.findall(cue_text)
    if not words or cue_text.startswith(("according", "per ")):
        return False
    verb = words[0]
    before = _WORD.findall(text[max(line[0], cue[0] - 30) : cue[0]].lower())
    if (
        before
        and len(words) == 1
        and before[-1] in _NOUN_BEFORE
        and verb not in _NEVER_NOUNS
        and not (
            verb.endswith("ed") and re.match(r"\s*(?:that\b|:|[\"“])", text[cue[1] : cue[1] + 8])
        )
    ):
        return True  # 'member states', not 'the mother of three said' or 'two added that'

    if before and len(words) == 1 and before[-1] in _PREP_BEFORE and verb.endswith("s"):
        return verb not in ("says", "tells", "writes", "adds", "asks")
    after = text[cue[1] : min(line[1], cue[1] + 40)]
    naming = verb in ("called", "calls", "named", "dubbed") and re.match(r"\s+[\"“]?[A-Z]", after)
    if naming and not re.match(r"\s+(?:on|for|it|him|her|them)\b", after):
        return True
    if verb in _NUMBER_VERBS and re.match(r"\s+(?:about\s+|nearly\s+|almost\s+)?[$\d]", after):
        return True
    # A heading or a link: a short line with no sentence end in it or after it.
    heading = text[line[0] : line[1]].strip()
    return 0 < len(heading) <= 200 and not _TERMINAL.search(heading) and ". " not in heading


def kind_of(text: str, cue: tuple[int, int] | None, speaker: str | None, content: str = "") -> str:
    """'speech', 'belief', 'plan', 'finding' or 'stance' for one attribution's cue span,
    speaker and content."""
    if cue is None:
        return "speech"
    words = [w for w in _WORD.findall(text[cue[0] : cue[1]].lower()) if w not in _AUX]
    if not words:
        return "speech"
    verb = words[0]
    if verb in BELIEF:
        return "belief"
    if verb in PLAN:
        return "plan"
    if verb in OTHER:
        return "stance"
    if verb in FINDING and speaker is not None:
        head = [w for w in _WORD.findall(speaker.lower()) if w not in ("the", "a", "an")]
        if head and (head[-1] in DOCUMENTS or (len(head) > 1 and head[0] in DOCUMENTS)):
            return "finding"
    # 'criticized the plan' takes a stand; it reports words only when it quotes them, or, for
    # a denial, gives what was denied as a clause ('denied that ...', not 'denied X the votes').
    if verb in _DENY and content.lstrip().lower().startswith("that "):
        return "speech"
    if verb not in SAYING and not re.search(r"[\"“”]", content):
        return "stance"
    return "speech"
