"""The web application: JSON API, dashboard pages, offline API docs, one error handler.

>>> from reelsense.store import SQLiteStore
>>> app = create_app(SQLiteStore(":memory:"))
>>> app.title
'reelsense'
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from reelsense.errors import (
    ConfigError,
    NotFittedError,
    QueryError,
    ReelsenseError,
    SchemaOutdatedError,
    SourceError,
    StoreError,
)
from reelsense.store.base import Store
from reelsense.web import api, pages
from reelsense.web.limits import MAX_BODY_BYTES, MAX_URL_BYTES, RequestLimits
from reelsense.web.queries import UnknownMovieError
from reelsense.web.state import AppState

__all__ = ["MAX_BODY_BYTES", "MAX_URL_BYTES", "create_app", "error_status"]

logger = logging.getLogger(__name__)

VENDOR = "/static/vendor/swagger-ui"

# Most specific first: the first class the error is an instance of decides.
_STATUS: tuple[tuple[type[ReelsenseError], int], ...] = (
    (UnknownMovieError, 404),
    (QueryError, 400),
    (ConfigError, 400),
    (SourceError, 400),
    (SchemaOutdatedError, 503),
    (StoreError, 503),
    (NotFittedError, 503),
)


def error_status(exc: BaseException) -> tuple[int, str]:
    """The HTTP status and client message for any error a route let escape.

    Library errors carry a message meant for users; anything else is an
    internal error whose details stay in the server log.

    Example
    -------
    >>> error_status(QueryError("bad query"))
    (400, 'bad query')
    """
    if isinstance(exc, StarletteHTTPException):
        return exc.status_code, str(exc.detail)
    if isinstance(exc, RequestValidationError):
        return 422, "invalid request: " + "; ".join(_describe(e) for e in exc.errors())
    if isinstance(exc, ReelsenseError):
        for kind, status in _STATUS:
            if isinstance(exc, kind):
                return status, str(exc)
        return 500, str(exc)
    return 500, "internal server error"


def _describe(error: object) -> str:
    if not isinstance(error, dict):
        return str(error)
    place = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
    return f"{place}: {error.get('msg', 'invalid')}"


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api") or path.startswith("/openapi")


async def handle_error(request: Request, exc: Exception) -> Response:
    """The one error handler: JSON ``{"status", "message"}`` under ``/api``, else an HTML page."""
    status, message = error_status(exc)
    if status >= 500:
        logger.error("%s %s failed: %s", request.method, request.url.path, message, exc_info=exc)
    if _wants_json(request):
        body: dict[str, object] = {"status": status, "message": message}
        if isinstance(exc, RequestValidationError):
            body["errors"] = [
                {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors()
            ]
        return JSONResponse(body, status_code=status)
    templates = request.app.state.templates
    response: Response = templates.TemplateResponse(
        request,
        "error.html",
        {"title": f"Error {status}", "status": status, "message": message},
        status_code=status,
    )
    response.headers["Content-Security-Policy"] = pages.CONTENT_SECURITY_POLICY
    return response


def _static_dir() -> Path:
    return Path(str(resources.files("reelsense.web") / "static"))


def create_app(store: Store, *, model_dir: Path | None = None) -> FastAPI:
    """Build the web app over ``store`` (used read-only).

    Parameters
    ----------
    store:
        Kept on ``app.state``; routes get it through ``Depends``.
    model_dir:
        The model bundle ``POST /api/predict`` uses (default: the shipped
        one). It is loaded on the first prediction, once per app.

    Returns
    -------
    FastAPI
        JSON API under ``/api/``, dashboard pages at ``/``, ``/movies/{id}``,
        ``/compare`` and ``/search``, OpenAPI at ``/openapi.json`` and
        ``/docs`` (Swagger UI served from the package: works offline).

    Example
    -------
    >>> from reelsense.store import SQLiteStore
    >>> create_app(SQLiteStore(":memory:")).state.reelsense.model_dir is None
    True
    """
    app = FastAPI(
        title="reelsense",
        summary="Movie reviews: search, insight, comparison and scoring.",
        version="1",
        docs_url=None,
        redoc_url=None,
    )
    app.state.reelsense = AppState(store=store, model_dir=model_dir)
    app.state.templates = pages.make_templates()
    app.add_exception_handler(ReelsenseError, handle_error)
    app.add_exception_handler(StarletteHTTPException, handle_error)
    app.add_exception_handler(RequestValidationError, handle_error)
    app.add_exception_handler(Exception, handle_error)
    app.add_middleware(RequestLimits, max_url=MAX_URL_BYTES, max_body=MAX_BODY_BYTES)
    app.mount("/static", StaticFiles(directory=_static_dir()), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="reelsense API",
            swagger_js_url=f"{VENDOR}/swagger-ui-bundle.js",
            swagger_css_url=f"{VENDOR}/swagger-ui.css",
            swagger_favicon_url=f"{VENDOR}/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None, "tryItOutEnabled": True},
        )

    return app
