"""The answer save's plain-ASGI path (gateway/hotpath.py) answers exactly as FastAPI's route does.

Each request goes to two copies of the gateway application: one with the hot path, one without it (every request
then reaches FastAPI). The sessions service is a stub here (its behaviour is tested end to end elsewhere); what is
compared is the gateway's own part: authentication, roles, body validation, the error model, the body limit."""
from __future__ import annotations

import asyncio
import json
import uuid

import grpc
import pytest
from prometheus_client import REGISTRY

from gramota.contracts.sessions.v1 import sessions_pb2
from gramota.gateway import auth
from gramota.gateway.app import create_app
from gramota.gateway.hotpath import AnswerSaves
from gramota.shared.errors import STATUS_DETAILS_KEY, InvalidArgument, NotFound

ROUTE = "/api/v1/attempts/{attempt_id}/answers/{question_id}"
ATTEMPT = str(uuid.uuid4())


class Sessions:
    """What the stub answers next: a reply or an exception."""

    def __init__(self) -> None:
        self.outcome: object = None
        self.requests: list[sessions_pb2.SaveAnswerRequest] = []

    async def save(self, request):
        self.requests.append(request)
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        reply = sessions_pb2.SaveAnswerResponse(applied=True, stored=sessions_pb2.SavedAnswer(
            question_id=request.question_id, option_ids=list(request.option_ids), client_seq=request.client_seq))
        reply.saved_at.FromSeconds(1_764_000_000)
        reply.stored.saved_at.FromSeconds(1_764_000_000)
        return reply


class Services:
    def __init__(self) -> None:
        self.sessions = Sessions()
        self.saves = self  # below the batcher (tests/unit/test_save_batcher.py): the gateway's own part is compared

    async def save(self, request):
        return await self.sessions.save(request)


def _account(role: str, revoked: bool = False) -> dict:
    return {"username": f"u-{role}", "role": role, "full_name": "Иванова Мария", "scope_districts": [],
            "scope_regions": [], "disabled": False, "erased_at": None, "federal_district": "ЦФО", "region": "77",
            "organization": "Администрация", "revoked_at": 1 if revoked else None, "expires_at": 1}


def _app(hot: bool, monkeypatch):
    monkeypatch.setenv("MAX_BODY_BYTES", "2048")
    app = create_app()
    if not hot:
        app.user_middleware = [m for m in app.user_middleware if m.cls is not AnswerSaves]
    app.state.services = Services()
    app.state.accounts.listening = True
    return app


@pytest.fixture
def apps(monkeypatch):
    hot, plain = _app(True, monkeypatch), _app(False, monkeypatch)
    tokens = {}
    for role, revoked in (("candidate", False), ("hr", False), ("revoked", True)):
        uid, sid = uuid.uuid4(), uuid.uuid4()
        principal = auth.Principal(str(uid), f"u-{role}", role if role != "revoked" else "candidate", "Иванова Мария",
                                   session_id=str(sid))
        tokens[role] = auth.issue_token(hot.state.settings.jwt_secret, principal, 5)[0]
        assert plain.state.settings.jwt_secret == hot.state.settings.jwt_secret
        for app in (hot, plain):
            row = _account(principal.role, revoked)
            app.state.accounts.put(uid, sid, row, app.state.accounts.generation)
    return hot, plain, tokens


def _call(app, method: str, path: str, headers: dict, chunks: list[bytes]):
    """One request straight into the ASGI app: (status, headers, body, scope)."""
    raw_headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"gramota.test"), *raw_headers], "client": ("127.0.0.1", 5000),
             "server": ("127.0.0.1", 80)}
    pending = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]
    sent: list[dict] = []

    async def receive():
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], dict(start["headers"]), body, scope


def _both(apps, method="PUT", question="q1", headers=None, body=b'{"option_ids": ["o1"]}', chunks=None, token="candidate",
          outcome=None):
    hot, plain, tokens = apps
    headers = dict(headers if headers is not None else {"Content-Type": "application/json"})
    if token:
        headers.setdefault("Authorization", f"Bearer {tokens[token]}")
    chunks = chunks if chunks is not None else [body]
    if "Content-Length" not in headers and len(chunks) == 1:
        headers["Content-Length"] = str(len(chunks[0]))
    answers = []
    for app in (hot, plain):
        app.state.services.sessions.outcome = outcome
        answers.append(_call(app, method, f"/api/v1/attempts/{ATTEMPT}/answers/{question}", headers, chunks))
    (h_status, h_headers, h_body, h_scope), (p_status, p_headers, p_body, _) = answers
    assert (h_status, h_headers.get(b"content-type")) == (p_status, p_headers.get(b"content-type"))
    assert h_body == p_body
    assert h_headers.get(b"www-authenticate") == p_headers.get(b"www-authenticate")
    return h_status, json.loads(h_body) if h_body else None, h_scope


