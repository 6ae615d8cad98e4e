"""A generated news-like corpus for benchmarks: invented words in wire-story shapes, with reuse.

Articles are built from a synthetic vocabulary (no real text), sentence templates with names,
places and numbers, paragraphs, and a share of "copy" articles that take sentences from earlier
ones (some verbatim, some with a number changed), so benchmarks see realistic candidate loads.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

_SYLLABLES = (
    "ka",
    "ro",
    "ven",
    "tal",
    "mi",
    "sor",
    "del",
    "an",
    "bru",
    "ish",
    "ter",
    "lo",
    "gan",
    "es",
    "vor",
    "ul",
    "pra",
    "nis",
    "dor",
    "el",
    "qua",
    "sim",
    "ber",
    "ot",
)
_FUNCTION = (
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "said",
    "on",
    "that",
    "for",
    "with",
    "was",
    "by",
    "at",
    "from",
    "after",
    "as",
    "its",
    "were",
    "has",
    "had",
    "would",
    "but",
)


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables))


class Vocabulary:
    """Invented nouns, verbs, names and places, Zipf-weighted like real text."""

    def __init__(self, rng: random.Random, size: int = 20_000) -> None:
        self.words = [_word(rng, rng.randint(1, 4)) for _ in range(size)]
        weights = [1.0 / (rank + 1) ** 1.05 for rank in range(size)]
        # Cumulative weights once: random.choices would rebuild them on every call.
        self.cum_weights = list(itertools.accumulate(weights))
        self.names = [_word(rng, 2).title() + " " + _word(rng, 3).title() for _ in range(2000)]
        self.places = [_word(rng, rng.randint(2, 3)).title() for _ in range(800)]
        self.outlets = [f"{_word(rng, 2)}{_word(rng, 2)}.example" for _ in range(200)]


def _sentence(rng: random.Random, vocab: Vocabulary) -> str:
    length = rng.randint(12, 32)
    words = rng.choices(vocab.words, cum_weights=vocab.cum_weights, k=length)
    for i in range(0, length, 3):
        words[i] = rng.choice(_FUNCTION)
    if rng.random() < 0.5:
        words[rng.randrange(length)] = str(rng.randint(2, 400))
    if rng.random() < 0.6:
        words[rng.randrange(length)] = rng.choice(vocab.places)
    if rng.random() < 0.4:
        words.insert(0, rng.choice(vocab.names) + " said")
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def generate_articles(
    count: int, *, seed: int = 7, copy_share: float = 0.3, words_per_article: int = 600
) -> Iterator[dict[str, str]]:
    """`count` article records (url, outlet, title, published, text), ~`words_per_article` words."""
    rng = random.Random(seed)
    vocab = Vocabulary(rng)
    start = datetime(2030, 1, 1, tzinfo=UTC)
    recent: list[list[str]] = []  # sentence lists of recent articles, for copies to draw from
    for n in range(count):
        sentences: list[str] = []
        if recent and rng.random() < copy_share:
            for source in rng.sample(recent, k=min(len(recent), rng.randint(1, 4))):
                taken = rng.sample(source, k=min(len(source), rng.randint(3, 8)))
                sentences.extend(
                    s.replace(s.split()[1], str(rng.randint(2, 400)), 1)
                    if rng.random() < 0.1
                    else s
                    for s in taken
                )
        words = sum(len(s.split()) for s in sentences)
        while words < words_per_article:
            sentence = _sentence(rng, vocab)
            sentences.append(sentence)
            words += len(sentence.split())
        paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        recent.append(sentences)
        if len(recent) > 500:
            recent.pop(rng.randrange(len(recent)))
        outlet = rng.choice(vocab.outlets)
        yield {
            "url": f"https://{outlet}/{n}",
            "outlet": outlet,
            "title": " ".join(rng.choices(vocab.words, k=7)).title(),
            "published": (start + timedelta(minutes=7 * n)).isoformat(),
            "text": "\n\n".join(paragraphs),
        }


def write_jsonl(path: Path, count: int, *, seed: int = 7) -> Path:
    """Write the corpus as JSON Lines (skipped when a file of that name exists)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as handle:
            for record in generate_articles(count, seed=seed):
                handle.write(json.dumps(record) + "\n")
        tmp.rename(path)
    return path
