"""Plain-Python steps of the reuse plan: shingling a batch of articles and aligning one target.

No engine is used here: the DuckDB and Spark engines both call these functions on rows they read
(passim's `seriatim.py` habit). Alignment runs the tracer's own decision code (`Tracer.trace`)
over candidates the engine found, so a sentence gets the same status, source and edits as
`wiretrace trace` gives it on the same pair of articles.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa

from wiretrace.doc.article import Article
from wiretrace.doc.layers import LayerKey
from wiretrace.index.shingles import ShingleParams, sentence_shingles
from wiretrace.trace.candidates import CandidateHits, direction
from wiretrace.trace.layers import FLAGS, PASSAGES, SENTENCE_TRACES, TITLE_TRACE
from wiretrace.trace.params import TraceParams
from wiretrace.trace.provenance import SourceTokens
from wiretrace.trace.report import SourceDoc, TraceReport, factual_changes
from wiretrace.trace.tracer import CandidateTracer

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

SHINGLE_SCHEMA = pa.schema(
    [
        ("doc_key", pa.int32()),
        ("sent", pa.int32()),
        ("hash", pa.int64()),
        ("published_us", pa.int64()),
    ]
)

# One row per article ("article"), per (target, earlier source) ("relation") and per pair whose
# direction is unknown ("related"). No nulls: Spark's pandas bridge turns nullable ints to floats.
ALIGNED_FIELDS: tuple[tuple[str, pa.DataType], ...] = (
    ("kind", pa.string()),
    ("tdoc", pa.int32()),
    ("sdoc", pa.int32()),
    ("sentences", pa.int32()),
    ("copied_chars", pa.int64()),
    ("paraphrased_chars", pa.int64()),
    ("duplicate_chars", pa.int64()),
    ("unsourced_chars", pa.int64()),
    ("boilerplate_chars", pa.int64()),
    ("sources", pa.int32()),
    ("factual_changes", pa.int32()),
    ("credited", pa.int8()),
    ("mixed", pa.int8()),
    ("passages", pa.string()),
    ("origins", pa.string()),
)
ALIGNED_SCHEMA = pa.schema(list(ALIGNED_FIELDS))


def shingle_batch(batch: pa.RecordBatch, params: ShingleParams) -> pa.RecordBatch:
    """(doc_key, sent, hash, published_us) rows for a batch of `docs` rows: the index's shingles."""
    keys: list[int] = []
    sents: list[int] = []
    hashes: list[int] = []
    times: list[int | None] = []
    columns = batch.select(["doc_key", "text", "starts", "stops", "published_us"]).to_pydict()
    for key, text, starts, stops, published in zip(*columns.values(), strict=True):
        found, sent_of = sentence_shingles(text, list(zip(starts, stops, strict=True)), params)
        count = len(found)
        keys.extend([key] * count)
        sents.extend(sent_of.tolist())
        hashes.extend(found.tolist())
        times.extend([published] * count)
    return pa.RecordBatch.from_arrays(
        [
            pa.array(keys, pa.int32()),
            pa.array(sents, pa.int32()),
            pa.array(hashes, pa.int64()),
            pa.array(times, pa.int64()),
        ],
        schema=SHINGLE_SCHEMA,
    )


@dataclass(frozen=True, slots=True)
class Doc:
    """One article as the engines hand it over: a `docs` row."""

    doc_key: int
    article_id: str
    url: str | None
    outlet: str | None
    published_us: int | None
    text: str
    spans: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Doc:
        """A Doc from a row dict (Arrow or pandas values)."""
        published = row.get("published_us")
        valid = published is not None and published == published  # pandas NaN for a null
        return cls(
            doc_key=int(row["doc_key"]),
            article_id=str(row["article_id"]),
            url=_text_or_none(row.get("url")),
            outlet=_text_or_none(row.get("outlet")),
            published_us=int(published) if valid and published is not None else None,
            text=str(row["text"]),
            spans=tuple((int(s), int(e)) for s, e in zip(row["starts"], row["stops"], strict=True)),
        )

    @property
    def published_at(self) -> datetime | None:
        if self.published_us is None:
            return None
        return _EPOCH + timedelta(microseconds=self.published_us)

    def article(self) -> Article:
        """The row as the one document object (stored text: already normalised)."""
        article = Article(
            id=self.article_id,
            text=self.text,
            url=self.url,
            outlet=self.outlet,
            published_at=self.published_at,
        )
        article.set_spans(self.spans)
        return article


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class PairCandidates:
    """Engine-made candidates for one target (the `Candidates` a tracer reads): the hits are
    ranked already and the documents are in memory, so no index or store is read."""

    def __init__(
        self,
        docs: Mapping[int, Doc],
        hits: dict[int, list[tuple[int, int]]],
        stock: list[float],
        articles: dict[int, Article] | None = None,
    ) -> None:
        """`articles`: source articles already made, by doc key (shared by a bundle's targets;
        a tracer never changes a source)."""
        self.docs = docs
        self.hits = hits
        self.stock = stock
        self.articles = {} if articles is None else articles

    def find(self, article: Article, params: TraceParams) -> CandidateHits:
        return CandidateHits(self.hits, self.stock)

    def load(self, keys: Iterable[int], target: Article) -> dict[int, SourceDoc]:
        out: dict[int, SourceDoc] = {}
        for key in sorted(set(keys)):
            doc = self.docs.get(key)
            if doc is None or doc.article_id == target.id or (doc.url and doc.url == target.url):
                continue  # as the tracer: never the article itself or another version of it
            source = self.articles.get(key)
            if source is None:
                source = self.articles[key] = doc.article()
            out[key] = SourceDoc(key, source, direction(source.published_at, target))
        return out


