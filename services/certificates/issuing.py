"""Issuing: what a certificate states (`Issue`), signed (`Issuer.sign`) and written with its `certificate issued` event
(`Issuer.issue`); its PDF follows (rendering.py)."""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, replace
from datetime import datetime

import asyncpg

from gramota.contracts.events.v1 import events_pb2
from gramota.shared.clock import Clock
from gramota.shared.consumer import Delivery

from . import domain, events, pdf, repository, serials, signing
from .keys import KeyRing

log = logging.getLogger(__name__)


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
                   tuple(pdf.CompetenceLine(s.name or s.competence or s.area, s.percent, s.competence or s.area)
                         for s in msg.subscores))

    @classmethod
    def reissue_of(cls, row: asyncpg.Record, holder_name: str, issued_at: datetime) -> Issue:
        """The same result, dates and expiry as a stored certificate, under a corrected name."""
        return cls(row["attempt_id"], row["result_id"], row["exam_id"], row["exam_title"], row["holder_user_id"],
                   holder_name, row["score_percent"], issued_at, row["expires_at"], row["language"],
                   pdf.competence_lines(repository.competences(row)))


@dataclass(frozen=True)
class Signed:
    """The serial and the signature: all a certificate needs to be valid."""

    serial: str
    payload: bytes
    signature: bytes
    key_id: str


class Issuer:
    """Signs certificates with the current key and writes them with their `certificate issued` event."""

    def __init__(self, clock: Clock, public_base_url: str, keys: KeyRing) -> None:
        self.clock = clock
        self.public_base_url = public_base_url
        self.keys = keys

    def sign(self, issue: Issue) -> Signed:
        serial = serials.new_serial()
        key = self.keys.current
        payload = signing.Payload.of(serial, issue.holder_name, issue.exam_title, issue.issued_at,
                                     issue.score_percent, issue.expires_at).canonical()
        return Signed(serial, payload, key.sign(payload), key.key_id)

    async def issue(self, conn: asyncpg.Connection, issue: Issue, signed: Signed, replaces: str | None = None) -> bool:
        """Write the certificate and announce it, in the caller's transaction; False when the attempt has one
        already (unless it `replaces` one)."""
        inserted = await repository.insert(
            conn, signed.serial, issue.attempt_id, issue.result_id, issue.exam_id, issue.exam_title,
            issue.holder_user_id, issue.holder_name, issue.score_percent, issue.issued_at, issue.expires_at,
            issue.language, [{"competence": c.code or c.name, "name": c.name, "percent": c.percent} for c in issue.competences],
            signed.key_id, signed.payload, signed.signature, replaces)
        if inserted:
            await events.certificate_issued(conn, signed.serial, issue.attempt_id, issue.exam_id, issue.holder_user_id,
                                            issue.issued_at)
            log.info("certificate issued", extra={"serial": signed.serial, "attempt_id": str(issue.attempt_id)})
        return inserted


async def revoke(conn: asyncpg.Connection, serial: str, reason: str, at: datetime,
                 replaced_by: str | None = None) -> bool:
    """Permanent; announced. False when it was revoked already."""
    done = await repository.revoke(conn, serial, reason, at, replaced_by)
    if done:
        await events.certificate_revoked(conn, serial, reason, at)
    return done


class CertificateIssuing:
    """The handlers of the results topic: a pass makes a certificate (once); a rescore may make or revoke one."""

    def __init__(self, issuer: Issuer) -> None:
        self.issuer = issuer

    async def on_result_scored(self, delivery: Delivery) -> None:
        msg: events_pb2.ResultScored = delivery.payload
        if not msg.passed or msg.candidate.erased or await delivery.already_processed():
            return  # an erased candidate's later pass: no name to certify, no account to hand it to
        if msg.practice:  # a practice exam certifies nothing: the pass is remembered as handled, nothing issued
            async with delivery.effect():
                return
        if await repository.issued_for(delivery.pool, uuid.UUID(msg.attempt_id)):
            return  # issued already (the same result announced twice)
        issue = Issue.of_result(msg, self.issuer.clock.now())
        signed = self.issuer.sign(issue)
        async with delivery.effect() as conn:
            await self.issuer.issue(conn, issue, signed)

    async def on_result_rescored(self, delivery: Delivery) -> None:
        """A rescored result moves its certificate: a new pass is certified, a new fail revokes it with the reason,
        a changed score of a pass reissues it (the old one revoked, pointing to the new). Once per event."""
        msg: events_pb2.ResultRescored = delivery.payload
        result = msg.result
        if await delivery.already_processed():
            return
        attempt = uuid.UUID(result.attempt_id)
        live = await repository.live_of_attempt(delivery.pool, attempt)
        why = f"rescored: {msg.reason or 'the key was corrected'}"
        if result.passed and live is None and not result.candidate.erased and not result.practice:
            previous = await repository.newest_serial(delivery.pool, attempt, live=False)
            issue = Issue.of_result(result, self.issuer.clock.now())
            signed = self.issuer.sign(issue)
            async with delivery.effect() as conn:
                await self.issuer.issue(conn, issue, signed, replaces=previous)
        elif not result.passed and live is not None:
            async with delivery.effect() as conn:
                await revoke(conn, live["serial"], f"{why} (the result no longer passes)", self.issuer.clock.now())
        elif (result.passed and live is not None and live["status"] == domain.VALID
              and abs(live["score_percent"] - result.score_percent) > 1e-9):
            # the same pass with another score: a new certificate with the new score, same holder, language, expiry
            issue = replace(Issue.of_result(result, self.issuer.clock.now()), holder_name=live["holder_name"],
                            expires_at=live["expires_at"], language=live["language"])
            signed = self.issuer.sign(issue)
            async with delivery.effect() as conn:
                await self.issuer.issue(conn, issue, signed, replaces=live["serial"])
                await revoke(conn, live["serial"], f"{why} (reissued with {result.score_percent:g} %)",
                             self.issuer.clock.now(), replaced_by=signed.serial)
        else:
            async with delivery.effect():
                pass  # nothing changes for the certificate (or its holder was erased); remember the event
