"""Password hashes: Argon2id, computed off the event loop."""
from __future__ import annotations

import asyncio
import uuid

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

# Argon2id at the cost the OWASP Password Storage Cheat Sheet recommends (m = 19 MiB, t = 2, p = 1): on this 2-core
# machine ~2.5x the logins per core of argon2-cffi's default (RFC 9106's low-memory profile: 64 MiB, t = 3, p = 4),
# which let a hall of 1,000 officials in at 7 a second. Hashes made at another cost still verify (the cost is written
# in each hash) and are replaced at the account's next good login (`needs_rehash`).
ARGON2_TIME_COST, ARGON2_MEMORY_KIB, ARGON2_PARALLELISM = 2, 19 * 1024, 1
_hasher = PasswordHasher(time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_PARALLELISM,
                         hash_len=32, salt_len=16, type=Type.ID)
# an account created without a password (bulk import): no password verifies against it
NO_PASSWORD = "!"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made at another cost (or variant) than today's: rehash it at the next good login."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except (InvalidHashError, ValueError):
        return False


async def hash_password_off_loop(password: str) -> str:
    # Argon2 is deliberately slow (tens of ms): never on the event loop
    return await asyncio.to_thread(hash_password, password)


async def verify_password_off_loop(stored_hash: str, password: str) -> bool:
    return await asyncio.to_thread(verify_password, stored_hash, password)


# a hash to verify against when the user does not exist, so timing does not reveal which usernames exist
DUMMY_HASH = hash_password(str(uuid.uuid4()))
