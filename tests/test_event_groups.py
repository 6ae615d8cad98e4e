"""One group of figure claims per event (corroborate/event_groups.py), on a real DuckDB store:
killed and wounded counts of one shooting in one incident, another shooting apart, and the same
grouping after a one-article update as after a full build. Invented people and venues."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from wiretrace.corroborate import build_incidents, update_incidents
from wiretrace.corroborate.claimrows import ClaimRow
from wiretrace.corroborate.event_groups import merge_by_event
from wiretrace.doc.article import Article
from wiretrace.store.articles import Store

LOUNGE = [
    (
        "Two killed, three wounded in Dayton shooting",
        "Two men were killed and three people were wounded in a shooting outside the Quarry Lane "
        "Lounge in Dayton, Ohio, on Saturday night, police said. Officers identified the dead as "
        "Corvin Astley, 24, and Belden Reyes, 31.",
        6,
    ),
    (
        "Police name two men killed outside Dayton lounge",
        "Dayton police on Sunday named Corvin Astley, 24, and Belden Reyes, 31, as the two men "
        "shot dead outside the Quarry Lane Lounge. Three people were wounded, police said.",
        7,
    ),
    (
        "Three wounded in Quarry Lane Lounge shooting leave hospital",
        "The three people wounded in the Saturday shooting outside the Quarry Lane Lounge in "
        "Dayton, Ohio, have left the hospital. Corvin Astley and Belden Reyes were killed.",
        8,
    ),
]
DRIVE_BY = (
    "Woman wounded in Toledo drive-by",
    "A woman was wounded in a drive-by shooting on Kettle Street in Toledo, Ohio, on Saturday, "
    "police said. Idella Frane, 40, is in stable condition.",
    6,
)
LATE_REPORT = (
    "Dayton lounge shooting: three wounded recovering",
    "Three people wounded outside the Quarry Lane Lounge in Dayton, Ohio, on Saturday are "
    "recovering, police said.",
    9,
)


def _article(n: int, story: tuple[str, str, int]) -> Article:
    title, body, day = story
    return Article.create(
        title + "\n\n" + body,
        title=title,
        url=f"https://news.example/{n}",
        published_at=datetime(2031, 5, day, 12, tzinfo=UTC),
    )


def _figure_groups(db: Path) -> list[tuple[str, list[str], list[str]]]:
    out = build_incidents(db=db).to_dict()
    return sorted(
        (inc["kind"], sorted(inc["articles"]), sorted(inc["figures"]))
        for inc in out["incidents"]
        if inc["kind"] in ("killed", "wounded")
    )


def test_killed_and_wounded_of_one_event_are_one_group(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with Store(db) as store:
        store.add_articles([_article(n, s) for n, s in enumerate([*LOUNGE, DRIVE_BY])])
    groups = _figure_groups(db)
    lounge = [f"https://news.example/{n}" for n in range(3)]
    assert groups == [
        ("killed", lounge, ["civilians", "civilians wounded"]),
        ("wounded", ["https://news.example/3"], ["women"]),
    ]
    incident = next(i for i in build_incidents(db=db).incidents if i.kind == "killed")
    figures = incident.to_dict()["figures"]
    assert figures["civilians"]["best"] == 2 and figures["civilians wounded"]["best"] == 3
    assert incident.grade != "contested"  # 2 killed and 3 wounded are no conflict


def test_update_keeps_one_group_per_event_as_a_rebuild_does(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with Store(db) as store:
        store.add_articles([_article(n, s) for n, s in enumerate(LOUNGE)])
    build_incidents(db=db)
    late = _article(9, LATE_REPORT)
    with Store(db) as store:
        store.add_articles([late])
        touched = update_incidents(store, [late.id]).incidents
    assert [sorted(m.label for m in inc.ind.members) for inc in touched] == [
        [*(f"https://news.example/{n}" for n in range(3)), "https://news.example/9"]
    ]
    rebuilt = tmp_path / "r.duckdb"
    with Store(rebuilt) as store:
        store.add_articles([_article(n, s) for n, s in enumerate(LOUNGE)] + [late])
    assert len(_figure_groups(rebuilt)) == 1


def _row(cid: str, kind: str, place: str, lat: float, day: int) -> ClaimRow:
    return ClaimRow(
        claim_id=cid, article_id=cid.split(":")[0], n=0, claim_type="figure", kind=kind,
        grp="people", value=1.0, low=None, high=None, place=place, lat=lat, lon=10.0,
        event_date=datetime(2031, 5, day, tzinfo=UTC).date(), published_at=None, actor=None,
        actor_class=None, actor_party=None, primary_source=None, speaker=None, content=None,
        sentence="", url=None, outlet=None,
    )  # fmt: skip


def test_groups_of_one_event_at_other_places_or_weeks_apart_stay_apart() -> None:
    """One article (a) reports killed and wounded at one place, wounded at another town and
    wounded three weeks later: only the first wounded joins the killed."""
    rows = [
        _row("a:0", "killed", "Vellmar", 50.0, 6),
        _row("a:1", "wounded", "Vellmar", 50.0, 6),
        _row("a:2", "wounded", "Ostrow", 52.0, 6),  # over 200 km away
        _row("a:3", "wounded", "Vellmar", 50.0, 28),  # three weeks later
        _row("b:0", "wounded", "Vellmar", 50.0, 6),  # no article in common with the killed
    ]
    groups = {r.claim_id: r.claim_id for r in rows}
    merged = merge_by_event(rows, groups, dict.fromkeys("ab", "evt-1"))
    assert merged == groups | {"a:1": "a:0"}
    # Groups of different events never merge.
    assert merge_by_event(rows, groups, {"a": "evt-1", "b": "evt-2"}) == groups | {"a:1": "a:0"}
    assert merge_by_event(rows[:2], {"a:0": "a:0", "a:1": "a:1"}, {}) == {
        "a:0": "a:0",
        "a:1": "a:1",
    }


KILLED_ONLY = (
    "Two men killed outside Dayton lounge",
    "Two men were killed outside the Quarry Lane Lounge in Dayton, Ohio, on Saturday night, "
    "police said.",
    7,
)
WOUNDED_ONLY = (
    "Three wounded outside Dayton lounge",
    "Three people were wounded outside the Quarry Lane Lounge in Dayton, Ohio, on Saturday "
    "night, police said.",
    7,
)


def test_update_with_a_report_of_both_counts_merges_as_a_rebuild_does(tmp_path: Path) -> None:
    """Stored: one report of the killed, one of the wounded (no article in common, so two
    incidents). A new report gives both: a rebuild makes one incident of the three, and so
    does the update (the new article stands for its event)."""
    db = tmp_path / "w.duckdb"
    stored = [_article(0, KILLED_ONLY), _article(1, WOUNDED_ONLY)]
    with Store(db) as store:
        store.add_articles(stored)
    assert [g[0] for g in _figure_groups(db)] == ["killed", "wounded"]
    bridge = _article(2, LOUNGE[0])
    with Store(db) as store:
        store.add_articles([bridge])
        updated = update_incidents(store, [bridge.id])
    touched = updated.incidents
    assert updated.events == []  # events are regrouped by full builds only (the limit)
    urls = [f"https://news.example/{n}" for n in range(3)]
    assert [(i.kind, sorted(m.label for m in i.ind.members)) for i in touched] == [("killed", urls)]
    rebuilt = tmp_path / "r.duckdb"
    with Store(rebuilt) as store:
        store.add_articles([*stored, bridge])
    assert _figure_groups(rebuilt) == [("killed", urls, ["civilians", "civilians wounded"])]
