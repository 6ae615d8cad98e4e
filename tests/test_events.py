"""Whole articles grouped by real-world event (corroborate/events.py) and in the incidents."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from wiretrace.corroborate import build_incidents
from wiretrace.corroborate.events import EventDoc, group_events
from wiretrace.doc.article import Article
from wiretrace.store.articles import Store

FIRST = (
    "Man killed in Brindle Park shooting",
    "A man was shot and killed late Friday on Corvane Street in Brindle Park, the Olverton "
    "police said. Officers found Tobin Marsh, 31, near the Halloway Diner with gunshot wounds.",
)
SECOND = (
    "Police name Brindle Park victim",
    "Olverton police identified the man shot dead on Corvane Street as Tobin Marsh. Detectives "
    "said no arrest has been made and asked witnesses near the Halloway Diner to come forward.",
)
FOLLOW = (
    "Suspect charged in death of Tobin Marsh",
    "A Quellin man was charged with murder Tuesday in the Corvane Street killing of Tobin Marsh "
    "in Brindle Park, Olverton prosecutors said, three weeks after the shooting.",
)
OTHER = (
    "Library in Ostrava Heights opens new wing",
    "The Ostrava Heights library opened a reading wing on Saturday with a concert by the Pell "
    "Valley Choir and a book sale that raised money for the Kestrel School.",
)


def _doc(key: str, pair: tuple[str, str], day: date) -> EventDoc:
    title, body = pair
    return EventDoc(key, title, title + "\n\n" + body, day)


def test_reports_and_follow_up_form_one_event_apart_from_another_story() -> None:
    docs = [
        _doc("a", FIRST, date(2031, 3, 7)),
        _doc("b", SECOND, date(2031, 3, 8)),
        _doc("c", FOLLOW, date(2031, 3, 28)),
        _doc("d", OTHER, date(2031, 3, 8)),
    ]
    events = {tuple(e.articles): e for e in group_events(docs)}
    assert set(events) == {("a", "b", "c"), ("d",)}
    assert events[("a", "b", "c")].follow_ups == ["c"]


def test_far_apart_in_time_stays_apart() -> None:
    docs = [_doc("a", FIRST, date(2031, 3, 7)), _doc("b", SECOND, date(2031, 9, 8))]
    assert sorted(len(e.articles) for e in group_events(docs)) == [1, 1]


def test_no_articles_and_one_article() -> None:
    assert group_events([]) == []
    assert [e.articles for e in group_events([_doc("a", FIRST, date(2031, 3, 7))])] == [["a"]]


def test_incidents_json_lists_events(tmp_path: Path) -> None:
    with Store(tmp_path / "w.duckdb") as store:
        store.add_articles(
            [
                Article.create(
                    title + "\n\n" + body,
                    title=title,
                    url=f"https://news.example/{n}",
                    published_at=datetime(2031, 3, 7 + n, tzinfo=UTC),
                )
                for n, (title, body) in enumerate((FIRST, SECOND, OTHER))
            ]
        )
    out = build_incidents(db=tmp_path / "w.duckdb").to_dict()
    grouped = sorted(sorted(e["articles"]) for e in out["events"])
    assert grouped == [
        ["https://news.example/0", "https://news.example/1"],
        ["https://news.example/2"],
    ]


def test_articles_of_stop_words_only_stay_apart() -> None:
    docs = [EventDoc(k, "", "The and of it.", date(2031, 3, 7)) for k in "ab"]
    assert sorted(e.articles for e in group_events(docs)) == [["a"], ["b"]]
