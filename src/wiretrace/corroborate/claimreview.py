"""A group as schema.org ClaimReview JSON-LD, for fact-checking tools to take in.

`reviewRating` carries the grade on a 1-5 scale (1 single-origin echo, 2 contested, 3 weak,
4 fair, 5 confirmed) with the grade as `alternateName` and the reason as `ratingExplanation`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wiretrace.corroborate.incidents import Incident

RATING = {"single-origin echo": 1, "contested": 2, "weak": 3, "fair": 4, "confirmed": 5}


def _claim_text(inc: dict[str, Any]) -> str:
    if inc["kind"] == "statement":
        return f"Statement by {inc['speaker']}"
    if inc["kind"] == "assertion":
        return str(inc.get("assertion") or "Assertion")
    parts = [
        f"{values['best']:g} {grp.replace('_', ' ')}" for grp, values in inc["figures"].items()
    ]
    where = f" in {inc['place']}" if inc["place"] else ""
    when = f" on {inc['date']}" if inc["date"] else ""
    return f"{', '.join(parts) or 'People'} {inc['kind']}{where}{when}"


def to_claimreview(incident: Incident) -> dict[str, Any]:
    """The incident as a schema.org ClaimReview (JSON-LD dict)."""
    inc = incident.to_dict()
    first = inc["first"]
    appearances = [{"@type": "CreativeWork", "url": url} for url in inc["articles"]]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": inc["id"],
        "claimReviewed": _claim_text(inc),
        "datePublished": inc["date"],
        "author": {"@type": "Organization", "name": "wiretrace"},
        "itemReviewed": {
            "@type": "Claim",
            "appearance": appearances,
            "firstAppearance": {
                "@type": "CreativeWork",
                "url": first["url"],
                "datePublished": first["published_at"],
                "publisher": {"@type": "Organization", "name": first["outlet"]},
            },
            "author": [{"@type": "Organization", "name": name} for name in inc["primary_sources"]],
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING[inc["grade"]],
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": inc["grade"],
            "ratingExplanation": inc["why"],
        },
    }
