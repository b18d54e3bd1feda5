"""The gRPC side every service shares: an asyncio server with health, reflection, internal-token auth,
logging and metrics interceptors, DomainError -> status mapping, and graceful shutdown on SIGTERM;
plus the client channel that carries the internal token and the signed identity of the end user.

Identity: the gateway authenticates the user and puts an `Identity` in the `identity` context variable; every
call made in that context carries it as `x-gramota-identity` (HMAC-SHA256 with GRAMOTA_IDENTITY_KEY, valid for
IDENTITY_TTL seconds). The server interceptor verifies it and sets the same variable for the handler, so a
handler can check ownership with `identity.get()` and any call it makes onwards carries the same user.
No identity means a call on the system's own behalf (a consumer, a sweeper) or a public one (verification).
"""
from __future__ import annotations

import asyncio
import base64
import contextlib
import contextvars
import hashlib
import hmac
import json
import logging
import signal
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from . import db, heap, metrics
from .consumer import BatchHandler, EventConsumer, Handler
from .errors import STATUS_DETAILS_KEY, DomainError, PermissionDenied
from .expiring import ExpiringCache
from .logs import correlation_id
from .outbox import OutboxRelay
from .settings import ServiceSettings

log = logging.getLogger(__name__)

TOKEN_HEADER = "x-gramota-internal-token"
CORRELATION_HEADER = "x-correlation-id"
IDENTITY_HEADER = "x-gramota-identity"
IDENTITY_TTL = 60  # seconds: long enough for one request's calls, short enough that a leaked header is soon useless
_OPEN_PREFIXES = ("/grpc.health.v1.", "/grpc.reflection.")


@dataclass(frozen=True)
class Identity:
    """The end user a call is made for, as the gateway authenticated them."""

    user_id: str
    role: str
    districts: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


identity: contextvars.ContextVar[Identity | None] = contextvars.ContextVar("identity", default=None)


def ensure_admin(action: str) -> None:
    """For an admin-only RPC: a call made for a signed-in user who is not an admin is refused (PERMISSION_DENIED).
    A call without an identity is the system's own: the internal token already proved a Gramota service made it."""
    who = identity.get()
    if who is not None and who.role != "admin":
        raise PermissionDenied("admin_only", f"only an administrator may {action}")


def own_user_id(named: str) -> str:
    """The user a call about one user's data is about: for a signed-in user who is not an admin, that user, whatever
    the request names (defense in depth: a gateway bug must not open someone else's data); otherwise `named`
    (empty: anyone's, an admin's or the system's own look)."""
    who = identity.get()
    return who.user_id if who is not None and who.role != "admin" else named


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_identity(key: str, who: Identity, now: float | None = None) -> str:
    payload = _b64(json.dumps({"sub": who.user_id, "role": who.role, "fd": list(who.districts), "rg": list(who.regions),
                               "exp": int((now or time.time()) + IDENTITY_TTL)}, separators=(",", ":")).encode())
    mac = hmac.new(key.encode(), payload.encode(), hashlib.sha256).digest()
    return f"{payload}.{_b64(mac)}"


def verify_identity(key: str, header: str, now: float | None = None) -> Identity | None:
    """The identity in a signed header, or None when it is forged, malformed or expired."""
    verified = _verified(key, header, now or time.time())
    return verified[0] if verified is not None else None


def _verified(key: str, header: str, now: float) -> tuple[Identity, float] | None:
    """The identity in a signed header and when the header expires; None when forged, malformed or expired."""
    try:
        payload, mac = header.split(".", 1)
        expected = hmac.new(key.encode(), payload.encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(mac)):
            return None
        claims = json.loads(_unb64(payload))
        expires = float(claims["exp"])
        if expires < now:
            return None
        who = Identity(str(claims["sub"]), str(claims["role"]), tuple(claims.get("fd", ())), tuple(claims.get("rg", ())))
        return who, expires
    except (ValueError, KeyError, TypeError):
        return None


class SignedIdentities:
    """The gateway side: one signed header per identity, reused until half its lifetime has passed (signing is a
    JSON dump, two base64 and an HMAC: measurable at hundreds of calls a second)."""

    def __init__(self, key: str, size: int = 10_000, clock: Callable[[], float] = time.time) -> None:
        self._key = key
        self._clock = clock
        self._headers: ExpiringCache[Identity, str] = ExpiringCache(size)

    def header(self, who: Identity) -> str:
        now = self._clock()
        header = self._headers.get(who, now)
        if header is None:
            header = sign_identity(self._key, who, now)
            self._headers.put(who, header, now + IDENTITY_TTL / 2)
        return header


