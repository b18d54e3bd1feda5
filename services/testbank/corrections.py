"""Corrections that reach exams: a corrected key applied to the exams that pin the item (or not), an item voided,
and retiring an item — withdrawn from every exam's draw, the exams it would leave short named first."""
from __future__ import annotations

import logging
import uuid

import asyncpg

from gramota.contracts.testbank.v1 import testbank_pb2 as pb
from gramota.shared.errors import Conflict, InvalidArgument, NotFound, parse_uuid_or_not_found

from . import events, repository
from .domain import draw_problem
from .items import item_row
from .messages import form_message, rules_of

log = logging.getLogger(__name__)
APPLY = ("past", "future", "none")


async def _announce(conn: asyncpg.Connection, exam_id: uuid.UUID) -> None:
    """`exam published` again with the form as it is now: sessions keep the newest form version."""
    row = await repository.get_exam(conn, exam_id)
    await events.exam_published(conn, form_message(row, await repository.exam_item_versions(conn, exam_id)))


async def uses_of(conn: asyncpg.Connection, item_id: uuid.UUID) -> list[pb.ExamUse]:
    """Every exam pinning the item, and whether a published one could still be drawn without it (the
    publishing-time check run again on its pinned pools)."""
    uses = await repository.exam_uses(conn, item_id=item_id)
    exam_ids = [u["exam_id"] for u in uses]
    rules = await repository.exam_rules(conn, exam_ids)
    pins: dict[uuid.UUID, list[tuple[str, int, bool]]] = {}
    for p in await repository.exam_pools(conn, exam_ids):
        pins.setdefault(p["exam_id"], []).append((str(p["item_id"]), p["rule_index"], p["withdrawn"]))
    out = []
    for u in uses:
        problem = "" if u["withdrawn"] or u["status"] != "published" else draw_problem(
            rules_of(rules[u["exam_id"]]), pins[u["exam_id"]], gone=str(item_id))
        out.append(pb.ExamUse(exam_id=str(u["exam_id"]), title=u["title"], status=u["status"],
                              pinned_version=u["item_version"], voided=u["voided"], withdrawn=u["withdrawn"],
                              drawable_without=not problem, problem=problem))
    return out


