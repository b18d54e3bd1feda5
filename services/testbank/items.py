"""The bank's items: authoring (each change a new immutable version), search, competences, GIFT/QTI import and
export."""
from __future__ import annotations

from dataclasses import dataclass

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


@dataclass
class Imported:
    item_ids: list[str]
    errors: list[tuple[int, str, str, bool]]  # (GIFT line, QTI item id, reason, skipped rather than wrong)
    unassigned: list[str]                     # imported without a competence
    category_map: dict[str, str]              # the bank's mapping after the import


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
            draft.category = draft_of_row(current).category  # where it came from stays with every version
            await repository.add_version(conn, current["id"], current["current_version"] + 1, draft)
            return await repository.get_item(conn, current["id"])

    async def versions(self, raw_id: str) -> list[asyncpg.Record]:
        async with self.pool.acquire() as conn:
            row = await item_row(conn, raw_id)
            return await repository.item_versions(conn, row["id"])

    async def search(self, *, competence: str, tag: str, text: str, type_: str, include_retired: bool, limit: int,
                     offset: int, unassigned: bool = False) -> tuple[list[asyncpg.Record], int]:
        limit = limit or 50
        if not 1 <= limit <= 1000 or offset < 0:
            raise InvalidArgument("invalid_page", "limit must be 1..1000 and offset not negative")
        async with self.pool.acquire() as conn:
            return await repository.search_items(conn, competence=competence, tag=tag, text=text, type_=type_,
                                                 include_retired=include_retired, limit=limit, offset=offset,
                                                 unassigned=unassigned)

    async def competences(self) -> list[asyncpg.Record]:
        async with self.pool.acquire() as conn:
            return await repository.competences(conn)

    async def import_items(self, fmt: str, content: str, data: bytes, category_map: dict[str, str] | None = None,
                           default_competence: str = "") -> Imported:
        """The new items, each error or skipped question, and the bank's category mapping after a GIFT or QTI file.

        GIFT: category_map (category path -> competence) is remembered for the bank; a competence in it or in
        default_competence that does not exist refuses the file before anything is stored."""
        given_format, fmt = fmt, fmt.lower()
        if fmt not in ("gift", "qti"):
            raise InvalidArgument("unsupported_format",
                                  f"import format {given_format!r} is not supported; use 'gift' or 'qti'")
        async with self.pool.acquire() as conn:
            known = await repository.competence_codes(conn)
            given = {gift.category_path(k): v.strip() for k, v in (category_map or {}).items()}
            default = default_competence.strip()
            unknown = sorted({c for c in [*given.values(), default] if c and c not in known})
            if unknown or any(not c for c in given.values()):
                raise InvalidArgument("unknown_competence", "the category mapping names competences that do not "
                                      f"exist: {', '.join(unknown) or 'an empty one'}; nothing was imported")
            if fmt == "gift":
                mapping = {**await repository.category_map(conn), **given}
                questions, gift_errors = gift.parse(content, known, mapping, default)
                drafts = [q.item for q in questions]
                errors = [(e.line, "", e.reason, e.skipped) for e in gift_errors]
            else:
                drafts, qti_errors = qti.read(data or content.encode(), known)
                errors = [(0, e.item_id, e.reason, False) for e in qti_errors]
            if not drafts and not errors:
                raise InvalidArgument("empty_import", "the file holds no questions")
            async with conn.transaction():
                ids = await repository.insert_items(conn, drafts) if drafts else []
                if fmt == "gift" and given:
                    await repository.remember_category_map(conn, given)
                mapping = await repository.category_map(conn)
        return Imported(ids, errors, [i for i, d in zip(ids, drafts) if not d.competence], mapping)

    async def assign_competence(self, raw_ids: list[str], competence: str) -> int:
        """Gives the items a competence, a new version each; how imported unassigned items join the drawable bank."""
        competence = competence.strip()
        if not raw_ids or len(raw_ids) > 1000:
            raise InvalidArgument("invalid_items", "list 1 to 1000 items to assign")
        ids = list(dict.fromkeys(parse_uuid(i, "item_ids") for i in raw_ids))
        async with self.pool.acquire() as conn, conn.transaction():
            if competence not in await repository.competence_codes(conn):
                raise InvalidArgument("unknown_competence", f"no competence {competence!r}")
            rows = await repository.current_items_for_update(conn, ids)
            missing = sorted({str(i) for i in ids} - {str(r["id"]) for r in rows})
            if missing:
                raise NotFound("item_not_found", f"unknown or retired items: {', '.join(missing)}")
            versions = []
            for row in rows:
                draft = draft_of_row(row)
                draft.competence = competence
                versions.append((row["id"], row["current_version"] + 1, draft))
            await repository.add_versions(conn, versions)
        return len(versions)

    async def category_map(self) -> dict[str, str]:
        async with self.pool.acquire() as conn:
            return await repository.category_map(conn)

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
