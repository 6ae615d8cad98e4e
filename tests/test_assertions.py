"""Assertion classes, loaded-language spans and stitching artifacts on synthetic sentences."""

from __future__ import annotations

import pytest

from wiretrace.claims import layers
from wiretrace.claims.artifacts import find_artifacts, title_artifacts, truncated_title
from wiretrace.claims.assertions import (
    DETECTOR,
    DOUBT,
    EXAGGERATION,
    FEAR,
    LEXICON,
    LOADED_LANGUAGE,
    NAME_CALLING,
    LoadedSpan,
    classify_assertion,
    classify_sentences,
    find_loaded,
    loaded_spans,
)
from wiretrace.claims.components import CLAIMS
from wiretrace.doc import pipeline
from wiretrace.doc.article import Article


def article(body: str, title: str = "Militia Units Cross the Tessel") -> Article:
    return Article.create(body, title=title)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The convoy reached Velmora on Tuesday, the ministry said.", "attributed"),
        ("According to Arno Pell, the convoy reached Velmora.", "attributed"),
        ("Pell told Northwire the convoy had arrived.", "attributed"),
        ("The council reportedly moved its offices to Caldra.", "attributed"),
        ('"We will hold the bridge until the end of the week," the commander said.', "attributed"),
        ('"We are moving in full coordination with the coalition."', "attributed"),
        ("The convoy reached Velmora on Tuesday.", "unattributed"),
        ("The butchers of the Covenant turned the school into a torture chamber.", "unattributed"),
        ("The council should resign before the vote.", "opinion"),
        ("The blockade of Velmora is shameful.", "opinion"),
        ("Caldra shelled the villages for years while the world did nothing.", "unattributed"),
        ("Who will pay for the ruined harbour?", "opinion"),
    ],
)
def test_assertion_classes(sentence: str, expected: str) -> None:
    assert classify_assertion(sentence) == expected


def techniques(text: str) -> dict[str, str]:
    return {span.text: span.technique for span in find_loaded(text)}


def test_name_calling_and_merge_of_adjacent_spans() -> None:
    found = techniques("The cowardly thugs and their paymasters in Caldra fled the regime.")
    assert found == {
        "cowardly thugs": NAME_CALLING,
        "paymasters": NAME_CALLING,
        "regime": NAME_CALLING,
    }


def test_loaded_language() -> None:
    found = techniques("Militias turned the clinic into torture chambers, cheering every atrocity.")
    assert found == {
        "torture chambers": LOADED_LANGUAGE,
        "cheering every atrocity": LOADED_LANGUAGE,
    }


def test_genocide_as_assertion_but_not_as_reported_accusation() -> None:
    assert techniques("Caldra has been committing genocide in the hills.") == {
        "genocide": LOADED_LANGUAGE
    }
    assert techniques("Velmora accused Caldra of genocide in the hills.") == {}


def test_exaggeration_fear_and_doubt() -> None:
    assert techniques("The harbour was completely destroyed in an unprecedented raid.") == {
        "completely destroyed": EXAGGERATION,
        "unprecedented": EXAGGERATION,
    }
    assert techniques("The camp is a breeding ground for an existential threat.") == {
        "breeding ground": FEAR,
        "existential threat": FEAR,
    }
    assert techniques("The so-called council met again.") == {"so-called": DOUBT}


def test_label_reported_as_someone_elses_is_not_loaded() -> None:
    assert techniques("Velmora considers the guard a terrorist organization.") == {}
    assert techniques("The sanctions regime on Caldra was renewed.") == {}
    assert techniques("Covenant terrorists attacked the depot.") == {"terrorists": NAME_CALLING}


def test_quoted_loaded_spans_are_marked() -> None:
    spans = find_loaded('Pell said they would "defend their so-called capital" to the end.')
    assert [(s.text, s.quoted) for s in spans] == [("so-called", True)]


def test_classify_sentences_offsets_and_dict() -> None:
    art = article("Covenant terrorists hit the depot, the alliance said.\nThe depot burned.")
    claims = classify_sentences(art)
    assert [c.assertion for c in claims] == ["attributed", "unattributed"]
    span = claims[0].loaded[0]
    assert art.text[span.start : span.end] == "terrorists"
    assert set(claims[0].to_dict()) == {"index", "assertion", "loaded", "artifacts"}


# --- artifacts ---------------------------------------------------------------------------


def kinds(body: str, title: str = "Militia Units Cross the Tessel") -> dict[int, list[str]]:
    return find_artifacts(article(body, title))


def test_dangling_it_with_no_conflict_before() -> None:
    body = (
        "The brigade took the mill at Oskel on Friday.\n"
        "It began with a strike by millers but has since turned into a war between militias."
    )
    assert kinds(body) == {1: ["dangling_reference"]}


def test_it_after_a_named_conflict_is_fine() -> None:
    body = (
        "The war in the Tessel valley entered its sixth year on Friday.\n"
        "It began with a strike by millers but has since turned into a war between militias."
    )
    assert kinds(body) == {}


def test_dangling_definite_and_pronoun_openers() -> None:
    body = (
        "Shelling hit the harbour of Velmora overnight.\n"
        "The observatory reported that 12 people were killed.\n"
        "He said the harbour would reopen."
    )
    assert kinds(body) == {1: ["dangling_reference"], 2: ["dangling_reference"]}


def test_resolvable_openers_are_fine() -> None:
    body = (
        "The Velmora Rights Observatory counted the dead. The observatory said 12 were killed.\n"
        "Militia spokesman Davit Arrun spoke in Oskel. He said the harbour would reopen.\n"
        "It is unclear whether the ferry will run. This week the council meets."
    )
    assert kinds(body) == {}


