"""Other names of the same entity, so an edit that only renames one is not a factual change.

Three general ways two names can denote one entity, tried in order:
* the same letters (spelling, punctuation, case: "U.S." / "US");
* an initialism of the other's capitalised words, possibly extended by one letter
  ("U.S." / "USA" / "United States"; "Islamic State of Iraq and Syria" / "ISIS");
* a known alias (`doc/names.py`: organisations, outlets and a few countries whose names share
  no letters: "ISIS" / "IS" / "Daesh", "Britain" / "UK").
"""

from __future__ import annotations

from wiretrace.doc.names import COUNTRIES, ORGANISATIONS, OUTLETS


def _key(name: str) -> str:
    """Lookup form of a name: apostrophes unified, spacing and case folded, no leading "the"."""
    key = " ".join(name.replace("’", "'").casefold().split())
    key = key.removeprefix("the ")
    return key[:-2] if key.endswith("'s") else key


_CANONICAL = {
    _key(alias): canonical
    for table in (ORGANISATIONS, OUTLETS, COUNTRIES)
    for canonical, aliases in table.items()
    for alias in (canonical, *aliases)
}


def flat(name: str) -> str:
    """A name's letters and digits, case folded ("U.S." -> "us")."""
    return "".join(c for c in name if c.isalnum()).casefold()


def initials(words: list[str]) -> str:
    """Acronym letters of a name: "U.S." -> "us", "United Nations" -> "un"."""
    if len(words) == 1 and sum(c.isupper() for c in words[0]) >= 2:
        return "".join(c for c in words[0] if c.isalpha()).casefold()
    return "".join(w[0] for w in words if w[:1].isupper()).casefold()


def canonical_name(name: str) -> str | None:
    """The canonical name of a known alias ("Daesh" -> "Islamic State"), else None."""
    return _CANONICAL.get(_key(name))


def same_name(a: list[str], b: list[str]) -> bool:
    """Whether two names, given as their words, denote the same entity."""
    if flat("".join(a)) == flat("".join(b)):
        return True
    ini_a, ini_b = initials(a), initials(b)
    short, long = sorted((ini_a, ini_b), key=len)
    if len(short) >= 2 and long.startswith(short) and len(long) - len(short) <= 1:
        return True  # "U.S." / "USA" / "United States"
    known = canonical_name(" ".join(a))
    return known is not None and known == canonical_name(" ".join(b))
