"""Sentence splitting: (start, end) offsets into the text, paragraph by paragraph."""

from __future__ import annotations

import re

import blingfire

_PARAGRAPH = re.compile(r"[^\n]+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets; a sentence never crosses a line break."""
    spans: list[tuple[int, int]] = []
    for para in _PARAGRAPH.finditer(text):
        base = para.start()
        chunk = para.group()
        _, offsets = blingfire.text_to_sentences_and_offsets(chunk)
        for start, end in offsets:
            if chunk[start:end].strip():
                spans.append((base + start, base + end))
    return spans
