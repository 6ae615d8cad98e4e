"""Independence within a group: copies collapse into their earliest origin; sources count once.

An article derives from an earlier one in its group when the sentence carrying its claim was
copied or paraphrased from the earlier one's claim sentence (word 3-gram containment of at least
0.5 with numbers masked, so a copy that changed the figure is still a copy; a quote's own words
are masked too, since independent reports of one statement share them), or when the corpus
reuse pass (`run_reuse`) found a relation between the two. Each article joins the origin of the
earlier article it derives from most closely; an article deriving from none is an origin.

Primary sources are the sources an origin names for its claim (a figure's `attributed_to`, a
quote's channel: "SOHR said", "told Reuters"), made canonical; an origin naming none stands on
its own reporting and is its own primary source (its outlet's name).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from wiretrace.claims.entities import canonical_org
from wiretrace.corroborate.claimrows import ClaimRow

COPY_CONTAINMENT = 0.5
_TOKEN = re.compile(r"\w+")
_NUMBERISH = re.compile(r"^\d[\d,.]*$")
_LATE = datetime.max.replace(tzinfo=UTC)

Relations = Collection[tuple[str, str]]  # (source article id, target article id)


@dataclass(slots=True)
class Member:
    """One article of a group with its claims there."""

    article_id: str
    url: str | None
    outlet: str | None
    published_at: datetime | None
    claims: list[ClaimRow]
    derived_from: str | None = None  # article id of the earlier article it copies
    origin: str | None = None  # article id of its origin (itself for an origin)

    @property
    def key(self) -> tuple[datetime, str]:
        return (self.published_at or _LATE, self.article_id)

    @property
    def label(self) -> str:
        return self.url or self.article_id


@dataclass(slots=True)
class Independence:
    """A group's articles in time order, its origins and their primary sources."""

    members: list[Member]
    origins: list[Member]
    copies: dict[str, list[Member]] = field(default_factory=dict)  # origin id -> copies
    primaries: dict[str, list[str]] = field(default_factory=dict)  # origin id -> names

    def primary_sources(self) -> list[str]:
        """Distinct primary sources over all origins, in order of first appearance."""
        seen: dict[str, str] = {}
        for origin in self.origins:
            for name in self.primaries[origin.article_id]:
                seen.setdefault(name.casefold(), name)
        return list(seen.values())


def _shingles(row: ClaimRow) -> set[tuple[str, ...]]:
    text = row.sentence
    if row.content and row.claim_type == "quote":
        text = text.replace(row.content, " ")
    words = ["#" if _NUMBERISH.match(w) else w for w in _TOKEN.findall(text.casefold())]
    if len(words) < 3:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def containment(later: ClaimRow, earlier: ClaimRow) -> float:
    """Share of the later claim sentence's word 3-grams found in the earlier one's."""
    mine = _shingles(later)
    if not mine:
        return 0.0
    return len(mine & _shingles(earlier)) / len(mine)


def own_name(outlet: str | None, fallback: str) -> str:
    """The name an outlet reports under ('www.northwire.example' -> 'Northwire')."""
    if not outlet:
        return fallback
    host = outlet.casefold().removeprefix("www.").split(".")[0]
    return canonical_org(host.capitalize() if host.islower() else host)


def members_of(rows: Sequence[ClaimRow]) -> list[Member]:
    """The articles of a group, in time order (publication time, then article id)."""
    by_article: dict[str, list[ClaimRow]] = defaultdict(list)
    for row in rows:
        by_article[row.article_id].append(row)
    members = [
        Member(aid, claims[0].url, claims[0].outlet, claims[0].published_at, claims)
        for aid, claims in by_article.items()
    ]
    members.sort(key=lambda m: m.key)
    return members


def _derives(
    later: Member, earlier: Member, relations: Relations, grams: dict[str, set[tuple[str, ...]]]
) -> float:
    if (earlier.article_id, later.article_id) in relations:
        return 1.0
    best = 0.0
    for mine in later.claims:
        own = grams[mine.claim_id]
        if not own:
            continue
        for theirs in earlier.claims:
            best = max(best, len(own & grams[theirs.claim_id]) / len(own))
    return best


def collapse(rows: Sequence[ClaimRow], relations: Relations = ()) -> Independence:
    """Collapse a group's copies into their earliest origins and name each origin's sources."""
    members = members_of(rows)
    by_id = {m.article_id: m for m in members}
    grams = {row.claim_id: _shingles(row) for row in rows}  # once per claim, not per pair
    origins: list[Member] = []
    for n, member in enumerate(members):
        best, best_score = None, COPY_CONTAINMENT
        for earlier in members[:n]:
            score = _derives(member, earlier, relations, grams)
            if score >= best_score and (best is None or score > best_score):
                best, best_score = earlier, score
        if best is None:
            member.origin = member.article_id
            origins.append(member)
        else:
            member.derived_from = best.article_id
            member.origin = by_id[best.article_id].origin
    copies: dict[str, list[Member]] = {o.article_id: [] for o in origins}
    for member in members:
        if member.origin != member.article_id and member.origin is not None:
            copies[member.origin].append(member)
    primaries: dict[str, list[str]] = {}
    for origin in origins:
        named = [c.primary_source for c in origin.claims if c.primary_source]
        names = list(dict.fromkeys(named)) or [own_name(origin.outlet, origin.article_id)]
        primaries[origin.article_id] = names
    return Independence(members, origins, copies, primaries)
