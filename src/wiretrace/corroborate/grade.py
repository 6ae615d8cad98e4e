"""Agreement of figures across independent origins, and the grade of a group with its reason.

The scale (docs/corroborate.md) follows Airwars' grading of civilian harm claims:

- confirmed: a party the claim blames (the actor) itself states the figure;
- contested: independent origins disagree on how many (figures conflict) or on who (parties);
- fair: two or more independent primary sources, in agreement;
- weak: one primary source (one article, or several origins resting on one source);
- single-origin echo: several articles, all copies of one origin.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from wiretrace.corroborate.claimrows import ClaimRow, party_of
from wiretrace.corroborate.independence import Independence, Member

GRADES = ("confirmed", "fair", "weak", "contested", "single-origin echo")
CONFLICT_RATIO = 2.0  # highest / lowest independent figure beyond which figures conflict
CONFLICT_MARGIN = 5.0  # ... and at least this far apart (3 vs 7 is a range, not a conflict)


@dataclass(slots=True)
class Agreement:
    """Figures of independent origins side by side, per group of people."""

    figures: dict[str, dict[str, float | None]] = field(default_factory=dict)
    by_origin: dict[str, dict[str, float]] = field(default_factory=dict)  # group -> url -> value
    status: dict[str, str] = field(default_factory=dict)  # single | agreeing | range | conflicting
    changed: list[dict[str, Any]] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)

    @property
    def conflicting(self) -> list[str]:
        return [grp for grp, status in self.status.items() if status == "conflicting"]


# Kinds of figure from the most to the least severe: a group's main kind is the first it counts.
KIND_ORDER = ("killed", "wounded", "missing", "kidnapped", "displaced", "fled")


def main_kind(kinds: Iterable[str]) -> str:
    """The most severe of these kinds (a group of killed and wounded counts is a "killed" one)."""
    return min(
        kinds, key=lambda k: (KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER), k)
    )


def figure_key(claim: ClaimRow, main: str) -> str | None:
    """Whom a figure counts: its group of people ("civilians"), and for a kind other than the
    group's main one the kind too ("civilians wounded"), so killed and wounded counts of one
    event are compared each with its own."""
    if not claim.grp:
        return None
    return claim.grp if claim.kind == main else f"{claim.grp} {claim.kind}"


def _first_value(member: Member, key: str, main: str) -> float | None:
    return next(
        (c.value for c in member.claims if figure_key(c, main) == key and c.value is not None),
        None,
    )


def agreement(ind: Independence) -> Agreement:
    """Best / low / high per group over independent origins, status, and figures changed in copy."""
    out = Agreement()
    claims = [c for m in ind.members for c in m.claims]
    main = main_kind({c.kind for c in claims}) if claims else ""
    groups = sorted({key for c in claims if (key := figure_key(c, main))})
    for grp in groups:
        values = {o.label: v for o in ind.origins if (v := _first_value(o, grp, main)) is not None}
        if not values:
            continue
        nums = sorted(values.values())
        low, high = nums[0], nums[-1]
        out.by_origin[grp] = values
        out.figures[grp] = {"best": statistics.median_low(nums), "low": low, "high": high}
        if len(nums) == 1:
            out.status[grp] = "single"
        elif low == high:
            out.status[grp] = "agreeing"
        elif high > CONFLICT_RATIO * max(low, 1.0) and high - low >= CONFLICT_MARGIN:
            out.status[grp] = "conflicting"
        else:
            out.status[grp] = "range"
    by_id = {m.article_id: m for m in ind.members}
    for member in ind.members:
        if member.derived_from is None:
            continue
        source = by_id[member.derived_from]
        for grp in groups:
            mine, theirs = _first_value(member, grp, main), _first_value(source, grp, main)
            if mine is not None and theirs is not None and mine != theirs:
                out.changed.append(
                    {"url": member.label, "outlet": member.outlet, "group": grp,
                     "from": theirs, "to": mine, "source": source.label}
                )  # fmt: skip
    parties = {c.actor_party for o in ind.origins for c in o.claims if c.actor_party}
    out.parties = sorted(parties)
    return out


def _party_confirms(ind: Independence, parties: list[str]) -> str | None:
    """A primary source that is the party blamed (the coalition confirming its own strike)."""
    if len(parties) != 1:
        return None
    for names in ind.primaries.values():
        for name in names:
            if party_of(name) == parties[0]:
                return name
    return None


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _figure_text(agree: Agreement, grp: str) -> str:
    values = agree.by_origin[grp]
    return ", ".join(f"{v:g}" for v in sorted(values.values()))


def grade(ind: Independence, agree: Agreement) -> tuple[str, str]:
    """The grade of a group and one sentence saying why."""
    articles, origins = len(ind.members), len(ind.origins)
    primaries = ind.primary_sources()
    first = ind.origins[0]
    if articles > 1 and origins == 1:
        return "single-origin echo", (
            f"All {articles} articles derive from one origin ({first.label}): one report and "
            f"{articles - 1} {'copy' if articles == 2 else 'copies'} of it, not independent "
            "confirmation."
        )
    if agree.conflicting:
        grp = agree.conflicting[0]
        return "contested", (
            f"{_count(origins, 'independent origin')} disagree on how many {grp.replace('_', ' ')}"
            f" ({_figure_text(agree, grp)})."
        )
    if len(agree.parties) > 1:
        return "contested", (
            f"{_count(origins, 'independent origin')} blame different parties "
            f"({', '.join(agree.parties)})."
        )
    confirmer = _party_confirms(ind, agree.parties)
    if confirmer is not None:
        return "confirmed", (
            f"{confirmer}, the party held responsible ({agree.parties[0]}), itself reports it."
        )
    if len(primaries) >= 2:
        return "fair", (
            f"{_count(origins, 'independent origin')} rest on "
            f"{_count(len(primaries), 'independent primary source')} "
            f"({', '.join(primaries)}) that agree."
        )
    if origins > 1:
        return "weak", (
            f"{_count(origins, 'independent origin')} all rest on one primary source "
            f"({primaries[0]})."
        )
    return "weak", f"One article ({first.label}) citing {primaries[0]}; no other report found."
