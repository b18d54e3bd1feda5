"""SQL of the test bank, kept together; thin functions over one connection."""
from __future__ import annotations

import json
import uuid

import asyncpg

from .domain import ItemDraft


async def insert_item(conn: asyncpg.Connection, item: ItemDraft) -> tuple[str, int]:
    item_id = uuid.uuid4()
    await conn.execute(
        "INSERT INTO items (id, current_version, competence, external_id) VALUES ($1, 1, $2, $3)",
        item_id, item.competence, item.external_id,
    )
    await conn.execute(
        "INSERT INTO item_versions (item_id, version, type, text, options) VALUES ($1, 1, $2, $3, $4::jsonb)",
        item_id, item.type, item.text,
        json.dumps([{"id": o.id, "text": o.text, "weight": o.weight, "feedback": o.feedback} for o in item.options]),
    )
    return str(item_id), 1


ITEM_SQL = """
SELECT i.id, v.version, v.type, v.text, v.options, i.competence, i.external_id
FROM items i JOIN item_versions v ON v.item_id = i.id AND v.version = i.current_version
WHERE i.id = $1
"""


async def get_item(conn: asyncpg.Connection, item_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(ITEM_SQL, item_id)


async def current_versions(conn: asyncpg.Connection, item_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    rows = await conn.fetch(
        "SELECT id, current_version FROM items WHERE id = ANY($1::uuid[]) AND NOT retired", item_ids
    )
    return {r["id"]: r["current_version"] for r in rows}


async def insert_exam(conn: asyncpg.Connection, title: str, time_limit: int, pass_score: float,
                      pinned: list[tuple[uuid.UUID, int]]) -> uuid.UUID:
    exam_id = uuid.uuid4()
    await conn.execute(
        "INSERT INTO exams (id, title, time_limit_seconds, pass_score) VALUES ($1, $2, $3, $4)",
        exam_id, title, time_limit, pass_score,
    )
    await conn.executemany(
        "INSERT INTO exam_items (exam_id, position, item_id, item_version) VALUES ($1, $2, $3, $4)",
        [(exam_id, pos, item_id, version) for pos, (item_id, version) in enumerate(pinned)],
    )
    return exam_id


EXAM_SQL = """
SELECT e.id, e.title, e.time_limit_seconds, e.pass_score::float8 AS pass_score, e.status, e.form_version,
       coalesce(array_agg(x.item_id ORDER BY x.position) FILTER (WHERE x.item_id IS NOT NULL), '{}') AS item_ids
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
        SELECT v.item_id, v.version, v.type, v.text, v.options, i.competence
        FROM exam_items x
        JOIN item_versions v ON v.item_id = x.item_id AND v.version = x.item_version
        JOIN items i ON i.id = x.item_id
        WHERE x.exam_id = $1 ORDER BY x.position
        """,
        exam_id,
    )
