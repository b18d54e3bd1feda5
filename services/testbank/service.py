"""gRPC handlers of the test bank and the use cases behind them (each owns its transaction)."""
from __future__ import annotations

import json
import uuid

import asyncpg
from google.protobuf import json_format

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.testbank.v1 import testbank_pb2 as pb
from gramota.contracts.testbank.v1 import testbank_pb2_grpc
from gramota.shared import outbox, topics
from gramota.shared.errors import Conflict, InvalidArgument, NotFound, parse_uuid, parse_uuid_or_not_found

from . import gift, qti, repository
from .domain import (
    ITEM_TYPES,
    MATCHING,
    ORDERING,
    AcceptedText,
    BlueprintRule,
    ItemDraft,
    NumericAnswer,
    OptionDraft,
    allocate,
    from_record,
    prepare,
    presented_order,
    validate_item,
    validate_rules,
)

SERVICE = "testbank"
TYPE_TO_PB = {t: pb.ItemType.Value("ITEM_TYPE_" + t.upper()) for t in ITEM_TYPES}
PB_TO_TYPE = {v: k for k, v in TYPE_TO_PB.items()}
MAX_EXAM_ITEMS = 500
NAVIGATION_MODES = ("free", "sequential")


def _json(raw: str | list | dict) -> list | dict:
    return json.loads(raw) if isinstance(raw, str) else raw


def _draft_of_row(row: asyncpg.Record) -> ItemDraft:
    return from_record(row["type"], row["text"], _json(row["options"]), _json(row["body"]),
                       competence=row["competence"], external_id=row["external_id"],
                       difficulty=row["difficulty"], tags=list(row["tags"]))


def _item_message(row: asyncpg.Record) -> pb.Item:
    item = _draft_of_row(row)
    body = _json(row["body"])
    return pb.Item(
        id=str(row["id"]), version=row["version"], type=TYPE_TO_PB[item.type], text=item.text,
        options=[pb.Option(id=o.id, text=o.text, weight=o.weight, feedback=o.feedback, target=o.target)
                 for o in item.options],
        competence=item.competence, external_id=item.external_id, difficulty=item.difficulty, tags=item.tags,
        targets=[pb.FormOption(id=t["id"], text=t["text"]) for t in body.get("targets", [])],
        accepted_texts=[pb.ShortAnswerKey(text=a.text, weight=a.weight, feedback=a.feedback) for a in item.accepted],
        numeric_answers=[pb.NumericKey(value=a.value, tolerance=a.tolerance, weight=a.weight, feedback=a.feedback)
                         for a in item.numeric],
        general_feedback=item.general_feedback, points=item.points, retired=row["retired"],
        competence_area=row["area"], current_version=row["current_version"], extra_targets=item.extra_targets,
    )


def draft_of_request(request: pb.CreateItemRequest) -> ItemDraft:
    if request.type not in PB_TO_TYPE:
        raise InvalidArgument("invalid_item", f"item type must be one of {', '.join(ITEM_TYPES)}")
    return ItemDraft(
        type=PB_TO_TYPE[request.type], text=request.text.strip(), competence=request.competence.strip(),
        external_id=request.external_id.strip(),
        options=[OptionDraft(text=o.text.strip(), weight=o.weight, feedback=o.feedback, id=o.id, target=o.target)
                 for o in request.options],
        difficulty=request.difficulty or 3, tags=list(request.tags),
        accepted=[AcceptedText(a.text.strip(), a.weight, a.feedback) for a in request.accepted_texts],
        numeric=[NumericAnswer(a.value, a.tolerance, a.weight, a.feedback) for a in request.numeric_answers],
        extra_targets=[t.strip() for t in request.extra_targets if t.strip()],
        general_feedback=request.general_feedback, points=request.points or 1.0,
    )


def _settings_dict(settings: events_pb2.ExamSettings) -> dict:
    return json_format.MessageToDict(settings, preserving_proto_field_name=True)


