"""The api of the store itself: `add`, `stats`, `export`, `show`, `reindex`, and the `demo`."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from wiretrace.api.analysis import trace
from wiretrace.doc.article import Article
from wiretrace.errors import InputError, InputNotFound
from wiretrace.index.postings import ShingleIndex
from wiretrace.index.updates import add_inputs
from wiretrace.ingest.records import ReadOptions
from wiretrace.ingest.run import IngestReport, ProgressCallback
from wiretrace.store.articles import Store, fetch_one
from wiretrace.trace.report import TraceReport

EXPORT_FORMATS = ("parquet", "csv", "jsonl")
EXPORT_TABLES = ("articles", "sentences")


def add(
    inputs: Iterable[str | Path],
    *,
    db: str | Path | None = None,
    input_format: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    field_map: dict[str, str] | None = None,
    follow_links: bool = False,
    allow_private: bool = False,
    timeout: float = 20.0,
    max_bytes: int = 100_000_000,
    progress: ProgressCallback | None = None,
    semantic: bool = False,
    workers: int | None = None,
) -> IngestReport:
    """Ingest files, directories, globs and URLs; bad inputs are reported, not raised.

    `workers`: processes that parse and split the articles (None: every core for big inputs)."""
    options = ReadOptions(
        url=url,
        outlet=outlet,
        published=published,
        field_map=dict(field_map or {}),
        follow_links=follow_links,
        allow_private=allow_private,
        timeout=timeout,
        max_bytes=max_bytes,
    )
    with Store(db) as store:
        return add_inputs(
            inputs,
            store=store,
            options=options,
            input_format=input_format,
            progress=progress,
            semantic=semantic,
            workers=workers,
        )


@dataclass(slots=True)
class StoreStats:
    """Counts and extent of a store."""

    path: str
    articles: int
    urls: int
    versioned_urls: int
    outlets: int
    sentences: int
    chars: int
    first_published: str | None
    last_published: str | None
    undated: int
    languages: dict[str, int]
    store_bytes: int

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def stats(*, db: str | Path | None = None) -> StoreStats:
    """Articles, outlets, sentences, date range and size on disk of a store."""
    with Store(db, read_only=True) as store:
        q = store.db.execute
        row = fetch_one(
            store.db,
            "SELECT count(*), count(DISTINCT url), count(DISTINCT outlet), coalesce(sum(chars), 0),"
            " min(published_at), max(published_at), count(*) - count(published_at) FROM articles",
        )
        assert row is not None
        versioned = fetch_one(
            store.db,
            "SELECT count(*) FROM (SELECT url FROM articles WHERE url IS NOT NULL "
            "GROUP BY url HAVING count(*) > 1)",
        )
        sentences = fetch_one(store.db, "SELECT count(*) FROM sentences")
        languages = dict(
            q(
                "SELECT coalesce(language, 'unknown'), count(*) FROM articles "
                "GROUP BY 1 ORDER BY 2 DESC"
            ).fetchall()
        )
        path = store.path
    size = sum(p.stat().st_size for p in (path, path.with_name(path.name + ".wal")) if p.exists())
    return StoreStats(
        path=str(path),
        articles=row[0],
        urls=row[1],
        versioned_urls=versioned[0] if versioned else 0,
        outlets=row[2],
        sentences=sentences[0] if sentences else 0,
        chars=int(row[3]),
        first_published=row[4].isoformat() if row[4] else None,
        last_published=row[5].isoformat() if row[5] else None,
        undated=row[6],
        languages=languages,
        store_bytes=size,
    )


@dataclass(slots=True)
class ExportResult:
    path: str
    table: str
    format: str
    rows: int

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


_EXPORT_QUERIES = {
    "articles": "SELECT id, url, version, outlet, title, author, published_at, language, text, "
    "chars, ingested_at, origin_file, origin_record FROM articles ORDER BY ingested_at, id",
    # Sentence text is cut from the article at export time: the store keeps offsets only.
    "sentences": 'SELECT s.article_id, s.idx AS sentence_index, s.start, s.stop AS "end", '
    "substring(a.text, s.start + 1, s.stop - s.start) AS text "
    "FROM sentences s JOIN articles a ON a.id = s.article_id ORDER BY a.ingested_at, a.id, s.idx",
}


def export(
    output: str | Path,
    *,
    db: str | Path | None = None,
    table: str = "articles",
    format: str | None = None,
) -> ExportResult:
    """Write articles or sentences to Parquet, CSV or JSON Lines (format from the suffix)."""
    out = Path(output)
    fmt = format or {
        ".parquet": "parquet",
        ".csv": "csv",
        ".jsonl": "jsonl",
        ".ndjson": "jsonl",
        ".json": "jsonl",
    }.get(out.suffix.lower())
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"choose a format: {', '.join(EXPORT_FORMATS)} (--as)", source=str(out))
    if table not in EXPORT_TABLES:
        raise InputError(f"unknown table {table!r}; choose {' or '.join(EXPORT_TABLES)}")
    copy_format = {
        "parquet": "FORMAT parquet",
        "csv": "FORMAT csv, HEADER true",
        "jsonl": "FORMAT json",
    }[fmt]
    out.parent.mkdir(parents=True, exist_ok=True)
    with Store(db, read_only=True) as store:
        path_sql = str(out).replace("'", "''")
        store.db.execute(f"COPY ({_EXPORT_QUERIES[table]}) TO '{path_sql}' ({copy_format})")
        counted = fetch_one(store.db, f"SELECT count(*) FROM {table}")
    return ExportResult(path=str(out), table=table, format=fmt, rows=counted[0] if counted else 0)


def demo_corpus_files() -> list[Path]:
    """The bundled synthetic demo articles (plain text with JSON sidecars)."""
    from importlib.resources import files

    corpus = Path(str(files("wiretrace.demo") / "corpus"))
    return sorted(corpus.glob("*.txt"))


@dataclass(slots=True)
class DemoResult:
    """The demo's store, what was ingested, and the article it takes apart."""

    db: str
    ingest: IngestReport
    target: Article
    reports: list[TraceReport]

    def to_dict(self) -> dict[str, object]:
        return {
            "db": self.db,
            "ingest": self.ingest.to_dict(),
            "target": self.target.to_dict(text=False),
            "trace": [r.to_dict() for r in self.reports],
        }


