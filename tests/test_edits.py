"""Sentence edits (`trace/edits.py`), on invented sentences about invented places and outlets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wiretrace.trace.edits import Change, diff_sentences, is_number_token, number_value

TOLL = (
    "The Velmora Relief Committee said the toll had climbed to 21 civilians, "
    "including eight children."
)


def kinds(source: str, target: str) -> list[tuple[str, str, str, bool]]:
    return [(c.kind, c.from_, c.to, c.factual) for c in diff_sentences(source, target)]


def assert_offsets_slice(source: str, target: str, changes: list[Change]) -> None:
    for change in changes:
        assert source[change.source_start : change.source_end] == change.from_
        assert target[change.target_start : change.target_end] == change.to


def test_identical_sentences_have_no_changes() -> None:
    assert diff_sentences(TOLL, TOLL) == []


def test_case_and_whitespace_are_not_changes() -> None:
    target = (
        "the velmora relief  committee said\nthe toll had climbed to 21 CIVILIANS, "
        "including eight children."
    )
    assert diff_sentences(TOLL, target) == []


def test_hyphen_spacing_and_quote_style_are_not_changes() -> None:
    source = "The Caldra-led coalition said 'no'."
    assert diff_sentences(source, "The Caldra -led coalition said ’no’.") == []


def test_number_change_is_factual_with_exact_offsets() -> None:
    target = TOLL.replace("21", "12")
    changes = diff_sentences(TOLL, target)
    assert [(c.kind, c.from_, c.to, c.factual) for c in changes] == [("number", "21", "12", True)]
    (change,) = changes
    assert (change.source_start, change.source_end) == (TOLL.index("21"), TOLL.index("21") + 2)
    assert target[change.target_start : change.target_end] == "12"
    assert change.to_dict() == {
        "kind": "number",
        "from": "21",
        "to": "12",
        "factual": True,
        "source_start": change.source_start,
        "source_end": change.source_end,
        "target_start": change.target_start,
        "target_end": change.target_end,
    }


def test_number_word_change() -> None:
    target = TOLL.replace("eight children", "five children")
    assert kinds(TOLL, target) == [("number", "eight", "five", True)]
    assert kinds("Twenty-one boats sank.", "Twenty-two boats sank.") == [
        ("number", "Twenty-one", "Twenty-two", True)
    ]


def test_vague_amount_replacing_a_digit_is_a_number_change() -> None:
    target = TOLL.replace("21 civilians", "dozens of civilians")
    assert kinds(TOLL, target) == [("number", "21", "dozens of", True)]


def test_dropped_qualifier_is_a_number_change() -> None:
    source = "Rescuers said at least 14 people were missing."
    target = "Rescuers said 14 people were missing."
    assert kinds(source, target) == [("number", "at least 14", "14", True)]


def test_same_figure_in_another_form_is_a_word_change() -> None:
    source = "The blast killed 40 people near the ferry."
    assert kinds(source, source.replace("40", "forty")) == [("word", "40", "forty", False)]
    assert kinds(source, source.replace("40", "1,040")) == [("number", "40", "1,040", True)]


def test_outlet_swap_is_a_factual_entity_change() -> None:
    source = "Col. Arno Pell told Northwire the crossing would be long and costly."
    target = "Col. Arno Pell told Lumen TV the crossing would be long and costly."
    assert kinds(source, target) == [("entity", "Northwire", "Lumen TV", True)]


def test_place_swap_is_an_entity_change() -> None:
    source = "The militia took the dam at Tarrow, 64 km upstream, in April."
    target = "The militia took the dam at Kesk, 64 km upstream, in April."
    assert kinds(source, target) == [("entity", "Tarrow", "Kesk", True)]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("U.S.", "USA"),
        ("U.S.", "US"),
        ("United Nations", "UN"),
        ("Caldra", "Caldran"),
        # Known aliases (doc/names.py): no letters in common.
        ("ISIS", "Daesh"),
        ("IS", "ISIS"),
        ("Islamic State", "ISIL"),
        ("Britain", "UK"),
        ("AFP", "Agence France-Presse"),
    ],
)
def test_same_entity_in_another_form_is_a_word_change(before: str, after: str) -> None:
    source = f"The {before} envoy to Velmora left on Friday."
    target = f"The {after} envoy to Velmora left on Friday."
    assert kinds(source, target) == [("word", before, after, False)]


def test_another_name_of_a_country_with_its_article_is_a_word_change() -> None:
    source = "The US envoy said the talks in Velmora would resume on Friday."
    target = "America's envoy said the talks in Velmora would resume on Friday."
    assert [c.factual for c in diff_sentences(source, target)] == [False]


def test_two_known_names_that_are_different_entities_stay_an_entity_change() -> None:
    source = "Envoys of the UN met in Velmora on Friday."
    target = "Envoys of the EU met in Velmora on Friday."
    assert kinds(source, target) == [("entity", "UN", "EU", True)]


def test_names_facing_each_other_only_in_the_diff_are_not_a_swap() -> None:
    # The source's outlet and the copy's town are different slots: what went and what came.
    source = "Jets struck targets near the town, Lumen TV reporters said on Tuesday."
    target = "Jets struck targets near the town of Kesk on Tuesday."
    found = kinds(source, target)
    assert ("delete", "Lumen TV", "", True) in found
    assert ("insert", "", "Kesk", True) in found
    assert not [k for k in found if k[0] == "entity"]


def test_a_list_of_names_is_not_one_name_swapped() -> None:
    source = "Aid reached the camp in Caldra, Velmora officials said."
    target = "Aid reached the camp in Kesk officials said."
    found = kinds(source, target)
    assert not [k for k in found if k[0] == "entity"]
    assert ("insert", "", "Kesk", True) in found


def test_adjective_variant_of_a_name_reports_the_whole_compound() -> None:
    source = "The Aldmark-backed alliance says it holds a fifth of the town."
    target = "The Aldmarkian-backed alliance says it holds a fifth of the town."
    assert kinds(source, target) == [("word", "Aldmark-backed", "Aldmarkian-backed", False)]


def test_loaded_word_swap_is_a_word_change() -> None:
    source = "Covenant fighters launched a counterattack at dawn on Wednesday."
    target = "Covenant terrorists launched a counterattack at dawn on Wednesday."
    assert kinds(source, target) == [("word", "fighters", "terrorists", False)]


def test_inserted_clause_is_one_insert_change() -> None:
    source = "Troops entered the Tannery district before dawn."
    target = "Troops entered the Tannery district, where 300 families still live, before dawn."
    changes = diff_sentences(source, target)
    assert [(c.kind, c.from_, c.to, c.factual) for c in changes] == [
        ("insert", "", "where 300 families still live", True)
    ]
    assert changes[0].source_start == changes[0].source_end == source.index(" before")
    assert_offsets_slice(source, target, changes)


def test_deleted_clause_is_one_delete_change() -> None:
    source = "Troops entered the district, a maze of workshops on the riverbank, before dawn."
    target = "Troops entered the district before dawn."
    assert kinds(source, target) == [("delete", "a maze of workshops on the riverbank", "", False)]


def test_clause_with_inner_punctuation_is_one_factual_insert() -> None:
    source = "Pell said 14 died."
    target = "Pell said 14 died, the council said, and 3 more were hurt."
    changes = diff_sentences(source, target)
    assert [(c.kind, c.from_, c.to, c.factual) for c in changes] == [
        ("insert", "", "the council said, and 3 more were hurt", True)
    ]
    assert_offsets_slice(source, target, changes)


def test_name_after_a_closing_quote_is_an_entity() -> None:
    source = '"It will be brutal," Orvash said on Monday.'
    target = '"It will be brutal," Marrick said on Monday.'
    assert kinds(source, target) == [("entity", "Orvash", "Marrick", True)]


def test_sentence_initial_capital_alone_is_not_taken_for_a_name() -> None:
    assert kinds("Fighters crossed the river.", "Militants crossed the river.") == [
        ("word", "Fighters", "Militants", False)
    ]


def test_several_edits_come_in_order() -> None:
    source = "Northwire said 21 fighters died in Sarvell on Monday, the watchdog added."
    target = "Lumen TV said dozens of terrorists died in Kesk on Monday."
    assert kinds(source, target) == [
        ("entity", "Northwire", "Lumen TV", True),
        ("number", "21", "dozens of", True),
        ("word", "fighters", "terrorists", False),
        ("entity", "Sarvell", "Kesk", True),
        ("delete", "the watchdog added", "", False),
    ]


def test_offsets_slice_the_change_text_in_both_sentences() -> None:
    source = "On Monday, Pell said about 1,200 people had fled Tarrow; the council denied it."
    target = "On Tuesday, Pell said nearly 1,200 people fled the Kesk area, the council said."
    changes = diff_sentences(source, target)
    assert changes
    assert_offsets_slice(source, target, changes)


def test_number_helpers() -> None:
    assert is_number_token("12") and is_number_token("1,200") and is_number_token("twenty-one")
    assert is_number_token("dozens") and is_number_token("Scores")
    assert not is_number_token("fighters") and not is_number_token("")
    assert number_value("12") == 12.0
    assert number_value("1,200") == 1200.0
    assert number_value("3.5") == 3.5
    assert number_value("twenty-one") == 21.0
    assert number_value("three") == 3.0
    assert number_value("two hundred and five") == 205.0
    assert number_value("4 million") == 4_000_000.0
    assert number_value("dozens") is None
    assert number_value("fighters") is None


TEXTS = st.text(alphabet=st.sampled_from("aB1 ,.-'\"Xyz9U.S"), max_size=60) | st.text(max_size=40)


@given(TEXTS)
def test_diff_of_a_text_with_itself_is_empty(text: str) -> None:
    assert diff_sentences(text, text) == []


@given(TEXTS, TEXTS)
def test_offsets_always_slice_the_change_text(source: str, target: str) -> None:
    changes = diff_sentences(source, target)
    assert_offsets_slice(source, target, changes)
    assert all(c.from_ == "" for c in changes if c.kind == "insert")
    assert all(c.to == "" for c in changes if c.kind == "delete")


@given(st.text(alphabet=st.sampled_from("aB1 ,.-'\"Xyz9U.S\n"), max_size=60))
def test_case_and_spacing_variants_of_a_text_have_no_changes(text: str) -> None:
    assert diff_sentences(text, text.swapcase().replace(" ", "  \n")) == []
