"""Every SQL statement of certificates, each a named function (tables: services/certificates/migrations/)."""
from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime

import asyncpg

Conn = asyncpg.Connection | asyncpg.Pool

# what a certificate is shown and verified from
COLUMNS = ("serial, attempt_id, exam_id, exam_title, holder_user_id, holder_name, score_percent, issued_at, expires_at, "
           "status, revoked_at, revocation_reason, suspended_at, language, competences, key_id, payload, signature, "
           "pdf_sha256, replaces_serial, replaced_by_serial, result_id, status_seq, identity_salt")
# what a page is rendered from (rendering.Pages.page_of)
PAGE_COLUMNS = ("serial, holder_name, exam_title, score_percent, issued_at, expires_at, language, competences, key_id, "
                "payload, signature")
CHANNEL = "gramota_certificates_pdf"  # notified when a certificate is issued: wakes the renderers


def competences(row: asyncpg.Record) -> list[dict]:
    """The stored competence lines: [{"competence": code, "name": name, "percent": p}, ...]."""
    return json.loads(row["competences"])


# --- reading ------------------------------------------------------------------------------------------------------------


async def certificate(conn: Conn, serial: str) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {COLUMNS} FROM certificates WHERE serial = $1", serial)


async def certificates(conn: Conn, serials: list[str]) -> dict[str, asyncpg.Record]:
    return {r["serial"]: r for r in await conn.fetch(
        f"SELECT {COLUMNS} FROM certificates WHERE serial = ANY($1::text[])", serials)}


async def latest_of_attempt(conn: Conn, attempt_id: uuid.UUID) -> asyncpg.Record | None:
    """The attempt's certificate: the newest one not revoked, else the newest."""
    return await conn.fetchrow(
        f"SELECT {COLUMNS} FROM certificates WHERE attempt_id = $1 ORDER BY (status = 'revoked'), issued_at DESC LIMIT 1",
        attempt_id)


