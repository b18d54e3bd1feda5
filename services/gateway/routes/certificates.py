"""Certificates: downloads, the candidate's list, public verification (serial, QR, PDF, bulk CSV), keys, lifecycle, audit.

Public checks are rate-limited per client address with a token bucket in PostgreSQL that every gateway replica
shares (ratelimit.py), against scraping serials.
"""
from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Path, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from google.protobuf import timestamp_pb2
from pydantic import BaseModel, Field

from gramota.certificates import domain
from gramota.contracts.certificates.v1 import certificates_pb2 as pb
from gramota.shared import csv_safe

from .. import ratelimit
from ..auth import Admin, Candidate, CurrentUser, Principal, current_principal
from ..clients import Services
from ..problems import Problem
from .common import Svc, iso

router = APIRouter(prefix="/api/v1")
public = APIRouter()

STATUS = {pb.CERTIFICATE_STATUS_VALID: "valid", pb.CERTIFICATE_STATUS_REVOKED: "revoked",
          pb.CERTIFICATE_STATUS_EXPIRED: "expired", pb.CERTIFICATE_STATUS_UNKNOWN: "unknown",
          pb.CERTIFICATE_STATUS_SUSPENDED: "suspended"}
Status = Literal["valid", "revoked", "suspended", "expired", "unknown"]
MAX_UPLOAD = 3 * 1024 * 1024     # below gRPC's 4 MB message limit (a certificate PDF is about 100 KB)
BULK_BATCH = 2_000               # serials per VerifyBulk call, so every answer stays well under 4 MB


# Public verification is rate-limited per address by the gateway's middleware (ratelimit.py, bucket "verify").


async def optional_user(request: Request) -> Principal | None:
    """A logged-in verifier is recorded in the audit; public checks need no login (a bad token counts as none)."""
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    try:
        return await current_principal(request, header[7:].strip())
    except Problem:
        return None


MaybeUser = Annotated[Principal | None, Depends(optional_user)]


def verifier(request: Request, user: Principal | None, method: str) -> pb.Verifier:
    return pb.Verifier(method=method, user_id=user.user_id if user else "", client_address=ratelimit.client_address(request))


# --- models --------------------------------------------------------------------------------------
class VerificationOut(BaseModel):
    serial: str
    status: Status
    holder_name: str | None = None
    exam_title: str | None = None
    issued_at: str | None = None
    expires_at: str | None = None
    revoked_at: str | None = None
    revocation_reason: str | None = None
    suspended_at: str | None = None
    replaced_by_serial: str | None = None
    signature_checked: bool | None = None   # only when a signature came with the check (QR link, PDF)
    signature_valid: bool | None = None


def verification_out(v: pb.Verification) -> VerificationOut:
    return VerificationOut(serial=v.serial, status=STATUS[v.status], holder_name=v.holder_name or None,
                           exam_title=v.exam_title or None, issued_at=iso(v.issued_at), expires_at=iso(v.expires_at),
                           revoked_at=iso(v.revoked_at), revocation_reason=v.revocation_reason or None,
                           suspended_at=iso(v.suspended_at), replaced_by_serial=v.replaced_by_serial or None,
                           signature_checked=True if v.signature_checked else None,
                           signature_valid=v.signature_valid if v.signature_checked else None)


class CompetenceOut(BaseModel):
    competence: str
    percent: float


class CertificateOut(BaseModel):
    serial: str
    status: Status
    holder_name: str
    exam_id: str
    exam_title: str
    score_percent: float
    issued_at: str | None
    expires_at: str | None = None
    revoked_at: str | None = None
    revocation_reason: str | None = None
    replaces_serial: str | None = None
    replaced_by_serial: str | None = None
    competences: list[CompetenceOut] = []
    pdf_url: str
    badge_url: str


