"""Certificates: issuing on `result scored`/`result rescored`, the lifecycle, verification and its audit."""
from __future__ import annotations

import asyncio
import hashlib
import io
import json
import logging
import multiprocessing
import os
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime

import asyncpg
from prometheus_client import Histogram

from gramota.contracts.certificates.v1 import certificates_pb2 as pb
from gramota.contracts.certificates.v1 import certificates_pb2_grpc
from gramota.contracts.events.v1 import events_pb2
from gramota.shared import outbox, topics
from gramota.shared.clock import Clock
from gramota.shared.consumer import Delivery
from gramota.shared.errors import Conflict, InvalidArgument, NotFound, parse_uuid_or_not_found
from gramota.shared.events import timestamp
from gramota.shared.grpc_runtime import ensure_admin, identity

from . import badge, domain, pdf, rendering, serials, signing
from .keys import KeyRing

SERVICE = "certificates"
log = logging.getLogger(__name__)

RENDER_SECONDS = Histogram("gramota_certificate_render_seconds", "Time to render one certificate PDF")
STATUS_PB = {domain.VALID: pb.CERTIFICATE_STATUS_VALID, domain.REVOKED: pb.CERTIFICATE_STATUS_REVOKED,
             domain.SUSPENDED: pb.CERTIFICATE_STATUS_SUSPENDED, domain.EXPIRED: pb.CERTIFICATE_STATUS_EXPIRED,
             domain.UNKNOWN: pb.CERTIFICATE_STATUS_UNKNOWN}
COLUMNS = ("serial, attempt_id, exam_id, exam_title, holder_user_id, holder_name, score_percent, issued_at, expires_at, "
           "status, revoked_at, revocation_reason, suspended_at, language, competences, key_id, payload, signature, "
           "pdf_sha256, replaces_serial, replaced_by_serial, result_id")


def _render_timed(page: pdf.CertificatePage) -> tuple[bytes, float]:
    """In the render process: the PDF and the seconds the render itself took (not its wait in the queue)."""
    started = time.perf_counter()
    content = pdf.render(page)
    return content, time.perf_counter() - started


def _render_process_started() -> None:
    # rendering is background work: it yields the processor to answer saves, scoring and issuing
    os.nice(RENDER_NICENESS)
    pdf.register_fonts()


RENDER_NICENESS = 10


def verify_url(public_base_url: str, serial: str, kid: str = "", signature: bytes = b"") -> str:
    """What the QR opens: the verify page for the serial, carrying the key id and the signature to check."""
    url = f"{public_base_url.rstrip('/')}/verify/{serials.display(serial)}"
    return f"{url}?k={kid}&s={signing.b64url(signature)}" if kid else url


@dataclass(frozen=True)
class Issue:
    """Everything a new certificate states."""

    attempt_id: uuid.UUID
    result_id: uuid.UUID
    exam_id: uuid.UUID
    exam_title: str
    holder_user_id: str
    holder_name: str
    score_percent: float
    issued_at: datetime
    expires_at: datetime | None
    language: str
    competences: tuple[pdf.CompetenceLine, ...]

    @classmethod
    def of_result(cls, msg: events_pb2.ResultScored, issued_at: datetime) -> Issue:
        return cls(uuid.UUID(msg.attempt_id), uuid.UUID(msg.result_id), uuid.UUID(msg.exam_id), msg.exam_title,
                   msg.candidate.user_id, msg.candidate.full_name, msg.score_percent, issued_at,
                   domain.expiry(issued_at, msg.validity_days),
                   msg.certificate_language if msg.certificate_language in pdf.TEXTS else "ru",
                   tuple(pdf.CompetenceLine(s.competence or s.area, s.percent) for s in msg.subscores))


