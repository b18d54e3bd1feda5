"""SQL of the test bank, kept together; thin functions over one connection."""
from __future__ import annotations

import json
import uuid

import asyncpg

from .domain import BankEntry, ItemDraft, to_record


def _search_text(item: ItemDraft) -> str:
    return " ".join([item.text, item.external_id] + [o.text for o in item.options]).lower()


def _version_row(item_id: uuid.UUID, version: int, item: ItemDraft) -> tuple:
    options, body = to_record(item)
    return (item_id, version, item.type, item.text, json.dumps(options, ensure_ascii=False), item.competence,
            item.difficulty, item.tags, item.external_id, json.dumps(body, ensure_ascii=False))


INSERT_VERSION = """
INSERT INTO item_versions (item_id, version, type, text, options, competence, difficulty, tags, external_id, body)
VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10::jsonb)
"""


async def insert_items(conn: asyncpg.Connection, items: list[ItemDraft]) -> list[str]:
    """New items at version 1, in two batched statements (an import of thousands stays fast)."""
    ids = [uuid.uuid4() for _ in items]
    await conn.executemany(
        "INSERT INTO items (id, current_version, competence, external_id, difficulty, tags, search)"
        " VALUES ($1, 1, $2, $3, $4, $5, $6)",
        [(i, it.competence, it.external_id, it.difficulty, it.tags, _search_text(it)) for i, it in zip(ids, items)],
    )
    await conn.executemany(INSERT_VERSION, [_version_row(i, 1, it) for i, it in zip(ids, items)])
    return [str(i) for i in ids]


async def insert_item(conn: asyncpg.Connection, item: ItemDraft) -> tuple[str, int]:
    return (await insert_items(conn, [item]))[0], 1


async def add_versions(conn: asyncpg.Connection, versions: list[tuple[uuid.UUID, int, ItemDraft]]) -> None:
    """New current versions of existing items, in two batched statements."""
    await conn.executemany(INSERT_VERSION, [_version_row(i, version, item) for i, version, item in versions])
    await conn.executemany(
        "UPDATE items SET current_version = $2, competence = $3, external_id = $4, difficulty = $5, tags = $6,"
        " search = $7 WHERE id = $1",
        [(i, version, item.competence, item.external_id, item.difficulty, item.tags, _search_text(item))
         for i, version, item in versions],
    )


async def add_version(conn: asyncpg.Connection, item_id: uuid.UUID, version: int, item: ItemDraft) -> None:
    await add_versions(conn, [(item_id, version, item)])


async def current_items_for_update(conn: asyncpg.Connection, item_ids: list[uuid.UUID]) -> list[asyncpg.Record]:
    """The current versions of the listed active items, locked for a new version."""
    await conn.execute("SELECT 1 FROM items WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE", item_ids)
    return await conn.fetch(ITEM_COLUMNS + " WHERE i.id = ANY($1::uuid[]) AND v.version = i.current_version"
                            " AND NOT i.retired", item_ids)


ITEM_COLUMNS = """
SELECT i.id, v.version, v.type, v.text, v.options, v.competence, v.external_id, v.difficulty, v.tags, v.body,
       i.retired, i.current_version, coalesce(c.area, '') AS area
FROM items i JOIN item_versions v ON v.item_id = i.id
LEFT JOIN competences c ON c.code = v.competence
"""


async def get_item(conn: asyncpg.Connection, item_id: uuid.UUID, version: int = 0,
                   *, for_update: bool = False) -> asyncpg.Record | None:
    if for_update:
        await conn.execute("SELECT 1 FROM items WHERE id = $1 FOR UPDATE", item_id)
    if version:
        return await conn.fetchrow(ITEM_COLUMNS + " WHERE i.id = $1 AND v.version = $2", item_id, version)
    return await conn.fetchrow(ITEM_COLUMNS + " WHERE i.id = $1 AND v.version = i.current_version", item_id)


async def item_versions(conn: asyncpg.Connection, item_id: uuid.UUID) -> list[asyncpg.Record]:
    return await conn.fetch(ITEM_COLUMNS + " WHERE i.id = $1 ORDER BY v.version", item_id)


async def retire_item(conn: asyncpg.Connection, item_id: uuid.UUID) -> None:
    await conn.execute("UPDATE items SET retired = true WHERE id = $1", item_id)


