"""Which pairs of articles may report the same event, and how likely they do (`events.py`).

Candidates: two articles published at most `FOLLOW_DAYS` apart whose whole texts share words
(TF-IDF cosine at least `MIN_TEXT`), and, up to `LATE_DAYS` apart, two that name the same rare
person or place ("Tobin Marsh", "Halloway Diner", "Brindlewick": a name of two or more
capitalised words, or one capitalised word of title and lead, found in at most `RARE_DF`
articles): a trial months later names the victim or the small town, not the city's other
shootings.

Each candidate pair is scored by a logistic model of what the two articles say together
(`pair_features`): whole-text, proper-noun and title TF-IDF cosines; the days between their
publication and between the incident dates they state ("on Friday", "March 3", resolved against
each publication date; the publication date when none is stated); whether the victims' ages they
give ("31-year-old", "Tobin Marsh, 31,") and the numbers of their titles ("2 shot", "Seven
wounded") agree, differ or are missing; whether they share a rare full name; whether the
streets their texts name ("Corvane Street") agree, differ or are missing; how rare the
rarest proper noun (of title and lead) and the rarest title word they share are (1 - log df /
log n); whether
their titles speak of a man and of a woman; whether both name people in full and none alike;
the length of the shorter text (a tweet or a bare title says little either way); whether
one outlet published both (its reports of its city's shootings share its house style); the text
cosine scaled by the shorter text's length, and whether the incident dates are more than two
days apart (`_reliability_features`). The
weights were fitted on the dev half of `benchmarks/eval_events.py --fit` (pairs within the
candidate rule, labelled by Gun Violence Archive incident ids; features and the linkage
threshold chosen by out-of-fold scoring inside the dev half); the held half was only measured.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wiretrace.claims.dates import find_dates

FOLLOW_DAYS = 60  # text candidates: published at most this many days apart
LATE_DAYS = 400  # rare-name candidates: published at most this many days apart
MIN_TEXT = 0.05  # whole-text cosine of a text candidate
RARE_DF = 30  # a full name in at most this many articles is rare (a victim, a suspect, a bar)
LEAD_CHARS = 600
TRUSTED_CHARS = 1000  # a text this long or longer: its cosine is trusted in full
SAME_INCIDENT_DAYS = 2  # incident dates further apart than this: likely two incidents
BLOCK = 500  # articles compared at once (against those up to FOLLOW_DAYS before them)

FEATURES = (
    "text_cosine",
    "names_cosine",
    "title_cosine",
    "log_days_published",
    "log_days_incident",
    "log_shorter_text",
    "ages_missing",
    "ages_jaccard",
    "ages_differ",
    "title_numbers_missing",
    "title_numbers_jaccard",
    "title_numbers_differ",
    "shares_rare_name",
    "streets_missing",
    "streets_jaccard",
    "streets_differ",
    "rarest_shared_name_word",
    "rarest_shared_title_word",
    "genders_differ",
    "full_names_differ",
    "same_outlet",
    "short_text_cosine",
    "incident_days_apart",
)
# Fitted by `benchmarks/eval_events.py --fit` on the dev half (see the module docstring).
WEIGHTS = (
    10.98, 0.97, -0.54, -0.51, -0.24, -0.05, 0.4, 1.33, -1.42, 0.37, 0.59, -1.19, 0.87, -1.24,
    2.54, -3.3, 3.12, 3.15, -1.29, -0.13, -1.22, 12.71, -1.72,
)  # fmt: skip
INTERCEPT = -3.35

_FULL_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ -](?:[A-Z]\.\s)?[A-Z][a-z]+)+\b")
# Words that make a capitalised run a body, a page element or a common place kind rather than
# one person or spot: such runs are not names that single out an event.
_GENERIC = frozenset(
    re.findall(
        r"\w+",
        """Police Department County Sheriff Office News Weather Court District State City
        University Hospital Medical Center Year Old Jr Image Caption Close Share More Get Click
        Here Photo Video Copyright Rights Reserved Associated Press North South East West Side
        Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
        May June July August September October November December""",
    )
)
# A street named in full ("Corvane Street", "43rd Ave."): two shootings of one city on
# different streets are two events, whatever else they share.
_STREET = re.compile(
    r"\b((?:[A-Z][a-z]+|\d+(?:st|nd|rd|th))(?: [A-Z][a-z]+)?) (?:Street|St|Avenue|Ave|Road|Rd|"
    r"Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl|Parkway|Pkwy|Highway|Hwy|Circle|"
    r"Terrace|Pike|Trail)\b"
)
# Words of a title that say whether the person it is about is a man or a woman.
_MALE = re.findall(r"\w+", "man men boy boys father son husband brother grandfather")
_FEMALE = re.findall(r"\w+", "woman women girl girls mother daughter wife sister grandmother")
_GENDER = dict.fromkeys(_MALE, "m") | dict.fromkeys(_FEMALE, "f")
_TITLE_WORD = re.compile(r"[a-z]{3,}")
_AGE = re.compile(r"\b(\d{1,2})[- ]years?[- ]old\b|,\s(\d{1,2}),")
_NUMBER = re.compile(r"\b\d+\b")
# Counts a title spells out ("Seven people injured"): read as the digits another title uses.
_COUNT_WORDS = {
    word: str(n)
    for n, word in enumerate(
        re.findall(
            r"\w+",
            """zero one two three four five six seven eight nine ten eleven twelve thirteen
            fourteen fifteen sixteen seventeen eighteen nineteen twenty""",
        )
    )
}
_COUNT_WORD = re.compile(r"\b(?:" + "|".join(_COUNT_WORDS) + r")\b", re.IGNORECASE)


def _title_numbers(title: str) -> frozenset[str]:
    """The numbers of a title, in digits or spelled out ("3 boys", "Seven people")."""
    spelled = (_COUNT_WORDS[m.group(0).lower()] for m in _COUNT_WORD.finditer(title))
    return frozenset(_NUMBER.findall(title)).union(spelled)


# Sparse TF-IDF rows (scipy.sparse.csr_matrix, or None when no article had a word): typed Any,
# as scipy ships no type stubs.
Matrix = Any


@dataclass(frozen=True, slots=True)
class DocFeatures:
    """What pair scoring reads of each article (aligned lists, one entry an article)."""

    published: NDArray[np.int64]  # day ordinal (date.min for undated)
    undated: NDArray[np.bool_]
    incident: NDArray[np.int64]  # day ordinal of the earliest date the lead states
    text: Matrix
    names: Matrix
    titles: Matrix
    full_names: list[frozenset[str]]
    ages: list[frozenset[str]]
    title_numbers: list[frozenset[str]]
    streets: list[frozenset[str]]
    name_words: list[frozenset[str]]  # proper nouns of title and lead, lower-cased
    title_words: list[frozenset[str]]
    genders: list[frozenset[str]]
    lengths: NDArray[np.int64]  # characters of text (without boilerplate)
    outlets: NDArray[np.int64]  # an id per outlet (-1: not known)


def _tfidf(texts: Sequence[str], **options: object) -> Matrix:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **options)
    try:
        return vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # no word left in any text
        return None


def _incident_day(lead: str, published: date | None) -> date | None:
    days = [day for _, _, day in find_dates(lead, published)]
    if published is not None:
        days = [d for d in days if d <= published]
    return min(days, default=published)


def doc_features(
    texts: Sequence[str],
    titles: Sequence[str],
    leads: Sequence[str],
    proper_nouns: Sequence[str],
    published: Sequence[date | None],
    outlets: Sequence[str] = (),
) -> DocFeatures | None:
    """Features of articles (texts without boilerplate; leads: the title and first characters);
    None when no article has a word worth comparing."""
    text = _tfidf(texts, stop_words="english")
    if text is None:
        return None
    incident = [_incident_day(lead, day) for lead, day in zip(leads, published, strict=True)]
    return DocFeatures(
        published=np.array([(d or date.min).toordinal() for d in published], dtype=np.int64),
        undated=np.array([d is None for d in published]),
        incident=np.array([(d or date.min).toordinal() for d in incident], dtype=np.int64),
        text=text,
        names=_tfidf(proper_nouns, token_pattern=r"\S+"),
        titles=_tfidf(titles, stop_words="english"),
        full_names=[_full_names(lead) for lead in leads],
        ages=[frozenset(a or b for a, b in _AGE.findall(lead)) for lead in leads],
        title_numbers=[_title_numbers(title) for title in titles],
        streets=[frozenset(m.group(1).casefold() for m in _STREET.finditer(t)) for t in texts],
        name_words=[frozenset(names.split()) for names in proper_nouns],
        title_words=[frozenset(_TITLE_WORD.findall(title.lower())) for title in titles],
        genders=[
            frozenset(_GENDER[w] for w in _TITLE_WORD.findall(title.lower()) if w in _GENDER)
            for title in titles
        ],
        lengths=np.array([len(t) for t in texts], dtype=np.int64),
        outlets=_outlet_ids(outlets, len(texts)),
    )


def _outlet_ids(outlets: Sequence[str], n: int) -> NDArray[np.int64]:
    """An id per article's outlet (host, case-folded), -1 where none is known."""
    ids: dict[str, int] = {}
    found = [ids.setdefault(o.casefold(), len(ids)) if o else -1 for o in outlets]
    return np.array(found if len(found) == n else [-1] * n, dtype=np.int64)


