"""Stitched composites from real articles, with per-sentence ground truth for the trace evaluation.

A pool of articles (read at run time, e.g. FA-KES' `fakes-dev.csv`; no article text lives in the
repo) is split into a *store* part, which an evaluation ingests, and a *held-out* part, which is
never ingested and supplies inserted (unsourced) sentences. Each composite stitches runs of
sentences from 2-5 store articles and applies, per sentence, one of: verbatim copy, spun words
(a hand-written synonym table), a changed number, a changed name or place, a split at a
comma/conjunction, or a merge of two consecutive source sentences; runs may be reordered, held-out
sentences are inserted and one sentence may be repeated. Everything is decided by one seeded
`random.Random`, so a seed always gives the same composites.

Acceptable sources are computed honestly: a sentence whose (original) text occurs, after
normalisation, in several store articles may be attributed to any of them.
"""

from __future__ import annotations

import csv
import random
import re
from collections import Counter
from collections.abc import Container, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from difflib import SequenceMatcher
from pathlib import Path

from wiretrace.doc.article import normalise_text
from wiretrace.doc.segment import split_sentences

NEAR = 0.9  # word-sequence similarity at which another store sentence is the same sentence
MIN_WORDS = 6  # shorter fragments are skipped (fakes-dev texts have punctuation partly stripped)
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,4}(?!\w|[.,]\d)")
_CAPITALISED = re.compile(r"(?<=\s)[A-Z][a-z]{2,}\b")
_END = re.compile(r"[.!?;:]+([\"”’']?)$")
_SPLIT_AT = re.compile(r",\s+|\s+(?:and|but|while|after|as|which|who)\s+")


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Capitalised words that are not names worth swapping.
_NOT_ENTITIES = _words(
    """The This That These Those There They Their Then When While After Before During Since
    But And Also However Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April May June July August September October November December He She It
    His Her Its We Our You In On At Of For From With By As An If To One Two Three Four Five Six
    Seven Eight Nine Ten Eleven Twelve Twenty Thirty Forty Fifty Hundred Hundreds Thousand
    Thousands Dozens Million"""
)
# Common news words and the word a spinner would put in their place (written for this project).
SYNONYMS: dict[str, str] = {
    "said": "stated",
    "says": "states",
    "told": "informed",
    "killed": "slain",
    "attack": "assault",
    "attacks": "assaults",
    "city": "town",
    "forces": "troops",
    "troops": "soldiers",
    "fighters": "militants",
    "rebels": "insurgents",
    "began": "started",
    "started": "began",
    "area": "region",
    "areas": "regions",
    "several": "multiple",
    "many": "numerous",
    "around": "about",
    "reported": "announced",
    "residents": "inhabitants",
    "government": "regime",
    "wounded": "injured",
    "injured": "hurt",
    "struck": "hit",
    "claimed": "asserted",
    "airstrikes": "air raids",
    "strike": "raid",
    "officials": "authorities",
    "captured": "seized",
    "country": "nation",
    "war": "conflict",
    "conflict": "war",
    "clashes": "fighting",
    "fighting": "clashes",
    "monitor": "watchdog",
    "children": "kids",
    "large": "big",
    "near": "close to",
    "launched": "carried out",
    "help": "assist",
    "statement": "communique",
    "week": "seven days",
    "recent": "latest",
    "according": "pursuant",
}
# (operation, weight) for each sourced sentence; inapplicable operations fall back to verbatim.
_OPERATIONS = (
    ("verbatim", 40),
    ("spin", 14),
    ("number", 12),
    ("entity", 12),
    ("split", 10),
    ("merge", 12),
)


def normalise_sentence(text: str) -> str:
    """Sentence text as compared for identity: case-folded word tokens joined by spaces."""
    return " ".join(_WORD.findall(text.casefold()))


@dataclass(frozen=True, slots=True)
class PoolArticle:
    """One real (or, in tests, synthetic) article of the pool."""

    key: str
    text: str
    title: str = ""
    url: str | None = None
    outlet: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """A factual change made to a source sentence: kind 'number' or 'entity'."""

    kind: str
    before: str
    after: str


@dataclass(slots=True)
class TruthSentence:
    """Ground truth for one composite sentence (offsets into the composite text)."""

    index: int
    start: int
    end: int
    text: str
    status: str  # copied | paraphrased | duplicate | unsourced
    sources: frozenset[str]  # acceptable store article keys (empty when unsourced)
    changes: tuple[Change, ...] = ()
    duplicate_of: int | None = None
    ops: tuple[str, ...] = ()
    origin: tuple[str, int] | None = None  # (store key, sentence index) it was taken from


