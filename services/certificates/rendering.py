"""Certificate PDFs, rendered after issue: a certificate is valid the moment its row is written, and its PDF follows
within a second or two (the background renderer) or at the first download if that comes sooner.

A row without a PDF is pending. The renderer takes the oldest pending rows FOR UPDATE SKIP LOCKED, so replicas
never render the same certificate at once, and a renderer stopped half-way leaves its rows pending for the next
one (the transaction that would have stored them rolls back). A download locks the row without skipping: it waits
for a render under way and then serves that one. Everything on the page comes from the stored row, so it does not
matter which of them renders it.

Rendering (pure-Python ReportLab, CPU-bound) runs in a process of its own at a lower priority (`Pages`), so it
neither holds the service's GIL (which starved the consumer that issues certificates) nor takes the processor from
interactive work.
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import asyncpg
from prometheus_client import Counter, Gauge, Histogram

from gramota.shared.clock import Clock
from gramota.shared.wakeup import Wakeup, run_woken

from . import pades, pdf, repository, serials, signing

log = logging.getLogger(__name__)

RENDER_NICENESS = 10
RENDER_SECONDS = Histogram("gramota_certificate_render_seconds", "Time to render one certificate PDF")
PENDING = Gauge("gramota_certificate_pdf_pending", "Issued certificates whose PDF is not rendered yet")
RENDERED = Counter("gramota_certificate_pdfs_rendered_total", "Certificate PDFs rendered and stored, by what asked",
                   ["trigger"])


def verify_url(public_base_url: str, serial: str, kid: str = "", signature: bytes = b"") -> str:
    """What the QR opens: the verify page for the serial, carrying the key id and the signature to check."""
    url = f"{public_base_url.rstrip('/')}/verify/{serials.display(serial)}"
    return f"{url}?k={kid}&s={signing.b64url(signature)}" if kid else url


_signer: pades.Signer | None = None  # the render process's PAdES signer, built once when the process starts


def _render_timed(page: pdf.CertificatePage) -> tuple[bytes, float]:
    """In the render process: the signed PDF and the seconds rendering and signing took (not the queue's wait)."""
    started = time.perf_counter()
    content = pdf.render(page)
    if _signer is not None:
        content = _signer.sign(content)
    return content, time.perf_counter() - started


def _render_process_started(chain: pades.Chain | None = None) -> None:
    global _signer
    # rendering is background work: it yields the processor to answer saves, scoring and issuing
    os.nice(RENDER_NICENESS)
    pdf.register_fonts()
    _signer = pades.Signer(chain) if chain is not None else None
    # when the service is killed -9 (and its supervisor starts a new one) nothing tells this process: without this
    # watch it stayed behind, one more orphan per crash
    parent = os.getppid()
    threading.Thread(target=_exit_with_parent, args=(parent,), name="parent-watch", daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


class Pages:
    """Renders certificate pages from their stored rows (repository.PAGE_COLUMNS) in the render process."""

    def __init__(self, public_base_url: str, chain: pades.Chain | None = None) -> None:
        self.public_base_url = public_base_url
        self.chain = chain  # what the render process signs the PDFs with (PAdES); None: unsigned
        self._pool: ProcessPoolExecutor | None = None

    def _render_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_render_process_started, initargs=(self.chain,))
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

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
            competences=pdf.competence_lines(repository.competences(row)),
            signed_token=signing.token(bytes(row["payload"]), kid, signature) if signed else "", key_id=kid)

    async def render(self, row: asyncpg.Record) -> bytes:
        """The PDF of a stored certificate, rendered in the render process (started again if it died)."""
        page = self.page_of(row)
        try:
            content, seconds = await asyncio.get_running_loop().run_in_executor(self._render_pool(), _render_timed, page)
        except BrokenProcessPool:
            log.warning("the render process died; starting a new one")
            self._pool = None
            content, seconds = await asyncio.get_running_loop().run_in_executor(self._render_pool(), _render_timed, page)
        RENDER_SECONDS.observe(seconds)
        return content


async def render_now(pool: asyncpg.Pool, pages: Pages, clock: Clock, serial: str) -> bytes:
    """The PDF of one certificate, rendered and stored now unless a renderer got there first."""
    async with pool.acquire() as conn, conn.transaction():
        row = await repository.page_for_download(conn, serial)
        if row["pdf"] is not None:
            return bytes(row["pdf"])
        content = await pages.render(row)
        await repository.store_pdfs(conn, [(serial, content)], clock.now())
    RENDERED.labels("download").inc()
    return content


class PdfRenderer:
    """The background task of every certificates replica: renders pending PDFs, oldest first, in small batches."""

    def __init__(self, pool: asyncpg.Pool, pages: Pages, clock: Clock, *, batch_size: int = 4,
                 idle_seconds: float = 1.0) -> None:
        self.pool = pool
        self.pages = pages
        self.clock = clock
        self.batch_size = batch_size
        self.idle_seconds = idle_seconds
        self._failed: set[str] = set()  # rows this process could not render: not retried ahead of the others

    async def run(self) -> None:
        async def once() -> bool:
            return await self.render_batch() >= self.batch_size

        await run_woken(Wakeup(self.pool, repository.CHANNEL), once, idle_seconds=self.idle_seconds,
                        what="certificate rendering")

    async def render_batch(self) -> int:
        """Renders and stores up to batch_size pending PDFs in one transaction; returns how many it took."""
        async with self.pool.acquire() as conn, conn.transaction():
            rows = await repository.pending_pages(conn, self.batch_size, list(self._failed))
            PENDING.set(await repository.pending_count(conn))
            if not rows:
                return 0
            contents = await asyncio.gather(*(self.pages.render(r) for r in rows), return_exceptions=True)
            rendered = []
            for row, content in zip(rows, contents, strict=True):
                if isinstance(content, BaseException):
                    self._failed.add(row["serial"])
                    log.error("certificate PDF not rendered; left for a download or a restart",
                              extra={"serial": row["serial"]}, exc_info=content)
                else:
                    rendered.append((row["serial"], content))
            await repository.store_pdfs(conn, rendered, self.clock.now())
        RENDERED.labels("background").inc(len(rendered))
        return len(rows)