class VerifiedIdentities:
    """The service side: a header verified once is known until it expires (the same header comes with every call
    the gateway makes for a user within half a minute)."""

    def __init__(self, key: str, size: int = 10_000, clock: Callable[[], float] = time.time) -> None:
        self._key = key
        self._clock = clock
        self._known: ExpiringCache[str, Identity] = ExpiringCache(size)

    def identity(self, header: str) -> Identity | None:
        """As verify_identity: None when forged, malformed or expired."""
        now = self._clock()
        who = self._known.get(header, now)
        if who is None:
            verified = _verified(self._key, header, now)
            if verified is None:
                return None
            who = verified[0]
            self._known.put(header, who, verified[1])
        return who


class _ServerInterceptor(grpc.aio.ServerInterceptor):
    def __init__(self, service: str, token: str, identity_key: str) -> None:
        self._service = service
        self._token = token.encode()
        self._identities = VerifiedIdentities(identity_key)
        self._latency: dict[tuple[str, str], Any] = {}  # (method, code) -> histogram child

    async def intercept_service(self, continuation, details):  # type: ignore[override]
        handler = await continuation(details)
        if handler is None or details.method.startswith(_OPEN_PREFIXES) or handler.unary_unary is None:
            return handler
        md = dict(details.invocation_metadata or ())
        presented = str(md.get(TOKEN_HEADER, "")).encode()
        authorised = hmac.compare_digest(presented, self._token)
        signed = md.get(IDENTITY_HEADER)
        who = self._identities.identity(str(signed)) if signed else None
        identity_refused = bool(signed) and who is None
        inner = handler.unary_unary
        method = details.method.rsplit("/", 1)[-1]
        latency = self._latency_of

        async def wrapper(request: Any, context: grpc.aio.ServicerContext) -> Any:
            token = correlation_id.set(str(md.get(CORRELATION_HEADER) or uuid.uuid4()))
            who_token = identity.set(who)
            started = time.perf_counter()
            code = "OK"
            try:
                if not authorised:
                    code = "UNAUTHENTICATED"
                    await context.abort(grpc.StatusCode.UNAUTHENTICATED, "internal token missing or wrong")
                if identity_refused:
                    code = "UNAUTHENTICATED"
                    await context.abort(grpc.StatusCode.UNAUTHENTICATED, "forwarded identity forged or expired")
                return await inner(request, context)
            except grpc.aio.AbortError:
                code = code if code != "OK" else "ABORTED_BY_HANDLER"
                raise
            except DomainError as exc:
                code = exc.status.name
                await context.abort(exc.status, exc.message, trailing_metadata=((STATUS_DETAILS_KEY, exc.to_status_details()),))
            except Exception:
                code = "INTERNAL"
                log.exception("unhandled error in %s", method)
                await context.abort(grpc.StatusCode.INTERNAL, "internal error")
            finally:
                latency(method, code).observe(time.perf_counter() - started)
                identity.reset(who_token)
                correlation_id.reset(token)

        return grpc.unary_unary_rpc_method_handler(
            wrapper, request_deserializer=handler.request_deserializer, response_serializer=handler.response_serializer
        )


    def _latency_of(self, method: str, code: str) -> Any:
        child = self._latency.get((method, code))
        if child is None:
            child = self._latency[(method, code)] = metrics.RPC_LATENCY.labels(self._service, method, code)
        return child


class _TokenClientInterceptor(grpc.aio.UnaryUnaryClientInterceptor):
    def __init__(self, token: str, identity_key: str | None) -> None:
        self._token = token
        self._identities = SignedIdentities(identity_key) if identity_key else None

    async def intercept_unary_unary(self, continuation, client_call_details, request):  # type: ignore[override]
        md = list(client_call_details.metadata or ())
        md.append((TOKEN_HEADER, self._token))
        who = identity.get()
        if who is not None and self._identities is not None:
            md.append((IDENTITY_HEADER, self._identities.header(who)))
        cid = correlation_id.get()
        if cid:
            md.append((CORRELATION_HEADER, cid))
        details = client_call_details._replace(metadata=md)
        return await continuation(details, request)


def internal_channel(address: str, token: str, *, identity_key: str | None = None,
                     credentials: grpc.ChannelCredentials | None = None) -> grpc.aio.Channel:
    """A channel to another Gramota service; every call carries the internal token and correlation id, and,
    given the identity key, the signed identity of the user the call is made for. TLS with `credentials`
    (ServiceSettings.grpc_channel_credentials())."""
    # dns:/// + round_robin: behind a headless Service every replica gets calls, not just the first one resolved
    target = address if "://" in address or address.startswith("dns:") else f"dns:///{address}"
    interceptors = [_TokenClientInterceptor(token, identity_key)]
    options = [("grpc.keepalive_time_ms", 30_000), ("grpc.enable_retries", 1), ("grpc.lb_policy_name", "round_robin")]
    if credentials is not None:
        return grpc.aio.secure_channel(target, credentials, interceptors=interceptors, options=options)
    return grpc.aio.insecure_channel(target, interceptors=interceptors, options=options)


