"""The layers a trace sets on the article it traces (`tracer.Tracer.trace`)."""

from __future__ import annotations

from dataclasses import dataclass

from wiretrace.doc.layers import LayerKey
from wiretrace.trace.report import Passage, SentenceTrace, TitleTrace


@dataclass(frozen=True, slots=True)
class Flag:
    """One flag on one sentence, with its reason in words (empty when the name says it all)."""

    name: str
    reason: str
    sentence_index: int
    start: int
    end: int


SENTENCE_TRACES: LayerKey[list[SentenceTrace]] = LayerKey(
    "sentence_traces", "per sentence: status, sources, changes, covered spans (tracer.py)"
)
PASSAGES: LayerKey[list[Passage]] = LayerKey(
    "passages", "runs of consecutive sentences taken from one source"
)
TITLE_TRACE: LayerKey[TitleTrace | None] = LayerKey(
    "title_trace", "the title's words against the candidate sources"
)
FLAGS: LayerKey[list[Flag]] = LayerKey(
    "flags", "what a fact-checker should look at, per sentence, with reasons (flags.py)"
)


def flags_of(traces: list[SentenceTrace]) -> list[Flag]:
    """The flags the sentence traces carry, as one layer in text order."""
    return [
        Flag(name, t.reasons.get(name, ""), t.sentence.index, t.sentence.start, t.sentence.end)
        for t in traces
        for name in t.flags
    ]