async def search_items(conn: asyncpg.Connection, *, competence: str, tag: str, text: str, type_: str,
                       include_retired: bool, limit: int, offset: int,
                       unassigned: bool = False) -> tuple[list[asyncpg.Record], int]:
    where = ["v.version = i.current_version", "($1 = '' OR v.competence = $1 OR c.area = $1)",
             "($2 = '' OR $2 = ANY(v.tags))", "($3 = '' OR i.search LIKE '%' || lower($3) || '%')",
             "($4 = '' OR v.type = $4)", "($5 OR NOT i.retired)", "(NOT $6 OR i.competence = '')"]
    sql = ITEM_COLUMNS + " WHERE " + " AND ".join(where)
    args = (competence, tag, text, type_, include_retired, unassigned)
    total = await conn.fetchval(f"SELECT count(*) FROM ({sql}) s", *args)
    rows = await conn.fetch(sql + " ORDER BY v.competence, i.created_at, i.id LIMIT $7 OFFSET $8", *args, limit, offset)
    return rows, total


async def items_by_ids(conn: asyncpg.Connection, item_ids: list[uuid.UUID]) -> list[asyncpg.Record]:
    return await conn.fetch(ITEM_COLUMNS + " WHERE i.id = ANY($1::uuid[]) AND v.version = i.current_version"
                            " ORDER BY v.competence, i.created_at", item_ids)


async def category_map(conn: asyncpg.Connection) -> dict[str, str]:
    return {r["category"]: r["competence"]
            for r in await conn.fetch("SELECT category, competence FROM gift_category_map ORDER BY category")}


async def remember_category_map(conn: asyncpg.Connection, mapping: dict[str, str]) -> None:
    await conn.executemany(
        "INSERT INTO gift_category_map (category, competence) VALUES ($1, $2)"
        " ON CONFLICT (category) DO UPDATE SET competence = excluded.competence, updated_at = now()",
        list(mapping.items()))


async def competences(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT a.code AS area, a.name_ru AS area_ru, a.name_en AS area_en, c.code, c.name_ru, c.name_en"
        " FROM competence_areas a JOIN competences c ON c.area = a.code ORDER BY a.position, c.position"
    )


async def competence_codes(conn: asyncpg.Connection) -> set[str]:
    return {r["code"] for r in await conn.fetch("SELECT code FROM competences")}


async def active_bank(conn: asyncpg.Connection) -> list[BankEntry]:
    rows = await conn.fetch(
        "SELECT i.id, i.competence, coalesce(c.area, '') AS area, i.difficulty, i.tags FROM items i"
        " LEFT JOIN competences c ON c.code = i.competence WHERE NOT i.retired ORDER BY i.created_at, i.id"
    )
    return [BankEntry(str(r["id"]), r["competence"], r["area"], r["difficulty"], list(r["tags"])) for r in rows]