async def of_holder(conn: Conn, holder_user_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(f"SELECT {COLUMNS} FROM certificates WHERE holder_user_id = $1 ORDER BY issued_at DESC",
                            holder_user_id)


async def issued_for(conn: Conn, attempt_id: uuid.UUID) -> bool:
    return bool(await conn.fetchval("SELECT 1 FROM certificates WHERE attempt_id = $1", attempt_id))


async def newest_serial(conn: Conn, attempt_id: uuid.UUID, *, live: bool) -> str | None:
    """The serial of the attempt's newest certificate (`live`: of those not revoked)."""
    return await conn.fetchval(
        "SELECT serial FROM certificates WHERE attempt_id = $1" + (" AND status <> 'revoked'" if live else "")
        + " ORDER BY issued_at DESC LIMIT 1", attempt_id)


async def live_of_attempt(conn: Conn, attempt_id: uuid.UUID) -> asyncpg.Record | None:
    """The attempt's newest certificate that is not revoked."""
    return await conn.fetchrow(f"SELECT {COLUMNS} FROM certificates WHERE attempt_id = $1 AND status <> 'revoked'"
                               " ORDER BY issued_at DESC LIMIT 1", attempt_id)


async def stored_pdf(conn: Conn, serial: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT serial, holder_user_id, pdf FROM certificates WHERE serial = $1", serial)


async def signing_keys(conn: Conn) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT key_id, public_key, created_at FROM signing_keys ORDER BY created_at")


async def last_status_seq(conn: Conn) -> int | None:
    """The highest place in the status lists given so far (None before the first certificate)."""
    return await conn.fetchval("SELECT max(status_seq) FROM certificates")


async def status_seqs(conn: Conn, first: int, end: int, status: str) -> list[int]:
    """The places in [first, end) of the certificates whose stored status is `status`."""
    rows = await conn.fetch("SELECT status_seq FROM certificates WHERE status_seq >= $1 AND status_seq < $2 "
                            "AND status = $3", first, end, status)
    return [r["status_seq"] for r in rows]


async def exam_title(conn: Conn, exam_id: uuid.UUID) -> str | None:
    """The title an exam's latest certificate states (None: no certificate names the exam)."""
    return await conn.fetchval(
        "SELECT exam_title FROM certificates WHERE exam_id = $1 ORDER BY issued_at DESC LIMIT 1", exam_id)


# --- writing ------------------------------------------------------------------------------------------------------------


async def insert(conn: asyncpg.Connection, serial: str, attempt_id: uuid.UUID, result_id: uuid.UUID,
                 exam_id: uuid.UUID, exam_title: str, holder_user_id: str, holder_name: str, score_percent: float,
                 issued_at: datetime, expires_at: datetime | None, language: str, competence_lines: list[dict],
                 key_id: str, payload: bytes, signature: bytes, replaces: str | None) -> bool:
    """A new certificate; False when the attempt has one already (unless it `replaces` one); wakes the renderers."""
    on_conflict = "" if replaces else "ON CONFLICT (attempt_id) WHERE replaces_serial IS NULL DO NOTHING"
    inserted = await conn.fetchval(
        f"""
        INSERT INTO certificates (serial, attempt_id, result_id, exam_id, exam_title, holder_user_id, holder_name,
            score_percent, issued_at, expires_at, language, competences, key_id, payload, signature, replaces_serial)
        VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16) {on_conflict} RETURNING true
        """,
        serial, attempt_id, result_id, exam_id, exam_title, holder_user_id, holder_name, score_percent, issued_at,
        expires_at, language, json.dumps(competence_lines, ensure_ascii=False), key_id, payload, signature, replaces,
    )
    if inserted:
        await conn.execute("SELECT pg_notify($1, '')", CHANNEL)  # delivered at commit
    return bool(inserted)


async def revoke(conn: asyncpg.Connection, serial: str, reason: str, at: datetime, replaced_by: str | None) -> bool:
    return bool(await conn.fetchval(
        """UPDATE certificates SET status = 'revoked', revoked_at = $2, revocation_reason = $3,
               replaced_by_serial = COALESCE($4, replaced_by_serial)
           WHERE serial = $1 AND status <> 'revoked' RETURNING true""", serial, at, reason, replaced_by))


async def suspend(conn: asyncpg.Connection, serial: str, reason: str, at: datetime) -> bool:
    return bool(await conn.fetchval(
        "UPDATE certificates SET status = 'suspended', suspended_at = $2, suspension_reason = $3 "
        "WHERE serial = $1 AND status = 'valid' RETURNING true", serial, at, reason))


async def reinstate(conn: asyncpg.Connection, serial: str) -> bool:
    return bool(await conn.fetchval(
        "UPDATE certificates SET status = 'valid', suspended_at = NULL, suspension_reason = NULL "
        "WHERE serial = $1 AND status = 'suspended' RETURNING true", serial))


# --- verifications ------------------------------------------------------------------------------------------------------


async def record_verifications(conn: Conn, records: list[tuple]) -> None:
    """Each (at, serial, method, status, user_id, client_address)."""
    await conn.copy_records_to_table("verifications", records=records,
                                     columns=["at", "serial", "method", "status", "user_id", "client_address"])


_PERIOD = "serial = $1 AND ($2::timestamptz IS NULL OR at >= $2) AND ($3::timestamptz IS NULL OR at < $3)"


async def verifications(conn: Conn, serial: str, limit: int, *, method: str = "", since: datetime | None = None,
                        until: datetime | None = None, after: tuple[datetime, int] | None = None) -> list[asyncpg.Record]:
    """A page of the certificate's checks, newest first, after the (at, id) of the previous page's last one."""
    return await conn.fetch(
        f"SELECT id, at, method, status, user_id, client_address FROM verifications WHERE {_PERIOD}"
        " AND ($4 = '' OR method = $4) AND ($5::timestamptz IS NULL OR (at, id) < ($5::timestamptz, $6::bigint))"
        " ORDER BY at DESC, id DESC LIMIT $7",
        serial, since, until, method, after[0] if after else None, after[1] if after else 0, limit)


async def verification_counts(conn: Conn, serial: str, since: datetime | None,
                              until: datetime | None) -> dict[str, int]:
    """The certificate's checks by method within the period."""
    rows = await conn.fetch(f"SELECT method, count(*) AS n FROM verifications WHERE {_PERIOD} GROUP BY method",
                            serial, since, until)
    return {r["method"]: r["n"] for r in rows}


# --- PDFs ---------------------------------------------------------------------------------------------------------------


async def page_for_download(conn: asyncpg.Connection, serial: str) -> asyncpg.Record:
    """The certificate's page columns and its PDF, locked (waits for a render under way)."""
    return await conn.fetchrow(f"SELECT {PAGE_COLUMNS}, pdf FROM certificates WHERE serial = $1 FOR UPDATE", serial)


async def pending_pages(conn: asyncpg.Connection, limit: int, skip: list[str]) -> list[asyncpg.Record]:
    """The oldest certificates without a PDF (but `skip`), locked, skipping those another renderer holds."""
    return await conn.fetch(
        f"""SELECT {PAGE_COLUMNS} FROM certificates WHERE pdf IS NULL AND serial <> ALL($2::text[])
            ORDER BY issued_at LIMIT $1 FOR UPDATE SKIP LOCKED""", limit, skip)


async def pending_count(conn: Conn) -> int:
    return await conn.fetchval("SELECT count(*) FROM certificates WHERE pdf IS NULL")


async def store_pdfs(conn: asyncpg.Connection, rendered: list[tuple[str, bytes]], at: datetime) -> None:
    """Each (serial, PDF) with its SHA-256, unless a PDF is stored already."""
    await conn.executemany(
        "UPDATE certificates SET pdf = $2, pdf_sha256 = $3, rendered_at = $4 WHERE serial = $1 AND pdf IS NULL",
        [(serial, content, hashlib.sha256(content).digest(), at) for serial, content in rendered])


# --- signing keys -------------------------------------------------------------------------------------------------------


async def lock_signing_keys(conn: asyncpg.Connection) -> None:
    """Replicas starting together record their key one after the other."""
    await conn.execute("LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE")


async def kept_development_seed(conn: Conn) -> str | None:
    return await conn.fetchval(
        "SELECT private_seed FROM signing_keys WHERE private_seed IS NOT NULL ORDER BY created_at DESC LIMIT 1")


async def record_key(conn: Conn, key_id: str, public_key: bytes, private_seed: str | None) -> None:
    await conn.execute(
        "INSERT INTO signing_keys (key_id, public_key, private_seed) VALUES ($1, $2, $3) ON CONFLICT (key_id) DO NOTHING",
        key_id, public_key, private_seed)


async def pdf_chain(conn: Conn, key_id: str) -> tuple[bytes, bytes] | None:
    """(signing certificate, CA certificate) of the key's PDF signing chain, DER."""
    row = await conn.fetchrow("SELECT signing_cert, ca_cert FROM pdf_signing_chains WHERE key_id = $1", key_id)
    return (bytes(row["signing_cert"]), bytes(row["ca_cert"])) if row else None


async def record_pdf_chain(conn: Conn, key_id: str, signing_cert: bytes, ca_cert: bytes) -> None:
    await conn.execute("INSERT INTO pdf_signing_chains (key_id, signing_cert, ca_cert) VALUES ($1, $2, $3)",
                       key_id, signing_cert, ca_cert)


async def pdf_cas(conn: Conn) -> list[bytes]:
    return [bytes(r["ca_cert"]) for r in await conn.fetch("SELECT ca_cert FROM pdf_signing_chains")]


async def public_key(conn: Conn, key_id: str) -> bytes | None:
    raw = await conn.fetchval("SELECT public_key FROM signing_keys WHERE key_id = $1", key_id)
    return bytes(raw) if raw is not None else None
