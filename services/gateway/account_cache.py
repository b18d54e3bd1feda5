"""The account behind an access token, cached per gateway process and forgotten the moment it changes.

Every request needs the account (role, scope, disabled, erased) and its login session (revoked): reading them is one
database round trip per request, the biggest part of an answer save after the save itself. Here they are kept in
memory and dropped:

* at once in this process, when one of its routes changes an account or a session (`forget_user`/`forget_session`);
* within milliseconds in every other replica, by a trigger's NOTIFY on `gramota_accounts` (migration 0005);
* while the listening connection is down, nothing is served from memory (and the memory is cleared when it drops,
  since notices may have been missed); and after `ttl` seconds in any case.

A read that overlapped any change is not cached (the generation counter), so a notice that arrives while a request
is reading the old row cannot leave that old row behind.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections import OrderedDict

import asyncpg

log = logging.getLogger(__name__)

CHANNEL = "gramota_accounts"


class AccountCache:
    def __init__(self, ttl: float = 60.0, size: int = 50_000, clock=time.monotonic) -> None:
        self.ttl = ttl
        self.size = size
        self._clock = clock
        self._rows: OrderedDict[tuple[uuid.UUID, uuid.UUID], tuple[float, asyncpg.Record]] = OrderedDict()
        # the sessions kept per user: a notice (one per login, too) forgets a user without scanning every entry
        self._sessions_of: dict[uuid.UUID, set[uuid.UUID]] = {}
        self._user_of: dict[uuid.UUID, uuid.UUID] = {}  # session -> user (a session id belongs to one user)
        self.generation = 0
        self.listening = False

    # --- reading and filling -------------------------------------------------------------------
    def get(self, user_id: uuid.UUID, session_id: uuid.UUID):
        if not self.listening:
            return None
        hit = self._rows.get((user_id, session_id))
        if hit is None:
            return None
        if self._clock() - hit[0] > self.ttl:
            self._drop(user_id, session_id)
            return None
        return hit[1]

    def put(self, user_id: uuid.UUID, session_id: uuid.UUID, row, generation: int) -> None:
        """Keep `row`, read after `generation` was current, unless something changed since."""
        if not self.listening or generation != self.generation:
            return
        self._rows[(user_id, session_id)] = (self._clock(), row)
        self._sessions_of.setdefault(user_id, set()).add(session_id)
        self._user_of[session_id] = user_id
        if len(self._rows) > self.size:
            self._drop(*next(iter(self._rows)))

    def _drop(self, user_id: uuid.UUID, session_id: uuid.UUID) -> None:
        self._rows.pop((user_id, session_id), None)
        if self._user_of.get(session_id) == user_id:
            del self._user_of[session_id]
        sessions = self._sessions_of.get(user_id)
        if sessions is not None:
            sessions.discard(session_id)
            if not sessions:
                del self._sessions_of[user_id]

    # --- forgetting ----------------------------------------------------------------------------
    def forget_user(self, user_id: uuid.UUID | str) -> None:
        uid = uuid.UUID(str(user_id))
        self.generation += 1
        for sid in list(self._sessions_of.get(uid, ())):
            self._drop(uid, sid)

    def forget_session(self, session_id: uuid.UUID | str) -> None:
        sid = uuid.UUID(str(session_id))
        self.generation += 1
        uid = self._user_of.get(sid)
        if uid is not None:
            self._drop(uid, sid)

    def clear(self) -> None:
        self.generation += 1
        self._rows.clear()
        self._sessions_of.clear()
        self._user_of.clear()

    def notice(self, payload: str) -> None:
        kind, _, ident = payload.partition(":")
        try:
            (self.forget_user if kind == "u" else self.forget_session)(ident)
        except ValueError:
            self.clear()  # a notice we cannot read: forget everything rather than guess

    # --- listening -----------------------------------------------------------------------------
    async def listen(self, database_url: str, retry_every: float = 1.0) -> None:
        """Run for the life of the process: listen for change notices, reconnecting after a failure."""
        while True:
            conn = None
            lost = asyncio.Event()
            try:
                conn = await asyncpg.connect(database_url, server_settings={"application_name": "gramota-gateway-accounts"})
                conn.add_termination_listener(lambda _c, lost=lost: self._lost(lost))
                await conn.add_listener(CHANNEL, lambda _c, _pid, _channel, payload: self.notice(payload))
                self.clear()
                self.listening = True
                await lost.wait()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - any failure means: serve from the database until back
                log.warning("account change notices unavailable; reading accounts from the database",
                            extra={"error": type(exc).__name__})
            finally:
                self._lost(lost)
                if conn is not None:
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(conn.close(), timeout=2)
            await asyncio.sleep(retry_every)

    def _lost(self, lost: asyncio.Event) -> None:
        self.listening = False
        self.clear()
        lost.set()
