"""Rule-based named entities: people, organisations, places and outlets, as offset views.

Method: runs of capitalised tokens are cut at function words, months and weekdays, possessives
and hyphen tails ("US-led" -> "US"), joined across "of"/"for" after an organisation head word,
then classified in a fixed order: the known-name tables (outlets, organisation aliases), acronyms
defined in the article ("Lusa Valley Forces (LVF)") or matching an organisation's initials, title
words ("Lt. Gen."), outlet and organisation head words, role words before a name ("spokesman X"),
the gazetteer (`places.resolve_place`), speech verbs after a name, and place context ("in X",
"X district", "X, a city"). A run that no rule claims is left out: precision over recall.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wiretrace.claims.places import resolve_place
from wiretrace.doc.article import Article
from wiretrace.doc.names import ORGANISATIONS, OUTLETS
from wiretrace.doc.scan import CASE_BLIND_ASCII, WordStarts
from wiretrace.doc.words import MONTH_ABBREVIATIONS, MONTHS, WEEKDAY_ABBREVIATIONS, WEEKDAYS
from wiretrace.doc.words import word_set as _words


@dataclass(frozen=True, slots=True)
class Entity:
    """One mention: kind, surface text, canonical name, offsets and coordinates for places."""

    kind: str  # "person" | "organisation" | "place" | "outlet"
    text: str
    canonical: str
    start: int
    end: int
    lat: float | None = None
    lon: float | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields, as in docs/claims-json.md."""
        return {
            "kind": self.kind,
            "text": self.text,
            "canonical": self.canonical,
            "start": self.start,
            "end": self.end,
            "lat": self.lat,
            "lon": self.lon,
        }


def _alias_table() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for kind, names in (("organisation", ORGANISATIONS), ("outlet", OUTLETS)):
        for canonical, aliases in names.items():
            for alias in (canonical, *aliases):
                table[alias] = (kind, canonical)
    return table


_KNOWN = _alias_table()
# Multi-word and mixed-case aliases also match case-insensitively in canonical_org.
_KNOWN_FOLDED = {k.casefold(): v for k, v in _KNOWN.items() if not k.isupper()}
# Aliases by their first word, longest first: matched at token starts while scanning runs.
_BY_FIRST: dict[str, list[str]] = {}
for _alias in sorted(_KNOWN, key=len, reverse=True):
    _BY_FIRST.setdefault(_alias.split()[0].split("-")[0], []).append(_alias)


