"""The layers the claims components set on an article (`claims/components.py`)."""

from __future__ import annotations

from wiretrace.claims.assertions import LoadedSpan, SentenceClaims
from wiretrace.claims.entities import Entity
from wiretrace.claims.figures import Figure
from wiretrace.claims.found import Quote
from wiretrace.doc.layers import LayerKey

FIGURES: LayerKey[list[Figure]] = LayerKey("figures", "casualty counts and quantities (figures.py)")
CASUALTIES: LayerKey[dict[str, int | None]] = LayerKey(
    "casualties", "the main incident's victims by group and kind (casualties.py, victims.py)"
)
QUOTES: LayerKey[list[Quote]] = LayerKey("quotes", "quotes and reported speech (quotes.py)")
ATTRIBUTIONS: LayerKey[list[Quote]] = LayerKey(
    "attributions", "beliefs, plans and findings attributed to someone: not quotes (kinds.py)"
)
QUOTES_BY: LayerKey[str] = LayerKey(
    "quotes_by", 'which reader found the quotes ("tagger", "parser" or "rules")'
)
ENTITIES: LayerKey[list[Entity]] = LayerKey(
    "entities", "people, organisations, places and outlets named (entities.py)"
)
LOADED: LayerKey[list[LoadedSpan]] = LayerKey(
    "loaded", "loaded-language and other propaganda-technique spans (assertions.py)"
)
LOADED_BY: LayerKey[str] = LayerKey("loaded_by", 'which path found the loaded spans ("lexicon")')
ASSERTIONS: LayerKey[list[SentenceClaims]] = LayerKey(
    "assertions",
    "per sentence: attributed, unattributed or opinion, its loaded spans and artifacts",
)
ARTIFACTS: LayerKey[dict[int, list[str]]] = LayerKey(
    "artifacts", "stitching artifacts per sentence index (artifacts.py)"
)
TITLE_ARTIFACTS: LayerKey[list[str]] = LayerKey(
    "title_artifacts", "stitching artifacts of the title (a headline cut at the front)"
)
