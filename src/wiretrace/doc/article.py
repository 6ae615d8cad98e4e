"""The one data object that flows through every stage: an `Article` and its `Sentence` views.

A `Sentence` holds only character offsets into `Article.text` (spaCy's `Span` over a `Doc`), so a
finding made on a sentence can always be highlighted in place and can never drift from the text.
What the pipeline's components find is kept on the article as typed layers (`doc/layers.py`):
`article.layer(QUOTES)`, set by the component that declares it (`doc/pipeline.py`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

from wiretrace.doc.layers import SENTENCES_NAME, LayerKey

T = TypeVar("T")

_SPACE_RUN = re.compile(r"\s+")
_LINE_END = re.compile(r"\r\n?|\u2028|\u2029")
_TRAILING_SPACE = re.compile(r"[ \t\f\v]+\n")


def normalise_text(text: str) -> str:
    """Text as stored: NFC, '\\n' line ends, no trailing spaces on lines, no outer blank lines."""
    text = unicodedata.normalize("NFC", text)
    text = _LINE_END.sub("\n", text)
    text = _TRAILING_SPACE.sub("\n", text)
    return text.strip()


def content_key(text: str) -> str:
    """The text as hashed for identity: whitespace runs collapsed, case folded."""
    # str.split's whitespace is exactly the regex \s (both Py_UNICODE_ISSPACE), 3x faster
    return " ".join(text.split()).casefold()


def article_id(text: str, url: str | None) -> str:
    """Content hash of the normalised text plus the url: 16 hex digits (64 bits)."""
    digest = hashlib.sha256()
    digest.update((url or "").encode("utf-8"))
    digest.update(b"\x00")
    digest.update(content_key(text).encode("utf-8"))
    return digest.hexdigest()[:16]


def outlet_from_url(url: str | None) -> str | None:
    """The outlet's domain from a url: 'https://www.example.com/a' -> 'example.com'."""
    if not url:
        return None
    host = urlsplit(url).hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as an offset view into its article's text; `text` is always read from there."""

    article: Article = field(repr=False, compare=False)
    index: int
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]


@dataclass(slots=True)
class Article:
    """A news article with its metadata; `sentences` are offset views computed once and cached."""

    id: str
    text: str
    title: str = ""
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    ingested_at: datetime | None = None
    origin_file: str | None = None
    origin_record: int | None = None
    version: int = 1
    _spans: tuple[tuple[int, int], ...] | None = field(default=None, repr=False, compare=False)
    _layers: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def create(
        cls,
        text: str,
        *,
        title: str = "",
        url: str | None = None,
        outlet: str | None = None,
        author: str | None = None,
        published_at: datetime | None = None,
        language: str | None = None,
        origin_file: str | None = None,
        origin_record: int | None = None,
    ) -> Article:
        """Build an article from raw fields: normalises text, derives id, outlet and language."""
        from wiretrace.doc.language import detect_language

        body = normalise_text(text)
        if published_at is not None and published_at.tzinfo is None:
            published_at = published_at.replace(tzinfo=UTC)
        return cls(
            id=article_id(body, url),
            text=body,
            title=_SPACE_RUN.sub(" ", title).strip(),
            url=url or None,
            outlet=outlet or outlet_from_url(url),
            author=author or None,
            published_at=published_at,
            language=language or detect_language(body),
            ingested_at=datetime.now(UTC),
            origin_file=origin_file,
            origin_record=origin_record,
        )

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        """(start, end) character offsets of each sentence, computed once."""
        if self._spans is None:
            from wiretrace.doc.segment import split_sentences

            self._spans = tuple(split_sentences(self.text))
        return self._spans

    def set_spans(self, spans: Sequence[tuple[int, int]]) -> None:
        """Use sentence offsets already known (read back from the store)."""
        self._spans = tuple((int(s), int(e)) for s, e in spans)

    @property
    def sentences(self) -> list[Sentence]:
        return [Sentence(self, i, s, e) for i, (s, e) in enumerate(self.spans)]

    def iter_sentences(self) -> Iterator[Sentence]:
        for i, (s, e) in enumerate(self.spans):
            yield Sentence(self, i, s, e)

    def layer(self, key: LayerKey[T]) -> T:
        """The value of a layer a component has set; KeyError names the missing layer."""
        try:
            value: T = self._layers[key.name]
        except KeyError:
            raise KeyError(f"layer {key.name!r} is not set on article {self.id}") from None
        return value

    def set_layer(self, key: LayerKey[T], value: T) -> None:
        """Set (or replace) one layer."""
        self._layers[key.name] = value

    def pop_layer(self, key: LayerKey[T]) -> T:
        """Remove one layer and return its value (KeyError names a missing layer)."""
        value = self.layer(key)
        del self._layers[key.name]
        return value

    def has_layer(self, name: str) -> bool:
        """Whether a layer (by name) is set; the sentences always are."""
        return name == SENTENCES_NAME or name in self._layers

    @property
    def layer_names(self) -> tuple[str, ...]:
        """The layers set so far, in the order they were set."""
        return (SENTENCES_NAME, *self._layers)

    def meta(self) -> dict[str, object]:
        """What a report says of the article it is about (the `article` object of the JSON)."""
        return {
            "id": self.id,
            "url": self.url,
            "outlet": self.outlet,
            "title": self.title,
            "published_at": self.published_at.isoformat() if self.published_at else None,
        }

    def to_dict(self, *, text: bool = True) -> dict[str, object]:
        """JSON-ready fields (times as ISO 8601)."""
        out: dict[str, object] = {
            "id": self.id,
            "url": self.url,
            "outlet": self.outlet,
            "title": self.title,
            "author": self.author,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "language": self.language,
            "version": self.version,
            "ingested_at": self.ingested_at.isoformat() if self.ingested_at else None,
            "origin_file": self.origin_file,
            "origin_record": self.origin_record,
        }
        if text:
            out["text"] = self.text
        return out
