"""What certificates publishes: `certificate issued/revoked/suspended/reinstated`, for systems outside Gramota
(README, "Events for other systems"), through the outbox in the caller's transaction. What it consumes, `result
scored` and `result rescored`, is handled by issuing.CertificateIssuing."""
from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from gramota.contracts.events.v1 import events_pb2
from gramota.shared import outbox, topics
from gramota.shared.events import timestamp

SERVICE = "certificates"


async def certificate_issued(conn: asyncpg.Connection, serial: str, attempt_id: uuid.UUID, exam_id: uuid.UUID,
                             holder_user_id: str, issued_at: datetime) -> None:
    await outbox.enqueue(conn, topics.CERTIFICATE_ISSUED,
                         events_pb2.CertificateIssued(serial=serial, attempt_id=str(attempt_id), exam_id=str(exam_id),
                                                      holder_user_id=holder_user_id, issued_at=timestamp(issued_at)),
                         aggregate_id=serial, producer=SERVICE)


async def certificate_revoked(conn: asyncpg.Connection, serial: str, reason: str, at: datetime) -> None:
    await outbox.enqueue(conn, topics.CERTIFICATE_REVOKED,
                         events_pb2.CertificateRevoked(serial=serial, reason=reason, revoked_at=timestamp(at)),
                         aggregate_id=serial, producer=SERVICE)


async def certificate_suspended(conn: asyncpg.Connection, serial: str, reason: str, at: datetime) -> None:
    await outbox.enqueue(conn, topics.CERTIFICATE_SUSPENDED,
                         events_pb2.CertificateSuspended(serial=serial, reason=reason, suspended_at=timestamp(at)),
                         aggregate_id=serial, producer=SERVICE)


async def certificate_reinstated(conn: asyncpg.Connection, serial: str, at: datetime) -> None:
    await outbox.enqueue(conn, topics.CERTIFICATE_REINSTATED,
                         events_pb2.CertificateReinstated(serial=serial, reinstated_at=timestamp(at)),
                         aggregate_id=serial, producer=SERVICE)
