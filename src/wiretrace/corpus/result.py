"""The `result` stage: relations, story clusters and outlet profiles from the `aligned` table,
written as `wiretrace.reuse/1` JSON (`WORKDIR/result.json`) while they are made.

Common to both engines (it reads their Parquet checkpoints), so equal checkpoints give equal
JSON. Everything is sorted on article ids and names, never on engine order. Nothing is held per
relation but its two article positions (clusters) and its delay (the median): the `aligned` rows
are read twice, once for the outlet profiles, the clusters and the same-time pairs, then the
relation rows sorted by DuckDB (which spills to the work directory past `_SORT_MEMORY`) and
written a batch at a time. Per article, `DocColumns` holds what the JSON names.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from wiretrace.corpus.checkpoints import Meter, ProgressCallback, ReuseError, Workdir
from wiretrace.corpus.clusters import Clusters
from wiretrace.corpus.doc_columns import DocColumns
from wiretrace.corpus.json_stream import Streamed, dumps, write_atomically, write_object
from wiretrace.corpus.profiles import ArticleStats, OutletTallies, RelationStats

SCHEMA = "wiretrace.reuse/1"
RESULT_FILE = "result.json"
RELATED_REASON = "same or unknown publication time"
_US_PER_HOUR = 3_600_000_000
_BATCH = 10_000  # aligned rows made into Python values at a time
_SORT_MEMORY = "512MB"
_CHUNK = 1 << 20  # characters of result.json read at a time


@dataclass(slots=True)
class ReuseResult:
    """What a reuse run found (complete when its last stage ran): the counts, the outlet
    profiles and graph, and where the `result` stage wrote the whole JSON."""

    workdir: str
    engine: str
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    stopped_after: str | None = None
    articles: int = 0
    relation_count: int = 0
    related_count: int = 0
    cluster_count: int = 0
    outlets: list[dict[str, Any]] = field(default_factory=list)
    outlet_edges: list[dict[str, Any]] = field(default_factory=list)
    json_path: str | None = None  # result.json, once the `result` stage wrote it

    @property
    def complete(self) -> bool:
        return self.stopped_after is None

    def document(self, relations: Any, related: Any, clusters: Any) -> dict[str, Any]:
        """The `wiretrace.reuse/1` object with these lists: no engine, path or timing in it,
        so runs compare."""
        return {
            "schema": SCHEMA,
            "complete": self.complete,
            "stopped_after": self.stopped_after,
            "articles": self.articles,
            "relations": relations,
            "related": related,
            "clusters": clusters,
            "outlets": self.outlets,
            "outlet_edges": self.outlet_edges,
        }

    def json_chunks(self, size: int = _CHUNK) -> Iterator[str]:
        """The canonical JSON text (sorted keys, indent 1) in pieces: read from result.json, or
        for a run stopped before `result`, the few keys it has."""
        if not self.complete:
            yield dumps(self.document([], [], []))
            return
        if self.json_path is None or not Path(self.json_path).is_file():
            raise ReuseError(f"{self.workdir}: no result.json here (run 'wiretrace reuse' again)")
        with Path(self.json_path).open(encoding="utf-8", newline="") as handle:
            while chunk := handle.read(size):
                yield chunk

    def to_json(self) -> str:
        """The whole JSON text in one string (for small runs: `json_chunks` streams it)."""
        return "".join(self.json_chunks())

    def to_dict(self) -> dict[str, Any]:
        """The whole JSON as Python values (for small runs)."""
        data: dict[str, Any] = json.loads(self.to_json())
        return data


def build_result(
    work: Workdir,
    result: ReuseResult,
    *,
    write: bool = True,
    progress: ProgressCallback | None = None,
) -> ReuseResult:
    """Fill `result` from the `docs` and `aligned` checkpoints; with `write`, write result.json
    (through a temporary file: a failed run leaves none) and report each batch of relations."""
    docs = DocColumns.read(work.output("docs"))
    con = _connect(work)
    try:
        clusters, related = _summarise(con, work, docs, result)
        if not write:
            return result
        meter = Meter("result", progress, result.relation_count)
        document = result.document(
            Streamed(_relations(con, _files(work), docs, meter)),
            Streamed(_related_items(docs, *related)),
            Streamed(clusters.items(docs)),
        )
        path = work.path / RESULT_FILE
        write_atomically(path, lambda handle: write_object(handle, document))
        result.json_path = str(path)
        if meter.done == 0:
            meter.advance(0)  # one event for the stage, even with no relation
    finally:
        con.close()
    return result


def _summarise(
    con: duckdb.DuckDBPyConnection, work: Workdir, docs: DocColumns, result: ReuseResult
) -> tuple[Clusters, tuple[Any, Any]]:
    """Fill the result's counts, outlet profiles and graph from one unsorted read of `aligned`;
    give the clusters and the same-time pairs to list (what the read kept per row goes here)."""
    found = _read_aligned(con, _scan(work), docs)
    clusters = Clusters.of(docs, *_joined(found.links))
    related = _related(docs, found)
    result.articles = len(docs)
    result.relation_count = found.relations
    result.related_count = len(related[0])
    result.cluster_count = len(clusters)
    result.outlets = found.tallies.profiles()
    result.outlet_edges = found.tallies.edges()
    return clusters, related


def read_relation_links(work: Workdir) -> Iterator[tuple[str, str, list[str]]]:
    """(source, target, earliest origins) article ids of every relation, in no set order: what
    corroboration needs of a run, without the rest of each relation."""
    docs = DocColumns.read(work.output("docs"))
    con = _connect(work)
    try:
        query = f"SELECT sdoc, tdoc, origins FROM {_scan(work)} WHERE kind = 'relation'"
        for batch in con.sql(query).to_arrow_reader(_BATCH):
            sources = docs.article_ids(docs.positions(batch.column("sdoc").to_numpy()))
            targets = docs.article_ids(docs.positions(batch.column("tdoc").to_numpy()))
            origins = _origin_ids(docs, batch.column("origins").to_pylist())
            yield from zip(sources, targets, origins, strict=True)
    finally:
        con.close()


def _connect(work: Workdir) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # the stage reports through its Meter
    con.execute(f"SET memory_limit = '{_SORT_MEMORY}'")
    con.execute(f"SET temp_directory = {_quote(work.path / 'duckdb-spill')}")
    return con


def _files(work: Workdir) -> str:
    """The `aligned` Parquet file, or its parts' glob (Spark), quoted for DuckDB."""
    return _quote(work.scan("aligned"))


