"""Certificate PDFs, rendered after issue: a certificate is valid the moment its row is written, and its PDF follows
within a second or two (the background renderer) or at the first download if that comes sooner.

A row without a PDF is pending. The renderer takes the oldest pending rows FOR UPDATE SKIP LOCKED, so replicas
never render the same certificate at once, and a renderer stopped half-way leaves its rows pending for the next
one (the transaction that would have stored them rolls back). A download locks the row without skipping: it waits
for a render under way and then serves that one. Everything on the page comes from the stored row, so it does not
matter which of them renders it.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
from typing import TYPE_CHECKING

import asyncpg
from prometheus_client import Counter, Gauge

from gramota.shared.wakeup import Wakeup, run_woken

if TYPE_CHECKING:
    from .service import Issuer

log = logging.getLogger(__name__)

CHANNEL = "gramota_certificates_pdf"
# what a page is rendered from (Issuer.page_of)
COLUMNS = ("serial, holder_name, exam_title, score_percent, issued_at, expires_at, language, competences, key_id, "
           "payload, signature")
PENDING = Gauge("gramota_certificate_pdf_pending", "Issued certificates whose PDF is not rendered yet")
RENDERED = Counter("gramota_certificate_pdfs_rendered_total", "Certificate PDFs rendered and stored, by what asked",
                   ["trigger"])


async def announce(conn: asyncpg.Connection) -> None:
    """In the issuing transaction: wakes the renderers when it commits."""
    await conn.execute("SELECT pg_notify($1, '')", CHANNEL)


async def _store(conn: asyncpg.Connection, rendered: list[tuple[str, bytes]], now) -> None:
    await conn.executemany(
        "UPDATE certificates SET pdf = $2, pdf_sha256 = $3, rendered_at = $4 WHERE serial = $1 AND pdf IS NULL",
        [(serial, content, hashlib.sha256(content).digest(), now) for serial, content in rendered])


async def render_now(pool: asyncpg.Pool, issuer: Issuer, serial: str) -> bytes:
    """The PDF of one certificate, rendered and stored now unless a renderer got there first."""
    async with pool.acquire() as conn, conn.transaction():
        row = await conn.fetchrow(f"SELECT {COLUMNS}, pdf FROM certificates WHERE serial = $1 FOR UPDATE", serial)
        if row["pdf"] is not None:
            return bytes(row["pdf"])
        content = await issuer.render(row)
        await _store(conn, [(serial, content)], issuer.clock.now())
    RENDERED.labels("download").inc()
    return content


class PdfRenderer:
    """The background task of every certificates replica: renders pending PDFs, oldest first, in small batches."""

    def __init__(self, pool: asyncpg.Pool, issuer: Issuer, *, batch_size: int = 4, idle_seconds: float = 1.0) -> None:
        self.pool = pool
        self.issuer = issuer
        self.batch_size = batch_size
        self.idle_seconds = idle_seconds
        self._failed: set[str] = set()  # rows this process could not render: not retried ahead of the others

    async def run(self) -> None:
        async def once() -> bool:
            return await self.render_batch() >= self.batch_size

        await run_woken(Wakeup(self.pool, CHANNEL), once, idle_seconds=self.idle_seconds, what="certificate rendering")

    async def render_batch(self) -> int:
        """Renders and stores up to batch_size pending PDFs in one transaction; returns how many it took."""
        async with self.pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(
                f"""SELECT {COLUMNS} FROM certificates WHERE pdf IS NULL AND serial <> ALL($2::text[])
                    ORDER BY issued_at LIMIT $1 FOR UPDATE SKIP LOCKED""", self.batch_size, list(self._failed))
            PENDING.set(await conn.fetchval("SELECT count(*) FROM certificates WHERE pdf IS NULL"))
            if not rows:
                return 0
            contents = await asyncio.gather(*(self.issuer.render(r) for r in rows), return_exceptions=True)
            rendered = []
            for row, content in zip(rows, contents, strict=True):
                if isinstance(content, BaseException):
                    self._failed.add(row["serial"])
                    log.error("certificate PDF not rendered; left for a download or a restart",
                              extra={"serial": row["serial"]}, exc_info=content)
                else:
                    rendered.append((row["serial"], content))
            await _store(conn, rendered, self.issuer.clock.now())
        RENDERED.labels("background").inc(len(rendered))
        return len(rows)
