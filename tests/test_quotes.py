"""Quotes and reported speech on synthetic sentences (invented people, places and outlets)."""

from __future__ import annotations

import random

import pytest

from wiretrace.claims.found import Quote, Taken
from wiretrace.claims.quotes import find_quotes
from wiretrace.doc.article import Article


def _quotes(text: str) -> tuple[str, list[Quote]]:
    article = Article(id="t", text=text)
    return text, find_quotes(article)


def _one(text: str) -> tuple[str, Quote]:
    text, quotes = _quotes(text)
    assert len(quotes) == 1, quotes
    return text, quotes[0]


def _check_offsets(text: str, q: Quote) -> None:
    assert q.speaker is None or text[q.speaker_start : q.speaker_end] == q.speaker
    assert q.cue is None or text[q.cue_start : q.cue_end] == q.cue
    assert q.start <= q.content_start < q.content_end <= q.end


def test_direct_quote_speaker_after_with_title() -> None:
    text, q = _one("“We will hold the bridge at Varn,” Lt. Gen. Halden Marrick said on Tuesday.")
    _check_offsets(text, q)
    assert q.direct
    assert q.speaker == "Lt. Gen. Halden Marrick"
    assert q.speaker_canonical == "Halden Marrick"
    assert q.cue == "said"
    assert text[q.content_start : q.content_end] == "“We will hold the bridge at Varn,”"


def test_straight_quotes_and_inverted_speaker() -> None:
    text, q = _one('"The water is rising fast near the mill," said Orla Brenn.')
    _check_offsets(text, q)
    assert q.direct and q.speaker == "Orla Brenn" and q.cue == "said"
    assert q.content == '"The water is rising fast near the mill,"'


def test_multi_sentence_quote_continues_after_attribution() -> None:
    _, quotes = _quotes(
        "“The convoy left at dawn,” Dera Voss said. “It reached the border by noon. "
        "Nobody was hurt.”"
    )
    first, second = quotes
    assert first.direct and first.speaker == "Dera Voss" and not first.continued
    assert first.content == "“The convoy left at dawn,”"
    # The quotation after the attribution is one quote over two sentences, hers, with no
    # speaker or cue of its own.
    assert second.continued and second.speaker is None and second.cue is None
    assert second.content == "“It reached the border by noon. Nobody was hurt.”"
    assert second.speaker_resolved == "Dera Voss" == second.speaker_canonical


def test_legacy_rules_keep_the_continuation_in_one_quote() -> None:
    text = "“The convoy left at dawn,” Dera Voss said. “It reached the border by noon.”"
    (q,) = find_quotes(Article(id="t", text=text), legacy=True)
    assert q.content == "“The convoy left at dawn,” “It reached the border by noon.”"
    assert q.speaker_resolved is None and not q.continued


def test_quote_running_over_paragraphs() -> None:
    text = (
        "Pell Arkady said: “The first wells ran dry in spring.\n"
        "“By summer the second field was gone too.”"
    )
    text, (q, rest) = _quotes(text)
    assert q.direct and q.speaker == "Pell Arkady"
    assert rest.continued and rest.content_end == len(text)
    assert rest.speaker_resolved == "Pell Arkady"


def test_pronoun_resolved_to_last_named_person() -> None:
    _, quotes = _quotes(
        "Mayor Ilse Corvin visited the flooded quarter on Monday. "
        "She said that the pumps would arrive within a week. "
        "“We are not giving up,” she said."
    )
    assert [q.speaker for q in quotes] == ["She", "she"]
    assert all(q.speaker_canonical == "Ilse Corvin" for q in quotes)
    assert quotes[0].content == "that the pumps would arrive within a week"
    assert not quotes[0].direct and quotes[1].direct


def test_told_outlet_is_channel_and_role_from_prefix() -> None:
    text, q = _one("SDF spokesman Talal Oran told Fox News that the town of Merrow had fallen.")
    _check_offsets(text, q)
    assert q.speaker == "Talal Oran" and q.role == "SDF spokesman"
    assert q.cue == "told" and q.channel == "Fox News"
    assert q.content == "that the town of Merrow had fallen"
    assert text[q.source_start : q.source_end] == "SDF spokesman Talal Oran"


