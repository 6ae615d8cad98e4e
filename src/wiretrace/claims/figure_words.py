"""The word lists and number tables `figures.py` reads casualty counts with.

Casualty words after and before a count, victim groups, hedges ("at least"), vague amounts
("dozens": the table in `figures.py`'s docstring), and the small closed word classes the count
reader stops or goes on at. Kept apart from the reading code so each can be read whole.
"""

from __future__ import annotations

import functools
import re

from wiretrace.doc.words import MONTH_ABBREVIATIONS, lowered
from wiretrace.doc.words import MONTHS as MONTH_NAMES
from wiretrace.doc.words import word_set as word_set

DIGIT_MAP = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_][\w'’]*(?:-[\w'’]+)*|[^\w\s]")


DIGIT = re.compile(r"\d")
# Cheap pre-check: a sentence without a digit or one of these cannot hold a figure (substring
# tests run in C; a regex alternation here cost more than the rest of the module).
HINTS = tuple(
    " " + word.replace("_", " ")
    for word in word_set(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
        "ninety hundred thousand dozen score several tens a_child a_woman a_girl a_boy a_civilian "
        "a_person a_man a_few a_handful"
    )
)


def hinted(text: str, hints: tuple[str, ...]) -> bool:
    """Whether one of `hints` is in " " + the text in lower case (a substring test)."""
    return _hint_pattern(hints).search(" " + text.lower()) is not None


@functools.cache
def _hint_pattern(hints: tuple[str, ...]) -> re.Pattern[str]:
    # One alternation behind the hints' shared first character (a space): that literal is
    # searched for in C, the alternatives tried only there; 2x faster than a test per hint.
    lead = hints[0][:1] if hints and all(h[:1] == hints[0][:1] for h in hints) else ""
    rest = sorted((re.escape(h[len(lead) :]) for h in hints), key=len, reverse=True)
    return re.compile(re.escape(lead) + "(?:" + "|".join(rest) + ")")


def word_table(spec: str) -> dict[str, str]:
    """'label: word word' lines -> {word: label}; '_' joins a multi-word key."""
    out: dict[str, str] = {}
    for line in spec.strip().splitlines():
        label, words = line.split(":")
        out.update(dict.fromkeys(words.split(), label.strip()))
    return out


