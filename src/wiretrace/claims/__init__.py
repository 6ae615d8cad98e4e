"""Claims made in an article: quotes, figures, attributions and stitching artifacts.

`extract_claims(article)` runs every component and returns a `ClaimsReport`, serialised as
`wiretrace.claims/1` (docs/claims-json.md). No corpus is needed; `trace` embeds the same report
and adds the flags that need provenance (`cross_check`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from wiretrace.doc.article import Article

SCHEMA = "wiretrace.claims/1"


@dataclass(slots=True)
class ClaimsReport:
    """Everything the claims components found in one article."""

    article: Article
    quotes: list[Any] = field(default_factory=list)
    # Beliefs, plans, findings and stances attributed to someone: not quotes (`kind`).
    attributions: list[Any] = field(default_factory=list)
    figures: list[Any] = field(default_factory=list)
    casualties: dict[str, int | None] = field(default_factory=dict)
    entities: list[Any] = field(default_factory=list)
    sentences: list[Any] = field(default_factory=list)
    title_artifacts: list[str] = field(default_factory=list)
    loaded_by: str = "lexicon"  # which path found the sentences' loaded spans

    def quotes_in(self, index: int) -> list[Any]:
        """The quotes attributed in one sentence."""
        return [q for q in self.quotes if q.sentence_index == index]

    def to_dict(self) -> dict[str, Any]:
        article = self.article
        return {
            "schema": SCHEMA,
            "article": {
                "id": article.id,
                "url": article.url,
                "outlet": article.outlet,
                "title": article.title,
                "published_at": article.published_at.isoformat() if article.published_at else None,
            },
            "quotes": [_flat(q) for q in self.quotes],
            "attributions": [_flat(a) for a in self.attributions],
            "figures": [f.to_dict() for f in self.figures],
            "casualties": self.casualties,
            "entities": [e.to_dict() for e in self.entities],
            "sentences": [s.to_dict() for s in self.sentences],
            "title_artifacts": self.title_artifacts,
            "loaded_by": self.loaded_by,
        }


_SCALARS = (str, int, float, bool, type(None))
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _flat(obj: Any) -> dict[str, Any]:
    """A dataclass of scalar fields as a dict: what `to_dict` (`dataclasses.asdict`) gives,
    without asdict's recursive deep copy (a fifth of the whole pass once JSON is asked for).
    Any other object, or a field holding a container, goes through the object's own `to_dict`."""
    cls = type(obj)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        if not is_dataclass(cls):
            return _own(obj)
        names = _FIELD_NAMES.setdefault(cls, tuple(f.name for f in fields(cls)))
    out = {name: getattr(obj, name) for name in names}
    if all(isinstance(value, _SCALARS) for value in out.values()):
        return out
    return _own(obj)


def _own(obj: Any) -> dict[str, Any]:
    return dict(obj.to_dict())


def extract_claims(
    article: Article,
    *,
    parser: bool | None = None,
    tagger: bool | None = None,
    detector: bool | None = None,
) -> ClaimsReport:
    """Quotes, figures, casualties, entities, assertion classes, loaded language and artifacts.

    `parser`: reported speech from a dependency parse (the `parse` extra); `tagger`: from the
    trained attribution tagger (the `semantic` extra); see `find_quotes`. `detector`: loaded
    language and the other propaganda techniques from the trained detector (the `semantic`
    extra; None: when WIRETRACE_LOADED=detector); see `assertions.loaded_spans`."""
    from wiretrace.claims.artifacts import title_artifacts
    from wiretrace.claims.assertions import classify_sentences, loaded_spans
    from wiretrace.claims.entities import find_entities
    from wiretrace.claims.figures import casualty_summary, find_figures
    from wiretrace.claims.quotes import find_attributions

    figures = find_figures(article)
    found = find_attributions(article, parser=parser, tagger=tagger)
    loaded = loaded_spans(article.text, detector=detector)
    return ClaimsReport(
        article=article,
        quotes=[q for q in found if q.kind == "speech"],
        attributions=[q for q in found if q.kind != "speech"],
        figures=figures,
        casualties=casualty_summary(article, figures),
        entities=find_entities(article),
        sentences=classify_sentences(article, loaded=loaded),
        title_artifacts=title_artifacts(article),
        loaded_by=loaded[1],
    )


def cross_check(trace_report: Any, claims: ClaimsReport) -> None:
    """Flags that need both provenance and claims, added to the trace report's sentences, each
    with its reason in words (`trace.reasons`).

    `attribution_mismatch`: a quote credited to an outlet ("told Lumen TV") in a sentence taken
    from an article of another outlet whose sentence did not credit that outlet either.
    `likely_insertion`: a sentence with no source that asserts something with no one behind it
    (as fact, as opinion, or in loaded words); never a sentence that names who said it.
    """
    by_index = {s.index: s for s in claims.sentences}
    for trace in trace_report.sentences:
        index = trace.sentence.index
        best = trace.best
        quotes = claims.quotes_in(index)
        if best is not None and trace.status in ("copied", "paraphrased"):
            for quote in quotes:
                channel = quote.channel
                if (
                    channel
                    and not _same_outlet(channel, best.doc.outlet, best.doc.url)
                    and _letters(channel) not in _letters(best.text)
                ):
                    trace.flags.append("attribution_mismatch")
                    trace.reasons["attribution_mismatch"] = (
                        f'credits "{channel}", but it was taken from '
                        f"{best.doc.outlet or best.doc.url or best.doc.article_id}, whose "
                        "sentence credits no such outlet"
                    )
                    break
        sentence_claims = by_index.get(index)
        if sentence_claims is None:
            continue
        artifacts = list(sentence_claims.artifacts)
        named = any(q.speaker for q in quotes)
        if (
            trace.status == "unsourced"
            and not named
            and "caption" not in artifacts  # a caption left in is a leftover, not an insertion
            and (sentence_claims.assertion in ("unattributed", "opinion") or sentence_claims.loaded)
        ):
            trace.flags.append("likely_insertion")
            trace.reasons["likely_insertion"] = _insertion_reason(sentence_claims)
        if sentence_claims.loaded:
            trace.flags.append("loaded_language")
        trace.flags.extend(a for a in artifacts if a not in trace.flags)
    trace_report.claims = claims.to_dict()


def _insertion_reason(sentence_claims: Any) -> str:
    head = "no source has it, and "
    if sentence_claims.assertion == "opinion":
        return head + "it states an opinion without saying whose"
    if sentence_claims.assertion == "unattributed":
        reason = head + "it asserts it as fact without citing anyone"
    else:
        reason = head + "it is worded to sway"
    if sentence_claims.loaded:
        words = ", ".join(f'"{span.text}"' for span in sentence_claims.loaded[:3])
        reason += f" (loaded words: {words})"
    return reason


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _same_outlet(channel: str, outlet: str | None, url: str | None) -> bool:
    """Whether a quote's channel names the source article's outlet (by name or web domain)."""
    wanted = _letters(channel.removeprefix("the ").removeprefix("The "))
    if not wanted:
        return True
    names = [_letters(outlet or "")]
    if url:
        from urllib.parse import urlsplit

        host = (urlsplit(url).hostname or "").removeprefix("www.")
        names.append(_letters(host.split(".")[0]))
    return any(name and (wanted in name or name in wanted) for name in names)
