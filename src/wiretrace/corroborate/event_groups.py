"""One group of figure claims per event: killed and injured counts of one shooting together,
as the reader sees it, instead of one group per kind of figure.

`group_all` keys figure claims by kind (killed apart from wounded) and joins them on place and
date against an anchor, so one event can leave several groups: its killed, its wounded, and a
count dated otherwise than the anchor (a title's count takes the day the body states, but a
body's undated count is dated by publication). Once articles are grouped by event
(`events.py`), the figure groups of one event (the event most of a group's articles are in)
are merged when they share an article, their anchors' places are the same or within
`groups.MAX_KM` (not merely one region: a war report names several strikes of one province)
and their event dates at most `MERGE_DAYS` apart, and:

* groups of one kind only when at least half their articles are common (`SAME_ARTICLES`,
  Jaccard) and one article gives both the same figure for the same people (the title's
  "2 killed" and the body's "two men were killed"): the story retold, not two strikes a roundup
  lists;
* a group of a less severe kind (wounded, missing, ...) joins one group of a more severe kind,
  the one it shares most articles with (then the nearest in date): no chain of groups through
  the wounded of a roundup.

The merged group's id is its smallest claim id, as for any group. Quotes and assertions are
left as they are. `merge_within_articles` does the same for an update, with each new article
standing for its event.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from wiretrace.corroborate.claimrows import ClaimRow
from wiretrace.corroborate.grade import KIND_ORDER
from wiretrace.corroborate.groups import MAX_KM, figures_agree, near_km, order

# Event dates of two groups of one event at most this far apart (a title's count dated by its
# publication and the body's dated by a weekday differ by a few days for one shooting).
MERGE_DAYS = 7
# Groups of one kind merge only when at least this share of their articles (Jaccard) is common.
SAME_ARTICLES = 0.5


def _severity(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def _close(a: ClaimRow, b: ClaimRow) -> bool:
    dated = a.event_date is not None and b.event_date is not None
    if dated and abs((a.event_date - b.event_date).days) > MERGE_DAYS:  # type: ignore[operator]
        return False
    km = near_km(a, b)
    return km is not None and km <= MAX_KM


def _retold(a: list[ClaimRow], b: list[ClaimRow]) -> bool:
    """Whether one article gives the same figure for the same people in both groups."""
    by_article: dict[str, list[ClaimRow]] = defaultdict(list)
    for claim in a:
        by_article[claim.article_id].append(claim)
    return any(
        figures_agree(mine, theirs)
        for theirs in b
        for mine in by_article.get(theirs.article_id, ())
    )


def _root(parent: dict[str, str], x: str) -> str:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _merge(members: Mapping[str, list[ClaimRow]], gids: Sequence[str]) -> dict[str, str]:
    """Group id -> merged group id for the groups of one event (see the module docstring)."""
    anchor = {gid: min(members[gid], key=order) for gid in gids}
    articles = {gid: {c.article_id for c in members[gid]} for gid in gids}
    kind = {gid: anchor[gid].kind for gid in gids}
    parent = {gid: gid for gid in gids}

    def union(a: str, b: str) -> None:
        ra, rb = _root(parent, a), _root(parent, b)
        parent[max(ra, rb)] = min(ra, rb)

    for k, gid in enumerate(gids):
        for other in gids[k + 1 :]:
            if kind[gid] != kind[other] or not articles[gid] & articles[other]:
                continue
            overlap = len(articles[gid] & articles[other]) / len(articles[gid] | articles[other])
            if overlap < SAME_ARTICLES:
                continue
            if _close(anchor[gid], anchor[other]) and _retold(members[gid], members[other]):
                union(gid, other)
    roots = sorted({_root(parent, gid) for gid in gids}, key=lambda g: (_severity(kind[g]), g))
    shared = {r: set().union(*(articles[g] for g in gids if _root(parent, g) == r)) for r in roots}
    for root in roots:  # the most severe first: each joins a group already holding its betters
        better = {_root(parent, t): t for t in roots if _severity(kind[t]) < _severity(kind[root])}
        targets = [
            (-len(shared[root] & shared[current]), _gap(anchor[root], anchor[t]), current)
            for current, t in sorted(better.items())
            if shared[root] & shared[current] and _close(anchor[root], anchor[t])
        ]
        if targets:
            target = min(targets)[2]
            union(root, target)
            shared[_root(parent, root)] = shared[target] | shared[root]
    return {gid: _root(parent, gid) for gid in gids}


def _gap(a: ClaimRow, b: ClaimRow) -> int:
    if a.event_date is None or b.event_date is None:
        return 0
    return abs((a.event_date - b.event_date).days)


def _figure_groups(
    rows: Sequence[ClaimRow], groups: Mapping[str, str]
) -> dict[str, list[ClaimRow]]:
    members: dict[str, list[ClaimRow]] = defaultdict(list)
    for row in rows:
        gid = groups.get(row.claim_id)
        if row.claim_type == "figure" and gid is not None and row.lat is not None:
            members[gid].append(row)
    return members


def merge_by_event(
    rows: Sequence[ClaimRow], groups: Mapping[str, str], event_of: Mapping[str, str]
) -> dict[str, str]:
    """Claim id -> group id with the figure groups of each event merged (see the module
    docstring); `groups` maps claim id -> group id, `event_of` article id -> event id."""
    members = _figure_groups(rows, groups)
    by_event: dict[str, list[str]] = defaultdict(list)
    for gid, claims in members.items():
        events = Counter(event_of[c.article_id] for c in claims if c.article_id in event_of)
        if events:
            top = max(events.values())
            by_event[min(e for e, n in events.items() if n == top)].append(gid)
    merged: dict[str, str] = {}
    for gids in by_event.values():
        if len(gids) > 1:
            merged.update(_merge(members, sorted(gids)))
    # Roots are the smallest id of their parts: a merged group's id is its smallest claim id.
    return {claim: merged.get(gid, gid) for claim, gid in groups.items()}


def merge_within_articles(rows: Sequence[ClaimRow], new_articles: set[str]) -> dict[str, str]:
    """For an update, where events are not regrouped: the figure groups each new article's
    claims are in (groups of its own, and stored groups its claims joined) are merged by the
    rules of `merge_by_event`, the article standing for its event; so a new report giving the
    killed and the wounded of a shooting whose killed and wounded groups shared no article
    before brings them together, as a rebuild does. Claim id -> group id for the claims that
    move."""
    groups = {r.claim_id: r.group_id for r in rows if r.group_id is not None}
    members = _figure_groups(rows, groups)
    moved: dict[str, str] = {}
    for article in sorted(new_articles):
        near = sorted(
            g for g, claims in members.items() if any(c.article_id == article for c in claims)
        )
        if len(near) < 2:
            continue
        merged = _merge(members, near)
        for group in near:
            target = merged[group]
            if target != group:
                moved.update((c.claim_id, target) for c in members[group])
                members[target] = members[target] + members.pop(group)
    return moved