def _full_names(text: str) -> frozenset[str]:
    """Runs of two to four capitalised words with no generic word ("Tobin Marsh", "Halloway
    Diner"), casefolded."""
    return frozenset(
        m.group(0).casefold()
        for m in _FULL_NAME.finditer(text)
        if len(words := re.split(r"[ -]", m.group(0))) <= 4 and not _GENERIC.intersection(words)
    )


def _text_candidates(f: DocFeatures) -> NDArray[np.int64]:
    """Pair keys (i * n + j, i < j) within FOLLOW_DAYS whose whole-text cosine is at least
    MIN_TEXT."""
    n = len(f.published)
    order = np.argsort(f.published, kind="stable")
    found: list[NDArray[np.int64]] = []
    for start in range(0, n, BLOCK):
        rows = order[start : start + BLOCK]
        low, high = f.published[rows].min() - FOLLOW_DAYS, f.published[rows].max()
        in_reach = (f.published[order] >= low) & (f.published[order] <= high)
        window = order[in_reach | f.undated[order]]
        product = f.text[rows] @ f.text[window].T
        product.data[product.data < MIN_TEXT] = 0  # dropped before the pairs are listed: a
        product.eliminate_zeros()  # templated corpus makes most cosines small but not 0
        sims = product.tocoo()
        left, right = rows[sims.row], window[sims.col]
        gap = np.abs(f.published[left] - f.published[right])
        near = ((gap <= FOLLOW_DAYS) | f.undated[left] | f.undated[right]) & (left != right)
        low_end, high_end = np.minimum(left[near], right[near]), np.maximum(left[near], right[near])
        found.append(low_end.astype(np.int64) * n + high_end)
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def _name_candidates(f: DocFeatures) -> NDArray[np.int64]:
    """Pair keys (i * n + j, i < j) within LATE_DAYS that share a full name or a proper noun
    of title and lead found in at most RARE_DF articles."""
    n = len(f.published)
    holders: dict[str, list[int]] = defaultdict(list)
    for i, names in enumerate(f.full_names):
        for name in names | f.name_words[i]:
            holders[name].append(i)
    found: list[int] = []
    for members in holders.values():
        if len(members) < 2 or len(members) > RARE_DF:
            continue
        for i, j in combinations(members, 2):
            dated = not (f.undated[i] or f.undated[j])
            if not dated or abs(int(f.published[i]) - int(f.published[j])) <= LATE_DAYS:
                found.append(i * n + j)
    return np.array(found, dtype=np.int64)


