"""Open Badges: a holder's badge, the Bitstring Status Lists, the issuer's DID document and the achievements, read
from the register (badge.py builds and signs the documents; linked_data.py canonicalises them)."""
from __future__ import annotations

import asyncio
import logging

import asyncpg

from gramota.shared.clock import Clock
from gramota.shared.errors import Conflict, NotFound, parse_uuid_or_not_found

from . import badge, domain, linked_data, repository, serials
from .issuing import Issuer
from .lifecycle import existing
from .reading import only_holder

log = logging.getLogger(__name__)

# which stored status sets a certificate's bit in each Bitstring Status List
LIST_STATUS = {"revocation": domain.REVOKED, "suspension": domain.SUSPENDED}


class Badges:
    def __init__(self, pool: asyncpg.Pool, clock: Clock, issuer: Issuer | None) -> None:
        self.pool = pool
        self.clock = clock
        self.issuer = issuer
        self._lists: dict[tuple[str, int], tuple[frozenset[int], str]] = {}  # the last signed of each list

    def _signer(self) -> Issuer:
        if self.issuer is None:
            raise Conflict("signing_unavailable", "this replica cannot sign")
        try:
            linked_data.contexts()
        except linked_data.ContextsMissing as exc:
            log.error("no JSON-LD contexts", extra={"error": str(exc)})
            raise Conflict("contexts_missing", "the JSON-LD contexts are not installed on this replica") from None
        return self.issuer

    async def _sign(self, doc: dict, created) -> dict:
        issuer = self._signer()
        did = badge.did_web(issuer.public_base_url)
        # canonicalisation is pure Python (~15 ms): off the event loop
        return await asyncio.to_thread(badge.sign, doc, issuer.keys.current, did, created)

    async def badge(self, serial: str) -> tuple[asyncpg.Record, str]:
        """The certificate as a signed Open Badges 3.0 credential (JSON)."""
        row = only_holder(await existing(self.pool, serial), serial)
        base = self._signer().public_base_url
        doc = badge.credential(base_url=base, serial_display=serials.display(row["serial"]),
                               holder_name=row["holder_name"], identity_salt=row["identity_salt"],
                               exam_id=str(row["exam_id"]), exam_title=row["exam_title"],
                               score_percent=row["score_percent"], issued_at=row["issued_at"],
                               expires_at=row["expires_at"], status_seq=row["status_seq"])
        return row, badge.dumps(await self._sign(doc, row["issued_at"]))

    async def status_list(self, purpose: str, list_no: int) -> str:
        """A signed status list credential; signed again only when one of its bits changed."""
        stored = LIST_STATUS.get(purpose)
        last = await repository.last_status_seq(self.pool)
        if stored is None or not 0 <= list_no <= (last or 0) // badge.LIST_SIZE:
            raise NotFound("status_list_not_found", f"no {purpose or '?'} status list {list_no}")
        first = list_no * badge.LIST_SIZE
        seqs = await repository.status_seqs(self.pool, first, first + badge.LIST_SIZE, stored)
        bits = frozenset(badge.status_position(seq)[1] for seq in seqs)
        cached = self._lists.get((purpose, list_no))
        if cached is None or cached[0] != bits:
            now = self.clock.now()
            doc = badge.status_list_credential(self._signer().public_base_url, purpose, list_no, set(bits), now)
            cached = self._lists[(purpose, list_no)] = (bits, badge.dumps(await self._sign(doc, now)))
        return cached[1]

    async def did_document(self, path: str) -> str:
        """The issuer's DID document, at the one path did:web puts it for PUBLIC_BASE_URL."""
        base = self._signer().public_base_url
        if path != badge.did_document_path(base):
            raise NotFound("did_document_not_found", f"no DID document at {path}; the issuer is {badge.did_web(base)}")
        keys = await repository.signing_keys(self.pool)
        return badge.dumps(badge.did_document(base, [(r["key_id"], bytes(r["public_key"])) for r in keys]))

    async def achievement(self, exam_id: str) -> str:
        """An exam as the OB 3.0 Achievement its badges name (known once a certificate names it)."""
        exam = parse_uuid_or_not_found(exam_id, "achievement")
        title = await repository.exam_title(self.pool, exam)
        if title is None:
            raise NotFound("achievement_not_found", f"no achievement {exam_id}")
        doc = badge.achievement(self._signer().public_base_url, str(exam), title)
        return badge.dumps({"@context": badge.CONTEXT, **doc})