# Capitalised words that are not names on their own: openers, months, weekdays.
_STOP = _words(
    """The A An In On At But And Or Of For To From With By As If When While After Before Last
    Next This That These Those It Its They Their He She His Her We Our I You There Here What Who
    Why How Where According Speaking Ahead Meanwhile However Also Some Many Most All No Not One
    Two Three Several Such Both Each Every Other Another More Less Only Even Still Yet Then Now
    Today Yesterday Tomorrow Mr Mrs Ms Dr"""
) | (WEEKDAYS | WEEKDAY_ABBREVIATIONS | MONTHS | MONTH_ABBREVIATIONS)
# Title words before a person's name; stripped from the canonical name.
_TITLES = _words(
    """Mr Mrs Ms Dr Lt Gen Col Maj Capt Sgt Gov Sen Rep Rev Prof Adm Brig Cpl Pvt President
    Vice Prime Minister Secretary General Colonel Major Captain Sergeant Commander Lieutenant
    Admiral King Queen Prince Princess Sheikh Sheik Emir Imam Pope Ayatollah Ambassador Senator
    Governor Mayor Judge Chancellor Brigadier Marshal Chief Deputy Acting Former Crown Sultan
    Bishop Cardinal Rabbi Mullah Foreign Defence Defense Interior Spokesman Spokeswoman"""
)
# Head words that make a run an organisation.
_ORG_HEADS = _words(
    """Forces Force Army Party Front Brigade Brigades Units Unit Guard Guards Council Committee
    Ministry Observatory Agency Coalition Alliance Movement Organization Organisation Union
    Company Corp Corporation Inc Ltd Group Command Court Parliament Government Commission Fund
    Bank Institute University Association Watch Network Office Department Crescent Nations
    Militia Militias Battalion Regiment Division Corps Police Service Services Authority
    Federation Foundation League Bureau Assembly Congress Senate Cabinet Centre Center Society
    Board Administration Directorate Mission Operation Operations Syndicate Tribunal Terminals
    Holdings Industries Partners Airlines Airways Systems Energy Logistics Shipping Ports Lines
    Motors Technologies Media Trust Institute Hospital Council"""
)
# Organisation heads that take an "of"/"for" complement ("Ministry of Defence").
_OF_HEADS = _words(
    """Ministry Department Office University Bank Institute Bureau Court Commission Committee
    Council Organization Organisation Front Army League Union Federation Association Society
    Centre Center Fund Observatory Movement Party Forces Agency Coalition Alliance Secretary"""
)
# Last words of outlet names ("Meridian Press", "Lumen TV", "Karvenian News Agency").
_OUTLET_HEADS = _words("News Press TV Television Radio Times Post Herald Tribune Gazette Journal")
_ACRONYM_STOP = _words("TV AM PM GMT UTC ID OK CEO MP MPs II III IV VI VII PDF URL")
# Single gazetteer hits that are usually ordinary words; accepted only after "in", "near"...
_COMMON = _words(
    """Police Most Best Split Alliance Union Deal Bath Reading Nice Mobile Orange Liberty
    Independence Mission Enterprise Progress Valley Sale Victory Unity Concord Providence
    Paradise Hope Wells Temple Lincoln Jackson Florence Austin Charlotte Victoria Regina Eagle
    Commerce Industry Justice Defence Defense Labor Labour Center Centre Normal Harmony Pride
    Marathon Gary Troy Chester Salem Said General Colonel Marshal Bishop Lowell"""
)

_TOKEN = (
    r"(?:(?:[A-Z]\.){2,}|(?:Mr|Mrs|Ms|Dr|Lt|Gen|Col|Maj|Capt|Sgt|Gov|Sen|Rep|Rev|Prof|Adm|Brig"
    r"|Cpl|Pvt|Jr|Sr|St)\.|(?:(?:al|ar|as|ash|ad|an|at|el)-)?[A-Z]\w*(?:[-'’][A-Za-z]\w*)*[’']?)"
)
# Runs of capitalised tokens, one space apart (no token holds a space: a run's tokens are its
# text split at spaces). Found from a scan for their lead character (`doc/scan.py`).
_RUN = WordStarts(re.compile(rf"(?<![\w-]){_TOKEN}(?: {_TOKEN})*"), lead=r"[^\w-]")
_CONNECTOR = re.compile(r" (?:of|for|on)(?: the)? ")
_DEFINED = re.compile(r"\(([A-Z][A-Z0-9]{1,5})\)")
# Words right before a name that make it a person ("spokesman X", "director, X", "told X").
_ROLES = _words(
    """spokesman spokeswoman spokesperson commander director minister official leader chief head
    envoy ambassador president mayor governor activist analyst resident witness journalist
    correspondent general colonel founder chairman chairwoman secretary adviser advisor deputy
    aide lawyer doctor researcher professor negotiator commissioner representative fighter farmer
    teacher student nurse engineer father mother son daughter brother sister wife husband officer
    member survivor named"""
)
# Speech verbs before a name of two or three words ('said Marta Quell, the union's head').
_SPEECH_BEFORE = _words("said says added asked wrote")
_SPEECH_AFTER = re.compile(
    r",?\s(?:said|says|told|tells|added|warned|wrote|stated|explained|argued|claimed|noted|"
    r"insisted|confirmed|denied|asked|replied|recalled|urged|called)\b"
)
# Words right before a name that make it a place ("in X", "near the X").
_LOCATIVE = _words("in near outside at into toward towards around across on inside")
_PLACE_AFTER = re.compile(
    r"\s(?:district|province|city|village|town|region|governorate|neighbou?rhood|valley|river|"
    r"dam|border|area|countryside|suburbs?|camp|mountains?|hills?|crossing|airport|port)\b"
    r"|,\s(?:a|an|the)\s(?:[\w-]+\s){0,2}(?:city|town|village|district|province|region|"
    r"country|capital|suburb|port)\b"
)
_DEMONYM = re.compile(r"(?:[^aeiou]i|ian|ish|ese)$")
_CREDIT_AFTER = re.compile(r"\)\s*[-–—―]")
_OF_AFTER = re.compile(r"\s[a-z]+ of\b")
# Word pairs right before a name that make it an outlet ("state news agency SANA").
_OUTLET_BEFORE = frozenset(
    {("news", "agency"), ("state", "television"), ("state", "tv"), ("state", "media")}
)
_OUTLET_BEFORE_LAST = frozenset(last for _, last in _OUTLET_BEFORE)
_DEFINITE_HEADS = ("observatory", "ministry", "committee", "council", "commission")
_DEFINITE_REF = re.compile(rf"\b(?i:the) ((?i:{'|'.join(_DEFINITE_HEADS)}))\b(?! (?:of|for)\b)")
_HYPHEN_TAIL = re.compile(r"[-‐][a-z]")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})