def demo(*, db: str | Path = "out/demo.duckdb") -> DemoResult:
    """Ingest the bundled demo corpus into a fresh store and trace its newest article."""
    path = Path(db)
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    report = add(demo_corpus_files(), db=path)
    if report.errors:
        raise report.errors[0]
    with Store(path, read_only=True) as store:
        row = fetch_one(
            store.db, "SELECT id FROM articles ORDER BY published_at DESC NULLS LAST LIMIT 1"
        )
        target = store.get(row[0]) if row else None
    if target is None:
        raise InputNotFound("the demo corpus is empty", source=str(path))
    return DemoResult(
        db=str(path), ingest=report, target=target, reports=trace([target.id], db=path)
    )


def reindex(*, db: str | Path | None = None, semantic: bool = False) -> IndexStats:
    """Rebuild the shingle index of every stored article (and with `semantic`, the embeddings)."""
    started = time.perf_counter()
    if semantic:
        from wiretrace.index.semantic import require

        require()
    with Store(db) as store:
        index = ShingleIndex(store, check_params=False)
        articles = index.rebuild()
        embedded = 0
        if semantic:
            from wiretrace.index.paraphrase import ParaphraseIndex

            paraphrases = ParaphraseIndex(store)
            paraphrases.catch_up()
            embedded = len(paraphrases.index)
        return IndexStats(
            articles=articles,
            postings=index.postings,
            segments=len(index.segments),
            index_bytes=index.size_bytes(),
            embedded_sentences=embedded,
            seconds=round(time.perf_counter() - started, 3),
        )


@dataclass(slots=True)
class IndexStats:
    """What `reindex` built."""

    articles: int
    postings: int
    segments: int
    index_bytes: int
    embedded_sentences: int
    seconds: float

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def show(key: str, *, db: str | Path | None = None) -> Article:
    """A stored article by id or url (the latest version at a url)."""
    with Store(db, read_only=True) as store:
        article = store.get(key)
    if article is None:
        raise InputNotFound("no stored article has this id or url", source=key)
    return article