def _rpc_error(code: grpc.StatusCode, error) -> grpc.aio.AioRpcError:
    trailing = grpc.aio.Metadata((STATUS_DETAILS_KEY, error.to_status_details()))
    return grpc.aio.AioRpcError(code, grpc.aio.Metadata(), trailing, details=error.message)


def test_a_save_is_answered_by_the_hot_path_as_by_the_route(apps):
    status, body, scope = _both(apps, body=b'{"option_ids": ["o2", "o1"], "client_seq": 7}')
    assert status == 200
    assert body["applied"] is True and body["option_ids"] == ["o2", "o1"] and body["stored"]["client_seq"] == 7
    assert body["saved_at"].endswith("Z")
    assert "endpoint" not in scope  # FastAPI's router never saw it
    hot, plain, _ = apps
    request = hot.state.services.sessions.requests[-1]
    assert (request.attempt_id, request.question_id, list(request.option_ids)) == (ATTEMPT, "q1", ["o2", "o1"])
    assert request.candidate_id == plain.state.services.sessions.requests[-1].candidate_id != ""


def test_a_save_is_measured_under_its_route_template(apps):
    labels = {"method": "PUT", "route": ROUTE, "status": "200"}
    before = REGISTRY.get_sample_value("gramota_http_request_seconds_count", labels) or 0
    _both(apps)
    assert REGISTRY.get_sample_value("gramota_http_request_seconds_count", labels) == before + 2  # one per app


@pytest.mark.parametrize(("case", "kwargs", "status", "code"), [
    ("charset in the content type", {"headers": {"Content-Type": "application/json; charset=utf-8"}}, 200, None),
    ("a body in two chunks", {"chunks": [b'{"option_ids": ', b'["o1"]}']}, 200, None),
    ("no token", {"token": None}, 401, "unauthenticated"),
    ("not a bearer token", {"headers": {"Content-Type": "application/json", "Authorization": "Basic dTpw"}, "token": None},
     401, "unauthenticated"),
    ("a forged token", {"headers": {"Content-Type": "application/json", "Authorization": "Bearer x.y.z"}, "token": None},
     401, "invalid_token"),
    ("a login session that has ended", {"token": "revoked"}, 401, "token_revoked"),
    ("not a candidate", {"token": "hr"}, 403, "forbidden"),
    ("a body that is not JSON", {"body": b"{not json"}, 422, "validation_error"),
    ("an empty body", {"body": b""}, 422, "validation_error"),
    ("a field of the wrong type", {"body": b'{"option_ids": "o1"}'}, 422, "validation_error"),
    ("a sequence number beyond int64", {"body": b'{"client_seq": 9223372036854775808}'}, 422, "validation_error"),
    ("JSON sent as text", {"headers": {"Content-Type": "text/plain"}}, 422, "validation_error"),
    ("no content type", {"headers": {}}, 422, "validation_error"),
    ("a body over the limit", {"body": b'{"text": "' + b"x" * 3000 + b'"}'}, 413, "body_too_large"),
    ("a body over the limit, chunked", {"chunks": [b'{"text": "', b"x" * 3000 + b'"}']}, 413, "body_too_large"),
    ("the wrong method", {"method": "POST"}, 405, "method_not_allowed"),
])
def test_odd_requests_get_the_same_answer_with_and_without_the_hot_path(apps, case, kwargs, status, code):
    got, body, _ = _both(apps, **kwargs)
    assert got == status, (case, body)
    if code:
        assert body["code"] == code and body["status"] == status


@pytest.mark.parametrize(("error", "status"), [
    (_rpc_error(grpc.StatusCode.NOT_FOUND, NotFound("attempt_not_found", "attempt x does not exist")), 404),
    (_rpc_error(grpc.StatusCode.INVALID_ARGUMENT, InvalidArgument("question_not_in_attempt", "not in it")), 422),
    (grpc.aio.AioRpcError(grpc.StatusCode.UNAVAILABLE, grpc.aio.Metadata(), grpc.aio.Metadata(), "down"), 503),
    (RuntimeError("a bug"), 500),
])
def test_the_sessions_errors_become_the_same_problems(apps, error, status):
    got, body, _ = _both(apps, outcome=error)
    assert got == status and body["status"] == status and body["code"]
    assert "a bug" not in json.dumps(body) and "Traceback" not in json.dumps(body)


def test_a_body_that_is_not_json_is_called_so(apps):
    status, body, _ = _both(apps, body=b'{"option_ids": oops}')
    assert status == 422
    assert body["detail"] == "body: not valid JSON (at character 16)"
    assert body["errors"] == [{"field": "", "message": "not valid JSON (at character 16)"}]