async def current_versions(conn: asyncpg.Connection, item_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    rows = await conn.fetch(
        "SELECT id, current_version FROM items WHERE id = ANY($1::uuid[]) AND NOT retired", item_ids
    )
    return {r["id"]: r["current_version"] for r in rows}


async def insert_exam(conn: asyncpg.Connection, title: str, time_limit: int, pass_score: float,
                      pinned: list[tuple[uuid.UUID, int]], *, rules: list[dict] | None = None,
                      settings: dict | None = None) -> uuid.UUID:
    exam_id = uuid.uuid4()
    await conn.execute(
        "INSERT INTO exams (id, title, time_limit_seconds, pass_score, rules, settings)"
        " VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)",
        exam_id, title, time_limit, pass_score, json.dumps(rules or [], ensure_ascii=False),
        json.dumps(settings or {}, ensure_ascii=False),
    )
    await pin_items(conn, exam_id, [(item_id, version, 0) for item_id, version in pinned])
    return exam_id


async def pin_items(conn: asyncpg.Connection, exam_id: uuid.UUID, pinned: list[tuple[uuid.UUID, int, int]]) -> None:
    """(item, version, rule index) in draw order; replaces what was pinned before."""
    await conn.execute("DELETE FROM exam_items WHERE exam_id = $1", exam_id)
    await conn.executemany(
        "INSERT INTO exam_items (exam_id, position, item_id, item_version, rule_index) VALUES ($1, $2, $3, $4, $5)",
        [(exam_id, pos, item_id, version, rule) for pos, (item_id, version, rule) in enumerate(pinned)],
    )


EXAM_SQL = """
SELECT e.id, e.title, e.time_limit_seconds, e.pass_score::float8 AS pass_score, e.status, e.form_version,
       e.rules, e.settings,
       coalesce(array_agg(x.item_id ORDER BY x.position) FILTER (WHERE x.item_id IS NOT NULL AND NOT x.withdrawn),
                '{}') AS item_ids,
       coalesce(array_agg(x.rule_index ORDER BY x.position) FILTER (WHERE x.item_id IS NOT NULL AND NOT x.withdrawn),
                '{}') AS rule_of,
       count(x.item_id) AS pinned_count
FROM exams e LEFT JOIN exam_items x ON x.exam_id = e.id
"""


async def get_exam(conn: asyncpg.Connection, exam_id: uuid.UUID, *, for_update: bool = False) -> asyncpg.Record | None:
    if for_update:
        await conn.execute("SELECT 1 FROM exams WHERE id = $1 FOR UPDATE", exam_id)
    return await conn.fetchrow(EXAM_SQL + " WHERE e.id = $1 GROUP BY e.id", exam_id)


async def list_exams(conn: asyncpg.Connection, include_drafts: bool) -> list[asyncpg.Record]:
    where = "" if include_drafts else " WHERE e.status = 'published'"
    return await conn.fetch(EXAM_SQL + where + " GROUP BY e.id ORDER BY e.created_at")


async def mark_published(conn: asyncpg.Connection, exam_id: uuid.UUID) -> None:
    await conn.execute("UPDATE exams SET status = 'published', published_at = now() WHERE id = $1", exam_id)


async def exam_item_versions(conn: asyncpg.Connection, exam_id: uuid.UUID) -> list[asyncpg.Record]:
    """The pinned versions of the exam's items, in exam order, with their options (keys included)."""
    return await conn.fetch(
        """
        SELECT v.item_id, v.version, v.type, v.text, v.options, v.competence, v.body, x.rule_index,
               coalesce(c.area, '') AS area, x.voided, x.withdrawn
        FROM exam_items x
        JOIN item_versions v ON v.item_id = x.item_id AND v.version = x.item_version
        LEFT JOIN competences c ON c.code = v.competence
        WHERE x.exam_id = $1 ORDER BY x.position
        """,
        exam_id,
    )


async def held_versions(conn: asyncpg.Connection, exam_id: uuid.UUID) -> list[asyncpg.Record]:
    """Earlier versions of the exam's items whose key still scores the answers given on them."""
    return await conn.fetch(
        """
        SELECT v.item_id, v.version, v.type, v.text, v.options, v.competence, v.body, 0 AS rule_index,
               coalesce(c.area, '') AS area, false AS voided, false AS withdrawn
        FROM exam_item_holds h
        JOIN item_versions v ON v.item_id = h.item_id AND v.version = h.version
        LEFT JOIN competences c ON c.code = v.competence
        WHERE h.exam_id = $1 ORDER BY v.item_id, v.version
        """,
        exam_id,
    )


async def exam_uses(conn: asyncpg.Connection, item_id: uuid.UUID | None = None,
                    exam_id: uuid.UUID | None = None) -> list[asyncpg.Record]:
    """Pins of an item (or of every item of an exam): exam, status, pinned and current version, void, withdrawal."""
    return await conn.fetch(
        """
        SELECT x.exam_id, e.title, e.status, e.form_version, x.item_id, x.item_version, i.current_version,
               x.voided, x.withdrawn, i.retired,
               EXISTS (SELECT 1 FROM exam_item_holds h WHERE h.exam_id = x.exam_id AND h.item_id = x.item_id) AS held
        FROM exam_items x JOIN exams e ON e.id = x.exam_id JOIN items i ON i.id = x.item_id
        WHERE ($1::uuid IS NULL OR x.item_id = $1) AND ($2::uuid IS NULL OR x.exam_id = $2)
        ORDER BY e.created_at, e.id, x.position
        """,
        item_id, exam_id,
    )


async def exam_pools(conn: asyncpg.Connection, exam_ids: list[uuid.UUID]) -> list[asyncpg.Record]:
    """Every pin of the exams with its rule: what a draw may use (withdrawn pins marked)."""
    return await conn.fetch(
        "SELECT exam_id, item_id, rule_index, withdrawn FROM exam_items WHERE exam_id = ANY($1::uuid[])"
        " ORDER BY exam_id, position", exam_ids)


async def exam_rules(conn: asyncpg.Connection, exam_ids: list[uuid.UUID]) -> dict[uuid.UUID, list]:
    rows = await conn.fetch("SELECT id, rules FROM exams WHERE id = ANY($1::uuid[])", exam_ids)
    return {r["id"]: json.loads(r["rules"]) if isinstance(r["rules"], str) else r["rules"] for r in rows}


async def lock_exams(conn: asyncpg.Connection, exam_ids: list[uuid.UUID]) -> None:
    await conn.execute("SELECT 1 FROM exams WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE", exam_ids)


async def move_pin(conn: asyncpg.Connection, exam_id: uuid.UUID, item_id: uuid.UUID, version: int) -> None:
    await conn.execute("UPDATE exam_items SET item_version = $3 WHERE exam_id = $1 AND item_id = $2",
                       exam_id, item_id, version)


async def void_pin(conn: asyncpg.Connection, exam_id: uuid.UUID, item_id: uuid.UUID) -> None:
    await conn.execute("UPDATE exam_items SET voided = true WHERE exam_id = $1 AND item_id = $2", exam_id, item_id)


async def hold_version(conn: asyncpg.Connection, exam_id: uuid.UUID, item_id: uuid.UUID, version: int) -> None:
    await conn.execute("INSERT INTO exam_item_holds (exam_id, item_id, version) VALUES ($1, $2, $3)"
                       " ON CONFLICT DO NOTHING", exam_id, item_id, version)


async def release_holds(conn: asyncpg.Connection, exam_id: uuid.UUID, item_id: uuid.UUID) -> None:
    await conn.execute("DELETE FROM exam_item_holds WHERE exam_id = $1 AND item_id = $2", exam_id, item_id)


async def withdraw_item(conn: asyncpg.Connection, item_id: uuid.UUID) -> list[uuid.UUID]:
    """The item is drawn by no exam again; the exams it was withdrawn from."""
    rows = await conn.fetch("UPDATE exam_items SET withdrawn = true WHERE item_id = $1 AND NOT withdrawn"
                            " RETURNING exam_id", item_id)
    return [r["exam_id"] for r in rows]


async def next_form_version(conn: asyncpg.Connection, exam_id: uuid.UUID) -> int:
    """The exam's form or key changed: its version moves on (sessions and scoring see the new one)."""
    return await conn.fetchval("UPDATE exams SET form_version = form_version + 1 WHERE id = $1 RETURNING form_version",
                               exam_id)


async def close_exam(conn: asyncpg.Connection, exam_id: uuid.UUID) -> None:
    await conn.execute("UPDATE exams SET status = 'retired' WHERE id = $1", exam_id)


CORRECTION_COLUMNS = """
SELECT k.id, k.item_id, k.exam_id, e.title AS exam_title, k.from_version, k.to_version, k.apply, k.void, k.reason,
       k.actor, k.at, k.form_version, e.status
FROM key_corrections k JOIN exams e ON e.id = k.exam_id
"""


async def record_correction(conn: asyncpg.Connection, *, item_id: uuid.UUID, exam_id: uuid.UUID, from_version: int,
                            to_version: int, apply: str, void: bool, reason: str, actor: str,
                            form_version: int) -> asyncpg.Record:
    correction_id = await conn.fetchval(
        "INSERT INTO key_corrections (item_id, exam_id, from_version, to_version, apply, void, reason, actor,"
        " form_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        item_id, exam_id, from_version, to_version, apply, void, reason, actor, form_version)
    return await conn.fetchrow(CORRECTION_COLUMNS + " WHERE k.id = $1", correction_id)


async def corrections(conn: asyncpg.Connection, item_id: uuid.UUID | None,
                      exam_id: uuid.UUID | None) -> list[asyncpg.Record]:
    return await conn.fetch(CORRECTION_COLUMNS + " WHERE ($1::uuid IS NULL OR k.item_id = $1)"
                            " AND ($2::uuid IS NULL OR k.exam_id = $2) ORDER BY k.id DESC LIMIT 500", item_id, exam_id)
