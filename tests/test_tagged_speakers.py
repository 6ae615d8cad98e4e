"""The `claims` default with the semantic extra: the tagger's attributions with the rules'
speakers (`claims/tagged_speakers.py`), on synthetic articles (invented people and places).

Most tests hand `find_attributions_in` tagged spans directly (no model); the ones marked with
the `model` fixture run the shipped tagger and fail (never skip) when it is missing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from wiretrace.claims import bulk_quotes, extract_claims
from wiretrace.claims import tagger as tg
from wiretrace.claims.found import Found, Quote
from wiretrace.claims.quote_finish import finish
from wiretrace.claims.quotes import find_attributions_in
from wiretrace.claims.tagged_speakers import with_rule_speakers
from wiretrace.cli.main import cli
from wiretrace.doc.article import Article


def _span(text: str, words: str, after: int = 0) -> tuple[int, int]:
    start = text.index(words, after)
    return start, start + len(words)


def _tagged(
    text: str, part: str, cue: str | None = None, source: str | None = None
) -> tg.Attribution:
    """What the tagger would have assembled: the quoted `part`, with its cue and source words."""
    return tg.Attribution(
        cue=_span(text, cue) if cue else None,
        source=_span(text, source) if source else None,
        parts=[_span(text, part)],
    )


def _quotes(text: str, tagged: list[tg.Attribution], *, rules: bool = True) -> list[Quote]:
    found = find_attributions_in(Article.create(text), tagged=tagged, rule_speakers=rules)
    return [q for q in found if q.kind == "speech"]


def test_the_rules_name_the_speaker_and_the_tagged_source_phrase_stays() -> None:
    text = '"The pier will hold," said Orla Penn near the harbour wall.'
    wrong = _span(text, "the harbour wall")
    tagged = [
        tg.Attribution(
            cue=_span(text, "said"), source=wrong, parts=[_span(text, "The pier will hold,")]
        )
    ]
    (q,) = _quotes(text, tagged)
    assert q.speaker == "Orla Penn" and q.speaker_resolved == "Orla Penn"
    assert (q.speaker_start, q.speaker_end) == _span(text, "Orla Penn")
    # What PolNeAR scores is the tagger's source phrase, untouched.
    assert (q.source_start, q.source_end) == wrong
    (alone,) = _quotes(text, tagged, rules=False)
    assert alone.speaker == "the harbour wall"


def test_a_quotation_the_rules_read_as_continuing_keeps_no_speaker_of_its_own() -> None:
    text = (
        '"We treated forty patients," said Lina Parvez.\n\n'
        "“I am glad to be back.” She also thanked the nurses."
    )
    tagged = [
        _tagged(text, "We treated forty patients,", "said", "Lina Parvez"),
        # The tagger tied the quotation to the cue of the next sentence.
        _tagged(text, "“I am glad to be back.”", "thanked", "She"),
    ]
    by_content = {q.content: q for q in _quotes(text, tagged)}
    back = by_content["“I am glad to be back.”"]
    assert back.speaker is None and back.speaker_start is None
    assert back.speaker_resolved == "Lina Parvez"
    assert back.cue == "thanked"  # the tagger's spans are kept
    # Without the rules, the tagger's reading: 'She' of the next sentence.
    alone = {q.content: q for q in _quotes(text, tagged, rules=False)}
    assert alone["“I am glad to be back.”"].speaker == "She"


def test_a_cue_in_the_quotations_own_sentence_keeps_the_taggers_speaker() -> None:
    text = '"Help us help our keeper," the Tarn Valley players chanted in the clip.'
    tagged = [_tagged(text, "Help us help our keeper,", "chanted", "the Tarn Valley players")]
    (q,) = _quotes(text, tagged)
    assert q.speaker is not None and "players" in q.speaker


def test_a_quotation_tagged_without_its_cue_takes_the_rules_attribution() -> None:
    text = 'The ferry ran late again. "The engines are older than I am," said Tomas Grell.'
    tagged = [_tagged(text, "The engines are older than I am,")]
    (q,) = _quotes(text, tagged)
    assert not q.continued
    assert q.speaker == "Tomas Grell" and q.cue == "said"
    (alone,) = _quotes(text, tagged, rules=False)
    assert alone.continued and alone.speaker is None


def test_speakers_the_tagger_missed_still_count_for_who_speaks_next() -> None:
    text = (
        "Officials said the road was open, but Pia Lund says that is not what drivers see.\n\n"
        '"Some nights the queue runs for an hour."'
    )
    tagged = [
        _tagged(text, "the road was open", "said", "Officials"),
        _tagged(text, "Some nights the queue runs for an hour."),
    ]
    quotes = _quotes(text, tagged)
    assert [q.content for q in quotes[:1]] == ["the road was open"]  # Lund's is not reported
    last = quotes[-1]
    assert last.continued and last.speaker_resolved == "Pia Lund"
    alone = _quotes(text, tagged, rules=False)
    assert alone[-1].speaker_resolved != "Pia Lund"


def test_with_rule_speakers_marks_unmatched_rules_as_shadows() -> None:
    text = "Ada Crane said the dam held. Bo Ruiz said it leaked."
    first = Found(
        _span(text, "Ada Crane"), _span(text, "said"), [_span(text, "the dam held")], False
    )
    second = Found(
        _span(text, "Bo Ruiz"), _span(text, "said", 20), [_span(text, "it leaked")], False
    )
    tagged = [Found(None, first.cue, list(first.parts), False)]
    out = with_rule_speakers(text, tagged, [first, second])
    assert [f.shadow for f in out] == [False, True]
    assert out[0].speaker == first.source and out[0].speaker_set
    assert out[1].source == second.source


def test_assemble_gives_a_quotation_to_the_cue_of_its_own_sentence() -> None:
    text = 'Crews worked all night, the utility said.\n\n"Every pole is set by hand," it said.'
    spans = [
        ("content", *_span(text, "Crews worked all night,")),
        ("source", *_span(text, "the utility")),
        ("cue", *_span(text, "said")),
        ("content", *_span(text, "Every pole is set by hand,")),
        ("source", *_span(text, "it", text.index("hand"))),
        ("cue", *_span(text, "said", text.index("hand"))),
    ]
    first, second = tg.assemble(text, spans)
    assert first.parts == [_span(text, "Crews worked all night,")]
    assert second.parts == [_span(text, "Every pole is set by hand,")]
    assert second.source == _span(text, "it", text.index("hand"))


def test_assemble_does_not_reach_a_cue_in_the_next_paragraph() -> None:
    text = 'The ruling was based on "hope, not evidence."\n\nShe said an appeal would follow.'
    spans = [
        ("content", *_span(text, "The ruling was based on")),
        ("source", *_span(text, "She")),
        ("cue", *_span(text, "said")),
        ("content", *_span(text, "an appeal would follow")),
    ]
    atts = tg.assemble(text, spans)
    said = [a for a in atts if a.cue is not None]
    assert len(said) == 1 and said[0].parts == [_span(text, "an appeal would follow")]


@pytest.fixture(scope="module")
def model() -> tg.Tagger:
    loaded = tg.load_tagger()
    assert loaded is not None, "tagger missing: pip install '.[semantic]' (adapters ship in git)"
    return loaded


STORY = (
    "Ferry service to Kessel Island resumed on Monday.\n\n"
    '"We have checked every hull twice," said Mara Voss, the harbour master. '
    '"Nobody sails until I sign."\n\n'
    "She said the next inspection would be in May."
)


def test_claims_reads_quotes_with_the_tagger_by_default(
    model: tg.Tagger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(tg.ENV, raising=False)
    report = extract_claims(Article.create(STORY), detector=False)
    assert report.quotes_by == "tagger"
    assert report.to_dict()["quotes_by"] == "tagger"
    names = {q.speaker_resolved for q in report.quotes}
    assert names == {"Mara Voss"}, report.quotes
    assert extract_claims(Article.create(STORY), tagger=False, detector=False).quotes_by == "rules"
    monkeypatch.setenv(tg.ENV, "rules")
    assert extract_claims(Article.create(STORY), detector=False).quotes_by == "rules"


def test_bulk_quotes_keep_the_rules(model: tg.Tagger, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(tg.ENV, raising=False)
    article = Article.create(STORY)
    rules = extract_claims(article, tagger=False, detector=False).quotes
    assert bulk_quotes(Article.create(STORY)) == rules


def test_cli_claims_rules_and_default(model: tg.Tagger, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(STORY, encoding="utf-8")
    by = {}
    for flag in ([], ["--rules"], ["--tagger"]):
        result = CliRunner().invoke(
            cli, ["claims", str(path), *flag, "--format", "json", "--db", str(tmp_path / "d")]
        )
        assert result.exit_code == 0, result.output
        by[tuple(flag)] = json.loads(result.output)["quotes_by"]
    assert by == {(): "tagger", ("--rules",): "rules", ("--tagger",): "tagger"}


def test_a_rules_attribution_with_another_cue_gives_no_speaker() -> None:
    # The rules' attribution that shares the most words has its cue elsewhere ('Ada Crane
    # said' for a clause the tagger gives to 'Bo Ruiz insisted'): the tagger's source stays.
    text = "Ada Crane said that, as Bo Ruiz insisted, the dam leaked all winter."
    rules = Found(
        _span(text, "Ada Crane"),
        _span(text, "said"),
        [_span(text, "that, as Bo Ruiz insisted, the dam leaked all winter")],
        False,
    )
    tagged = Found(
        _span(text, "Bo Ruiz"), _span(text, "insisted"), [_span(text, "the dam leaked")], False
    )
    (shadow, out) = with_rule_speakers(text, [tagged], [rules])
    assert not out.speaker_set and out.source == _span(text, "Bo Ruiz")
    assert shadow.shadow
    # Reported speech in pieces around its cue may be two attributions joined wrongly: there
    # the rules' reading of the same words stands.
    pieces = Found(
        _span(text, "Bo Ruiz"),
        _span(text, "insisted"),
        [_span(text, "that, as"), _span(text, "the dam leaked")],
        False,
    )
    (out,) = with_rule_speakers(text, [pieces], [rules])
    assert out.speaker_set and out.speaker == _span(text, "Ada Crane")


def test_a_date_or_a_conjunction_from_the_rules_is_no_speaker() -> None:
    text = 'On Sunday, "the pier will hold," the harbour master Ola Penn said on Sunday.'
    tagged = Found(
        _span(text, "harbour master Ola Penn"),
        _span(text, "said"),
        [_span(text, "the pier will hold,")],
        True,
        speaker=_span(text, "Sunday", 40),
        speaker_set=True,
    )
    (q,) = finish(text, [tagged], [0], tagged=True)
    assert q.speaker == "Ola Penn" and q.speaker_resolved == "Ola Penn"
