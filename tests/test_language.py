"""Language identification: the English fast path and py3langid for the rest."""

from __future__ import annotations

from wiretrace.doc.language import detect_language

ENGLISH = (
    "The river authority said on Friday that it had opened the northern gates of the dam, and "
    "farmers in the valley were told to move their animals to higher ground before the water "
    "reached the fields that they had planted in the spring."
)
GERMAN = (
    "Die Behörde öffnete am Freitag die nördlichen Tore des Damms, und die Bauern im Tal wurden "
    "gebeten, ihre Tiere vor dem Hochwasser auf höher gelegene Weiden zu bringen."
)
FRENCH = (
    "Les autorités ont ouvert vendredi les vannes du barrage, et les agriculteurs de la vallée "
    "ont été priés de mettre leurs bêtes à l'abri avant l'arrivée de la crue."
)


def test_english_german_french() -> None:
    assert detect_language(ENGLISH) == "en"
    assert detect_language(GERMAN) == "de"
    assert detect_language(FRENCH) == "fr"


def test_too_short_or_no_letters() -> None:
    assert detect_language("Breaking.") is None
    assert detect_language("12 34 56 78 90 " * 20) is None