def _scan(work: Workdir) -> str:
    return f"read_parquet({_files(work)})"


def _quote(text: str | Path) -> str:
    return "'" + str(text).replace("'", "''") + "'"


@dataclass(slots=True)
class _Aligned:
    """What one unsorted read of `aligned` gives: the outlet tallies, the relation count, and
    the (target, source) positions of every link (relations and same-time pairs) and of the
    same-time pairs, a pair of arrays a batch."""

    tallies: OutletTallies = field(default_factory=OutletTallies)
    relations: int = 0
    links: list[tuple[Any, Any]] = field(default_factory=list)
    related: list[tuple[Any, Any]] = field(default_factory=list)


def _joined(pairs: list[tuple[Any, Any]]) -> tuple[Any, Any]:
    """The batches' (targets, sources) as two arrays."""
    if not pairs:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate([t for t, _ in pairs]), np.concatenate([s for _, s in pairs])


_TALLY_COLUMNS = (
    "kind, tdoc, sdoc, copied_chars, paraphrased_chars, duplicate_chars, unsourced_chars, "
    "boilerplate_chars, sources, mixed, factual_changes, credited"
)


def _read_aligned(con: duckdb.DuckDBPyConnection, aligned: str, docs: DocColumns) -> _Aligned:
    found = _Aligned()
    for batch in con.sql(f"SELECT {_TALLY_COLUMNS} FROM {aligned}").to_arrow_reader(_BATCH):
        kind = batch.column("kind")
        _tally_articles(found.tallies, docs, batch.filter(pc.equal(kind, "article")))
        relations = batch.filter(pc.equal(kind, "relation"))
        _tally_relations(found.tallies, docs, relations)
        found.relations += relations.num_rows
        found.links.append(_positions(docs, relations))
        related = _positions(docs, batch.filter(pc.equal(kind, "related")))
        found.links.append(related)  # a same-time pair links its articles too
        found.related.append(related)
    return found


def _positions(docs: DocColumns, rows: pa.RecordBatch) -> tuple[Any, Any]:
    """The (target, source) positions of these rows."""
    return (
        docs.positions(rows.column("tdoc").to_numpy()),
        docs.positions(rows.column("sdoc").to_numpy()),
    )


def _tally_articles(tallies: OutletTallies, docs: DocColumns, rows: pa.RecordBatch) -> None:
    codes = docs.outlet[docs.positions(rows.column("tdoc").to_numpy())].tolist()
    names = ("copied", "paraphrased", "duplicate", "unsourced", "boilerplate")
    columns = [rows.column(f"{name}_chars").to_pylist() for name in names]
    columns += [rows.column("sources").to_pylist(), rows.column("mixed").to_pylist()]
    for code, *values in zip(codes, *columns, strict=True):
        copied, paraphrased, duplicate, unsourced, boilerplate, sources, mixed = values
        tallies.add_article(
            ArticleStats(
                docs.outlets[code],
                copied,
                paraphrased,
                duplicate,
                unsourced,
                boilerplate,
                sources,
                bool(mixed),
            )
        )


