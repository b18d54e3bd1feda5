"""The edge of the error model: every error leaves as application/problem+json with a stable `code`."""
from __future__ import annotations

import logging

import grpc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from gramota.shared.errors import error_info_of, error_metadata_of

log = logging.getLogger(__name__)

PROBLEM = "application/problem+json"

GRPC_TO_HTTP = {
    grpc.StatusCode.INVALID_ARGUMENT: 422,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.UNAUTHENTICATED: 502,  # the gateway's own internal token was refused: our fault, not the user's
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
}

HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
              409: "conflict", 413: "body_too_large", 415: "unsupported_media_type", 422: "validation_error",
              429: "too_many_requests", 500: "internal_error", 502: "bad_gateway", 503: "service_unavailable",
              504: "timeout"}


class Problem(Exception):
    def __init__(self, status: int, code: str, detail: str, **extra: object) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.extra = extra


def problem_response(request: Request, status: int, code: str, detail: str, headers: dict | None = None,
                     **extra: object) -> JSONResponse:
    body = {"type": f"/problems/{code}", "title": code.replace("_", " ").capitalize(), "status": status,
            "code": code, "detail": detail, "instance": request.url.path, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return problem_response(request, exc.status, exc.code, exc.detail, headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [_field_error(e) for e in exc.errors()]
        detail = "; ".join(f"{e['field'] or 'body'}: {e['message']}" for e in errors) or "the request is not valid"
        return problem_response(request, 422, "validation_error", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "error")
        return problem_response(request, exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(grpc.aio.AioRpcError)
    async def _grpc(request: Request, exc: grpc.aio.AioRpcError) -> JSONResponse:
        status = GRPC_TO_HTTP.get(exc.code(), 500)
        code, message = error_info_of(exc.trailing_metadata())
        if code is None:
            # not a Gramota error: say what happened without internals
            log.warning("service call failed", extra={"grpc_code": exc.code().name, "details": exc.details()})
            code = HTTP_CODES.get(status, "internal_error")
            message = {503: "a service is unavailable; try again shortly", 504: "a service took too long to answer"}.get(
                status, "the request could not be completed")
        # what the service attached to its error (e.g. the cooldown's next_start_at) goes along as extra members
        extra = {k: v for k, v in error_metadata_of(exc.trailing_metadata()).items()
                 if k not in ("type", "title", "status", "code", "detail", "instance")}
        return problem_response(request, status, code, message or code, **extra)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return unexpected(request)


def _field_error(error: dict) -> dict:
    if error.get("type") == "json_invalid":  # its loc is ("body", character position): not a field
        at = next((p for p in error.get("loc", ()) if isinstance(p, int)), None)
        where = f" (at character {at + 1})" if at is not None else ""  # counted from 1, as people count
        return {"field": "", "message": f"not valid JSON{where}"}
    return {"field": ".".join(str(p) for p in error.get("loc", ()) if p != "body"), "message": error.get("msg", "")}


def unexpected(request: Request) -> JSONResponse:
    """The 500 answer to a bug: logged with its traceback, nothing internal in the answer."""
    log.exception("unhandled error")
    return problem_response(request, 500, "internal_error", "an unexpected error occurred; it has been logged")
