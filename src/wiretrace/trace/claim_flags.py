"""Flags that need both a sentence's provenance and its claims (the `claim_flags` component).

`attribution_mismatch`: a quote credited to an outlet ("told Lumen TV") in a sentence taken from
an article of another outlet whose sentence did not credit that outlet either.
`likely_insertion`: a sentence with no source that asserts something with no one behind it (as
fact, as opinion, or in loaded words: the propaganda detector's spans when it ran, else the
lexicon's); never a sentence that names who said it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from wiretrace.claims.assertions import DETECTOR, LEXICON, SentenceClaims
from wiretrace.claims.found import Quote
from wiretrace.claims.layers import ASSERTIONS, LOADED_BY, QUOTES
from wiretrace.doc.article import Article
from wiretrace.doc.pipeline import Settings, component
from wiretrace.trace.layers import FLAGS, SENTENCE_TRACES, flags_of
from wiretrace.trace.report import SentenceTrace


@component(
    "claim_flags", needs=("sentence_traces", "quotes", "assertions", "loaded_by"), sets=("flags",)
)
def claim_flags(article: Article, settings: Settings) -> None:
    """Attribution mismatches and likely insertions, from the trace and the claims layers."""
    traces = article.layer(SENTENCE_TRACES)
    cross_check(
        traces, article.layer(QUOTES), article.layer(ASSERTIONS), loaded_by=article.layer(LOADED_BY)
    )
    article.set_layer(FLAGS, flags_of(traces))


def cross_check(
    traces: list[SentenceTrace],
    quotes: list[Quote],
    assertions: list[SentenceClaims],
    *,
    loaded_by: str = LEXICON,
) -> None:
    """Add the flags that need both provenance and claims to the sentence traces, each with its
    reason in words (`trace.reasons`); loaded language and artifacts are carried over.
    `loaded_by`: the path that found the loaded spans (the trained propaganda detector when it
    ran, else the lexicon), named in the reason."""
    by_index = {s.index: s for s in assertions}
    quotes_at: dict[int, list[Quote]] = {}
    for quote in quotes:
        quotes_at.setdefault(quote.sentence_index, []).append(quote)
    for trace in traces:
        index = trace.sentence.index
        best = trace.best
        quoted = quotes_at.get(index, [])
        if best is not None and trace.status in ("copied", "paraphrased"):
            for quote in quoted:
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
        named = any(q.speaker for q in quoted)
        if (
            trace.status == "unsourced"
            and not named
            and "caption" not in artifacts  # a caption left in is a leftover, not an insertion
            and (sentence_claims.assertion in ("unattributed", "opinion") or sentence_claims.loaded)
        ):
            trace.flags.append("likely_insertion")
            trace.reasons["likely_insertion"] = _insertion_reason(sentence_claims, loaded_by)
        if sentence_claims.loaded:
            trace.flags.append("loaded_language")
        trace.flags.extend(a for a in artifacts if a not in trace.flags)


def _insertion_reason(sentence_claims: SentenceClaims, loaded_by: str) -> str:
    head = "no source has it, and "
    if sentence_claims.assertion == "opinion":
        return head + "it states an opinion without saying whose"
    if sentence_claims.assertion == "unattributed":
        reason = head + "it asserts it as fact without citing anyone"
    else:
        reason = head + "it is worded to sway"
    if sentence_claims.loaded:
        words = ", ".join(f'"{span.text}"' for span in sentence_claims.loaded[:3])
        by = "the propaganda detector" if loaded_by == DETECTOR else "the loaded-word lexicon"
        reason += f" (loaded words found by {by}: {words})"
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
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        names.append(_letters(host.split(".")[0]))
    return any(name and (wanted in name or name in wanted) for name in names)
