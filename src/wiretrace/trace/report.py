"""The trace report: what each sentence is, where it came from, and the article's verdict.

Serialised as `wiretrace.trace/2` (docs/trace-json.md, schemas/trace.schema.json); renderers
take the dict from `to_dict()`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from wiretrace.doc.article import Article, Sentence
from wiretrace.trace.edits import Change

if TYPE_CHECKING:
    from wiretrace.trace.align import Passage as AlignedPassage
    from wiretrace.trace.provenance import CoveredSpan

SCHEMA = "wiretrace.trace/2"
STATUSES = ("copied", "paraphrased", "duplicate", "unsourced", "boilerplate")


@dataclass(slots=True)
class SourceDoc:
    """A candidate source article of a trace: the stored `Article`, its key in the index and
    whether it was published before the traced article."""

    doc_key: int
    article: Article
    direction: str  # "earlier" | "unknown" | "later"

    @property
    def article_id(self) -> str:
        return self.article.id

    @property
    def url(self) -> str | None:
        return self.article.url

    @property
    def outlet(self) -> str | None:
        return self.article.outlet

    @property
    def title(self) -> str:
        return self.article.title

    @property
    def published_at(self) -> datetime | None:
        return self.article.published_at

    @property
    def text(self) -> str:
        return self.article.text

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        return self.article.spans

    def meta(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "url": self.url,
            "outlet": self.outlet,
            "published_at": _iso(self.published_at),
        }


@dataclass(slots=True)
class SourceMatch:
    """One source of a sentence: the matching source sentence(s), similarity and changes."""

    doc: SourceDoc
    sentence_indexes: tuple[int, ...]
    similarity: float
    changes: list[Change] = field(default_factory=list)
    earliest: bool = False
    chain: list[str] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.doc.spans[self.sentence_indexes[0]][0]

    @property
    def end(self) -> int:
        return self.doc.spans[self.sentence_indexes[-1]][1]

    @property
    def text(self) -> str:
        return self.doc.text[self.start : self.end]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.doc.meta(),
            "sentence_index": self.sentence_indexes[0],
            "sentence_indexes": list(self.sentence_indexes),
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "similarity": round(self.similarity, 3),
            "direction": self.doc.direction,
            "earliest": self.earliest,
            "chain": self.chain,
            "changes": [c.to_dict() for c in self.changes],
        }


@dataclass(slots=True)
class SentenceTrace:
    """The finding for one sentence of the traced article."""

    sentence: Sentence
    status: str
    sources: list[SourceMatch] = field(default_factory=list)
    duplicate_of: int | None = None
    passage: int | None = None
    flags: list[str] = field(default_factory=list)
    coverage: float = 0.0  # share of the sentence's words inside passages taken from sources
    spans: list[CoveredSpan] = field(default_factory=list)
    evidence: list[float] | None = None  # what the derivation model weighed (provenance.py)
    reasons: dict[str, str] = field(default_factory=dict)  # flag -> why, in words

    @property
    def best(self) -> SourceMatch | None:
        earlier = [s for s in self.sources if s.doc.direction == "earlier"]
        return earlier[0] if earlier else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.sentence.index,
            "start": self.sentence.start,
            "end": self.sentence.end,
            "text": self.sentence.text,
            "status": self.status,
            "sources": [s.to_dict() for s in self.sources],
            "duplicate_of": self.duplicate_of,
            "passage": self.passage,
            "flags": self.flags,
            "derived_share": round(self.coverage, 3),
            "spans": [span.to_dict() for span in self.spans],
            "reasons": dict(self.reasons),
        }


@dataclass(slots=True)
class Passage:
    """Consecutive sentences traced to the same source article."""

    id: int
    article_id: str
    sentences: list[int]
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article_id": self.article_id,
            "sentences": self.sentences,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True)
class TitleTrace:
    """The traced article's title: how much of it its sources' words make up."""

    text: str
    status: str  # "copied" | "paraphrased" | "unsourced"
    coverage: float
    spans: list[CoveredSpan]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "status": self.status,
            "derived_share": round(self.coverage, 3),
            "spans": [span.to_dict() for span in self.spans],
        }


@dataclass(slots=True)
class TraceReport:
    """Everything `trace` found about one article."""

    article: Article
    sentences: list[SentenceTrace]
    passages: list[Passage]
    related: list[tuple[SourceDoc, str]]
    notes: list[str] = field(default_factory=list)
    claims: dict[str, Any] | None = None
    title: TitleTrace | None = None
    # Reused passages per source (the PAN-grade alignment: long, merged, with source offsets).
    alignments: list[tuple[SourceDoc, AlignedPassage]] = field(default_factory=list)

    def shares(self) -> dict[str, float]:
        """Share of the article's sentence characters in each status."""
        sizes: Counter[str] = Counter()
        for trace in self.sentences:
            sizes[trace.status] += trace.sentence.end - trace.sentence.start
        total = sum(sizes.values()) or 1
        return {status: round(sizes[status] / total, 4) for status in STATUSES}

    def source_summary(self) -> list[dict[str, Any]]:
        """Each earlier source with the number of sentences traced to it (`sentences`) and of
        those it is the closest source of (`closest`), most used first."""
        counts: Counter[str] = Counter()
        closest: Counter[str] = Counter()
        earliest: set[str] = set()
        docs: dict[str, SourceDoc] = {}
        for trace in self.sentences:
            if trace.best is not None:
                closest[trace.best.doc.article_id] += 1
            seen: set[str] = set()
            for match in trace.sources:
                if match.doc.direction != "earlier" or match.doc.article_id in seen:
                    continue
                seen.add(match.doc.article_id)
                docs[match.doc.article_id] = match.doc
                counts[match.doc.article_id] += 1
                if match.earliest:
                    earliest.add(match.doc.article_id)
        ordered = sorted(counts, key=lambda k: (-counts[k], _iso(docs[k].published_at) or "", k))
        return [
            {
                **docs[k].meta(),
                "sentences": counts[k],
                "closest": closest[k],
                "earliest": k in earliest,
            }
            for k in ordered
        ]

    def passage_sources(self) -> list[dict[str, Any]]:
        """Each earlier source with the number of the article's words inside passages taken from
        it (`words`), most first: the article's closest sources by passages, which names the
        source of an article rewritten so far that no sentence is called derived."""
        words: Counter[str] = Counter()
        docs: dict[str, SourceDoc] = {}
        for trace in self.sentences:
            for span in trace.spans:
                if span.doc.direction == "earlier":
                    words[span.doc.article_id] += span.words
                    docs[span.doc.article_id] = span.doc
        ordered = sorted(words, key=lambda k: (-words[k], _iso(docs[k].published_at) or "", k))
        return [{**docs[k].meta(), "words": words[k]} for k in ordered]

    def factual_changes(self) -> int:
        """Factual changes against each sentence's closest source."""
        return sum(
            len(factual_changes(t.best.changes, copied=t.status != "paraphrased"))
            for t in self.sentences
            if t.best
        )

    def verdict(self) -> str:
        """A plain sentence: how many sources, unsourced and repeated sentences, factual changes."""
        # Counted from the sources the summary lists, so the verdict and the table agree: the
        # closest source of some sentence, then the others that carry some of the same text.
        listed = self.source_summary()
        origins = [s for s in listed if s["closest"]]
        statuses = Counter(t.status for t in self.sentences)
        if not origins:
            parts = ["no earlier source found"]
        elif len(origins) == 1:
            parts = ["drawn from 1 source"]
        else:
            parts = [f"composite of {len(origins)} sources"]
        if origins and len(listed) > len(origins):
            more = len(listed) - len(origins)
            parts.append(f"{_n(more, 'more source carries', 'more sources carry')} the same text")
        unsourced = statuses["unsourced"]
        if unsourced and origins:
            parts.append(f"{_n(unsourced, 'sentence has', 'sentences have')} no source")
        if statuses["duplicate"]:
            parts.append(f"{_n(statuses['duplicate'], 'sentence', 'sentences')} repeated")
        factual = self.factual_changes()
        if factual:
            parts.append(f"{_n(factual, 'factual change', 'factual changes')}")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        shares = self.shares()
        sources = self.source_summary()
        article = self.article
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "article": {**article.meta(), "language": article.language},
            "summary": {
                "sources": sources,
                "passage_sources": self.passage_sources(),
                "outlets": sorted({s["outlet"] for s in sources if s["outlet"]}),
                **{f"{status}_share": shares[status] for status in STATUSES},
                "factual_changes": self.factual_changes(),
                "verdict": self.verdict(),
            },
            "sentences": [t.to_dict() for t in self.sentences],
            "passages": [p.to_dict() for p in self.passages],
            "related": [{**doc.meta(), "reason": reason} for doc, reason in self.related],
            "notes": self.notes,
            "title": self.title.to_dict() if self.title else None,
            "alignments": [
                {
                    "article_id": doc.article_id,
                    "start": p.target_start,
                    "end": p.target_end,
                    "source_start": p.source_start,
                    "source_end": p.source_end,
                    "similarity": p.similarity,
                }
                for doc, p in self.alignments
            ],
        }
        if self.claims is not None:
            out["claims"] = self.claims
        return out


def factual_changes(changes: list[Change], *, copied: bool) -> list[Change]:
    """The factual changes of a match. In a paraphrase, words come and go by design, so only a
    number or a name replaced by another counts; in a copy, so does an inserted or deleted fact."""
    if copied:
        return [c for c in changes if c.factual]
    return [c for c in changes if c.factual and c.kind in ("number", "entity")]


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