def service_channel(address: str, settings: ServiceSettings) -> grpc.aio.Channel:
    """internal_channel with everything from the settings: token, identity key, TLS."""
    return internal_channel(address, settings.internal_token, identity_key=settings.identity_key,
                            credentials=settings.grpc_channel_credentials())


# Connections are closed (gracefully) after 5 minutes: a client re-resolves DNS only when one closes, so this is
# how callers find replicas added since they connected (round_robin behind a headless Service).
SERVER_OPTIONS = [("grpc.max_connection_age_ms", 300_000), ("grpc.max_connection_age_grace_ms", 30_000)]


class ServiceRuntime:
    """Owns a service's process-wide resources and their orderly start and stop.

    Usage:  async with ServiceRuntime("sessions", settings, Path(__file__).parent) as rt: ...; await rt.serve()
    """

    def __init__(self, name: str, settings: ServiceSettings, service_dir: Path, *, publishes: bool = True) -> None:
        self.name = name
        self.settings = settings
        self.service_dir = service_dir
        self.publishes = publishes
        self.pool: asyncpg.Pool | None = None
        self.server = grpc.aio.server(
            interceptors=[_ServerInterceptor(name, settings.internal_token, settings.identity_key)], options=SERVER_OPTIONS)
        self.health = health.aio.HealthServicer() if hasattr(health, "aio") else health.HealthServicer()
        self._service_names: list[str] = [reflection.SERVICE_NAME, health.SERVICE_NAME]
        self._consumers: list[EventConsumer] = []
        self._relay: OutboxRelay | None = None
        self._tasks: list[asyncio.Task] = []
        self._background: list[Callable[[], Awaitable[None]]] = []
        self._stopped = asyncio.Event()

    async def __aenter__(self) -> "ServiceRuntime":
        self.pool = await db.create_pool(self.settings.database_url, self.name, max_size=self.settings.database_pool_max)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.shutdown()

    def add_servicer(self, register: Callable[[Any, grpc.aio.Server], None], servicer: Any, full_name: str) -> None:
        register(servicer, self.server)
        self._service_names.append(full_name)

    def consume(self, *, group_id: str, topics: list[str], handlers: dict[str, Handler],
                batch_handlers: dict[str, BatchHandler] | None = None) -> EventConsumer:
        assert self.pool is not None
        consumer = EventConsumer(service=self.name, kafka=self.settings.kafka_options(), group_id=group_id,
                                 topics=topics, handlers=handlers, pool=self.pool, batch_handlers=batch_handlers)
        self._consumers.append(consumer)
        return consumer

    def background(self, job: Callable[[], Awaitable[None]]) -> None:
        self._background.append(job)

    async def serve(self) -> None:
        assert self.pool is not None
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.server)
        reflection.enable_server_reflection(self._service_names, self.server)
        port = self.settings.grpc_port_of(self.name)
        credentials = self.settings.grpc_server_credentials()
        if credentials is not None:
            self.server.add_secure_port(f"{self.settings.grpc_host}:{port}", credentials)
        else:
            self.server.add_insecure_port(f"{self.settings.grpc_host}:{port}")
        metrics.start_metrics_server(self.settings.metrics_port)
        await self.server.start()
        if self.publishes:
            self._relay = OutboxRelay(self.pool, self.settings.kafka_options(), self.name)
            self._tasks.append(asyncio.create_task(self._relay.run(), name="outbox-relay"))
        for job in self._background:
            self._tasks.append(asyncio.create_task(job(), name=getattr(job, "__name__", "job")))
        for consumer in self._consumers:
            consumer.start()
        for name in self._service_names + [""]:
            await _set_health(self.health, name, health_pb2.HealthCheckResponse.SERVING)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._stopped.set)
        heap.settle()
        log.info("serving", extra={"port": port})
        await self._stopped.wait()

    def request_stop(self) -> None:
        self._stopped.set()

    async def shutdown(self) -> None:
        log.info("stopping")
        for name in self._service_names + [""]:
            await _set_health(self.health, name, health_pb2.HealthCheckResponse.NOT_SERVING)
        await self.server.stop(grace=5)
        for consumer in self._consumers:
            await consumer.stop()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._relay is not None:
            await self._relay.stop()
        if self.pool is not None:
            await self.pool.close()
        log.info("stopped")


async def _set_health(servicer: Any, name: str, status: int) -> None:
    result = servicer.set(name, status)
    if asyncio.iscoroutine(result):
        await result


async def run_migrations(settings: ServiceSettings, name: str, service_dir: Path) -> list[str]:
    return await db.migrate(settings.database_url, name, service_dir)
