"""A process killed inside any store write leaves the store as it was before that write.

Each case runs one write in a child process that kills itself (SIGKILL, no clean-up) right after
a chosen statement of the write's transaction, mid-way through it; the parent reopens the store
(DuckDB replays its WAL) and finds the state from before the write, consistent.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from wiretrace.corroborate import update_incidents
from wiretrace.corroborate.claimrows import ClaimRow
from wiretrace.corroborate.storage import insert_claims
from wiretrace.doc.article import Article
from wiretrace.index.postings import ShingleIndex
from wiretrace.store import quotes
from wiretrace.store.articles import Store, fetch_one

_CHILD = """
import os, signal, sys
from wiretrace.store.transaction import Transaction

after = sys.argv[1]
original = Transaction.execute

def execute(self, sql, params=None):
    rows = original(self, sql, params)
    if sql.startswith(after):
        os.kill(os.getpid(), signal.SIGKILL)
    return rows

Transaction.execute = execute
exec(sys.argv[2])
raise SystemExit("the write finished: it never ran the statement to die after")
"""

_TEXTS = [
    f"Ferry {n} left Brannock harbour at dawn. The harbour master logged {n * 7} passengers. "
    f"Gulls followed the wake of ferry {n} past the Orrin light."
    for n in range(6)
]


def brannock_articles(first: int, last: int) -> list[Article]:
    return [
        Article.create(_TEXTS[n], url=f"https://brannock.example/{n}") for n in range(first, last)
    ]


def _killed(after: str, code: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, after, code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr


def _count(db: Path, sql: str) -> int:
    with Store(db) as store:
        row = fetch_one(store.db, sql)
    return int(row[0]) if row else -1


def _claim(article_id: str, n: int) -> ClaimRow:
    return ClaimRow(
        f"{article_id}:{n}", article_id, n, "figure", "killed", None, 3.0, None, None, None,
        None, None, None, None, None, None, None, None, None, None, f"Claim {n}.", None, None,
    )  # fmt: skip


def test_kill_inside_add_articles(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    with Store(db) as store:
        store.add_articles(brannock_articles(0, 2))
    code = (
        "from wiretrace.store.articles import Store\n"
        "from tests.test_store_kill import brannock_articles\n"
        f"Store({str(db)!r}).add_articles(brannock_articles(2, 5))\n"
    )
    _killed("INSERT INTO articles", code)
    assert _count(db, "SELECT count(*) FROM articles") == 2
    assert _count(db, "SELECT count(*) FROM sentences WHERE article_id NOT IN "
                  "(SELECT id FROM articles)") == 0  # fmt: skip


def test_kill_inside_claims_replacement(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    articles = brannock_articles(0, 2)
    with Store(db) as store:
        store.add_articles(articles)
        insert_claims(store.db, [_claim(a.id, n) for a in articles for n in range(3)],
                      [a.id for a in articles])  # fmt: skip
    code = (
        "from wiretrace.store.articles import Store\n"
        "from wiretrace.corroborate.storage import insert_claims\n"
        f"insert_claims(Store({str(db)!r}).db, [], {[articles[0].id]!r})\n"
    )
    _killed("DELETE FROM corroborate_claims", code)  # the first statement of the replacement
    assert _count(db, "SELECT count(*) FROM corroborate_claims") == 6
    mismatched = (
        "SELECT count(*) FROM corroborate_articles a LEFT JOIN (SELECT article_id, count(*) AS n "
        "FROM corroborate_claims GROUP BY article_id) c USING (article_id) "
        "WHERE a.claims <> coalesce(c.n, 0)"
    )
    assert _count(db, mismatched) == 0
    assert _count(db, "SELECT count(*) FROM corroborate_articles") == 2


def test_kill_inside_an_update_that_marks_boilerplate(tmp_path: Path) -> None:
    # The claims that make a sentence boilerplate and its mark commit together or not at all.
    db = tmp_path / "k.duckdb"
    plea = "Readers of the Brannock Tide can sign up for its morning letter on every weekday."
    pages = [
        Article.create(f"{text} {plea}", url=f"https://tide.example/{n}")
        for n, text in enumerate(_TEXTS[:3])
    ]
    with Store(db) as store:
        store.add_articles(pages)
        update_incidents(store, [pages[0].id, pages[1].id])
    code = (
        "from wiretrace.store.articles import Store\n"
        "from wiretrace.corroborate import update_incidents\n"
        f"update_incidents(Store({str(db)!r}), [{pages[2].id!r}])\n"
    )
    _killed("INSERT INTO corroborate_boilerplate", code)
    assert _count(db, "SELECT count(*) FROM corroborate_articles") == 2
    assert _count(db, "SELECT count(*) FROM corroborate_boilerplate") == 0
    assert _count(db, "SELECT count(*) FROM corroborate_meta WHERE value = 'current'") == 1
    with Store(db) as store:
        update_incidents(store, [pages[2].id])
    assert _count(db, "SELECT count(*) FROM corroborate_boilerplate") == 1


def test_kill_inside_quote_replacement(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    (article,) = brannock_articles(0, 1)
    row = [article.id, 0, "Ada Quill", None, None, "said", None, "We sail.", 0, 8, True]
    with Store(db) as store:
        store.add_articles([article])
        quotes.replace_quotes(store.db, article.id, [row, row])
    code = (
        "from wiretrace.store.articles import Store\n"
        "from wiretrace.store import quotes\n"
        f"quotes.replace_quotes(Store({str(db)!r}).db, {article.id!r}, [])\n"
    )
    _killed("DELETE FROM quotes WHERE", code)
    assert _count(db, "SELECT count(*) FROM quotes") == 2
    assert _count(db, "SELECT sum(quotes) FROM quotes_indexed") == 2


def test_kill_inside_index_run_record(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    with Store(db) as store:
        store.add_articles(brannock_articles(0, 6))
        index = ShingleIndex(store)
        index.add(store.get_many([a.id for a in brannock_articles(0, 3)]))
        before = len(index.segments), index.texts.entries
    code = (
        "from wiretrace.store.articles import Store\n"
        "from wiretrace.index.postings import ShingleIndex\n"
        f"store = Store({str(db)!r})\n"
        "ShingleIndex(store).catch_up()\n"
    )
    _killed("INSERT INTO index_docs", code)  # segment and records written, not recorded
    with Store(db) as store:
        index = ShingleIndex(store)
        assert (len(index.segments), index.texts.entries) == before
        assert sorted(p.name for p in index.directory.iterdir()) == sorted(
            s.name for s in index.segments
        )  # the killed run's segment directory is gone
        assert index.unindexed() == 3
        assert index.catch_up() == 3 and index.unindexed() == 0
        for article in brannock_articles(0, 6):
            key = index.key_of(article.id)
            assert key is not None
            record = index.source(key)
            assert record is not None and record.text == article.text


def _indexed_in_runs(db: Path) -> tuple[list[str], int]:
    """A store whose six articles were indexed in three adds (three segments)."""
    with Store(db) as store:
        articles = brannock_articles(0, 6)
        store.add_articles(articles)
        index = ShingleIndex(store)
        for first in (0, 2, 4):
            index.add(store.get_many([a.id for a in articles[first : first + 2]]))
        return [s.name for s in index.segments], index.postings


def _unchanged(db: Path, segments: list[str], postings: int) -> None:
    with Store(db) as store:
        index = ShingleIndex(store)
        assert [s.name for s in index.segments] == segments and index.postings == postings
        assert sorted(p.name for p in index.directory.iterdir()) == sorted(segments)
        assert index.unindexed() == 0
        for article in brannock_articles(0, 6):
            key = index.key_of(article.id)
            record = index.source(key) if key is not None else None
            assert record is not None and record.text == article.text


def test_kill_inside_segment_merge(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    segments, postings = _indexed_in_runs(db)
    assert len(segments) == 3
    code = (
        "from wiretrace.store.articles import Store\n"
        "from wiretrace.index.postings import ShingleIndex\n"
        f"index = ShingleIndex(Store({str(db)!r}))\n"
        "index.merge(index.segments)\n"
    )
    _killed("DELETE FROM index_segments", code)  # merged segment written, swap half done
    _unchanged(db, segments, postings)


def test_kill_inside_index_reset(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    segments, postings = _indexed_in_runs(db)
    code = (
        "from wiretrace.store.articles import Store\n"
        "from wiretrace.index.postings import ShingleIndex\n"
        f"ShingleIndex(Store({str(db)!r}), check_params=False).rebuild()\n"
    )
    _killed("DELETE FROM index_segments", code)
    _unchanged(db, segments, postings)


def test_claims_replacement_deletes_only_what_was_stored(tmp_path: Path) -> None:
    """The replacement skips its deletes for articles never processed: a processed article's
    claims are replaced, a new one's added, one with no claims marked with 0."""
    db = tmp_path / "c.duckdb"
    first, second, third = brannock_articles(0, 3)
    with Store(db) as store:
        store.add_articles([first, second, third])
        insert_claims(store.db, [_claim(first.id, n) for n in range(3)], [first.id])
        insert_claims(store.db, [_claim(first.id, 7), _claim(second.id, 0), _claim(second.id, 1)],
                      [first.id, second.id])  # fmt: skip
        insert_claims(store.db, [], [third.id])
    per_article = (
        "SELECT string_agg(article_id || '=' || claims, ',' ORDER BY article_id) "
        "FROM corroborate_articles"
    )
    with Store(db) as store:
        claims = store.db.execute(
            "SELECT claim_id FROM corroborate_claims ORDER BY claim_id"
        ).fetchall()
        counts = fetch_one(store.db, per_article)
    assert [c for (c,) in claims] == sorted([f"{first.id}:7", f"{second.id}:0", f"{second.id}:1"])
    expected = sorted([f"{first.id}=1", f"{second.id}=2", f"{third.id}=0"])
    assert counts is not None and counts[0] == ",".join(expected)