def _tally_relations(tallies: OutletTallies, docs: DocColumns, rows: pa.RecordBatch) -> None:
    _, _, target_outlets, target_times = docs.meta(docs.positions(rows.column("tdoc").to_numpy()))
    _, _, source_outlets, source_times = docs.meta(docs.positions(rows.column("sdoc").to_numpy()))
    chars = pc.add(rows.column("copied_chars"), rows.column("paraphrased_chars")).to_pylist()
    changes = rows.column("factual_changes").to_pylist()
    credited = rows.column("credited").to_pylist()
    for n in range(rows.num_rows):
        tallies.add_relation(
            RelationStats(
                source_outlets[n],
                target_outlets[n],
                chars[n],
                delay_hours(target_times[n], source_times[n]),
                changes[n],
                bool(credited[n]),
            )
        )


def delay_hours(target_us: int | None, source_us: int | None) -> float | None:
    """Hours from the source's publication to the target's (3 decimals), when both are known."""
    if target_us is None or source_us is None:
        return None
    return round((target_us - source_us) / _US_PER_HOUR, 3)


# The relation rows in the JSON's order: target then source article id (their ranks in id
# order), ties as the rows were written.
_RELATIONS_SQL = """
SELECT a.tdoc, a.sdoc, a.sentences, a.copied_chars, a.paraphrased_chars, a.factual_changes,
       a.credited, a.passages, a.origins
FROM read_parquet({files}, filename = true, file_row_number = true) a
JOIN ranks t ON t.doc_key = a.tdoc
JOIN ranks s ON s.doc_key = a.sdoc
WHERE a.kind = 'relation'
ORDER BY t.rank, s.rank, a.filename, a.file_row_number
"""
_RELATION_COLUMNS = (
    "passages",
    "sentences",
    "copied_chars",
    "paraphrased_chars",
    "factual_changes",
    "credited",
)


def _relations(
    con: duckdb.DuckDBPyConnection, files: str, docs: DocColumns, meter: Meter
) -> Iterator[dict[str, Any]]:
    """Every relation as the JSON lists it, sorted, made a batch at a time."""
    con.register("ranks", pa.table({"doc_key": docs.keys, "rank": docs.rank}))
    for batch in con.sql(_RELATIONS_SQL.format(files=files)).to_arrow_reader(_BATCH):
        target = docs.meta(docs.positions(batch.column("tdoc").to_numpy()))
        source = docs.meta(docs.positions(batch.column("sdoc").to_numpy()))
        origins = _origin_ids(docs, batch.column("origins").to_pylist())
        columns = [batch.column(name).to_pylist() for name in _RELATION_COLUMNS]
        for n, (passages, sentences, copied, paraphrased, changes, credited) in enumerate(
            zip(*columns, strict=True)
        ):
            yield {
                "source": source[0][n],
                "target": target[0][n],
                "source_url": source[1][n],
                "target_url": target[1][n],
                "source_outlet": source[2][n],
                "target_outlet": target[2][n],
                "delay_hours": delay_hours(target[3][n], source[3][n]),
                "passages": [
                    {"sentences": [first, last], "start": start, "end": end}
                    for first, last, start, end in json.loads(passages)
                ],
                "sentences": sentences,
                "copied_chars": copied,
                "paraphrased_chars": paraphrased,
                "factual_changes": changes,
                "credited": bool(credited),
                "earliest_origins": origins[n],
            }
        meter.advance(batch.num_rows)


def _origin_ids(docs: DocColumns, origins: list[str]) -> list[list[str]]:
    """Each row's `origins` (a JSON list of doc keys) as its sorted distinct article ids."""
    keys = [json.loads(text) for text in origins]
    distinct = sorted({key for row in keys for key in row})
    id_of = dict(zip(distinct, docs.article_ids(docs.positions(distinct)), strict=True))
    return [sorted({id_of[key] for key in row}) for row in keys]


def _related(docs: DocColumns, found: _Aligned) -> tuple[Any, Any]:
    """The distinct same-time pairs as positions (first, second), the smaller article id first,
    in id order."""
    targets, sources = _joined(found.related)
    swap = docs.rank[sources] < docs.rank[targets]
    first, second = np.where(swap, sources, targets), np.where(swap, targets, sources)
    key = docs.rank[first] * (len(docs) + 1) + docs.rank[second]
    _, at = np.unique(key, return_index=True)  # sorted by key: by first id, then second
    return first[at], second[at]


def _related_items(docs: DocColumns, first: Any, second: Any) -> Iterator[dict[str, Any]]:
    for start in range(0, len(first), _BATCH):
        a = docs.article_ids(first[start : start + _BATCH])
        b = docs.article_ids(second[start : start + _BATCH])
        for one, other in zip(a, b, strict=True):
            yield {"a": one, "b": other, "reason": RELATED_REASON}
