"""The api of the per-article analyses: `trace` (where each sentence came from) and `claims`
(quotes, figures, entities, assertions), on stored articles, files or URLs."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from wiretrace.claims import ClaimsReport
from wiretrace.doc.article import Article
from wiretrace.doc.pipeline import Component, registry
from wiretrace.errors import InputError, InputNotFound, MissingExtra
from wiretrace.store.articles import Store, default_db_path
from wiretrace.trace.params import DEFAULT_PARAMS as DEFAULT_TRACE_PARAMS
from wiretrace.trace.params import TraceParams
from wiretrace.trace.report import TraceReport
from wiretrace.trace.tracer import Tracer


def trace(
    targets: Iterable[str | Path],
    *,
    db: str | Path | None = None,
    input_format: str | None = None,
    params: TraceParams | None = None,
    semantic: bool | None = None,
) -> list[TraceReport]:
    """Trace articles (stored ids or urls, files, or URLs) against the store's earlier articles.

    A file or URL that is not stored is read and traced without being stored. `semantic`: None
    uses the store's semantic index when there is one, True insists, False skips it.
    """
    keys = [str(t) for t in targets]
    with Store(db) as store:
        tracer = Tracer(store, params=params or DEFAULT_TRACE_PARAMS, semantic=semantic)
        tracer.index.catch_up()
        reports = []
        for key in keys:
            for article in _resolve_target(key, store, input_format):
                reports.append(tracer.trace(article))
    return reports


def claims(
    targets: Iterable[str | Path],
    *,
    db: str | Path | None = None,
    input_format: str | None = None,
    parser: bool | None = None,
    tagger: bool | None = None,
    detector: bool | None = None,
) -> list[ClaimsReport]:
    """Quotes, figures, entities, assertion classes and artifacts of articles (no corpus needed).

    A target is a file or URL, or a stored id or url when the store exists. `parser=True` reads
    reported speech off a dependency parse (the `parse` extra; slower, higher recall); None
    follows the WIRETRACE_PARSER environment variable. `tagger`: quotes and other attributions
    from the trained attribution tagger with the rules' speakers (True; the `semantic` extra;
    the best measured on both the Gender Gap Tracker and PolNeAR, README) or from the rules
    alone (False; fast); None uses the tagger when installed unless the parser is asked for or
    WIRETRACE_ATTRIBUTION=rules. `detector`: loaded language and the other
    propaganda techniques from the trained detector (True; the `semantic` extra) or the lexicon
    (False); None uses the detector when installed unless WIRETRACE_LOADED=lexicon.
    """
    from wiretrace.claims import attribution, extract_claims, propaganda
    from wiretrace.claims import tagger as attribution_tagger

    if parser and not attribution.parser_available():
        raise MissingExtra("parse", "claims with --parser")
    if tagger and not attribution_tagger.available():
        raise MissingExtra("semantic", "claims with --tagger")
    if detector and not propaganda.available():
        raise MissingExtra("semantic", "claims with --detector")

    keys = [str(t) for t in targets]
    path = Path(db) if db is not None else default_db_path()
    reports = []
    store = Store(path, read_only=True) if path.exists() else None
    try:
        for key in keys:
            for article in _resolve_target(key, store, input_format):
                reports.append(
                    extract_claims(article, parser=parser, tagger=tagger, detector=detector)
                )
    finally:
        if store is not None:
            store.close()
    return reports


def _resolve_target(key: str, store: Store | None, input_format: str | None) -> list[Article]:
    """The article(s) a target names: a stored id or url first, else a file or URL."""
    stored = store.get(key) if store is not None else None
    if stored is not None:
        return [stored]
    from wiretrace.ingest.records import ReadOptions, to_article
    from wiretrace.ingest.sources import is_url, local_input, read_input

    key = local_input(key)
    if not is_url(key) and not Path(key).exists():
        raise InputNotFound("not a stored article id or url, nor a readable file", source=key)
    item: str | Path = key if is_url(key) else Path(key)
    if isinstance(item, Path) and item.is_dir():
        raise InputError("a trace target is one article or file, not a directory", source=key)
    articles = []
    for found in read_input(item, ReadOptions(), fmt=input_format):
        if isinstance(found, InputError):
            raise found
        article = to_article(found)
        articles.append((store.get(article.id) if store is not None else None) or article)
    if not articles:
        raise InputError("no article found to trace", source=key)
    return articles


def components() -> list[Component]:
    """Every registered pipeline component: its name, the layers it needs and sets, what it
    does (`doc/pipeline.py`), in registration order."""
    return list(registry().values())