def trace_target(
    target: Doc,
    sources: Mapping[int, Doc],
    candidates: Sequence[tuple[int, int, int, int]],
    stock: Mapping[int, float],
    params: TraceParams,
    tokens: SourceTokens | None = None,
    articles: dict[int, Article] | None = None,
) -> TraceReport:
    """Trace one article against its candidates: (target sentence, source doc, source sentence,
    shared shingles) rows, ranked here as the tracer ranks index hits. `sources` may hold more
    documents than the candidates name (a bundle's documents); `tokens` caches their words,
    `articles` their articles."""
    hits: dict[int, list[tuple[int, int]]] = {}
    for tsent, sdoc, ssent, _ in sorted(candidates, key=lambda c: (c[0], -c[3], c[1], c[2])):
        per = hits.setdefault(tsent, [])
        if len(per) < params.candidates_per_sentence:
            per.append((sdoc, ssent))
    article = target.article()
    shares = [stock.get(i, 0.0) for i in range(len(target.spans))]
    # Every decision is the tracer's own; only the candidates come from the engine. Source words
    # are shared by the targets of a bundle (their sources overlap).
    tracer = CandidateTracer(
        PairCandidates(sources, hits, shares, articles),
        params=params,
        claims=False,
        tokens=tokens,
        extras=False,  # the aligned rows read no title trace, long passage or flag
    )
    return tracer.trace(article)


def outlet_name(outlet: str | None) -> str | None:
    """The name an outlet goes by in text: 'www.northwire.example' -> 'northwire'."""
    if not outlet:
        return None
    host = outlet.casefold().removeprefix("www.")
    name = host.split(".")[0]
    return name if len(name) >= 3 else None


def credits(text: str, outlet: str | None) -> bool:
    """Whether the text names the outlet (a whole word, any case)."""
    name = outlet_name(outlet)
    if not name:
        return False
    if name.isascii() and text.isascii() and name not in text.lower():
        return False  # ASCII on both sides: the name in any case is in the lowered text
    return re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE) is not None