def _settings(raw: str | dict) -> events_pb2.ExamSettings:
    settings = json_format.ParseDict(_json(raw) or {}, events_pb2.ExamSettings())
    settings.navigation = settings.navigation or "free"
    settings.certificate_language = settings.certificate_language or "ru"
    return settings


def _settings_problems(s: events_pb2.ExamSettings, areas: set[str]) -> list[str]:
    problems = []
    if s.attempts_allowed < 0:
        problems.append("attempts_allowed cannot be negative (0 means unlimited)")
    if s.cooldown_seconds < 0:
        problems.append("cooldown_seconds cannot be negative")
    if s.navigation not in ("", *NAVIGATION_MODES):
        problems.append("navigation must be 'free' or 'sequential'")
    if s.validity_days < 0:
        problems.append("validity_days cannot be negative (0 means the certificate never expires)")
    if s.certificate_language not in ("", "ru", "en"):
        problems.append("certificate_language must be 'ru' or 'en'")
    if s.HasField("opens_at") and s.HasField("closes_at") and s.closes_at.ToDatetime() <= s.opens_at.ToDatetime():
        problems.append("closes_at must be after opens_at")
    for area, minimum in s.area_minimums.items():
        if area not in areas:
            problems.append(f"area_minimums: unknown competence area {area!r}")
        if not 0 <= minimum <= 100:
            problems.append(f"area_minimums: the minimum for {area} must be a percentage 0..100")
    return problems


def _rules(raw: str | list) -> list[BlueprintRule]:
    return [BlueprintRule(**r) for r in _json(raw)]


def _exam_message(row: asyncpg.Record) -> pb.Exam:
    rules = _rules(row["rules"]) or [BlueprintRule(count=len(row["item_ids"]))]
    pool_sizes = [sum(1 for r in row["rule_of"] if r == n) for n in range(len(rules))]
    return pb.Exam(
        id=str(row["id"]), title=row["title"], time_limit_seconds=row["time_limit_seconds"],
        pass_score=row["pass_score"], item_ids=[str(i) for i in row["item_ids"]],
        status={"draft": pb.EXAM_STATUS_DRAFT, "published": pb.EXAM_STATUS_PUBLISHED,
                "retired": pb.EXAM_STATUS_RETIRED}[row["status"]],
        question_count=sum(r.count for r in rules), settings=_settings(row["settings"]),
        rules=[pb.BlueprintRule(count=r.count, competence=r.competence, tag=r.tag, difficulty_min=r.difficulty_min,
                                difficulty_max=r.difficulty_max, item_ids=r.item_ids, pool_size=size)
               for r, size in zip(rules, pool_sizes)],
    )


def _form_question(r: asyncpg.Record) -> pb.FormQuestion:
    """What a candidate may see of one pinned version: never weights, pairs or accepted answers."""
    options = _json(r["options"])
    body = _json(r["body"])
    if r["type"] == ORDERING:
        by_id = {o["id"]: o for o in options}
        options = [by_id[i] for i in presented_order(str(r["item_id"]), [o["id"] for o in options])]
    targets = sorted(body.get("targets", []), key=lambda t: t["id"]) if r["type"] == MATCHING else []
    return pb.FormQuestion(
        item_id=str(r["item_id"]), item_version=r["version"], type=TYPE_TO_PB[r["type"]], text=r["text"],
        options=[pb.FormOption(id=o["id"], text=o["text"]) for o in options],
        targets=[pb.FormOption(id=t["id"], text=t["text"]) for t in targets], competence=r["competence"],
    )