@dataclass(slots=True)
class Composite:
    """A stitched article and its ground truth."""

    key: str
    title: str
    text: str
    published_at: datetime
    sentences: list[TruthSentence]
    stitched: tuple[str, ...]  # the store articles it was built from


@dataclass(slots=True)
class _Piece:
    text: str
    status: str
    sources: frozenset[str]
    ops: tuple[str, ...]
    changes: tuple[Change, ...] = ()
    origin: tuple[str, int] | None = None
    repeat_of: int | None = None  # position in the piece list of the sentence repeated


def load_pool(path: str | Path) -> list[PoolArticle]:
    """Articles of a FA-KES-style CSV (article_content, article_title, date, source, unit_id)."""
    out: list[PoolArticle] = []
    seen: Counter[str] = Counter()
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            text = normalise_text(row["article_content"])
            if not text:
                continue
            source = (row.get("source") or "unknown").strip().lower() or "unknown"
            key = row["unit_id"].strip()
            seen[key] += 1
            key = key if seen[key] == 1 else f"{key}-{seen[key]}"  # a few unit ids repeat
            out.append(
                PoolArticle(
                    key=key,
                    text=text,
                    title=row.get("article_title", "").strip(),
                    url=f"https://{source}.example/{key}",
                    outlet=source,
                    published_at=_parse_date(row.get("date", "")),
                )
            )
    return out


def _parse_date(value: str) -> datetime | None:
    try:
        return datetime.strptime(value.strip(), "%m/%d/%y").replace(tzinfo=UTC)
    except ValueError:
        return None


def split_pool(
    pool: Sequence[PoolArticle], *, seed: int, held_out_share: float = 0.2
) -> tuple[list[PoolArticle], list[PoolArticle]]:
    """(store, held_out): a seeded random split of the pool."""
    order = sorted(pool, key=lambda a: a.key)
    random.Random(seed).shuffle(order)
    cut = max(1, round(len(order) * held_out_share))
    return order[cut:], order[:cut]


def pool_sentences(article: PoolArticle) -> list[str]:
    """The article's sentences (wiretrace's splitter) with at least MIN_WORDS words."""
    texts = (article.text[s:e] for s, e in split_sentences(article.text))
    return [t for t in texts if len(_WORD.findall(t)) >= MIN_WORDS]


