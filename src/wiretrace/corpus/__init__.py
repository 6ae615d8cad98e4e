"""Corpus-wide reuse: who copies whom across a whole store, on DuckDB or on Apache Spark."""

from wiretrace.corpus.checkpoints import ProgressCallback, ProgressEvent, ReuseError
from wiretrace.corpus.graph import GRAPH_FORMATS, export_graph, plot_graph
from wiretrace.corpus.plan import STAGES, ReuseParams
from wiretrace.corpus.result import SCHEMA, ReuseResult
from wiretrace.corpus.run import ENGINES, load_result, relation_links, run_reuse

__all__ = [
    "ENGINES",
    "GRAPH_FORMATS",
    "SCHEMA",
    "STAGES",
    "ProgressCallback",
    "ProgressEvent",
    "ReuseError",
    "ReuseParams",
    "ReuseResult",
    "export_graph",
    "load_result",
    "plot_graph",
    "relation_links",
    "run_reuse",
]
