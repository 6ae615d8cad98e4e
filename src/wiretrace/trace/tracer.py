"""Trace every sentence of an article to the earlier articles it copies or paraphrases.

Steps: (1) shingles of each sentence are looked up in the index, stock phrases (shingles in more
than `max_df` sentences) left out; (2) the source sentences sharing most shingles with each target
sentence are scored by word coverage, alone and joined with a neighbour (merges and splits);
(3) sentences with no copy are compared with every sentence of the articles the rest of the text
came from (lexical paraphrase); (4) repeats inside the article, stock phrases and unsourced
sentences are named; (5) edits against the closest source, the earliest origin and passages.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime

from wiretrace.claims import propaganda
from wiretrace.claims.components import CLAIMS
from wiretrace.claims.report import ClaimsReport
from wiretrace.doc import pipeline
from wiretrace.doc.article import Article, Sentence
from wiretrace.errors import TraceCancelled
from wiretrace.index.paraphrase import ParaphraseIndex, open_for_trace
from wiretrace.index.postings import ShingleIndex
from wiretrace.store.articles import Store
from wiretrace.trace import flags as provenance_flags
from wiretrace.trace.align import AlignParams
from wiretrace.trace.candidates import SOURCE_CACHE, Candidates, IndexCandidates
from wiretrace.trace.edits import diff_sentences
from wiretrace.trace.layers import FLAGS, PASSAGES, SENTENCE_TRACES, TITLE_TRACE, flags_of
from wiretrace.trace.lexical import Scored, kind_of, paraphrase_pass
from wiretrace.trace.matching import (
    Closeness,
    SentenceWords,
    WordSet,
    closeness,
    common_words,
    joined,
)
from wiretrace.trace.params import DEFAULT_PARAMS, TraceParams
from wiretrace.trace.provenance import (
    Runs,
    SentenceCover,
    SourceTokens,
    SourceView,
    aligned_passages,
    cover_sentences,
    derive_from_cover,
    rank_sources,
    sentence_features,
    shipped_model,
)
from wiretrace.trace.report import (
    Passage,
    SentenceTrace,
    SourceDoc,
    SourceMatch,
    TitleTrace,
    TraceReport,
    factual_changes,
)
from wiretrace.trace.wordtable import WordTable


class CandidateTracer:
    """Traces articles against the candidates it is given: every decision of a trace, whoever
    found the candidates (the store's index: `Tracer`; a corpus engine: `corpus/align.py`)."""

    def __init__(
        self,
        candidates: Candidates,
        *,
        params: TraceParams = DEFAULT_PARAMS,
        claims: bool = True,
        paraphrases: ParaphraseIndex | None = None,
        semantic_note: str | None = None,
        tokens: SourceTokens | None = None,
        extras: bool = True,
    ) -> None:
        """`claims`: also run the claims components and the flags that need both;
        `paraphrases`: the semantic paraphrase index; `tokens`: a cache of source documents'
        words to share between tracers whose sources overlap; `extras`: also the title's trace,
        the long passages (`alignments`), the provenance flags, the derivation evidence of a
        sentence no source could explain and the edits of every source but a sentence's best,
        which decide no status (the reuse engines keep statuses, sources, passages and the best
        source's edits only, and skip them)."""
        self.candidates = candidates
        self.params = params
        self.with_claims = claims
        self.paraphrases = paraphrases
        self.semantic_note = semantic_note
        self._tokens = SourceTokens() if tokens is None else tokens
        self.extras = extras
        self._contents: dict[int, WordSet] = {}

    def trace(
        self, article: Article, *, cancelled: Callable[[], bool] | None = None
    ) -> TraceReport:
        """The trace report of one article (stored or not) against the store's earlier articles.

        `cancelled`: polled between stages and every few hundred sentences; when it returns True
        the trace stops with `TraceCancelled` (a server's client has gone away)."""
        stop = _Stop(cancelled)
        params = self.params
        sentences = article.sentences
        table = WordTable.of(article.text)  # the article's words, for every view of them
        spans = [(s.start, s.end) for s in sentences]
        word_ranges = table.ranges(spans)  # each sentence's words (`table.sentence`)
        target_words = [table.sentence_of(a, b) for a, b in word_ranges]
        notes: list[str] = []
        reference = article.published_at
        if article.language and article.language != "en":
            notes.append(
                f"the article's language is '{article.language}': lexical matching "
                "still runs; paraphrase detection is tuned for English"
            )
        if reference is None:
            notes.append(
                "the article has no publication time: every dated article in the store "
                "is treated as earlier"
            )
        found = self.candidates.find(article, params)
        hits, stock_share = found.hits, found.stock
        stop.check()
        wanted = {doc for per in hits.values() for doc, _ in per}
        docs = self.candidates.load(wanted | found.shared.keys(), article)
        scored: dict[int, list[Scored]] = defaultdict(list)
        for done, (index, candidates) in enumerate(hits.items()):
            if done % 256 == 255:
                stop.check()
            if len(target_words[index]) < params.min_words:
                continue
            scored[index] = self._score(target_words[index], candidates, docs)
        stop.check()
        ranked = (
            rank_sources(hits, docs, params.passage_docs, len(sentences), found.shared)
            if params.passage_docs
            else []
        )
        runs: Runs = {}
        covers = (
            cover_sentences(article.text, spans, ranked, self._tokens, found=runs, table=table)
            if ranked
            else [SentenceCover(0, 0, []) for _ in sentences]
        )
        stop.check()
        paraphrase_pass(
            target_words,
            scored,
            docs,
            {d.doc_key for d in ranked},
            self._tokens.sentences,
            params,
            self._tokens.sentence_ids,
        )
        stop.check()
        if self.paraphrases is not None:
            self._semantic_pass(sentences, target_words, scored, docs, article)
        if self.semantic_note:
            notes.append(self.semantic_note)
        traces = [SentenceTrace(sentence=s, status="unsourced") for s in sentences]
        duplicates = _find_duplicates(target_words, params)
        model = shipped_model() if params.derivation_model else None
        view = SourceView(self._doc_content, self._sentence_content, self._tokens)
        stop.check()
        for i, trace in enumerate(traces):
            if i % 256 == 255:
                stop.check()
            self._decide(trace, scored.get(i, []), stock_share[i], duplicates.get(i))
            trace.coverage, trace.spans = covers[i].share, covers[i].spans
            if trace.status != "unsourced" or len(target_words[i]) < params.min_words:
                continue
            near = [s for s in scored.get(i, []) if s.doc.direction == "earlier"]
            if not self.extras and not near and not _covered_from_earlier(covers[i]):
                continue  # no source it could be derived from: its evidence decides nothing
            first, last = word_ranges[i]
            starts = (table.starts[first:last] - sentences[i].start).tolist()
            trace.evidence = sentence_features(
                target_words[i], sentences[i].text, covers[i], view, ranked, starts
            )
            if model is not None:
                derived = model.probability(trace.evidence) >= model.threshold
            else:
                derived = covers[i].share >= params.partial_coverage
            if derived:
                closest = (near[0].doc, near[0].sentence_indexes[0]) if near else None
                derive_from_cover(trace, covers[i], copy=params.copy_coverage, fallback=closest)
        _mark_splits(traces)
        _mark_origins(traces)
        for trace in traces:
            if trace.best and factual_changes(
                trace.best.changes, copied=trace.status != "paraphrased"
            ):
                trace.flags.append("factual_change")
        related = _related(traces, docs)
        report = TraceReport(
            article=article,
            sentences=traces,
            passages=_passages(traces),
            related=related,
            notes=notes,
            title=self._trace_title(article, ranked) if self.extras else None,
        )
        if params.passage_docs and self.extras:
            used = {span.doc.doc_key: span.doc for t in traces for span in t.spans}
            report.alignments = aligned_passages(
                article.text,
                [used[k] for k in sorted(used)],
                self._tokens,
                AlignParams(),
                runs,
                table,
            )
        article.set_layer(SENTENCE_TRACES, traces)
        article.set_layer(PASSAGES, report.passages)
        article.set_layer(TITLE_TRACE, report.title)
        if self.with_claims:
            stop.check()
            # The lexicon's loaded words unless WIRETRACE_LOADED=detector: the detector
            # would cost a trace several times its budget (propaganda.ENV).
            settings = pipeline.Settings(detector=propaganda.wanted(default=False))
            pipeline.run(article, (*CLAIMS, "claim_flags"), settings)
            report.claims = ClaimsReport.from_layers(article).to_dict()
            stop.check()
        if self.extras:
            provenance_flags.apply(report)
        article.set_layer(FLAGS, flags_of(traces))
        return report

    def _trace_title(self, article: Article, ranked: list[SourceDoc]) -> TitleTrace | None:
        """The title's words against the article's candidate sources (a headline is rewritten
        more often than copied: it is traced for the reader, it does not decide a status)."""
        title = article.title.strip()
        if not title:
            return None
        [cover] = cover_sentences(title, [(0, len(title))], ranked, self._tokens)
        p = self.params
        status = "unsourced"
        if cover.words >= p.min_words and cover.share >= p.copy_coverage:
            status = "copied"
        elif cover.words >= p.min_words and cover.share >= p.partial_coverage:
            status = "paraphrased"
        return TitleTrace(title, status, cover.share, cover.spans)

    # -- candidates ----------------------------------------------------------------------

    def _doc_content(self, doc: SourceDoc) -> WordSet:
        """The content words of a whole source article."""
        found = self._contents.get(doc.doc_key)
        if found is None:
            if len(self._contents) > SOURCE_CACHE:
                self._contents.clear()
            sentences = self._tokens.sentences(doc)
            found = self._contents[doc.doc_key] = dict.fromkeys(
                itertools.chain.from_iterable(s.content for s in sentences)
            )
        return found

    def _sentence_content(self, doc: SourceDoc) -> Sequence[SentenceWords]:
        return self._tokens.sentences(doc)

    def _source_words(self, doc: SourceDoc, index: int) -> SentenceWords:
        return self._tokens.sentence(doc, index)

    # -- scoring -------------------------------------------------------------------------

    def _score(
        self, target: SentenceWords, candidates: list[tuple[int, int]], docs: dict[int, SourceDoc]
    ) -> list[Scored]:
        """The best fitting source sentence (or joined pair) in each candidate article."""
        best: dict[int, Scored] = {}
        for key, j in candidates:
            doc = docs.get(key)
            if doc is None or j >= len(doc.spans):
                continue
            options: list[tuple[tuple[int, ...], Closeness]] = [
                ((j,), closeness(target, self._source_words(doc, j)))
            ]
            for pair in ((j - 1, j), (j, j + 1)):  # two source sentences merged into one
                if pair[0] >= 0 and pair[1] < len(doc.spans):
                    both = joined(
                        self._source_words(doc, pair[0]), self._source_words(doc, pair[1])
                    )
                    options.append((pair, closeness(target, both)))
            indexes, fit = max(
                options, key=lambda o: (round(o[1].target_coverage, 2), o[1].similarity)
            )
            if len(indexes) == 2 and fit.target_coverage < options[0][1].target_coverage + 0.15:
                indexes, fit = options[0]  # the neighbour added little: keep the single sentence
            kind = kind_of(fit, self.params, single=len(indexes) == 1)
            if kind and (key not in best or fit.similarity > best[key].fit.similarity):
                best[key] = Scored(doc, indexes, fit, kind)
        return sorted(best.values(), key=lambda s: -s.similarity)

    def _semantic_pass(
        self,
        sentences: list[Sentence],
        target_words: list[SentenceWords],
        scored: dict[int, list[Scored]],
        docs: dict[int, SourceDoc],
        article: Article,
    ) -> None:
        """Sentences with no source yet: their nearest stored sentences by embedding."""
        assert self.paraphrases is not None
        p = self.params
        todo = [
            i
            for i, words in enumerate(target_words)
            if len(words) >= p.min_words and not scored.get(i)
        ]
        found = self.paraphrases.search([sentences[i].text for i in todo], p.semantic_neighbours)
        wanted = {d for near in found for d, _, score in near if score >= p.semantic_threshold}
        docs.update(self.candidates.load(wanted - docs.keys(), article))
        for i, near in zip(todo, found, strict=True):
            for doc_key, j, score in near:
                doc = docs.get(doc_key)
                if score < p.semantic_threshold or doc is None or j >= len(doc.spans):
                    continue
                fit = closeness(target_words[i], self._source_words(doc, j))
                kind = "copy" if fit.target_coverage >= p.copy_coverage else "paraphrase"
                scored[i].append(Scored(doc, (j,), fit, kind, cosine=score))
            scored[i].sort(key=lambda s: -s.similarity)

    # -- decisions -----------------------------------------------------------------------

    def _decide(
        self, trace: SentenceTrace, found: list[Scored], stock: float, duplicate_of: int | None
    ) -> None:
        p = self.params
        matches: list[SourceMatch] = []
        seen: set[int] = set()
        best_found = False
        for item in found:
            if item.doc.direction == "later" or item.doc.doc_key in seen:
                continue
            seen.add(item.doc.doc_key)
            match = SourceMatch(item.doc, item.sentence_indexes, item.similarity)
            best = not best_found and item.doc.direction == "earlier"
            best_found = best_found or best
            if best or self.extras:  # (the reuse engines read the best source's edits only)
                match.changes = diff_sentences(match.text, trace.sentence.text)
            matches.append(match)
        earlier = [m for m in matches if m.doc.direction == "earlier"]
        trace.sources = earlier + [m for m in matches if m.doc.direction != "earlier"]
        if duplicate_of is not None:
            trace.status, trace.duplicate_of = "duplicate", duplicate_of
        elif earlier:
            top = next(s for s in found if s.doc.doc_key == earlier[0].doc.doc_key)
            swaps = sum(1 for c in earlier[0].changes if c.kind == "word")
            copied = top.kind == "copy" and swaps <= p.max_word_swaps
            trace.status = "copied" if copied else "paraphrased"
            if len(top.sentence_indexes) == 2:
                trace.flags.append("merged")
            elif top.fit.source_coverage < 0.6 and top.kind == "copy":
                trace.flags.append("split")
        elif stock >= p.boilerplate_share:
            trace.status = "boilerplate"
        if matches and not earlier:
            trace.flags.append("related_direction_unknown")


class Tracer(CandidateTracer):
    """Traces articles against one store; reuse it for many targets (it caches source words)."""

    def __init__(
        self,
        store: Store,
        *,
        index: ShingleIndex | None = None,
        params: TraceParams = DEFAULT_PARAMS,
        semantic: bool | None = None,
        claims: bool = True,
    ) -> None:
        """`semantic`: None uses the paraphrase index when it exists and the extra is installed;
        `claims`: also extract quotes, figures and flags that need both (attribution mismatch)."""
        self.store = store
        self.index = index or ShingleIndex(store)
        paraphrases, note = open_for_trace(store, semantic)
        super().__init__(
            IndexCandidates(store, self.index),
            params=params,
            claims=claims,
            paraphrases=paraphrases,
            semantic_note=note,
        )


class _Stop:
    """Polls a trace's `cancelled` callable."""

    def __init__(self, cancelled: Callable[[], bool] | None) -> None:
        self.cancelled = cancelled

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise TraceCancelled("trace stopped: its client has gone away")


def _find_duplicates(target_words: list[SentenceWords], params: TraceParams) -> dict[int, int]:
    """Sentences that repeat an earlier sentence of the same article: index -> first index."""
    found: dict[int, int] = {}
    by_content: dict[frozenset[str], int] = {}  # a sentence's content words -> its first index
    by_word: dict[str, list[int]] = {}
    for i, words in enumerate(target_words):
        if len(words) < params.min_words:
            continue
        content = frozenset(words.content)
        exact = by_content.get(content)
        candidates = {exact} if exact is not None else set()
        # The three content words seen in the fewest earlier sentences (a word seen in none
        # leads nowhere), ties by the word: a set's order changes with each process's string
        # hashing, and the choice must not.
        seen = [(len(at), word) for word in words.content if (at := by_word.get(word))]
        for _, word in heapq.nsmallest(3, seen):
            candidates.update(by_word[word][-50:])
        # Both coverages reach `duplicate_coverage` only if neither sentence is longer than the
        # other by more than that share allows: the rest need no comparison.
        # (The margin keeps a float rounding from skipping a pair exactly at the threshold.)
        low = len(words) * params.duplicate_coverage - 1e-9
        high = len(words) / params.duplicate_coverage + 1e-9
        for j in sorted(candidates):
            other = target_words[j]
            if not low <= len(other) <= high:
                continue
            # Both coverages, as `closeness` gives them (its content overlaps are not needed).
            common = common_words(words.words, other.words)
            if min(common / len(words), common / len(other)) < params.duplicate_coverage:
                continue
            differing = set(words.words).symmetric_difference(other.words)
            if not any(w[0].isdigit() for w in differing):  # "81 killed" does not repeat "18"
                found[i] = found.get(j, j)
                break
        by_content.setdefault(content, i)
        for word in words.content:
            by_word.setdefault(word, []).append(i)
    return found


def _covered_from_earlier(cover: SentenceCover) -> bool:
    """Whether the source covering most of a sentence is earlier (what `derive_from_cover`
    derives it from)."""
    main = cover.main_doc()
    return main is not None and main.direction == "earlier"


def _mark_splits(traces: list[SentenceTrace]) -> None:
    """Consecutive sentences made from one source sentence: a split. What one piece lacks is in
    the other, so deletions are not edits of either."""
    for first, second in itertools.pairwise(traces):
        a, b = first.best, second.best
        if (
            a is None
            or b is None
            or (a.doc.doc_key, a.sentence_indexes) != (b.doc.doc_key, b.sentence_indexes)
        ):
            continue
        for trace in (first, second):
            if "split" not in trace.flags:
                trace.flags.append("split")
            best = trace.best
            assert best is not None
            best.changes = [c for c in best.changes if c.kind != "delete"]


def _mark_origins(traces: list[SentenceTrace]) -> None:
    """Mark the earliest source of each sentence and the chain of copies from it."""
    for trace in traces:
        earlier = [m for m in trace.sources if m.doc.direction == "earlier"]
        if not earlier:
            continue
        timeline = sorted(earlier, key=lambda m: (_epoch(m.doc.published_at), m.doc.article_id))
        timeline[0].earliest = True
        for match in earlier:
            before = [
                m.doc.article_id
                for m in timeline
                if _epoch(m.doc.published_at) < _epoch(match.doc.published_at)
            ]
            match.chain = [*before, match.doc.article_id] if before else []


def _epoch(moment: datetime | None) -> float:
    return moment.timestamp() if moment else math.inf


def _passages(traces: list[SentenceTrace]) -> list[Passage]:
    """Runs of consecutive sentences whose closest source is the same article."""
    passages: list[Passage] = []
    current: Passage | None = None
    for trace in traces:
        best = trace.best
        if best is None or trace.status == "duplicate":
            current = None
            continue
        if current is not None and current.article_id == best.doc.article_id:
            current.sentences.append(trace.sentence.index)
            current.end = trace.sentence.end
        else:
            current = Passage(
                len(passages),
                best.doc.article_id,
                [trace.sentence.index],
                trace.sentence.start,
                trace.sentence.end,
            )
            passages.append(current)
        trace.passage = current.id
    return passages


def _related(
    traces: list[SentenceTrace], docs: dict[int, SourceDoc]
) -> list[tuple[SourceDoc, str]]:
    """Matching articles that are not sources: undated, same time, or published later."""
    matched = {m.doc.doc_key for t in traces for m in t.sources}
    out = []
    for key in sorted(matched):
        doc = docs[key]
        if doc.direction == "unknown":
            out.append((doc, "same or unknown publication time: direction unknown"))
    return out