def test_told_reporters_has_no_channel() -> None:
    _, q = _one("Brin Halloway told reporters the bridge would reopen in March.")
    assert q.channel is None and q.cue == "told"
    assert q.content == "the bridge would reopen in March"


def test_interview_and_speaking_to_channels() -> None:
    _, q = _one("In a phone interview with Reuters, Anso Pilt said the talks had stalled.")
    assert q.speaker == "Anso Pilt" and q.channel == "Reuters"
    _, q = _one("Speaking to Meridian Press by telephone, Anso Pilt said the road was shut.")
    assert q.channel == "Meridian Press" and q.content == "the road was shut"


def test_according_to_both_orders() -> None:
    _, q = _one("According to the observatory, 12 people were killed in Tesh.")
    assert q.speaker == "the observatory" and q.cue == "According to"
    assert q.content == "12 people were killed in Tesh"
    _, q = _one("Twelve people were killed in Tesh, according to the Lumen Monitor.")
    assert q.speaker == "the Lumen Monitor" and q.content == "Twelve people were killed in Tesh"


def test_apposition_role_and_statement_cue() -> None:
    text, q = _one("The group's director, Yusra Dalen, said in a statement that aid was blocked.")
    _check_offsets(text, q)
    assert q.speaker == "Yusra Dalen" and q.role == "The group's director"
    assert q.cue == "said in a statement"
    assert q.content == "that aid was blocked"


def test_role_after_name() -> None:
    _, q = _one("Orin Valt, commanding general of the Ninth Corps, said the line held.")
    assert q.speaker == "Orin Valt" and q.role == "commanding general of the Ninth Corps"


def test_organisation_speaker_as_written() -> None:
    _, q = _one("State news agency KORA said the strike hit a school in Dunmere.")
    assert q.speaker == "State news agency KORA" and q.speaker_canonical == "State news agency KORA"


def test_reporting_verbs() -> None:
    for verb in ("warned", "claimed", "added", "insisted", "denied", "confirmed", "announced"):
        _, q = _one(f"Hollis Fenn {verb} that the dam at Carrow was safe.")
        assert q.cue == verb and q.content == "that the dam at Carrow was safe"


def test_content_before_speaker() -> None:
    _, q = _one("The dam at Carrow will hold, Hollis Fenn said.")
    assert q.speaker == "Hollis Fenn" and q.content == "The dam at Carrow will hold"


def test_unbalanced_quotes_and_odd_inputs_do_not_crash() -> None:
    for text in (
        "“This never closes, she said. And more text follows here.",
        'He said "one" and "two" and "three.',
        "”Backwards quotes“ are odd, Tam Orr said.",
        "said said said " * 3000,
        "word " * 20000,
        "“" * 500,
    ):
        find_quotes(Article(id="t", text=text))


def test_empty_article() -> None:
    assert find_quotes(Article(id="t", text="")) == []
    assert find_quotes(Article(id="t", text="   \n  ")) == []


def test_to_dict_has_contract_fields() -> None:
    _, q = _one("Brin Halloway said the bridge would reopen.")
    d = q.to_dict()
    for key in (
        "speaker",
        "speaker_canonical",
        "role",
        "cue",
        "channel",
        "content",
        "start",
        "end",
        "speaker_start",
        "speaker_end",
        "cue_start",
        "cue_end",
        "content_start",
        "content_end",
        "direct",
        "sentence_index",
    ):
        assert key in d


def test_hyphenated_word_is_not_a_cue() -> None:
    """Regression: "self-declared" is an adjective, not the cue "declared"."""
    article = Article.create("The town became the seat of the militia's self-declared council.")
    assert find_quotes(article) == []


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        (
            "The floods ruined most of the harvest so far, it said in a June report.",
            "said in a June report",
            "The floods ruined most of the harvest so far",
        ),
        (
            "The floods ruined most of the harvest, the ministry said at a news conference.",
            "said at a news conference",
            "The floods ruined most of the harvest",
        ),
    ],
)
def test_where_it_was_said_is_part_of_the_cue(text: str, cue: str, content: str) -> None:
    """Regression: "in a June report" / "at a news conference" is not the content."""
    [quote] = find_quotes(Article.create(text))
    assert (quote.cue, quote.content) == (cue, content)


