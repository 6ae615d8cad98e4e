"""Figures and the casualty summary on synthetic sentences (invented places, actors and numbers)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from wiretrace.claims.casualties import casualty_summary
from wiretrace.claims.dates import resolve_date
from wiretrace.claims.figures import Figure, find_figures, title_figures
from wiretrace.doc.article import Article

PUBLISHED = datetime(2031, 5, 14, 9, 0, tzinfo=UTC)  # a Wednesday


def _article(text: str, title: str = "", published: datetime | None = PUBLISHED) -> Article:
    return Article.create(text, title=title, published_at=published)


def _deaths(text: str, **kwargs: object) -> list[Figure]:
    return [f for f in find_figures(_article(text)) if f.kind == "killed"]


def _one(text: str) -> Figure:
    found = [f for f in find_figures(_article(text)) if f.kind != "quantity"]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "value", "low", "high"),
    [
        ("Shelling killed 12 people in Varnhold.", 12, 12, 12),
        ("Shelling killed 1,200 people in Varnhold.", 1200, 1200, 1200),
        ("Twenty-one people were killed in Varnhold.", 21, 21, 21),
        ("Two dozen people were killed in Varnhold.", 24, 24, 24),
        ("A dozen people were killed in Varnhold.", 12, 12, 12),
        ("At least 12 people were killed in Varnhold.", 12, 12, None),
        ("More than 20 people were killed in Varnhold.", 20, 21, None),
        ("Up to 30 people were killed in Varnhold.", 30, None, 30),
        ("Nearly 40 people were killed in Varnhold.", 40, None, 40),
        ("About 50 people were killed in Varnhold.", 50, None, None),
        ("Fewer than 10 people were killed in Varnhold.", 10, None, 9),
        ("Dozens of people were killed in Varnhold.", 24, 24, 99),
        ("Scores of people were killed in Varnhold.", 40, 40, 99),
        ("Hundreds of people were killed in Varnhold.", 200, 200, 999),
        ("Several people were killed in Varnhold.", 3, 3, 9),
        ("The blast killed ١٢ people in Varnhold.", 12, 12, 12),
        # a vague word before a multiplier scales its row; "well over N" is more than N
        ("Several hundred people were killed in Varnhold.", 300, 300, 900),
        ("A few hundred people died in Varnhold.", 300, 300, 900),
        ("Tens of thousands of people were killed in Varnhold.", 24000, 24000, 99000),
        (
            "The militia was accused of killing well over 1000 civilians in Varnhold.",
            1000,
            1001,
            None,
        ),
    ],
)
def test_value_forms_and_vague_amounts(
    sentence: str, value: float, low: float | None, high: float | None
) -> None:
    figure = _one(sentence)
    assert (figure.value, figure.low, figure.high, figure.kind) == (value, low, high, "killed")


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Nine people died in the fire at Varnhold.", "killed"),
        ("The death toll rose to 17 in Varnhold.", "killed"),
        ("Eight residents lost their lives in Varnhold.", "killed"),
        ("Fifteen people were wounded in Varnhold.", "wounded"),
        ("The raid injured 40 people in Varnhold.", "wounded"),
        ("Six people are missing after the flood in Varnhold.", "missing"),
        ("About 3,000 people were displaced from Varnhold.", "displaced"),
        ("Some 500 families fled Varnhold.", "fled"),
    ],
)
def test_kinds(sentence: str, kind: str) -> None:
    assert _one(sentence).kind == kind


@pytest.mark.parametrize(
    ("sentence", "group"),
    [
        ("Seven civilians were killed in Varnhold.", "civilians"),
        ("Three children were killed in Varnhold.", "children"),
        ("Two women were killed in Varnhold.", "women"),
        ("Eleven fighters were killed in Varnhold.", "non_civilians"),
        ("The ambush killed 14 soldiers near Varnhold.", "non_civilians"),
        ("Nine people were killed in Varnhold.", "people"),
        ("The blast killed 6 in Varnhold.", None),
    ],
)
def test_groups(sentence: str, group: str | None) -> None:
    assert _one(sentence).group == group


def test_including_children_is_a_sub_count() -> None:
    figures = _deaths("Strikes killed 10 people including four children in Varnhold on Monday.")
    whole, part = figures
    assert (whole.value, whole.group, whole.part_of) == (10, "people", None)
    assert (part.value, part.group, part.part_of) == (4, "children", 0)


def test_war_wide_totals_are_marked_cumulative() -> None:
    text = (
        "Shelling killed 8 civilians in Varnhold on Monday. "
        "The war has killed more than 300,000 people since 2019."
    )
    local, total = _deaths(text)
    assert not local.cumulative and total.cumulative
    summary = casualty_summary(_article(text), find_figures(_article(text)))
    assert summary["civilians"] == 8


def test_actor_place_date_and_attribution() -> None:
    text = (
        "Five civilians were killed by Ostran air strikes in Tel Marrow on Monday the monitor said."
    )
    figure = _one(text)
    assert figure.actor == "Ostran air strikes"
    assert figure.place == "Tel Marrow"
    assert figure.date == "2031-05-12"  # the Monday before Wednesday 14 May 2031
    assert figure.attributed_to == "the monitor"


def test_attribution_forms() -> None:
    assert (
        _one("Four people were killed in Varnhold according to the Lakeside Network.").attributed_to
        == "the Lakeside Network"
    )
    assert (
        _one("Mara Quell told the Courier that six people were killed in Varnhold.").attributed_to
        == "Mara Quell"
    )


def test_place_after_filler_words() -> None:
    figure = _one("Strikes on the rebel-held town of Ashvale killed 9 people.")
    assert figure.place == "Ashvale"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("on Monday", date(2031, 5, 12)),
        ("on Wednesday", date(2031, 5, 14)),
        ("yesterday", date(2031, 5, 13)),
        ("last week", date(2031, 5, 7)),
        ("last month", date(2031, 4, 14)),
        ("three days ago", date(2031, 5, 11)),
        ("on April 4", date(2031, 4, 4)),
        ("on June 4", date(2030, 6, 4)),  # after publication: last year's
        ("4 April 2029", date(2029, 4, 4)),
        ("the other day", None),
    ],
)
def test_relative_dates(phrase: str, expected: date | None) -> None:
    assert resolve_date(phrase, PUBLISHED) == expected


def test_undated_article_has_no_relative_dates() -> None:
    figure = find_figures(_article("Five people were killed on Monday.", published=None))[0]
    assert figure.date is None
    assert resolve_date("last month", None) is None
    assert resolve_date("on February 30", PUBLISHED) is None  # no such day: no crash


def test_quantities_with_units() -> None:
    text = "The convoy travelled 35 miles. About 230 families and two schools were in Varnhold."
    found = [(f.value, f.unit) for f in find_figures(_article(text)) if f.kind == "quantity"]
    assert (35, "miles") in found and (230, "families") in found and (2, "schools") in found


def test_dates_and_years_are_not_figures() -> None:
    assert _deaths("On 4 May 2031 the ceasefire in Varnhold held.") == []


def test_summary_title_first() -> None:
    article = _article(
        "Shelling killed 14 people including three children and two women in Ashvale. "
        "Earlier 30 people were killed elsewhere.",
        title="Shelling kills 14 in Ashvale",
    )
    summary = casualty_summary(article, find_figures(article))
    assert _groups(summary) == {"civilians": 14, "children": 3, "women": 2, "non_civilians": 0}


def test_summary_title_with_only_combatants_means_no_civilians() -> None:
    article = _article(
        "Clashes killed 25 fighters near Ashvale. Four people died in a fire in Varnhold.",
        title="Clashes kill 25 fighters near Ashvale",
    )
    summary = casualty_summary(article, find_figures(article))
    assert summary["civilians"] == 0 and summary["non_civilians"] == 25


def test_summary_vague_title_takes_stated_body_count() -> None:
    article = _article(
        "Air raids killed at least 31 civilians in Ashvale on Monday.",
        title="Air raids kill dozens in Ashvale",
    )
    assert casualty_summary(article, find_figures(article))["civilians"] == 31


def test_summary_people_less_fighters_among_them() -> None:
    article = _article(
        "Strikes killed 40 people in Ashvale. Six fighters were among the dead.",
        title="Strikes kill 40 in Ashvale",
    )
    summary = casualty_summary(article, find_figures(article))
    assert summary["civilians"] == 34 and summary["non_civilians"] == 6


def test_summary_children_title_uses_the_body_whole() -> None:
    article = _article(
        "Raids killed 9 people including five children in Ashvale.",
        title="Five children killed in Ashvale",
    )
    summary = casualty_summary(article, find_figures(article))
    assert summary["civilians"] == 9 and summary["children"] == 5


def test_empty_and_no_deaths() -> None:
    empty = _article("")
    assert find_figures(empty) == []
    assert title_figures(empty) == []
    assert casualty_summary(empty, [])["civilians"] is None
    quiet = _article("The market in Varnhold reopened.")
    assert _groups(casualty_summary(quiet, find_figures(quiet))) == dict.fromkeys(
        ("civilians", "children", "women", "non_civilians")
    )


def test_to_dict_has_contract_fields() -> None:
    out = _one("Seven civilians were killed in Varnhold.").to_dict()
    for key in (
        "value",
        "low",
        "high",
        "kind",
        "group",
        "unit",
        "actor",
        "place",
        "date",
        "attributed_to",
        "start",
        "end",
        "sentence_index",
    ):
        assert key in out


def test_offsets_point_into_the_text() -> None:
    article = _article("Reports said that at least 12 civilians were killed in Varnhold.")
    figure = find_figures(article)[0]
    assert article.text[figure.start : figure.end] == "at least 12"


def test_death_toll_far_before_the_count() -> None:
    """Regression: "the death toll from ... had climbed to 12 civilians" is a kill count."""
    article = Article.create(
        "The monitors said the death toll from Monday's shelling of two ferries near the old "
        "mill had climbed to 12 civilians, including eight children.",
        title="t",
    )
    found = {(f.kind, f.value, f.group) for f in find_figures(article)}
    assert ("killed", 12.0, "civilians") in found and ("killed", 8.0, "children") in found


def _groups(summary: dict[str, int | None]) -> dict[str, int | None]:
    """The FA-KES group keys of a casualties summary (it also has killed, injured ...)."""
    return {key: summary[key] for key in ("civilians", "children", "women", "non_civilians")}


def _summary(text: str, title: str = "") -> dict[str, int | None]:
    article = _article(text, title=title)
    return casualty_summary(article, find_figures(article))


def test_whole_before_including_takes_the_parts_kind() -> None:
    whole, part = _deaths("At least 40 people including 27 civilians were killed in Varnhold.")
    assert (whole.value, whole.group, whole.part_of) == (40, "people", None)
    assert (part.value, part.group, part.part_of) == (27, "civilians", 0)
    assert _groups(
        _summary("At least 40 people including 27 civilians were killed in Varnhold.")
    ) == {
        "civilians": 27,
        "children": 0,
        "women": 0,
        "non_civilians": 0,
    }


def test_parts_among_a_later_whole_and_parts_of_parts() -> None:
    text = "Four civilians including a child were among at least 19 people killed in Ashvale."
    four, child, whole = _deaths(text)
    assert (whole.value, whole.part_of) == (19, None)
    assert four.part_of == 2 and child.part_of == 0
    summary = _summary(text, title="Raids on Ashvale kill 19")
    assert summary["civilians"] == 4 and summary["children"] == 1


def test_among_the_dead_count_is_the_whole() -> None:
    part, whole = _deaths("Seven children were among the 40 people killed in Varnhold.")
    assert (whole.value, whole.part_of) == (40, None) and part.part_of == 1
    title = [f for f in title_figures(_article("", title="3 medics among 43 dead in Varnhold"))]
    assert [(f.value, f.part_of) for f in title] == [(3, 1), (43, None)]


def test_war_planes_are_not_a_war_wide_total() -> None:
    (figure,) = _deaths("Strikes by war planes on Ashvale on Sunday have killed 36 civilians.")
    assert not figure.cumulative


def test_digit_runs_are_separate_numbers_unless_grouped_by_thousands() -> None:
    assert [f.value for f in _deaths("Posted 09:42 17 nurses were killed in Varnhold.")] == [17]
    assert [f.value for f in _deaths("On 4 May 2031 Two civilians were killed in Varnhold.")] == [2]
    assert [f.value for f in _deaths("Over 2 000 residents have been killed in Varnhold.")] == [
        2000
    ]


def test_from_one_family_is_not_a_count() -> None:
    assert [(f.value, f.group) for f in _deaths("Five residents from one family were killed.")] == [
        (5, "civilians")
    ]


def test_vague_dead_and_wounded_is_not_a_death_count() -> None:
    assert _summary("The raid left tens of dead and wounded in Varnhold.")["civilians"] is None
    assert _summary("Shelling left dozens dead in Varnhold.")["civilians"] == 24


def test_title_counting_combatants_takes_the_body_whole_they_are_part_of() -> None:
    summary = _summary(
        "A bomb in Varnhold killed 13 people including four policemen.",
        title="Four policemen killed in Varnhold blast",
    )
    assert summary["civilians"] == 9 and summary["non_civilians"] == 4


def test_vague_children_title_takes_the_body_whole_with_children() -> None:
    summary = _summary(
        "A car bomb hit a convoy near Ashvale. At least 60 children were among the 110 people "
        "killed in the attack.",
        title="Dozens of children dead in Ashvale bombing",
    )
    assert summary["civilians"] == 110 and summary["children"] == 60


def test_first_incident_of_combatants_only_means_no_civilians() -> None:
    summary = _summary(
        "Strikes near Ashvale killed at least one fighter. "
        "Elsewhere in the province four civilians were killed in Varnhold."
    )
    assert summary["civilians"] == 0 and summary["non_civilians"] == 1


def test_others_in_the_same_sentence_add_to_the_main_count() -> None:
    text = "Gunmen beheaded two people and executed 14 others in Varnhold this week."
    assert _summary(text)["civilians"] == 16


def test_unnamed_count_broken_down_into_combatants_only() -> None:
    summary = _summary(
        "Days of fighting for the Ashvale base cost more than 300 lives. "
        "At least 190 militants and 110 soldiers were killed, the monitor said.",
        title="Hundreds dead in battle for Ashvale base",
    )
    assert summary["civilians"] == 0 and summary["non_civilians"] == 190


def test_children_and_women_only_from_the_main_incident() -> None:
    summary = _summary(
        "Shelling killed 8 civilians in Varnhold on Monday. The town was quiet on Tuesday. "
        "Food ran short on Wednesday. Aid arrived on Thursday. In a separate attack in "
        "Ashvale last month three women were killed.",
        title="Shelling kills 8 civilians in Varnhold",
    )
    assert _groups(summary) == {"civilians": 8, "children": 0, "women": 0, "non_civilians": 0}


def test_find_dates_reads_mixed_case_and_this_morning() -> None:
    from wiretrace.claims.dates import find_dates

    found = find_dates("Strikes on MONDAY and again this morning hit Varnhold.", PUBLISHED)
    assert [day for _, _, day in found] == [date(2031, 5, 12), date(2031, 5, 14)]
    assert find_dates("No date here at all.", PUBLISHED) == []


def test_report_json_matches_each_items_own_to_dict() -> None:
    from wiretrace.claims import extract_claims

    article = _article(
        'Mara Quell said six people were killed in Varnhold. "We are afraid," she told the Courier.'
    )
    report = extract_claims(article)
    out = report.to_dict()
    assert out["quotes"] == [q.to_dict() for q in report.quotes] and out["quotes"]
    assert out["figures"] == [f.to_dict() for f in report.figures]


def test_letters_with_longer_lower_case_keep_offsets() -> None:
    article = _article("İzmirvale: 5 people were killed in Varnhold.")
    (figure,) = _deaths("İzmirvale: 5 people were killed in Varnhold.")
    assert article.text[figure.start : figure.end] == "5" and figure.group == "people"


@pytest.mark.parametrize(
    ("sentence", "value", "group"),
    [
        # a toll far before its verb, and toll-like subjects
        (
            "The death toll from the shelling of Varnhold on Tuesday reached at least 137.",
            137,
            None,
        ),
        ("The number of victims of the bombing in Varnhold has reached 40 people.", 40, "people"),
        ("The number of people killed in the raid on Varnhold rose to 40.", 40, None),
        ("The toll of the collapse in Varnhold rises to 33.", 33, None),
        # massacre verbs, a quoted object
        ("Raiders massacred 40 soldiers in Varnhold.", 40, "non_civilians"),
        ('Jets struck Varnhold, killing "50 raiders."', 50, None),
        # a prepositional phrase between the count and its verb
        (
            "At least 29 fighters from the Kestrel brigade were killed in Varnhold.",
            29,
            "non_civilians",
        ),
        (
            "At least 33 members of the Kestrel organisation were killed on Tuesday.",
            33,
            "non_civilians",
        ),
        ("The captain and three of his comrades were killed in Varnhold.", 3, "non_civilians"),
        # a breakdown without numbers between the count and its verb
        ("Dozens of civilians including children were killed in Varnhold.", 24, "civilians"),
        ("Ten civilians, some of them children, were killed in Varnhold.", 10, "civilians"),
        # bodies are deaths
        ("Rescuers pulled eleven bodies from the rubble in Varnhold.", 11, None),
        ("The bodies of 16 children were found in Varnhold.", 16, "children"),
    ],
)
def test_more_death_phrasings(sentence: str, value: float, group: str | None) -> None:
    figure = _one(sentence)
    assert (figure.kind, figure.value, figure.group) == ("killed", value, group)


def test_leaving_dead_with_a_parenthetical_part() -> None:
    whole, part = _deaths(
        "The strike on Varnhold left 23 civilians, among them five children, dead."
    )
    assert (whole.value, whole.group, whole.part_of) == (23, "civilians", None)
    assert (part.value, part.group, part.part_of) == (5, "children", 0)
    whole, part = _deaths("Sixteen civilians - including three children - were killed in Varnhold.")
    assert (whole.value, part.value, part.part_of) == (16, 3, 0)


def test_whole_takes_the_verb_of_coordinated_parts() -> None:
    whole, woman, children = _deaths(
        "Six residents including a woman and two children were killed in Varnhold."
    )
    assert (whole.value, whole.group) == (6, "civilians")
    assert (woman.part_of, children.part_of) == (0, 0)


@pytest.mark.parametrize(
    ("text", "value", "group"),
    [
        ("Shelling killed 9 people in Varnhold. Among the dead were 4 children.", 4, "children"),
        ("Shelling killed 9 people in Varnhold. Five of the dead were children.", 5, "children"),
        ("Shelling killed 9 people in Varnhold. The victims included 3 women.", 3, "women"),
        ("Shelling killed 9 people in Varnhold, 5 of them children.", 5, "children"),
    ],
)
def test_parts_of_the_dead(text: str, value: float, group: str) -> None:
    _whole, part = _deaths(text)
    assert (part.value, part.group, part.part_of) == (value, group, 0)


def test_colon_breakdown_gives_parts() -> None:
    text = (
        "The number of victims in Varnhold has reached 90 people as follows: 20 fighters "
        "70 civilians including 30 children and 10 women."
    )
    total, *parts = _deaths(text)
    assert total.value == 90
    assert [(p.value, p.group, p.part_of) for p in parts] == [
        (20, "non_civilians", 0),
        (70, "civilians", 0),
        (30, "children", 0),
        (10, "women", 0),
    ]
    summary = casualty_summary(_article(text), find_figures(_article(text)))
    assert _groups(summary) == {"civilians": 70, "children": 30, "women": 10, "non_civilians": 20}


def test_bringing_to_a_new_total_is_a_running_total() -> None:
    text = (
        "Jets struck Varnhold, killing 12 people, bringing to 45 the number killed this week. "
        "Five children were among the dead."
    )
    first, total, part = _deaths(text)
    assert total.cumulative and not first.cumulative
    assert part.part_of == 0
    summary = casualty_summary(_article(text), find_figures(_article(text)))
    assert (summary["civilians"], summary["children"]) == (12, 5)


def test_vague_part_is_not_subtracted() -> None:
    text = (
        "A car bomb killed 43 people in Varnhold. Most of the dead were travellers but they also "
        "included several guards."
    )
    summary = casualty_summary(_article(text), find_figures(_article(text)))
    assert (summary["civilians"], summary["non_civilians"]) == (43, 0)


def test_children_counted_as_part_of_another_count_near_the_title_incident() -> None:
    article = _article(
        "Rockets killed 6 civilians including a woman and two children in Varnhold. "
        "Four civilians were killed in Ashvale.",
        title="10 civilians killed in rocket attacks on Varnhold and Ashvale",
    )
    summary = casualty_summary(article, find_figures(article))
    assert _groups(summary) == {"civilians": 10, "children": 2, "women": 1, "non_civilians": 0}
