"""The claims report: what the claims components set on an article, as `wiretrace.claims/1`.

`extract_claims(article)` runs the claims components (`components.CLAIMS`) and reads their
layers into a `ClaimsReport` (docs/claims-json.md). No corpus is needed; `trace` embeds the same
report and adds the flags that need provenance (`trace/claim_flags.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from wiretrace.claims import attribution
from wiretrace.claims import layers as L
from wiretrace.claims import tagger as attribution_tagger
from wiretrace.claims.assertions import SentenceClaims
from wiretrace.claims.components import CLAIMS
from wiretrace.claims.entities import Entity
from wiretrace.claims.figures import Figure
from wiretrace.claims.found import Quote
from wiretrace.doc import pipeline
from wiretrace.doc.article import Article

SCHEMA = "wiretrace.claims/1"


@dataclass(slots=True)
class ClaimsReport:
    """Everything the claims components found in one article (read off its layers)."""

    article: Article
    quotes: list[Quote] = field(default_factory=list)
    # Beliefs, plans, findings and stances attributed to someone: not quotes (`kind`).
    attributions: list[Quote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    casualties: dict[str, int | None] = field(default_factory=dict)
    entities: list[Entity] = field(default_factory=list)
    sentences: list[SentenceClaims] = field(default_factory=list)
    title_artifacts: list[str] = field(default_factory=list)
    loaded_by: str = "lexicon"  # which path found the sentences' loaded spans
    quotes_by: str = "rules"  # which reader found the quotes and attributions

    @classmethod
    def from_layers(cls, article: Article) -> ClaimsReport:
        """The report of an article the claims components have run on."""
        return cls(
            article=article,
            quotes=article.layer(L.QUOTES),
            attributions=article.layer(L.ATTRIBUTIONS),
            figures=article.layer(L.FIGURES),
            casualties=article.layer(L.CASUALTIES),
            entities=article.layer(L.ENTITIES),
            sentences=article.layer(L.ASSERTIONS),
            title_artifacts=article.layer(L.TITLE_ARTIFACTS),
            loaded_by=article.layer(L.LOADED_BY),
            quotes_by=article.layer(L.QUOTES_BY),
        )

    def quotes_in(self, index: int) -> list[Quote]:
        """The quotes attributed in one sentence."""
        return [q for q in self.quotes if q.sentence_index == index]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "article": self.article.meta(),
            "quotes": [_flat(q) for q in self.quotes],
            "attributions": [_flat(a) for a in self.attributions],
            "figures": [f.to_dict() for f in self.figures],
            "casualties": self.casualties,
            "entities": [e.to_dict() for e in self.entities],
            "sentences": [s.to_dict() for s in self.sentences],
            "title_artifacts": self.title_artifacts,
            "loaded_by": self.loaded_by,
            "quotes_by": self.quotes_by,
        }


_SCALARS = (str, int, float, bool, type(None))
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _flat(obj: Quote) -> dict[str, Any]:
    """A dataclass of scalar fields as a dict: what `to_dict` (`dataclasses.asdict`) gives,
    without asdict's recursive deep copy (a fifth of the whole pass once JSON is asked for)."""
    cls = type(obj)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        if not is_dataclass(cls):
            return dict(obj.to_dict())
        names = _FIELD_NAMES.setdefault(cls, tuple(f.name for f in fields(cls)))
    out = {name: getattr(obj, name) for name in names}
    if all(isinstance(value, _SCALARS) for value in out.values()):
        return out
    return dict(obj.to_dict())


def extract_claims(
    article: Article,
    *,
    parser: bool | None = None,
    tagger: bool | None = None,
    detector: bool | None = None,
) -> ClaimsReport:
    """Quotes, figures, casualties, entities, assertion classes, loaded language and artifacts.

    `parser`: reported speech from a dependency parse (the `parse` extra); `tagger`: quotes and
    other attributions from the trained attribution tagger with the rules' speakers (the
    `semantic` extra; None: the tagger unless the parser is asked for or
    WIRETRACE_ATTRIBUTION=rules; without the extra the rules); see `find_quotes`. `detector`:
    loaded language and the other propaganda techniques from the trained detector (the
    `semantic` extra; None: unless WIRETRACE_LOADED=lexicon); see `assertions.loaded_spans`.
    Paths that read claims in bulk run the components themselves and keep the rules and the
    lexicon (trace flags, corroboration) or ask for them (the quotes index)."""
    if tagger is None:
        asked_parser = parser or (parser is None and attribution.wanted())
        tagger = not asked_parser and attribution_tagger.wanted(default=True)
    settings = pipeline.Settings(parser=parser, tagger=tagger, detector=detector)
    return ClaimsReport.from_layers(pipeline.run(article, CLAIMS, settings))


def bulk_quotes(article: Article) -> list[Quote]:
    """An article's quotes on the fast path, for callers that read many articles (the quotes
    index): the rules (unless WIRETRACE_ATTRIBUTION=tagger) and only the components quotes
    need."""
    settings = pipeline.Settings(tagger=attribution_tagger.wanted(), detector=False)
    return pipeline.run(article, ("quotes",), settings).layer(L.QUOTES)
