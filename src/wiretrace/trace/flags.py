"""Flags that need a sentence and the source it was taken from, each with its reason in words.

* `attribution_removed`: a copied (or closely paraphrased) sentence whose source credited what it
  says to someone ("he said", "according to X", "told X") and which no longer does: the claim now
  reads as the outlet's own.
* `time_shift`: a relative date ("on Monday", "yesterday", "last week") copied from a source
  published on another day: read against the copy's own date, the same words name another day.
  The sentence's claims are dated from the source (the day the words were written on).

Pure functions over a trace report; `apply` runs them after tracing (and after claims).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from wiretrace.claims.dates import DATE_PHRASE, resolve_match
from wiretrace.claims.quote_patterns import ACCORDING_RE, CUE_RE
from wiretrace.trace.report import SentenceTrace, SourceMatch, TraceReport

# A reporting phrase: "according to X" or a speech cue next to a speaker ("he said", "said the
# minister", "Reuters reported", "told reporters").
_ATTRIBUTION = re.compile(
    r"\baccording to\b[^,;.]*"
    r"|\b(?:he|she|they|it|we|I|officials?|sources?|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})"
    r"\s+(?:" + CUE_RE.pattern + r")"
    r"|(?:" + CUE_RE.pattern + r")\s+(?:the\s+)?(?:he|she|they|reporters|[A-Z][\w'’.-]*)"
)
# Relative date phrases only: absolute dates ("June 6") mean the same day whoever prints them.
_RELATIVE_GROUPS = ("wd", "rel", "ago_n")
_CLOSE = 0.6  # a paraphrase below this similarity is too loose to say what it dropped


def apply(report: TraceReport) -> None:
    """Add `attribution_removed` and `time_shift` to the report's sentences, with reasons."""
    published = report.article.published_at
    for trace in report.sentences:
        best = trace.best
        if best is None or trace.status not in ("copied", "paraphrased"):
            continue
        if "partly_derived" in trace.flags:
            continue  # new words around copied runs: what is "missing" was never taken
        dropped = attribution_removed(trace.sentence.text, best)
        if dropped:
            _flag(
                trace,
                "attribution_removed",
                f'the source credits this to someone ("{dropped}"); the copy does not',
            )
        if published is not None and best.doc.published_at is not None:
            shift = time_shift(trace.sentence.text, best, published.date())
            if shift is not None:
                phrase, in_source, in_copy = shift
                _flag(
                    trace,
                    "time_shift",
                    f'"{phrase}" meant {in_source.isoformat()} in the source (published '
                    f"{best.doc.published_at.date().isoformat()}); read on "
                    f"{published.date().isoformat()} it means {in_copy.isoformat()}",
                )
                _redate_claims(report, trace.sentence.index, in_copy, in_source)


def attribution_removed(target: str, source: SourceMatch) -> str | None:
    """The attribution phrase of the source sentence that the copy dropped, or None."""
    if source.similarity < _CLOSE and not source.changes:
        return None
    source_text = source.text
    found = [m.group().strip() for m in _ATTRIBUTION.finditer(source_text)]
    if not found or _ATTRIBUTION.search(target) or ACCORDING_RE.search(target):
        return None
    if CUE_RE.search(target):
        return None  # credited in other words
    return found[0]


def time_shift(target: str, source: SourceMatch, copy_day: date) -> tuple[str, date, date] | None:
    """(phrase, the day it named in the source, the day it names in the copy) when they differ."""
    source_day = source.doc.published_at
    assert source_day is not None
    source_text = source.text.casefold()
    for match in DATE_PHRASE.finditer(target):
        groups = match.groupdict()
        if not any(groups[g] for g in _RELATIVE_GROUPS):
            continue
        phrase = match.group()
        if phrase.casefold() not in source_text:
            continue  # the copy wrote its own date words: they are its own
        in_source = resolve_match(match, source_day)
        in_copy = resolve_match(match, copy_day)
        if in_source is not None and in_copy is not None and in_source != in_copy:
            return phrase, in_source, in_copy
    return None


def _flag(trace: SentenceTrace, flag: str, reason: str) -> None:
    if flag not in trace.flags:
        trace.flags.append(flag)
    trace.reasons[flag] = reason


def _redate_claims(report: TraceReport, index: int, in_copy: date, in_source: date) -> None:
    """Figures of the sentence dated by the shifted phrase take the source's date."""
    claims: dict[str, Any] | None = report.claims
    if not claims:
        return
    for figure in claims.get("figures", []):
        if figure.get("sentence_index") == index and figure.get("date") == in_copy.isoformat():
            figure["date"] = in_source.isoformat()
            figure["date_from"] = "source"
