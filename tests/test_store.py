"""The store on a real DuckDB file: idempotent adds, versions, migrations, offsets round-trip."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.conftest import BODY_A, BODY_B
from wiretrace.doc.article import Article
from wiretrace.errors import StoreError
from wiretrace.store.articles import Store
from wiretrace.store.schema import MIGRATIONS


def test_add_is_idempotent_and_keeps_metadata(db_path: Path) -> None:
    when = datetime(2031, 5, 3, 9, 30, tzinfo=UTC)
    article = Article.create(
        BODY_A,
        title="Crossing",
        url="https://northwire.example/1",
        published_at=when,
        author="Ada Vell",
    )
    with Store(db_path) as store:
        first = store.add_articles([article])
        again = store.add_articles([article, article])
        assert [a.id for a in first.added] == [article.id]
        assert again.added == [] and again.already_stored == 1
        assert store.count() == 1
        back = store.get(article.id)
    assert back is not None
    assert back.text == article.text and back.title == "Crossing"
    assert back.published_at == when and back.author == "Ada Vell"
    assert back.outlet == "northwire.example" and back.language == "en"
    assert back.spans == article.spans


def test_changed_text_at_same_url_is_a_new_version(db_path: Path) -> None:
    url = "https://northwire.example/1"
    old = Article.create(BODY_A, url=url)
    new = Article.create(BODY_A + "\n\nUpdated with a correction.", url=url)
    with Store(db_path) as store:
        store.add_articles([old])
        store.add_articles([new])
        latest = store.get(url)
        versions = store.versions(url)
    assert latest is not None and latest.id == new.id and latest.version == 2
    assert [v.id for v in versions] == [old.id, new.id]


@pytest.mark.parametrize("bulk", [False, True])
def test_a_bulk_load_finds_what_was_stored_before_and_during_it(db_path: Path, bulk: bool) -> None:
    url = "https://example.org/velmora-convoy"
    first = Article.create(BODY_A, url=url)
    with Store(db_path) as store:
        store.add_articles([first, Article.create(BODY_B, url="https://example.org/relief")])
    with Store(db_path) as store:
        if bulk:  # stored ids and urls held in memory: the batches ask only about those
            store.prepare_bulk_load()
        again = store.add_articles([first, Article.create(BODY_A + " Update.", url=url)])
        assert again.already_stored == 1 and [a.version for a in again.added] == [2]
        later = store.add_articles(
            [Article.create(BODY_A + " Second update.", url=url), *again.added]
        )
        assert later.already_stored == 1 and [a.version for a in later.added] == [3]
        fresh = store.add_articles([Article.create(BODY_B, url="https://example.org/new")])
        assert fresh.already_stored == 0 and fresh.added[0].version == 1
        assert store.count() == 5


def test_whitespace_only_change_is_the_same_article() -> None:
    a = Article.create("One line.  Two  lines.", url="https://x.example/a")
    b = Article.create("One line.\nTwo lines.", url="https://x.example/a")
    assert a.id == b.id


def test_migrations_are_recorded_once(db_path: Path) -> None:
    Store(db_path).close()
    Store(db_path).close()
    con = duckdb.connect(str(db_path))
    names = [r[0] for r in con.execute("SELECT name FROM _migrations ORDER BY name").fetchall()]
    con.close()
    assert names == sorted(m.name for m in MIGRATIONS)


def test_read_only_store_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_failed_batch_leaves_store_unchanged(db_path: Path) -> None:
    good = Article.create(BODY_B, url="https://relief.example/2")
    bad = Article.create(BODY_A, url="https://northwire.example/1")
    bad.set_spans([(0, 5)])
    bad.id = None  # type: ignore[assignment]  # NOT NULL primary key: the insert must fail
    with Store(db_path) as store:
        store.add_articles([good])
        with pytest.raises(duckdb.Error):
            store.add_articles([Article.create(BODY_A + " More.", url="https://x.example/z"), bad])
        assert store.count() == 1


_text = st.lists(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60),
    min_size=1,
    max_size=6,
).map(lambda parts: "\n\n".join(parts))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=_text)
def test_round_trip_keeps_text_and_offsets(tmp_path: Path, body: str) -> None:
    assume(body.strip())
    article = Article.create(body, url="https://roundtrip.example/a", title="t")
    path = tmp_path / "rt.duckdb"
    with Store(path) as store:
        store.add_articles([article])
        back = store.get(article.id)
    path.unlink()
    assert back is not None
    assert back.text == article.text
    assert back.spans == article.spans
    assert [s.text for s in back.sentences] == [s.text for s in article.sentences]