def certificate_out(c: pb.Certificate) -> CertificateOut:
    return CertificateOut(
        serial=c.serial, status=STATUS[c.status], holder_name=c.holder_name, exam_id=c.exam_id,
        exam_title=c.exam_title, score_percent=c.score_percent, issued_at=iso(c.issued_at),
        expires_at=iso(c.expires_at), revoked_at=iso(c.revoked_at), revocation_reason=c.revocation_reason or None,
        replaces_serial=c.replaces_serial or None, replaced_by_serial=c.replaced_by_serial or None,
        competences=[CompetenceOut(competence=x.competence, percent=x.percent) for x in c.competences],
        pdf_url=f"/api/v1/certificates/{c.serial}/pdf", badge_url=f"/api/v1/certificates/{c.serial}/badge")


class PdfVerificationOut(BaseModel):
    document: Literal["authentic", "intact", "altered", "signature_invalid", "not_a_certificate"]
    problems: list[str]
    verification: VerificationOut | None = None


# --- the holder's documents ----------------------------------------------------------------------
async def _own(svc: Services, principal: Principal, serial: str) -> pb.Certificate:
    if principal.role not in ("candidate", "hr", "admin"):
        raise Problem(403, "forbidden", "only the holder, HR or an admin can download a certificate")
    cert = await svc.certificates.GetCertificate(pb.GetCertificateRequest(serial=serial), timeout=5)
    if principal.role == "candidate" and cert.holder_user_id != principal.user_id:
        raise Problem(404, "certificate_not_found", f"no certificate {serial}")
    return cert


@router.get("/certificates/{serial}/pdf", response_class=Response, tags=["certificates"],
            responses={200: {"content": {"application/pdf": {}}}})