def _item_key(r: asyncpg.Record) -> pb.ItemKey:
    options = _json(r["options"])
    body = _json(r["body"])
    key = pb.ItemKey(item_id=str(r["item_id"]), item_version=r["version"], type=TYPE_TO_PB[r["type"]],
                     competence=r["competence"], competence_area=r["area"], points=body.get("points", 1.0))
    if r["type"] == ORDERING:
        key.correct_order.extend(o["id"] for o in options)
    elif r["type"] == MATCHING:
        key.correct_pairs.update({o["id"]: o["target"] for o in options})
    else:
        key.option_weights.update({o["id"]: o["weight"] for o in options})
    key.accepted_texts.extend(pb.ShortAnswerKey(text=a["text"], weight=a["weight"], feedback=a.get("feedback", ""))
                              for a in body.get("accepted", []))
    key.numeric_answers.extend(pb.NumericKey(value=a["value"], tolerance=a["tolerance"], weight=a["weight"],
                                             feedback=a.get("feedback", "")) for a in body.get("numeric", []))
    return key


def _draw_rules(exam: asyncpg.Record, items: list[asyncpg.Record]) -> list[events_pb2.DrawRule]:
    rules = _rules(exam["rules"]) or [BlueprintRule(count=len(items))]
    return [events_pb2.DrawRule(count=rule.count, item_ids=[str(r["item_id"]) for r in items if r["rule_index"] == n])
            for n, rule in enumerate(rules)]


