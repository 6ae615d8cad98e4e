"""The claims components: each reads the article (and the layers it needs) and sets its layers.

`CLAIMS` is the order `extract_claims` runs them in. No corpus is needed for any of them.
"""

from __future__ import annotations

from wiretrace.claims import layers as L
from wiretrace.claims.artifacts import find_artifacts, title_artifacts
from wiretrace.claims.assertions import classify_sentences, loaded_spans, merge_artifacts
from wiretrace.claims.casualties import casualty_summary
from wiretrace.claims.entities import find_entities
from wiretrace.claims.figures import find_figures
from wiretrace.claims.quotes import find_attributions_by
from wiretrace.doc.article import Article
from wiretrace.doc.pipeline import Settings, component

CLAIMS = ("figures", "casualties", "quotes", "entities", "loaded", "assertions", "artifacts")


@component("figures", needs=("sentences",), sets=("figures",))
def figures(article: Article, settings: Settings) -> None:
    """Casualty counts and quantities, with who, where, when and says who."""
    article.set_layer(L.FIGURES, find_figures(article))


@component("casualties", needs=("figures",), sets=("casualties",))
def casualties(article: Article, settings: Settings) -> None:
    """The main incident's deaths by group and victims by kind of harm."""
    article.set_layer(L.CASUALTIES, casualty_summary(article, article.layer(L.FIGURES)))


@component("quotes", needs=("sentences",), sets=("quotes", "attributions", "quotes_by"))
def quotes(article: Article, settings: Settings) -> None:
    """Quotes and reported speech (the rules, the parse or the tagger with the rules'
    speakers), and other attributions."""
    found, path = find_attributions_by(article, parser=settings.parser, tagger=settings.tagger)
    article.set_layer(L.QUOTES, [q for q in found if q.kind == "speech"])
    article.set_layer(L.ATTRIBUTIONS, [q for q in found if q.kind != "speech"])
    article.set_layer(L.QUOTES_BY, path)


@component("entities", needs=("sentences",), sets=("entities",))
def entities(article: Article, settings: Settings) -> None:
    """People, organisations, places (geocoded) and outlets."""
    article.set_layer(L.ENTITIES, find_entities(article))


@component("loaded", sets=("loaded", "loaded_by"))
def loaded(article: Article, settings: Settings) -> None:
    """Loaded-language spans: the lexicon, or the trained detector when asked for."""
    spans, path = loaded_spans(article.text, detector=settings.detector)
    article.set_layer(L.LOADED, spans)
    article.set_layer(L.LOADED_BY, path)


@component("assertions", needs=("sentences", "loaded", "loaded_by"), sets=("assertions",))
def assertions(article: Article, settings: Settings) -> None:
    """Each sentence attributed, unattributed or opinion, with its loaded spans."""
    found = (article.layer(L.LOADED), article.layer(L.LOADED_BY))
    article.set_layer(L.ASSERTIONS, classify_sentences(article, loaded=found))


@component("artifacts", needs=("assertions", "entities"), sets=("artifacts", "title_artifacts"))
def artifacts(article: Article, settings: Settings) -> None:
    """Stitching artifacts (dangling reference, caption, dateline, repeat, cut headline), also
    added to each sentence's assertion record."""
    found = find_artifacts(article, article.layer(L.ENTITIES))
    article.set_layer(L.ARTIFACTS, found)
    merge_artifacts(article.layer(L.ASSERTIONS), found)
    article.set_layer(L.TITLE_ARTIFACTS, title_artifacts(article))
