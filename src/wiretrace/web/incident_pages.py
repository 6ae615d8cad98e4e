"""Incident pages: the groups of `wiretrace.corroborate`, one page each, with JSON twins.

`/incidents` lists every incident (claims about one event, grouped across the store, graded);
`/incidents/{id}` shows one: its grade and why, the independent origins with the copies under
each, the primary sources, the figures of each origin side by side, and a link to its schema.org
ClaimReview JSON-LD (`/incidents/{id}/claimreview.json`). Every page has a JSON twin at the same
URL plus `.json`. Claims of articles stored since the last visit are extracted first (under the
write lock; a read-only server shows what is stored). The pages are templates/incident*.html.j2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from wiretrace.corroborate import Incident, to_claimreview, update_incidents
from wiretrace.corroborate.incidents import assemble, assemble_all, incident_id
from wiretrace.corroborate.independence import Member
from wiretrace.corroborate.storage import load_claims, unprocessed
from wiretrace.render.report_view import Link
from wiretrace.web.errors import ApiError
from wiretrace.web.service import Workbench
from wiretrace.web.templating import href, page

router = APIRouter(include_in_schema=False)
_GROUPS = ("civilians", "children", "women", "non_civilians")


def _bench(request: Request) -> Workbench:
    bench: Workbench = request.app.state.bench
    return bench


def _catch_up(bench: Workbench) -> None:
    """Extract and group the claims of articles stored since the last look."""
    if bench.config.read_only:
        return
    with bench.write_lock:
        ids = unprocessed(bench.store.db)
        if ids:
            update_incidents(bench.store, ids)


def _all(bench: Workbench) -> list[Incident]:
    _catch_up(bench)
    with bench.reader() as reader:
        rows = load_claims(reader.store.db, "WHERE group_id IS NOT NULL")
    return assemble_all(rows)


def _one(bench: Workbench, key: str) -> Incident:
    _catch_up(bench)
    with bench.reader() as reader:
        gids = [g for (g,) in reader.store.db.execute(
            "SELECT DISTINCT group_id FROM corroborate_claims WHERE group_id IS NOT NULL"
        ).fetchall()]  # fmt: skip
        gid = next((g for g in gids if incident_id(g) == key), None)
        if gid is None:
            raise ApiError(404, "not_found", "no such incident", key)
        rows = load_claims(reader.store.db, "WHERE group_id = ?", [gid])
    return assemble(gid, rows)


def _figures(member: Member) -> dict[str, float]:
    out: dict[str, float] = {}
    for claim in member.claims:
        if claim.grp and claim.value is not None:
            out.setdefault(claim.grp, claim.value)
    return out


def _member(member: Member) -> dict[str, Any]:
    return {
        "article_id": member.article_id,
        "url": member.url,
        "outlet": member.outlet,
        "published_at": member.published_at.isoformat() if member.published_at else None,
        "figures": _figures(member),
    }


def incident_data(inc: Incident) -> dict[str, Any]:
    """The page's data: `wiretrace.incidents/2` for the incident plus per-article details."""
    data = inc.to_dict()
    ind = inc.ind
    data["origin_articles"] = [
        {
            **_member(origin),
            "primary_sources": ind.primaries[origin.article_id],
            "copies": [_member(c) for c in ind.copies[origin.article_id]],
        }
        for origin in ind.origins
    ]
    data["claimreview_url"] = f"/incidents/{inc.id}/claimreview.json"
    return data


def figures_line(inc: dict[str, Any]) -> str:
    """An incident's best figures in words ("12 civilians, 3 children")."""
    figures = inc.get("figures") or {}
    return ", ".join(
        f"{v['best']:g} {grp.replace('_', ' ')}"
        for grp, v in figures.items()
        if v["best"] is not None
    )


@dataclass(frozen=True, slots=True)
class IncidentRow:
    """One incident in the list: when, where, what, its best figures, counts and grade."""

    id: str
    kind: str
    place: str | None
    date: str | None
    speaker: str | None
    figures_line: str
    articles: int
    origins: int
    primary_sources: int
    grade: str

    @classmethod
    def of(cls, inc: dict[str, Any]) -> IncidentRow:
        counts = inc["counts"]
        return cls(
            id=str(inc["id"]),
            kind=str(inc["kind"]),
            place=inc.get("place"),
            date=inc.get("date"),
            speaker=inc.get("speaker"),
            figures_line=figures_line(inc),
            articles=int(counts["articles"]),
            origins=int(counts["origins"]),
            primary_sources=int(counts["primary_sources"]),
            grade=str(inc["grade"]),
        )


@dataclass(frozen=True, slots=True)
class IncidentsView:
    """The incidents page: the incidents shown (up to the limit) of how many there are."""

    incidents: tuple[IncidentRow, ...]
    total: int

    @classmethod
    def of(cls, data: dict[str, Any]) -> IncidentsView:
        rows = tuple(IncidentRow.of(inc) for inc in data["incidents"])
        return cls(incidents=rows, total=int(data["total"]))


