"""Entities: alias merging, acronym linking, people, outlets and offline place resolution."""

from __future__ import annotations

import pytest

from wiretrace.claims.entities import Entity, canonical_org, find_entities
from wiretrace.claims.places import resolve_place
from wiretrace.doc.article import Article


def entities(text: str) -> list[Entity]:
    return find_entities(Article.create(text, title="Test"))


def by_text(found: list[Entity]) -> dict[str, Entity]:
    return {e.text: e for e in found}


def test_islamic_state_aliases_merge() -> None:
    found = entities(
        "Daesh fighters left the town. ISIS still held the bridge and IS snipers fired on "
        "it, while ISIL commanders and the Islamic State council fled."
    )
    orgs = [e for e in found if e.kind == "organisation"]
    assert {e.text for e in orgs} == {"Daesh", "ISIS", "IS", "ISIL", "Islamic State"}
    assert {e.canonical for e in orgs} == {"Islamic State"}


def test_observatory_merges_only_after_it_was_named() -> None:
    named = entities(
        "The Syrian Observatory for Human Rights counted 9 dead. The observatory said more "
        "were missing, and SOHR repeated it."
    )
    canon = {e.text: e.canonical for e in named if e.kind == "organisation"}
    assert canon["Syrian Observatory for Human Rights"] == "Syrian Observatory for Human Rights"
    assert canon["The observatory"] == "Syrian Observatory for Human Rights"
    assert canon["SOHR"] == "Syrian Observatory for Human Rights"
    unnamed = entities("The observatory said 9 people were missing after the raid.")
    assert not [e for e in unnamed if e.kind == "organisation"]


def test_sdf_ypg_and_canonical_org() -> None:
    found = by_text(entities("The SDF includes the YPG. The Syrian Democratic Forces advanced."))
    assert found["SDF"].canonical == found["Syrian Democratic Forces"].canonical
    assert found["YPG"].canonical == "People's Protection Units"
    assert canonical_org("Daesh") == "Islamic State"
    assert canonical_org("the ISIL") == "Islamic State"
    assert canonical_org("Peoples’ Protection Units") == "People's Protection Units"
    assert canonical_org("Brennic Salt Company") == "Brennic Salt Company"


def test_acronym_defined_in_parentheses_links_both() -> None:
    found = entities(
        "Fighters of the Tarn Ridge Brigades (TRB) entered Oskel at dawn. Later the TRB "
        "said it held the ferry."
    )
    trb = [e for e in found if e.text == "TRB"]
    assert len(trb) == 2
    assert {e.canonical for e in trb} == {"Tarn Ridge Brigades"}


def test_acronym_matching_initials_links_without_parentheses() -> None:
    found = by_text(entities("Lusa Valley Forces units moved north. An LVF officer said so."))
    assert found["LVF"].canonical == "Lusa Valley Forces"


def test_people_by_title_role_and_surname() -> None:
    found = entities(
        "Lt. Gen. Orla Quenby met reporters. Militia spokesman Davit Arrun said the road was "
        "open. Arrun added that talks would resume."
    )
    people = [e for e in found if e.kind == "person"]
    assert [e.canonical for e in people] == ["Orla Quenby", "Davit Arrun", "Davit Arrun"]
    assert people[0].text == "Lt. Gen. Orla Quenby"


def test_outlets() -> None:
    found = by_text(
        entities(
            "Pell told Reuters the toll had risen. State news agency Velnet said otherwise, "
            "and a reporter for Meridian Press and the AP confirmed it."
        )
    )
    assert found["Reuters"].kind == "outlet"
    assert found["Velnet"].kind == "outlet"
    assert found["Meridian Press"].kind == "outlet"
    assert found["AP"].canonical == "Associated Press"


def test_offsets_and_dict() -> None:
    article = Article.create("Militias shelled Mosul on Monday, the ministry said.", title="T")
    for e in find_entities(article):
        assert article.text[e.start : e.end] == e.text
    mosul = next(e for e in find_entities(article) if e.text == "Mosul")
    assert set(mosul.to_dict()) == {"kind", "text", "canonical", "start", "end", "lat", "lon"}
    assert mosul.kind == "place" and mosul.lat is not None


@pytest.mark.parametrize("name", ["Raqqa", "Raqa", "Ar-Raqqah", "ar-Raqqah", "RAQQA", "Raqqah"])
def test_raqqa_variants_resolve_to_one_place(name: str) -> None:
    place = resolve_place(name)
    assert place is not None
    assert place.name == "Ar Raqqah"
    assert place.lat == pytest.approx(35.95, abs=0.05)


def test_tabqa_mashlab_mosul_and_unknowns() -> None:
    tabqa, al_tabqa = resolve_place("Tabqa"), resolve_place("al-Tabqa")
    assert tabqa is not None and tabqa == al_tabqa and tabqa.country == "SY"
    mashlab = resolve_place("Al Mashlab")
    assert mashlab is not None and mashlab.approximate
    mosul = resolve_place("Mosul")
    assert mosul is not None and mosul.country == "IQ"
    assert resolve_place("Velmora") is None
    assert resolve_place("SDF") is None  # an airport code among Louisville's alternate names


def test_places_in_text_and_common_words() -> None:
    found = entities(
        "Police said convoys left al-Tabqa for Raqa. Refugees crossed near the Tessel Gate "
        "and reached Hollin Ford, a village on the river."
    )
    places = {e.text: e for e in found if e.kind == "place"}
    assert places["al-Tabqa"].canonical == "Al-Tabqa"
    assert places["Raqa"].canonical == "Ar Raqqah"
    assert places["Tessel Gate"].lat is None
    assert "Hollin Ford" in places
    assert "Police" not in places


def test_hyphen_tail_and_possessive_are_cut() -> None:
    found = by_text(entities("The US-backed militia held Mosul's old city for a week."))
    assert found["US"].canonical == "United States"
    assert found["Mosul"].kind == "place"


def test_credit_short_forms_and_speaker_after_verb() -> None:
    found = entities(
        "OSKEL, Brenmark (BL) — The Tessel Harbour Watch counted 40 ships. "
        '"The port is closed," said Marta Quell, a pilot. The Harbour Watch repeated it to BL.'
    )
    kinds = {(e.text, e.kind, e.canonical) for e in found}
    assert ("BL", "outlet", "BL") in kinds
    assert ("Marta Quell", "person", "Marta Quell") in kinds
    assert ("Harbour Watch", "organisation", "Tessel Harbour Watch") in kinds
