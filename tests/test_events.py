"""Whole articles grouped by real-world event (corroborate/events.py) and in the incidents."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

from wiretrace.corroborate import build_incidents
from wiretrace.corroborate.event_pairs import FEATURES, same_event_probability
from wiretrace.corroborate.events import (
    LINK_THRESHOLD,
    EventDoc,
    candidate_features,
    cluster_scored,
    group_events,
    without_boilerplate,
)
from wiretrace.corroborate.linkage import average_linkage, single_linkage
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
TRIAL = (
    "Quellin man sentenced for Halloway Diner killing",
    "Ferris Quade was sentenced to 40 years on Monday for shooting Tobin Marsh outside the "
    "Halloway Diner on Corvane Street on March 7, Olverton prosecutors said. Marsh's sister "
    "spoke in court.",
)
ANOTHER_SHOOTING = (
    "Woman wounded on Westmere Avenue in Olverton",
    "A 54-year-old woman was shot in the leg on Westmere Avenue in Olverton on Tuesday, police "
    "said. Dana Fielding was taken to Saint Ives Hospital; officers are looking for a grey van.",
)
ANOTHER_SHOOTING_LATER = (
    "Olverton police seek grey van after Westmere Avenue shooting",
    "Police in Olverton released a photo of a grey van seen when Dana Fielding, 54, was shot on "
    "Westmere Avenue. Fielding is recovering at Saint Ives Hospital.",
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


def test_late_follow_up_naming_the_victim_joins_its_event() -> None:
    docs = [
        _doc("a", FIRST, date(2031, 3, 7)),
        _doc("b", SECOND, date(2031, 3, 8)),
        _doc("c", TRIAL, date(2031, 11, 20)),  # eight months later: beyond text candidates
        _doc("d", OTHER, date(2031, 3, 8)),
    ]
    events = {tuple(e.articles): e for e in group_events(docs)}
    assert set(events) == {("a", "b", "c"), ("d",)}
    assert events[("a", "b", "c")].follow_ups == ["c"]


def test_two_shootings_in_one_city_stay_two_events() -> None:
    docs = [
        _doc("a", FIRST, date(2031, 3, 7)),
        _doc("b", SECOND, date(2031, 3, 8)),
        _doc("c", ANOTHER_SHOOTING, date(2031, 3, 8)),
        _doc("d", ANOTHER_SHOOTING_LATER, date(2031, 3, 9)),
        _doc("e", OTHER, date(2031, 3, 8)),
    ]
    assert sorted(e.articles for e in group_events(docs)) == [["a", "b"], ["c", "d"], ["e"]]


def test_far_apart_in_time_stays_apart() -> None:
    docs = [_doc("a", FIRST, date(2031, 3, 7)), _doc("b", ANOTHER_SHOOTING, date(2031, 9, 8))]
    assert sorted(len(e.articles) for e in group_events(docs)) == [1, 1]


def test_a_story_stored_three_times_is_not_boilerplate() -> None:
    """Sentences shared by three stored texts are boilerplate, but three copies of one text are
    one text: they stay alike and join the other report of their event."""
    docs = [_doc(k, FIRST, date(2031, 3, 7)) for k in "abc"]
    docs += [_doc("d", SECOND, date(2031, 3, 8)), _doc("e", OTHER, date(2031, 3, 8))]
    assert sorted(e.articles for e in group_events(docs)) == [["a", "b", "c", "d"], ["e"]]


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


def test_average_linkage_does_not_chain() -> None:
    """a-b and b-c alike, a-c not: single link would make one group of three; the mean over
    {a, b} x {c} is 0.45, below 0.6, so c stays alone."""
    labels = average_linkage(4, [(0, 1, 0.95), (1, 2, 0.9), (3, 3, 1.0)], 0.6)
    assert labels[0] == labels[1] != labels[2]
    assert len(set(labels)) == 3
    # Without the threshold's check every linked pair would merge.
    assert len(set(average_linkage(3, [(0, 1, 0.95), (1, 2, 0.9)], 0.4))) == 1


def test_average_linkage_merges_on_the_mean_of_all_pairs() -> None:
    """{a, b} and {c, d}: two strong cross pairs of four make a mean of 0.45."""
    edges = [(0, 1, 1.0), (2, 3, 1.0), (0, 2, 0.9), (1, 3, 0.9)]
    assert len(set(average_linkage(4, edges, 0.45))) == 1
    assert len(set(average_linkage(4, edges, 0.46))) == 2


def test_single_linkage_chains_connected_pairs() -> None:
    """Single link (the baselines' grouping) is the connected components: a-b and b-c make one
    group of three, d stays alone."""
    labels = single_linkage(4, [(0, 1), (1, 2)])
    assert labels[0] == labels[1] == labels[2] != labels[3]
    assert single_linkage(3, []) == [0, 1, 2]


def test_pruning_before_per_pair_features_keeps_every_likely_pair() -> None:
    """`candidate_features(docs, floor)` skips pairs that cannot reach `floor` before the
    per-pair features: the pairs it keeps are all those at least that likely, same scores."""
    days = [date(2031, 3, d) for d in (7, 8, 8, 9, 8)]
    stories = [FIRST, SECOND, ANOTHER_SHOOTING, ANOTHER_SHOOTING_LATER, OTHER]
    docs = [_doc(str(n), s, d) for n, (s, d) in enumerate(zip(stories, days, strict=True))]
    full, pruned = candidate_features(docs), candidate_features(docs, 0.3)
    assert full is not None and pruned is not None
    likely = {
        tuple(pair): p
        for pair, p in zip(full[0].tolist(), same_event_probability(full[1]), strict=True)
        if p >= 0.3
    }
    kept = dict(zip(map(tuple, pruned[0].tolist()), same_event_probability(pruned[1]), strict=True))
    assert likely and all(kept[pair] == p for pair, p in likely.items())


def _features_of(docs: list[EventDoc]) -> dict[tuple[int, int], dict[str, float]]:
    found = candidate_features(docs)
    assert found is not None
    pairs, rows = found
    return {
        (i, j): dict(zip(FEATURES, row.tolist(), strict=True))
        for (i, j), row in zip(pairs.tolist(), rows, strict=True)
    }


# Two shootings of one city a day apart (title, text): the first, a later report of it naming its
# street again, and the other.
_OLVERTON = (
    ("Man shot on Corvane Street in Olverton", "A man was shot on Corvane Street in "
     "Olverton late Friday, police said. He was taken to a hospital."),
    ("Olverton police seek gunman after Corvane Street shooting", "Police in Olverton "
     "asked for help after a man was shot on Corvane Street on Friday."),
    ("Woman shot on Westmere Avenue in Olverton", "A woman was shot on Westmere Avenue "
     "in Olverton late Saturday, police said. She was taken to a hospital."),
)  # fmt: skip


def test_streets_genders_and_rare_words_are_pair_features() -> None:
    """Two shootings of one city a day apart, no names or ages: the streets they name differ
    and so do the title's man and woman; a report of the first names its street again."""
    first, again, other = _OLVERTON
    day = date(2031, 3, 7)
    docs = [_doc("a", first, day), _doc("b", again, day), _doc("c", other, date(2031, 3, 8))]
    features = _features_of(docs)
    same, apart = features[(0, 1)], features[(0, 2)]
    assert same["streets_jaccard"] == 1.0 and same["streets_differ"] == 0.0
    assert apart["streets_differ"] == 1.0 and apart["streets_missing"] == 0.0
    assert apart["genders_differ"] == 1.0 and same["genders_differ"] == 0.0
    # "Corvane" is a proper noun of two of the three (1 - log 2 / log 3); "Olverton" of all.
    assert abs(same["rarest_shared_name_word"] - (1 - np.log(2) / np.log(3))) < 1e-9
    assert apart["rarest_shared_name_word"] == 0.0
    probability = same_event_probability(np.array([list(same.values()), list(apart.values())]))
    assert probability[0] > 0.5 > probability[1]
    assert sorted(e.articles for e in group_events(docs)) == [["a", "b"], ["c"]]


def test_late_report_naming_only_a_rare_town_is_a_candidate() -> None:
    """A report eight months later shares no full name with the first, only the small town's
    name: it is still compared (beyond the 60 days of text candidates)."""
    first = ("Two shot at Brindlewick fair", "Two people were shot at the fair in Brindlewick "
             "on Saturday, police said.")  # fmt: skip
    later = ("Brindlewick fair shooting suspect pleads guilty", "The man accused of the fair "
             "shooting in Brindlewick pleaded guilty on Monday.")  # fmt: skip
    docs = [_doc("a", first, date(2031, 3, 7)), _doc("b", later, date(2031, 11, 9))]
    assert (0, 1) in _features_of(docs)


def test_a_template_filled_with_other_names_is_boilerplate() -> None:
    """A site's sign-up box names each article's author ("Follow NAME to get a short letter"): the
    same sentence with three names in three texts is boilerplate, so three unrelated stories
    of one outlet with little else to say are not made alike by it; a report naming the victim
    in its own words keeps them."""
    box = "Follow {} to get a short letter each morning with the newest stories from the desk."
    stories = [
        (
            "Orchard Lane man shot while hunting",
            "Pemberly Rusk",
            "A hunter from Orchard Lane was shot in the arm near Tessaly Creek on Sunday.",
        ),
        (
            "Three hurt in Marlow Heights fire",
            "Odile Varga",
            "A kitchen fire in Marlow Heights sent three people to a hospital on Monday.",
        ),
        (
            "Quarry road closed after rockslide",
            "Bastian Lowe",
            "The road to the Fenwick quarry is closed after a rockslide on Tuesday.",
        ),
    ]
    docs = [
        EventDoc(str(n), title, f"{title}\n\n{box.format(who)} {body}", date(2031, 3, 7 + n))
        for n, (title, who, body) in enumerate(stories)
    ]
    assert sorted(e.articles for e in group_events(docs)) == [["0"], ["1"], ["2"]]
    cleaned = without_boilerplate([d.text for d in docs])
    assert all("Follow" not in text for text in cleaned)
    assert "Tessaly Creek" in cleaned[0]
    # Two texts are not a template: a sentence of one event told with two spellings stays.
    assert all("Follow" in text for text in without_boilerplate([d.text for d in docs[:2]]))


def test_title_numbers_spelled_out_and_outlets_are_pair_features() -> None:
    """ "Seven people injured" and "7 hurt" give one count; "8 injured" another. Two reports of
    one outlet are marked; an article whose outlet is not known is never of the same one."""
    stories = [
        (
            "Seven people injured in Olverton shooting",
            "Seven people were hurt on Corvane Street in Olverton late Friday, police said.",
        ),
        (
            "7 hurt in Olverton shooting on Corvane Street",
            "Police in Olverton said seven people were hurt on Corvane Street on Friday night.",
        ),
        (
            "8 injured in Olverton nightclub shooting",
            "Eight people were hurt outside a nightclub in Olverton on Saturday, police said.",
        ),
    ]
    day = date(2031, 3, 7)
    outlets = ["olverton-news.example", "OLVERTON-NEWS.example", ""]
    docs = [
        EventDoc(str(n), title, title + "\n\n" + body, day, outlet)
        for n, ((title, body), outlet) in enumerate(zip(stories, outlets, strict=True))
    ]
    features = _features_of(docs)
    assert features[(0, 1)]["title_numbers_jaccard"] == 1.0
    assert features[(0, 2)]["title_numbers_differ"] == 1.0
    assert features[(0, 1)]["same_outlet"] == 1.0
    assert features[(0, 2)]["same_outlet"] == features[(1, 2)]["same_outlet"] == 0.0


def test_short_texts_cosine_is_scaled_and_incident_days_apart_is_a_feature() -> None:
    """Two near-empty pages are alike in what little they say: their cosine counts in proportion
    to the shorter text's length (up to 1,000 characters), so the length-scaled cosine of two
    short pages is a small part of their plain cosine; two reports whose stated incident dates
    are four days apart are marked, two stating the same day are not."""
    short = [
        ("Shot on Corvane Street", "A man was shot on Corvane Street in Olverton on Friday."),
        ("Shot in Olverton", "A man was shot in Olverton on Corvane Street on Friday."),
    ]
    body = " ".join(["Police in Olverton asked witnesses of the shooting to call them."] * 20)
    long_pair = [
        ("Olverton shooting on Monday", "A man was shot in Olverton on Monday. " + body),
        ("Olverton shooting on Friday", "A man was shot in Olverton on Friday. " + body),
    ]
    day = date(2031, 3, 8)  # a Saturday: "Friday" is March 7, "Monday" March 3
    docs = [
        EventDoc(str(n), title, title + "\n\n" + text, day)
        for n, (title, text) in enumerate(short + long_pair)
    ]
    features = _features_of(docs)
    near_empty, full = features[(0, 1)], features[(2, 3)]
    assert 0 < near_empty["short_text_cosine"] < 0.2 * near_empty["text_cosine"]
    assert abs(full["short_text_cosine"] - full["text_cosine"]) < 1e-6
    assert near_empty["incident_days_apart"] == 0.0
    assert full["incident_days_apart"] == 1.0


def test_pairs_scored_elsewhere_cluster_as_group_events_does() -> None:
    """`cluster_scored` (what the out-of-fold check of `eval_events.py --cv` clusters with)
    groups pairs scored by the shipped model exactly as `group_events` does."""
    first, again, other = _OLVERTON
    docs = [
        _doc("a", first, date(2031, 3, 7)),
        _doc("b", again, date(2031, 3, 7)),
        _doc("c", other, date(2031, 3, 8)),
    ]
    found = candidate_features(docs)
    assert found is not None
    pairs, rows = found
    labels = cluster_scored(len(docs), pairs, same_event_probability(rows), LINK_THRESHOLD)
    grouped = {a: e.id for e in group_events(docs) for a in e.articles}
    assert (labels[0] == labels[1]) == (grouped["a"] == grouped["b"])
    assert (labels[0] == labels[2]) == (grouped["a"] == grouped["c"])
    assert labels[0] == labels[1] != labels[2]
