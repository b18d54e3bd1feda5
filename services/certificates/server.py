"""The gRPC handlers of certificates: each decodes the request, calls its use case, encodes the reply.

Where the work is: issuing.py (signing, writing, the results topic's handlers), rendering.py (PDFs: the render
process and the background renderer), lifecycle.py (revoke, suspend, reinstate, reissue), verification.py (checks
and their log), reading.py (the register's reads), badges.py (Open Badges, status lists, DID document); every SQL statement in repository.py; events published in
events.py; pure rules in domain.py."""
from __future__ import annotations

from datetime import UTC, datetime

import asyncpg

from gramota.contracts.certificates.v1 import certificates_pb2 as pb
from gramota.contracts.certificates.v1 import certificates_pb2_grpc
from gramota.shared.clock import Clock
from gramota.shared.events import timestamp

from . import domain, repository, serials, signing
from .badges import Badges
from .issuing import Issuer
from .lifecycle import Lifecycle, reason_of, serial_of
from .reading import Reading
from .rendering import Pages
from .verification import Checked, Verification, Verifier

STATUS_PB = {domain.VALID: pb.CERTIFICATE_STATUS_VALID, domain.REVOKED: pb.CERTIFICATE_STATUS_REVOKED,
             domain.SUSPENDED: pb.CERTIFICATE_STATUS_SUSPENDED, domain.EXPIRED: pb.CERTIFICATE_STATUS_EXPIRED,
             domain.UNKNOWN: pb.CERTIFICATE_STATUS_UNKNOWN}


def _ts(dt: datetime | None):
    return timestamp(dt) if dt else None


def _display(serial: str | None) -> str:
    return serials.display(serial) if serial else ""


def _verifier(v: pb.Verifier) -> Verifier:
    return Verifier(v.method, v.user_id, v.client_address)