class Issuer:
    """Signs certificates and writes them with their `certificate issued` event; renders their PDFs from the rows."""

    def __init__(self, clock: Clock, public_base_url: str, keys: KeyRing) -> None:
        self.clock = clock
        self.public_base_url = public_base_url
        self.keys = keys
        # blocking work off the event loop: reading uploaded PDFs in threads; rendering (pure-Python ReportLab,
        # CPU-bound) in a process of its own at a lower priority, so it neither holds this process's GIL (which
        # starved the consumer that issues certificates) nor takes the processor from interactive work
        self._threads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pdf")
        self._pages: ProcessPoolExecutor | None = None

    async def run_blocking(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self._threads, fn, *args)

    def _render_pool(self) -> ProcessPoolExecutor:
        if self._pages is None:
            self._pages = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                              initializer=_render_process_started)
        return self._pages

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
        if self._pages is not None:
            self._pages.shutdown(wait=False, cancel_futures=True)

    def prepare(self, issue: Issue) -> dict:
        """The serial and the signature: all a certificate needs to be valid. Its PDF comes later (rendering)."""
        serial = serials.new_serial()
        key = self.keys.current
        payload = signing.Payload.of(serial, issue.holder_name, issue.exam_title, issue.issued_at,
                                     issue.score_percent, issue.expires_at)
        return {"serial": serial, "payload": payload.canonical(), "signature": key.sign(payload.canonical()),
                "key_id": key.key_id}

    def page_of(self, row: asyncpg.Record) -> pdf.CertificatePage:
        """The page of a stored certificate: everything on it comes from the row as it was issued."""
        serial, kid = row["serial"], row["key_id"] or ""
        signature = bytes(row["signature"]) if row["signature"] is not None else b""
        signed = bool(kid and row["payload"] is not None and signature)
        return pdf.CertificatePage(
            serial_display=serials.display(serial), holder_name=row["holder_name"], exam_title=row["exam_title"],
            score_percent=row["score_percent"], issued_at=row["issued_at"],
            verify_url=verify_url(self.public_base_url, serial, kid, signature) if signed else verify_url(
                self.public_base_url, serial),
            language=row["language"], expires_at=row["expires_at"],
            competences=tuple(pdf.CompetenceLine(c["competence"], c["percent"]) for c in json.loads(row["competences"])),
            signed_token=signing.token(bytes(row["payload"]), kid, signature) if signed else "", key_id=kid)

    async def render(self, row: asyncpg.Record) -> bytes:
        """The PDF of a stored certificate (RENDER_COLUMNS), rendered in the render process (started again if it
        died)."""
        page = self.page_of(row)
        try:
            content, seconds = await asyncio.get_running_loop().run_in_executor(self._render_pool(), _render_timed, page)
        except BrokenProcessPool:
            log.warning("the render process died; starting a new one")
            self._pages = None
            content, seconds = await asyncio.get_running_loop().run_in_executor(self._render_pool(), _render_timed, page)
        RENDER_SECONDS.observe(seconds)
        return content

    async def insert(self, conn: asyncpg.Connection, issue: Issue, made: dict, replaces: str | None = None) -> bool:
        on_conflict = "" if replaces else "ON CONFLICT (attempt_id) WHERE replaces_serial IS NULL DO NOTHING"
        inserted = await conn.fetchval(
            f"""
            INSERT INTO certificates (serial, attempt_id, result_id, exam_id, exam_title, holder_user_id, holder_name,
                score_percent, issued_at, expires_at, language, competences, key_id, payload, signature, replaces_serial)
            VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16) {on_conflict} RETURNING true
            """,
            made["serial"], issue.attempt_id, issue.result_id, issue.exam_id, issue.exam_title, issue.holder_user_id,
            issue.holder_name, issue.score_percent, issue.issued_at, issue.expires_at, issue.language,
            json.dumps([{"competence": c.name, "percent": c.percent} for c in issue.competences], ensure_ascii=False),
            made["key_id"], made["payload"], made["signature"], replaces,
        )
        if inserted:
            await rendering.announce(conn)
            await outbox.enqueue(
                conn, topics.CERTIFICATE_ISSUED,
                events_pb2.CertificateIssued(serial=made["serial"], attempt_id=str(issue.attempt_id),
                                             exam_id=str(issue.exam_id), holder_user_id=issue.holder_user_id,
                                             issued_at=timestamp(issue.issued_at)),
                aggregate_id=made["serial"], producer=SERVICE)
            log.info("certificate issued", extra={"serial": made["serial"], "attempt_id": str(issue.attempt_id)})
        return bool(inserted)


