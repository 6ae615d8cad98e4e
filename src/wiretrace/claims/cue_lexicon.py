"""General English cue lexicons for attribution: verbs and nouns of saying,
thinking, intending, perceiving-as-report and taking a stand.

Written as general English word lists (lemmas, lower case), grouped by meaning; under which
syntactic condition each group is a cue is decided in `attribution.py` (the parse path; the
lexical path keeps its own word forms in `quote_patterns.SPEECH_CUES`). No corpus text is
stored here.
"""

from __future__ import annotations


def _lemmas(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Verbs of communication: a cue with any subject ('X said', 'X denounced the plan').
COMMUNICATION = _lemmas(
    """say tell write add ask note suggest argue announce report claim describe explain
    declare acknowledge agree refer insist warn mention reply answer comment remark state
    assert allege contend reiterate repeat stress emphasize emphasise underscore highlight
    point quip joke shout yell chant scream whisper mutter cry exclaim tweet retweet post
    email blog call testify talk discuss debate admit concede confess deny dispute rebut
    refute counter retort protest object complain lament bemoan grumble mourn regret
    apologize apologise thank congratulate praise hail laud applaud commend salute
    celebrate welcome credit criticize criticise condemn denounce decry deplore blast slam
    lambaste lambast chide scold rebuke reprimand attack assail bash mock ridicule deride
    dismiss disparage belittle scoff taunt accuse blame charge fault disown repudiate
    renounce reject veto oppose resist challenge question doubt defend endorse support back
    champion advocate favor favour promote urge implore plead beg appeal request demand
    order command instruct advise recommend propose invite encourage remind assure reassure
    inform notify brief alert caution threaten promise pledge vow swear guarantee commit
    predict forecast project estimate calculate reckon guess speculate hint signal imply
    indicate reveal disclose divulge leak confirm affirm reaffirm verify proclaim publish
    cite quote recount recall recite narrate relate portray characterize characterise
    depict label brand dub name term outline detail summarize summarise clarify elaborate
    interpret illustrate articulate voice express echo boast brag tout vouch reference
    invoke allude contrast liken rule judge deem regard approve disapprove recognize
    recognise concur disagree side spar clash feud quarrel posit theorize theorise muse
    wonder ponder lecture preach rail rant vent fume gush rave swipe jab needle tease prod
    grill interrogate query"""
)

# Verbs of cognition, belief, intention, desire, feeling and perception: a cue only with a
# clausal complement or an object clause ('X believes that', 'X wants to', 'X fears a war').
COGNITION = _lemmas(
    """think believe expect know show find seem appear consider decide worry doubt suspect
    realize realise learn guess seek refuse decline fear hope wish want plan intend aim
    prefer like love hate dislike feel sense assume presume suppose imagine envision
    envisage foresee anticipate figure conclude determine understand recognize remember
    forget notice observe discover judge view regard perceive trust agree accept
    acknowledge admit insist vow pledge promise threaten hesitate resolve desire crave
    yearn long dread care wonder question reckon estimate predict calculate"""
)

# Nouns of saying, thinking and stance: a cue when they carry a content ('criticism of X',
# 'the claim that', 'a call for', 'his decision to') and, usually, a holder ('his', 'X's').
NOUNS = _lemmas(
    """statement announcement claim assertion allegation accusation charge criticism critique
    attack condemnation denunciation praise support backing endorsement opposition
    objection complaint protest call demand request appeal plea proposal suggestion
    recommendation advice warning promise pledge vow commitment vision view opinion belief
    position stance argument comment remark remarks observation explanation insistence
    denial admission acknowledgement acknowledgment confirmation prediction forecast
    estimate assessment conclusion finding testimony message decision plan intention intent
    hope hopes fear fears concern concerns worry worries doubt doubts suspicion desire wish
    ambition rejection approval disapproval skepticism scepticism disagreement agreement
    sentiment declaration assurance guarantee reassurance rhetoric pitch invitation boast
    joke quip tweet post"""
)

# Prepositions that take a noun cue's content ('criticism of', 'support for').
NOUN_CONTENT_PREPS = _lemmas("of for about on against over to toward towards with behind")
