"""Grouping claims that speak of the same thing: one incident, or one statement.

A figure claim belongs to an incident when it counts the same kind of harm (killed, wounded ...)
as the incident's anchor, its place is the anchor's or within 25 km of it (after `resolve_place`
has merged aliases), its event date is at most two days from the anchor's, and its actor is
compatible (two known, different classes of harm, an air strike and a car bomb, are two
incidents; two known different parties, "Russian jets" and "coalition jets", are one disputed
incident). Looser matches need corroborating detail: a claim dated another day than the anchor,
or placed farther than 25 km but in the same first-order region ("SY.09", Aleppo governorate:
"Aleppo" and "al-Bab"), joins only when it gives the same figure for the same group of people,
the story retold rather than a different strike in the same province or on the next day.

A quote belongs to a statement when its canonical speaker is the anchor's, its content is
similar (rapidfuzz token-set ratio at least 70) and it was published at most a week after the
anchor. An assertion (a factual sentence naming someone, `claimrows._assertion_rows`) belongs
to the group of an anchor published at most a week before it whose content words it shares:
Jaccard similarity of the two content-word sets at least 0.5 (`ASSERTION_SIMILARITY`), and the
names (capitalised words) of one all among the other's: the same accusation copied or lightly
reworded ("staged" for "faked", a word added or dropped), not the same sentence about another
place or party.

The anchor is a group's earliest claim (event date, publication time, claim id). Claims are
taken in that order; each joins the compatible group whose anchor is closest (date, then the
same place, then distance), else anchors a new group. Matching against the anchor rather than
any member keeps a string of incidents a day apart from chaining into one. A group's id is its
smallest claim id. `attach` does the same for new claims against the stored groups, so a build
and a sequence of updates agree whenever new reports do not predate the anchors they join.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import duckdb
from rapidfuzz import fuzz

from wiretrace.claims.places import region_at
from wiretrace.corroborate.claimrows import ClaimRow
from wiretrace.corroborate.storage import load_claims, set_groups
from wiretrace.store import corroboration as tables

MAX_KM = 25.0
MAX_DAYS = 2
QUOTE_DAYS = 7
QUOTE_SIMILARITY = 70.0
ASSERTION_DAYS = 7
ASSERTION_SIMILARITY = 0.5  # content-word Jaccard with the anchor
AGREE_RATIO = 1.0  # larger / smaller figure at most this for "the same figure" (1.0: equal)
_EARLY = datetime.min.replace(tzinfo=UTC)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def _days(a: date | None, b: date | None) -> int | None:
    return None if a is None or b is None else abs((a - b).days)


def near_km(a: ClaimRow, b: ClaimRow) -> float | None:
    """Distance in km when two claims' places are compatible (0 for the same place), else None."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    if a.place == b.place:
        return 0.0
    km = distance_km(a.lat, a.lon, b.lat, b.lon)
    if km <= MAX_KM:
        return km
    region = a.region
    return km if region is not None and region == b.region else None


def figures_agree(a: ClaimRow, b: ClaimRow) -> bool:
    """Whether two figure claims count the same group of people with close values."""
    if a.grp != b.grp or a.value is None or b.value is None:
        return False
    low, high = sorted((a.value, b.value))
    return high <= AGREE_RATIO * max(low, 1.0)


def jaccard(a: str | None, b: str | None) -> float:
    """Jaccard similarity of two space-separated word sets (0 when either is empty)."""
    left, right = set((a or "").split()), set((b or "").split())
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def _names(content: str | None) -> set[str]:
    return {w for w in (content or "").split() if w[:1].isupper()}


def compatible(a: ClaimRow, b: ClaimRow) -> bool:
    """Whether a claim belongs to the group anchored on another (see the module docstring)."""
    if a.claim_type != b.claim_type or a.kind != b.kind:
        return False
    gap = _days(a.event_date, b.event_date)
    if a.claim_type == "assertion":
        if gap is None or gap > ASSERTION_DAYS:
            return False
        if jaccard(a.content, b.content) < ASSERTION_SIMILARITY:
            return False
        mine, theirs = _names(a.content), _names(b.content)
        return mine <= theirs or theirs <= mine
    if a.claim_type == "quote":
        if a.speaker is None or b.speaker is None or a.speaker.casefold() != b.speaker.casefold():
            return False
        if gap is not None and gap > QUOTE_DAYS:
            return False
        return fuzz.token_set_ratio(a.content or "", b.content or "") >= QUOTE_SIMILARITY
    if gap is None or gap > MAX_DAYS:
        return False
    if a.actor_class and b.actor_class and a.actor_class != b.actor_class:
        return False
    km = near_km(a, b)
    if km is None:
        return False
    if gap == 0 and km <= MAX_KM:
        return True
    return figures_agree(a, b)