# Casualty words that can follow the count ("12 people were killed", "27 dead").
AFTER = word_table("""
    killed: killed dead died perished slain massacred executed martyred martyrs deaths fatalities
    killed: beheaded crucified bodies corpses
    wounded: wounded injured hurt injuries
    missing: missing disappeared unaccounted
    displaced: displaced uprooted homeless
    fled: fled
""")
# Active verbs that take the count as their object ("killing 12", "wounded 40").
BEFORE = word_table("""
    killed: killed kill kills killing executed executes executing beheading crucifying
    killed: beheaded crucified massacred massacring massacre slaughtered slaughtering murdered
    killed: murdering
    wounded: wounded wounding wounds injured injuring injures injure
    displaced: displaced displacing displace
""")
GROUPS = word_table("""
    civilians: civilian civilians resident residents villager villagers volunteer volunteers
    civilians: medic medics doctor doctors nurse nurses journalist journalists worker workers
    civilians: staff staffers student students schoolchildren worshippers refugee refugees
    civilians: pilgrims passengers shoppers farmers evacuees teachers patients
    children: child children kid kids boy boys girl girls minors infant infants baby babies
    women: woman women
    non_civilians: fighter fighters soldier soldiers militant militants rebel rebels troops
    non_civilians: jihadist jihadists militiaman militiamen militia gunman gunmen terrorist
    non_civilians: terrorists insurgent insurgents combatant combatants officer officers
    non_civilians: personnel servicemen pilot pilots policemen policeman guards operatives
    non_civilians: forces attackers mercenaries recruits commanders commander extremists loyalists
    non_civilians: comrades
    people: people persons person others individuals victims
""")
MODIFIERS = word_table("""
    min: at_least no_fewer_than no_less_than a_minimum_of
    over: more_than over upwards_of just_over well_over well_above in_excess_of
    max: up_to as_many_as at_most no_more_than nearly almost close_to just_under
    under: fewer_than less_than
    approx: about around some roughly approximately an_estimated estimated
""")
# value, low, high of vague amounts (the table in the module docstring).
VAGUE: dict[str, tuple[float, float, float | None]] = {
    "several": (3, 3, 9),
    "few": (3, 3, 9),
    "handful": (3, 3, 9),
    "dozens": (24, 24, 99),
    "tens": (24, 24, 99),
    "scores": (40, 40, 99),
    "hundreds": (200, 200, 999),
    "thousands": (2000, 2000, None),
}
# Words allowed between a count and its casualty word ("12 people have reportedly been").
AUX = word_set(
    "were was have has had been being are is be to reportedly also all later allegedly now "
    "feared believed confirmed said say reported thought more other others left still"
)
# Words that end the noun phrase after a count.
STOP = word_set(
    "in on at near by from after during when while as with for since of the a an and or but "
    "who which that said told including among into across between over under this these those "
    "his her their its than per"
)
CLAIM = word_set("claim claims claimed claiming")
FREEZE = word_set(
    "mostly mainly most many majority including among"
)  # later groups are a breakdown
SUB_BEFORE = word_set("including incl among whom them")
GROUP_HEAD = re.compile(r"\d{1,3}")  # "2 000", "14 700": digits grouped by a space
MULTIPLIERS = word_set("hundred thousand million billion")
INCLUDING = word_set("including incl among of whom them , - ( at least")
DEAD_NOUNS = word_set("dead killed victims casualties fatalities deaths")
CONFLICT = word_set("war conflict uprising crisis revolution")
WAR_COMPOUNDS = [[w] for w in word_set("planes plane jets jet crimes crime monitor zone zones")]
TOLL_RISES = {
    (verb, "to")
    for verb in word_set(
        "climbed risen rose jumped increased reached hit rises rising climbs climbing jumps "
        "increases increasing soared risen gone went"
    )
}
# Verbs whose subject can be a toll far before the number ("the toll ... reached 51").
TOLL_REACH = word_set(
    "reached reaches hit hits stood stands surpassed surpasses exceeded exceeds passed topped "
    "was is be been now"
)
BRING_TO = {
    (verb, "to") for verb in word_set("bringing brought brings bring raising raised pushing")
}
TOLL_NP = [["the", "number", "killed"], ["the", "number", "of"], ["the", "death", "toll"]]
TOLL_NP += [["the", "toll", "of"], ["the", "number", "dead"], ["the", "toll", "from"]]
TOLL_NP += [["the", "toll", "."], ["the", "toll", "in"], ["the", "total", "killed"]]
DEAD_OF = [["the", "dead"], ["those", "killed"], ["the", "victims"], ["the", "slain"]]
DEAD_OF += [["the", "fatalities"], ["the", "deaths"], ["the", "killed"], ["those", "dead"]]
POSSESSIVES = [[w] for w in ("his", "her", "their", "its", "our")]
SKIP_BREAKDOWN = word_set("including mostly mainly")
SOME = word_set("some many most all several")
BREAKDOWN_OPEN = [[w] for w in SKIP_BREAKDOWN]
SOME_OPEN = [[w] for w in SOME]
CLOSERS = word_set(", - ) – —")
QUOTE_MARKS = frozenset(['"', "“", "'", "‘"])
INCLUDE = word_set("were was are is include included includes")
# Words that end a prepositional phrase before its verb ("of the group that ...").
PHRASE_ENDS = word_set(
    ". ; : said told who which whom that when after while where as but if since because "
    "including by on at"
)
FINITE = word_set("died perished dead")  # casualty words that need no auxiliary
UNITS_ARMED = word_set(
    "group groups organization organisation organizations organisations front brigade brigades "
    "battalion battalions movement faction factions army militia militias"
)
TOLL_VERBS = word_set("of to at was is reached hit stood rose climbed jumped risen now")
NUMBER_WORDS = word_set(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million dozen"
)
# Units of quantities: measures, and plural nouns counting things ("230 families").
MEASURES = word_set("km kilometres kilometers miles metres meters tons tonnes kg percent % feet")
NOT_UNITS = word_set("years days hours months weeks minutes seconds times others people persons")
# Multipliers after a vague word: "several hundred", "tens of thousands", "a few dozen".
SCALES = {"dozen": 12.0, "hundred": 100.0, "hundreds": 100.0, "thousand": 1e3, "thousands": 1e3}
SCALES |= {"million": 1e6, "millions": 1e6}
SCALE_NEXT = [[w] for w in ("dozen", "hundred", "thousand", "million")]
STARTS = frozenset(["a", "an", "half", *VAGUE])  # words that can open a number phrase
OPENERS = NUMBER_WORDS | STARTS
ONE_FAMILY = [["one", "family"], ["the", "same"], ["a", "single"]]
MONTHS = lowered(MONTH_NAMES, MONTH_ABBREVIATIONS)
