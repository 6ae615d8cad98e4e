"""Grouping claims that speak of the same thing: one incident, or one statement.

Two figure claims are about the same incident when they count the same kind of harm (killed,
wounded ...), their places are the same or within 25 km (after `resolve_place` has merged
aliases), their event dates are at most two days apart, and their actors are compatible (two
known, different classes of harm, an air strike and a car bomb, are two incidents; two known
different parties, "Russian jets" and "coalition jets", are one disputed incident). Two quotes
are the same statement when their canonical speaker is the same, their contents are similar
(rapidfuzz token-set ratio at least 70) and they were published at most a week apart.

Groups are the connected components of this relation, and a group's id is the smallest claim id
in it, so the full build and any sequence of incremental updates give the same groups.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

import duckdb
from rapidfuzz import fuzz

from wiretrace.corroborate.claimrows import ClaimRow
from wiretrace.corroborate.storage import load_claims, set_groups

MAX_KM = 25.0
MAX_DAYS = 2
QUOTE_DAYS = 7
QUOTE_SIMILARITY = 70.0
_LAT_CELL = 0.25  # degrees: 27.8 km, more than MAX_KM, so neighbours are one cell away
_LON_CELL = 0.25  # degrees: 13.9 km at 60 degrees north, so neighbours are two cells away


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def _days(a: date | None, b: date | None) -> int | None:
    return None if a is None or b is None else abs((a - b).days)


def compatible(a: ClaimRow, b: ClaimRow) -> bool:
    """Whether two claims speak of the same incident or statement."""
    if a.claim_type != b.claim_type or a.kind != b.kind:
        return False
    gap = _days(a.event_date, b.event_date)
    if a.claim_type == "quote":
        if a.speaker is None or b.speaker is None or a.speaker.casefold() != b.speaker.casefold():
            return False
        if gap is not None and gap > QUOTE_DAYS:
            return False
        return fuzz.token_set_ratio(a.content or "", b.content or "") >= QUOTE_SIMILARITY
    if gap is None or gap > MAX_DAYS:
        return False
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return False
    if a.place != b.place and distance_km(a.lat, a.lon, b.lat, b.lon) > MAX_KM:
        return False
    return not (a.actor_class and b.actor_class and a.actor_class != b.actor_class)


def _groupable(row: ClaimRow) -> bool:
    if row.claim_type == "quote":
        return bool(row.speaker)
    return row.lat is not None and row.lon is not None and row.event_date is not None


class _Components:
    """Union-find over claim ids; the root of a set is its smallest id."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        parent = self.parent.setdefault(key, key)
        if parent != key:
            parent = self.parent[key] = self.find(parent)
        return parent

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = sorted((ra, rb))
            self.parent[high] = low


def _figure_cells(row: ClaimRow) -> tuple[str, int, int, int]:
    assert row.lat is not None and row.lon is not None and row.event_date is not None
    return (
        row.kind,
        row.event_date.toordinal(),
        math.floor(row.lat / _LAT_CELL),
        math.floor(row.lon / _LON_CELL),
    )


def group_all(rows: Sequence[ClaimRow]) -> dict[str, str]:
    """Claim id -> group id for every claim (a claim that groups with nothing is its own group)."""
    comps = _Components()
    cells: dict[tuple[str, int, int, int], list[ClaimRow]] = defaultdict(list)
    speakers: dict[str, list[ClaimRow]] = defaultdict(list)
    for row in rows:
        comps.find(row.claim_id)
        if not _groupable(row):
            continue
        if row.claim_type == "quote":
            speakers[(row.speaker or "").casefold()].append(row)
        else:
            cells[_figure_cells(row)].append(row)
    for (kind, day, lat, lon), members in cells.items():
        for other_key in _neighbours(kind, day, lat, lon):
            if other_key < (kind, day, lat, lon):
                continue
            others = cells.get(other_key)
            if not others:
                continue
            same = other_key == (kind, day, lat, lon)
            for i, a in enumerate(members):
                for b in others[i + 1 :] if same else others:
                    if compatible(a, b):
                        comps.union(a.claim_id, b.claim_id)
    for members in speakers.values():
        members.sort(key=lambda r: (r.event_date or date.min, r.claim_id))
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                gap = _days(a.event_date, b.event_date)
                if gap is not None and gap > QUOTE_DAYS:
                    break
                if compatible(a, b):
                    comps.union(a.claim_id, b.claim_id)
    return {row.claim_id: comps.find(row.claim_id) for row in rows}


def _neighbours(kind: str, day: int, lat: int, lon: int) -> Iterable[tuple[str, int, int, int]]:
    for dd in range(-MAX_DAYS, MAX_DAYS + 1):
        for dlat in (-1, 0, 1):
            for dlon in (-2, -1, 0, 1, 2):
                yield (kind, day + dd, lat + dlat, lon + dlon)


def _candidates(db: duckdb.DuckDBPyConnection, row: ClaimRow) -> list[ClaimRow]:
    """Stored claims that may be compatible with a new one (an index-friendly prefilter)."""
    if row.claim_type == "quote":
        return load_claims(
            db,
            "WHERE claim_type = 'quote' AND lower(speaker) = lower(?) AND group_id IS NOT NULL",
            [row.speaker],
        )
    assert row.lat is not None and row.lon is not None and row.event_date is not None
    lat, lon, day = row.lat, row.lon, row.event_date
    params = [row.kind, day, day, lat - 0.3, lat + 0.3, lon - 0.6, lon + 0.6]
    return load_claims(
        db,
        "WHERE kind = ? AND event_date BETWEEN ? - INTERVAL 2 DAY AND ? + INTERVAL 2 DAY "
        "AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? AND group_id IS NOT NULL",
        params,
    )


def attach(db: duckdb.DuckDBPyConnection, new_rows: Sequence[ClaimRow]) -> set[str]:
    """Group new claims (inserted with group_id NULL) with the stored ones; their group ids."""
    comps = _Components()
    old_groups: dict[str, str] = {}  # stored group id -> itself, as a component member
    for row in new_rows:
        comps.find(row.claim_id)
    for i, row in enumerate(new_rows):
        if not _groupable(row):
            continue
        for other in _candidates(db, row):
            if other.group_id is not None and compatible(row, other):
                old_groups[other.group_id] = other.group_id
                comps.union(row.claim_id, other.group_id)
        for other in new_rows[i + 1 :]:
            if _groupable(other) and compatible(row, other):
                comps.union(row.claim_id, other.claim_id)
    assigned = {row.claim_id: comps.find(row.claim_id) for row in new_rows}
    merged = {gid: comps.find(gid) for gid in old_groups if comps.find(gid) != gid}
    if merged:
        keys = sorted(merged)
        placeholders = ", ".join("?" for _ in keys)
        stored = db.execute(
            f"SELECT claim_id, group_id FROM corroborate_claims WHERE group_id IN ({placeholders})",
            keys,
        ).fetchall()
        assigned.update({claim: merged[gid] for claim, gid in stored})
    set_groups(db, assigned)
    return set(assigned.values())
