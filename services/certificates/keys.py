"""The key ring: the current signing key and the public halves of every key ever used (from signing_keys)."""
from __future__ import annotations

import logging

import asyncpg

from . import pades, repository
from .signing import SigningKey

log = logging.getLogger(__name__)


class KeyRing:
    def __init__(self, pool: asyncpg.Pool, current: SigningKey, chain: pades.Chain | None = None) -> None:
        self.pool = pool
        self.current = current
        self.chain = chain  # the X.509 chain the current key signs PDFs with (PAdES)
        self._public: dict[str, bytes] = {current.key_id: current.public_raw}

    @classmethod
    async def load(cls, pool: asyncpg.Pool, secret: str | None) -> KeyRing:
        """The configured key (its public half recorded), else the development key kept in the database."""
        async with pool.acquire() as conn, conn.transaction():
            await repository.lock_signing_keys(conn)
            if secret:
                key = SigningKey.from_secret(secret)
                seed = None
            else:
                seed = await repository.kept_development_seed(conn)
                key = SigningKey.from_secret(seed) if seed else SigningKey.generate()
                if not seed:
                    log.warning("no CERT_SIGNING_KEY: generated a development signing key and kept it in the database")
                seed = key.seed()
            await repository.record_key(conn, key.key_id, key.public_raw, seed)
            stored = await repository.pdf_chain(conn, key.key_id)
            if stored is None:
                chain = pades.issue_chain(key)
                await repository.record_pdf_chain(conn, key.key_id, chain.signing_cert, chain.ca_cert)
            else:
                chain = pades.with_key(key, *stored)
        log.info("signing with key", extra={"key_id": key.key_id})
        return cls(pool, key, chain)

    async def pdf_cas(self) -> list[bytes]:
        """The issuer CA certificate of every key ever used: what an uploaded PDF's signature may chain to."""
        return await repository.pdf_cas(self.pool)

    async def public(self, kid: str) -> bytes | None:
        if kid not in self._public:
            raw = await repository.public_key(self.pool, kid)
            if raw is None:
                return None
            self._public[kid] = raw
        return self._public[kid]