class CertificatesServicer(certificates_pb2_grpc.CertificatesServicer):
    """`issuer` and `pages`: None on a replica that cannot sign or render (it still reads and verifies serials)."""

    def __init__(self, pool: asyncpg.Pool, clock: Clock, issuer: Issuer | None = None,
                 pages: Pages | None = None) -> None:
        self.pool = pool
        self.clock = clock
        self.reading = Reading(pool, clock, issuer, pages)
        self.lifecycle = Lifecycle(pool, clock, issuer)
        self.verification = Verification(pool, clock, issuer.keys if issuer else None)
        self.badges = Badges(pool, clock, issuer)

    def close(self) -> None:
        self.verification.close()

    # --- encoding ------------------------------------------------------------------------------------
    def _message(self, row: asyncpg.Record) -> pb.Certificate:
        return pb.Certificate(
            serial=serials.display(row["serial"]), attempt_id=str(row["attempt_id"]), exam_id=str(row["exam_id"]),
            exam_title=row["exam_title"], holder_user_id=row["holder_user_id"], holder_name=row["holder_name"],
            score_percent=row["score_percent"], issued_at=timestamp(row["issued_at"]),
            status=STATUS_PB[domain.status_at(row["status"], row["expires_at"], self.clock.now())],
            expires_at=_ts(row["expires_at"]), key_id=row["key_id"] or "", language=row["language"],
            revoked_at=_ts(row["revoked_at"]), revocation_reason=row["revocation_reason"] or "",
            competences=[pb.CompetenceResult(competence=c["competence"], percent=c["percent"])
                         for c in repository.competences(row)],
            replaces_serial=_display(row["replaces_serial"]), replaced_by_serial=_display(row["replaced_by_serial"]),
        )

    @staticmethod
    def _verification(c: Checked) -> pb.Verification:
        row = c.row
        if row is None:
            v = pb.Verification(status=pb.CERTIFICATE_STATUS_UNKNOWN, serial=serials.display(c.serial))
        else:
            v = pb.Verification(
                status=STATUS_PB[c.status], serial=serials.display(c.serial), holder_name=row["holder_name"],
                exam_title=row["exam_title"], issued_at=timestamp(row["issued_at"]), revoked_at=_ts(row["revoked_at"]),
                revocation_reason=row["revocation_reason"] or "", expires_at=_ts(row["expires_at"]),
                suspended_at=_ts(row["suspended_at"]), replaced_by_serial=_display(row["replaced_by_serial"]))
        v.signature_checked, v.signature_valid = c.signature_checked, c.signature_valid
        return v

    # --- reads ---------------------------------------------------------------------------------------
    async def GetCertificate(self, request: pb.GetCertificateRequest, context) -> pb.Certificate:
        return self._message(await self.reading.get(serial_of(request.serial)))

    async def FindByAttempt(self, request: pb.FindByAttemptRequest, context) -> pb.Certificate:
        return self._message(await self.reading.of_attempt(request.attempt_id))

    async def ListByHolder(self, request: pb.ListByHolderRequest, context) -> pb.CertificateList:
        return pb.CertificateList(certificates=[self._message(r)
                                                for r in await self.reading.of_holder(request.holder_user_id)])

    async def GetPdf(self, request: pb.GetCertificateRequest, context) -> pb.CertificatePdf:
        row, content = await self.reading.pdf(serial_of(request.serial))
        return pb.CertificatePdf(serial=serials.display(row["serial"]), content=content,
                                 holder_user_id=row["holder_user_id"])

    async def ListPublicKeys(self, request, context) -> pb.PublicKeys:
        keys, current = await self.reading.public_keys()
        return pb.PublicKeys(keys=[
            pb.PublicKey(key_id=r["key_id"], algorithm="Ed25519", public_key=signing.b64url(bytes(r["public_key"])),
                         created_at=timestamp(r["created_at"]), current=r["key_id"] == current) for r in keys])

    # --- Open Badges and what their verifiers fetch ----------------------------------------------------
    async def GetBadge(self, request: pb.GetCertificateRequest, context) -> pb.Badge:
        row, doc = await self.badges.badge(serial_of(request.serial))
        return pb.Badge(serial=serials.display(row["serial"]), json=doc)

    async def GetStatusList(self, request: pb.StatusListRequest, context) -> pb.LinkedDocument:
        return pb.LinkedDocument(json=await self.badges.status_list(request.purpose, request.list))

    async def GetDidDocument(self, request: pb.DidDocumentRequest, context) -> pb.LinkedDocument:
        return pb.LinkedDocument(json=await self.badges.did_document(request.path))

    async def GetAchievement(self, request: pb.AchievementRequest, context) -> pb.LinkedDocument:
        return pb.LinkedDocument(json=await self.badges.achievement(request.exam_id))

    # --- verification --------------------------------------------------------------------------------
    async def Verify(self, request: pb.VerifyRequest, context) -> pb.Verification:
        return self._verification(await self.verification.verify(
            serial_of(request.serial), request.key_id, request.signature, _verifier(request.verifier)))

    async def VerifyPdf(self, request: pb.VerifyPdfRequest, context) -> pb.PdfVerification:
        checked = await self.verification.verify_pdf(request.content, _verifier(request.verifier))
        return pb.PdfVerification(document=checked.document, problems=checked.problems,
                                  verification=self._verification(checked.checked) if checked.checked else None)

    async def VerifyBulk(self, request: pb.VerifyBulkRequest, context) -> pb.BulkVerification:
        out = pb.BulkVerification()
        for raw, checked, match in await self.verification.verify_bulk(
                [(e.serial, e.surname) for e in request.entries], _verifier(request.verifier)):
            if checked is None:
                out.results.add(input=raw, error="invalid_serial")
            else:
                out.results.add(input=raw, verification=self._verification(checked), surname_match=match)
        return out

    async def ListVerifications(self, request: pb.ListVerificationsRequest, context) -> pb.VerificationLog:
        rows, next_cursor, counts = await self.verification.log(
            serial_of(request.serial), request.limit, cursor=request.cursor, method=request.method,
            since=request.since.ToDatetime(tzinfo=UTC) if request.HasField("since") else None,
            until=request.until.ToDatetime(tzinfo=UTC) if request.HasField("until") else None)
        return pb.VerificationLog(
            records=[pb.VerificationRecord(at=timestamp(r["at"]), method=r["method"], user_id=r["user_id"] or "",
                                           client_address=r["client_address"] or "",
                                           status=STATUS_PB.get(r["status"], pb.CERTIFICATE_STATUS_UNSPECIFIED))
                     for r in rows],
            next_cursor=next_cursor, counts=counts,
            total=counts.get(request.method, 0) if request.method else sum(counts.values()))

    # --- lifecycle (admins) --------------------------------------------------------------------------
    async def Revoke(self, request: pb.ChangeStatusRequest, context) -> pb.Certificate:
        serial, reason = serial_of(request.serial), reason_of(request.reason)
        return self._message(await self.lifecycle.revoke(serial, reason, request.admin_user_id))

    async def Suspend(self, request: pb.ChangeStatusRequest, context) -> pb.Certificate:
        serial, reason = serial_of(request.serial), reason_of(request.reason)
        return self._message(await self.lifecycle.suspend(serial, reason))

    async def Reinstate(self, request: pb.ChangeStatusRequest, context) -> pb.Certificate:
        return self._message(await self.lifecycle.reinstate(serial_of(request.serial)))

    async def Reissue(self, request: pb.ReissueRequest, context) -> pb.Certificate:
        serial, reason = serial_of(request.serial), reason_of(request.reason)
        return self._message(await self.lifecycle.reissue(serial, reason, request.holder_name))
