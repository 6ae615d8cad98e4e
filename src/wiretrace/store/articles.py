"""The article store: one DuckDB file, written only through `Store`, every write in a transaction.

DuckDB was chosen over SQLite because the corpus-wide work (shingle self-joins, outlet profiles)
is analytical and columnar; batches go in as Arrow tables, which is ~50x faster than row inserts.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pyarrow as pa

from wiretrace.doc.article import Article
from wiretrace.errors import StoreError
from wiretrace.store.schema import migrate
from wiretrace.store.transaction import Transaction, transaction

DEFAULT_DB = "wiretrace.duckdb"
_ARTICLE_COLUMNS = (
    "id, url, version, outlet, title, author, published_at, language, text, chars, "
    "ingested_at, origin_file, origin_record"
)
_TS = pa.timestamp("us", tz="UTC")


def fetch_one(
    db: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> tuple[Any, ...] | None:
    """The first row of a query, reading its result to the end: DuckDB 2 refuses new work on a
    connection whose last result was left unfinished (as `fetchone()` can leave it)."""
    rows = db.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def default_db_path() -> Path:
    """The store path: $WIRETRACE_DB, else ./wiretrace.duckdb."""
    return Path(os.environ.get("WIRETRACE_DB") or DEFAULT_DB)


@dataclass(slots=True)
class AddResult:
    """What one `Store.add_articles` call did."""

    added: list[Article]
    already_stored: int


class Store:
    """A wiretrace store in one DuckDB file; use as a context manager."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        if read_only and not self.path.exists():
            raise StoreError(f"{self.path}: no store here (run 'wiretrace add' first)")
        if not read_only and self.path.parent != Path(""):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if "lock" in first_line.lower():
                from wiretrace.store.server_file import lock_message

                raise StoreError(lock_message(self.path, str(exc))) from exc
            raise StoreError(f"{self.path}: cannot open the store: {first_line}") from exc
        self.db.execute("SET TimeZone = 'UTC'")
        self.db.execute("SET enable_progress_bar = false")  # our own output only
        if not read_only:
            migrate(self.db)
        self._stored: _StoredKeys | None = None

    def prepare_bulk_load(self) -> None:
        """Checkpoint rarely during a long ingest. DuckDB checkpoints when its WAL passes 16 MB
        (every ~3,500 articles) and each checkpoint rewrites the tables' ART indexes whole, so
        bytes written per article grew with the store (6.8 -> up to 16 KiB from 10k to 80k articles,
        measured); with 1 GB they stay ~4.7 KiB (the WAL) plus a checkpoint per ~200k
        articles. A killed ingest replays at most that much WAL on the next open.

        Also keeps the stored ids and urls in memory (`_StoredKeys`), so a batch asks the
        store only about articles that may be stored: the join on the whole table each batch
        ran grew with the store (the one writer is this process, so the sets stay true)."""
        self.db.execute("SET checkpoint_threshold = '1GB'")
        self._stored = _StoredKeys(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------

    def transaction(self) -> AbstractContextManager[Transaction]:
        """The one way to write: BEGIN, the block, COMMIT (ROLLBACK when it raises);
        `store.transaction.Transaction`. A block inside another joins it."""
        return transaction(self.db)

    def add_articles(self, articles: Sequence[Article]) -> AddResult:
        """Store articles not stored yet, with their sentences, in one transaction.

        Re-adding an article (same id) is a no-op; new text at a stored url is the next version.
        """
        unique: dict[str, Article] = {}
        for article in articles:
            unique.setdefault(article.id, article)
        if not unique:
            return AddResult([], 0)
        known = self._stored
        with self.transaction() as tx:
            maybe = list(unique) if known is None else [i for i in unique if known.may_hold_id(i)]
            stored: set[str] = set()
            if maybe:
                tx.register("_batch_ids", pa.table({"id": maybe}))
                stored = {
                    r[0]
                    for r in tx.execute("SELECT a.id FROM articles a JOIN _batch_ids b USING (id)")
                }
            fresh = [a for a in unique.values() if a.id not in stored]
            _assign_versions(tx, fresh, known)
            if fresh:
                tx.register("_batch_articles", _articles_table(fresh))
                tx.execute(f"INSERT INTO articles SELECT {_ARTICLE_COLUMNS} FROM _batch_articles")
                tx.register("_batch_sentences", _sentences_table(fresh))
                tx.execute("INSERT INTO sentences SELECT * FROM _batch_sentences")
        if known is not None:  # after the commit: a rolled-back batch stored nothing
            known.add(fresh)
        return AddResult(fresh, len(unique) - len(fresh))

    # -- reading -------------------------------------------------------------------------

    def get(self, key: str, *, spans: bool = True) -> Article | None:
        """An article by id, or the latest version at a url; `spans=False` leaves its sentence
        offsets to the caller (`attach_spans`, or offsets it already holds)."""
        # Two single-column lookups: `id = ? OR url = ?` cannot use an index and scans the table.
        row = fetch_one(self.db, f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", [key])
        if row is None:
            row = fetch_one(
                self.db,
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE url = ? "
                "ORDER BY version DESC LIMIT 1",
                [key],
            )
        if row is None:
            return None
        article = _article_from_row(row)
        return self._with_spans(article) if spans else article

    def attach_spans(self, article: Article) -> Article:
        """Read a stored article's sentence offsets into it."""
        return self._with_spans(article)

    def get_many(self, ids: Sequence[str]) -> list[Article]:
        """Articles by id (those stored), with their sentence offsets, in two queries."""
        self.db.register("_want_ids", pa.table({"id": list(ids)}))
        try:
            rows = self.db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles JOIN _want_ids USING (id)"
            ).fetchall()
            spans: dict[str, list[tuple[int, int]]] = {}
            for article_id, start, stop in self.db.execute(
                "SELECT s.article_id, s.start, s.stop FROM sentences s "
                "JOIN _want_ids w ON w.id = s.article_id ORDER BY s.article_id, s.idx"
            ).fetchall():
                spans.setdefault(article_id, []).append((start, stop))
        finally:
            self.db.unregister("_want_ids")
        order = {article_id: n for n, article_id in enumerate(ids)}
        articles = sorted((_article_from_row(r) for r in rows), key=lambda a: order[a.id])
        for article in articles:
            article.set_spans(spans.get(article.id, []))
        return articles

    def versions(self, url: str) -> list[Article]:
        """Every stored version of the article at a url, oldest first."""
        rows = self.db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE url = ? ORDER BY version", [url]
        ).fetchall()
        return [self._with_spans(_article_from_row(r)) for r in rows]

    def iter_articles(self, *, batch_size: int = 1000) -> Iterator[Article]:
        """Every stored article (with its sentence offsets), in ingest order."""
        cursor = self.db.cursor()
        cursor.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY ingested_at, id")
        while rows := cursor.fetchmany(batch_size):
            for row in rows:
                yield self._with_spans(_article_from_row(row))

    def iter_in_stored_order(
        self, *, batch_size: int = 5000, first_row: int = 0
    ) -> Iterator[list[Article]]:
        """Batches of stored articles (with sentence offsets) in the order they were stored,
        from row `first_row` on, in time linear in the store.

        Each batch is read by a rowid range, which reads only its row groups (`get_many`'s join
        on ids reads whole tables: quadratic over a whole store). Sentence offsets are read the
        same way with a cursor, since `add_articles` inserts a batch's sentences after its
        articles and in the same order; an article whose offsets are not where expected is
        read by id instead."""
        sentence_row = 0
        if first_row:
            first = fetch_one(self.db, "SELECT id FROM articles WHERE rowid = ?", [first_row])
            found = first and fetch_one(
                self.db, "SELECT min(rowid) FROM sentences WHERE article_id = ?", [first[0]]
            )
            sentence_row = int(found[0]) if found and found[0] is not None else 0
        pending: list[tuple[int, str, int, int]] = []  # (rowid, article_id, start, stop)
        row = first_row
        while True:
            rows = self.db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE rowid >= ? AND rowid < ? "
                "ORDER BY rowid",
                [row, row + batch_size],
            ).fetchall()
            if not rows:
                return
            row += batch_size
            articles = [_article_from_row(r) for r in rows]
            spans: dict[str, list[tuple[int, int]]] = {a.id: [] for a in articles}
            while True:
                if not pending:
                    pending = self.db.execute(
                        "SELECT rowid, article_id, start, stop FROM sentences "
                        "WHERE rowid >= ? AND rowid < ? ORDER BY rowid",
                        [sentence_row, sentence_row + 40 * batch_size],
                    ).fetchall()
                    pending.reverse()  # pop() from the end in rowid order
                    if not pending:
                        break
                rowid, article_id, start, stop = pending[-1]
                if article_id not in spans:
                    break  # the next batch's
                spans[article_id].append((start, stop))
                sentence_row = rowid + 1
                pending.pop()
            for article in articles:
                if spans[article.id]:
                    article.set_spans(spans[article.id])
                else:  # not in insertion order (or no sentence): ask by id
                    self._with_spans(article)
            yield articles

    def count(self) -> int:
        row = fetch_one(self.db, "SELECT count(*) FROM articles")
        return int(row[0]) if row else 0

    def _with_spans(self, article: Article) -> Article:
        spans = self.db.execute(
            "SELECT start, stop FROM sentences WHERE article_id = ? ORDER BY idx", [article.id]
        ).fetchall()
        article.set_spans(spans)
        return article


