"""The answer save without FastAPI's per-request machinery.

On exam day nearly every request is an answer save (a candidate's page saves each change), and the gateway's CPU per
save was mostly FastAPI's: routing through the included routers, solving the dependency graph, the wrappers around
the endpoint, its exception middleware. This middleware matches the save route itself and calls the same endpoint
(`routes.attempts.save_answer`, which stays registered and documented in the OpenAPI schema) with the same
authentication, the same body model and the same exception handlers. Whatever it does not expect (no bearer token,
a body that is not JSON or does not validate) goes on to FastAPI untouched, with the body it read, and is answered
exactly as before.
"""
from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.routing import APIRoute
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import ValidationError

from .auth import principal_in_role
from .routes.attempts import AnswerIn, router, save_answer

_CANDIDATE = ("candidate",)


class AnswerSaves:
    """Plain ASGI, innermost of the gateway's own middleware (the edge's metrics, audit and body limit apply)."""

    def __init__(self, app: Any, fastapi: FastAPI) -> None:
        self.app = app
        self.fastapi = fastapi
        # the attempts router is included without a prefix of its own: its route's pattern is the full path
        self.route = next(r for r in router.routes if isinstance(r, APIRoute) and r.endpoint is save_answer)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "PUT" or scope.get("root_path"):
            return await self.app(scope, receive, send)
        match = self.route.path_regex.match(scope["path"])
        if match is None:
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        scheme, token = get_authorization_scheme_param(headers.get(b"authorization", b"").decode("latin-1"))
        content_type = headers.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
        if scheme.lower() != "bearer" or not token or content_type != b"application/json":
            return await self.app(scope, receive, send)
        request = Request(scope, receive)
        raw = await request.body()
        try:
            body = AnswerIn.model_validate(json.loads(raw))
        except (ValueError, ValidationError):  # FastAPI words the 422 (json.JSONDecodeError is a ValueError)
            return await self.app(scope, _replay(raw, receive), send)
        scope["route"] = self.route  # the edge's latency metric and audit read the route's template
        try:
            principal = await principal_in_role(request, token, _CANDIDATE)
            response = await save_answer(self.fastapi.state.services, principal, match["attempt_id"],
                                         match["question_id"], body)
        except Exception as exc:
            handler = self._handler(exc)
            if handler is None:
                raise
            response = await handler(request, exc)
        await response(scope, receive, send)

    def _handler(self, exc: Exception):
        handlers = self.fastapi.exception_handlers
        for cls in type(exc).__mro__:
            if cls in handlers and cls is not Exception:  # the edge answers (and logs) a bug
                return handlers[cls]
        return None


def _replay(raw: bytes, receive):
    """`receive` as if the body had not been read yet."""
    sent = False

    async def replayed():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}
        return await receive()

    return replayed
