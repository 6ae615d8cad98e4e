"""Claim rows of one article (corroborate/claimrows.py): the date a count is given."""

from __future__ import annotations

from datetime import UTC, date, datetime

from wiretrace.corroborate.claimrows import claim_rows, stated_date
from wiretrace.doc.article import Article


def _article(title: str, body: str) -> Article:
    return Article.create(
        title + "\n\n" + body,
        title=title,
        url="https://news.example/1",
        published_at=datetime(2031, 5, 12, 9, tzinfo=UTC),  # a Monday
    )


def test_a_title_count_is_dated_by_the_day_the_body_states() -> None:
    """The title's "2 killed" states no day; the body's count happened "on Saturday". Dated by
    publication, the title's count would be an incident of Monday apart from Saturday's."""
    article = _article(
        "2 killed in Olverton shooting",
        "Two men were killed and three people were wounded in a shooting outside a bar in "
        "Olverton, Ohio, on Saturday night, police said.",
    )
    rows = [r for r in claim_rows(article) if r.claim_type == "figure"]
    assert {(r.kind, r.value) for r in rows} >= {("killed", 2.0), ("wounded", 3.0)}
    assert {r.event_date for r in rows} == {date(2031, 5, 10)}


def test_no_stated_day_keeps_the_publication_day() -> None:
    article = _article(
        "2 killed in Olverton shooting",
        "Two men were killed in a shooting outside a bar in Olverton, Ohio, police said.",
    )
    assert stated_date(article, []) is None
    rows = [r for r in claim_rows(article) if r.claim_type == "figure"]
    assert rows and {r.event_date for r in rows} == {date(2031, 5, 12)}


def test_a_background_date_is_not_the_incident_day() -> None:
    """A date far before publication ("since March 2") is background, not the incident."""
    article = _article(
        "Man killed in Olverton",
        "A man was killed in Olverton, Ohio, police said, the city's fifth killing since March 2.",
    )
    assert stated_date(article, []) is None