def _clean(name: str) -> str:
    name = " ".join(name.translate(_APOSTROPHES).split())
    if name.startswith(("the ", "The ")):
        name = name[4:]
    return name[:-2] if name.endswith("'s") else name.rstrip("'")


def canonical_org(name: str) -> str:
    """The canonical name of an organisation or outlet ("Daesh" -> "Islamic State")."""
    cleaned = _clean(name)
    hit = _KNOWN.get(cleaned) or _KNOWN_FOLDED.get(cleaned.casefold())
    return hit[1] if hit else cleaned


def is_outlet(name: str) -> bool:
    """Whether a name is a news outlet: a known one ("Reuters", "AFP") or one ending in an
    outlet head word ("Lumen TV", "Meridian Press")."""
    cleaned = _clean(name)
    hit = _KNOWN.get(cleaned) or _KNOWN_FOLDED.get(cleaned.casefold())
    if hit is not None:
        return hit[0] == "outlet"
    words = cleaned.split()
    return len(words) > 1 and words[-1] in _OUTLET_HEADS


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


@dataclass(slots=True)
class _Piece:
    start: int
    end: int
    tokens: list[str]


def _pieces(text: str) -> tuple[list[_Piece], list[tuple[int, int]]]:
    """Capitalised runs cut at stop words, possessives and hyphen tails; known names apart."""
    norm = text.translate(_APOSTROPHES)  # same length: "’" matches the "'" in aliases
    out: list[_Piece] = []
    known: list[tuple[int, int]] = []
    skip_until = 0
    for run in _RUN.finditer(text):
        current: _Piece | None = None
        pos = run.start()
        for token in run.group().split(" "):
            start, end, word = pos, pos + len(token), token
            pos = end + 1
            if start < skip_until:
                continue
            plain = "-" not in word and "'" not in word and "’" not in word
            first = word if plain else word.split("-")[0].rstrip("'’").removesuffix("'s")
            aliases = _BY_FIRST.get(first)
            if aliases is not None:
                hit = _known_at(norm, start, aliases)
                if hit:
                    known.append((start, hit))
                    skip_until, current = hit, None
                    continue
            cut_after = False
            if word[-1] in "s'’":
                if word.endswith(("’s", "'s")):
                    end, word, cut_after = end - 2, word[:-2], True
                elif word.endswith(("’", "'")):
                    end, word, cut_after = end - 1, word[:-1], True
            if "-" in word:
                tail = _HYPHEN_TAIL.search(word)
                if tail:
                    end, word, cut_after = start + tail.start(), word[: tail.start()], True
            if word in _STOP or not word:
                current = None
                continue
            if current is None:
                current = _Piece(start, end, [word])
                out.append(current)
            else:
                current.end = end
                current.tokens.append(word)
            if cut_after:
                current = None
    # Join "Ministry" + "of" + "Defence", "Observatory" + "for" + "Human Rights".
    merged: list[_Piece] = []
    for piece in out:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.tokens[-1] in _OF_HEADS
            and _CONNECTOR.fullmatch(text, prev.end, piece.start)
        ):
            prev.end = piece.end
            prev.tokens.extend(piece.tokens)
        else:
            merged.append(piece)
    return merged, known


