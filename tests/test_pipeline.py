"""The document spine: typed layers on an Article and components with declared needs and sets,
on invented articles."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from wiretrace import api
from wiretrace.claims import extract_claims, layers
from wiretrace.claims.components import CLAIMS
from wiretrace.cli.main import cli
from wiretrace.doc import pipeline
from wiretrace.doc.article import Article
from wiretrace.doc.layers import KNOWN, LayerKey
from wiretrace.errors import PipelineError

BODY = (
    "Floods in the river town of Marlow Bend killed 14 residents on Monday, officials said.\n"
    '"We lost everything," said Ada Brenn, a baker.\n'
    "The shameful delay in relief is a disgrace."
)


def test_components_set_typed_layers_in_order() -> None:
    article = pipeline.run(Article.create(BODY), CLAIMS)
    assert article.layer_names[0] == "sentences"
    assert set(article.layer_names) >= {"figures", "quotes", "assertions", "artifacts"}
    figures = article.layer(layers.FIGURES)
    assert [(f.value, f.kind) for f in figures] == [(14.0, "killed")]
    assert article.text[figures[0].start : figures[0].end] == "14"
    quotes = article.layer(layers.QUOTES)
    assert [q.speaker for q in quotes] == ["officials", "Ada Brenn"]
    # Every span layer is an offset view into the article's text.
    for quote in quotes:
        assert article.text[quote.start : quote.end]
        assert article.text[quote.content_start : quote.content_end] == quote.content
    assertions = article.layer(layers.ASSERTIONS)
    assert [a.assertion for a in assertions][2] == "opinion"


def test_extract_claims_reads_the_layers() -> None:
    report = extract_claims(Article.create(BODY))
    article = report.article
    assert report.figures == article.layer(layers.FIGURES)
    assert report.quotes == article.layer(layers.QUOTES)
    assert report.to_dict()["schema"] == "wiretrace.claims/1"


def test_a_component_run_before_its_needs_names_the_missing_layer() -> None:
    article = Article.create(BODY)
    with pytest.raises(PipelineError, match=r"needs layer\(s\) figures") as caught:
        pipeline.run(article, ["casualties"])
    assert caught.value.code == "W180"
    with pytest.raises(KeyError, match="'figures' is not set"):
        article.layer(layers.FIGURES)


def test_unknown_component_lists_the_known_ones() -> None:
    with pytest.raises(PipelineError, match=r"no component named 'nonsense'.*figures"):
        pipeline.run(Article.create(BODY), ["nonsense"])


def test_every_component_declares_known_layers_and_its_needs_come_first() -> None:
    """Run in registration order, each component's needs are set by one registered before it."""
    components = pipeline.registry()
    assert {"figures", "quotes", "assertions", "artifacts", "claim_flags"} <= set(components)
    available = {"sentences", "sentence_traces"}  # the tracer sets the second, not a component
    for component in components.values():
        assert set(component.needs) <= available, component.name
        assert set(component.sets) <= set(KNOWN), component.name
        assert component.doc, component.name
        available |= set(component.sets)


def test_a_layer_name_cannot_be_declared_twice() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        LayerKey("figures", "something else")


def test_components_command_and_its_api_twin_agree() -> None:
    result = CliRunner().invoke(cli, ["components", "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert listed == [component.to_dict() for component in api.components()]
    assert [c["name"] for c in listed][:2] == ["figures", "casualties"]
    text = CliRunner().invoke(cli, ["components"])
    assert "casualties: figures -> casualties" in text.stdout
