"""The FastAPI application: wiring, lifespan, health and readiness, metrics, body-size limit."""
from __future__ import annotations

import logging
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from prometheus_client import Histogram

from gramota.shared import db, metrics

from . import problems, users, web
from .clients import Services
from .routes import ROUTERS
from .settings import GatewaySettings

log = logging.getLogger(__name__)

HTTP_LATENCY = Histogram(
    "gramota_http_request_seconds", "Gateway request handling time", ["method", "route", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.pool = await db.create_pool(settings.database_url, "gateway", max_size=settings.database_pool_max)
        app.state.services = Services.connect(settings)
        await users.ensure_admin(app.state.pool, settings.admin_password)
        try:
            yield
        finally:
            await app.state.services.close()
            await app.state.pool.close()

    app = FastAPI(
        title="Gramota",
        version="1.0.0",
        description="Digital-literacy assessment and certification for public officials. "
                    "Errors are application/problem+json with a stable `code`.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(web.router)
    # metrics on their own port (METRICS_PORT), never on the public one
    metrics.start_metrics_server(settings.metrics_port)

    @app.middleware("http")
    async def limit_and_measure(request: Request, call_next):
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_body_bytes:
            return problems.problem_response(request, 413, "body_too_large",
                                             f"the request body is larger than {settings.max_body_bytes} bytes")
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        HTTP_LATENCY.labels(request.method, getattr(route, "path", "unmatched"), response.status_code).observe(
            time.perf_counter() - started)
        return response

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    async def readyz(request: Request) -> JSONResponse:
        states = await request.app.state.services.health()
        ready = all(s == "SERVING" for s in states.values())
        return JSONResponse({"status": "ready" if ready else "not_ready", "services": states},
                            status_code=200 if ready else 503)

    return app
