"""Exams: a fixed form or blueprint rules, published (versions pinned, `exam published` announced), and what the
other services read of a published exam: the candidate's form and the answer key."""
from __future__ import annotations

import uuid

import asyncpg

from gramota.contracts.events.v1 import events_pb2
from gramota.shared.errors import Conflict, InvalidArgument, NotFound, parse_uuid, parse_uuid_or_not_found

from . import events, repository
from .domain import BlueprintRule, allocate, settings_problems, validate_rules
from .messages import form_message, rules_of, settings_dict

MAX_EXAM_ITEMS = 500


class Exams:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def create(self, title: str, time_limit_seconds: int, pass_score: float, item_ids: list[str],
                     rules: list[BlueprintRule], settings: events_pb2.ExamSettings) -> asyncpg.Record:
        """A draft exam: a fixed form (`item_ids`, its versions pinned now) or blueprint rules (pinned at
        publishing)."""
        problems = []
        title = title.strip()
        if not title or len(title) > 300:
            problems.append("title must have 1 to 300 characters")
        if not 60 <= time_limit_seconds <= 24 * 3600:
            problems.append("time_limit_seconds must be between 60 and 86400")
        if not 0 <= pass_score <= 100:
            problems.append("pass_score must be a percentage between 0 and 100")
        if item_ids and rules:
            problems.append("give either item_ids (a fixed form) or blueprint rules, not both")
        elif item_ids:
            if not 1 <= len(item_ids) <= MAX_EXAM_ITEMS:
                problems.append(f"an exam needs 1 to {MAX_EXAM_ITEMS} items")
            if len(set(item_ids)) != len(item_ids):
                problems.append("an item appears twice in item_ids")
            rules = [BlueprintRule(count=len(item_ids), item_ids=list(item_ids))]
        else:
            problems += validate_rules(rules, MAX_EXAM_ITEMS)
        if problems:
            raise InvalidArgument("invalid_exam", "; ".join(problems))
        for r in rules:
            for i in r.item_ids:
                parse_uuid(i, "item_ids")
        async with self.pool.acquire() as conn, conn.transaction():
            competence_rows = await repository.competences(conn)
            areas = {r["area"] for r in competence_rows}
            codes = areas | {r["code"] for r in competence_rows}
            problems = settings_problems(settings, areas)
            problems += [f"{r.describe(n)}: unknown competence or area {r.competence!r}"
                         for n, r in enumerate(rules, start=1) if r.competence and r.competence not in codes]
            if problems:
                raise InvalidArgument("invalid_exam", "; ".join(problems))
            fixed = [uuid.UUID(i) for r in rules for i in r.item_ids]
            versions = await repository.current_versions(conn, fixed)
            missing = [str(i) for i in fixed if i not in versions]
            if missing:
                raise InvalidArgument("unknown_items", f"unknown or retired items: {', '.join(missing)}")
            # A fixed form pins its versions now (as it always did); blueprints pin theirs at publishing.
            pinned = [(i, versions[i]) for i in fixed] if item_ids else []
            exam_id = await repository.insert_exam(conn, title, time_limit_seconds, pass_score, pinned,
                                                   rules=[r.__dict__ for r in rules], settings=settings_dict(settings))
            return await repository.get_exam(conn, exam_id)

    async def get(self, raw_id: str) -> asyncpg.Record:
        async with self.pool.acquire() as conn:
            row = await repository.get_exam(conn, parse_uuid_or_not_found(raw_id, "exam"))
        if row is None:
            raise NotFound("exam_not_found", f"exam {raw_id} does not exist")
        return row

    async def list(self, include_drafts: bool) -> list[asyncpg.Record]:
        async with self.pool.acquire() as conn:
            return await repository.list_exams(conn, include_drafts)

    async def _pin_blueprint(self, conn: asyncpg.Connection, exam: asyncpg.Record) -> None:
        """Resolves the rules against the bank as it is now; refuses when the bank cannot satisfy them."""
        rules = rules_of(exam["rules"])
        if not rules or (all(r.item_ids for r in rules) and len(exam["item_ids"]) == sum(r.count for r in rules)):
            return
        bank = await repository.active_bank(conn)
        known = {e.item_id for e in bank}
        missing = [i for r in rules for i in r.item_ids if i not in known]
        if missing:
            raise Conflict("blueprint_unsatisfiable", f"retired or unknown items in a fixed rule: {', '.join(missing)}")
        pools, problems = allocate(rules, bank)
        if problems:
            raise Conflict("blueprint_unsatisfiable", "the bank cannot satisfy this blueprint: " + "; ".join(problems))
        ids = [uuid.UUID(i) for pool in pools for i in pool]
        versions = await repository.current_versions(conn, ids)
        await repository.pin_items(conn, exam["id"], [(uuid.UUID(i), versions[uuid.UUID(i)], n)
                                                      for n, pool in enumerate(pools) for i in pool])

    async def publish(self, raw_id: str) -> asyncpg.Record:
        """The exam, published: its versions pinned and `exam published` announced (twice is harmless)."""
        exam_id = parse_uuid_or_not_found(raw_id, "exam")
        async with self.pool.acquire() as conn, conn.transaction():
            row = await repository.get_exam(conn, exam_id, for_update=True)
            if row is None:
                raise NotFound("exam_not_found", f"exam {raw_id} does not exist")
            if row["status"] == "published":
                return row
            if row["status"] == "retired":
                raise Conflict("exam_retired", "a retired exam cannot be published again")
            await self._pin_blueprint(conn, row)
            await repository.mark_published(conn, exam_id)
            row = await repository.get_exam(conn, exam_id)
            await events.exam_published(conn, form_message(row, await repository.exam_item_versions(conn, row["id"])))
        return row

    async def key(self, raw_id: str) -> tuple[asyncpg.Record, list[asyncpg.Record], list[asyncpg.Record]]:
        """A published exam, its pinned item versions and the earlier versions it holds for answers given on them."""
        async with self.pool.acquire() as conn:
            row = await repository.get_exam(conn, parse_uuid_or_not_found(raw_id, "exam"))
            if row is None or row["status"] != "published":
                raise NotFound("exam_not_found", f"no published exam {raw_id}")
            return (row, await repository.exam_item_versions(conn, row["id"]),
                    await repository.held_versions(conn, row["id"]))
    async def competences(self) -> list[asyncpg.Record]:
        """The framework's competences and areas with their names (what a certificate prints)."""
        async with self.pool.acquire() as conn:
            return await repository.competences(conn)

    async def published(self, raw_id: str) -> tuple[asyncpg.Record, list[asyncpg.Record]]:
        """A published exam and its pinned item versions."""
        async with self.pool.acquire() as conn:
            row = await repository.get_exam(conn, parse_uuid_or_not_found(raw_id, "exam"))
            if row is None or row["status"] != "published":
                raise NotFound("exam_not_found", f"no published exam {raw_id}")
            return row, await repository.exam_item_versions(conn, row["id"])