class _StoredKeys:
    """Hashes of every stored id and url, held by a bulk load: a batch's ids and urls not among
    them are not stored, so only the others are looked up (a hash shared by chance only costs
    that lookup)."""

    def __init__(self, db: duckdb.DuckDBPyConnection) -> None:
        self.ids: set[int] = set()
        self.urls: set[int] = set()
        cursor = db.cursor()
        cursor.execute("SELECT id, url FROM articles")
        while rows := cursor.fetchmany(100_000):
            self.ids.update(hash(row[0]) for row in rows)
            self.urls.update(hash(row[1]) for row in rows if row[1])

    def may_hold_id(self, article_id: str) -> bool:
        return hash(article_id) in self.ids

    def may_hold_url(self, url: str) -> bool:
        return hash(url) in self.urls

    def add(self, articles: Sequence[Article]) -> None:
        self.ids.update(hash(a.id) for a in articles)
        self.urls.update(hash(a.url) for a in articles if a.url)


def _assign_versions(tx: Transaction, fresh: list[Article], known: _StoredKeys | None) -> None:
    """Number new text at a stored url as the next version of it."""
    urls = sorted({a.url for a in fresh if a.url})
    if known is not None:
        urls = [url for url in urls if known.may_hold_url(url)]
    latest: dict[str, int] = {}
    if urls:
        tx.register("_batch_urls", pa.table({"url": urls}))
        latest = dict(
            tx.execute(
                "SELECT url, max(version) FROM articles JOIN _batch_urls USING (url) GROUP BY url"
            )
        )
    for article in fresh:
        if article.url:
            article.version = latest.get(article.url, 0) + 1
            latest[article.url] = article.version


