"""gRPC handlers of the test bank and the use cases behind them (each owns its transaction)."""
from __future__ import annotations

import json

import asyncpg

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.testbank.v1 import testbank_pb2 as pb
from gramota.contracts.testbank.v1 import testbank_pb2_grpc
from gramota.shared import outbox, topics
from gramota.shared.errors import Conflict, InvalidArgument, NotFound, parse_uuid, parse_uuid_or_not_found

from . import gift, repository
from .domain import ITEM_TYPES, ItemDraft, OptionDraft, assign_option_ids, validate_item

SERVICE = "testbank"
TYPE_TO_PB = {"single_choice": pb.ITEM_TYPE_SINGLE_CHOICE, "multiple_choice": pb.ITEM_TYPE_MULTIPLE_CHOICE}
PB_TO_TYPE = {v: k for k, v in TYPE_TO_PB.items()}
MAX_EXAM_ITEMS = 500


def _options(raw: str | list) -> list[dict]:
    return json.loads(raw) if isinstance(raw, str) else raw


def _item_message(row: asyncpg.Record) -> pb.Item:
    return pb.Item(
        id=str(row["id"]), version=row["version"], type=TYPE_TO_PB[row["type"]], text=row["text"],
        options=[pb.Option(id=o["id"], text=o["text"], weight=o["weight"], feedback=o.get("feedback", ""))
                 for o in _options(row["options"])],
        competence=row["competence"], external_id=row["external_id"],
    )


def _exam_message(row: asyncpg.Record) -> pb.Exam:
    return pb.Exam(
        id=str(row["id"]), title=row["title"], time_limit_seconds=row["time_limit_seconds"],
        pass_score=row["pass_score"], item_ids=[str(i) for i in row["item_ids"]],
        status={"draft": pb.EXAM_STATUS_DRAFT, "published": pb.EXAM_STATUS_PUBLISHED,
                "retired": pb.EXAM_STATUS_RETIRED}[row["status"]],
        question_count=len(row["item_ids"]),
    )