async def revoke(conn: asyncpg.Connection, serial: str, reason: str, at: datetime,
                 replaced_by: str | None = None) -> bool:
    """Permanent; announced. False when it was revoked already."""
    done = await conn.fetchval(
        """UPDATE certificates SET status = 'revoked', revoked_at = $2, revocation_reason = $3,
               replaced_by_serial = COALESCE($4, replaced_by_serial)
           WHERE serial = $1 AND status <> 'revoked' RETURNING true""", serial, at, reason, replaced_by)
    if done:
        await outbox.enqueue(conn, topics.CERTIFICATE_REVOKED,
                             events_pb2.CertificateRevoked(serial=serial, reason=reason, revoked_at=timestamp(at)),
                             aggregate_id=serial, producer=SERVICE)
    return bool(done)


class CertificateIssuing:
    """The event handlers: a pass makes a certificate (once); a rescore may make or revoke one."""

    def __init__(self, issuer: Issuer) -> None:
        self.issuer = issuer

    async def on_result_scored(self, delivery: Delivery) -> None:
        msg: events_pb2.ResultScored = delivery.payload
        if not msg.passed or msg.candidate.erased or await delivery.already_processed():
            return  # an erased candidate's later pass: no name to certify, no account to hand it to
        if await delivery.pool.fetchval("SELECT 1 FROM certificates WHERE attempt_id = $1", uuid.UUID(msg.attempt_id)):
            return  # issued already (the same result announced twice)
        issue = Issue.of_result(msg, self.issuer.clock.now())
        made = self.issuer.prepare(issue)
        async with delivery.effect() as conn:
            await self.issuer.insert(conn, issue, made)

    async def on_result_rescored(self, delivery: Delivery) -> None:
        msg: events_pb2.ResultRescored = delivery.payload
        result = msg.result
        if await delivery.already_processed():
            return
        attempt = uuid.UUID(result.attempt_id)
        live = await delivery.pool.fetchval(
            "SELECT serial FROM certificates WHERE attempt_id = $1 AND status <> 'revoked' ORDER BY issued_at DESC LIMIT 1",
            attempt)
        if result.passed and live is None and not result.candidate.erased:
            previous = await delivery.pool.fetchval(
                "SELECT serial FROM certificates WHERE attempt_id = $1 ORDER BY issued_at DESC LIMIT 1", attempt)
            issue = Issue.of_result(result, self.issuer.clock.now())
            made = self.issuer.prepare(issue)
            async with delivery.effect() as conn:
                await self.issuer.insert(conn, issue, made, replaces=previous)
        elif not result.passed and live is not None:
            async with delivery.effect() as conn:
                await revoke(conn, live, f"rescored: {msg.reason or 'the result no longer passes'}",
                             self.issuer.clock.now())
        else:
            async with delivery.effect():
                pass  # nothing changes for the certificate (or its holder was erased); remember the event


def _serial(raw: str) -> str:
    try:
        return serials.normalise(raw)
    except serials.InvalidSerial as exc:
        raise InvalidArgument("invalid_serial", str(exc)) from None


