"""The trained attribution tagger: windows, labels, assembly, and the shipped model on synthetic
articles (invented people, places and outlets).

The model tests fail (never skip) when the semantic extra or the shipped adapters are missing:
the dev install has both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from wiretrace.claims import tagger as tg
from wiretrace.claims.found import Quote
from wiretrace.claims.quotes import find_attributions_in, find_quotes
from wiretrace.cli.main import cli
from wiretrace.doc.article import Article


def test_windows_cover_every_piece_and_owner_prefers_the_middle() -> None:
    n = 1000
    spans = list(tg.windows(n))
    covered = sorted({i for s, e in spans for i in range(s, e)})
    assert covered == list(range(n))
    assert all(e - s <= tg.WINDOW - 2 for s, e in spans)
    own = tg.owner(n)
    for i in (0, 300, 999):
        s, e = spans[own[i]]
        assert s <= i < e
    # A piece in the overlap of two windows belongs to the one it is deeper in.
    s1, e1 = spans[1]
    mid = (s1 + e1) // 2
    assert own[mid] == 1
    assert tg.owner(0) == []
    assert list(tg.windows(10)) == [(0, 10)]


def _assembled(text: str, marks: list[tuple[str, str]]) -> list[tg.Attribution]:
    spans = []
    for role, phrase in marks:
        start = text.index(phrase)
        spans.append((role, start, start + len(phrase)))
    return tg.assemble(text, spans)


def test_assemble_joins_a_quote_split_by_its_cue() -> None:
    text = '"The bridge is closed," the mayor said, "and it will stay closed."'
    atts = _assembled(
        text,
        [
            ("content", "The bridge is closed,"),
            ("source", "the mayor"),
            ("cue", "said"),
            ("content", "and it will stay closed."),
        ],
    )
    assert len(atts) == 1
    a = atts[0]
    assert a.source is not None and text[a.source[0] : a.source[1]] == "the mayor"
    assert [text[s:e] for s, e in a.parts] == ["The bridge is closed,", "and it will stay closed."]


def test_assemble_keeps_consecutive_reports_apart() -> None:
    text = "Orlan Vesk said the dam held. Mira Toll said the road flooded."
    atts = _assembled(
        text,
        [
            ("source", "Orlan Vesk"),
            ("cue", "said"),
            ("content", "the dam held"),
            ("source", "Mira Toll"),
            ("content", "the road flooded"),
        ],
    )
    # The second "said" was not marked: its content stands alone, it does not join the first.
    assert [[text[s:e] for s, e in a.parts] for a in atts] == [
        ["the dam held"],
        ["the road flooded"],
    ]
    assert atts[1].cue is None


def test_assemble_lends_a_source_to_its_next_cue_in_the_sentence_only() -> None:
    text = (
        "Orlan Vesk said the dam held and added that the road was dry. "
        "Later engineers warned of rain."
    )
    atts = _assembled(
        text,
        [
            ("source", "Orlan Vesk"),
            ("cue", "said"),
            ("content", "the dam held"),
            ("cue", "added"),
            ("content", "that the road was dry"),
            ("cue", "warned"),
            ("content", "of rain"),
        ],
    )
    sources = [text[a.source[0] : a.source[1]] if a.source else None for a in atts]
    assert sources == ["Orlan Vesk", "Orlan Vesk", None]


def test_assemble_leaves_far_content_alone() -> None:
    text = "The council voted on many things that day, including budgets. Later it said nothing."
    atts = _assembled(text, [("content", "The council voted"), ("cue", "said")])
    assert len(atts) == 1 and atts[0].cue is None


@pytest.fixture(scope="module")
def model() -> tg.Tagger:
    loaded = tg.load_tagger()
    assert loaded is not None, "tagger missing: pip install '.[semantic]' (adapters ship in git)"
    return loaded


def test_labels_round_trip_through_pieces(model: tg.Tagger) -> None:
    text = "Officials in Veltrana said the ferry sank near the harbour."
    start = text.index("Officials")
    cue = text.index("said")
    content = text.index("the ferry")
    gold = [
        ("source", start, start + len("Officials in Veltrana")),
        ("cue", cue, cue + 4),
        ("content", content, len(text) - 1),
    ]
    p = tg.pieces(model.tokenizer, text)
    assert tg.decode(p, tg.char_labels(p, gold)) == gold


def _tagged(text: str) -> list[Quote]:
    return find_quotes(Article.create(text), tagger=True)


def test_tagger_finds_reported_speech_with_speaker_and_channel(model: tg.Tagger) -> None:
    text = (
        "Flooding closed the coastal highway on Tuesday.\n\n"
        "Dara Osmani, a spokesman for the regional water board, told the Harbor Gazette that "
        "three pumping stations had failed overnight.\n\n"
        "Residents were asked to stay indoors."
    )
    quotes = _tagged(text)
    told = [q for q in quotes if q.cue and "told" in q.cue]
    assert told, quotes
    q = told[0]
    assert q.speaker is not None and "Osmani" in q.speaker
    assert q.channel == "the Harbor Gazette"
    assert "pumping stations had failed" in q.content
    assert not q.direct


def test_tagger_reads_a_direct_quote_with_its_speaker(model: tg.Tagger) -> None:
    text = (
        'The clinic reopened on Friday. "We treated forty patients before noon," '
        "said Lina Parvez, the clinic's director."
    )
    quotes = _tagged(text)
    assert any(q.direct and "forty patients" in q.content for q in quotes), quotes
    assert any(q.speaker and "Parvez" in q.speaker for q in quotes), quotes


def test_tagger_survives_bad_input(model: tg.Tagger) -> None:
    assert _tagged("") == []
    assert _tagged("   \n\n  ") == []
    long_sentence = "the committee reviewed " + "another report and " * 3000 + "agreed."
    assert isinstance(_tagged(long_sentence), list)
    assert isinstance(_tagged('He said "this never closes and ' * 50), list)


def test_cli_claims_tagger(model: tg.Tagger, tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    path = tmp_path / "a.txt"
    path.write_text(
        "Storm damage\n\nThe port authority said repairs would take two weeks.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["claims", str(path), "--tagger", "--format", "json", "--db", str(tmp_path / "d")]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert any(q["cue"] == "said" for q in report["quotes"]), report["quotes"]


def test_viterbi_never_starts_or_continues_a_span_it_did_not_open() -> None:
    o, b_cue, i_cue, i_content = (tg.LABEL_ID[n] for n in ("O", "B-cue", "I-cue", "I-content"))

    def row(best: int, second: int | None = None) -> list[float]:
        out = [-9.0] * len(tg.LABELS)
        out[best] = -0.1
        if second is not None:
            out[second] = -0.5
        return out

    # The argmax would be I-content at the start and I-content after a cue: both forbidden.
    path = tg.viterbi([row(i_content, o), row(b_cue), row(i_content, i_cue)])
    assert path == [o, b_cue, i_cue]
    assert tg.viterbi([row(b_cue), row(i_cue)]) == [b_cue, i_cue]


def test_found_reads_the_channel_within_the_cue_sentence() -> None:
    text = "The pumps failed overnight, Dara Osmani told Harbor Radio. Later the board met."
    content = (0, text.index(","))
    source = (text.index("Dara"), text.index(" told"))
    cue = (text.index("told"), text.index("told") + 4)
    (f,) = tg.found(text, [tg.Attribution(cue=cue, source=source, parts=[content])])
    assert f.channel == "Harbor Radio"
    assert not f.direct
    quoted = '"We are ready," Mira Toll told reporters.'
    (g,) = tg.found(
        quoted,
        [tg.Attribution(cue=(quoted.index("told"), quoted.index("told") + 4), parts=[(1, 13)])],
    )
    assert g.direct and g.channel is None  # reporters are an audience, not an outlet


def test_viterbi_adds_learned_transitions(tmp_path: Path) -> None:
    o, b_content, i_content = (tg.LABEL_ID[n] for n in ("O", "B-content", "I-content"))
    k = len(tg.LABELS)
    # Word 2 slightly prefers O; a learned preference for staying inside content flips it.
    rows = [[-9.0] * k for _ in range(3)]
    rows[0][b_content] = -0.1
    rows[1][o], rows[1][i_content] = -0.6, -0.8
    rows[2][i_content], rows[2][o] = -0.5, -0.6
    assert tg.viterbi(rows) == [b_content, o, o]
    pairs = [[0.0] * k for _ in range(k)]
    pairs[b_content][i_content] = pairs[i_content][i_content] = 1.0
    path = tmp_path / tg.CRF_FILE
    path.write_text(
        json.dumps({"labels": list(tg.LABELS), "start": [0.0] * k, "pairs": pairs}),
        encoding="utf-8",
    )
    learned = tg.Transitions.load(path)
    assert learned is not None
    assert tg.viterbi(rows, learned) == [b_content, i_content, i_content]
    assert tg.Transitions.load(tmp_path / "absent.json") is None
    path.write_text(json.dumps({"labels": ["O"], "start": [0.0], "pairs": [[0.0]]}))
    with pytest.raises(ValueError, match="labels"):
        tg.Transitions.load(path)


def test_loading_the_tagger_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    tagger = tg.Tagger()
    tagger.spans("Ilse Brann said the ferry would run again. " * 80)  # longer than 512 pieces
    out, err = capfd.readouterr()
    assert out == "" and err == "", err[:300]


def test_bfloat16_tags_as_float32_does(model: tg.Tagger) -> None:
    """The model runs in bfloat16 where the CPU has it natively: the same spans as float32."""
    text = (
        "Harbour officials in Veltrana said on Monday that the ferry would not sail until the "
        'inspection ended. "We will not take the risk," said Orla Penn, the port\'s director. '
        "Penn believes the repairs will take a month, and the union plans to protest. "
    ) * 6  # over 512 pieces: several windows
    fp32 = tg.Tagger(bf16=False)
    assert not fp32.bf16
    assert fp32.spans(text)
    if model.bf16:
        assert model.spans(text) == fp32.spans(text)


def test_tagged_content_with_no_cue_and_nobody_named_is_not_a_quote() -> None:
    text = (
        "The board priced the expansion at four million dollars. "
        '"The pier will hold," said Orla Penn. "It always has."'
    )
    bare = (text.index("the expansion"), text.index(" dollars") + 8)
    said = (text.index("said"), text.index("said") + 4)
    penn = (text.index("Orla"), text.index("Penn.") + 4)
    quoted = (text.index('"The') + 1, text.index('hold,"') + 5)
    found = find_attributions_in(
        Article.create(text),
        tagged=[
            tg.Attribution(parts=[bare]),
            tg.Attribution(cue=said, source=penn, parts=[quoted]),
        ],
    )
    kinds = {q.content: q.kind for q in found}
    assert kinds["the expansion at four million dollars"] == "stance"
    assert kinds["The pier will hold,"] == "speech"


def test_tagged_quotations_continue_their_speaker_and_a_closed_one_stands_alone() -> None:
    text = (
        '"We treated forty patients," said Lina Parvez. "Most came at night."\n\n'
        "“I am glad to be back.” She also thanked the nurses for their patience."
    )

    def span(words: str) -> tuple[int, int]:
        return text.index(words), text.index(words) + len(words)

    tagged = [
        tg.Attribution(
            cue=span("said"), source=span("Lina Parvez"), parts=[span("We treated forty patients,")]
        ),
        tg.Attribution(parts=[span("Most came at night.")]),
        tg.Attribution(
            cue=span("thanked"),
            source=span("She"),
            parts=[span("I am glad to be back."), span("the nurses for their patience")],
        ),
    ]
    quotes = find_attributions_in(Article.create(text), tagged=tagged)
    by_content = {q.content: q for q in quotes}
    loose = by_content["Most came at night."]
    assert loose.continued and loose.speaker is None and loose.speaker_resolved == "Lina Parvez"
    back = by_content["I am glad to be back."]
    assert back.continued and back.speaker is None  # not the 'She' of the next sentence
    thanked = by_content["the nurses for their patience"]
    assert thanked.speaker == "She" and thanked.cue == "thanked"


def test_a_tagged_source_across_a_line_break_keeps_its_last_line() -> None:
    from wiretrace.claims.tagger import Attribution, found

    text = "Crews stretched thin\n\nThe Kessel union says its members are tired.\n"
    source = (0, text.index(" says"))  # the subheading run into the subject
    cue = (text.index("says"), text.index("says") + 4)
    content = (text.index("its members"), text.index("tired") + 5)
    (f,) = found(text, [Attribution(cue=cue, source=source, parts=[content])])
    assert f.source is not None and text[f.source[0] : f.source[1]] == "The Kessel union"
