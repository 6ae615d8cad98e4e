"""The FTS5 text index: matching, ranking, hostile queries, catch-up, rebuild, web fallback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import ArticleWriter
from wiretrace import api
from wiretrace.doc.article import Article
from wiretrace.store.articles import Store
from wiretrace.store.fulltext import TextIndex, build_query, open_for_store, sidecar_path
from wiretrace.web.corpus import search_articles
from wiretrace.web.service import WebConfig, Workbench

# Invented articles about invented places; no real news text.
DAM = Article.create(
    "Engineers opened the spillway gates of the Quellmoor dam on Friday after heavy rain. "
    "The reservoir rose two metres overnight, the Quellmoor water board said.",
    title="Quellmoor dam opens spillway gates",
    outlet="Northwire",
    published_at=datetime(2031, 4, 5, 9, tzinfo=UTC),
)
FERRY = Article.create(
    "The Tessaly ferry resumed crossings to Orvane island. Ferry crews said the gate of the "
    "harbour was repaired, and the dam of the old mill was not affected.",
    title="Tessaly ferry resumes crossings",
    outlet="Daily Spin",
    published_at=datetime(2031, 4, 6, 9, tzinfo=UTC),
)
MARKET = Article.create(
    "Traders at the Velmora night market counted fewer visitors after the bridge closed. "
    "Prices for river fish rose, the market guild said.",
    title="Velmora market quiet",
    outlet="Northwire",
    published_at=datetime(2031, 4, 7, 9, tzinfo=UTC),
)
ALL = [DAM, FERRY, MARKET]

HOSTILE = [
    '"',
    '""',
    '"unclosed phrase',
    "dam NEAR ferry",
    "NEAR(dam ferry, 2)",
    "dam*",
    "*",
    "-dam",
    "dam -ferry",
    "(dam OR ferry",
    ")",
    "title:dam",
    "{title}: dam",
    "^dam",
    "dam AND",
    "OR",
    "NOT dam",
    "'; DROP TABLE docs; --",
    "1' OR '1'='1",
    "%_\\",
    "dam + ferry",
    "\x00",
    "ダム",
    "   ",
]


@pytest.fixture()
def store(db_path: Path) -> Iterator[Store]:
    with Store(db_path) as opened:
        opened.add_articles(ALL)
    with Store(db_path) as reopened:
        yield reopened


@pytest.fixture()
def index(store: Store) -> Iterator[TextIndex]:
    opened = open_for_store(store)
    assert opened is not None
    with opened:
        yield opened


def _ids(index: TextIndex, query: str) -> list[str]:
    return [hit[0] for hit in index.search(query, limit=10)]


def test_words_and_phrases_are_found(index: TextIndex) -> None:
    assert index.count() == 3
    assert set(_ids(index, "dam")) == {DAM.id, FERRY.id}
    assert _ids(index, "dam reservoir") == [DAM.id]  # every word required
    assert _ids(index, "VELMORA") == [MARKET.id]  # case-insensitive
    assert _ids(index, '"spillway gates"') == [DAM.id]
    assert _ids(index, '"gates spillway"') == []  # a phrase keeps its order
    assert _ids(index, "no-such-word-anywhere") == []
    article_id, score, snippet = index.search("reservoir", limit=1)[0]
    assert article_id == DAM.id and score > 0 and "reservoir" in snippet


def test_stemming_finds_inflected_forms(index: TextIndex) -> None:
    assert set(_ids(index, "gate")) == {DAM.id, FERRY.id}
    assert _ids(index, "opening") == [DAM.id]  # "opened", "opens"
    assert _ids(index, "crossing") == [FERRY.id]  # "crossings"


def test_ranking_prefers_title_and_repeated_words(index: TextIndex) -> None:
    assert _ids(index, "dam")[0] == DAM.id
    assert _ids(index, "ferry")[0] == FERRY.id
    scores = [hit[1] for hit in index.search("dam", limit=10)]
    assert scores == sorted(scores, reverse=True)


def test_paging_and_restriction(index: TextIndex) -> None:
    both = _ids(index, "dam")
    assert [h[0] for h in index.search("dam", limit=1, offset=1)] == both[1:]
    assert [h[0] for h in index.search("dam", within=[FERRY.id])] == [FERRY.id]
    assert index.search("dam", within=[]) == []
    assert set(index.matching("dam")) == {DAM.id, FERRY.id}


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(index: TextIndex, query: str) -> None:
    expression = build_query(query)
    assert expression is None or expression.count('"') % 2 == 0
    index.search(query, limit=5)
    index.matching(query)


def test_operators_are_plain_words(index: TextIndex) -> None:
    assert set(_ids(index, "dam NEAR ferry")) == set()  # "near" is a word no article has
    assert _ids(index, "dam*") == _ids(index, "dam")
    assert set(_ids(index, "dam -ferry")) == {FERRY.id}  # both words required: no negation


def test_add_skips_articles_already_indexed(index: TextIndex) -> None:
    assert index.add(ALL) == 0
    extra = Article.create("A lantern parade crossed the Orvane causeway.", title="Lanterns")
    assert index.add([extra, extra]) == 1
    assert _ids(index, "lantern") == [extra.id]


def test_cli_add_keeps_an_existing_sidecar_current(
    store: Store, index: TextIndex, db_path: Path, write_article: ArticleWriter
) -> None:
    store.close()
    path = write_article("kite.txt", "Kite festival", "Hundreds of kites filled the Brennor sky.")
    report = api.add([path], db=db_path)
    assert report.added == 1
    assert len(_ids(index, "brennor kites")) == 1  # `wiretrace add` indexed it already
    with Store(db_path) as reopened:
        assert index.catch_up(reopened) == 0


def test_catch_up_after_articles_stored_without_the_sidecar(
    store: Store, index: TextIndex, db_path: Path
) -> None:
    extra = Article.create("Hundreds of kites filled the Brennor sky.", title="Kite festival")
    store.add_articles([extra])  # straight into the store, as a killed ingest may leave it
    assert index.catch_up(store, batch_size=1) == 1
    assert index.catch_up(store) == 0
    assert _ids(index, "brennor kites") == [extra.id]


@pytest.mark.parametrize("damage", ["delete", "garbage", "truncate", "empty-tables"])
def test_damaged_sidecar_is_rebuilt(store: Store, index: TextIndex, damage: str) -> None:
    index.close()
    path = sidecar_path(store.path)
    if damage == "delete":
        path.unlink()
    elif damage == "garbage":
        path.write_bytes(b"not a database at all" * 500)
    elif damage == "truncate":
        path.write_bytes(path.read_bytes()[:3000])
    else:
        with TextIndex(path) as opened:
            opened.db.execute("DELETE FROM docs")  # docs and the FTS table disagree
    rebuilt = open_for_store(store)
    assert rebuilt is not None and rebuilt.count() == 3
    assert _ids(rebuilt, "reservoir") == [DAM.id]
    rebuilt.close()


def test_read_only_store_uses_a_current_sidecar_or_scans(store: Store, db_path: Path) -> None:
    built = open_for_store(store)
    assert built is not None
    built.close()
    store.close()
    bench = Workbench(WebConfig(db=db_path, read_only=True))
    try:
        assert bench.text_index is not None and bench.text_index.read_only
        assert [r["id"] for r in search_articles(bench, q="reservoir")] == [DAM.id]
    finally:
        bench.close()
    sidecar_path(db_path).unlink()
    bench = Workbench(WebConfig(db=db_path, read_only=True))
    try:
        assert bench.text_index is None  # absent: the old scan answers
        found = search_articles(bench, q="reservoir")
        assert [r["id"] for r in found] == [DAM.id] and "reservoir" in found[0]["snippet"]
    finally:
        bench.close()


def test_web_search_filters_and_keeps_index_current(db_path: Path) -> None:
    bench = Workbench(WebConfig(db=db_path))
    try:
        bench.add(ALL)
        assert bench.text_index is not None and bench.text_index.count() == 3
        found = search_articles(bench, q="dam")
        assert [r["id"] for r in found] == [DAM.id, FERRY.id]
        assert found[0]["outlet"] == "Northwire" and found[0]["snippet"]
        only = search_articles(bench, q="dam", outlet="Daily Spin")
        assert [r["id"] for r in only] == [FERRY.id] and "dam" in only[0]["snippet"]
        since = datetime(2031, 4, 6, tzinfo=UTC)
        assert [r["id"] for r in search_articles(bench, q="dam", since=since)] == [FERRY.id]
        assert search_articles(bench, q="dam", outlet="Northwire", offset=1) == []
        assert search_articles(bench, q="***") == []
        assert len(search_articles(bench, q="  ")) == 3  # blank: no word filter at all
        for query in HOSTILE:
            search_articles(bench, q=query, outlet="Northwire")
    finally:
        bench.close()