def test_caption_left_in_body() -> None:
    body = (
        "Shelling hit the harbour of Velmora overnight, the council said.\n"
        "Displaced families wait for buses outside Oskel on May 6, 2031."
    )
    assert kinds(body) == {1: ["caption"]}


def test_dated_news_sentence_is_not_a_caption() -> None:
    body = (
        "Shelling hit the harbour of Velmora overnight.\n"
        "Families waited for buses outside Oskel on May 6, 2031, the council said."
    )
    assert kinds(body) == {}


def test_dateline_mid_text_but_not_at_the_start() -> None:
    body = (
        "VELMORA (Northwire) - Militia units crossed the Tessel at dawn.\n"
        "OSKEL (Northwire) - The ferry stopped running.\n"
        "Reporting by Ada Kell; Editing by Tomas Lind."
    )
    assert kinds(body) == {1: ["dateline"], 2: ["dateline"]}
    assert kinds("VELMORA (Northwire) - Militia units crossed the Tessel at dawn.") == {}


@pytest.mark.parametrize(
    "title",
    [
        "Led Coalition Storms Covenant Stronghold",
        "Backed Forces Enter Velmora",
        "led coalition storms Velmora",
        "-Led Coalition Storms Velmora",
    ],
)
def test_truncated_headlines(title: str) -> None:
    assert truncated_title(title)
    assert title_artifacts(article("The ferry stopped running.", title)) == ["truncated_headline"]


@pytest.mark.parametrize(
    "title",
    [
        "Coalition Storms Covenant Stronghold",
        "Led by Militia, Velmora Votes",
        "Armed Men Storm Velmora Bank",
        "iPhone Sales Slow in Velmora",
    ],
)
def test_whole_headlines(title: str) -> None:
    assert not truncated_title(title)


def test_repeated_claim_marks_the_later_copy() -> None:
    body = (
        "The assault overlaps with the last stage of the campaign to retake the port of Oskel.\n"
        "The ferry stopped running.\n"
        "The assault overlaps with the final stage of the campaign to retake the port of Oskel."
    )
    assert kinds(body) == {2: ["repeated_claim"]}


def test_different_sentences_on_one_topic_are_not_repeats() -> None:
    body = (
        "The assault on the port of Oskel began on Monday after a night of shelling.\n"
        "The port of Oskel was shelled again on Tuesday as the assault stalled near the docks."
    )
    assert kinds(body) == {}


def test_artifacts_merge_into_sentence_claims() -> None:
    body = "The ferry stopped running.\nRefugees gather for water in Oskel May 19, 2031."
    art = pipeline.run(article(body), CLAIMS)
    assert art.layer(layers.ASSERTIONS)[1].artifacts == ["caption"]
    assert art.layer(layers.ARTIFACTS) == {1: ["caption"]}
    assert classify_sentences(article(body))[1].artifacts == []  # before the artifacts component


def test_pronoun_inside_a_quote_is_the_speakers() -> None:
    body = (
        "Dockworkers walked out at the port of Oskel on Monday.\n"
        '"They want a port that runs itself," said Marta Quell, a crane driver.'
    )
    assert kinds(body) == {}


# --- detector spans in the assertion classes ------------------------------------------------


def _span(text: str, phrase: str, technique: str, quoted: bool = False) -> LoadedSpan:
    start = text.index(phrase)
    return LoadedSpan(technique, phrase, start, start + len(phrase), quoted, 0.8)


def test_arguing_detector_span_makes_an_unattributed_sentence_an_opinion() -> None:
    art = article(
        "The Varrow council closed the ferry on Friday. "
        "Only a fool would believe the ferry was ever safe.\n"
        "The harbour stayed open."
    )
    text = art.text
    spans = [
        _span(text, "Only a fool would believe", "Black-and-White_Fallacy"),
        _span(text, "harbour", LOADED_LANGUAGE),  # loaded words alone: still an assertion
    ]
    claims = classify_sentences(art, loaded=(spans, DETECTOR))
    assert [c.assertion for c in claims] == ["unattributed", "opinion", "unattributed"]
    assert claims[1].loaded[0].to_dict()["score"] == 0.8
    # The lexicon path keeps its own rules: the same spans change no class there.
    lexicon = classify_sentences(art, loaded=(spans, LEXICON))
    assert [c.assertion for c in lexicon] == ["unattributed", "unattributed", "unattributed"]


def test_arguing_span_inside_a_quote_is_the_speakers() -> None:
    art = article('Crowds chanted "Varrow above all" outside the hall.')
    spans = [_span(art.text, "Varrow above all", "Slogans", quoted=True)]
    claims = classify_sentences(art, loaded=(spans, DETECTOR))
    assert claims[0].assertion == "unattributed"


def test_detector_path_by_default_lexicon_when_told(monkeypatch: pytest.MonkeyPatch) -> None:
    from wiretrace.claims import propaganda

    text = "The butchers of Quillmont shelled the market."
    spans, path = loaded_spans(text, detector=False)
    assert path == LEXICON and [s.text for s in spans] == ["butchers"]
    assert spans[0].score is None
    monkeypatch.delenv("WIRETRACE_LOADED", raising=False)
    # The detector when its model and the semantic extra are installed (CI installs them).
    assert propaganda.available()
    assert loaded_spans(text)[1] == DETECTOR
    monkeypatch.setenv("WIRETRACE_LOADED", "lexicon")
    assert loaded_spans(text)[1] == LEXICON
    assert not propaganda.wanted(default=True)
    monkeypatch.setenv("WIRETRACE_LOADED", "detector")
    assert propaganda.wanted(default=False)
