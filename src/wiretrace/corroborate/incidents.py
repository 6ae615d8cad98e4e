"""Assembling a group's claims into an incident: origins, sources, figures, timing and grade."""

from __future__ import annotations

import hashlib
import statistics
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from wiretrace.corroborate.claimrows import ClaimRow
from wiretrace.corroborate.grade import Agreement, agreement, grade, main_kind
from wiretrace.corroborate.independence import Independence, Member, Relations, collapse

SCHEMA = "wiretrace.incidents/2"


def incident_id(group_id: str) -> str:
    """A short stable id for a group ('inc-' and 12 hex digits of its smallest claim id)."""
    return "inc-" + hashlib.sha1(group_id.encode()).hexdigest()[:12]


def _iso(member: Member) -> str | None:
    return member.published_at.isoformat() if member.published_at else None


def _hours(later: Member, first: Member) -> float | None:
    if later.published_at is None or first.published_at is None:
        return None
    return round((later.published_at - first.published_at).total_seconds() / 3600, 2)


@dataclass(slots=True)
class Incident:
    """A group of claims about one incident (or one statement) with its corroboration."""

    group_id: str
    kind: str
    place: str | None
    date: str | None
    ind: Independence
    agree: Agreement
    grade: str
    why: str
    speaker: str | None = None
    claims: list[ClaimRow] = field(default_factory=list)

    @property
    def id(self) -> str:
        return incident_id(self.group_id)

    def to_dict(self) -> dict[str, Any]:
        """The incident object of `wiretrace.incidents/2`."""
        ind = self.ind
        first = ind.members[0]
        hours = [_hours(m, first) for m in ind.members[1:]]
        followers = [
            {"url": m.label, "outlet": m.outlet, "delay_hours": h}
            for m, h in zip(ind.members[1:], hours, strict=True)
        ]
        delays = [h for h in hours if h is not None]
        extra = {}
        if self.kind == "assertion":  # what is asserted: the first origin's sentence
            extra["assertion"] = next(
                (c.sentence for c in ind.origins[0].claims if c.claim_type == "assertion"), None
            )
        return {
            "id": self.id,
            "kind": self.kind,
            "place": self.place,
            "date": self.date,
            "speaker": self.speaker,
            **extra,
            "articles": [m.label for m in ind.members],
            "origins": [
                {
                    "url": o.label,
                    "outlet": o.outlet,
                    "published_at": _iso(o),
                    "primary_sources": ind.primaries[o.article_id],
                    "copies": [c.label for c in ind.copies[o.article_id]],
                }
                for o in ind.origins
            ],
            "primary_sources": ind.primary_sources(),
            "counts": {
                "articles": len(ind.members),
                "origins": len(ind.origins),
                "primary_sources": len(ind.primary_sources()),
            },
            "figures": self.agree.figures,
            "agreement": {
                grp: {"status": self.agree.status[grp], "by_origin": self.agree.by_origin[grp]}
                for grp in self.agree.figures
            },
            "changed_in_copy": self.agree.changed,
            "parties": self.agree.parties,
            "first": {"url": first.label, "outlet": first.outlet, "published_at": _iso(first)},
            "followers": followers,
            "median_delay_hours": statistics.median(delays) if delays else None,
            "grade": self.grade,
            "why": self.why,
        }


def assemble(group_id: str, rows: Sequence[ClaimRow], relations: Relations = ()) -> Incident:
    """One incident from the claim rows of one group."""
    ind = collapse(rows, relations)
    agree = agreement(ind)
    label, why = grade(ind, agree)
    places = Counter(r.place for r in rows if r.place)
    origin_dates = sorted(
        c.event_date for o in ind.origins for c in o.claims if c.event_date is not None
    )
    first = rows[0]
    return Incident(
        group_id=group_id,
        kind=main_kind({r.kind for r in rows}) if first.claim_type == "figure" else first.kind,
        place=places.most_common(1)[0][0] if places else None,
        date=origin_dates[0].isoformat() if origin_dates else None,
        ind=ind,
        agree=agree,
        grade=label,
        why=why,
        speaker=first.speaker,
        claims=list(rows),
    )


def assemble_all(
    rows: Sequence[ClaimRow], relations: Relations = (), boilerplate: Collection[str] = ()
) -> list[Incident]:
    """Incidents of every group (statements and assertions only when more than one article
    carries them, and never when each of their sentences is `boilerplate`)."""
    groups: dict[str, list[ClaimRow]] = defaultdict(list)
    for row in rows:
        if row.group_id is not None:
            groups[row.group_id].append(row)
    out = []
    for gid in sorted(groups):
        members = groups[gid]
        lone = len({r.article_id for r in members}) < 2
        stock = all(r.sentence in boilerplate for r in members)
        if members[0].claim_type in ("quote", "assertion") and (lone or stock):
            continue
        out.append(assemble(gid, members, relations))
    out.sort(key=lambda inc: (inc.date or "", inc.place or "", inc.kind, inc.id))
    return out
