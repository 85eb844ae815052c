"""The provnews page's FastAPI app: read-only HTML for logged-in Airflow users.

Every route, static files included, depends on Airflow's ``get_user`` (a Bearer token or the
UI's ``_token`` cookie: none gives 401, a bad one 403); the sub-app has no /docs or
/openapi.json, and answers with a Content-Security-Policy that allows only its own scripts
and styles, so even markup that slipped through escaping could not run.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy.exc import SQLAlchemyError

from provnews_ui import articles, overview, sites, static

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
       " form-action 'self'; frame-ancestors 'self'; base-uri 'none'")


async def warehouse_unreadable(request: Request, exc: Exception) -> HTMLResponse:
    """A warehouse that is down or not migrated: say so, instead of a bare 500."""
    reason = html.escape(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    return HTMLResponse(
        "<!DOCTYPE html><title>provnews: warehouse unreadable</title><h1>The warehouse could"
        f" not be read</h1><p><code>{reason}</code></p><p>Is it running and migrated"
        " (<code>provnews db migrate</code>), and does the Connection <code>provnews_db</code>"
        " point at it?</p>", status_code=503)


async def security_headers(request: Request,
                           call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    response = await call_next(request)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def create_app() -> FastAPI:
    from airflow.api_fastapi.core_api.security import get_user

    app = FastAPI(title="provnews", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(get_user)])
    app.middleware("http")(security_headers)
    app.add_exception_handler(SQLAlchemyError, warehouse_unreadable)
    for module in (overview, sites, articles, static):
        app.include_router(module.router)
    return app
