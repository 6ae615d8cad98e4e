"""Typed layers of an `Article`: what each pipeline component found, keyed by a typed name.

A layer is any value a component sets on an article: most are tuples of spans (offset views into
`Article.text`: quotes, figures, entities, loaded spans, sentence traces), a few are one value for
the whole article (the casualty summary, the title's artifacts). A `LayerKey[T]` names a layer and
carries its type, so `article.layer(FIGURES)` is typed for mypy without this package importing the
types (keys are declared beside their types: `claims/layers.py`, `trace/layers.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

# Every layer name any component sets, with its one-line meaning (`wiretrace components`).
KNOWN: dict[str, str] = {}


@dataclass(frozen=True, slots=True)
class LayerKey(Generic[T]):
    """The typed name of one layer."""

    name: str
    doc: str

    def __post_init__(self) -> None:
        if KNOWN.setdefault(self.name, self.doc) != self.doc:
            raise ValueError(f"layer {self.name!r} declared twice")


# The sentences are the one layer every article has (computed from the text on first use).
SENTENCES_NAME = "sentences"
KNOWN[SENTENCES_NAME] = "sentence spans: (start, end) offsets into the text (doc/segment.py)"