def read_pdf(content: bytes) -> tuple[str, str]:
    """(the signed token from the metadata, the visible text) of an uploaded PDF; blocking (pypdf)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    keywords = str((reader.metadata or {}).get("/Keywords") or "")
    token = keywords.removeprefix("gramota-signed:") if keywords.startswith("gramota-signed:") else ""
    text = "\n".join(p.extract_text() or "" for p in reader.pages[:2])
    return token, text


def _squash(text: str) -> str:
    return "".join(text.split()).casefold()


class CertificatesServicer(certificates_pb2_grpc.CertificatesServicer):
    def __init__(self, pool: asyncpg.Pool, clock: Clock, issuer: Issuer | None = None) -> None:
        self.pool = pool
        self.clock = clock
        self.issuer = issuer

    # --- reads -------------------------------------------------------------------------------------
    def _status(self, row: asyncpg.Record) -> str:
        return domain.status_at(row["status"], row["expires_at"], self.clock.now())

    def _message(self, row: asyncpg.Record) -> pb.Certificate:
        ts = self._ts
        return pb.Certificate(
            serial=serials.display(row["serial"]), attempt_id=str(row["attempt_id"]), exam_id=str(row["exam_id"]),
            exam_title=row["exam_title"], holder_user_id=row["holder_user_id"], holder_name=row["holder_name"],
            score_percent=row["score_percent"], issued_at=timestamp(row["issued_at"]),
            status=STATUS_PB[self._status(row)], expires_at=ts(row["expires_at"]), key_id=row["key_id"] or "",
            language=row["language"], revoked_at=ts(row["revoked_at"]), revocation_reason=row["revocation_reason"] or "",
            competences=[pb.CompetenceResult(competence=c["competence"], percent=c["percent"])
                         for c in json.loads(row["competences"])],
            replaces_serial=serials.display(row["replaces_serial"]) if row["replaces_serial"] else "",
            replaced_by_serial=serials.display(row["replaced_by_serial"]) if row["replaced_by_serial"] else "",
        )

    @staticmethod
    def _ts(dt: datetime | None):
        return timestamp(dt) if dt else None

    async def _row(self, serial: str, conn: asyncpg.Connection | None = None) -> asyncpg.Record:
        row = await (conn or self.pool).fetchrow(f"SELECT {COLUMNS} FROM certificates WHERE serial = $1", serial)
        if row is None:
            raise NotFound("certificate_not_found", f"no certificate {serials.display(serial)}")
        return row

    @staticmethod
    def _only_holder(row: asyncpg.Record | None, serial: str) -> asyncpg.Record:
        """Defense in depth: a candidate reaches only their own certificates; someone else's looks missing."""
        who = identity.get()
        if row is None or (who is not None and who.role == "candidate" and row["holder_user_id"] != who.user_id):
            raise NotFound("certificate_not_found", f"no certificate {serials.display(serial)}")
        return row

    async def GetCertificate(self, request: pb.GetCertificateRequest, context) -> pb.Certificate:
        serial = _serial(request.serial)
        return self._message(self._only_holder(await self._row(serial), serial))

    async def FindByAttempt(self, request: pb.FindByAttemptRequest, context) -> pb.Certificate:
        row = await self.pool.fetchrow(
            f"SELECT {COLUMNS} FROM certificates WHERE attempt_id = $1 ORDER BY (status = 'revoked'), issued_at DESC LIMIT 1",
            parse_uuid_or_not_found(request.attempt_id, "certificate"),
        )
        if row is None:
            raise NotFound("certificate_not_found", f"no certificate for attempt {request.attempt_id}")
        return self._message(row)

    async def ListByHolder(self, request: pb.ListByHolderRequest, context) -> pb.CertificateList:
        who = identity.get()
        if who is not None and who.role == "candidate":
            holder = who.user_id
        else:  # someone else's certificates: an admin's personal-data export
            ensure_admin("list the certificates of another holder")
            holder = request.holder_user_id
        rows = await self.pool.fetch(
            f"SELECT {COLUMNS} FROM certificates WHERE holder_user_id = $1 ORDER BY issued_at DESC", holder)
        return pb.CertificateList(certificates=[self._message(r) for r in rows])

    async def GetPdf(self, request: pb.GetCertificateRequest, context) -> pb.CertificatePdf:
        serial = _serial(request.serial)
        row = self._only_holder(await self.pool.fetchrow(
            "SELECT serial, holder_user_id, pdf FROM certificates WHERE serial = $1", serial), serial)
        content = row["pdf"]
        if content is None:  # not rendered yet: the download renders it now rather than say "not ready"
            if self.issuer is None:
                raise Conflict("signing_unavailable", "this replica cannot render certificates")
            content = await rendering.render_now(self.pool, self.issuer, serial)
        return pb.CertificatePdf(serial=serials.display(row["serial"]), content=bytes(content),
                                 holder_user_id=row["holder_user_id"])

    async def ListPublicKeys(self, request, context) -> pb.PublicKeys:
        current = self.issuer.keys.current.key_id if self.issuer else ""
        return pb.PublicKeys(keys=[
            pb.PublicKey(key_id=r["key_id"], algorithm="Ed25519", public_key=signing.b64url(bytes(r["public_key"])),
                         created_at=timestamp(r["created_at"]), current=r["key_id"] == current)
            for r in await self.pool.fetch("SELECT key_id, public_key, created_at FROM signing_keys ORDER BY created_at")])

    async def GetBadge(self, request: pb.GetCertificateRequest, context) -> pb.Badge:
        row = self._only_holder(await self._row(_serial(request.serial)), _serial(request.serial))
        if self.issuer is None:
            raise Conflict("signing_unavailable", "this replica cannot sign")
        base = self.issuer.public_base_url
        doc = badge.credential(base_url=base, serial_display=serials.display(row["serial"]),
                               holder_name=row["holder_name"], holder_user_id=row["holder_user_id"],
                               exam_id=str(row["exam_id"]), exam_title=row["exam_title"],
                               score_percent=row["score_percent"], issued_at=row["issued_at"],
                               expires_at=row["expires_at"])
        signed = badge.sign(doc, self.issuer.keys.current, base, row["issued_at"])
        return pb.Badge(serial=serials.display(row["serial"]), json=badge.dumps(signed))

    # --- verification --------------------------------------------------------------------------------
    def _verification(self, serial: str, row: asyncpg.Record | None) -> pb.Verification:
        if row is None:
            return pb.Verification(status=pb.CERTIFICATE_STATUS_UNKNOWN, serial=serials.display(serial))
        ts = self._ts
        return pb.Verification(
            status=STATUS_PB[self._status(row)], serial=serials.display(serial), holder_name=row["holder_name"],
            exam_title=row["exam_title"], issued_at=timestamp(row["issued_at"]), revoked_at=ts(row["revoked_at"]),
            revocation_reason=row["revocation_reason"] or "", expires_at=ts(row["expires_at"]),
            suspended_at=ts(row["suspended_at"]),
            replaced_by_serial=serials.display(row["replaced_by_serial"]) if row["replaced_by_serial"] else "",
        )

    async def _audit(self, records: list[tuple]) -> None:
        await self.pool.copy_records_to_table(
            "verifications", records=records,
            columns=["at", "serial", "method", "status", "user_id", "client_address"])

    def _audit_record(self, serial: str, status: int, who: pb.Verifier, method: str) -> tuple:
        name = pb.CertificateStatus.Name(status).removeprefix("CERTIFICATE_STATUS_").lower()
        return (self.clock.now(), serial, who.method or method, name, who.user_id or None, who.client_address or None)

    async def _signature_valid(self, kid: str, payload: bytes | None, signature: bytes) -> bool:
        public = await self.issuer.keys.public(kid) if self.issuer else None
        return bool(public and payload and signing.verify(public, bytes(payload), signature))

    async def Verify(self, request: pb.VerifyRequest, context) -> pb.Verification:
        serial = _serial(request.serial)
        row = await self.pool.fetchrow(f"SELECT {COLUMNS} FROM certificates WHERE serial = $1", serial)
        v = self._verification(serial, row)
        if request.signature and row is not None:
            try:
                sig = signing.unb64url(request.signature)
            except ValueError:
                sig = b""
            v.signature_checked = True
            v.signature_valid = await self._signature_valid(request.key_id, row["payload"], sig)
        await self._audit([self._audit_record(serial, v.status, request.verifier, "qr" if request.signature else "serial")])
        return v

    async def VerifyPdf(self, request: pb.VerifyPdfRequest, context) -> pb.PdfVerification:
        if not self.issuer:
            raise Conflict("signing_unavailable", "this replica cannot verify files")
        try:
            token, text = await self.issuer.run_blocking(read_pdf, request.content)
        except Exception:
            raise InvalidArgument("not_a_pdf", "the file is not a readable PDF") from None
        try:
            kid, payload, raw, sig = signing.parse_token(token)
        except (ValueError, KeyError, json.JSONDecodeError):
            return pb.PdfVerification(document="not_a_certificate", problems=["no Gramota signature in the file"])
        problems: list[str] = []
        public = await self.issuer.keys.public(kid)
        if public is None or not signing.verify(public, raw, sig):
            problems.append("the embedded signature does not verify")
        try:
            serial = serials.normalise(payload.serial)
        except serials.InvalidSerial:
            return pb.PdfVerification(document="signature_invalid", problems=problems or ["bad serial"])
        row = await self.pool.fetchrow(f"SELECT {COLUMNS} FROM certificates WHERE serial = $1", serial)
        v = self._verification(serial, row)
        v.signature_checked = True
        v.signature_valid = not problems
        if row is None:
            problems.append("no certificate with this serial in the register")
        else:
            if row["pdf_sha256"] is not None and bytes(row["pdf_sha256"]) == hashlib.sha256(request.content).digest():
                await self._audit([self._audit_record(serial, v.status, request.verifier, "pdf")])
                return pb.PdfVerification(document="authentic", verification=v)
            if row["payload"] is not None and bytes(row["payload"]) != raw:
                problems.append("the embedded data differ from the register")
            flat = _squash(text)
            for label, value in (("name", payload.holder), ("exam", payload.exam),
                                 ("serial", serials.display(serial)),
                                 ("score", pdf.percent(payload.score_centi / 100, row["language"]))):
                if _squash(value) not in flat:
                    problems.append(f"the visible {label} differs from the signed data")
        await self._audit([self._audit_record(serial, v.status, request.verifier, "pdf")])
        if not v.signature_valid:
            document = "signature_invalid"
        elif problems:
            document = "altered"
        else:
            document = "intact"
        return pb.PdfVerification(document=document, verification=v, problems=problems)

    async def VerifyBulk(self, request: pb.VerifyBulkRequest, context) -> pb.BulkVerification:
        if len(request.entries) > domain.MAX_BULK_ROWS:
            raise InvalidArgument("too_many_rows", f"a bulk check takes at most {domain.MAX_BULK_ROWS} serials")
        parsed: list[str | None] = []
        for e in request.entries:
            try:
                parsed.append(serials.normalise(e.serial))
            except serials.InvalidSerial:
                parsed.append(None)
        wanted = sorted({s for s in parsed if s})
        rows = {r["serial"]: r for r in await self.pool.fetch(
            f"SELECT {COLUMNS} FROM certificates WHERE serial = ANY($1::text[])", wanted)}
        out, audit = pb.BulkVerification(), []
        for e, serial in zip(request.entries, parsed, strict=True):
            if serial is None:
                out.results.add(input=e.serial, error="invalid_serial")
                continue
            row = rows.get(serial)
            v = self._verification(serial, row)
            match = ""
            if e.surname and row is not None:
                match = "yes" if domain.surname_matches(row["holder_name"], e.surname) else "no"
            out.results.add(input=e.serial, verification=v, surname_match=match)
            audit.append(self._audit_record(serial, v.status, request.verifier, "bulk"))
        if audit:
            await self._audit(audit)
        return out

    async def ListVerifications(self, request: pb.ListVerificationsRequest, context) -> pb.VerificationLog:
        serial = _serial(request.serial)
        rows = await self.pool.fetch(
            "SELECT at, method, status, user_id, client_address FROM verifications WHERE serial = $1 "
            "ORDER BY at DESC, id DESC LIMIT $2", serial, request.limit or 200)
        return pb.VerificationLog(records=[
            pb.VerificationRecord(at=timestamp(r["at"]), method=r["method"], user_id=r["user_id"] or "",
                                  client_address=r["client_address"] or "",
                                  status=STATUS_PB.get(r["status"], pb.CERTIFICATE_STATUS_UNSPECIFIED))
            for r in rows])

    # --- lifecycle (admins) --------------------------------------------------------------------------
    def _reason(self, request) -> str:
        reason = request.reason.strip()
        if not reason:
            raise InvalidArgument("reason_required", "say why: a reason is required")
        return reason

    async def Revoke(self, request: pb.ChangeStatusRequest, context) -> pb.Certificate:
        serial, reason = _serial(request.serial), self._reason(request)
        async with self.pool.acquire() as conn, conn.transaction():
            await self._row(serial, conn)
            if not await revoke(conn, serial, reason, self.clock.now()):
                raise Conflict("already_revoked", "the certificate is revoked already")
            log.info("certificate revoked", extra={"serial": serial, "by": request.admin_user_id})
            return self._message(await self._row(serial, conn))

    async def Suspend(self, request: pb.ChangeStatusRequest, context) -> pb.Certificate:
        serial, reason, now = _serial(request.serial), self._reason(request), self.clock.now()
        async with self.pool.acquire() as conn, conn.transaction():
            await self._row(serial, conn)
            done = await conn.fetchval(
                "UPDATE certificates SET status = 'suspended', suspended_at = $2, suspension_reason = $3 "
                "WHERE serial = $1 AND status = 'valid' RETURNING true", serial, now, reason)
            if not done:
                raise Conflict("not_valid", "only a valid certificate can be suspended")
            await outbox.enqueue(conn, topics.CERTIFICATE_SUSPENDED,
                                 events_pb2.CertificateSuspended(serial=serial, reason=reason, suspended_at=timestamp(now)),
                                 aggregate_id=serial, producer=SERVICE)
            return self._message(await self._row(serial, conn))

    async def Reinstate(self, request: pb.ChangeStatusRequest, context) -> pb.Certificate:
        serial, now = _serial(request.serial), self.clock.now()
        async with self.pool.acquire() as conn, conn.transaction():
            await self._row(serial, conn)
            done = await conn.fetchval(
                "UPDATE certificates SET status = 'valid', suspended_at = NULL, suspension_reason = NULL "
                "WHERE serial = $1 AND status = 'suspended' RETURNING true", serial)
            if not done:
                raise Conflict("not_suspended", "only a suspended certificate can be reinstated")
            await outbox.enqueue(conn, topics.CERTIFICATE_REINSTATED,
                                 events_pb2.CertificateReinstated(serial=serial, reinstated_at=timestamp(now)),
                                 aggregate_id=serial, producer=SERVICE)
            return self._message(await self._row(serial, conn))

    async def Reissue(self, request: pb.ReissueRequest, context) -> pb.Certificate:
        """A corrected name: a new certificate (same result, dates and expiry) and the old one revoked, linked."""
        serial, reason = _serial(request.serial), self._reason(request)
        name = " ".join(request.holder_name.split())
        if not name:
            raise InvalidArgument("holder_name_required", "give the corrected name")
        old = await self._row(serial)
        if old["status"] == domain.REVOKED:
            raise Conflict("already_revoked", "a revoked certificate cannot be reissued")
        issue = Issue(old["attempt_id"], old["result_id"], old["exam_id"], old["exam_title"], old["holder_user_id"],
                      name, old["score_percent"], self.clock.now(), old["expires_at"], old["language"],
                      tuple(pdf.CompetenceLine(c["competence"], c["percent"]) for c in json.loads(old["competences"])))
        made = self.issuer.prepare(issue)
        async with self.pool.acquire() as conn, conn.transaction():
            await self.issuer.insert(conn, issue, made, replaces=serial)
            if not await revoke(conn, serial, f"reissued: {reason}", self.clock.now(), replaced_by=made["serial"]):
                raise Conflict("already_revoked", "the certificate was revoked meanwhile")
            return self._message(await self._row(made["serial"], conn))