def _groupable(row: ClaimRow) -> bool:
    if row.claim_type == "quote":
        return bool(row.speaker)
    if row.claim_type == "assertion":
        return bool(row.content) and row.event_date is not None
    return row.lat is not None and row.lon is not None and row.event_date is not None


def order(row: ClaimRow) -> tuple[date, datetime, str]:
    """Anchor order: event date, publication time, claim id."""
    return (row.event_date or date.min, row.published_at or _EARLY, row.claim_id)


def _closeness(row: ClaimRow, anchor: ClaimRow) -> tuple[bool, int, float, str]:
    """Which of several compatible anchors a claim joins: one giving the same figure for the
    same people first (the story retold), then the nearest in days, then in distance."""
    gap = _days(row.event_date, anchor.event_date) or 0
    figure = row.claim_type == "figure"
    km = (near_km(row, anchor) or 0.0) if figure else 0.0
    return (not (figure and figures_agree(row, anchor)), gap, km, anchor.claim_id)


def key_of(row: ClaimRow) -> tuple[str, str]:
    """The grouping key: ("figure", kind), ("quote", casefolded speaker) or ("assertion", "").

    Claims of different keys are never compatible, so each key can be grouped on its own (the
    Spark engine groups per part of a key, `Partitioner`); `group_all` over all claims equals
    the union per key.
    """
    return _key(row.claim_type, row.speaker, row.kind)


def _key(claim_type: str, speaker: str | None, kind: str) -> tuple[str, str]:
    if claim_type == "quote":
        return ("quote", (speaker or "").casefold())
    if claim_type == "assertion":
        return ("assertion", "")
    return ("figure", kind)


_ORDER_COLUMNS = (
    "claim_id", "group_id", "claim_type", "kind", "speaker", "event_date", "published_at"
)  # fmt: skip


def _span(claim_type: str) -> int:
    """Days an anchor reaches (either way) for claims of this type."""
    return {"quote": QUOTE_DAYS, "assertion": ASSERTION_DAYS}.get(claim_type, MAX_DAYS)


# -- partitions: splitting one key into parts that never share a group ------------------------
#
# `group_all` is sequential within a key, but two claims can only interact (one joins the other's
# group, or is kept from it by it) when they are compatible-looking in place and close in date:
# `_Groups.near` looks only at anchors within `_span` days, and a figure is compatible only with
# an anchor at the same place, within `MAX_KM`, or in the same first-order region (`near_km`).
# So a key splits exactly into (1) spatial cells: the connected components of figure places
# linked by the same name, the same region or a distance of at most `MAX_KM`; and (2) within a
# cell, runs of event days with no gap of more than `_span` days between consecutive days. The
# greedy over each part alone gives the same groups as over the whole key (the Spark engine
# groups each part in its own task; `tests/test_corroborate_spark.py`).

Point = tuple[str | None, float, float]  # (place, lat, lon) of a figure claim
_CELL_DEG = 0.25  # grid cell for the neighbour search: about 28 km of latitude


_COLUMNS = round(360 / _CELL_DEG)


def _cell(p: Point) -> tuple[int, int]:
    return math.floor(p[1] / _CELL_DEG), math.floor(p[2] / _CELL_DEG) % _COLUMNS


