"""The reuse plan, written once: its stages, its parameters and its relational steps as SQL.

The SQL below is the common subset of DuckDB and Spark SQL; each engine registers the same
named inputs (`shingles`, `candidates`) and runs the same text, so both engines compute the same
tables. Stages, each a Parquet checkpoint in the work directory:

    docs        articles with sentence offsets and a dense doc_key (ingest order, as the index)
    shingles    (doc_key, sent, hash, published_us): sentence shingles, as the index makes them
    candidates  document-frequency filter, "earlier only" pair filter, shared-shingle counts,
                the best `candidates_per_sentence` source sentences per target sentence;
                plus `stock`: each sentence's share of stock shingles (for "boilerplate")
    aligned     plain-Python alignment of every article with its candidates (align.py)
    result      relations, clusters and outlet profiles (wiretrace.reuse/1 JSON)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from wiretrace.index.shingles import ShingleParams
from wiretrace.trace.params import DEFAULT_PARAMS, TraceParams

STAGES = ("docs", "shingles", "candidates", "aligned", "result")


@dataclass(frozen=True, slots=True)
class ReuseParams:
    """What decides the results; saved in the work directory so a resume cannot mix settings."""

    trace: TraceParams = DEFAULT_PARAMS
    shingles: ShingleParams = field(default_factory=ShingleParams)
    # Trace takes any shared shingle as a candidate (min_shared=1, identical results). Two cut
    # candidates 11x and alignment time 4.5x on generated news, losing only one-sentence
    # lexical "paraphrases" of random word overlap (docs/reuse.md).
    min_shared: int = 2

    def to_dict(self) -> dict[str, Any]:
        return {
            "trace": asdict(self.trace),
            "shingles": self.shingles.key(),
            "min_shared": self.min_shared,
        }


# Shingles in more sentences than max_df are stock phrases: they neither pair sentences nor count
# towards a pair, but a sentence made mostly of them is boilerplate (as in trace).
DF_SQL = "SELECT hash, count(*) AS df FROM shingles GROUP BY hash"
STOCK_SQL = """
SELECT s.doc_key AS tdoc, s.sent AS tsent,
       CAST(SUM(CASE WHEN f.df > {max_df} THEN 1 ELSE 0 END) AS DOUBLE) / count(*) AS stock
FROM shingles s JOIN {df} f ON s.hash = f.hash
GROUP BY s.doc_key, s.sent
HAVING SUM(CASE WHEN f.df > {max_df} THEN 1 ELSE 0 END) > 0
"""

# The shingles that can pair two sentences: in 2 to max_df sentences (one in a single sentence
# pairs nothing). Both engines count the plan's pairs from these in NumPy (corpus/pairs.py).
PAIRABLE_SQL = """
SELECT s.doc_key, s.sent, s.hash, s.published_us
FROM shingles s JOIN {df} f ON s.hash = f.hash
WHERE f.df >= 2 AND f.df <= {max_df}
"""

# "Earlier only": a source published after the target is never a candidate; equal or unknown
# times are kept (trace reports them as direction unknown, never as sources).
CANDIDATES_SQL = """
WITH df AS (SELECT hash, count(*) AS df FROM shingles GROUP BY hash),
rare AS (
    SELECT s.doc_key, s.sent, s.hash, s.published_us
    FROM shingles s JOIN df f ON s.hash = f.hash
    WHERE f.df <= {max_df}
),
pairs AS (
    SELECT t.doc_key AS tdoc, t.sent AS tsent, s.doc_key AS sdoc, s.sent AS ssent,
           count(*) AS shared
    FROM rare t JOIN rare s ON t.hash = s.hash
    WHERE t.doc_key <> s.doc_key
      AND (s.published_us IS NULL OR t.published_us IS NULL
           OR s.published_us <= t.published_us)
    GROUP BY t.doc_key, t.sent, s.doc_key, s.sent
    HAVING count(*) >= {min_shared}
),
ranked AS (
    SELECT tdoc, tsent, sdoc, ssent, shared,
           ROW_NUMBER() OVER (PARTITION BY tdoc, tsent
                              ORDER BY shared DESC, sdoc, ssent) AS rank_in_sentence
    FROM pairs
)
SELECT tdoc, tsent, sdoc, ssent, CAST(shared AS INTEGER) AS shared
FROM ranked WHERE rank_in_sentence <= {limit}
"""


def stock_sql(params: ReuseParams, df: str = f"({DF_SQL})") -> str:
    """Per (doc, sentence) share of stock shingles, rows above zero only; `df` names a table of
    (hash, df) made once from DF_SQL, or is that query."""
    return STOCK_SQL.format(max_df=int(params.trace.max_df), df=df)


def pairable_sql(params: ReuseParams, df: str = f"({DF_SQL})") -> str:
    """(doc_key, sent, hash, published_us) of the shingles that can pair two sentences."""
    return PAIRABLE_SQL.format(max_df=int(params.trace.max_df), df=df)


def candidates_sql(params: ReuseParams) -> str:
    """Candidate (target sentence, source sentence) pairs with their shared-shingle counts: the
    plan's definition, which `corpus/pairs.py` computes without materialising the pairs."""
    return CANDIDATES_SQL.format(
        max_df=int(params.trace.max_df),
        min_shared=int(params.min_shared),
        limit=int(params.trace.candidates_per_sentence),
    )
