"""Sentence splitter tests on synthetic sentences (no third-party text)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.doc.segment import soft_breaks, split_sentences


def sents(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Lt. Gen. Mark Example said the column had stopped. It moved again at noon.",
            ["Lt. Gen. Mark Example said the column had stopped.", "It moved again at noon."],
        ),
        (
            "The plan was approved. Gov. Ann Sample signed it. Dr. Lee and Mr. Park objected.",
            [
                "The plan was approved.",
                "Gov. Ann Sample signed it.",
                "Dr. Lee and Mr. Park objected.",
            ],
        ),
        (
            "The vote was moved to Jan. 12 after a delay. It is item No. 5 on the list.",
            ["The vote was moved to Jan. 12 after a delay.", "It is item No. 5 on the list."],
        ),
        (
            "The meeting began at 9 a.m. on Friday and ended late.",
            ["The meeting began at 9 a.m. on Friday and ended late."],
        ),
        (
            "The U.S. Army sent two units to the border town.",
            ["The U.S. Army sent two units to the border town."],
        ),
        (
            "The envoy flew back to the U.S. The talks resume next week.",
            ["The envoy flew back to the U.S.", "The talks resume next week."],
        ),
        (
            "The council voted on the budget. Sen. Ravi Example said it was too small.",
            ["The council voted on the budget.", "Sen. Ravi Example said it was too small."],
        ),
        (
            "Paula J. Example chaired the panel. Rep. Tom Sample spoke next.",
            ["Paula J. Example chaired the panel.", "Rep. Tom Sample spoke next."],
        ),
        (
            "The case was Alpha v. Beta in the lower court.",
            ["The case was Alpha v. Beta in the lower court."],
        ),
    ],
)
def test_abbreviations(text: str, expected: list[str]) -> None:
    assert sents(text) == expected


def test_abbreviation_at_line_start() -> None:
    text = "Lt. Gen. Pat Sample inspected the base.\nGen. Kim Example followed on Monday."
    assert sents(text) == [
        "Lt. Gen. Pat Sample inspected the base.",
        "Gen. Kim Example followed on Monday.",
    ]


def test_two_sentence_quote_splits_inside_and_keeps_quote_marks() -> None:
    text = '"We will rebuild the bridge. It will take a year," the mayor said. Work starts soon.'
    assert sents(text) == [
        '"We will rebuild the bridge.',
        'It will take a year," the mayor said.',
        "Work starts soon.",
    ]


def test_closing_quote_after_period_belongs_to_sentence() -> None:
    text = "She said: “The road is closed.” Drivers turned back."
    assert sents(text) == ["She said: “The road is closed.”", "Drivers turned back."]


def test_question_in_quote_followed_by_lowercase_attribution() -> None:
    text = "“Where is the convoy?” he asked. Nobody answered."
    assert sents(text) == ["“Where is the convoy?” he asked.", "Nobody answered."]


def test_quote_attribution_with_dash_stays_attached() -> None:
    text = "“We will keep going.” ― Jo Example\n“Not today.”― Sam Sample"
    assert sents(text) == ["“We will keep going.” ― Jo Example", "“Not today.”― Sam Sample"]


@pytest.mark.parametrize(
    "text",
    [
        "BEIRUT (Reuters) - Rescue teams reached the village on Tuesday. Roads were blocked.",
        "WASHINGTON, June 5 (AP) — The committee delayed the vote. Members left early.",
        "SPRINGFIELD, Ill. - The plant closed on Monday. Workers gathered outside.",
    ],
)
def test_dateline_stays_with_first_sentence(text: str) -> None:
    first, second = sents(text)
    assert text.startswith(first)
    assert first.split()[0].isupper() and first.endswith(".")
    assert second[0].isupper()


def test_byline_and_headline_lines_are_their_own_segments() -> None:
    text = (
        "Storm Floods Coastal Towns\n"
        "By Jane Doe\n\n"
        "Heavy rain flooded three towns overnight. Schools stayed shut.\n"
        "Officials Promise Aid\n"
        "The state will send money."
    )
    assert sents(text) == [
        "Storm Floods Coastal Towns",
        "By Jane Doe",
        "Heavy rain flooded three towns overnight.",
        "Schools stayed shut.",
        "Officials Promise Aid",
        "The state will send money.",
    ]


def test_paragraph_break_always_ends_a_sentence() -> None:
    text = "The talks were led by Mr.\nSmith arrived later\n\nand the rest of the"
    spans = split_sentences(text)
    assert sents(text) == [
        "The talks were led by Mr.",
        "Smith arrived later",
        "and the rest of the",
    ]
    for s, e in spans:
        assert "\n" not in text[s:e]


def test_offsets_slice_text_exactly_with_unicode() -> None:
    text = "  Café owners in Zürich met — again. Prices rose 5% 😀.\n\n\xa0Ça va? Oui.  "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Café owners in Zürich met — again.",
        "Prices rose 5% 😀.",
        "Ça va?",
        "Oui.",
    ]


def test_empty_and_blank() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t ") == []


def test_long_single_line_is_split_in_bounded_windows() -> None:
    unit = "The panel met on Tuesday. Mr. Example said the budget was fine. "
    text = unit * 5000  # ~320 KB on one line, several blingfire windows
    spans = split_sentences(text)
    assert len(spans) == 10000
    assert all(text[s:e] in unit for s, e in spans)


_ALPHABET = st.sampled_from([*"abc XYZ.?!\"'“”()—-\n\t,;:0123", "Mr.", "U.S.", "é", "😀"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join) | st.text(max_size=200))
def test_span_invariants(text: str) -> None:
    spans = split_sentences(text)
    soft = set(soft_breaks(text))
    prev_end = 0
    covered = 0
    for s, e in spans:
        assert prev_end <= s < e <= len(text)  # ordered, non-overlapping, non-empty, in bounds
        piece = text[s:e]
        assert piece == piece.strip()  # no leading or trailing whitespace
        # never crosses a line break, except the soft breaks of a hard-wrapped text
        assert all(s + k in soft for k, c in enumerate(piece) if c == "\n")
        assert text[prev_end:s].strip() == ""  # only whitespace between sentences
        covered += len(piece)
        prev_end = e
    assert text[prev_end:].strip() == ""
    # Every non-space character is in exactly one sentence.
    assert sum(not c.isspace() for c in text) == sum(
        not c.isspace() for s, e in spans for c in text[s:e]
    )
    assert covered <= len(text)


WRAPPED = (
    "Engineers from the Marrowby Water Board said on Monday that the spillway\n"
    "gates of the Quell dam would stay open until Thursday, after heavy rain\n"
    "raised the reservoir to its highest level in a decade. The board's chief\n"
    "engineer, Ilse Varno, told reporters that 42 homes had been evacuated.\n"
    "\n"
    "Volunteers opened a second shelter at the Carden Road sports hall. About\n"
    "300 people slept there on Sunday night, the coordinator said.\n"
)


def test_hard_wrapped_text_is_split_at_sentences_not_lines() -> None:
    assert [" ".join(s.split()) for s in sents(WRAPPED)] == [
        "Engineers from the Marrowby Water Board said on Monday that the spillway gates of the "
        "Quell dam would stay open until Thursday, after heavy rain raised the reservoir to its "
        "highest level in a decade.",
        "The board's chief engineer, Ilse Varno, told reporters that 42 homes had been evacuated.",
        "Volunteers opened a second shelter at the Carden Road sports hall.",
        "About 300 people slept there on Sunday night, the coordinator said.",
    ]


def test_lines_of_headlines_are_not_taken_for_a_wrap() -> None:
    text = (
        "Quell dam opens its spillway gates after a week of heavy rain in the hills\n"
        "Marrowby Water Board evacuates 42 homes in the lower districts overnight\n"
        "Volunteers open a second shelter at the Carden Road sports hall on Monday\n"
        "Ferry services across the estuary suspended until the water level falls\n"
    )
    assert soft_breaks(text) == []
    assert len(sents(text)) == 4
