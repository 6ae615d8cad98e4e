"""Corroboration on synthetic invented articles: grouping, origins, sources, grades, export."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from wiretrace.corroborate import (
    IncidentsResult,
    build_incidents,
    corroborate,
    to_claimreview,
    update_incidents,
)
from wiretrace.corroborate.claimrows import ClaimRow
from wiretrace.corroborate.groups import Partitioner, group_all
from wiretrace.doc.article import Article
from wiretrace.store.articles import Store

T0 = datetime(2031, 5, 6, 8, tzinfo=UTC)
WIRE = (
    "Air strikes killed 12 civilians in Homs on Tuesday, the Syrian Observatory for Human "
    "Rights said. Rescue teams searched the rubble of several buildings through the night."
)
FARM = (
    "Air strikes killed 12 civilians in Homs on Tuesday, the Syrian Observatory for Human "
    "Rights said. Rescue teams combed the rubble of many buildings overnight. Share this story."
)
FARM_EDIT = WIRE.replace("killed 12", "killed 17") + " Stay tuned."
LOCAL = (
    "Our correspondent in Homs counted 14 dead civilians after air strikes hit a residential "
    "street, according to civil defence workers. Families waited outside the hospital."
)
CONFLICT = LOCAL.replace("14 dead", "90 dead")
OTHER = "A car bomb killed 7 civilians in Aleppo on Tuesday, a local council said."


def _art(text: str, url: str, hours: int) -> Article:
    return Article.create(text, url=url, published_at=T0 + timedelta(hours=hours))


def _store(tmp_path: Path, *articles: Article) -> Path:
    db = tmp_path / "c.duckdb"
    with Store(db) as store:
        store.add_articles(list(articles))
    return db


def _by_url(result: IncidentsResult, url: str) -> dict[str, Any]:
    data = result.to_dict()
    found: dict[str, Any] = next(
        i for i in data["incidents"] if url in i["articles"] and i["kind"] == "killed"
    )
    return found


def test_farm_echo_is_one_origin(tmp_path: Path) -> None:
    db = _store(
        tmp_path,
        _art(WIRE, "https://northwire.example/1", 0),
        _art(FARM, "https://farm-a.example/1", 2),
        _art(FARM_EDIT, "https://farm-b.example/1", 3),
    )
    inc = _by_url(build_incidents(db=db), "https://northwire.example/1")
    assert inc["origins"] == [
        {
            "url": "https://northwire.example/1",
            "outlet": "northwire.example",
            "published_at": T0.isoformat(),
            "primary_sources": ["Syrian Observatory for Human Rights"],
            "copies": ["https://farm-a.example/1", "https://farm-b.example/1"],
        }
    ]
    assert inc["grade"] == "single-origin echo"
    assert "one origin" in str(inc["why"])
    changed = inc["changed_in_copy"]
    assert isinstance(changed, list) and changed[0]["to"] == 17.0


def test_independent_sources_give_fair_and_separate_incidents(tmp_path: Path) -> None:
    db = _store(
        tmp_path,
        _art(WIRE, "https://northwire.example/1", 0),
        _art(FARM, "https://farm-a.example/1", 2),
        _art(LOCAL, "https://cityherald.example/1", 6),
        _art(OTHER, "https://northwire.example/2", 1),
    )
    result = build_incidents(db=db)
    inc = _by_url(result, "https://northwire.example/1")
    assert [o["url"] for o in inc["origins"]] == [
        "https://northwire.example/1",
        "https://cityherald.example/1",
    ]
    assert inc["grade"] == "fair"
    assert inc["figures"] == {"civilians": {"best": 12.0, "low": 12.0, "high": 14.0}}
    other = _by_url(result, "https://northwire.example/2")
    assert other["articles"] == ["https://northwire.example/2"]
    assert other["grade"] == "weak"


def test_one_primary_source_counts_once(tmp_path: Path) -> None:
    local = LOCAL.replace("civil defence workers", "the Syrian Observatory for Human Rights")
    db = _store(
        tmp_path,
        _art(WIRE, "https://northwire.example/1", 0),
        _art(local, "https://cityherald.example/1", 6),
    )
    inc = _by_url(build_incidents(db=db), "https://northwire.example/1")
    assert inc["primary_sources"] == ["Syrian Observatory for Human Rights"]
    assert inc["counts"] == {"articles": 2, "origins": 2, "primary_sources": 1}
    assert inc["grade"] == "weak"


def test_conflicting_figures_are_contested(tmp_path: Path) -> None:
    db = _store(
        tmp_path,
        _art(WIRE, "https://northwire.example/1", 0),
        _art(CONFLICT, "https://cityherald.example/1", 6),
    )
    inc = _by_url(build_incidents(db=db), "https://northwire.example/1")
    assert inc["grade"] == "contested"
    assert "12, 90" in str(inc["why"])


def test_claimreview_shape(tmp_path: Path) -> None:
    db = _store(
        tmp_path,
        _art(WIRE, "https://northwire.example/1", 0),
        _art(FARM, "https://farm-a.example/1", 2),
    )
    inc = next(i for i in build_incidents(db=db).incidents if i.kind == "killed")
    review = to_claimreview(inc)
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"].startswith("12 civilians killed in Homs")
    item = review["itemReviewed"]
    assert item["firstAppearance"]["url"] == "https://northwire.example/1"
    assert len(item["appearance"]) == 2
    assert review["reviewRating"]["alternateName"] == "single-origin echo"
    json.dumps(review)


def test_incremental_update_matches_full_build(tmp_path: Path) -> None:
    first = [_art(WIRE, "https://northwire.example/1", 0), _art(OTHER, "https://n.example/2", 1)]
    later = [_art(FARM, "https://farm-a.example/1", 2), _art(LOCAL, "https://ch.example/1", 6)]
    db = _store(tmp_path, *first)
    build_incidents(db=db)
    with Store(db) as store:
        store.add_articles(later)
    touched = update_incidents(db, [a.id for a in later])
    assert [i.kind for i in touched.incidents] == ["killed"]
    assert len(touched.incidents[0].ind.origins) == 2
    full = _store(tmp_path / "full", *first, *later)
    assert build_incidents(db=full).to_dict() == build_incidents(db=db).to_dict()


def test_corroborate_lists_claims_of_one_article(tmp_path: Path) -> None:
    db = _store(
        tmp_path,
        _art(WIRE, "https://northwire.example/1", 0),
        _art(FARM, "https://farm-a.example/1", 2),
    )
    found = corroborate("https://farm-a.example/1", db=db)
    assert found and found[0].to_dict()["grade"] == "single-origin echo"
    assert found[0].to_dict()["claim"]["value"] == 12.0


def test_output_is_deterministic(tmp_path: Path) -> None:
    arts = [
        _art(WIRE, "https://northwire.example/1", 0),
        _art(LOCAL, "https://cityherald.example/1", 6),
        _art(OTHER, "https://northwire.example/2", 1),
    ]
    one = build_incidents(db=_store(tmp_path / "a", *arts)).to_dict()
    two = build_incidents(db=_store(tmp_path / "b", *reversed(arts))).to_dict()
    assert json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)


def _group_of(result: IncidentsResult, url: str) -> list[str]:
    return list(_by_url(result, url)["articles"])


def test_incidents_a_day_apart_do_not_chain(tmp_path: Path) -> None:
    texts = [
        "Shelling killed 5 civilians in Homs, civil defence workers said.",
        "Shelling killed 9 civilians in Homs, civil defence workers said.",
        "Shelling killed 23 civilians in Homs, civil defence workers said.",
    ]
    arts = [_art(t, f"https://n{i}.example/homs", 24 * i) for i, t in enumerate(texts)]
    result = build_incidents(db=_store(tmp_path, *arts))
    for i in range(3):
        assert _group_of(result, f"https://n{i}.example/homs") == [f"https://n{i}.example/homs"]


def test_next_day_report_of_the_same_figure_joins(tmp_path: Path) -> None:
    later = "Air strikes in Homs killed 12 civilians, the provincial health directorate said."
    arts = [_art(WIRE, "https://northwire.example/1", 0), _art(later, "https://late.example/1", 26)]
    result = build_incidents(db=_store(tmp_path, *arts))
    assert _group_of(result, "https://northwire.example/1") == [
        "https://northwire.example/1",
        "https://late.example/1",
    ]


def test_towns_resolve_to_their_region() -> None:
    from wiretrace.claims.placenames import ALIASES
    from wiretrace.claims.places import fold, resolve_local, resolve_place

    ariha = resolve_local("Ariha", ["SY"])
    assert ariha is not None and ariha.region == "SY.12"  # a town below 15,000, Idlib
    assert resolve_local("Ariha") is None  # small towns need a country context
    idleb = resolve_local("Idleb", ["SY"])
    assert idleb is not None and idleb.name == "Idlib"
    sheikhoun = resolve_local("Khan Sheikhoun", ["SY"])
    assert sheikhoun is not None and sheikhoun.region == "SY.12"
    aleppo = resolve_place("Aleppo")
    assert aleppo is not None and aleppo.region == "SY.09"
    for alias, target in ALIASES.items():
        assert alias == fold(alias)
        if isinstance(target, str):
            assert resolve_place(target) is not None, target


def test_same_region_needs_the_same_figure(tmp_path: Path) -> None:
    bab = "Air strikes killed 12 civilians in the town of al-Bab in Syria on Tuesday, SOHR said."
    other = bab.replace("12 civilians", "30 civilians")
    arts = [
        _art(WIRE.replace("Homs", "Aleppo"), "https://northwire.example/1", 0),
        _art(bab, "https://bab.example/1", 2),
        _art(other, "https://bab.example/2", 3),
    ]
    result = build_incidents(db=_store(tmp_path, *arts))
    assert _group_of(result, "https://bab.example/1") == [
        "https://northwire.example/1",
        "https://bab.example/1",
    ]
    assert _group_of(result, "https://bab.example/2") == ["https://bab.example/2"]


def test_a_crowd_is_not_a_speaker(tmp_path: Path) -> None:
    text = WIRE + ' Critics said "the world has looked away for far too long" on Tuesday.'
    arts = [_art(text, f"https://farm{i}.example/1", i) for i in range(3)]
    data = build_incidents(db=_store(tmp_path, *arts)).to_dict()
    assert all(i["kind"] != "statement" for i in data["incidents"])


ACCUSE = (
    "The Valdoran Relief Corps staged the chemical attack in Korvath to provoke Western air "
    "strikes against the government."
)


def test_copied_accusation_is_one_assertion_group_with_one_origin(tmp_path: Path) -> None:
    origin = f"{ACCUSE} The claim spread quickly online."
    reworded = ACCUSE.replace("staged", "faked").replace("Western air", "Western")
    farm_a = f"Breaking news. {ACCUSE} Share this story."
    farm_b = f"{reworded} Stay tuned for more updates."
    unrelated = (
        "The Valdoran Relief Corps opened a new clinic in Korvath for children displaced by "
        "the fighting last winter."
    )
    db = _store(
        tmp_path,
        _art(origin, "https://blog.example/1", 0),
        _art(farm_a, "https://farm-a.example/1", 5),
        _art(farm_b, "https://farm-b.example/1", 30),
        _art(unrelated, "https://cityherald.example/3", 6),
        _art(ACCUSE.replace("Korvath", "Dunmere"), "https://farm-d.example/1", 7),
    )
    result = build_incidents(db=db)
    found = [i for i in result.to_dict()["incidents"] if i["kind"] == "assertion"]
    assert len(found) == 1  # the clinic and the Dunmere sentences are alone: not shown
    inc = found[0]
    assert inc["articles"] == [
        "https://blog.example/1",
        "https://farm-a.example/1",
        "https://farm-b.example/1",
    ]
    assert inc["assertion"] == ACCUSE
    assert [o["url"] for o in inc["origins"]] == ["https://blog.example/1"]
    assert inc["grade"] == "single-origin echo"
    review = to_claimreview(next(i for i in result.incidents if i.kind == "assertion"))
    assert review["claimReviewed"] == ACCUSE
    # The same accusation a week later is not the same report.
    later = _art(farm_a.replace("Breaking", "Old"), "https://farm-c.example/1", 24 * 9)
    with Store(db) as store:
        store.add_articles([later])
    again = update_incidents(db, [later.id])
    assert not [i for i in again.to_dict()["incidents"] if i["kind"] == "assertion"]


def _claim(cid: str, place: str, lat: float, lon: float, day: int, value: float) -> ClaimRow:
    published = datetime(2031, 5, 1, 9, tzinfo=UTC) + timedelta(days=day)
    return ClaimRow(
        claim_id=cid, article_id=cid.split(":")[0], n=0, claim_type="figure", kind="killed",
        grp="civilians", value=value, low=None, high=None, place=place, lat=lat, lon=lon,
        event_date=published.date(), published_at=published, actor=None, actor_class=None,
        actor_party=None, primary_source=None, speaker=None, content=None, sentence="",
        url=f"https://x.example/{cid}", outlet=None,
    )  # fmt: skip


def test_parts_of_a_kind_group_as_the_whole() -> None:
    # Invented places: a pair 20 km apart, a far one in the same region as neither, and
    # far-apart clusters; reports on runs of days with gaps longer than two days.
    sites = [("Pelvora", 35.00, 38.00), ("Pelvora East", 35.00, 38.22), ("Quessa", 33.0, 36.0),
             ("Tarnik", 36.5, 41.0), ("Vallo", 34.2, 39.9)]  # fmt: skip
    rows = []
    n = 0
    for day in (0, 1, 2, 3, 9, 10, 11, 20):
        for name, lat, lon in sites:
            for k in range(3):
                n += 1
                value = 10 + (n * 7) % 5 if k else 10 + day
                rows.append(_claim(f"a{n:04d}:0", name, lat, lon, day + (k == 2), value))
    parts: dict[str, list[ClaimRow]] = {}
    partitioner = Partitioner.of(rows)
    for row in rows:
        parts.setdefault(partitioner.label(row), []).append(row)
    assert len(parts) >= 8  # one kind, split in space and time
    # Pelvora and its eastern neighbour (within 25 km) share a cell.
    cells = {partitioner.cells[(r.place, r.lat or 0, r.lon or 0)] for r in rows[:6]}
    assert len(cells) == 1
    merged: dict[str, str] = {}
    for part in parts.values():
        merged.update(group_all(part))
    assert merged == group_all(rows)
    assert len(set(merged.values())) < len(rows)  # something grouped


def test_corroborate_names_the_earlier_report_a_claim_was_copied_from(tmp_path: Path) -> None:
    db = _store(
        tmp_path,
        _art(WIRE, "https://northwire.example/1", 0),
        _art(FARM, "https://farm-a.example/1", 2),
    )
    found = corroborate("https://farm-a.example/1", db=db)
    figure = next(c.to_dict() for c in found if c.claim.claim_type == "figure")
    assert [s["url"] for s in figure["copied_from"]] == ["https://northwire.example/1"]
    assert figure["copied_from"][0]["status"] in ("copied", "paraphrased")
    assert figure["origins"] and len(figure["origins"]) == 1
    alone = corroborate("https://farm-a.example/1", db=db, sources=False)
    assert all(c.copied_from == [] for c in alone)


def test_boilerplate_never_forms_a_group(tmp_path: Path) -> None:
    plea = (
        "Readers can subscribe to the Varnhold Courier morning newsletter for local headlines "
        "delivered every weekday."
    )
    stories = [
        "The Ashvale council approved a new bridge over the Pell river on Monday.",
        "Farmers near Ostra reported an early harvest of apples this autumn season.",
        "The Kestrel School choir won the regional singing contest in Brindle Park.",
    ]
    db = _store(
        tmp_path,
        *(
            _art(f"{story} {plea}", f"https://courier.example/{n}", 24 * n)
            for n, story in enumerate(stories)
        ),
    )
    out = build_incidents(db=db).to_dict()
    assert not [
        i
        for i in out["incidents"]
        if i["kind"] == "assertion" and "newsletter" in (i.get("assertion") or "")
    ]
    assert all(c.claim.sentence != plea for c in corroborate("https://courier.example/2", db=db))
