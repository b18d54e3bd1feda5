"""Personal data of a user (admins): one export of everything every service holds, and erasure across services.

Erasure reaches sessions and scoring first and the gateway's own account last: while a service is unreachable the
request fails with 503 `erasure_incomplete` naming it, the account still exists, and the same request repeated
later finishes the job (every step is idempotent). Certificates are kept as issued (README: what is kept, and why).
"""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Any, TypeVar

import grpc
from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from gramota.contracts.certificates.v1 import certificates_pb2
from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.scoring.v1 import scoring_pb2
from gramota.contracts.sessions.v1 import sessions_pb2

from .. import repository
from ..auth import Admin
from ..problems import Problem
from .accounts import user_not_found
from .certificates import certificate_out
from .common import Svc, proto_json, rfc3339

router = APIRouter(prefix="/api/v1")
T = TypeVar("T")


class KeptOut(BaseModel):
    what: str
    why: str


class ServiceErasureOut(BaseModel):
    service: str
    records: int = Field(description="records this request changed (0 when they had been erased before)")
    erased: list[str]
    kept: list[KeptOut]


class ErasureOut(BaseModel):
    id: str
    erased_at: str = Field(description="when the account was first erased (a repeated erasure changes nothing)")
    services: list[ServiceErasureOut]


GATEWAY_ERASED = ["login, name, e-mail, federal district, region, organisation and curator scope of the account",
                  "the password: the account can no longer log in", "its login sessions (refresh tokens)"]
GATEWAY_KEPT = [KeptOut(what="the account id, disabled, with the time of erasure",
                        why="attempts, results and certificates point to it; it names nobody"),
                KeptOut(what="admin audit entries about the account (which admin, when, which request)",
                        why="the record of who changed or erased an account")]
CERTIFICATES_KEPT = [KeptOut(
    what="certificates issued to the user, as issued: serial, holder's name, exam, score, dates, status, the signed PDF",
    why="a certificate is a qualification document that employers verify for as long as it is valid, so the record "
        "of its issue must outlive the account (processing required by law, 152-FZ art. 6(1)(2)); a check shows only "
        "what is printed on it")]


async def _call(service: str, call: Awaitable[T], code: str, doing: str, **extra: object) -> T:
    """One service's part; any failure becomes 503 `code` naming the service (nothing claims success)."""
    try:
        return await call
    except grpc.aio.AioRpcError as exc:
        raise Problem(503, code, f"the {service} service could not {doing} ({exc.code().name}); nothing was lost: "
                                 f"repeat the same request", service=service, **extra) from None


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return rfc3339(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


@router.get("/users/{user_id}/export", tags=["personal data"])
async def export_personal_data(request: Request, admin: Admin, svc: Svc, user_id: str) -> dict[str, Any]:
    """Everything Gramota holds about the user, as one JSON document: the gateway's account, sessions' attempts
    (snapshot, questions as shown, answers, audit; extra time), scoring's results (subscores, item marks,
    rescoring history) and the certificates issued to them."""
    uid = repository.parse_id(user_id)
    data = await repository.export_user(request.app.state.pool, uid) if uid else None
    if data is None:
        raise user_not_found(user_id)
    user_id = str(uid)  # the services know the user by the canonical form
    doing = "export the user's data"
    sessions, scoring, certificates = await asyncio.gather(
        _call("sessions", svc.sessions.ExportCandidate(sessions_pb2.ExportCandidateRequest(candidate_id=user_id),
                                                       timeout=10), "export_incomplete", doing),
        _call("scoring", svc.scoring.ExportCandidate(scoring_pb2.ExportCandidateRequest(candidate_id=user_id),
                                                     timeout=10), "export_incomplete", doing),
        _call("certificates", svc.certificates.ListByHolder(
            certificates_pb2.ListByHolderRequest(holder_user_id=user_id), timeout=10), "export_incomplete", doing))
    return {"user_id": user_id, "exported_at": rfc3339(datetime.now(UTC)), "gateway": _jsonable(data),
            "sessions": proto_json(sessions), "scoring": proto_json(scoring),
            "certificates": [certificate_out(c).model_dump() for c in certificates.certificates]}


@router.delete("/users/{user_id}/personal-data", response_model=ErasureOut, tags=["personal data"])
async def erase_personal_data(request: Request, admin: Admin, svc: Svc, user_id: str) -> ErasureOut:
    """Erases the user's personal data everywhere: sessions and scoring blank the name and organisation of their
    attempts and results (which stay counted, anonymously), then the gateway erases the account. Issued
    certificates keep verifying as issued. Safe to repeat; the answer lists what was erased and what was kept, why."""
    uid = repository.parse_id(user_id)
    if uid is None or await repository.get_user(request.app.state.pool, user_id) is None:
        raise user_not_found(user_id)
    user_id = str(uid)  # the services know the user by the canonical form
    if user_id == admin.user_id:
        raise Problem(409, "cannot_erase_self", "an administrator cannot erase their own account")
    parts: list[ServiceErasureOut] = []
    for name, stub in (("sessions", svc.sessions), ("scoring", svc.scoring)):
        reply = await _call(name, stub.EraseCandidate(events_pb2.EraseCandidateRequest(candidate_id=user_id), timeout=30), "erasure_incomplete",
                            "erase the user's data", erased_in=[p.service for p in parts])
        parts.append(ServiceErasureOut(service=name, records=reply.records, erased=list(reply.erased),
                                       kept=[KeptOut(what=k.what, why=k.why) for k in reply.kept]))
    erased_at, now_erased = await repository.erase_user(request.app.state.pool, uid)
    request.app.state.accounts.forget_user(uid)
    parts.append(ServiceErasureOut(service="gateway", records=int(now_erased), erased=GATEWAY_ERASED, kept=GATEWAY_KEPT))
    parts.append(ServiceErasureOut(service="certificates", records=0, erased=[], kept=CERTIFICATES_KEPT))
    return ErasureOut(id=user_id, erased_at=rfc3339(erased_at), services=parts)
