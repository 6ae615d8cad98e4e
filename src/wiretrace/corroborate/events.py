"""Articles grouped by the real-world event they report, for any kind of news.

Claim groups (`groups.py`) join figures with the same key, place and date; an article with no
figure, or one giving killed where another gives injured, is left out of them. Events are found
on whole articles instead, from what they say together:

* text: TF-IDF cosine of the whole texts (sublinear counts, English stop words dropped);
* names: TF-IDF cosine of the proper nouns of title and lead (capitalised words that do not
  open a sentence: the town, the street, the victim's and the suspect's names, the police
  department), which stay when the story is rewritten or followed up;
* time: within `NEAR_DAYS` of each other a moderate similarity of either kind is enough; up to
  `FOLLOW_DAYS` apart only a strong one (follow-ups: arrests, charges, funerals, trials);
* figures are not needed: an article with none still joins its event, and killed and injured
  counts of one event are in one group.

Pairs above the thresholds are joined (single link, union-find). An article published more
than `NEAR_DAYS` after its event's first article is listed as a follow-up.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from wiretrace.doc.words import MONTHS, WEEKDAYS

# Thresholds developed on the dev half of benchmarks/eval_events.py (README).
NEAR_DAYS = 7
FOLLOW_DAYS = 60
NEAR_COSINE = 0.25  # whole-text TF-IDF cosine alone, within NEAR_DAYS
NEAR_NAMES = 0.20  # proper-noun TF-IDF cosine of title and lead, within NEAR_DAYS ...
NEAR_WITH_NAMES = 0.15  # ... with at least this whole-text cosine
FOLLOW_COSINE = 0.40  # within FOLLOW_DAYS
FOLLOW_NAMES = 0.40  # proper nouns within FOLLOW_DAYS ...
FOLLOW_WITH_NAMES = 0.20  # ... with at least this whole-text cosine
LEAD_CHARS = 600
BLOCK = 2000  # articles compared at once (against those up to FOLLOW_DAYS before them)

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


def _without_boilerplate(texts: Sequence[str]) -> list[str]:
    """Texts without the sentences that `BOILERPLATE_DF` or more of them share (site menus,
    subscription pleas, copyright lines): they make unrelated stories of one outlet alike."""
    split = [_sentence_keys(text) for text in texts]
    df = Counter(key for sentences in split for key in {k for _, k in sentences if len(k) > 20})
    return [
        " ".join(raw for raw, key in sentences if df.get(key, 0) < BOILERPLATE_DF)
        for sentences in split
    ]


def _lead(doc: EventDoc) -> str:
    body = doc.text
    if doc.title and body.startswith(doc.title):
        body = body[len(doc.title) :]
    return body.strip()[:LEAD_CHARS]


def _find(parent: list[int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _days(a: date | None, b: date | None) -> int:
    return abs((a - b).days) if a is not None and b is not None else 0


def _proper_nouns(text: str) -> str:
    """Capitalised words not opening a sentence (places, names, bodies), lower-cased."""
    return " ".join(w.lower() for w in _PROPER.findall(text) if w not in _NAME_STOP)


def _similarities(docs: Sequence[EventDoc]) -> Iterator[tuple[int, int, float, float]]:
    """(i, j, text cosine, proper-noun cosine) of the article pairs within `FOLLOW_DAYS` that
    share a word (i in a block of `BLOCK` articles, j up to `FOLLOW_DAYS` before its last)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = _without_boilerplate([d.text for d in docs])
    leads = [
        _clean_title(d.title) + ". " + text[:LEAD_CHARS]
        for d, text in zip(docs, texts, strict=True)
    ]
    text = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float32)
    proper = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, token_pattern=r"\S+")
    try:
        words = text.fit_transform(texts).tocsr()
    except ValueError:  # nothing but stop words in any article: nothing to compare
        return
    try:
        names = proper.fit_transform([_proper_nouns(lead) for lead in leads]).tocsr()
    except ValueError:  # no proper noun anywhere
        names = None
    days = np.array([(d.published or date.min).toordinal() for d in docs], dtype=np.int64)
    undated = np.array([d.published is None for d in docs])
    order = np.argsort(days, kind="stable")
    for start in range(0, len(docs), BLOCK):
        rows = order[start : start + BLOCK]
        low, high = days[rows].min() - FOLLOW_DAYS, days[rows].max()
        in_reach = (days[order] >= low) & (days[order] <= high)
        window = order[in_reach | undated[order]]
        sims = (words[rows] @ words[window].T).tocoo()
        keep = sims.data >= min(NEAR_WITH_NAMES, FOLLOW_WITH_NAMES, NEAR_COSINE)
        left, right = rows[sims.row[keep]], window[sims.col[keep]]
        text_sim = sims.data[keep]
        other = left != right
        left, right, text_sim = left[other], right[other], text_sim[other]
        if names is not None and len(left):
            name_sim = np.asarray(names[left].multiply(names[right]).sum(axis=1)).ravel()
        else:
            name_sim = np.zeros(len(left), dtype=np.float32)
        for i, j, t, n in zip(left, right, text_sim, name_sim, strict=True):
            yield int(i), int(j), float(t), float(n)


def _joined(gap: int, text_sim: float, name_sim: float) -> bool:
    if gap <= NEAR_DAYS and (
        text_sim >= NEAR_COSINE or (name_sim >= NEAR_NAMES and text_sim >= NEAR_WITH_NAMES)
    ):
        return True
    return gap <= FOLLOW_DAYS and (
        text_sim >= FOLLOW_COSINE or (name_sim >= FOLLOW_NAMES and text_sim >= FOLLOW_WITH_NAMES)
    )


def group_events(docs: Sequence[EventDoc]) -> list[Event]:
    """The events of these articles: every article in exactly one event."""
    parent = list(range(len(docs)))
    if len(docs) > 1:
        for i, j, text_sim, name_sim in _similarities(docs):
            if _joined(_days(docs[i].published, docs[j].published), text_sim, name_sim):
                parent[_find(parent, i)] = _find(parent, j)
    order = sorted(range(len(docs)), key=lambda i: (docs[i].published or date.min, i))
    members: dict[int, list[int]] = {}
    for i in order:
        members.setdefault(_find(parent, i), []).append(i)
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