class Corrections:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def usage(self, raw_id: str) -> tuple[asyncpg.Record, list[pb.ExamUse]]:
        async with self.pool.acquire() as conn:
            row = await item_row(conn, raw_id)
            return row, await uses_of(conn, row["id"])

    async def retire(self, raw_id: str, confirm: bool) -> asyncpg.Record:
        """Retired means withdrawn: no exam draws the item again. An exam that cannot then fill its rules is named
        and, once the admin confirms, closed — never drawn short."""
        async with self.pool.acquire() as conn, conn.transaction():
            row = await item_row(conn, raw_id, for_update=True)
            uses = await uses_of(conn, row["id"])
            await repository.lock_exams(conn, [uuid.UUID(u.exam_id) for u in uses])
            short = {u.exam_id: u for u in uses if not u.drawable_without}
            if short and not confirm:
                raise Conflict("retire_shortens_exams",
                               "retiring this item leaves published exams unable to draw their questions: "
                               + "; ".join(f"{u.title} ({u.exam_id}): {u.problem}" for u in short.values())
                               + ". Confirm to retire it and close these exams.", exam_ids=",".join(short))
            await repository.retire_item(conn, row["id"])
            for exam_id in await repository.withdraw_item(conn, row["id"]):
                if (await repository.get_exam(conn, exam_id))["status"] != "published":
                    continue
                await repository.next_form_version(conn, exam_id)
                if str(exam_id) in short:
                    await repository.close_exam(conn, exam_id)
                    await events.exam_retired(conn, str(exam_id))
                    log.info("exam closed: a retired item left it unable to draw",
                             extra={"exam_id": str(exam_id), "item_id": str(row["id"])})
                # the form without the item (an exam closed by it refuses every start: its rules cannot be drawn)
                await _announce(conn, exam_id)
            return await repository.get_item(conn, row["id"])

    async def correct(self, request: pb.CorrectKeyRequest) -> list[asyncpg.Record]:
        """Apply a corrected key to the exams that pin the item (or every outdated item of one exam): "past" moves
        the pin (past results are rescored by scoring), "future" moves it but keeps the old key for answers given
        on it, "none" records the decision only; `void` drops the item from every total. Recorded with who/why."""
        apply = request.apply or "past"
        if apply not in APPLY:
            raise InvalidArgument("invalid_correction", "apply must be 'past', 'future' or 'none'")
        reason = " ".join(request.reason.split())
        if not reason or len(reason) > 500:
            raise InvalidArgument("reason_required", "say why the key is corrected (1 to 500 characters)")
        if not request.item_id and not request.exam_id:
            raise InvalidArgument("invalid_correction", "name the corrected item, the exam, or both")
        if request.void and not request.item_id:
            raise InvalidArgument("invalid_correction", "void names the item to drop from the totals")
        async with self.pool.acquire() as conn, conn.transaction():
            item_id = exam_id = None
            if request.item_id:
                item_id = (await item_row(conn, request.item_id, for_update=True))["id"]
            if request.exam_id:
                exam_id = parse_uuid_or_not_found(request.exam_id, "exam")
                if await repository.get_exam(conn, exam_id) is None:
                    raise NotFound("exam_not_found", f"exam {request.exam_id} does not exist")
            await repository.lock_exams(conn, sorted({u["exam_id"] for u in await repository.exam_uses(
                conn, item_id=item_id, exam_id=exam_id)}))
            # an exam-wide correction (no item named: the plain rescore) takes every pin behind its item's current
            # version; naming the item with "past" also releases what an earlier "future" decision held
            named = item_id is not None
            uses = [u for u in await repository.exam_uses(conn, item_id=item_id, exam_id=exam_id)
                    if u["status"] != "retired" and (u["item_version"] != u["current_version"]
                                                     or (request.void and not u["voided"])
                                                     or (apply == "past" and u["held"] and named))]
            done: list[asyncpg.Record] = []
            changed: set[uuid.UUID] = set()
            for u in uses:
                moves = apply != "none" and u["item_version"] != u["current_version"]
                if moves:
                    await repository.move_pin(conn, u["exam_id"], u["item_id"], u["current_version"])
                    if apply == "future":  # answers given on the old version keep its key
                        await repository.hold_version(conn, u["exam_id"], u["item_id"], u["item_version"])
                if apply == "past" and (moves or (u["held"] and named)):  # every answer scores with the new key
                    await repository.release_holds(conn, u["exam_id"], u["item_id"])
                    moves = True
                voids = request.void and not u["voided"]
                if voids:
                    await repository.void_pin(conn, u["exam_id"], u["item_id"])
                form_version = u["form_version"]
                if moves or voids:
                    if u["exam_id"] not in changed:
                        changed.add(u["exam_id"])
                        form_version = await repository.next_form_version(conn, u["exam_id"])
                    else:
                        form_version = (await repository.get_exam(conn, u["exam_id"]))["form_version"]
                done.append(await repository.record_correction(
                    conn, item_id=u["item_id"], exam_id=u["exam_id"], from_version=u["item_version"],
                    to_version=u["current_version"] if moves else u["item_version"], apply=apply, void=voids,
                    reason=reason, actor=request.actor, form_version=form_version))
            for exam in sorted(changed):
                if (await repository.get_exam(conn, exam))["status"] == "published":
                    await _announce(conn, exam)
        log.info("key corrected", extra={"item_id": request.item_id, "exam_id": request.exam_id, "apply": apply,
                                         "void": request.void, "exams": len(changed), "by": request.actor})
        return done

    async def history(self, raw_item: str, raw_exam: str) -> list[asyncpg.Record]:
        item_id = parse_uuid_or_not_found(raw_item, "item") if raw_item else None
        exam_id = parse_uuid_or_not_found(raw_exam, "exam") if raw_exam else None
        async with self.pool.acquire() as conn:
            return await repository.corrections(conn, item_id, exam_id)
