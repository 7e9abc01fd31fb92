"""create_app(settings): the FastAPI application — API under /v1, the reviewer page at /.

    uvicorn --factory api.app:create_app          # settings from the environment
    disclosure-nlp serve                          # the same, plus a first-run key
"""

from __future__ import annotations

import logging
import time
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles

from disclosure_nlp import __version__
from disclosure_nlp.pipeline import Analyzer
from disclosure_nlp.store import Store

from .deps import Services
from .errors import error_response, install_error_handlers
from .routers import analyses, meta, score, web
from .schemas import AnalysisTextRequest
from .service import AnalysisService, Metrics, ModelHolder, RateLimiter
from .settings import Settings

log = logging.getLogger("disclosure_nlp.api")
HERE = Path(__file__).resolve().parent

DESCRIPTION = """
Reads modern slavery statements and social-audit reports for due-diligence coverage and
forced-labour red flags, with page-level evidence for every finding.

**Authentication**: every endpoint except `/healthz`, `/readyz` and these docs needs an API key,
sent as `Authorization: Bearer <key>` or `X-API-Key: <key>`. Keys have a role: `reviewer`
(analyse, read, give feedback), `service` (analyse, read, score, metrics) or `admin` (everything,
including deleting any analysis). Create keys with `disclosure-nlp keys create`.

**Errors** are JSON: `{"error": {"code": "...", "message": "...", "status": 4xx}}`. Uploads are
checked by content (415 for an unsupported type), bytes and pages (413), and readability (422 for
encrypted, corrupt or empty documents). 429 means the key's rate limit was hit (see `Retry-After`).

**Procurement systems** use `POST /v1/score` (stable within api_version 1: fields are only added).
"""

TAGS = [
    {"name": "score", "description": "For procurement systems: a supplier's documents -> risk, gaps, red flags"},
    {"name": "analyses", "description": "Analyse documents, read results and reports"},
    {"name": "feedback", "description": "Reviewers confirm or correct sentence labels"},
    {"name": "reference", "description": "Taxonomy and model card"},
    {"name": "operations", "description": "Health, readiness and metrics"},
]

PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


class BodySizeLimit:
    """Rejects request bodies over `limit` bytes with 413, by Content-Length or while streaming."""

    class _TooLarge(Exception):
        pass

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    if int(value) > self.limit:
                        return await self._reject(scope, receive, send)
                except ValueError:
                    pass
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise self._TooLarge()
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except self._TooLarge:
            if not started:
                await self._reject(scope, receive, send)

    async def _reject(self, scope, receive, send):
        response = error_response(413, "too_large", f"the request body is over the {self.limit:,}-byte limit")
        await response(scope, receive, send)


def create_app(settings: Settings | None = None, *, analyzer: Analyzer | None = None,
               store: Store | None = None) -> FastAPI:
    """Build the app. `analyzer`/`store` may be injected (tests, benchmarks); otherwise they come from settings."""
    settings = settings or Settings()
    store = store or Store(settings.resolved_database_url())
    store.migrate()
    metrics = Metrics()
    models = ModelHolder(settings, analyzer)
    svc = Services(
        settings=settings, store=store, models=models,
        analyses=AnalysisService(store, models, settings, metrics), metrics=metrics,
        rate_limiter=RateLimiter(settings.rate_limit_per_minute),
        auth_failures=RateLimiter(settings.auth_failures_per_minute),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if settings.preload_model:
            models.start()
        resumed = svc.analyses.resume_pending()
        if resumed:
            log.info("resumed %d unfinished analyses", resumed)
        yield
        svc.analyses.shutdown()

    app = FastAPI(
        title="disclosure-nlp", version=__version__, description=DESCRIPTION, openapi_tags=TAGS,
        lifespan=lifespan, docs_url="/docs", redoc_url="/redoc",
    )
    app.state.services = svc
    install_error_handlers(app)

    @app.middleware("http")
    async def observe(request: Request, call_next):
        t0 = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        metrics.requests.labels(request.method, path, str(response.status_code)).inc()
        metrics.latency.labels(request.method, path).observe(time.perf_counter() - t0)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if response.headers.get("content-type", "").startswith("text/html") and not path.startswith(("/docs", "/redoc")):
            response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        return response

    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Authorization", "X-API-Key", "Content-Type"])
    app.add_middleware(BodySizeLimit, limit=settings.request_limit)

    app.include_router(score.router)
    app.include_router(analyses.router)
    app.include_router(meta.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def openapi():
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description,
                             routes=app.routes, tags=TAGS)
        # The JSON body of POST /v1/analyses is read by hand (the path also takes multipart), so
        # its schema is added here.
        extra = AnalysisTextRequest.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, sub in extra.pop("$defs", {}).items():
            components.setdefault(name, sub)
        components["AnalysisTextRequest"] = extra
        schema["info"]["x-api-version"] = "1"
        app.openapi_schema = schema
        return schema

    app.openapi = openapi
    return app