class TestBankServicer(testbank_pb2_grpc.TestBankServicer):
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    # --- items ----------------------------------------------------------------------------------
    async def _checked(self, conn: asyncpg.Connection, request: pb.CreateItemRequest) -> ItemDraft:
        draft = draft_of_request(request)
        prepare(draft)
        problems = validate_item(draft, await repository.competence_codes(conn))
        if problems:
            raise InvalidArgument("invalid_item", "; ".join(problems))
        return draft

    async def CreateItem(self, request: pb.CreateItemRequest, context) -> pb.Item:
        async with self.pool.acquire() as conn, conn.transaction():
            draft = await self._checked(conn, request)
            item_id, _ = await repository.insert_item(conn, draft)
            row = await repository.get_item(conn, parse_uuid(item_id, "item_id"))
        return _item_message(row)

    async def _item_row(self, conn: asyncpg.Connection, raw_id: str, version: int = 0,
                        for_update: bool = False) -> asyncpg.Record:
        item_id = parse_uuid_or_not_found(raw_id, "item")
        row = await repository.get_item(conn, item_id, version, for_update=for_update)
        if row is None:
            what = f"item {raw_id}" + (f" has no version {version}" if version else " does not exist")
            raise NotFound("item_not_found", what)
        return row

    async def GetItem(self, request: pb.GetItemRequest, context) -> pb.Item:
        async with self.pool.acquire() as conn:
            return _item_message(await self._item_row(conn, request.item_id, request.version))

    async def UpdateItem(self, request: pb.UpdateItemRequest, context) -> pb.Item:
        async with self.pool.acquire() as conn, conn.transaction():
            current = await self._item_row(conn, request.item_id, for_update=True)
            if current["retired"]:
                raise Conflict("item_retired", f"item {request.item_id} is retired; create a new item instead")
            if request.expected_version and request.expected_version != current["current_version"]:
                raise Conflict("version_conflict", f"item {request.item_id} is at version "
                               f"{current['current_version']}, not {request.expected_version}: reload and edit again")
            draft = await self._checked(conn, request.item)
            version = current["current_version"] + 1
            await repository.add_version(conn, current["id"], version, draft)
            row = await repository.get_item(conn, current["id"])
        return _item_message(row)

    async def RetireItem(self, request: pb.RetireItemRequest, context) -> pb.Item:
        async with self.pool.acquire() as conn, conn.transaction():
            row = await self._item_row(conn, request.item_id, for_update=True)
            await repository.retire_item(conn, row["id"])
            return _item_message(await repository.get_item(conn, row["id"]))

    async def ListItemVersions(self, request: pb.ListItemVersionsRequest, context) -> pb.ListItemsResponse:
        async with self.pool.acquire() as conn:
            row = await self._item_row(conn, request.item_id)
            rows = await repository.item_versions(conn, row["id"])
        return pb.ListItemsResponse(items=[_item_message(r) for r in rows], total=len(rows))

    async def SearchItems(self, request: pb.SearchItemsRequest, context) -> pb.ListItemsResponse:
        if request.type and request.type not in PB_TO_TYPE:
            raise InvalidArgument("invalid_type", "unknown item type")
        limit = request.limit or 50
        if not 1 <= limit <= 1000 or request.offset < 0:
            raise InvalidArgument("invalid_page", "limit must be 1..1000 and offset not negative")
        async with self.pool.acquire() as conn:
            rows, total = await repository.search_items(
                conn, competence=request.competence.strip(), tag=request.tag.strip(), text=request.text.strip(),
                type_=PB_TO_TYPE.get(request.type, ""), include_retired=request.include_retired,
                limit=limit, offset=request.offset)
        return pb.ListItemsResponse(items=[_item_message(r) for r in rows], total=total)

    async def ListCompetences(self, request: pb.ListCompetencesRequest, context) -> pb.ListCompetencesResponse:
        async with self.pool.acquire() as conn:
            rows = await repository.competences(conn)
        areas: dict[str, pb.CompetenceArea] = {}
        for r in rows:
            area = areas.setdefault(r["area"], pb.CompetenceArea(code=r["area"], name_ru=r["area_ru"],
                                                                 name_en=r["area_en"]))
            area.competences.append(pb.Competence(code=r["code"], name_ru=r["name_ru"], name_en=r["name_en"],
                                                  area=r["area"]))
        return pb.ListCompetencesResponse(areas=list(areas.values()))

    # --- import / export ------------------------------------------------------------------------
    async def ImportItems(self, request: pb.ImportItemsRequest, context) -> pb.ImportItemsResponse:
        fmt = request.format.lower()
        if fmt not in ("gift", "qti"):
            raise InvalidArgument("unsupported_format", f"import format {request.format!r} is not supported; "
                                  "use 'gift' or 'qti'")
        async with self.pool.acquire() as conn:
            known = await repository.competence_codes(conn)
            if fmt == "gift":
                questions, gift_errors = gift.parse(request.content, known)
                drafts = [q.item for q in questions]
                errors = [pb.ImportError(line=e.line, reason=e.reason) for e in gift_errors]
            else:
                drafts, qti_errors = qti.read(request.data or request.content.encode(), known)
                errors = [pb.ImportError(item_id=e.item_id, reason=e.reason) for e in qti_errors]
            if not drafts and not errors:
                raise InvalidArgument("empty_import", "the file holds no questions")
            async with conn.transaction():
                ids = await repository.insert_items(conn, drafts) if drafts else []
        return pb.ImportItemsResponse(imported=len(ids), item_ids=ids, errors=errors)

    async def ExportItems(self, request: pb.ExportItemsRequest, context) -> pb.ExportItemsResponse:
        fmt = request.format.lower()
        if fmt not in ("gift", "qti"):
            raise InvalidArgument("unsupported_format", "export format must be 'gift' or 'qti'")
        async with self.pool.acquire() as conn:
            if request.item_ids:
                rows = await repository.items_by_ids(conn, [parse_uuid(i, "item_ids") for i in request.item_ids])
            else:
                rows, _ = await repository.search_items(conn, competence=request.competence, tag="", text="",
                                                        type_="", include_retired=False, limit=100000, offset=0)
        drafts = {str(r["id"]): _draft_of_row(r) for r in rows}
        if fmt == "gift":
            content, skipped = gift.write(list(drafts.values()))
            reply = pb.ExportItemsResponse(content=content)
        else:
            data, skipped = qti.package(drafts)
            reply = pb.ExportItemsResponse(data=data)
        ids = {id(d): i for i, d in drafts.items()}
        reply.skipped.extend(pb.ImportError(item_id=ids[id(d)], reason=why) for d, why in skipped)
        reply.exported = len(drafts) - len(skipped)
        return reply

    # --- exams ----------------------------------------------------------------------------------
    async def CreateExam(self, request: pb.CreateExamRequest, context) -> pb.Exam:
        problems = []
        title = request.title.strip()
        if not title or len(title) > 300:
            problems.append("title must have 1 to 300 characters")
        if not 60 <= request.time_limit_seconds <= 24 * 3600:
            problems.append("time_limit_seconds must be between 60 and 86400")
        if not 0 <= request.pass_score <= 100:
            problems.append("pass_score must be a percentage between 0 and 100")
        if request.item_ids and request.rules:
            problems.append("give either item_ids (a fixed form) or blueprint rules, not both")
        elif request.item_ids:
            if not 1 <= len(request.item_ids) <= MAX_EXAM_ITEMS:
                problems.append(f"an exam needs 1 to {MAX_EXAM_ITEMS} items")
            if len(set(request.item_ids)) != len(request.item_ids):
                problems.append("an item appears twice in item_ids")
            rules = [BlueprintRule(count=len(request.item_ids), item_ids=list(request.item_ids))]
        else:
            rules = [BlueprintRule(count=r.count, competence=r.competence.strip(), tag=r.tag.strip(),
                                   difficulty_min=r.difficulty_min or 1, difficulty_max=r.difficulty_max or 5,
                                   item_ids=list(r.item_ids)) for r in request.rules]
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
            problems = _settings_problems(request.settings, areas)
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
            pinned = [(i, versions[i]) for i in fixed] if request.item_ids else []
            exam_id = await repository.insert_exam(
                conn, title, request.time_limit_seconds, request.pass_score, pinned,
                rules=[r.__dict__ for r in rules], settings=_settings_dict(request.settings),
            )
            row = await repository.get_exam(conn, exam_id)
        return _exam_message(row)

    async def GetExam(self, request: pb.GetExamRequest, context) -> pb.Exam:
        async with self.pool.acquire() as conn:
            row = await repository.get_exam(conn, parse_uuid_or_not_found(request.exam_id, "exam"))
        if row is None:
            raise NotFound("exam_not_found", f"exam {request.exam_id} does not exist")
        return _exam_message(row)

    async def _pin_blueprint(self, conn: asyncpg.Connection, exam: asyncpg.Record) -> None:
        """Resolves the rules against the bank as it is now; refuses when the bank cannot satisfy them."""
        rules = _rules(exam["rules"])
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
            await self._pin_blueprint(conn, row)
            await repository.mark_published(conn, exam_id)
            row = await repository.get_exam(conn, exam_id)
            form = await self._form(conn, row)
            await outbox.enqueue(
                conn, topics.EXAM_PUBLISHED,
                events_pb2.ExamPublished(
                    exam_id=form.exam_id, title=form.title, time_limit_seconds=form.time_limit_seconds,
                    pass_score=form.pass_score, form_version=form.form_version, settings=form.settings,
                    rules=form.rules,
                    questions=[events_pb2.PublishedQuestion(
                        item_id=q.item_id, item_version=q.item_version, type=PB_TO_TYPE[q.type], text=q.text,
                        options=[events_pb2.PublishedOption(id=o.id, text=o.text) for o in q.options],
                        targets=[events_pb2.PublishedOption(id=o.id, text=o.text) for o in q.targets],
                        competence=q.competence,
                    ) for q in form.questions],
                ),
                aggregate_id=form.exam_id, producer=SERVICE,
            )
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
            pass_score=exam["pass_score"], form_version=exam["form_version"], settings=_settings(exam["settings"]),
            rules=_draw_rules(exam, items), questions=[_form_question(r) for r in items],
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
            form_version=exam["form_version"], settings=_settings(exam["settings"]),
            items=[_item_key(r) for r in items],
        )