def _known_at(norm: str, start: int, aliases: list[str]) -> int:
    """End of the longest alias starting at `start` on word boundaries, or 0."""
    for alias in aliases:
        end = start + len(alias)
        if norm.startswith(alias, start) and not (end < len(norm) and norm[end].isalnum()):
            return end
    return 0


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\"“‘'(":
        i -= 1
    return i < 0 or text[i] in ".!?\n:;"


_CACHE: dict[tuple[str, str], list[Entity]] = {}
_CACHE_SIZE = 16


def find_entities(article: Article) -> list[Entity]:
    """Every person, organisation, place and outlet mention in the article body, in order."""
    key = (article.id, article.text)
    hit = _CACHE.get(key)
    if hit is not None:
        return list(hit)
    found = _find(article.text)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = found
    return list(found)


def _find(text: str) -> list[Entity]:
    """The rules on one text (see the module docstring for their order)."""
    found: list[Entity] = []
    pieces, known = _pieces(text)
    for start, end in known:
        kind, canonical = _KNOWN[text[start:end].translate(_APOSTROPHES)]
        found.append(Entity(kind, text[start:end], canonical, start, end))

    # Acronyms defined in parentheses right after a name: "Lusa Valley Forces (LVF)".
    acronyms: dict[str, str] = {}
    ends = {p.end: p for p in pieces}
    for m in _DEFINED.finditer(text):
        acronym = m.group(1)
        before = m.start() - 1 if text[m.start() - 1 : m.start()] == " " else m.start()
        named = ends.get(before)
        if named is not None and acronym not in _KNOWN and len(named.tokens) > 1:
            acronyms[acronym] = canonical_org(" ".join(named.tokens))
    for e in found:  # a known name defined with a new acronym: "Daesh (DSH)"
        after = _DEFINED.match(text, e.end + 1)
        if after and after.group(1) not in _KNOWN:
            acronyms[after.group(1)] = e.canonical

    surnames: dict[str, str] = {}
    seen: dict[str, str] = {}  # surface -> kind, for places and outlets named once by context
    org_names: list[str] = []
    for piece in pieces:
        entity = _classify(text, piece, acronyms, surnames, seen)
        if entity is None:
            continue
        found.append(entity)
        if entity.kind == "person" and " " in entity.canonical:
            surnames.setdefault(entity.canonical.rsplit(" ", 1)[1], entity.canonical)
        elif entity.kind in ("place", "outlet"):
            seen.setdefault(entity.text, entity.kind)
        elif entity.kind == "organisation" and " " in entity.canonical:
            acronyms.setdefault(_initials(entity.canonical), entity.canonical)
            # A shorter name ending an earlier one is that organisation ("the Civil Watch").
            for longer in org_names:
                if longer.endswith(" " + entity.canonical):
                    entity = Entity("organisation", entity.text, longer, entity.start, entity.end)
                    found[-1] = entity
                    break
            else:
                org_names.append(entity.canonical)
    # An acronym used before the name it abbreviates: link it now that the name is known.
    found = [
        Entity(e.kind, e.text, acronyms[e.text], e.start, e.end)
        if e.kind == "organisation" and e.text == e.canonical and e.text in acronyms
        else e
        for e in found
    ]
    found.extend(_definite_references(text, found))
    found.sort(key=lambda e: e.start)
    return found


