"""The tracer's thresholds, in one frozen object shared by every path that traces."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TraceParams:
    """Thresholds of the tracer (chosen on the composite benchmark, see benchmarks/)."""

    max_df: int = 200  # shingles in more sentences than this are stock phrases
    candidates_per_sentence: int = 12  # source sentences scored per target sentence
    copy_coverage: float = 0.8  # share of a sentence's words found in order in its source
    max_word_swaps: int = 1  # a copy with more word swaps than this is "spun": paraphrased
    paraphrase_coverage: float = 0.5
    paraphrase_overlap: float = 0.6  # shared content words / the target's content words
    paraphrase_min_shared: int = 4  # content words a lexical paraphrase must share
    duplicate_coverage: float = 0.9
    boilerplate_share: float = 0.5  # share of a sentence's shingles that are stock phrases
    min_words: int = 4  # shorter sentences are not traced (too little to tell)
    semantic_threshold: float = 0.70  # cosine of a paraphrase (docs/semantic.md)
    semantic_neighbours: int = 5
    passage_docs: int = 8  # candidate sources aligned with the whole article (0: no alignment)
    partial_coverage: float = 0.25  # covered share that makes a sentence partly derived ...
    derivation_model: bool = True  # ... unless the shipped model decides (provenance.py)


DEFAULT_PARAMS = TraceParams()
