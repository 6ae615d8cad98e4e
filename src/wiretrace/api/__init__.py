"""The Python API: one function per `wiretrace` command, with the command's parameters
(sqlite-utils' habit), so a script does what the command line does:

    from wiretrace import api
    api.add(["articles/"], db="news.duckdb")
    reports = api.trace(["https://example.org/story"], db="news.duckdb")

`articles` (add, stats, export, show, reindex, demo), `analysis` (trace, claims, components),
`corpus` (reuse, graph), `incidents` (incidents, corroborate), `server` (serve). A command's
options that only choose how its result is shown (`--format`, `--quiet`, `--output`) have no twin
here.
"""

from wiretrace.api.analysis import claims, components, trace
from wiretrace.api.articles import (
    EXPORT_FORMATS,
    EXPORT_TABLES,
    DemoResult,
    ExportResult,
    IndexStats,
    StoreStats,
    add,
    demo,
    demo_corpus_files,
    export,
    reindex,
    show,
    stats,
)
from wiretrace.api.corpus import STAGE_NAMES, GraphFile, graph, reuse
from wiretrace.api.incidents import corroborate, incidents
from wiretrace.api.server import serve
from wiretrace.ingest.run import IngestReport

__all__ = [
    "EXPORT_FORMATS",
    "EXPORT_TABLES",
    "STAGE_NAMES",
    "DemoResult",
    "ExportResult",
    "GraphFile",
    "IndexStats",
    "IngestReport",
    "StoreStats",
    "add",
    "claims",
    "components",
    "corroborate",
    "demo",
    "demo_corpus_files",
    "export",
    "graph",
    "incidents",
    "reindex",
    "reuse",
    "serve",
    "show",
    "stats",
    "trace",
]