def _find(parent: dict[Point, Point], x: Point) -> Point:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def spatial_cells(points: Iterable[Point]) -> dict[Point, str]:
    """A cell label for each figure place: places of different cells are never `near_km`."""
    pts = sorted(set(points), key=lambda p: (p[0] or "", p[1], p[2]))
    parent: dict[Point, Point] = {p: p for p in pts}

    def union(a: Point, b: Point) -> None:
        ra, rb = _find(parent, a), _find(parent, b)
        if ra != rb:
            parent[max(ra, rb, key=repr)] = min(ra, rb, key=repr)

    first: dict[str, Point] = {}  # the first place of each name and of each region
    grid: dict[tuple[int, int], list[Point]] = defaultdict(list)
    for p in pts:
        region = region_at(p[1], p[2])
        for link in (None if p[0] is None else f"place {p[0]}", region and f"region {region}"):
            if link:
                union(first.setdefault(link, p), p)
        grid[_cell(p)].append(p)
    for p in pts:
        row, col = _cell(p)
        # Degrees of longitude shrink with latitude: search enough columns to cover MAX_KM.
        cos = max(math.cos(math.radians(min(abs(p[1]) + _CELL_DEG, 90.0))), 1e-3)
        reach = min(math.ceil(MAX_KM / (111.0 * cos * _CELL_DEG)) + 1, _COLUMNS // 2)
        for r in range(row - 1, row + 2):
            for c in range(col - reach, col + reach + 1):
                for q in grid.get((r, c % _COLUMNS), ()):
                    if q is not p and distance_km(p[1], p[2], q[1], q[2]) <= MAX_KM:
                        union(p, q)
    return {p: "{}|{}|{}".format(*_find(parent, p)) for p in pts}


def _day(row: ClaimRow) -> date:
    return row.event_date or date.min


class Partitioner:
    """The part of its key each claim belongs to (see "partitions" above), built from the claims
    (or just their key, place and event date: `Partitioner.of`). Picklable, so an engine can
    ship it to workers and label claims there."""

    def __init__(self, cells: dict[Point, str], runs: dict[tuple[str, str], list[date]]) -> None:
        self.cells = cells
        self.runs = runs  # (key, cell) -> first day of each run, ascending

    @classmethod
    def of(cls, rows: Iterable[ClaimRow]) -> Partitioner:
        """A partitioner for these claims."""
        rows = [r for r in rows if _groupable(r)]
        cells = spatial_cells(_point(r) for r in rows if r.claim_type == "figure")
        days: dict[tuple[str, str], set[date]] = defaultdict(set)
        spans: dict[tuple[str, str], int] = {}
        for row in rows:
            part = ("\x1f".join(key_of(row)), cells.get(_point(row), ""))
            days[part].add(_day(row))
            spans[part] = _span(row.claim_type)
        runs: dict[tuple[str, str], list[date]] = {}
        for part, seen in days.items():
            ordered = sorted(seen)
            starts = [ordered[0]]
            for before, after in itertools.pairwise(ordered):
                if (after - before).days > spans[part]:
                    starts.append(after)
            runs[part] = starts
        return cls(cells, runs)

    @classmethod
    def from_db(cls, db: duckdb.DuckDBPyConnection) -> Partitioner:
        """A partitioner for every stored claim, reading only the distinct keys, places and
        days (a small table even for a crawl), not the claims."""
        return cls.of(_slim(*values) for values in tables.group_keys(db))

    def label(self, row: ClaimRow) -> str:
        """The claim's part: key, spatial cell and first day of its run ("" parts for claims
        that group with nothing)."""
        key = "\x1f".join(key_of(row))
        if not _groupable(row):
            return f"{key}\x1e\x1e"
        cell = self.cells.get(_point(row), "") if row.claim_type == "figure" else ""
        starts = self.runs.get((key, cell))
        if not starts:
            raise KeyError(f"claim {row.claim_id} was not seen by this partitioner")
        run = starts[max(bisect.bisect_right(starts, _day(row)) - 1, 0)]
        return f"{key}\x1e{cell}\x1e{run.isoformat()}"


def _slim(
    claim_type: str,
    kind: str,
    speaker: str | None,
    place: str | None,
    lat: float | None,
    lon: float | None,
    event_date: date | None,
    has_content: bool,
) -> ClaimRow:
    """A claim row with only what partitioning reads (key, place, day, groupability)."""
    return ClaimRow(
        claim_id="", article_id="", n=0, claim_type=claim_type, kind=kind, grp=None, value=None,
        low=None, high=None, place=place, lat=lat, lon=lon, event_date=event_date,
        published_at=None, actor=None, actor_class=None, actor_party=None, primary_source=None,
        speaker=speaker, content="x" if has_content else None, sentence="", url=None,
        outlet=None,
    )  # fmt: skip


def _point(row: ClaimRow) -> Point:
    return (row.place, row.lat or 0.0, row.lon or 0.0)


@dataclass(slots=True)
class _Group:
    anchor: ClaimRow
    members: list[str] = field(default_factory=list)


class _Groups:
    """Groups under construction, found by claim kind (or speaker) and anchor day."""

    def __init__(self) -> None:
        self.by_day: dict[tuple[str, str], dict[int, list[_Group]]] = defaultdict(dict)

    def add(self, group: _Group) -> None:
        day = (group.anchor.event_date or date.min).toordinal()
        self.by_day[key_of(group.anchor)].setdefault(day, []).append(group)

    def near(self, row: ClaimRow) -> Iterable[_Group]:
        days = self.by_day.get(key_of(row))
        if not days:
            return
        span = _span(row.claim_type)
        day = (row.event_date or date.min).toordinal()
        for d in range(day - span, day + span + 1):
            yield from days.get(d, ())

    def best(self, row: ClaimRow) -> _Group | None:
        fits = [g for g in self.near(row) if compatible(row, g.anchor)]
        return min(fits, key=lambda g: _closeness(row, g.anchor)) if fits else None


def _place(groups: _Groups, rows: Iterable[ClaimRow]) -> list[_Group]:
    """Each row joins its best group or anchors a new one; the new groups."""
    made: list[_Group] = []
    for row in sorted(rows, key=order):
        group = groups.best(row) if _groupable(row) else None
        if group is None:
            group = _Group(row)
            made.append(group)
            if _groupable(row):
                groups.add(group)
        group.members.append(row.claim_id)
    return made


def group_all(rows: Sequence[ClaimRow]) -> dict[str, str]:
    """Claim id -> group id for every claim (a claim that groups with nothing is its own group)."""
    out: dict[str, str] = {}
    for group in _place(_Groups(), rows):
        gid = min(group.members)
        out.update((claim, gid) for claim in group.members)
    return out


def _stored_groups(db: duckdb.DuckDBPyConnection, rows: Sequence[ClaimRow]) -> list[_Group]:
    """The stored groups whose anchors may take one of these claims, with their members."""
    gids: set[str] = set()
    keys = {key_of(r) for r in rows if _groupable(r)}
    for kind, name in sorted(keys):
        dates = [r.event_date for r in rows if key_of(r) == (kind, name) and r.event_date]
        if kind == "quote":
            found = tables.quote_groups(db, name)
        elif dates:
            found = tables.kind_groups(db, name or kind, min(dates), max(dates), _span(kind))
        else:
            continue
        gids.update(found)
    if not gids:
        return []
    # The members' ids and what their keys and order need; whole rows only for the anchors
    # (a busy date's groups hold thousands of claims, and whole rows cost most to read).
    members: dict[str, list[tuple[tuple[date, datetime, str], tuple[str, str]]]] = {}
    marks = ", ".join("?" for _ in gids)
    for cid, gid, claim_type, kind, speaker, event_date, published in tables.select_claims(
        db, _ORDER_COLUMNS, f"WHERE group_id IN ({marks})", sorted(gids)
    ):
        rank = (event_date or date.min, published or _EARLY, cid)  # as `order`
        members.setdefault(gid, []).append((rank, _key(claim_type, speaker, kind)))
    chosen: list[tuple[str, list[str]]] = []  # (anchor id, member ids in order) per group/key
    for claims in members.values():
        claims.sort()
        ids = [rank[2] for rank, _ in claims]
        first = {key: rank[2] for rank, key in reversed(claims)}
        chosen.extend((cid, ids) for key, cid in first.items() if key in keys)
    anchors = sorted({cid for cid, _ in chosen})
    marks = ", ".join("?" for _ in anchors)
    whole = {r.claim_id: r for r in load_claims(db, f"WHERE claim_id IN ({marks})", anchors)}
    return [_Group(whole[cid], list(ids)) for cid, ids in chosen]


def attach(db: duckdb.DuckDBPyConnection, new_rows: Sequence[ClaimRow]) -> set[str]:
    """Group new claims (inserted with group_id NULL) with the stored ones; their group ids."""
    groups = _Groups()
    stored = _stored_groups(db, new_rows)
    for group in stored:
        groups.add(group)
    made = _place(groups, new_rows)
    new_ids = {r.claim_id for r in new_rows}
    # One stored group can be met through several anchors (one per key): its members together.
    by_stored: dict[str, set[str]] = defaultdict(set)
    for group in stored:
        by_stored[min(c for c in group.members if c not in new_ids)].update(group.members)
    assigned: dict[str, str] = {}
    for old_id, members in by_stored.items():
        gid = min(members)
        if gid == old_id:  # a stored group keeps its id: label the new members
            assigned.update((c, gid) for c in members if c in new_ids)
        else:  # a new claim with a smaller id joined it
            assigned.update((c, gid) for c in members)
    for group in made:
        gid = min(group.members)
        assigned.update((c, gid) for c in group.members)
    set_groups(db, assigned)
    return set(assigned.values())
