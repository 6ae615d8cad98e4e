"""The API documentation page, /api/docs: Swagger UI served from this server, never a CDN.

The Swagger UI bundle and stylesheet come from the `fastapi-offline` package (part of the `web`
extra) and are served under /api/docs-assets; the page starts Swagger UI from /static/api-docs.js
because the workbench's CSP allows no inline script.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from wiretrace.web.templating import page

ASSETS = "/api/docs-assets"
router = APIRouter()


def assets_dir() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def mount(app: FastAPI) -> None:
    """Serve the Swagger UI files and the docs page on `app`."""
    app.mount(ASSETS, StaticFiles(directory=assets_dir()), name="api-docs-assets")
    app.include_router(router)


@router.get("/api/docs", include_in_schema=False, response_class=HTMLResponse)
def api_docs() -> HTMLResponse:
    return HTMLResponse(page("api_docs.html.j2", assets=ASSETS))