class TestBankServicer(testbank_pb2_grpc.TestBankServicer):
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def CreateItem(self, request: pb.CreateItemRequest, context) -> pb.Item:
        if request.type not in PB_TO_TYPE:
            raise InvalidArgument("invalid_item", f"item type must be one of {', '.join(ITEM_TYPES)}")
        draft = ItemDraft(
            type=PB_TO_TYPE[request.type], text=request.text.strip(), competence=request.competence,
            external_id=request.external_id,
            options=[OptionDraft(text=o.text.strip(), weight=o.weight, feedback=o.feedback, id=o.id) for o in request.options],
        )
        problems = validate_item(draft)
        try:
            assign_option_ids(draft.options)
        except ValueError as exc:
            problems.append(str(exc))
        if problems:
            raise InvalidArgument("invalid_item", "; ".join(problems))
        async with self.pool.acquire() as conn, conn.transaction():
            item_id, _ = await repository.insert_item(conn, draft)
            row = await repository.get_item(conn, parse_uuid(item_id, "item_id"))
        return _item_message(row)

    async def GetItem(self, request: pb.GetItemRequest, context) -> pb.Item:
        item_id = parse_uuid_or_not_found(request.item_id, "item")
        async with self.pool.acquire() as conn:
            row = await repository.get_item(conn, item_id)
        if row is None:
            raise NotFound("item_not_found", f"item {request.item_id} does not exist")
        return _item_message(row)

    async def ImportItems(self, request: pb.ImportItemsRequest, context) -> pb.ImportItemsResponse:
        if request.format.lower() != "gift":
            raise InvalidArgument("unsupported_format", f"import format {request.format!r} is not supported; use 'gift'")
        questions, errors = gift.parse(request.content)
        if not questions and not errors:
            raise InvalidArgument("empty_import", "the file holds no questions")
        ids: list[str] = []
        async with self.pool.acquire() as conn, conn.transaction():
            for q in questions:
                assign_option_ids(q.item.options)
                item_id, _ = await repository.insert_item(conn, q.item)
                ids.append(item_id)
        return pb.ImportItemsResponse(
            imported=len(ids), item_ids=ids, errors=[pb.ImportError(line=e.line, reason=e.reason) for e in errors]
        )

    async def CreateExam(self, request: pb.CreateExamRequest, context) -> pb.Exam:
        problems = []
        title = request.title.strip()
        if not title or len(title) > 300:
            problems.append("title must have 1 to 300 characters")
        if not 60 <= request.time_limit_seconds <= 24 * 3600:
            problems.append("time_limit_seconds must be between 60 and 86400")
        if not 0 <= request.pass_score <= 100:
            problems.append("pass_score must be a percentage between 0 and 100")
        if not 1 <= len(request.item_ids) <= MAX_EXAM_ITEMS:
            problems.append(f"an exam needs 1 to {MAX_EXAM_ITEMS} items")
        if len(set(request.item_ids)) != len(request.item_ids):
            problems.append("an item appears twice in item_ids")
        if problems:
            raise InvalidArgument("invalid_exam", "; ".join(problems))
        item_ids = [parse_uuid(i, "item_ids") for i in request.item_ids]
        async with self.pool.acquire() as conn, conn.transaction():
            versions = await repository.current_versions(conn, item_ids)
            missing = [str(i) for i in item_ids if i not in versions]
            if missing:
                raise InvalidArgument("unknown_items", f"unknown or retired items: {', '.join(missing)}")
            exam_id = await repository.insert_exam(
                conn, title, request.time_limit_seconds, request.pass_score, [(i, versions[i]) for i in item_ids]
            )
            row = await repository.get_exam(conn, exam_id)
        return _exam_message(row)

    async def PublishExam(self, request: pb.PublishExamRequest, context) -> pb.Exam:
        exam_id = parse_uuid_or_not_found(request.exam_id, "exam")
        async with self.pool.acquire() as conn, conn.transaction():
            row = await repository.get_exam(conn, exam_id, for_update=True)
            if row is None:
                raise NotFound("exam_not_found", f"exam {request.exam_id} does not exist")
            if row["status"] == "published":
                return _exam_message(row)  # publishing twice is harmless
            if row["status"] == "retired":
                raise Conflict("exam_retired", "a retired exam cannot be published again")
            await repository.mark_published(conn, exam_id)
            form = await self._form(conn, row)
            await outbox.enqueue(
                conn, topics.EXAM_PUBLISHED,
                events_pb2.ExamPublished(
                    exam_id=form.exam_id, title=form.title, time_limit_seconds=form.time_limit_seconds,
                    pass_score=form.pass_score, form_version=form.form_version,
                    questions=[events_pb2.PublishedQuestion(
                        item_id=q.item_id, item_version=q.item_version, type=PB_TO_TYPE[q.type], text=q.text,
                        options=[events_pb2.PublishedOption(id=o.id, text=o.text) for o in q.options],
                    ) for q in form.questions],
                ),
                aggregate_id=form.exam_id, producer=SERVICE,
            )
            row = await repository.get_exam(conn, exam_id)
        return _exam_message(row)

    async def ListExams(self, request: pb.ListExamsRequest, context) -> pb.ListExamsResponse:
        async with self.pool.acquire() as conn:
            rows = await repository.list_exams(conn, request.include_drafts)
        return pb.ListExamsResponse(exams=[_exam_message(r) for r in rows])

    async def _published(self, conn: asyncpg.Connection, raw_id: str) -> asyncpg.Record:
        row = await repository.get_exam(conn, parse_uuid_or_not_found(raw_id, "exam"))
        if row is None or row["status"] != "published":
            raise NotFound("exam_not_found", f"no published exam {raw_id}")
        return row

    async def _form(self, conn: asyncpg.Connection, exam: asyncpg.Record) -> pb.ExamForm:
        items = await repository.exam_item_versions(conn, exam["id"])
        return pb.ExamForm(
            exam_id=str(exam["id"]), title=exam["title"], time_limit_seconds=exam["time_limit_seconds"],
            pass_score=exam["pass_score"], form_version=exam["form_version"],
            questions=[pb.FormQuestion(
                item_id=str(r["item_id"]), item_version=r["version"], type=TYPE_TO_PB[r["type"]], text=r["text"],
                options=[pb.FormOption(id=o["id"], text=o["text"]) for o in _options(r["options"])],
            ) for r in items],
        )

    async def GetExamForm(self, request: pb.GetExamFormRequest, context) -> pb.ExamForm:
        async with self.pool.acquire() as conn:
            return await self._form(conn, await self._published(conn, request.exam_id))

    async def GetAnswerKey(self, request: pb.GetAnswerKeyRequest, context) -> pb.AnswerKey:
        async with self.pool.acquire() as conn:
            exam = await self._published(conn, request.exam_id)
            items = await repository.exam_item_versions(conn, exam["id"])
        return pb.AnswerKey(
            exam_id=str(exam["id"]), title=exam["title"], pass_score=exam["pass_score"],
            form_version=exam["form_version"],
            items=[pb.ItemKey(
                item_id=str(r["item_id"]), item_version=r["version"], type=TYPE_TO_PB[r["type"]],
                option_weights={o["id"]: o["weight"] for o in _options(r["options"])}, competence=r["competence"],
            ) for r in items],
        )
