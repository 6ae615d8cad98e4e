"""Passage-level provenance against a real store: fused clauses, cut-down sentences, verbatim runs
woven into new words, the covered spans' source offsets, and the wiretrace.trace/2 JSON Schema."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from wiretrace.doc.article import Article
from wiretrace.index.postings import ShingleIndex
from wiretrace.store.articles import Store
from wiretrace.trace.params import TraceParams
from wiretrace.trace.provenance import FEATURES
from wiretrace.trace.report import TraceReport
from wiretrace.trace.tracer import Tracer

T0 = datetime(2032, 3, 9, 7, 0, tzinfo=UTC)
# An invented wire story (places and people made up).
WIRE = [
    "The harbour master of Quellby, Annika Dorsch, closed the eastern quay on Tuesday after a "
    "crane collapsed onto two moored trawlers.",
    "Nobody was aboard the vessels when the steel arm of the crane gave way shortly before dawn.",
    "Inspectors from the Maritime Safety Board arrived in the afternoon to examine the rusted "
    "base of the crane.",
    "The quay handles most of the fish landed on the northern coast of the Vellan peninsula.",
    "Dorsch said repairs to the quay could take three weeks and that fishing crews would be "
    "directed to the smaller western pier until then.",
]
OTHER = [
    "A bakery in the mountain town of Ostrel won a regional prize for its rye loaves on Sunday.",
    "The judges praised the crust and said the recipe had not changed in forty years.",
]
NEW = "Local residents gathered at the old lighthouse to watch the evening regatta in calm weather."


def _store(tmp_path: Path, articles: list[Article]) -> Path:
    db = tmp_path / "p.duckdb"
    with Store(db) as store:
        ShingleIndex(store).add(store.add_articles(articles).added)
    return db


def _trace(db: Path, article: Article, params: TraceParams | None = None) -> TraceReport:
    with Store(db) as store:
        return Tracer(store, params=params or TraceParams(), claims=False).trace(article)


@pytest.fixture()
def wire_db(tmp_path: Path) -> Path:
    wire = Article.create(
        " ".join(WIRE),
        title="Crane collapses onto trawlers in Quellby harbour",
        url="https://wire.example/quellby",
        outlet="wire.example",
        published_at=T0 - timedelta(hours=6),
    )
    other = Article.create(
        " ".join(OTHER),
        title="Ostrel bakery prize",
        url="https://other.example/ostrel",
        outlet="other.example",
        published_at=T0 - timedelta(hours=6),
    )
    return _store(tmp_path, [wire, other])


def _target(sentences: list[str], title: str = "") -> Article:
    return Article.create(
        " ".join(sentences),
        title=title,
        url="https://paper.example/quay",
        outlet="paper.example",
        published_at=T0,
    )


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def test_fused_clauses_from_non_adjacent_sentences_are_copied(wire_db: Path) -> None:
    fused = (
        "The harbour master of Quellby closed the eastern quay on Tuesday, and inspectors from "
        "the Maritime Safety Board arrived in the afternoon to examine the rusted base of the "
        "crane."
    )
    report = _trace(wire_db, _target([fused, NEW]))
    first, new = report.sentences
    assert first.status in ("copied", "paraphrased") and first.coverage > 0.8
    assert {span.source_sentence for span in first.spans} == {0, 2}
    assert new.status == "unsourced" and new.coverage == 0.0 and new.spans == []


def test_verbatim_run_woven_into_new_words_is_partly_derived(wire_db: Path) -> None:
    woven = (
        "Fishermen grumbled over coffee, since the quay handles most of the fish landed on the "
        "northern coast, yet no one in town expected a quick fix."
    )
    # The covered-share rule (the trained model is measured by benchmarks/eval_meter.py).
    rule = TraceParams(derivation_model=False, partial_coverage=0.25)
    report = _trace(wire_db, _target([woven, NEW]), rule)
    [first, _] = report.sentences
    assert 0.25 < first.coverage < 0.8
    assert first.status == "paraphrased" and "partly_derived" in first.flags
    assert first.best is not None and first.best.doc.url == "https://wire.example/quellby"
    assert first.best.sentence_indexes == (3,)
    assert first.best.changes == []  # new words around a copied run are not edits of a source


def test_a_rewritten_sentence_carries_the_evidence_the_model_weighs(wire_db: Path) -> None:
    # No exact run of three words, but word pairs, names and the number kept from the wire.
    rewritten = (
        "Annika Dorsch warned that crews face three weeks of waiting while engineers work, "
        "and boats will use another pier."
    )
    rule = TraceParams(derivation_model=False, partial_coverage=2.0)  # evidence, no decision
    report = _trace(wire_db, _target([WIRE[0], rewritten, NEW]), rule)  # the copy finds the wire
    [_, first, new] = report.sentences
    assert first.evidence is not None and new.evidence is not None
    mine = dict(zip(FEATURES, first.evidence, strict=True))
    other = dict(zip(FEATURES, new.evidence, strict=True))
    assert mine["covered"] == 0.0
    assert mine["pairs_in_main"] > other["pairs_in_main"] == 0.0  # "Annika Dorsch", "three weeks"
    assert mine["names_in_main"] == 1.0  # Annika, Dorsch
    assert mine["best_order"] > other["best_order"]
    assert mine["content_in_main"] > other["content_in_main"]


def test_span_offsets_point_at_the_same_words(wire_db: Path) -> None:
    cut = "Dorsch said repairs to the quay could take three weeks."
    article = _target([WIRE[1], cut, NEW])
    report = _trace(wire_db, article)
    source_text = " ".join(WIRE)
    spans = [span for t in report.sentences for span in t.spans]
    assert spans
    for span in spans:
        assert _words(article.text[span.start : span.end]) == _words(
            source_text[span.source_start : span.source_end]
        )
    assert report.sentences[1].status == "copied"  # a cut-down sentence is still a copy


def test_title_is_traced(wire_db: Path) -> None:
    report = _trace(
        wire_db, _target([WIRE[0], NEW], title="Dock staff fear the rusted base of the crane")
    )
    assert report.title is not None and report.title.status == "paraphrased"
    assert 0.5 < report.title.coverage < 0.8
    assert report.title.spans[0].doc.url == "https://wire.example/quellby"
    unsourced = _trace(wire_db, _target([WIRE[0]], title="A quiet week on the coast road"))
    assert unsourced.title is not None and unsourced.title.status == "unsourced"


def test_alignment_off_leaves_sentence_matching(wire_db: Path) -> None:
    woven = (
        "Fishermen grumbled over coffee, since the quay handles most of the fish landed on the "
        "northern coast, yet no one in town expected a quick fix."
    )
    report = _trace(wire_db, _target([woven]), TraceParams(passage_docs=0))
    assert report.sentences[0].status == "unsourced" and report.sentences[0].spans == []
    assert report.alignments == []


def test_a_short_rewrite_sharing_one_run_names_its_source(wire_db: Path) -> None:
    """A brief too short to share three sampled shingles with its source still gets it as a
    document-level candidate; no sentence is derived, but `passage_sources` names it."""
    brief = (
        "Fishing families in the windswept villages up the coast heard this week that officials "
        "the steel arm of the crane gave way, though nobody could say more."
    )
    report = _trace(wire_db, _target([brief]))
    assert [t.status for t in report.sentences] == ["unsourced"]
    [named] = report.passage_sources()
    assert named["url"] == "https://wire.example/quellby" and named["words"] == 8
    assert report.to_dict()["summary"]["passage_sources"] == [named]
    unrelated = _trace(wire_db, _target([NEW]))
    assert (
        unrelated.passage_sources() == []
        and unrelated.to_dict()["summary"]["passage_sources"] == []
    )


def _schema() -> dict[str, object]:
    text = resources.files("wiretrace").joinpath("schemas/trace.schema.json").read_text("utf-8")
    return dict(json.loads(text))


def test_reports_validate_against_the_json_schema(wire_db: Path) -> None:
    fused = (
        "The harbour master of Quellby closed the eastern quay on Tuesday, and inspectors from "
        "the Maritime Safety Board arrived in the afternoon to examine the rusted base of the "
        "crane."
    )
    article = _target([fused, WIRE[4], NEW, WIRE[4]], title="Quellby quay closed")
    with Store(wire_db) as store:
        report = Tracer(store).trace(article)  # with claims
    data = json.loads(json.dumps(report.to_dict()))
    validator = jsonschema.Draft202012Validator(_schema())
    validator.validate(data)
    assert (
        data["alignments"]
        and data["alignments"][0]["article_id"] == report.sentences[0].spans[0].doc.article_id
    )
    assert (
        data["summary"]["passage_sources"][0]["article_id"] == data["alignments"][0]["article_id"]
    )
    broken = {**data, "sentences": [{**data["sentences"][0], "derived_share": 1.5}]}
    assert not validator.is_valid(broken)  # the schema can fail
