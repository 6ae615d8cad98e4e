"""A US state after a town decides which town it is (issue 14: Taunton, Mass. is not in England)."""

from __future__ import annotations

from wiretrace.claims.places import resolve_in_region, us_state_after
from wiretrace.corroborate.placing import find_places


def _where(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(f.place.name, f.place.country, f.place.region) for f in find_places(text, [])]


def test_state_after_town_picks_the_us_town() -> None:
    assert _where("A man was shot in Taunton, Mass., on Friday.") == [("Taunton", "US", "US.MA")]
    assert _where("Police in Portsmouth, Va. said two people died.") == [
        ("Portsmouth", "US", "US.VA")
    ]
    assert _where("A crash in Springfield, Illinois killed one.")[0][2] == "US.IL"


def test_state_forms() -> None:
    assert us_state_after(", Mass., on Friday") == "MA"
    assert us_state_after(", OK responded") == "OK"
    assert us_state_after(", New Mexico, where") == "NM"
    assert us_state_after(", N.J. police") == "NJ"
    assert us_state_after(", On Monday") is None  # a word, not a postal code
    assert us_state_after(" and Ashvale") is None


def test_unknown_town_in_a_state_is_none() -> None:
    assert resolve_in_region("Varnholdia", "US", "MA") is None


def test_a_street_named_like_a_town_is_not_the_town() -> None:
    """ "Selma Avenue" in Toledo is a street of Toledo, not Selma, Alabama: a name followed by
    a street word is never a place of its own."""
    assert _where("A woman was shot on Selma Avenue in Toledo, Ohio, late Friday.") == [
        ("Toledo", "US", "US.OH")
    ]
    assert _where("Police closed Selma Ave. near Kettle Rd in Toledo, Ohio.")[0][0] == "Toledo"
    # The town itself is still found.
    assert _where("Two people were hurt in Selma, Alabama.")[0][:2] == ("Selma", "US")
