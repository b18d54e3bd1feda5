"""What administrators do to a certificate: revoke, suspend, reinstate, reissue under a corrected name."""
from __future__ import annotations

import logging

import asyncpg

from gramota.shared.clock import Clock
from gramota.shared.errors import Conflict, InvalidArgument, NotFound

from . import domain, events, repository, serials
from .issuing import Issue, Issuer, revoke

log = logging.getLogger(__name__)


def serial_of(raw: str) -> str:
    """The serial as stored, or INVALID_ARGUMENT."""
    try:
        return serials.normalise(raw)
    except serials.InvalidSerial as exc:
        raise InvalidArgument("invalid_serial", str(exc)) from None


def reason_of(raw: str) -> str:
    reason = raw.strip()
    if not reason:
        raise InvalidArgument("reason_required", "say why: a reason is required")
    return reason


async def existing(conn: asyncpg.Connection | asyncpg.Pool, serial: str) -> asyncpg.Record:
    row = await repository.certificate(conn, serial)
    if row is None:
        raise NotFound("certificate_not_found", f"no certificate {serials.display(serial)}")
    return row


class Lifecycle:
    def __init__(self, pool: asyncpg.Pool, clock: Clock, issuer: Issuer | None) -> None:
        self.pool = pool
        self.clock = clock
        self.issuer = issuer

    async def revoke(self, serial: str, reason: str, by: str) -> asyncpg.Record:
        async with self.pool.acquire() as conn, conn.transaction():
            await existing(conn, serial)
            if not await revoke(conn, serial, reason, self.clock.now()):
                raise Conflict("already_revoked", "the certificate is revoked already")
            log.info("certificate revoked", extra={"serial": serial, "by": by})
            return await existing(conn, serial)

    async def suspend(self, serial: str, reason: str) -> asyncpg.Record:
        now = self.clock.now()
        async with self.pool.acquire() as conn, conn.transaction():
            await existing(conn, serial)
            if not await repository.suspend(conn, serial, reason, now):
                raise Conflict("not_valid", "only a valid certificate can be suspended")
            await events.certificate_suspended(conn, serial, reason, now)
            return await existing(conn, serial)

    async def reinstate(self, serial: str) -> asyncpg.Record:
        now = self.clock.now()
        async with self.pool.acquire() as conn, conn.transaction():
            await existing(conn, serial)
            if not await repository.reinstate(conn, serial):
                raise Conflict("not_suspended", "only a suspended certificate can be reinstated")
            await events.certificate_reinstated(conn, serial, now)
            return await existing(conn, serial)

    async def reissue(self, serial: str, reason: str, holder_name: str) -> asyncpg.Record:
        """A corrected name: a new certificate (same result, dates and expiry) and the old one revoked, linked."""
        name = " ".join(holder_name.split())
        if not name:
            raise InvalidArgument("holder_name_required", "give the corrected name")
        old = await existing(self.pool, serial)
        if old["status"] == domain.REVOKED:
            raise Conflict("already_revoked", "a revoked certificate cannot be reissued")
        issue = Issue.reissue_of(old, name, self.clock.now())
        signed = self.issuer.sign(issue)
        async with self.pool.acquire() as conn, conn.transaction():
            await self.issuer.issue(conn, issue, signed, replaces=serial)
            if not await revoke(conn, serial, f"reissued: {reason}", self.clock.now(), replaced_by=signed.serial):
                raise Conflict("already_revoked", "the certificate was revoked meanwhile")
            return await existing(conn, signed.serial)
