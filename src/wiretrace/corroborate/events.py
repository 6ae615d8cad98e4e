"""Articles grouped by the real-world event they report, for any kind of news.

Claim groups (`groups.py`) join figures with the same key, place and date; an article with no
figure, or one giving killed where another gives injured, is left out of them. Events are found
on whole articles instead, from what they say together (`event_pairs.py`):

* candidates: articles published within `FOLLOW_DAYS` of each other that share words, and up to
  `LATE_DAYS` apart those that name the same rare person or place in full (late follow-ups:
  trials, sentencing, anniversaries name the victim);
* each candidate pair gets a probability of reporting one event from text, proper-noun and title
  TF-IDF cosines, the days between publications and between the incident dates the articles
  state, whether the victims' ages and the titles' numbers agree, and shared rare names;
* articles are clustered by average linkage (`linkage.py`): two groups merge while the mean
  probability over all their pairs is at least `LINK_THRESHOLD`, so an article joins an event
  when it is like enough of its articles, not one of them (a shared city name alone no longer
  chains two shootings into one);
* sentences found in `BOILERPLATE_DF` or more distinct texts are dropped first (site menus,
  subscription pleas, copyright lines); exact copies of one text count once, so a story stored
  three times keeps its words;
* figures are not needed: an article with none still joins its event, and killed and injured
  counts of one event are in one group.

An article published more than `NEAR_DAYS` after its event's first article is a follow-up.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from numpy.typing import NDArray

from wiretrace.corroborate.event_pairs import (
    FOLLOW_DAYS,
    LATE_DAYS,
    LEAD_CHARS,
    DocFeatures,
    candidate_pairs,
    doc_features,
    likely_pairs,
    pair_features,
)
from wiretrace.corroborate.linkage import average_linkage
from wiretrace.doc.words import MONTHS, WEEKDAYS

NEAR_DAYS = 7  # later than this after the event's first article: a follow-up
LINK_THRESHOLD = 0.25  # mean same-event probability for two groups to merge (dev half)
EDGE_FLOOR = 0.02  # pairs less likely than this are left out of the graph (they add ~0)
NEIGHBOURS = 20  # an article's most likely pairs kept (`_strongest`)
__all__ = [
    "FOLLOW_DAYS",
    "LATE_DAYS",
    "Event",
    "EventDoc",
    "candidate_features",
    "cluster_scored",
    "group_events",
]

# A title's outlet suffix: " | abc7ny.com", " - WXYZ.com-Springfield, IL News", " « CBS Denver".
_SITE_SUFFIX = re.compile(r"\s+(?:[|«»]|-|–|—)\s+(?:\S+\s*){1,10}$")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
BOILERPLATE_DF = 3  # a sentence in this many articles or more is boilerplate, not news
_PROPER = re.compile(r"(?<![.!?\n]\s)(?<!^)\b([A-Z][a-z]{2,})\b")
# Capitalised words that name no particular event: institutions' generic words, days, months.
_NAME_STOP = (
    frozenset(
        re.findall(
            r"\w+",
            """Police Department County Sheriff Office News Street Avenue Road The This That
            Copyright All Rights Reserved Click Here""",
        )
    )
    | WEEKDAYS
    | MONTHS
)


@dataclass(frozen=True, slots=True)
class EventDoc:
    """What event grouping reads of one article."""

    article_id: str
    title: str
    text: str
    published: date | None
    outlet: str = ""  # the publishing site's host, when known


@dataclass(slots=True)
class Event:
    """One real-world event: its articles in publication order, which of them are follow-ups."""

    id: str
    articles: list[str] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "articles": self.articles, "follow_ups": self.follow_ups}


def _clean_title(title: str) -> str:
    """The title without outlet suffixes (never less than its first four words)."""
    title = title.strip()
    while True:
        shorter = _SITE_SUFFIX.sub("", title)
        if shorter == title or len(shorter.split()) < 4:
            return title
        title = shorter


def _sentence_keys(text: str) -> list[tuple[str, str]]:
    """Each sentence of a text with its normalised form."""
    return [
        (m.group(0), " ".join(m.group(0).lower().split()))
        for m in _SENTENCE.finditer(text)
        if m.group(0).strip()
    ]


# A sentence's shape: its words with names (capitalised words after the first) and numbers
# masked, so "Whenever Kim Bell posts new content" and "Whenever Randy Mitchell posts new
# content" are one template.
_SLOT = re.compile(r"(?<=\s)[A-Z][\w'’.-]*|\d[\d,.:]*")


_PLAIN_WORD = re.compile(r"\b[a-z]{3,}\b")


def _shape(raw: str) -> str:
    """The sentence's template, or "" when too few plain words are left to call it one (a
    list of names is news, not a template)."""
    shape = _SLOT.sub("_", raw.strip())
    return shape if len(_PLAIN_WORD.findall(shape)) >= 4 else ""


def without_boilerplate(texts: Sequence[str]) -> list[str]:
    """Texts without the sentences that `BOILERPLATE_DF` or more of them share (site menus,
    subscription pleas, copyright lines), and without those of a template that `BOILERPLATE_DF`
    or more different sentences fill with other names or numbers ("email notifications on
    NAME"): they make unrelated stories of one outlet alike."""
    split = [_sentence_keys(text) for text in texts]
    distinct = {text: sentences for text, sentences in zip(texts, split, strict=True)}
    df = Counter(
        key for sentences in distinct.values() for key in {k for _, k in sentences if len(k) > 20}
    )
    variants: dict[str, set[str]] = {}  # a template's sentences, and the texts holding it
    holders: Counter[str] = Counter()
    for sentences in distinct.values():
        shapes = set()
        for raw, key in sentences:
            if len(key) > 20 and (shape := _shape(raw)):
                variants.setdefault(shape, set()).add(key)
                shapes.add(shape)
        holders.update(shapes)
    templates = {s for s, keys in variants.items() if min(len(keys), holders[s]) >= BOILERPLATE_DF}
    return [
        " ".join(
            raw
            for raw, key in sentences
            if df.get(key, 0) < BOILERPLATE_DF and _shape(raw) not in templates
        )
        for sentences in split
    ]


def _days(a: date | None, b: date | None) -> int:
    return abs((a - b).days) if a is not None and b is not None else 0


def _proper_nouns(text: str) -> str:
    """Capitalised words not opening a sentence (places, names, bodies), lower-cased."""
    return " ".join(w.lower() for w in _PROPER.findall(text) if w not in _NAME_STOP)


def _doc_features(docs: Sequence[EventDoc]) -> DocFeatures | None:
    texts = without_boilerplate([d.text for d in docs])
    titles = [_clean_title(d.title) for d in docs]
    leads = [title + ". " + text[:LEAD_CHARS] for title, text in zip(titles, texts, strict=True)]
    return doc_features(
        texts,
        titles,
        leads,
        [_proper_nouns(lead) for lead in leads],
        [d.published for d in docs],
        [d.outlet for d in docs],
    )


def candidate_features(
    docs: Sequence[EventDoc], floor: float | None = None
) -> tuple[NDArray[np.int64], NDArray[np.float64]] | None:
    """The candidate pairs of these articles, (m, 2) indices i < j, and their `FEATURES` rows
    (None when there is nothing to compare); with `floor`, only pairs at least that likely."""
    features = _doc_features(docs)
    if features is None:  # nothing but stop words in any article: nothing to compare
        return None
    pairs = candidate_pairs(features)
    return pair_features(features, pairs, floor) if len(pairs) else None


def _scored_pairs(docs: Sequence[EventDoc]) -> Iterator[tuple[int, int, float]]:
    """(i, j, probability of one event) of the candidate pairs at least EDGE_FLOOR likely."""
    features = _doc_features(docs)
    if features is None:
        return
    pairs = candidate_pairs(features)
    if not len(pairs):
        return
    pairs, probability = likely_pairs(features, pairs, EDGE_FLOOR)
    keep = _strongest(pairs, probability, len(docs))
    for (i, j), p in zip(pairs[keep].tolist(), probability[keep].tolist(), strict=True):
        yield i, j, p


def _strongest(
    pairs: NDArray[np.int64], probability: NDArray[np.float64], n: int
) -> NDArray[np.bool_]:
    """Which pairs are among the `NEIGHBOURS` most likely of either of their articles: a story
    retold in a templated style (the same words about another day's strike) gives an article
    thousands of likely pairs, and the linkage's cost grows with them."""
    ends = np.concatenate([pairs[:, 0], pairs[:, 1]])
    scores = np.concatenate([probability, probability])
    index = np.concatenate([np.arange(len(pairs))] * 2)
    order = np.lexsort((-scores, ends))  # by article, most likely first
    ends, index = ends[order], index[order]
    starts = np.searchsorted(ends, ends, side="left")
    rank = np.arange(len(ends)) - starts
    keep = np.zeros(len(pairs), dtype=bool)
    keep[index[rank < NEIGHBOURS]] = True
    return keep


def cluster_scored(
    n: int, pairs: NDArray[np.int64], probability: NDArray[np.float64], threshold: float
) -> list[int]:
    """A label per article from pairs scored some other way (`benchmarks/eval_events.py --cv`
    scores them out of fold): the pairs at least `EDGE_FLOOR` likely, each article's
    `NEIGHBOURS` strongest, average linkage at `threshold`, as `group_events` does."""
    likely = probability >= EDGE_FLOOR
    pairs, probability = pairs[likely], probability[likely]
    keep = _strongest(pairs, probability, n)
    edges = zip(pairs[keep].tolist(), probability[keep].tolist(), strict=True)
    return average_linkage(n, [(i, j, p) for (i, j), p in edges], threshold)


def group_events(docs: Sequence[EventDoc]) -> list[Event]:
    """The events of these articles: every article in exactly one event."""
    edges = list(_scored_pairs(docs)) if len(docs) > 1 else []
    label = average_linkage(len(docs), edges, LINK_THRESHOLD)
    order = sorted(range(len(docs)), key=lambda i: (docs[i].published or date.min, i))
    members: dict[int, list[int]] = {}
    for i in order:
        members.setdefault(label[i], []).append(i)
    events = []
    for group in members.values():
        ids = [docs[i].article_id for i in group]
        first = docs[group[0]].published
        follow = [
            docs[i].article_id
            for i in group[1:]
            if first is not None and _days(docs[i].published, first) > NEAR_DAYS
        ]
        digest = hashlib.sha1(min(ids).encode()).hexdigest()[:12]
        events.append(Event(id="evt-" + digest, articles=ids, follow_ups=follow))
    events.sort(key=lambda e: e.id)
    return events