class CompositeGenerator:
    """Builds composites from a store pool and a held-out pool (both given as data)."""

    def __init__(self, store: Sequence[PoolArticle], held_out: Sequence[PoolArticle]) -> None:
        self.store = list(store)
        self.sentences = {a.key: pool_sentences(a) for a in self.store}
        self.where: dict[str, set[str]] = {}
        self.postings: dict[tuple[str, ...], set[str]] = {}  # word 3-gram -> normalised sentences
        entities: Counter[str] = Counter()
        for article in self.store:
            for s, e in split_sentences(article.text):
                text = article.text[s:e]
                norm = normalise_sentence(text)
                self.where.setdefault(norm, set()).add(article.key)
                for gram in _grams(text):
                    self.postings.setdefault(gram, set()).add(norm)
                entities.update(
                    m.group() for m in _CAPITALISED.finditer(text) if m.group() not in _NOT_ENTITIES
                )
        self.entities = sorted(e for e, n in entities.items() if n >= 2) or sorted(entities)
        self.inserts = [
            text
            for article in held_out
            for text in pool_sentences(article)
            if normalise_sentence(text) not in self.where and _novel(text, self.postings)
        ]
        dates = [a.published_at for a in self.store if a.published_at is not None]
        self.after = (max(dates) if dates else datetime(2020, 1, 1, tzinfo=UTC)) + timedelta(days=1)
        self.usable = [a.key for a in self.store if len(self.sentences[a.key]) >= 2]

    def exact_sources(self, text: str) -> frozenset[str]:
        """Store articles holding this sentence text (after normalisation)."""
        return frozenset(self.where.get(normalise_sentence(text), ()))

    def sources_of(self, text: str) -> frozenset[str]:
        """Store articles holding this sentence, exactly or nearly (word-sequence similarity of
        at least NEAR: the same wire sentence with a word changed by the outlet)."""
        norm = normalise_sentence(text)
        found = set(self.where.get(norm, ()))
        words = norm.split()
        shared = Counter(other for g in _grams(text) for other in self.postings.get(g, ()))
        for other, count in shared.items():
            if count >= len(words) / 2 and other != norm:
                ratio = SequenceMatcher(None, words, other.split(), autojunk=False).ratio()
                if ratio >= NEAR:
                    found |= self.where[other]
        return frozenset(found)

    def generate(self, n: int, *, seed: int) -> list[Composite]:
        """`n` composites, the same for the same seed and pools."""
        rng = random.Random(seed)
        if len(self.usable) < 2:
            raise ValueError("the store pool needs at least two articles of two or more sentences")
        return [self._composite(i, rng) for i in range(n)]

    def _composite(self, number: int, rng: random.Random) -> Composite:
        keys = rng.sample(self.usable, rng.randint(2, min(5, len(self.usable))))
        pieces: list[_Piece] = []
        for key in keys:
            run = self._run(key, rng)
            pieces.extend(run)
        if self.inserts:
            for _ in range(rng.randint(1, 2)):
                text = _terminated(rng.choice(self.inserts))
                pieces.insert(
                    rng.randint(0, len(pieces)), _Piece(text, "unsourced", frozenset(), ("insert",))
                )
        sourced = [i for i, p in enumerate(pieces) if p.status != "unsourced"]
        if rng.random() < 0.5 and sourced:
            first = rng.choice(sourced)
            original = pieces[first]
            where = rng.randint(first + 1, len(pieces))
            pieces.insert(
                where,
                _Piece(
                    original.text,
                    "duplicate",
                    original.sources,
                    ("repeat",),
                    origin=original.origin,
                    repeat_of=id(original),
                ),
            )
        return self._assemble(number, pieces, rng, keys)

    def _run(self, key: str, rng: random.Random) -> list[_Piece]:
        """A run of 2-4 consecutive sentences of one store article, each transformed."""
        sents = self.sentences[key]
        length = min(len(sents), rng.randint(2, 4))
        start = rng.randint(0, len(sents) - length)
        order = list(range(start, start + length))
        reordered = length >= 3 and rng.random() < 0.3
        if reordered:
            while order == sorted(order):
                rng.shuffle(order)
        out: list[_Piece] = []
        skip = False
        for pos, idx in enumerate(order):
            if skip:
                skip = False
                continue
            op = rng.choices([o for o, _ in _OPERATIONS], [w for _, w in _OPERATIONS])[0]
            nxt = order[pos + 1] if pos + 1 < len(order) else None
            if op == "merge" and nxt == idx + 1:
                out.append(self._merge(key, idx, sents[idx], sents[nxt]))
                skip = True
                continue
            pieces = self._transform(op, key, idx, sents[idx], rng)
            if reordered and idx != start + pos:
                for p in pieces:
                    p.ops = (*p.ops, "reordered")
            out.extend(pieces)
        return out

    def _transform(
        self, op: str, key: str, idx: int, text: str, rng: random.Random
    ) -> list[_Piece]:
        sources = self.sources_of(text) | {key}
        origin = (key, idx)
        if op == "spin" and (spun := _spin(text, rng)) is not None:
            return [_Piece(spun, "paraphrased", sources, ("spin",), origin=origin)]
        if op == "number" and (changed := _change_number(text, rng)) is not None:
            new, change = changed
            return [_Piece(new, "paraphrased", sources, ("number",), (change,), origin)]
        if op == "entity" and (changed := _change_entity(text, self.entities, rng)) is not None:
            new, change = changed
            return [_Piece(new, "paraphrased", sources, ("entity",), (change,), origin)]
        if op == "split" and (halves := _split(text)) is not None:
            return [_Piece(h, "copied", sources, ("split",), origin=origin) for h in halves]
        return [_Piece(_terminated(text), "copied", sources, ("verbatim",), origin=origin)]

    def _merge(self, key: str, idx: int, left: str, right: str) -> _Piece:
        joined = _END.sub(r"\1", left.rstrip()) + ", and " + _decapitalise(right)
        sources = self.sources_of(left) | self.sources_of(right) | {key}
        return _Piece(_terminated(joined), "copied", sources, ("merge",), origin=(key, idx))

    def _assemble(
        self, number: int, pieces: list[_Piece], rng: random.Random, keys: list[str]
    ) -> Composite:
        """Lay pieces out as paragraphs of 1-3 sentences; a paragraph the splitter would cut
        differently is written one sentence per line, so truth and segmentation agree."""
        paragraphs: list[list[int]] = []
        i = 0
        while i < len(pieces):
            size = rng.randint(1, 3)
            paragraphs.append(list(range(i, min(i + size, len(pieces)))))
            i += size
        text = ""
        spans: dict[int, tuple[int, int]] = {}
        for para in paragraphs:
            block = " ".join(pieces[j].text for j in para)
            offsets = _offsets([pieces[j].text for j in para], " ")
            if split_sentences(block) != offsets:
                block = "\n".join(pieces[j].text for j in para)
                offsets = _offsets([pieces[j].text for j in para], "\n")
            base = len(text) + (2 if text else 0)
            text = f"{text}\n\n{block}" if text else block
            for j, (s, e) in zip(para, offsets, strict=True):
                spans[j] = (base + s, base + e)
        first_index = {id(p): j for j, p in enumerate(pieces)}
        truth = [
            TruthSentence(
                index=j,
                start=spans[j][0],
                end=spans[j][1],
                text=p.text,
                status=p.status,
                sources=p.sources,
                changes=p.changes,
                ops=p.ops,
                origin=p.origin,
                duplicate_of=first_index[p.repeat_of] if p.repeat_of is not None else None,
            )
            for j, p in enumerate(pieces)
        ]
        title = normalise_text(" ".join(truth[0].text.split()[:8]))
        return Composite(
            key=f"composite-{number:04d}",
            title=title,
            text=text,
            published_at=self.after + timedelta(minutes=number),
            sentences=truth,
            stitched=tuple(keys),
        )