def _article_from_row(row: tuple[Any, ...]) -> Article:
    (
        id_,
        url,
        version,
        outlet,
        title,
        author,
        published_at,
        language,
        text,
        _chars,
        ingested_at,
        origin_file,
        origin_record,
    ) = row
    return Article(
        id=id_,
        url=url,
        version=version,
        outlet=outlet,
        title=title,
        author=author,
        published_at=_utc(published_at),
        language=language,
        text=text,
        ingested_at=_utc(ingested_at),
        origin_file=origin_file,
        origin_record=origin_record,
    )


def _utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment is not None else None


def _articles_table(articles: Sequence[Article]) -> pa.Table:
    return pa.table(
        {
            "id": [a.id for a in articles],
            "url": [a.url for a in articles],
            "version": pa.array([a.version for a in articles], pa.int32()),
            "outlet": [a.outlet for a in articles],
            "title": [a.title for a in articles],
            "author": [a.author for a in articles],
            "published_at": pa.array([a.published_at for a in articles], _TS),
            "language": [a.language for a in articles],
            "text": [a.text for a in articles],
            "chars": pa.array([len(a.text) for a in articles], pa.int32()),
            "ingested_at": pa.array([a.ingested_at or datetime.now(UTC) for a in articles], _TS),
            "origin_file": [a.origin_file for a in articles],
            "origin_record": pa.array([a.origin_record for a in articles], pa.int32()),
        }
    )


def _sentences_table(articles: Sequence[Article]) -> pa.Table:
    ids: list[str] = []
    idxs: list[int] = []
    starts: list[int] = []
    stops: list[int] = []
    for article in articles:
        for i, (start, stop) in enumerate(article.spans):
            ids.append(article.id)
            idxs.append(i)
            starts.append(start)
            stops.append(stop)
    return pa.table(
        {
            "article_id": ids,
            "idx": pa.array(idxs, pa.int32()),
            "start": pa.array(starts, pa.int32()),
            "stop": pa.array(stops, pa.int32()),
        }
    )
