"""The word table (one tokenisation of a text for every view of it), on generated strings."""

from __future__ import annotations

import random

from wiretrace.index.shingles import words
from wiretrace.trace.align import tokenize_words
from wiretrace.trace.matching import SentenceWords
from wiretrace.trace.provenance import SourceTokens, cover_sentences
from wiretrace.trace.wordtable import WordTable

# ASCII word and non-word characters, letters that fold into two ('ß', the 'fi' ligature, a
# dotted capital I that folds to a letter and a combining mark), curly quotes, dashes, a digit
# that is not ASCII, a combining mark alone, CJK, an emoji, final sigma.
_ALPHABET = [*"abcXYZ019_ .,;'\"-\n\t", "é", "ß", "İ", "’", "“", "—", "٣", "ﬁ", "\u0307"]
_ALPHABET += ["中", "\U0001f600", "Σ", "ς"]


def test_the_table_holds_exactly_the_regular_expressions_tokens() -> None:
    rng = random.Random(7)
    for size in [0, 1, 5, 255, 256, 257, *[rng.randint(0, 1200) for _ in range(600)]]:
        text = "".join(rng.choice(_ALPHABET) for _ in range(size))
        table = WordTable.of(text)
        assert table.tokens() == tuple(tokenize_words(text)), repr(text)
        assert len(table) == len(table.words) == len(table.starts) == len(table.ends)


def test_ascii_article_words_and_offsets() -> None:
    text = ("The ferry to Oskel Island left at 7:40, its captain said. " * 8).strip()
    table = WordTable.of(text)
    assert len(text) >= 256  # the NumPy path
    assert table.words[:4] == ("the", "ferry", "to", "oskel")
    assert [text[s:e] for _, s, e in table.tokens(0, 3)] == ["The", "ferry", "to"]


def test_a_sentence_view_equals_the_sentence_read_alone() -> None:
    first = "Harbour master Ilse Varga closed the northern quay on Friday."
    second = "Two trawlers, the “Gull” and the Straße, stayed in port."
    text = f"{first} {second}" * 6
    table = WordTable.of(text)
    start = len(first) + 1
    view = table.sentence(start, start + len(second))
    assert view == SentenceWords.of(second)
    assert view.words == tuple(w for w, _, _ in tokenize_words(second))
    assert view.words == tuple(words(second))  # folded first, then split: the same here (no İ)
    assert "the" not in view.content and "trawlers" in view.content


def test_within_gives_the_words_wholly_inside_a_span() -> None:
    table = WordTable.of("alpha beta gamma delta")
    assert table.within(6, 16) == (1, 3)  # "beta gamma"
    assert table.within(7, 16) == (2, 3)  # "eta" is not a whole word
    assert table.within(30, 40) == (4, 4)


def test_cover_of_a_text_with_words_and_no_sentences_is_empty() -> None:
    # Every word lies outside any sentence: nothing to cover, and no index past the spans.
    assert cover_sentences("Quarry bells rang twice.", [], [], SourceTokens()) == []


def test_an_ascii_text_has_the_regular_expressions_tokens() -> None:
    # ASCII text of any length takes its own path (translated and split): every ASCII
    # character, with the control characters str.split() also splits on.
    rng = random.Random(11)
    alphabet = [chr(c) for c in range(128)] + list("aaaeeettt_   ")
    short = [rng.randint(0, 255) for _ in range(200)]
    for size in [0, 1, 2, 255, 256, 257, *short, *[rng.randint(256, 1500) for _ in range(300)]]:
        text = "".join(rng.choice(alphabet) for _ in range(size))
        table = WordTable.of(text)
        assert table.tokens() == tuple(tokenize_words(text)), repr(text)
        words = tuple(w for w, _, _ in tokenize_words(text[:40]))
        assert SentenceWords.of(text[:40]).words == words, repr(text[:40])
        # Content words picked for ASCII words in C: those of the general rule.
        general = SentenceWords.from_words(table.words)
        assert table.ascii_text and table.sentence(0, len(text)) == general
        assert SentenceWords.of(text[:40]) == SentenceWords.from_words(words)


def test_ranges_are_within_of_each_span() -> None:
    table = WordTable.of("alpha beta gamma delta")
    spans = [(6, 16), (7, 16), (30, 40), (0, 0), (0, 22)]
    assert table.ranges(spans) == [table.within(s, e) for s, e in spans]
    assert table.ranges([]) == []
