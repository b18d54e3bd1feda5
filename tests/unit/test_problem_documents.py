"""Every problem the API can raise is typed as its OpenAPI says: each member any service or route attaches to an error
is declared in ProblemDocument, and the document that reaches the client validates against it (numbers as numbers,
lists as lists) — whether the member came from a service (gRPC metadata carries strings only) or from the gateway."""
from __future__ import annotations

import ast
from pathlib import Path

import grpc
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator

import gramota
from gramota.gateway import problems
from gramota.shared import errors

SOURCES = Path(gramota.__file__).parent
# what raises or answers a problem, and which positional argument holds its code
RAISERS = {"Problem": 1, "problem_response": 2, "_call": 2, "DomainError": 0, "Conflict": 0, "InvalidArgument": 0,
           "NotFound": 0, "AlreadyExists": 0, "PermissionDenied": 0, "Unauthenticated": 0}
NOT_MEMBERS = {"headers"}
SERVICE_ERRORS = {"DomainError", "Conflict", "InvalidArgument", "NotFound", "AlreadyExists", "PermissionDenied",
                  "Unauthenticated"}
SAMPLES = {
    "errors": [{"field": "pass_score", "message": "must be at most 100"}],
    "retry_after": 7,
    "attempts_allowed": 3,
    "next_start_at": "2026-12-04T10:00:00+00:00",
    "opens_at": "2026-12-05T09:00:00+00:00",
    "closes_at": "2026-12-06T18:00:00+00:00",
    "deadline": "2026-12-04T10:30:00+00:00",
    "locked_until": "2026-12-04T10:15:00+00:00",
    "field": "exam_id",
    "service": "scoring",
    "erased_in": ["sessions", "scoring"],
    "exam_ids": ["a2f1", "b3e4"],
    "affected_exams": [{"exam_id": "a2f1", "title": "Экзамен", "status": "published", "pinned_version": 1,
                        "voided": False, "withdrawn": False, "drawable_without": False, "problem": "rule 1 needs 2"}],
}


def raise_sites() -> list[tuple[str, str, str, list[str]]]:
    """(where, raiser, code, members) for every call that raises or answers a problem, in every service."""
    sites = []
    for path in sorted(SOURCES.rglob("*.py")):
        if "contracts" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name not in RAISERS:
                continue
            at = RAISERS[name]
            code = node.args[at].value if len(node.args) > at and isinstance(node.args[at], ast.Constant) else "?"
            members = [k.arg for k in node.keywords if k.arg and k.arg not in NOT_MEMBERS]
            sites.append((f"{path.relative_to(SOURCES)}:{node.lineno}", name, str(code), members))
    return sites


@pytest.fixture(scope="module")
def spec():
    from gramota.gateway.app import create_app

    return create_app().openapi()


@pytest.fixture(scope="module")
def validator(spec):
    return Draft202012Validator({"$ref": "#/components/schemas/ProblemDocument", "components": spec["components"]})


def test_every_member_a_problem_carries_is_declared_with_its_type(spec):
    sites = raise_sites()
    members = {m for *_, ms in sites for m in ms}
    assert {"attempts_allowed", "next_start_at", "retry_after", "affected_exams", "exam_ids"} <= members, members
    declared = spec["components"]["schemas"]["ProblemDocument"]["properties"]
    undeclared = [(where, m) for where, _, _, ms in sites for m in ms if m not in declared]
    assert not undeclared, f"problem members the OpenAPI does not declare: {undeclared}"
    assert declared["attempts_allowed"]["anyOf"][0]["type"] == "integer"
    assert set(SAMPLES) == set(problems.MEMBERS), "give each declared member a sample"


def test_every_error_answer_in_the_openapi_is_a_problem_document(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status == "default" or status.startswith(("4", "5")):
                    assert "application/problem+json" in response["content"], (method, path, status)


def _client(exc: Exception) -> TestClient:
    app = FastAPI()
    problems.install(app)

    @app.get("/boom")
    async def boom():
        raise exc

    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize("site", raise_sites(), ids=lambda s: s[0])
def test_each_problem_reaches_the_client_as_the_openapi_types_it(site, validator):
    where, raiser, code, members = site
    code = code if code != "?" else "some_code"
    values = {m: SAMPLES[m] for m in members}
    if raiser in SERVICE_ERRORS:  # from a service: through gRPC status details, where every value is a string
        error = errors.DomainError(code, "what went wrong",
                                   **{m: ",".join(v) if isinstance(v, list) else v for m, v in values.items()})
        exc: Exception = grpc.aio.AioRpcError(grpc.StatusCode.FAILED_PRECONDITION, grpc.aio.Metadata(),
                                              grpc.aio.Metadata((errors.STATUS_DETAILS_KEY, error.to_status_details())),
                                              details="what went wrong")
    else:
        exc = problems.Problem(409, code, "what went wrong", **values)
    r = _client(exc).get("/boom")
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    problems_found = [e.message for e in validator.iter_errors(body)]
    assert not problems_found, f"{where}: {body} does not match ProblemDocument: {problems_found}"
    assert {m: body[m] for m in members} == values  # the same values, with the declared types


def test_a_request_validation_problem_matches_the_document(validator):
    app = FastAPI()
    problems.install(app)

    @app.get("/n")
    async def n(k: int):
        return k

    body = TestClient(app).get("/n", params={"k": "x"}).json()
    assert body["code"] == "validation_error" and body["errors"][0]["field"] == "query.k"
    assert not list(validator.iter_errors(body))
