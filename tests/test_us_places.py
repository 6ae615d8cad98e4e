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
