"""Killed and injured of the main incident in crime and accident news (claims/victims.py)."""

from __future__ import annotations

from wiretrace.claims.casualties import casualty_summary
from wiretrace.claims.figures import find_figures
from wiretrace.claims.victims import main_incident_victims, sentence_victims
from wiretrace.doc.article import Article


def _counts(text: str, title: str = "") -> tuple[int | None, int | None]:
    summary = main_incident_victims(Article.create(text, title=title))
    return summary["killed"], summary["injured"]


def test_single_victim_without_a_number() -> None:
    assert _counts("A man was shot and killed in Brindle Park on Friday night.") == (1, 0)
    assert _counts("Police said a woman was fatally shot outside a store in Olverton.") == (1, 0)
    assert _counts("A teenager was shot dead near the Quarry Lane bus stop.") == (1, 0)


def test_named_victim_with_apposition() -> None:
    text = "Tobin Marsh, a 31-year-old cook, was shot and killed Tuesday in the 4400 block of Elm."
    assert _counts(text) == (1, 0)


def test_critical_condition_is_not_a_death() -> None:
    text = "A man was shot in the chest and is in critical condition at Olverton General."
    assert _counts(text) == (0, 1)


def test_block_numbers_and_ages_are_not_counts() -> None:
    text = (
        "A 55-year-old man was wounded in the 9700 block of Harrow Road. "
        "He was taken to a hospital."
    )
    assert _counts(text) == (0, 1)


def test_counts_and_one_fatally() -> None:
    assert _counts("Three people were shot, one fatally, outside a bar in Olverton.") == (1, 2)
    assert _counts("Two men were killed and four others were wounded at a party.") == (2, 4)


def test_title_counts_first() -> None:
    text = "Two people died after gunfire at a Brindle Park cookout on Sunday."
    assert _counts(text, title="1 dead, 2 hurt in Brindle Park shooting") == (1, 2)


def test_second_victim_is_counted() -> None:
    text = "A man was shot and killed on Pell Street. Another man was wounded in the leg."
    assert _counts(text) == (1, 1)


def test_period_totals_are_cumulative() -> None:
    found = sentence_victims("Officers fatally shot 965 people in 2015, a study found.", 0, 0)
    assert found == [] or all(m.cumulative for m in found)
    text = "A man was shot by an officer in Olverton. 40 people were killed in the city this year."
    assert _counts(text) == (0, 1)
    mentions = sentence_victims("40 people were killed in the city this year.", 0, 1)
    assert [m.cumulative for m in mentions] == [True]


def test_shooter_in_the_active_voice_is_not_a_victim() -> None:
    text = "Police said Dorin Vale shot twice at the neighbor's trailer. No one was hurt."
    assert _counts(text, title="Man arrested after gunfire at trailers") == (None, None)


def test_missing_and_kidnapped() -> None:
    summary = main_incident_victims(
        Article.create("Two fishermen were kidnapped and three villagers are missing near Ostra.")
    )
    assert (summary["kidnapped"], summary["missing"]) == (2, 3)


def test_summary_has_both_key_sets() -> None:
    article = Article.create("A woman was shot and wounded in Olverton.", title="Woman shot")
    summary = casualty_summary(article, find_figures(article))
    assert {"civilians", "children", "women", "non_civilians"} <= set(summary)
    assert (summary["killed"], summary["injured"]) == (0, 1)
