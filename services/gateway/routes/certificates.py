"""Certificates: PDF download and public verification."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel

from gramota.contracts.certificates.v1 import certificates_pb2

from ..auth import CurrentUser
from ..clients import Services
from ..problems import Problem
from .common import Svc, iso

router = APIRouter(prefix="/api/v1")


# --- certificates ------------------------------------------------------------------------------
@router.get("/certificates/{serial}/pdf", response_class=Response, tags=["certificates"],
            responses={200: {"content": {"application/pdf": {}}}})
async def certificate_pdf(svc: Svc, principal: CurrentUser, serial: str) -> Response:
    if principal.role not in ("candidate", "hr", "admin"):
        raise Problem(403, "forbidden", "only the holder, HR or an admin can download a certificate")
    doc = await svc.certificates.GetPdf(certificates_pb2.GetCertificateRequest(serial=serial), timeout=10)
    if principal.role == "candidate" and doc.holder_user_id != principal.user_id:
        raise Problem(404, "certificate_not_found", f"no certificate {serial}")
    return Response(doc.content, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="certificate-{doc.serial}.pdf"'})


_VERIFY_STATUS = {certificates_pb2.CERTIFICATE_STATUS_VALID: "valid", certificates_pb2.CERTIFICATE_STATUS_REVOKED: "revoked",
                  certificates_pb2.CERTIFICATE_STATUS_EXPIRED: "expired", certificates_pb2.CERTIFICATE_STATUS_UNKNOWN: "unknown"}


class VerificationOut(BaseModel):
    serial: str
    status: Literal["valid", "revoked", "expired", "unknown"]
    holder_name: str | None = None
    exam_title: str | None = None
    issued_at: str | None = None
    revoked_at: str | None = None
    revocation_reason: str | None = None


async def verify_serial(svc: Services, serial: str) -> VerificationOut:
    v = await svc.certificates.Verify(certificates_pb2.VerifyRequest(serial=serial), timeout=5)
    return VerificationOut(serial=v.serial, status=_VERIFY_STATUS[v.status], holder_name=v.holder_name or None,
                           exam_title=v.exam_title or None, issued_at=iso(v.issued_at), revoked_at=iso(v.revoked_at),
                           revocation_reason=v.revocation_reason or None)


@router.get("/verify/{serial}", response_model=VerificationOut, tags=["verification"])
async def verify(svc: Svc, serial: str) -> VerificationOut:
    """Public: anyone may check a certificate. Shows only what is printed on it."""
    return await verify_serial(svc, serial)
