"""Incident pages: the groups of `wiretrace.corroborate`, one page each, with JSON twins.

`/incidents` lists every incident (claims about one event, grouped across the store, graded);
`/incidents/{id}` shows one: its grade and why, the independent origins with the copies under
each, the primary sources, the figures of each origin side by side, and a link to its schema.org
ClaimReview JSON-LD (`/incidents/{id}/claimreview.json`). Every page has a JSON twin at the same
URL plus `.json`. Claims of articles stored since the last visit are extracted first (under the
write lock; a read-only server shows what is stored). Everything from an article is escaped.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from wiretrace.corroborate import Incident, to_claimreview, update_incidents
from wiretrace.corroborate.incidents import assemble, assemble_all, incident_id
from wiretrace.corroborate.independence import Member
from wiretrace.corroborate.storage import load_claims, unprocessed
from wiretrace.render.html import esc, url_html
from wiretrace.web.app import ApiError
from wiretrace.web.pages import href, layout, when
from wiretrace.web.service import Workbench

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
    """The page's data: `wiretrace.incidents/1` for the incident plus per-article details."""
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


def _summary(inc: dict[str, Any]) -> str:
    figures = inc.get("figures") or {}
    return ", ".join(
        f"{v['best']:g} {grp.replace('_', ' ')}"
        for grp, v in figures.items()
        if v["best"] is not None
    )


def list_page(data: dict[str, Any]) -> str:
    rows = "".join(
        f'<tr><td class="nw">{esc(i["date"], "—")}</td><td>{esc(i["place"], "—")}</td>'
        f"<td>{esc(i['kind'])}{' · ' + esc(i['speaker']) if i.get('speaker') else ''}</td>"
        f"<td>{esc(_summary(i), '—')}</td>"
        f'<td class="num">{i["counts"]["articles"]}</td><td class="num">{i["counts"]["origins"]}'
        f'</td><td class="num">{i["counts"]["primary_sources"]}</td>'
        f'<td><a href="{href("incidents", str(i["id"]))}">{esc(i["grade"])}</a></td></tr>'
        for i in data["incidents"]
    )
    body = (
        '<section class="report"><p class="kicker">Incidents</p>'
        "<h1>Claims grouped into incidents, copies collapsed into origins</h1>"
        f'<p class="meta">{len(data["incidents"])} of {data["total"]} incidents and statements '
        "carried by the stored articles, graded by how many independent sources stand behind "
        "them.</p>"
        + (
            "<table><thead><tr><th>Date</th><th>Place</th><th>Kind</th><th>Figures</th>"
            '<th class="num">Articles</th><th class="num">Origins</th>'
            '<th class="num">Primary sources</th><th>Grade</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
            if rows
            else '<p class="note">No incidents yet.</p>'
        )
        + "</section>"
    )
    return layout("Incidents", body, json_url=href("incidents.json"), active="Incidents")


def _article_cell(member: dict[str, Any]) -> str:
    return (
        f'<a href="{href("articles", str(member["article_id"]))}">'
        f"{esc(member.get('outlet'), 'article')}</a> "
        f'<span class="snip">{when(member.get("published_at"))}</span>'
        f'<div class="snip">{url_html(member.get("url"))}</div>'
    )


def detail_page(data: dict[str, Any]) -> str:
    origins = data["origin_articles"]
    groups = [g for g in _GROUPS if g in data["figures"]] + sorted(
        g for g in data["figures"] if g not in _GROUPS
    )
    head = "".join(f'<th class="num">{esc(g.replace("_", " "))}</th>' for g in groups)
    fig_rows = "".join(
        f"<tr><td>{_article_cell(o)}</td>"
        + "".join(f'<td class="num">{esc(_num(o["figures"].get(g)))}</td>' for g in groups)
        + "</tr>"
        for o in origins
    )
    stats = "".join(
        f'<tr><th scope="row">{label}</th>'
        + "".join(f'<td class="num">{esc(_num(data["figures"][g][key]))}</td>' for g in groups)
        + "</tr>"
        for label, key in (("best (median)", "best"), ("low", "low"), ("high", "high"))
    )
    status = "".join(
        f"<li>{esc(g.replace('_', ' '))}: {esc(v['status'])}</li>"
        for g, v in data["agreement"].items()
    )
    origin_items = "".join(
        f"<li>{_article_cell(o)}<div>primary sources: "
        f"{esc(', '.join(o['primary_sources']), '—')}</div>"
        + (
            "<ul>" + "".join(f"<li>copy: {_article_cell(c)}</li>" for c in o["copies"]) + "</ul>"
            if o["copies"]
            else '<div class="snip">no copies</div>'
        )
        + "</li>"
        for o in origins
    )
    changed = "".join(
        f"<li>{esc(c['outlet'], c['url'])} changed {esc(str(c['group']).replace('_', ' '))} "
        f"from {esc(_num(c['from']))} to {esc(_num(c['to']))}</li>"
        for c in data["changed_in_copy"]
    )
    sources = "".join(f"<li>{esc(name)}</li>" for name in data["primary_sources"])
    counts = data["counts"]
    title = f"{data['kind']} · {data['place'] or data.get('speaker') or 'unplaced'}"
    body = (
        f'<section class="report"><p class="kicker">Incident {esc(data["id"])}</p>'
        f"<h1>{esc(title)}</h1>"
        f'<p class="meta">{esc(data["date"], "undated")} · '
        f"{_count(counts['articles'], 'article')}, "
        f"{_count(counts['origins'], 'independent origin')}, "
        f"{_count(counts['primary_sources'], 'primary source')}</p>"
        f"<h2>Grade: {esc(data['grade'])}</h2><p>{esc(data['why'])}</p>"
        + (
            "<h2>Figures by origin</h2><table><thead><tr><th>Origin</th>"
            f"{head}</tr></thead><tbody>{fig_rows}{stats}</tbody></table>"
            f'<ul class="changes">{status}</ul>'
            if groups
            else ""
        )
        + f"<h2>Origins and their copies</h2><ol>{origin_items}</ol>"
        + f"<h2>Primary sources</h2><ul>{sources}</ul>"
        + (f'<h2>Changed in copy</h2><ul class="changes">{changed}</ul>' if changed else "")
        + f'<p><a href="{esc(data["claimreview_url"])}">ClaimReview JSON-LD</a> · '
        f'<a href="{href("incidents")}">all incidents</a></p></section>'
    )
    twin = href("incidents", str(data["id"]) + ".json")
    return layout(title, body, json_url=twin, active="Incidents")


def _num(value: Any) -> str:
    return "—" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


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


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