def list_page(data: dict[str, Any]) -> str:
    return page(
        "incidents.html.j2",
        title="Incidents",
        json_url=href("incidents.json"),
        active="Incidents",
        view=IncidentsView.of(data),
    )


@dataclass(frozen=True, slots=True)
class MemberCell:
    """An article of an incident as a table cell: its outlet, when, and its url."""

    article_id: str
    outlet: str | None
    published_at: str | None
    url: Link

    @classmethod
    def of(cls, member: dict[str, Any]) -> MemberCell:
        return cls(
            article_id=str(member["article_id"]),
            outlet=member.get("outlet"),
            published_at=member.get("published_at"),
            url=Link.of(member.get("url")),
        )


@dataclass(frozen=True, slots=True)
class OriginRow:
    """An independent origin: its figures (one per shown group), primary sources and copies."""

    article: MemberCell
    values: tuple[float | None, ...]
    primary_sources: tuple[str, ...]
    copies: tuple[MemberCell, ...]


@dataclass(frozen=True, slots=True)
class StatRow:
    """One statistic over the origins (best, low, high), one value per shown group."""

    label: str
    values: tuple[float | None, ...]


@dataclass(frozen=True, slots=True)
class ChangedFigure:
    """A figure a copy changed: which outlet, which group, from what to what."""

    outlet: str | None
    url: str
    group: str
    old: float | None
    new: float | None


@dataclass(frozen=True, slots=True)
class IncidentView:
    """An incident's page: grade and why, figures by origin, origins with copies, primaries,
    figures changed in copies."""

    id: str
    title: str
    date: str | None
    articles: int
    origins: int
    primary_source_count: int
    grade: str
    why: str
    groups: tuple[str, ...]
    origin_rows: tuple[OriginRow, ...]
    stats: tuple[StatRow, ...]
    agreement: tuple[tuple[str, str], ...]
    primary_sources: tuple[str, ...]
    changed_in_copy: tuple[ChangedFigure, ...]
    claimreview_url: str

    @classmethod
    def of(cls, data: dict[str, Any]) -> IncidentView:
        figures = data["figures"]
        groups = tuple(
            [g for g in _GROUPS if g in figures] + sorted(g for g in figures if g not in _GROUPS)
        )
        counts = data["counts"]
        return cls(
            id=str(data["id"]),
            title=f"{data['kind']} · {data['place'] or data.get('speaker') or 'unplaced'}",
            date=data.get("date"),
            articles=int(counts["articles"]),
            origins=int(counts["origins"]),
            primary_source_count=int(counts["primary_sources"]),
            grade=str(data["grade"]),
            why=str(data["why"]),
            groups=groups,
            origin_rows=tuple(
                OriginRow(
                    article=MemberCell.of(o),
                    values=tuple(o["figures"].get(g) for g in groups),
                    primary_sources=tuple(str(name) for name in o["primary_sources"]),
                    copies=tuple(MemberCell.of(c) for c in o["copies"]),
                )
                for o in data["origin_articles"]
            ),
            stats=tuple(
                StatRow(label, tuple(figures[g][key] for g in groups))
                for label, key in (("best (median)", "best"), ("low", "low"), ("high", "high"))
            ),
            agreement=tuple((str(g), str(v["status"])) for g, v in data["agreement"].items()),
            primary_sources=tuple(str(name) for name in data["primary_sources"]),
            changed_in_copy=tuple(
                ChangedFigure(c.get("outlet"), str(c["url"]), str(c["group"]), c["from"], c["to"])
                for c in data.get("changed_in_copy") or ()
            ),
            claimreview_url=str(data["claimreview_url"]),
        )


def detail_page(data: dict[str, Any]) -> str:
    view = IncidentView.of(data)
    return page(
        "incident.html.j2",
        title=view.title,
        json_url=href("incidents", view.id + ".json"),
        active="Incidents",
        view=view,
    )


@router.get("/incidents")
@router.get("/incidents.json")
def incidents_view(request: Request, limit: int = Query(default=200, ge=1, le=2000)) -> Response:
    everything = [inc.to_dict() for inc in _all(_bench(request))]
    data = {"total": len(everything), "incidents": everything[:limit]}
    if request.url.path.endswith(".json"):
        return JSONResponse(data)
    return HTMLResponse(list_page(data))


@router.get("/incidents/{key}/claimreview.json")
def claimreview_view(key: str, request: Request) -> Response:
    review = to_claimreview(_one(_bench(request), key))
    return JSONResponse(review, media_type="application/ld+json")


@router.get("/incidents/{key}")
def incident_view(key: str, request: Request) -> Response:
    data = incident_data(_one(_bench(request), key.removesuffix(".json")))
    if key.endswith(".json"):
        return JSONResponse(data)
    return HTMLResponse(detail_page(data))