async def certificate_pdf(svc: Svc, principal: CurrentUser, serial: str) -> Response:
    """The certificate PDF: for its holder, HR and admins."""
    await _own(svc, principal, serial)
    doc = await svc.certificates.GetPdf(pb.GetCertificateRequest(serial=serial), timeout=10)
    return Response(doc.content, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="certificate-{doc.serial}.pdf"'})


@router.get("/certificates/{serial}/badge", tags=["certificates"],
            responses={200: {"content": {"application/vc+ld+json": {}}}})
async def certificate_badge(svc: Svc, principal: CurrentUser, serial: str) -> Response:
    """The certificate as an Open Badges 3.0 OpenBadgeCredential (W3C VC 2.0, eddsa-rdfc-2022 proof by the
    issuer's did:web, revocation by Bitstring Status List): for its holder, HR and admins."""
    cert = await _own(svc, principal, serial)
    b = await svc.certificates.GetBadge(pb.GetCertificateRequest(serial=serial), timeout=10)
    return Response(b.json, media_type="application/vc+ld+json",
                    headers={"Content-Disposition": f'attachment; filename="certificate-{cert.serial}.badge.json"'})


# the holder's own documents where a holder looks for them, beside GET /my/certificates
@router.get("/my/certificates/{serial}/pdf", response_class=Response, tags=["certificates"],
            responses={200: {"content": {"application/pdf": {}}}})
async def my_certificate_pdf(svc: Svc, principal: Candidate, serial: str) -> Response:
    """The holder's certificate PDF (the same as /certificates/{serial}/pdf)."""
    return await certificate_pdf(svc, principal, serial)


@router.get("/my/certificates/{serial}/badge", tags=["certificates"],
            responses={200: {"content": {"application/vc+ld+json": {}}}})
async def my_certificate_badge(svc: Svc, principal: Candidate, serial: str) -> Response:
    """The holder's Open Badges 3.0 credential (the same as /certificates/{serial}/badge)."""
    return await certificate_badge(svc, principal, serial)


@router.get("/my/certificates", response_model=list[CertificateOut], tags=["certificates"])
async def my_certificates(svc: Svc, principal: Candidate) -> list[CertificateOut]:
    out = await svc.certificates.ListByHolder(pb.ListByHolderRequest(holder_user_id=principal.user_id), timeout=5)
    return [certificate_out(c) for c in out.certificates]


# --- public verification -------------------------------------------------------------------------
async def verify_serial(svc: Services, serial: str, who: pb.Verifier | None = None, key_id: str = "",
                        signature: str = "") -> VerificationOut:
    v = await svc.certificates.Verify(pb.VerifyRequest(serial=serial, verifier=who, key_id=key_id,
                                                       signature=signature), timeout=5)
    return verification_out(v)


# what does not apply is left out, so a public answer holds only the name, the exam and the dates that exist
@router.get("/verify/{serial}", response_model=VerificationOut, response_model_exclude_none=True, tags=["verification"])
async def verify(request: Request, svc: Svc, user: MaybeUser, serial: str,
                 k: Annotated[str, Query(description="key id from the QR code")] = "",
                 s: Annotated[str, Query(description="signature from the QR code")] = "") -> VerificationOut:
    """Public: anyone may check a certificate. Shows only the name, the exam and dates. With the QR's k and s,
    the signature is checked too."""
    return await verify_serial(svc, serial, verifier(request, user, "qr" if s else "serial"), k, s)


async def read_upload(file: UploadFile) -> bytes:
    content = await file.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        raise Problem(413, "file_too_large", f"upload at most {MAX_UPLOAD // 1024 // 1024} MB")
    return content


async def verify_pdf_file(svc: Services, content: bytes, who: pb.Verifier) -> PdfVerificationOut:
    r = await svc.certificates.VerifyPdf(pb.VerifyPdfRequest(content=content, verifier=who), timeout=20)
    return PdfVerificationOut(document=r.document, problems=list(r.problems),
                              verification=verification_out(r.verification) if r.HasField("verification") else None)


@router.post("/verify/pdf", response_model=PdfVerificationOut, response_model_exclude_none=True, tags=["verification"])
async def verify_pdf(request: Request, svc: Svc, user: MaybeUser,
                     file: Annotated[UploadFile, File(description="the certificate PDF")]) -> PdfVerificationOut:
    """Public: upload a certificate PDF; its embedded signed data, visible text and signature are checked."""
    return await verify_pdf_file(svc, await read_upload(file), verifier(request, user, "pdf"))


BULK_HEADER = ["row", "input", "serial", "status", "holder_name", "exam_title", "issued_at", "expires_at", "revoked_at",
               "revocation_reason", "surname_match", "error"]
BulkFormat = Literal["csv", "xlsx"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def verify_rows(svc: Services, raw: bytes, who: pb.Verifier) -> list[list]:
    """Every row of the upload answered in order with its row number (a blank row too: error `empty_row`).
    The file may be UTF-8 (with or without BOM) or Windows-1251, comma or semicolon separated."""
    try:
        rows = domain.parse_bulk_csv(csv_safe.decode(raw))
    except ValueError as exc:
        raise Problem(422, "too_many_rows", str(exc)) from None
    asked = [r for r in rows if r.serial]
    results: list[pb.BulkResult] = []
    for start in range(0, len(asked), BULK_BATCH):
        out = await svc.certificates.VerifyBulk(pb.VerifyBulkRequest(
            entries=[pb.BulkEntry(serial=r.serial, surname=r.surname) for r in asked[start:start + BULK_BATCH]],
            verifier=who), timeout=60)
        results.extend(out.results)
    answers = dict(zip((r.row for r in asked), results))
    lines = []
    for row in rows:
        r = answers.get(row.row)
        if r is None:
            lines.append([row.row, "", "", "", "", "", "", "", "", "", "", "empty_row"])
        elif r.error:
            lines.append([row.row, r.input, "", "", "", "", "", "", "", "", "", r.error])
        else:
            v = verification_out(r.verification)
            lines.append([row.row, r.input, v.serial, v.status, v.holder_name or "", v.exam_title or "",
                          v.issued_at or "", v.expires_at or "", v.revoked_at or "", v.revocation_reason or "",
                          r.surname_match, ""])
    return lines


def bulk_response(lines: list[list], format: BulkFormat) -> Response:
    """The answer to a bulk check as a download: CSV (UTF-8 with BOM, as Excel opens it) or XLSX."""
    if format == "xlsx":
        return Response(csv_safe.to_xlsx(BULK_HEADER, lines, "verification"), media_type=XLSX,
                        headers={"Content-Disposition": 'attachment; filename="verification.xlsx"'})
    body = csv_safe.to_text(BULK_HEADER, lines, lineterminator="\r\n")
    return Response(body.encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="verification.csv"'})


@router.post("/verify/bulk", response_class=Response, tags=["verification"],
             responses={200: {"content": {"text/csv": {}, XLSX: {}}}})
async def verify_bulk(request: Request, svc: Svc, user: MaybeUser,
                      file: Annotated[UploadFile, File(description="CSV: serial[,surname] per row; UTF-8 or "
                                                                   "Windows-1251; ',' or ';'")],
                      format: Annotated[BulkFormat, Query(description="the answer as csv or xlsx")] = "csv") -> Response:
    """For HR: a CSV of serials (optionally with the holder's surname to confirm) in; every row answered in order
    with its row number, as CSV or XLSX."""
    lines = await verify_rows(svc, await read_upload(file), verifier(request, user, "bulk"))
    return bulk_response(lines, format)


@public.get("/.well-known/gramota-keys.json", tags=["verification"])
async def public_keys(svc: Svc) -> JSONResponse:
    """Every Ed25519 public key certificates were ever signed with (raw, base64url), to verify offline."""
    keys = await svc.certificates.ListPublicKeys(pb.ListPublicKeysRequest(), timeout=5)
    body = {"issuer": "Gramota", "algorithm": "Ed25519",
            "payload": "canonical JSON, sorted keys, no spaces: v, serial, holder, exam, issued, score (hundredths "
                       "of a percent), expires; the QR carries k (key id) and s (signature, base64url)",
            "keys": [{"kid": k.key_id, "kty": "OKP", "crv": "Ed25519", "x": k.public_key,
                      "created": iso(k.created_at), "current": k.current} for k in keys.keys]}
    return JSONResponse(json.loads(json.dumps(body)), headers={"Cache-Control": "public, max-age=300"})


# --- what outside verifiers of an Open Badge fetch (public, JSON-LD) ----------------------------------
def linked_data(doc: pb.LinkedDocument, media_type: str = "application/ld+json", max_age: int = 300) -> Response:
    return Response(doc.json, media_type=media_type, headers={"Cache-Control": f"public, max-age={max_age}"})


@router.get("/status-lists/{purpose}/{list_no}", tags=["verification"],
            responses={200: {"content": {"application/vc+ld+json": {}}}})
async def status_list(svc: Svc, purpose: str, list_no: Annotated[int, Path(ge=0, le=2**31)]) -> Response:
    """A signed Bitstring Status List credential (purpose revocation or suspension; 131,072 certificates a list):
    the bit at a badge's statusListIndex is 1 while the certificate is revoked (suspended). Cached a minute."""
    doc = await svc.certificates.GetStatusList(pb.StatusListRequest(purpose=purpose, list=list_no), timeout=10)
    return linked_data(doc, "application/vc+ld+json", max_age=60)


@router.get("/achievements/{exam_id}", tags=["verification"],
            responses={200: {"content": {"application/ld+json": {}}}})
async def achievement(svc: Svc, exam_id: str) -> Response:
    """An exam as the Open Badges 3.0 Achievement its badges name."""
    return linked_data(await svc.certificates.GetAchievement(pb.AchievementRequest(exam_id=exam_id), timeout=5))


@public.get("/.well-known/did.json", tags=["verification"], responses={200: {"content": {"application/did+json": {}}}})
async def did_document(svc: Svc) -> Response:
    """The issuer's did:web DID document: every key Gramota ever signed badges with, as a Multikey."""
    doc = await svc.certificates.GetDidDocument(pb.DidDocumentRequest(path="/.well-known/did.json"), timeout=5)
    return linked_data(doc, "application/did+json")


@public.get("/{path:path}/did.json", include_in_schema=False)
async def did_document_at(svc: Svc, path: str) -> Response:
    """did:web with a path (PUBLIC_BASE_URL https://host/a/b: did:web:host:a:b at /a/b/did.json); 404 elsewhere."""
    doc = await svc.certificates.GetDidDocument(pb.DidDocumentRequest(path=f"/{path}/did.json"), timeout=5)
    return linked_data(doc, "application/did+json")


# --- lifecycle and audit (admins) ----------------------------------------------------------------
class Reason(BaseModel):
    reason: str


class Correction(BaseModel):
    holder_name: str
    reason: str


@router.post("/certificates/{serial}/revoke", response_model=CertificateOut, tags=["certificates"])
async def revoke(svc: Svc, admin: Admin, serial: str, body: Reason) -> CertificateOut:
    """Permanent."""
    return certificate_out(await svc.certificates.Revoke(
        pb.ChangeStatusRequest(serial=serial, reason=body.reason, admin_user_id=admin.user_id), timeout=10))


@router.post("/certificates/{serial}/suspend", response_model=CertificateOut, tags=["certificates"])
async def suspend(svc: Svc, admin: Admin, serial: str, body: Reason) -> CertificateOut:
    return certificate_out(await svc.certificates.Suspend(
        pb.ChangeStatusRequest(serial=serial, reason=body.reason, admin_user_id=admin.user_id), timeout=10))


@router.post("/certificates/{serial}/reinstate", response_model=CertificateOut, tags=["certificates"])
async def reinstate(svc: Svc, admin: Admin, serial: str) -> CertificateOut:
    return certificate_out(await svc.certificates.Reinstate(
        pb.ChangeStatusRequest(serial=serial, admin_user_id=admin.user_id), timeout=10))


@router.post("/certificates/{serial}/reissue", response_model=CertificateOut, tags=["certificates"])
async def reissue(svc: Svc, admin: Admin, serial: str, body: Correction) -> CertificateOut:
    """A corrected name: a new certificate; the old one is revoked and linked to it."""
    return certificate_out(await svc.certificates.Reissue(pb.ReissueRequest(
        serial=serial, holder_name=body.holder_name, reason=body.reason, admin_user_id=admin.user_id), timeout=20))


class VerificationRecordOut(BaseModel):
    at: str | None
    method: str
    status: str
    user_id: str | None
    client_address: str | None


class VerificationPageOut(BaseModel):
    records: list[VerificationRecordOut] = Field(description="newest first")
    next_cursor: str | None = Field(None, description="pass as `cursor` for the next page; absent on the last page")
    counts: dict[str, int] = Field(description="checks by method (serial, qr, pdf, bulk) within since/until")
    total: int = Field(description="checks matching the filter")


def _timestamp(value: datetime | date | None) -> timestamp_pb2.Timestamp | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(), UTC)  # a date: from its start, UTC
    elif value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(value.astimezone(UTC))
    return ts


@router.get("/certificates/{serial}/verifications", response_model=VerificationPageOut, tags=["certificates"])
async def who_checked(svc: Svc, admin: Admin, serial: str,
                      limit: Annotated[int, Query(ge=1, le=1000)] = 200,
                      cursor: Annotated[str | None, Query(max_length=200, description="next_cursor of the previous "
                                                                                    "page")] = None,
                      method: Annotated[Literal["serial", "qr", "pdf", "bulk"] | None, Query()] = None,
                      since: Annotated[datetime | date | None, Query(description="from (a date: its start, UTC)")] = None,
                      until: Annotated[datetime | date | None, Query(description="before (exclusive)")] = None,
                      ) -> VerificationPageOut:
    """Who checked the certificate, newest first, a page at a time; filtered by method and period."""
    log = await svc.certificates.ListVerifications(pb.ListVerificationsRequest(
        serial=serial, limit=limit, cursor=cursor or "", method=method or "", since=_timestamp(since),
        until=_timestamp(until)), timeout=10)
    return VerificationPageOut(
        records=[VerificationRecordOut(at=iso(r.at), method=r.method, status=STATUS.get(r.status, "unknown"),
                                       user_id=r.user_id or None, client_address=r.client_address or None)
                 for r in log.records],
        next_cursor=log.next_cursor or None, counts=dict(log.counts), total=log.total)