def candidate_pairs(f: DocFeatures) -> NDArray[np.int64]:
    """Candidate pairs (i < j), sorted, as an (m, 2) array."""
    n = len(f.published)
    keys = np.sort(np.concatenate([_text_candidates(f), _name_candidates(f)]))
    keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if len(keys) else keys
    return np.column_stack([keys // n, keys % n]).astype(np.int64).reshape(-1, 2)


_CHUNK = 200_000  # pairs whose features are computed at once (bounds memory, not results)


def _row_products(
    matrix: Matrix, left: NDArray[np.int64], right: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Per pair, the sum of the elementwise product of its two rows (a cosine for normalised
    TF-IDF rows, the shared count for binary ones)."""
    if matrix is None or not len(left):
        return np.zeros(len(left))
    return np.asarray(matrix[left].multiply(matrix[right]).sum(axis=1), dtype=np.float64).ravel()


def _row_max(
    matrix: Matrix, left: NDArray[np.int64], right: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Per pair, the largest elementwise product of its two rows (0 when they share none)."""
    if matrix is None or not len(left):
        return np.zeros(len(left))
    product = matrix[left].multiply(matrix[right]).tocsr()
    return np.asarray(product.max(axis=1).toarray(), dtype=np.float64).ravel()


def _sets_matrix(sets: Sequence[frozenset[str]], weights: dict[str, float] | None = None) -> Matrix:
    """One sparse row per set over the words of all sets: 1 (or the word's weight) where the
    set holds the word."""
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped]  # no stubs shipped

    vocabulary: dict[str, int] = {}
    indptr, indices, data = [0], [], []
    for words in sets:
        for word in words:
            indices.append(vocabulary.setdefault(word, len(vocabulary)))
            data.append(1.0 if weights is None else weights[word])
        indptr.append(len(indices))
    shape = (len(sets), max(len(vocabulary), 1))
    return csr_matrix((np.array(data, dtype=np.float64), indices, indptr), shape=shape)


@dataclass(frozen=True, slots=True)
class _SetFeature:
    """A family of sets (one per article) as a sparse matrix with each set's size."""

    matrix: Matrix
    sizes: NDArray[np.float64]

    @classmethod
    def of(cls, sets: Sequence[frozenset[str]]) -> _SetFeature:
        return cls(_sets_matrix(sets), np.array([len(s) for s in sets], dtype=np.float64))

    def columns(
        self, left: NDArray[np.int64], right: NDArray[np.int64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """(missing, Jaccard, differ) for each pair: one side has none; share of the union;
        both have some and share none."""
        both = (self.sizes[left] > 0) & (self.sizes[right] > 0)
        shared = _row_products(self.matrix, left, right)
        union = np.maximum(self.sizes[left] + self.sizes[right] - shared, 1.0)
        jaccard = np.where(both, shared / union, 0.0)
        differ = (both & (shared == 0)).astype(np.float64)
        return (~both).astype(np.float64), jaccard, differ


def _rarity_matrix(sets: Sequence[frozenset[str]]) -> Matrix:
    """Sets weighted by how rare each word is, sqrt(1 - log(df) / log(n)): a pair's largest
    elementwise product is then the rarity of the rarest word both hold (1 for a word of these
    two articles only, 0 for a word of every article or none shared). Scaled by the corpus's
    size, so a town named in 17 of 1,500 articles weighs about what it would in 100 of 100,000."""
    df: Counter[str] = Counter(w for words in sets for w in words)
    scale = np.log(max(len(sets), 2))
    weights = {w: float(np.sqrt(max(1.0 - np.log(c) / scale, 0.0))) for w, c in df.items()}
    return _sets_matrix(sets, weights)


def _dense_features(f: DocFeatures, pairs: NDArray[np.int64]) -> NDArray[np.float64]:
    left, right = pairs[:, 0], pairs[:, 1]
    either_undated = f.undated[left] | f.undated[right]
    published_gap = np.where(either_undated, 0, np.abs(f.published[left] - f.published[right]))
    incident_gap = np.where(either_undated, 0, np.abs(f.incident[left] - f.incident[right]))
    return np.column_stack(
        [
            _row_products(f.text, left, right),
            _row_products(f.names, left, right),
            _row_products(f.titles, left, right),
            np.log1p(published_gap),
            np.log1p(incident_gap),
            np.log1p(np.minimum(f.lengths[left], f.lengths[right])),
        ]
    )


def _reliability_features(f: DocFeatures, pairs: NDArray[np.int64]) -> list[NDArray[np.float64]]:
    """The text cosine scaled by the shorter text's length up to `TRUSTED_CHARS` (two near-empty
    pages of one site are alike in what is left of their page furniture, not their news), and
    whether the incident dates are more than `SAME_INCIDENT_DAYS` apart (a step the log of the
    days cannot make: one shooting's reports agree on its day, another's in one town do not)."""
    left, right = pairs[:, 0], pairs[:, 1]
    shorter = np.minimum(f.lengths[left], f.lengths[right])
    trust = np.minimum(shorter / TRUSTED_CHARS, 1.0)
    either_undated = f.undated[left] | f.undated[right]
    gap = np.where(either_undated, 0, np.abs(f.incident[left] - f.incident[right]))
    return [
        _row_products(f.text, left, right) * trust,
        (gap > SAME_INCIDENT_DAYS).astype(np.float64),
    ]


@dataclass(frozen=True, slots=True)
class _PairInputs:
    """The per-article matrices the set features of pairs are read from."""

    ages: _SetFeature
    title_numbers: _SetFeature
    rare_names: _SetFeature
    full_names: _SetFeature
    streets: _SetFeature
    genders: _SetFeature
    name_rarity: Matrix
    title_rarity: Matrix

    @classmethod
    def of(cls, f: DocFeatures) -> _PairInputs:
        counts: Counter[str] = Counter(name for names in f.full_names for name in names)
        rare = [frozenset(n for n in names if counts[n] <= RARE_DF) for names in f.full_names]
        return cls(
            ages=_SetFeature.of(f.ages),
            title_numbers=_SetFeature.of(f.title_numbers),
            rare_names=_SetFeature.of(rare),
            full_names=_SetFeature.of(f.full_names),
            streets=_SetFeature.of(f.streets),
            genders=_SetFeature.of(f.genders),
            name_rarity=_rarity_matrix(f.name_words),
            title_rarity=_rarity_matrix(f.title_words),
        )


def _features(f: DocFeatures, inputs: _PairInputs, pairs: NDArray[np.int64]) -> NDArray[np.float64]:
    left, right = pairs[:, 0], pairs[:, 1]
    return np.column_stack(
        [
            _dense_features(f, pairs),
            *inputs.ages.columns(left, right),
            *inputs.title_numbers.columns(left, right),
            (_row_products(inputs.rare_names.matrix, left, right) > 0).astype(np.float64),
            *inputs.streets.columns(left, right),
            _row_max(inputs.name_rarity, left, right),
            _row_max(inputs.title_rarity, left, right),
            inputs.genders.columns(left, right)[2],
            inputs.full_names.columns(left, right)[2],
            ((f.outlets[left] >= 0) & (f.outlets[left] == f.outlets[right])).astype(np.float64),
            *_reliability_features(f, pairs),
        ]
    )


def _chunks(
    f: DocFeatures, pairs: NDArray[np.int64], floor: float | None
) -> Iterator[tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]]:
    """(pairs, feature rows, probabilities) `_CHUNK` pairs at a time, every feature computed for
    all of a chunk's pairs at once; with `floor`, only the pairs at least that likely."""
    inputs = _PairInputs.of(f)
    for start in range(0, len(pairs), _CHUNK):
        chunk = pairs[start : start + _CHUNK]
        rows = _features(f, inputs, chunk)
        probability = same_event_probability(rows)
        if floor is not None:
            likely = probability >= floor
            chunk, rows, probability = chunk[likely], rows[likely], probability[likely]
        yield chunk, rows, probability


def pair_features(
    f: DocFeatures, pairs: NDArray[np.int64], floor: float | None = None
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The pairs and one row of `FEATURES` for each; with `floor`, only the pairs at least that
    likely."""
    found = list(_chunks(f, pairs, floor))
    if not found:
        return pairs.reshape(-1, 2), np.zeros((0, len(FEATURES)))
    return np.concatenate([c[0] for c in found]), np.concatenate([c[1] for c in found])


def likely_pairs(
    f: DocFeatures, pairs: NDArray[np.int64], floor: float
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The pairs at least `floor` likely to report one event, and their probabilities (the
    feature rows are not kept: a large store has millions of candidate pairs)."""
    found = [(chunk, probability) for chunk, _, probability in _chunks(f, pairs, floor)]
    if not found:
        return pairs.reshape(-1, 2), np.zeros(0)
    return np.concatenate([c[0] for c in found]), np.concatenate([c[1] for c in found])


def same_event_probability(features: NDArray[np.float64]) -> NDArray[np.float64]:
    """The logistic model's probability that each pair reports one event."""
    logits = features @ np.array(WEIGHTS) + INTERCEPT
    return np.asarray(1.0 / (1.0 + np.exp(-logits)), dtype=np.float64)
