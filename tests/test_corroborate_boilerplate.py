"""The stored boilerplate table: kept up to date by updates as a rebuild would find it, marked
stale when claims are replaced, rebuilt for a store made before it existed (a real DuckDB file)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from wiretrace import corroborate
from wiretrace.corroborate import build_incidents, update_incidents
from wiretrace.corroborate.storage import boilerplate_sentences, insert_claims, load_claims
from wiretrace.doc.article import Article
from wiretrace.store.articles import Store
from wiretrace.store.schema import MIGRATIONS
from wiretrace.store.transaction import transaction

T0 = datetime(2031, 9, 2, 7, tzinfo=UTC)
PLEA = (
    "Readers can subscribe to the Varnhold Courier morning newsletter for local headlines "
    "delivered every weekday."
)
STORIES = [
    "The Ashvale council approved a new bridge over the Pell river on Monday.",
    "Farmers near Ostra reported an early harvest of apples this autumn season.",
    "The Kestrel School choir won the regional singing contest in Brindle Park.",
    "Ferry crews in Lonmouth said the harbour would reopen after repairs on Friday.",
]


def _pages() -> list[Article]:
    return [
        Article.create(
            f"{story} {PLEA}",
            url=f"https://courier.example/{n}",
            published_at=T0 + timedelta(days=n),
        )
        for n, story in enumerate(STORIES)
    ]


def _table(db: duckdb.DuckDBPyConnection) -> tuple[set[str], str]:
    marked = {r[0] for r in db.execute("SELECT sentence FROM corroborate_boilerplate").fetchall()}
    state = db.execute("SELECT value FROM corroborate_meta WHERE key = 'boilerplate'").fetchone()
    return marked, state[0] if state else "missing"


def _stored_sentences(db: duckdb.DuckDBPyConnection) -> list[str]:
    return sorted({r.sentence for r in load_claims(db) if r.claim_type in ("assertion", "quote")})


def test_updates_mark_boilerplate_as_a_rebuild_finds_it(tmp_path: Path) -> None:
    pages = _pages()
    with Store(tmp_path / "b.duckdb") as store:
        assert _table(store.db) == (set(), "current")  # a new store: nothing to rebuild
        for n, page in enumerate(pages):
            store.add_articles([page])
            update_incidents(store, [page.id])
            marked, state = _table(store.db)
            assert state == "current"
            # the plea is boilerplate from the third page of the outlet on, never before
            assert (PLEA in marked) is (n >= 2)
            assert marked == boilerplate_sentences(store.db)  # the rule over every claim
        found = update_incidents(store, [pages[-1].id]).to_dict()["incidents"]
        assert not [i for i in found if PLEA in str(i.get("assertion") or "")]


def test_replaced_claims_make_the_table_stale_until_rebuilt(tmp_path: Path) -> None:
    pages = _pages()
    with Store(tmp_path / "b.duckdb") as store:
        store.add_articles(pages)
        build_incidents(db=store)
        assert _table(store.db) == ({PLEA}, "current")
        # Two pages lose their claims: the plea is on two pages only, no longer boilerplate.
        insert_claims(store.db, [], [pages[0].id, pages[1].id])
        assert _table(store.db) == ({PLEA}, "stale")
        assert boilerplate_sentences(store.db, [PLEA]) == frozenset()
        assert _table(store.db) == (set(), "current")


def test_a_store_from_before_the_table_is_migrated_and_rebuilt(tmp_path: Path) -> None:
    db_path = tmp_path / "old.duckdb"
    pages = _pages()
    with Store(db_path) as store:  # the claims, as a store of the previous schema holds them
        store.add_articles(pages)
        build_incidents(db=store)
        sentences = _stored_sentences(store.db)
    old = duckdb.connect(str(db_path))  # back to the schema before migration 006
    with transaction(old) as tx:
        tx.execute("DROP TABLE corroborate_boilerplate")
        tx.execute("DROP TABLE corroborate_meta")
        tx.execute("DELETE FROM _migrations WHERE name = '006_boilerplate'")
    old.close()
    assert MIGRATIONS[-1].name == "006_boilerplate"
    with Store(db_path) as store:  # opened: migrated, the table to be rebuilt from the claims
        assert _table(store.db) == (set(), "stale")
        assert boilerplate_sentences(store.db, sentences) == {PLEA}
        assert _table(store.db) == ({PLEA}, "current")


def test_an_update_of_many_articles_marks_boilerplate_as_a_rebuild_finds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # More articles than a batch: the table is not kept per batch but rebuilt when read.
    monkeypatch.setattr(corroborate, "_BATCH", 2)
    pages = _pages()
    with Store(tmp_path / "b.duckdb") as store:
        store.add_articles(pages)
        assert _table(store.db) == (set(), "current")
        found = update_incidents(store, [p.id for p in pages]).to_dict()["incidents"]
        assert _table(store.db) == ({PLEA}, "current")
        assert not [i for i in found if PLEA in str(i.get("assertion") or "")]
        assert boilerplate_sentences(store.db) == {PLEA}
