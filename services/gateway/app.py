"""The FastAPI application: wiring, lifespan, health and readiness, metrics; at the edge: body-size limit,
rate limits on public verification, and the audit of every mutating request an admin makes."""
from __future__ import annotations

import asyncio
import logging
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from prometheus_client import Histogram

from gramota.contracts.testbank.v1 import testbank_pb2
from gramota.shared import db, heap, metrics

from . import problems, ratelimit, repository, web
from .account_cache import AccountCache
from .clients import Services
from .competences import CompetenceNames
from .hotpath import AnswerSaves
from .routes import ROUTERS
from .settings import GatewaySettings

log = logging.getLogger(__name__)

# public, unauthenticated look-ups of certificates: limited per client address (serial enumeration, scraping)
VERIFY_PREFIXES = ("/api/v1/verify", "/verify")
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# reads an admin makes that are audited too: taking a copy of someone's personal data
AUDITED_READS = frozenset({"/api/v1/users/{user_id}/export"})


class BodyLimit:
    """Refuses bodies over `max_bytes` with 413: at once when Content-Length says so, and while reading when the
    body is chunked (no Content-Length) or longer than announced."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        detail = f"the request body is larger than {self.max_bytes} bytes"
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_bytes:
            return await _send_problem(scope, send, 413, "body_too_large", detail)
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # FastAPI lets an HTTPException raised while reading the body through to the problem handler
                    raise HTTPException(413, detail)
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except HTTPException as exc:
            if exc.status_code != 413 or started:
                raise
            await _send_problem(scope, send, 413, "body_too_large", detail)


async def _send_problem(scope, send, status: int, code: str, detail: str) -> None:
    response = problems.problem_response(Request(scope), status, code, detail)
    await response(scope, _no_receive, send)


async def _no_receive():
    return {"type": "http.disconnect"}

HTTP_LATENCY = Histogram(
    "gramota_http_request_seconds", "Gateway request handling time", ["method", "route", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)


class Edge:
    """Outermost: the rate limit on public verification, Retry-After on 423/429, the admin audit, the latency
    metric, and a problem document instead of a dropped connection on a bug. Plain ASGI: Starlette's
    BaseHTTPMiddleware costs a task and a pair of memory streams per request, on every answer save."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        request = Request(scope, receive)
        state = request.state  # created now, in the scope: the routes' requests share it (principal, retry_after)
        if scope["path"].startswith(VERIFY_PREFIXES):
            try:
                await ratelimit.check(request, "verify", ratelimit.client_address(request))
            except problems.Problem as exc:
                response = problems.problem_response(request, exc.status, exc.code, exc.detail, **exc.extra)
                response.headers["Retry-After"] = str(exc.extra.get("retry_after", 1))
                await response(scope, receive, send)
                return self._measure(scope, exc.status, started)
        status, answered = 500, False

        async def tracking_send(message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                status, answered = message["status"], True
                wait = getattr(state, "retry_after", None)
                headers = list(message.get("headers", ()))
                if status in (423, 429) and wait and not any(k.lower() == b"retry-after" for k, _ in headers):
                    message = {**message, "headers": headers + [(b"retry-after", str(wait).encode())]}
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if answered:
                raise
            # answered here: Starlette's outermost handler would send the 500 and then re-raise into uvicorn, which
            # drops the connection, and the client (or the next request on that keep-alive connection) meets
            # "connection reset by peer" instead of the problem document
            status = 500
            await problems.unexpected(request)(scope, receive, send)
        principal = getattr(state, "principal", None)
        if principal is not None and principal.role == "admin" and (
                scope["method"] in MUTATING or getattr(scope.get("route"), "path", "") in AUDITED_READS):
            await _audit(request, principal, status)
        self._measure(scope, status, started)

    @staticmethod
    def _measure(scope, status: int, started: float) -> None:
        route = scope.get("route")
        HTTP_LATENCY.labels(scope["method"], getattr(route, "path", "unmatched"), status).observe(
            time.perf_counter() - started)


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.pool = await db.create_pool(settings.database_url, "gateway", max_size=settings.database_pool_max)
        app.state.services = Services.connect(settings)
        app.state.competences = CompetenceNames(lambda: app.state.services.testbank.ListCompetences(
            testbank_pb2.ListCompetencesRequest(), timeout=5))
        await repository.ensure_admin(app.state.pool, settings.admin_password)
        app.state.rate_limits = ratelimit.make_limits(app.state.pool, settings)
        sweeper = asyncio.create_task(app.state.rate_limits.sweep_forever(), name="rate-limit-sweeper")
        listener = asyncio.create_task(app.state.accounts.listen(settings.database_url), name="account-notices")
        heap.settle()
        try:
            yield
        finally:
            for task in (sweeper, listener):
                task.cancel()
            await asyncio.gather(sweeper, listener, return_exceptions=True)
            await app.state.services.close()
            await app.state.pool.close()

    app = FastAPI(
        title="Gramota",
        version="1.0.0",
        description="Digital-literacy assessment and certification for public officials. "
                    "Errors are application/problem+json with a stable `code`.",
        lifespan=lifespan,
        # metrics are Prometheus on METRICS_PORT; FastAPI's own OpenTelemetry hooks cost a check on every request
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    app.state.accounts = AccountCache()
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(web.router)
    # metrics on their own port (METRICS_PORT), never on the public one
    metrics.start_metrics_server(settings.metrics_port)

    # added first = innermost: answer saves are answered inside the body limit, which sits inside the edge
    app.add_middleware(AnswerSaves, fastapi=app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(Edge)

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


async def _audit(request: Request, principal, status: int) -> None:
    """One admin_audit row per mutating admin request, whatever its outcome; a failure to write it is logged
    loudly but does not undo what the request already did."""
    try:
        await repository.audit(request.app.state.pool, admin_id=principal.user_id, admin_login=principal.username,
                          method=request.method, path=request.url.path, status=status,
                          target_user=request.path_params.get("user_id"), address=ratelimit.client_address(request))
    except Exception:
        log.exception("could not write the admin audit row", extra={"path": request.url.path})
