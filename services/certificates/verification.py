"""Verification: by serial (and the QR's signature), of an uploaded PDF, of many serials at once; each check kept in
the verification log."""
from __future__ import annotations

import asyncio
import hashlib
import io
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

import asyncpg

from gramota.shared.clock import Clock
from gramota.shared.errors import Conflict, InvalidArgument

from . import domain, pades, pdf, repository, serials, signing
from .keys import KeyRing


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


@dataclass
class Checked:
    """One verification: the serial as stored, its row (None: not in the register), its status at the time of the
    check, and the signature's check when one was given."""

    serial: str
    row: asyncpg.Record | None
    status: str
    signature_checked: bool = False
    signature_valid: bool = False


@dataclass
class PdfChecked:
    document: str  # authentic, intact, altered, signature_invalid or not_a_certificate
    checked: Checked | None = None
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Verifier:
    """Who checks, as the log keeps it."""

    method: str = ""
    user_id: str = ""
    client_address: str = ""


class Verification:
    def __init__(self, pool: asyncpg.Pool, clock: Clock, keys: KeyRing | None) -> None:
        self.pool = pool
        self.clock = clock
        self.keys = keys
        self._threads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pdf")  # reading uploads off the loop

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)

    def _checked(self, serial: str, row: asyncpg.Record | None) -> Checked:
        status = domain.status_at(row["status"], row["expires_at"], self.clock.now()) if row is not None \
            else domain.UNKNOWN
        return Checked(serial, row, status)

    async def _log(self, checks: list[tuple[Checked, Verifier, str]]) -> None:
        await repository.record_verifications(self.pool, [
            (self.clock.now(), c.serial, who.method or method, c.status, who.user_id or None, who.client_address or None)
            for c, who, method in checks])

    async def _signature_valid(self, kid: str, payload: bytes | None, signature: bytes) -> bool:
        public = await self.keys.public(kid) if self.keys else None
        return bool(public and payload and signing.verify(public, bytes(payload), signature))

    async def verify(self, serial: str, key_id: str, signature: str, who: Verifier) -> Checked:
        c = self._checked(serial, await repository.certificate(self.pool, serial))
        if signature and c.row is not None:
            try:
                sig = signing.unb64url(signature)
            except ValueError:
                sig = b""
            c.signature_checked = True
            c.signature_valid = await self._signature_valid(key_id, c.row["payload"], sig)
        await self._log([(c, who, "qr" if signature else "serial")])
        return c

    async def verify_pdf(self, content: bytes, who: Verifier) -> PdfChecked:
        if not self.keys:
            raise Conflict("signing_unavailable", "this replica cannot verify files")
        try:
            token, text = await asyncio.get_running_loop().run_in_executor(self._threads, read_pdf, content)
        except Exception:
            raise InvalidArgument("not_a_pdf", "the file is not a readable PDF") from None
        # the PAdES signature: any change to the file after signing, text laid on top included, shows here
        sealed = await asyncio.get_running_loop().run_in_executor(self._threads, pades.check, content,
                                                                  await self.keys.pdf_cas())
        try:
            kid, payload, raw, sig = signing.parse_token(token)
        except (ValueError, KeyError, json.JSONDecodeError):
            return PdfChecked("not_a_certificate", problems=["no_signed_data"])
        problems: list[str] = []
        public = await self.keys.public(kid)
        if public is None or not signing.verify(public, raw, sig):
            problems.append("signature_invalid")
        try:
            serial = serials.normalise(payload.serial)
        except serials.InvalidSerial:
            return PdfChecked("signature_invalid", problems=problems or ["serial_invalid"])
        row = await repository.certificate(self.pool, serial)
        c = self._checked(serial, row)
        c.signature_checked = True
        c.signature_valid = not problems
        if row is None:
            problems.append("not_in_register")
        else:
            if row["pdf_sha256"] is not None and bytes(row["pdf_sha256"]) == hashlib.sha256(content).digest():
                await self._log([(c, who, "pdf")])
                return PdfChecked("authentic", c)
            if row["payload"] is not None and bytes(row["payload"]) != raw:
                problems.append("register_differs")
            problems += sealed.problems
            flat = _squash(text)
            for label, value in (("name", payload.holder), ("exam", payload.exam),
                                 ("serial", serials.display(serial)),
                                 ("score", pdf.percent(payload.score_centi / 100, row["language"]))):
                if _squash(value) not in flat:
                    problems.append(f"{label}_differs")
        await self._log([(c, who, "pdf")])
        if not c.signature_valid:
            document = "signature_invalid"
        elif problems:
            document = "altered"
        else:
            document = "intact"
        return PdfChecked(document, c, problems)

    async def verify_bulk(self, entries: list[tuple[str, str]], who: Verifier) -> list[tuple[str, Checked | None, str]]:
        """Each (serial as given, surname or "") checked: (input, its check or None for a malformed serial, whether
        the surname matches: "yes", "no" or "" when none was given)."""
        if len(entries) > domain.MAX_BULK_ROWS:
            raise InvalidArgument("too_many_rows", f"a bulk check takes at most {domain.MAX_BULK_ROWS} serials")
        parsed: list[str | None] = []
        for raw, _ in entries:
            try:
                parsed.append(serials.normalise(raw))
            except serials.InvalidSerial:
                parsed.append(None)
        rows = await repository.certificates(self.pool, sorted({s for s in parsed if s}))
        out, logged = [], []
        for (raw, surname), serial in zip(entries, parsed, strict=True):
            if serial is None:
                out.append((raw, None, ""))
                continue
            c = self._checked(serial, rows.get(serial))
            match = ""
            if surname and c.row is not None:
                match = "yes" if domain.surname_matches(c.row["holder_name"], surname) else "no"
            out.append((raw, c, match))
            logged.append((c, who, "bulk"))
        if logged:
            await self._log(logged)
        return out

    async def log(self, serial: str, limit: int, *, cursor: str = "", method: str = "", since: datetime | None = None,
                  until: datetime | None = None) -> tuple[list[asyncpg.Record], str, dict[str, int]]:
        """Who checked a certificate, newest first, a page at a time (a cursor, so a page never repeats or skips as
        new checks arrive), by method and period: (the page, the next page's cursor or "", counts by method over
        the period)."""
        limit = limit or 200
        if not 1 <= limit <= 1000:
            raise InvalidArgument("invalid_page", "limit must be 1..1000")
        if method and method not in domain.VERIFY_METHODS:
            raise InvalidArgument("invalid_method", f"method must be one of {', '.join(domain.VERIFY_METHODS)}")
        after = domain.parse_cursor(cursor) if cursor else None
        async with self.pool.acquire() as conn:
            rows = await repository.verifications(conn, serial, limit + 1, method=method, since=since, until=until,
                                                  after=after)
            counts = await repository.verification_counts(conn, serial, since, until)
        more = len(rows) > limit
        rows = rows[:limit]
        return rows, domain.cursor_of(rows[-1]["at"], rows[-1]["id"]) if more else "", counts