def _row(kind: str, tdoc: int, sdoc: int = -1, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {name: 0 for name, _ in ALIGNED_FIELDS}
    row.update(kind=kind, tdoc=tdoc, sdoc=sdoc, passages="", origins="")
    row.update(values)
    return row


def aligned_rows(
    target: Doc, sources: Mapping[int, Doc], report: TraceReport
) -> list[dict[str, Any]]:
    """The `aligned` rows of one traced article: its status sizes, relations and related pairs."""
    by_id = {doc.article_id: doc for doc in sources.values()}
    sizes = dict.fromkeys(("copied", "paraphrased", "duplicate", "unsourced", "boilerplate"), 0)
    relations: dict[int, dict[str, Any]] = {}
    for trace in report.sentences:
        sizes[trace.status] += trace.sentence.end - trace.sentence.start
    runs: dict[int, list[list[int]]] = {}
    origins: dict[int, set[int]] = {}
    for passage in report.passages:
        source = by_id[passage.article_id]
        rel = relations.get(source.doc_key)
        if rel is None:  # (credits only once a relation, not once a passage)
            rel = relations[source.doc_key] = _row(
                "relation",
                target.doc_key,
                source.doc_key,
                credited=int(credits(target.text, source.outlet)),
            )
            runs[source.doc_key], origins[source.doc_key] = [], set()
        runs[source.doc_key].append(
            [passage.sentences[0], passage.sentences[-1], passage.start, passage.end]
        )
        for index in passage.sentences:
            trace = report.sentences[index]
            best = trace.best
            assert best is not None
            rel["sentences"] += 1
            chars = trace.sentence.end - trace.sentence.start
            rel["copied_chars" if trace.status == "copied" else "paraphrased_chars"] += chars
            rel["factual_changes"] += len(
                factual_changes(best.changes, copied=trace.status != "paraphrased")
            )
            origins[source.doc_key].update(m.doc.doc_key for m in trace.sources if m.earliest)
    for key, rel in relations.items():
        rel["passages"] = json.dumps(runs[key], separators=(",", ":"))
        rel["origins"] = json.dumps(sorted(origins[key]), separators=(",", ":"))
    reused = sizes["copied"] + sizes["paraphrased"]
    rows = [
        _row(
            "article",
            target.doc_key,
            sentences=len(report.sentences),
            sources=len(relations),
            mixed=int(reused > 0 and sizes["unsourced"] > 0),
            **{f"{status}_chars": size for status, size in sizes.items()},
        )
    ]
    rows.extend(relations[key] for key in sorted(relations))
    rows.extend(_row("related", target.doc_key, doc.doc_key) for doc, _ in report.related)
    return rows


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Alignment makes millions of small objects and no reference cycles worth collecting
    mid-batch; the cyclic collector would rescan the bundle's objects again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _release(report: TraceReport) -> None:
    """Drop the trace's layers from the traced article once its rows are made. They point back
    at it (a sentence's trace holds the sentence, which holds the article), so each traced
    article would otherwise be freed only by the cyclic collector, which then walked a whole
    bundle's traces at once (~4% of the stage's CPU)."""
    keys: tuple[LayerKey[Any], ...] = (SENTENCE_TRACES, PASSAGES, TITLE_TRACE, FLAGS)
    for key in keys:
        if report.article.has_layer(key.name):
            report.article.pop_layer(key)


def align_targets(
    targets: Iterable[Doc],
    docs: Mapping[int, Doc],
    pairs: Mapping[int, Sequence[tuple[int, int, int, int]]],
    stock: Mapping[int, Mapping[int, float]],
    params: TraceParams,
) -> list[dict[str, Any]]:
    """The `aligned` rows of `targets`, in doc_key order: `docs` holds (at least) every source
    their candidates name; `pairs` maps a target to its (tsent, sdoc, ssent, shared) rows and
    `stock` to its sentences' stock shares."""
    out: list[dict[str, Any]] = []
    tokens = SourceTokens()
    articles: dict[int, Article] = {}
    report: TraceReport | None = None
    with _no_cyclic_gc():
        for target in sorted(targets, key=lambda d: d.doc_key):
            candidates = pairs.get(target.doc_key, ())
            sources = {key: docs[key] for key in sorted({c[1] for c in candidates})}
            report = trace_target(
                target,
                sources,
                candidates,
                stock.get(target.doc_key, {}),
                params,
                tokens,
                articles,
            )
            out.extend(aligned_rows(target, sources, report))
            _release(report)
        # Freed before the collector is back on, so it does not scan them on its first run.
        del tokens, articles, report
    return out


def align_bundle(
    docs: Iterable[Mapping[str, Any]],
    candidates: Iterable[Mapping[str, Any]],
    params: TraceParams,
) -> list[dict[str, Any]]:
    """Align every target in a bundle of rows: `docs` rows are `docs` table rows with `role`
    (0 a target of this bundle, 1 only a source; a document may come more than once);
    `candidates` rows are candidate pairs (tdoc, tsent, sdoc, ssent, shared), or stock shares
    (tdoc, tsent, stock) when `sdoc` is -1."""
    targets: dict[int, Doc] = {}
    known: dict[int, Doc] = {}
    for row in docs:
        key = int(row["doc_key"])
        doc = known.get(key)
        if doc is None:
            doc = known[key] = Doc.of(row)
        if int(row["role"]) == 0:
            targets[key] = doc
    pairs: dict[int, list[tuple[int, int, int, int]]] = {}
    stock: dict[int, dict[int, float]] = {}
    for row in candidates:
        tdoc, sdoc = int(row["tdoc"]), int(row["sdoc"])
        if sdoc < 0:
            stock.setdefault(tdoc, {})[int(row["tsent"])] = float(row["stock"])
        else:
            pairs.setdefault(tdoc, []).append(
                (int(row["tsent"]), sdoc, int(row["ssent"]), int(row["shared"]))
            )
    return align_targets(targets.values(), known, pairs, stock, params)