def _offsets(texts: list[str], sep: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for t in texts:
        out.append((pos, pos + len(t)))
        pos += len(t) + len(sep)
    return out


def _grams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def _novel(text: str, store_grams: Container[tuple[str, ...]]) -> bool:
    """True when at most a third of the sentence's word 3-grams occur anywhere in the store."""
    grams = _grams(text)
    return bool(grams) and sum(g in store_grams for g in grams) <= len(grams) / 3


def _terminated(text: str) -> str:
    text = text.strip()
    return text if text[-1] in ".!?\"'”’)" else text + "."


def _decapitalise(text: str) -> str:
    first = text.split(None, 1)[0]
    if first.strip("\"'“") in _NOT_ENTITIES and first.strip("\"'“") != "I":
        return text[0].lower() + text[1:]
    return text


def _capitalise(text: str) -> str:
    return text[0].upper() + text[1:] if text else text


def _spin(text: str, rng: random.Random) -> str | None:
    """Swap up to three synonym-table words (case kept); None when none applies."""
    hits = [m for m in _WORD.finditer(text) if m.group().lower() in SYNONYMS]
    if not hits:
        return None
    chosen = sorted(rng.sample(hits, min(3, len(hits))), key=lambda m: m.start(), reverse=True)
    for m in chosen:
        word = SYNONYMS[m.group().lower()]
        word = _capitalise(word) if m.group()[0].isupper() else word
        text = text[: m.start()] + word + text[m.end() :]
    return _terminated(text)


def _change_number(text: str, rng: random.Random) -> tuple[str, Change] | None:
    """Change one number that is not a year: 21 -> 12, 7 -> 9, 10 -> 13."""
    hits = [
        m
        for m in _NUMBER.finditer(text)
        if not (len(m.group()) == 4 and m.group()[:2] in ("19", "20"))
    ]
    if not hits:
        return None
    m = rng.choice(hits)
    before = m.group()
    after = before[::-1]
    if after == before or after.startswith("0"):
        after = str(int(before) + rng.randint(2, 5))
    new = text[: m.start()] + after + text[m.end() :]
    return _terminated(new), Change("number", before, after)


def _change_entity(text: str, entities: list[str], rng: random.Random) -> tuple[str, Change] | None:
    """Swap one capitalised word (not the first) for another name from the pool."""
    present = set(_WORD.findall(text))
    hits = [m for m in _CAPITALISED.finditer(text) if m.group() not in _NOT_ENTITIES]
    choices = [e for e in entities if e not in present]
    if not hits or not choices:
        return None
    m = rng.choice(hits)
    after = rng.choice(choices)
    new = text[: m.start()] + after + text[m.end() :]
    return _terminated(new), Change("entity", m.group(), after)


def _split(text: str) -> list[str] | None:
    """Two sentences cut at the comma or conjunction nearest the middle (each >= 5 words)."""
    best: tuple[int, re.Match[str]] | None = None
    for m in _SPLIT_AT.finditer(text):
        left, right = text[: m.start()], text[m.end() :]
        if len(_WORD.findall(left)) >= 5 and len(_WORD.findall(right)) >= 5:
            distance = abs(m.start() - len(text) // 2)
            if best is None or distance < best[0]:
                best = (distance, m)
    if best is None:
        return None
    m = best[1]
    left, right = text[: m.start()].rstrip(" ,;:"), _capitalise(text[m.end() :])
    return [_terminated(left), _terminated(right)]
