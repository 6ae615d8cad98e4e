"""Word lists and compiled regexes for quote and attribution finding (used by `quotes.py`)."""

from __future__ import annotations

import re


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


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
    expected"""
)
# Cues that only count when followed by a content clause ("he thinks that ..."), never bare.
CLAUSE_ONLY = _words(
    """believe believes believed feels fears hopes hoped expects expected thinks wondered
    questions calls called calling described describes describing pointed mentions mentioned
    posted referred referring"""
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
    """reporters journalists supporters lawmakers voters the a an crowd crowds audience
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
    prime deputy vice chief"""
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
WEEKDAYS = _words(
    """monday tuesday wednesday thursday friday saturday sunday yesterday today tonight
    recently earlier later then again also"""
)

_CUE_ALT = "|".join(sorted(SPEECH_CUES, key=len, reverse=True))
# A cue word (case-insensitive only at the first letter, so "Said" opens a sentence but a name
# like "Says" inside caps is rare enough to accept).
CUE_RE = re.compile(r"\b(?:" + _CUE_ALT + r")\b", re.IGNORECASE)
ACCORDING_RE = re.compile(r"\b(?:according to|per)\s+", re.IGNORECASE)
# Channels: "told Fox News", "in a phone interview with Reuters", "speaking to X by telephone".
INTERVIEW_RE = re.compile(
    r"\b(?:in|during)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:interview|conversation|statement|call|remarks|email|e-mail)\s+(?:with|to)\s+"
    r"(?P<chan>(?:the\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,4})"
)
SPEAKING_TO_RE = re.compile(
    r"\b(?:speaking|talking|writing)\s+(?:to|with|on|in)\s+"
    r"(?P<chan>(?:the\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,4})"
)
ON_MEDIUM_RE = re.compile(
    r"^\s*(?:on|in|to)\s+(?P<chan>Twitter|Facebook|Instagram|X|television|radio"
    r"|state (?:television|TV|media|radio)|(?:the\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})"
)
# "in a statement", "on Tuesday", ", by telephone": material after a cue that belongs to it.
CUE_TAIL_RE = re.compile(
    r"\s+(?:in\s+(?:an?|the|a\s+written)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:statement|interview|email|e-mail|letter|post|tweet|speech|release)"
    r"(?:\s+(?:on|with|to)\s+(?:the\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,4})?)"
)
# A run of name-ish tokens: capitalised words, initials, "al-", "bin", "de", "(D-Ill.)".
NAME_TOKEN = r"(?:[A-Z][\w.'’&-]*|al-\w+|bin|de|van|von|da|del|la|le|of|\(\w[\w.-]*\))"
SPACE_RUN = re.compile(r"\s+")
WORD_RE = re.compile(r"[\w'’.&-]+|\([^()\s]{1,12}\)")
QUOTE_CHAR_RE = re.compile(r"[\"“”]")
THAT_RE = re.compile(r"\s*(?:that\s+)", re.IGNORECASE)
# Points where a reported clause ends before the sentence does.
CONTENT_STOP_RE = re.compile(
    r",\s+(?:but|and|while|although|though|adding|saying|citing|noting|referring|"
    r"according)\b|;\s|\s+[—–]\s|\s+--\s|,\s+(?:he|she|they|it|we|I)\s+(?:said|says|added)\b"
)
TRIM_CHARS = " \t\n.,;:!?\"“”'‘’()[]—–-"
