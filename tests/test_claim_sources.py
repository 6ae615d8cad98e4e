"""Classes of harm and primary sources decided on whole words and entity types (issue 14)."""

from __future__ import annotations

from datetime import UTC, datetime

from wiretrace.claims.entities import is_outlet
from wiretrace.corroborate.claimrows import actor_class, claim_rows, party_of, primary_name
from wiretrace.doc.article import Article


def test_classes_match_whole_words_only() -> None:
    assert actor_class("allied jets") == "air"  # "allied" holds no "ied"
    assert actor_class("an IED") == "bomb"
    assert actor_class("Jetson Road residents") is None
    assert actor_class("mortar shells") == "ground"
    assert party_of("Russian warplanes") == "russia"
    assert party_of("Prussian history society") is None


def test_outlets_are_not_primary_sources() -> None:
    assert is_outlet("Reuters") and is_outlet("the Lumen TV") and is_outlet("Meridian Press")
    assert not is_outlet("Varnhold Police Department")
    assert primary_name("Reuters") is None
    assert primary_name("Lumen TV") is None
    assert primary_name("the Varnhold Police Department") == "Varnhold Police Department"
    # a monitor is not one particular group because of a word in its name
    assert primary_name("the Kestrel Monitoring Network") == "Kestrel Monitoring Network"


def test_short_back_reference_is_the_longer_name_of_the_same_article() -> None:
    article = Article.create(
        "Shelling killed 12 civilians in Varnhold on Monday, the Kestrel Observatory for Civil "
        "Rights said. Rockets killed 4 civilians in Ashvale on Tuesday, the Observatory said.",
        title="Shelling kills 12 in Varnhold",
        url="https://news.example/a",
        published_at=datetime(2031, 3, 8, tzinfo=UTC),
    )
    sources = {r.primary_source for r in claim_rows(article) if r.claim_type == "figure"}
    assert sources == {"Kestrel Observatory for Civil Rights"}


def test_quote_told_to_an_outlet_comes_from_the_speaker() -> None:
    article = Article.create(
        'Mayor Ilsa Corven told Lumen TV: "The bridge over the Pell river will reopen next '
        'week for all traffic."',
        title="Bridge to reopen",
        url="https://news.example/b",
        published_at=datetime(2031, 3, 8, tzinfo=UTC),
    )
    quotes = [r for r in claim_rows(article) if r.claim_type == "quote"]
    assert quotes and all(r.primary_source != "Lumen TV" for r in quotes)
    assert all(r.primary_source and "Corven" in r.primary_source for r in quotes)
