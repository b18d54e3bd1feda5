"""The key ring: the current signing key and the public halves of every key ever used (from signing_keys)."""
from __future__ import annotations

import logging

import asyncpg

from .signing import SigningKey

log = logging.getLogger(__name__)


class KeyRing:
    def __init__(self, pool: asyncpg.Pool, current: SigningKey) -> None:
        self.pool = pool
        self.current = current
        self._public: dict[str, bytes] = {current.key_id: current.public_raw}

    @classmethod
    async def load(cls, pool: asyncpg.Pool, secret: str | None) -> KeyRing:
        """The configured key (its public half recorded), else the development key kept in the database."""
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE")  # replicas starting together
            if secret:
                key = SigningKey.from_secret(secret)
                seed = None
            else:
                seed = await conn.fetchval(
                    "SELECT private_seed FROM signing_keys WHERE private_seed IS NOT NULL ORDER BY created_at DESC LIMIT 1")
                key = SigningKey.from_secret(seed) if seed else SigningKey.generate()
                if not seed:
                    log.warning("no CERT_SIGNING_KEY: generated a development signing key and kept it in the database")
                seed = key.seed()
            await conn.execute(
                "INSERT INTO signing_keys (key_id, public_key, private_seed) VALUES ($1, $2, $3) ON CONFLICT (key_id) DO NOTHING",
                key.key_id, key.public_raw, seed)
        log.info("signing with key", extra={"key_id": key.key_id})
        return cls(pool, key)

    async def public(self, kid: str) -> bytes | None:
        if kid not in self._public:
            raw = await self.pool.fetchval("SELECT public_key FROM signing_keys WHERE key_id = $1", kid)
            if raw is None:
                return None
            self._public[kid] = bytes(raw)
        return self._public[kid]

    async def all_public(self) -> list[asyncpg.Record]:
        return await self.pool.fetch("SELECT key_id, public_key, created_at FROM signing_keys ORDER BY created_at")