def test_lexical_path_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIRETRACE_PARSER", raising=False)
    article = Article(id="t", text="Dera Voss said the convoy reached the border by noon.")
    assert find_quotes(article) == find_quotes(article, parser=False)


def test_inverted_speaker_keeps_apposition_in_source() -> None:
    text, q = _one(
        '"The levee will not hold another week," said Mara Quill, the district\'s engineer.'
    )
    _check_offsets(text, q)
    assert q.speaker == "Mara Quill" and q.role == "the district's engineer"
    assert text[q.source_start : q.source_end] == "Mara Quill, the district's engineer"


def test_channel_after_told_has_no_trailing_period() -> None:
    text = "The convoy turned back at the border, Oren Vale told Lumen Wire."
    quotes = find_quotes(Article(id="t", text=text))
    assert [q.channel for q in quotes] == ["Lumen Wire"]


def test_continued_after_a_quote_is_a_cue() -> None:
    _, q = _one('"We will rebuild the school by autumn," Ilse Varga continued.')
    assert q.direct and q.cue == "continued" and q.speaker == "Ilse Varga"


def test_taken_ranges_lookup_equals_a_scan_of_every_range() -> None:
    """The sorted lookup of claimed ranges answers as a scan of all of them would."""
    rng = random.Random(7)
    taken = Taken()
    added: list[tuple[int, int]] = []
    for _ in range(300):
        start = rng.randrange(0, 5000)
        span = (start, start + rng.randrange(0, 400))
        taken.add(span)
        added.append(span)
        probe_start = rng.randrange(0, 5400)
        probe = (probe_start, probe_start + rng.randrange(1, 60))
        expected = any(s < probe[1] and probe[0] < e for s, e in added)
        assert taken.hit(*probe) is expected
    assert taken.ranges == sorted(added, key=lambda span: span[0])


def test_a_cue_word_inside_a_paragraph_of_quotation_is_not_an_attribution() -> None:
    # 'medical reports' inside the quoted paragraph is not 'X reports ...': the paragraph is
    # the spokeswoman's words, continuing her quote.
    text = (
        '"Every decision puts the safety of the public first," wrote Mira Tallis, a board '
        "spokeswoman, in an email.\n\n"
        '"When weighing a release, members of the board look at everything. They read material '
        "from many places, including the police and the courts, medical reports, risk tools, "
        'and the plan the offender submits."\n\n'
        "The board did not say when it would meet again."
    )
    quotes = find_quotes(Article.create(text))
    second = next(q for q in quotes if "When weighing" in q.content)
    assert second.continued and second.speaker_resolved == "Mira Tallis"
    assert not any(q.cue == "reports" for q in quotes)


def test_a_leading_attribution_before_a_colon_may_name_audience_place_and_time() -> None:
    text = (
        "Ferro Lindqvist signed with the Harbour Kings on Tuesday.\n\n"
        "Lindqvist told the Dunmore Post in Kessel on Thursday morning: "
        '"I am glad to be here and I want to play every night."'
    )
    quotes = find_quotes(Article.create(text))
    (quote,) = quotes
    assert quote.speaker == "Lindqvist" and quote.cue is not None and quote.cue.startswith("told")
    assert not quote.continued


def test_a_source_with_a_relative_clause_after_an_opening_conjunction() -> None:
    text = (
        "Orla Tarn won the Kessel ward seat in 2018.\n\n"
        "But Ms. Tarn, who was stunned by the anger after she voted for the letter, said in "
        "retrospect she feels voting yes was a mistake."
    )
    (quote,) = find_quotes(Article.create(text))
    assert quote.speaker == "Ms. Tarn" and quote.speaker_resolved == "Orla Tarn"
    assert quote.content.endswith("voting yes was a mistake")
