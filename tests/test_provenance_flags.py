"""Flags a fact-checker acts on, against a real store: attribution removed, time shift, outlet
credits, insertions only without a named source, and a verdict that counts what it lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from wiretrace.doc.article import Article
from wiretrace.index.postings import ShingleIndex
from wiretrace.store.articles import Store
from wiretrace.trace.report import TraceReport
from wiretrace.trace.tracer import Tracer

# A Tuesday: "on Monday" in the wire copy is the day before.
WIRE_DAY = datetime(2031, 6, 3, 9, 0, tzinfo=UTC)
WIRE = [
    "Floodwater reached the old mill district of Tessel on Monday, forcing the closure of two "
    "schools and the central market.",
    "The river authority opened the northern sluice gates to relieve the pressure on the Marrow "
    "weir, its chief engineer Ivo Brandt said.",
    "About 300 residents spent the night in the sports hall of the Vell secondary school, "
    "according to the provincial council.",
    "Brandt told Lumen TV that the water would fall by the weekend if the rain eased.",
]
OTHER = [
    "A second agency reported that the mill district of Tessel was still under water on Tuesday "
    "afternoon, with rescue boats moving between the houses.",
    "Harbour pilots in Quellby said traffic on the estuary had been suspended for the day.",
]


def _article(sentences: list[str], url: str, outlet: str, when: datetime) -> Article:
    return Article.create(
        " ".join(sentences), url=url, outlet=outlet, title="Floods", published_at=when
    )


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "f.duckdb"
    articles = [
        _article(WIRE, "https://wire.example/floods", "wire.example", WIRE_DAY),
        _article(OTHER, "https://agency.example/tessel", "agency.example", WIRE_DAY),
    ]
    with Store(path) as store:
        ShingleIndex(store).add(store.add_articles(articles).added)
    return path


def _trace(db: Path, sentences: list[str], when: datetime) -> TraceReport:
    article = _article(sentences, "https://paper.example/x", "paper.example", when)
    with Store(db) as store:
        return Tracer(store).trace(article)


def test_a_copy_that_drops_who_said_it_is_flagged(db: Path) -> None:
    dropped = (
        "The river authority opened the northern sluice gates to relieve the pressure on the "
        "Marrow weir."
    )
    kept = WIRE[2]
    report = _trace(db, [dropped, kept], WIRE_DAY + timedelta(hours=3))
    first, second = report.sentences
    assert first.status == "copied" and "attribution_removed" in first.flags
    assert "Ivo Brandt said" in first.reasons["attribution_removed"]
    assert "attribution_removed" not in second.flags  # "according to" kept


def test_a_relative_date_copied_two_weeks_later_is_a_time_shift(db: Path) -> None:
    later = WIRE_DAY + timedelta(days=14)
    report = _trace(db, [WIRE[0]], later)
    [only] = report.sentences
    assert only.status == "copied" and "time_shift" in only.flags
    reason = only.reasons["time_shift"]
    assert "2031-06-02" in reason and "2031-06-16" in reason  # the source's Monday, the copy's
    same_week = _trace(db, [WIRE[0]], WIRE_DAY + timedelta(hours=5))
    assert "time_shift" not in same_week.sentences[0].flags


def test_time_shift_redates_the_sentences_claims(db: Path) -> None:
    report = _trace(db, [WIRE[0]], WIRE_DAY + timedelta(days=14))
    assert report.claims is not None
    [schools] = [f for f in report.claims["figures"] if f["unit"] == "schools"]
    assert schools["date"] == "2031-06-02" and schools["date_from"] == "source"
    fresh = _trace(db, [WIRE[0]], WIRE_DAY + timedelta(hours=1))
    assert fresh.claims is not None
    [schools] = [f for f in fresh.claims["figures"] if f["unit"] == "schools"]
    assert schools["date"] == "2031-06-02" and "date_from" not in schools


def test_an_outlet_credit_carried_over_from_the_source_is_no_mismatch(db: Path) -> None:
    report = _trace(db, [WIRE[3]], WIRE_DAY + timedelta(hours=2))
    [only] = report.sentences
    assert only.status == "copied" and "attribution_mismatch" not in only.flags
    retold = "Brandt told Radio Orsk that the water would fall by the weekend if the rain eased."
    report = _trace(db, [retold], WIRE_DAY + timedelta(hours=2))
    [only] = report.sentences
    assert "attribution_mismatch" in only.flags
    assert "Radio Orsk" in only.reasons["attribution_mismatch"]


def test_insertions_need_no_one_behind_them_and_say_why(db: Path) -> None:
    asserted = "The dam upstream of Tessel was built with cheap concrete and will fail next year."
    quoted = 'The mayor, Lena Vos, said: "The dam upstream of Tessel will not fail next year."'
    report = _trace(db, [WIRE[0], asserted, quoted], WIRE_DAY + timedelta(hours=2))
    _, inserted, said = report.sentences
    assert inserted.status == "unsourced" and "likely_insertion" in inserted.flags
    assert inserted.reasons["likely_insertion"].startswith("no source has it")
    assert said.status == "unsourced" and "likely_insertion" not in said.flags


def test_the_verdict_counts_the_sources_it_lists(db: Path) -> None:
    report = _trace(db, [WIRE[0], OTHER[0], WIRE[2]], WIRE_DAY + timedelta(hours=2))
    listed = report.to_dict()["summary"]["sources"]
    assert len(listed) == 2
    assert report.verdict().startswith("composite of 2 sources")


@pytest.mark.parametrize(
    ("path", "named"), [("detector", "the propaganda detector"), ("lexicon", "lexicon")]
)
def test_an_insertion_reason_names_the_path_that_found_its_loaded_words(
    path: str, named: str
) -> None:
    from wiretrace.claims.assertions import LoadedSpan, SentenceClaims
    from wiretrace.trace.claim_flags import cross_check
    from wiretrace.trace.report import SentenceTrace

    article = Article.create("The cowardly council of Tessel betrayed every family in the valley.")
    [sentence] = article.sentences
    start = article.text.index("cowardly")
    loaded = LoadedSpan("Loaded_Language", "cowardly", start, start + len("cowardly"))
    claims = SentenceClaims(0, sentence.start, sentence.end, "unattributed", [loaded])
    trace = SentenceTrace(sentence=sentence, status="unsourced")
    cross_check([trace], [], [claims], loaded_by=path)
    assert "likely_insertion" in trace.flags
    reason = trace.reasons["likely_insertion"]
    assert named in reason and '"cowardly"' in reason
