"""The dependency-parse attribution path on synthetic sentences (invented people and places).

They fail (never skip) when the parser model is missing: the dev extra installs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiretrace.claims import attribution
from wiretrace.claims.found import Quote
from wiretrace.claims.quotes import find_attributions, find_quotes
from wiretrace.doc.article import Article


@pytest.fixture(autouse=True)
def _parser_installed() -> None:
    assert attribution.parser_available(), "en_core_web_sm is missing: pip install '.[parse]'"


def _quotes(text: str) -> list[Quote]:
    """Every attribution the parser path finds: quotes and beliefs, plans, stances."""
    return find_attributions(Article(id="t", text=text), parser=True)


def _span(text: str, start: int | None, end: int | None) -> str | None:
    return None if start is None or end is None else text[start:end]


def _by_cue(text: str, cue: str) -> Quote:
    quotes = [q for q in _quotes(text) if q.cue == cue]
    assert len(quotes) == 1, _quotes(text)
    return quotes[0]


def test_reported_speech_with_that_clause() -> None:
    text = "The harbour master of Tessel said on Monday that the ferry would resume next week."
    q = _by_cue(text, "said on Monday")
    assert _span(text, q.source_start, q.source_end) == "The harbour master of Tessel"
    assert q.content == "that the ferry would resume next week"
    assert not q.direct


def test_auxiliaries_and_adverbs_join_the_cue() -> None:
    text = "Mayor Ilsa Brandt has also warned that the dam cannot hold another flood."
    q = _by_cue(text, "has also warned")
    assert _span(text, q.source_start, q.source_end) == "Mayor Ilsa Brandt"
    assert q.content == "that the dam cannot hold another flood"


def test_object_and_its_complements_are_content() -> None:
    text = "Councillor Dain Orrow accused the water board of hiding the test results."
    q = _by_cue(text, "accused")
    assert q.content == "the water board of hiding the test results"


def test_preposition_after_cue_joins_it() -> None:
    text = "The union called for an inquiry into the mine collapse at Harrowgate."
    q = _by_cue(text, "called for")
    assert q.content.startswith("an inquiry into the mine collapse")


def test_parenthetical_cue() -> None:
    text = "The bridge at Kelm will stay closed until spring, the engineers said."
    q = _by_cue(text, "said")
    assert _span(text, q.source_start, q.source_end) == "the engineers"
    assert q.content == "The bridge at Kelm will stay closed until spring"


def test_according_to_and_direct_quotes_keep_lexical_rules() -> None:
    text = (
        "The convoy reached Varn at dawn, according to the Lumen Wire.\n"
        "“We will hold the bridge,” Lt. Gen. Halden Marrick said."
    )
    quotes = _quotes(text)
    acc = [q for q in quotes if q.cue == "according to"]
    assert acc and acc[0].speaker == "the Lumen Wire"
    direct = [q for q in quotes if q.direct]
    assert direct and direct[0].speaker_canonical == "Halden Marrick"


def test_thinking_verbs_need_a_clause() -> None:
    text = "Residents of Orlen believe the river will rise again. They believe in luck."
    cues = [q.cue for q in _quotes(text)]
    assert cues.count("believe") == 1


def test_lexical_default_without_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(attribution.ENV, raising=False)
    assert not attribution.wanted()
    monkeypatch.setenv(attribution.ENV, "1")
    assert attribution.wanted()


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("The farmers of Ostrel want the canal to reopen.", "want", "the canal to reopen"),
        ("Senator Pell Arkin intends to block the levy.", "intends", "to block the levy"),
        ("The guild denounced the new tariff on wool.", "denounced", "the new tariff on wool"),
        ("Mayor Ida Roon pledged to rebuild the pier.", "pledged", "to rebuild the pier"),
    ],
)
def test_verbs_of_intention_and_stance(text: str, cue: str, content: str) -> None:
    q = _by_cue(text, cue)
    assert q.content == content
    # Attributions, but nobody said these words: they are not quotes.
    assert q.kind in ("plan", "stance")
    assert not [q for q in find_quotes(Article(id="t", text=text), parser=True) if q.cue == cue]


def test_noun_cue_with_a_holder() -> None:
    text = "The council rejected the plan, and Ada Fenn's criticism of the budget grew louder."
    q = _by_cue(text, "'s criticism of")
    assert _span(text, q.source_start, q.source_end) == "Ada Fenn"
    assert q.content == "the budget"


def test_noun_cue_without_a_holder_is_not_an_attribution() -> None:
    text = "The idea of a second bridge over the Tamm was dropped."
    assert not [q for q in _quotes(text) if q.cue and "idea" in q.cue]


def test_light_verb_and_noun_cue() -> None:
    text = "Mayor Ida Roon made a public appeal for calm."
    q = _by_cue(text, "made a public appeal for")
    assert _span(text, q.source_start, q.source_end) == "Mayor Ida Roon"
    assert q.content == "calm"


def test_cli_parser_flag_switches_the_reported_speech_path(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from wiretrace.cli.main import cli

    article = tmp_path / "warning.txt"
    article.write_text(
        "The harbour master of Quellmouth warned residents to keep away from the spillway.\n",
        encoding="utf-8",
    )
    contents = {}
    for flag in (["--rules"], ["--parser"]):
        result = CliRunner().invoke(
            cli, ["claims", str(article), *flag, "--format", "json", "--db", str(tmp_path / "x")]
        )
        assert result.exit_code == 0, result.output
        quotes = json.loads(result.output)["quotes"]
        assert [q["cue"] for q in quotes] == ["warned"]
        contents[flag == ["--parser"]] = quotes[0]["content"]
    # The parse keeps the hearer ('residents') out of the content; the lexical rules do not.
    assert contents[True] == "to keep away from the spillway"
    assert contents[False].startswith("residents")


def test_an_enormous_article_falls_back_to_the_lexical_rules() -> None:
    sentence = "The mayor of Quellmouth said that the ferry pier would reopen in spring. "
    text = sentence * (attribution.MAX_PARSE_CHARS // len(sentence) + 50)
    quotes = _quotes(text)
    assert len(quotes) > attribution.MAX_PARSE_CHARS // len(sentence)
    assert all(q.cue == "said" for q in quotes)
