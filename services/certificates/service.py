"""Certificates: the `result scored` handler that issues PDFs, reads, and public verification."""
from __future__ import annotations

import asyncio
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor

import asyncpg
from prometheus_client import Histogram

from gramota.contracts.certificates.v1 import certificates_pb2 as pb
from gramota.contracts.certificates.v1 import certificates_pb2_grpc
from gramota.contracts.events.v1 import events_pb2
from gramota.shared import outbox, topics
from gramota.shared.clock import Clock
from gramota.shared.consumer import Delivery
from gramota.shared.errors import InvalidArgument, NotFound, parse_uuid_or_not_found
from gramota.shared.events import timestamp

from . import pdf, serials

SERVICE = "certificates"
log = logging.getLogger(__name__)

RENDER_SECONDS = Histogram("gramota_certificate_render_seconds", "Time to render one certificate PDF")


def verify_url(public_base_url: str, serial: str) -> str:
    return f"{public_base_url.rstrip('/')}/verify/{serials.display(serial)}"


class CertificateIssuing:
    def __init__(self, clock: Clock, public_base_url: str) -> None:
        self.clock = clock
        self.public_base_url = public_base_url
        # ReportLab is blocking: render off the event loop
        self._renderer = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pdf")

    async def render(self, page: pdf.CertificatePage) -> bytes:
        loop = asyncio.get_running_loop()
        with RENDER_SECONDS.time():
            return await loop.run_in_executor(self._renderer, pdf.render, page)

    async def on_result_scored(self, delivery: Delivery) -> None:
        msg: events_pb2.ResultScored = delivery.payload
        if not msg.passed or await delivery.already_processed():
            return
        if await delivery.pool.fetchval("SELECT 1 FROM certificates WHERE attempt_id = $1", uuid.UUID(msg.attempt_id)):
            return  # issued already (the same result announced twice)
        serial = serials.new_serial()
        issued_at = self.clock.now()
        content = await self.render(pdf.CertificatePage(
            serial_display=serials.display(serial), holder_name=msg.candidate.full_name, exam_title=msg.exam_title,
            score_percent=msg.score_percent, issued_at=issued_at, verify_url=verify_url(self.public_base_url, serial),
        ))
        async with delivery.effect() as conn:
            inserted = await conn.fetchval(
                """
                INSERT INTO certificates (serial, attempt_id, result_id, exam_id, exam_title, holder_user_id, holder_name,
                    score_percent, issued_at, pdf)
                VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
                ON CONFLICT (attempt_id) DO NOTHING RETURNING true
                """,
                serial, uuid.UUID(msg.attempt_id), uuid.UUID(msg.result_id), uuid.UUID(msg.exam_id), msg.exam_title,
                msg.candidate.user_id, msg.candidate.full_name, msg.score_percent, issued_at, content,
            )
            if not inserted:
                return
            await outbox.enqueue(
                conn, topics.CERTIFICATE_ISSUED,
                events_pb2.CertificateIssued(serial=serial, attempt_id=msg.attempt_id, exam_id=msg.exam_id,
                                             holder_user_id=msg.candidate.user_id, issued_at=timestamp(issued_at)),
                aggregate_id=serial, producer=SERVICE,
            )
        log.info("certificate issued", extra={"serial": serial, "attempt_id": msg.attempt_id})


def _serial(raw: str) -> str:
    try:
        return serials.normalise(raw)
    except serials.InvalidSerial as exc:
        raise InvalidArgument("invalid_serial", str(exc)) from None


class CertificatesServicer(certificates_pb2_grpc.CertificatesServicer):
    def __init__(self, pool: asyncpg.Pool, clock: Clock) -> None:
        self.pool = pool
        self.clock = clock

    def _status(self, row: asyncpg.Record) -> int:
        if row["status"] == "revoked":
            return pb.CERTIFICATE_STATUS_REVOKED
        if row["expires_at"] is not None and row["expires_at"] <= self.clock.now():
            return pb.CERTIFICATE_STATUS_EXPIRED
        return pb.CERTIFICATE_STATUS_VALID

    def _message(self, row: asyncpg.Record) -> pb.Certificate:
        return pb.Certificate(
            serial=serials.display(row["serial"]), attempt_id=str(row["attempt_id"]), exam_id=str(row["exam_id"]),
            exam_title=row["exam_title"], holder_user_id=row["holder_user_id"], holder_name=row["holder_name"],
            score_percent=row["score_percent"], issued_at=timestamp(row["issued_at"]), status=self._status(row),
        )

    _COLUMNS = "serial, attempt_id, exam_id, exam_title, holder_user_id, holder_name, score_percent, issued_at, " \
               "expires_at, status, revoked_at, revocation_reason"

    async def GetCertificate(self, request: pb.GetCertificateRequest, context) -> pb.Certificate:
        row = await self.pool.fetchrow(f"SELECT {self._COLUMNS} FROM certificates WHERE serial = $1", _serial(request.serial))
        if row is None:
            raise NotFound("certificate_not_found", f"no certificate {request.serial}")
        return self._message(row)

    async def FindByAttempt(self, request: pb.FindByAttemptRequest, context) -> pb.Certificate:
        row = await self.pool.fetchrow(
            f"SELECT {self._COLUMNS} FROM certificates WHERE attempt_id = $1",
            parse_uuid_or_not_found(request.attempt_id, "certificate"),
        )
        if row is None:
            raise NotFound("certificate_not_found", f"no certificate for attempt {request.attempt_id}")
        return self._message(row)

    async def GetPdf(self, request: pb.GetCertificateRequest, context) -> pb.CertificatePdf:
        row = await self.pool.fetchrow(
            "SELECT serial, holder_user_id, pdf FROM certificates WHERE serial = $1", _serial(request.serial)
        )
        if row is None:
            raise NotFound("certificate_not_found", f"no certificate {request.serial}")
        return pb.CertificatePdf(serial=serials.display(row["serial"]), content=bytes(row["pdf"]),
                                 holder_user_id=row["holder_user_id"])

    async def Verify(self, request: pb.VerifyRequest, context) -> pb.Verification:
        serial = _serial(request.serial)
        row = await self.pool.fetchrow(f"SELECT {self._COLUMNS} FROM certificates WHERE serial = $1", serial)
        if row is None:
            return pb.Verification(status=pb.CERTIFICATE_STATUS_UNKNOWN, serial=serials.display(serial))
        return pb.Verification(
            status=self._status(row), serial=serials.display(serial), holder_name=row["holder_name"],
            exam_title=row["exam_title"], issued_at=timestamp(row["issued_at"]),
            revoked_at=timestamp(row["revoked_at"]) if row["revoked_at"] else None,
            revocation_reason=row["revocation_reason"] or "",
        )
