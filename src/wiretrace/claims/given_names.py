"""Given names that say a person's gender, for pronoun agreement (`cast.py`).

A 'she' never stands for 'Tim Vorlan' and a 'he' never for 'Nancy Orr' when the article gives
nothing else: common given names of English-language news (and frequent ones from elsewhere)
that are used overwhelmingly for one gender. Names used for both (Jordan, Alex, Chris, Robin,
Jean, Andrea, Kim, Sasha...) are left out on purpose: they say nothing.
"""

from __future__ import annotations

from wiretrace.doc.words import word_set as _words

MALE_NAMES = _words(
    """aaron abdul adam adrian ahmed ahmad alan albert alexander alexandre alfred ali andrew
    andy anthony antoine antonio arnold arthur barry ben benjamin bernard bernie bill
    billy blaine bob bobby boris brad bradley brandon brendan brett brian bruce bryan carl
    carlos cecil charles charlie chuck clarence colin craig dale dan daniel darren dave david
    dean dennis derek desmond dmitry don donald doug douglas duncan dustin earl ed eddie edward
    emmanuel eric erik ernest ethan eugene evan frank franklin fred frederick gary gavin
    george gerald gerard giuseppe glen glenn gordon graham greg gregory guy hans harold harry
    harvey hassan henry howard hugh hussein ian igor isaac ivan jack jacob jake james jared
    jason jeff jeffrey jeremy jerome jerry jesse jim jimmy joe joel john johnny jonathan jorge jose
    joseph josh joshua juan justin karl keith ken kenneth kevin kurt kyle larry lawrence lee leo
    leonard louis luis luke malcolm marc marco marcus mario mark martin matt matthew maurice
    max michael miguel mike mitch mitchell mohamed mohammad mohammed muhammad nathan neil
    nicholas nick nicolas nigel noah norman oliver omar oscar patrick paul pedro pete peter
    phil philip phillip pierre rafael ralph randy ray raymond richard rick rob robert rodney
    roger ron ronald ross roy russell ryan sam samuel scott sean sebastian sergei sergey
    seth shane shawn simon stephen steve steven stuart ted terry theodore thomas tim timothy
    todd tom tommy tony travis trevor troy tyler victor vincent vladimir walter warren wayne
    william willie yves zachary"""
)
FEMALE_NAMES = _words(
    """abigail ada agnes aisha alice alicia alison allison amanda amber amy ana angela angelina
    anita ann anna anne annie april barbara beatrice becky betty beverly brenda bridget
    brittany candice carla carmen carol caroline carolyn catherine cathy charlotte chelsea
    cheryl christina christine cindy claire clara claudia colleen connie cynthia
    daisy dana danielle deborah debbie debra denise diana diane donna doris dorothy eileen
    elaine eleanor elena elizabeth ella ellen emily emma erin eva evelyn fatima fiona florence
    frances gabrielle gail gina gloria grace hannah harriet heather helen hillary holly ingrid
    irene isabel isabella jane janet janice jasmine jennifer jenny jessica jill joan joanna
    joanne jodie josephine joyce judith judy julia julie karen kate katherine kathleen kathryn
    kathy katie kelly kristen laura lauren leah lily linda lisa liz lois lori louise lucy lydia
    lynn madeleine margaret maria marie marilyn martha mary megan melanie melissa michelle
    mildred miriam molly monica nadia nancy natalie natasha nicole nina olga olivia pamela
    patricia paula pauline peggy penny rachel rebecca regina rita rosa rose ruth sabrina sally
    samantha sandra sara sarah sharon sheila shirley sophia sophie stephanie susan suzanne
    sylvia tamara tanya teresa theresa tiffany tina tracy ursula valerie vanessa veronica
    victoria virginia wendy yolanda yvonne zoe"""
)


def gender_of(first: str) -> str | None:
    """'m' or 'f' for a given name used (nearly) only for one gender, else None."""
    low = first.lower()
    if low in MALE_NAMES:
        return "m"
    if low in FEMALE_NAMES:
        return "f"
    return None
