"""The bank's items: authoring (each change a new immutable version), search, competences, GIFT/QTI import and
export."""
from __future__ import annotations

import asyncpg

from gramota.shared.errors import Conflict, InvalidArgument, NotFound, parse_uuid, parse_uuid_or_not_found

from . import gift, qti, repository
from .domain import ItemDraft, prepare, validate_item
from .messages import draft_of_row


async def item_row(conn: asyncpg.Connection, raw_id: str, version: int = 0, for_update: bool = False) -> asyncpg.Record:
    item_id = parse_uuid_or_not_found(raw_id, "item")
    row = await repository.get_item(conn, item_id, version, for_update=for_update)
    if row is None:
        what = f"item {raw_id}" + (f" has no version {version}" if version else " does not exist")
        raise NotFound("item_not_found", what)
    return row


async def checked(conn: asyncpg.Connection, draft: ItemDraft) -> ItemDraft:
    prepare(draft)
    problems = validate_item(draft, await repository.competence_codes(conn))
    if problems:
        raise InvalidArgument("invalid_item", "; ".join(problems))
    return draft


class Items:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def create(self, draft: ItemDraft) -> asyncpg.Record:
        async with self.pool.acquire() as conn, conn.transaction():
            item_id, _ = await repository.insert_item(conn, await checked(conn, draft))
            return await repository.get_item(conn, parse_uuid(item_id, "item_id"))

    async def get(self, raw_id: str, version: int) -> asyncpg.Record:
        async with self.pool.acquire() as conn:
            return await item_row(conn, raw_id, version)

    async def update(self, raw_id: str, expected_version: int, draft_of) -> asyncpg.Record:
        """A new version of the item (`draft_of()`: the edited item, decoded only once the item is known)."""
        async with self.pool.acquire() as conn, conn.transaction():
            current = await item_row(conn, raw_id, for_update=True)
            if current["retired"]:
                raise Conflict("item_retired", f"item {raw_id} is retired; create a new item instead")
            if expected_version and expected_version != current["current_version"]:
                raise Conflict("version_conflict", f"item {raw_id} is at version "
                               f"{current['current_version']}, not {expected_version}: reload and edit again")
            draft = await checked(conn, draft_of())
            await repository.add_version(conn, current["id"], current["current_version"] + 1, draft)
            return await repository.get_item(conn, current["id"])

    async def versions(self, raw_id: str) -> list[asyncpg.Record]:
        async with self.pool.acquire() as conn:
            row = await item_row(conn, raw_id)
            return await repository.item_versions(conn, row["id"])

    async def search(self, *, competence: str, tag: str, text: str, type_: str, include_retired: bool, limit: int,
                     offset: int) -> tuple[list[asyncpg.Record], int]:
        limit = limit or 50
        if not 1 <= limit <= 1000 or offset < 0:
            raise InvalidArgument("invalid_page", "limit must be 1..1000 and offset not negative")
        async with self.pool.acquire() as conn:
            return await repository.search_items(conn, competence=competence, tag=tag, text=text, type_=type_,
                                                 include_retired=include_retired, limit=limit, offset=offset)

    async def competences(self) -> list[asyncpg.Record]:
        async with self.pool.acquire() as conn:
            return await repository.competences(conn)

    async def import_items(self, fmt: str, content: str, data: bytes) -> tuple[list[str], list[tuple[int, str, str]]]:
        """The new items' ids and each error (line, item id, reason) of a GIFT or QTI file."""
        given, fmt = fmt, fmt.lower()
        if fmt not in ("gift", "qti"):
            raise InvalidArgument("unsupported_format", f"import format {given!r} is not supported; use 'gift' or 'qti'")
        async with self.pool.acquire() as conn:
            known = await repository.competence_codes(conn)
            if fmt == "gift":
                questions, gift_errors = gift.parse(content, known)
                drafts = [q.item for q in questions]
                errors = [(e.line, "", e.reason) for e in gift_errors]
            else:
                drafts, qti_errors = qti.read(data or content.encode(), known)
                errors = [(0, e.item_id, e.reason) for e in qti_errors]
            if not drafts and not errors:
                raise InvalidArgument("empty_import", "the file holds no questions")
            async with conn.transaction():
                ids = await repository.insert_items(conn, drafts) if drafts else []
        return ids, errors

    async def export_items(self, fmt: str, item_ids: list[str], competence: str) -> tuple[str, bytes, list[tuple[str, str]], int]:
        """(GIFT text, QTI package, each skipped item with why, how many exported)."""
        fmt = fmt.lower()
        if fmt not in ("gift", "qti"):
            raise InvalidArgument("unsupported_format", "export format must be 'gift' or 'qti'")
        async with self.pool.acquire() as conn:
            if item_ids:
                rows = await repository.items_by_ids(conn, [parse_uuid(i, "item_ids") for i in item_ids])
            else:
                rows, _ = await repository.search_items(conn, competence=competence, tag="", text="",
                                                        type_="", include_retired=False, limit=100000, offset=0)
        drafts = {str(r["id"]): draft_of_row(r) for r in rows}
        content, data = "", b""
        if fmt == "gift":
            content, skipped = gift.write(list(drafts.values()))
        else:
            data, skipped = qti.package(drafts)
        ids = {id(d): i for i, d in drafts.items()}
        return content, data, [(ids[id(d)], why) for d, why in skipped], len(drafts) - len(skipped)
