"""The edge of the error model: every error leaves as application/problem+json with a stable `code`."""
from __future__ import annotations

import logging

import grpc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
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


class FieldError(BaseModel):
    field: str = Field(description="the request field, dotted (empty: the body as a whole)")
    message: str


class AffectedExam(BaseModel):
    exam_id: str
    title: str
    status: str
    pinned_version: int
    voided: bool
    withdrawn: bool
    drawable_without: bool
    problem: str


class ProblemDocument(BaseModel):
    """Every error the API answers (RFC 9457, application/problem+json): a stable `code`, and for some codes members
    that say more — each with the type given here (numbers are numbers)."""

    model_config = ConfigDict(extra="forbid")

    type: str
    title: str
    status: int
    code: str = Field(description="stable, for programs: e.g. attempts_exhausted, validation_error")
    detail: str = Field(description="for people")
    instance: str
    errors: list[FieldError] | None = Field(None, description="validation_error: what is wrong with which field")
    retry_after: int | None = Field(None, description="too_many_requests: seconds to wait")
    attempts_allowed: int | None = Field(None, description="attempts_exhausted: the exam's attempt limit")
    next_start_at: str | None = Field(None, description="cooldown: when the next attempt may start (RFC 3339)")
    opens_at: str | None = Field(None, description="exam_not_open: when the exam opens (RFC 3339)")
    closes_at: str | None = Field(None, description="exam_closed: when the exam closed (RFC 3339)")
    deadline: str | None = Field(None, description="deadline_passed: the attempt's deadline (RFC 3339)")
    locked_until: str | None = Field(None, description="account_locked: until when (RFC 3339)")
    field: str | None = Field(None, description="invalid_id: the request field that is not an id")
    service: str | None = Field(None, description="the service that could not complete its part")
    erased_in: list[str] | None = Field(None, description="erasure_incomplete: services that did erase")
    exam_ids: list[str] | None = Field(None, description="retire_shortens_exams: the exams that could not be drawn")
    affected_exams: list[AffectedExam] | None = Field(
        None, description="retire_shortens_exams: the exams retiring the item would leave unable to draw")


MEMBERS = {name: f for name, f in ProblemDocument.model_fields.items()
           if name not in ("type", "title", "status", "code", "detail", "instance")}
_ADAPTERS = {name: TypeAdapter(f.annotation) for name, f in MEMBERS.items()}


def typed_member(name: str, value: str) -> object:
    """A member a service sent (gRPC ErrorInfo metadata holds strings only) with the type the OpenAPI gives it:
    "3" -> 3 for a number, "a,b" -> ["a", "b"] for a list; a member not in ProblemDocument is left out."""
    adapter = _ADAPTERS.get(name)
    if adapter is None:
        log.warning("a service sent a problem member the API does not declare", extra={"member": name})
        return None
    try:
        if str(MEMBERS[name].annotation).startswith("list[str]"):
            return adapter.validate_python([v for v in value.split(",") if v])
        return adapter.validate_python(value)
    except ValidationError:
        log.warning("a problem member of the wrong type", extra={"member": name})
        return None


def openapi_with_problems(app: FastAPI) -> dict:
    """The OpenAPI with every error answer declared as application/problem+json ProblemDocument (FastAPI's own
    422 HTTPValidationError is not what this API answers)."""
    if app.openapi_schema:
        return app.openapi_schema
    spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    document = ProblemDocument.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(document.pop("$defs", {}))
    schemas["ProblemDocument"] = document
    problem = {"description": "a problem: application/problem+json with a stable code",
               "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/ProblemDocument"}}}}
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if "422" in responses:
                responses["422"] = problem
            responses.setdefault("default", problem)
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    app.openapi_schema = spec
    return spec


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
    app.openapi = lambda: openapi_with_problems(app)

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
        # what the service attached to its error (e.g. the cooldown's next_start_at) goes along as extra members,
        # typed as the OpenAPI's ProblemDocument says
        extra = {k: typed for k, v in error_metadata_of(exc.trailing_metadata()).items()
                 if (typed := typed_member(k, v)) is not None}
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