def _classify(
    text: str,
    piece: _Piece,
    acronyms: dict[str, str],
    surnames: dict[str, str],
    seen: dict[str, str],
) -> Entity | None:
    """One capitalised piece -> an entity, or None when no rule claims it."""
    start, end, tokens = piece.start, piece.end, piece.tokens
    surface = text[start:end]
    name = " ".join(tokens)
    words_before = text[max(0, start - 40) : start].split()
    single = len(tokens) == 1

    if name in acronyms:
        return Entity("organisation", surface, acronyms[name], start, end)
    if text[start - 1 : start] == "(" and _CREDIT_AFTER.match(text, end):
        return Entity("outlet", surface, name, start, end)  # a dateline credit: "CITY (AL) -"
    if seen.get(surface) == "outlet":
        return Entity("outlet", surface, name, start, end)
    titled = 0
    while titled < len(tokens) and tokens[titled].rstrip(".") in _TITLES:
        titled += 1
    rest = tokens[titled:]
    has_head = not _ORG_HEADS.isdisjoint(tokens)
    if titled and rest and len(rest) <= 3 and _ORG_HEADS.isdisjoint(rest):
        canonical = surnames.get(rest[0], " ".join(rest)) if len(rest) == 1 else " ".join(rest)
        return Entity("person", surface, canonical, start, end)
    agency = tokens[-1] == "Agency" and len(tokens) > 2 and tokens[-2] in ("News", "Press")
    if ((tokens[-1] in _OUTLET_HEADS or agency) and not single) or (
        words_before
        and words_before[-1].casefold() in _OUTLET_BEFORE_LAST
        and tuple(w.casefold() for w in words_before[-2:]) in _OUTLET_BEFORE
    ):
        return Entity("outlet", surface, canonical_org(name), start, end)
    if single and name.endswith("wire") and len(name) > 6:
        return Entity("outlet", surface, name, start, end)
    if has_head:
        if single:  # a bare head word ("Coalition", "Army") names nothing by itself
            return None
        return Entity("organisation", surface, canonical_org(name), start, end)
    if single and name.replace(".", "").isupper() and 2 <= len(name.replace(".", "")) <= 6:
        place = resolve_place(name)
        if place is not None and place.kind != "city":
            return Entity("place", surface, place.name, start, end, place.lat, place.lon)
        if name in _ACRONYM_STOP:
            return None
        return Entity("organisation", surface, canonical_org(name), start, end)
    if single and name in surnames:
        return Entity("person", surface, surnames[name], start, end)
    last = words_before[-1].rstrip(",").casefold() if words_before else ""
    if (last in _ROLES or last.removesuffix("s") in _ROLES) and len(tokens) <= 4:
        return Entity("person", surface, name, start, end)
    if last in _SPEECH_BEFORE and 2 <= len(tokens) <= 3 and resolve_place(name) is None:
        return Entity("person", surface, name, start, end)
    located = last in _LOCATIVE or (
        last == "the" and len(words_before) > 1 and words_before[-2] in _LOCATIVE
    )
    initial = _sentence_initial(text, start)
    if not (single and name in _COMMON and not located):
        place = resolve_place(name)
        if place is not None:
            return Entity("place", surface, place.name, start, end, place.lat, place.lon)
    after = text[end : end + 60]
    if 2 <= len(tokens) <= 3 and _SPEECH_AFTER.match(after):
        return Entity("person", surface, name, start, end)
    if _DEMONYM.search(name) or _OF_AFTER.match(after):
        return None  # "the Iraqi city of Mosul": an adjective, the place comes after "of"
    if (located and not initial) or _PLACE_AFTER.match(after) or seen.get(surface) == "place":
        return Entity("place", surface, name, start, end)
    return None


def _definite_references(text: str, found: list[Entity]) -> list[Entity]:
    """'the observatory' after a named observatory: the same organisation."""
    out: list[Entity] = []
    # Each match holds "the " and a head word, any case: most texts hold none (a test in C).
    folded = text.translate(CASE_BLIND_ASCII).lower()
    if not any("the " + head in folded for head in _DEFINITE_HEADS):
        return out
    taken = [(e.start, e.end) for e in found]
    for m in _DEFINITE_REF.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        head = m.group(1).casefold()
        for e in reversed(found):
            if e.start >= m.start() or e.kind not in ("organisation", "outlet"):
                continue
            if head in e.canonical.casefold().split():
                out.append(Entity(e.kind, m.group(), e.canonical, m.start(), m.end()))
                break
    return out
