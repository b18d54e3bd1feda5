"""Reading the register: a certificate, an attempt's, a holder's, its PDF, the public keys (the Open Badge: badges.py)."""
from __future__ import annotations

import asyncpg

from gramota.shared.clock import Clock
from gramota.shared.errors import Conflict, NotFound, parse_uuid_or_not_found
from gramota.shared.grpc_runtime import ensure_admin, identity

from . import repository, serials
from .issuing import Issuer
from .lifecycle import existing
from .rendering import Pages, render_now


def only_holder(row: asyncpg.Record | None, serial: str) -> asyncpg.Record:
    """Defense in depth: a candidate reaches only their own certificates; someone else's looks missing."""
    who = identity.get()
    if row is None or (who is not None and who.role == "candidate" and row["holder_user_id"] != who.user_id):
        raise NotFound("certificate_not_found", f"no certificate {serials.display(serial)}")
    return row


class Reading:
    def __init__(self, pool: asyncpg.Pool, clock: Clock, issuer: Issuer | None, pages: Pages | None) -> None:
        self.pool = pool
        self.clock = clock
        self.issuer = issuer
        self.pages = pages

    async def get(self, serial: str) -> asyncpg.Record:
        return only_holder(await existing(self.pool, serial), serial)

    async def of_attempt(self, attempt_id: str) -> asyncpg.Record:
        row = await repository.latest_of_attempt(self.pool, parse_uuid_or_not_found(attempt_id, "certificate"))
        if row is None:
            raise NotFound("certificate_not_found", f"no certificate for attempt {attempt_id}")
        return row

    async def of_holder(self, holder_user_id: str) -> list[asyncpg.Record]:
        who = identity.get()
        if who is not None and who.role == "candidate":
            holder = who.user_id
        else:  # someone else's certificates: an admin's personal-data export
            ensure_admin("list the certificates of another holder")
            holder = holder_user_id
        return await repository.of_holder(self.pool, holder)

    async def pdf(self, serial: str) -> tuple[asyncpg.Record, bytes]:
        """The certificate's row and its PDF, rendered now if the renderer has not got to it yet."""
        row = only_holder(await repository.stored_pdf(self.pool, serial), serial)
        content = row["pdf"]
        if content is None:  # not rendered yet: the download renders it now rather than say "not ready"
            if self.pages is None:
                raise Conflict("signing_unavailable", "this replica cannot render certificates")
            content = await render_now(self.pool, self.pages, self.clock, serial)
        return row, bytes(content)

    async def public_keys(self) -> tuple[list[asyncpg.Record], str]:
        """Every key ever used, and the id of the current one."""
        return await repository.signing_keys(self.pool), self.issuer.keys.current.key_id if self.issuer else ""
