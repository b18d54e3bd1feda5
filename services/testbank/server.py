"""The gRPC handlers of the test bank: each decodes the request, calls its use case, encodes the reply.

Where the work is: items.py (authoring, search, import/export), exams.py (exams, publishing, forms and keys), corrections.py
(key corrections reaching exams, retiring as withdrawal); every
SQL statement in repository.py; messages.py turns rows into messages; events.py publishes; domain.py, gift.py and
qti.py hold the pure rules and formats."""
from __future__ import annotations

import asyncpg

from gramota.contracts.testbank.v1 import testbank_pb2 as pb
from gramota.contracts.testbank.v1 import testbank_pb2_grpc
from gramota.shared.errors import InvalidArgument
from gramota.shared.item_types import PB_TO_TYPE

from .corrections import Corrections
from .domain import BlueprintRule
from .exams import Exams
from .items import Items
from .messages import answer_key, correction_message, draft_of_request, exam_message, form_message, item_message


class TestBankServicer(testbank_pb2_grpc.TestBankServicer):
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self.items = Items(pool)
        self.exams = Exams(pool)
        self.corrections = Corrections(pool)

    # --- items ----------------------------------------------------------------------------------
    async def CreateItem(self, request: pb.CreateItemRequest, context) -> pb.Item:
        return item_message(await self.items.create(draft_of_request(request)))

    async def GetItem(self, request: pb.GetItemRequest, context) -> pb.Item:
        return item_message(await self.items.get(request.item_id, request.version))

    async def UpdateItem(self, request: pb.UpdateItemRequest, context) -> pb.Item:
        return item_message(await self.items.update(request.item_id, request.expected_version,
                                                    lambda: draft_of_request(request.item)))

    async def RetireItem(self, request: pb.RetireItemRequest, context) -> pb.Item:
        return item_message(await self.corrections.retire(request.item_id, request.confirm))

    async def GetItemUsage(self, request: pb.GetItemRequest, context) -> pb.ItemUsage:
        row, uses = await self.corrections.usage(request.item_id)
        return pb.ItemUsage(item_id=str(row["id"]), current_version=row["current_version"], exams=uses)

    async def CorrectKey(self, request: pb.CorrectKeyRequest, context) -> pb.KeyCorrections:
        return pb.KeyCorrections(corrections=[correction_message(r) for r in await self.corrections.correct(request)])

    async def ListKeyCorrections(self, request: pb.ListKeyCorrectionsRequest, context) -> pb.KeyCorrections:
        rows = await self.corrections.history(request.item_id, request.exam_id)
        return pb.KeyCorrections(corrections=[correction_message(r) for r in rows])

    async def ListItemVersions(self, request: pb.ListItemVersionsRequest, context) -> pb.ListItemsResponse:
        rows = await self.items.versions(request.item_id)
        return pb.ListItemsResponse(items=[item_message(r) for r in rows], total=len(rows))

    async def SearchItems(self, request: pb.SearchItemsRequest, context) -> pb.ListItemsResponse:
        if request.type and request.type not in PB_TO_TYPE:
            raise InvalidArgument("invalid_type", "unknown item type")
        rows, total = await self.items.search(
            competence=request.competence.strip(), tag=request.tag.strip(), text=request.text.strip(),
            type_=PB_TO_TYPE.get(request.type, ""), include_retired=request.include_retired, limit=request.limit,
            offset=request.offset, unassigned=request.unassigned)
        return pb.ListItemsResponse(items=[item_message(r) for r in rows], total=total)

    async def ListCompetences(self, request: pb.ListCompetencesRequest, context) -> pb.ListCompetencesResponse:
        areas: dict[str, pb.CompetenceArea] = {}
        for r in await self.items.competences():
            area = areas.setdefault(r["area"], pb.CompetenceArea(code=r["area"], name_ru=r["area_ru"],
                                                                 name_en=r["area_en"]))
            area.competences.append(pb.Competence(code=r["code"], name_ru=r["name_ru"], name_en=r["name_en"],
                                                  area=r["area"]))
        return pb.ListCompetencesResponse(areas=list(areas.values()))

    # --- import / export ------------------------------------------------------------------------
    async def ImportItems(self, request: pb.ImportItemsRequest, context) -> pb.ImportItemsResponse:
        done = await self.items.import_items(request.format, request.content, request.data,
                                             dict(request.category_competences), request.default_competence)
        return pb.ImportItemsResponse(
            imported=len(done.item_ids), item_ids=done.item_ids, unassigned_item_ids=done.unassigned,
            category_competences=done.category_map,
            errors=[pb.ImportError(line=line, item_id=item_id, reason=reason, skipped=skipped)
                    for line, item_id, reason, skipped in done.errors])

    async def AssignCompetence(self, request: pb.AssignCompetenceRequest, context) -> pb.AssignCompetenceResponse:
        return pb.AssignCompetenceResponse(
            assigned=await self.items.assign_competence(list(request.item_ids), request.competence))

    async def GetCategoryMap(self, request: pb.GetCategoryMapRequest, context) -> pb.CategoryMap:
        return pb.CategoryMap(category_competences=await self.items.category_map())

    async def ExportItems(self, request: pb.ExportItemsRequest, context) -> pb.ExportItemsResponse:
        content, data, skipped, exported = await self.items.export_items(request.format, list(request.item_ids),
                                                                         request.competence)
        return pb.ExportItemsResponse(content=content, data=data, exported=exported, skipped=[
            pb.ImportError(item_id=item_id, reason=why) for item_id, why in skipped])

    # --- exams ----------------------------------------------------------------------------------
    async def CreateExam(self, request: pb.CreateExamRequest, context) -> pb.Exam:
        rules = [BlueprintRule(count=r.count, competence=r.competence.strip(), tag=r.tag.strip(),
                               difficulty_min=r.difficulty_min or 1, difficulty_max=r.difficulty_max or 5,
                               item_ids=list(r.item_ids)) for r in request.rules]
        return exam_message(await self.exams.create(request.title, request.time_limit_seconds, request.pass_score,
                                                    list(request.item_ids), rules, request.settings))

    async def GetExam(self, request: pb.GetExamRequest, context) -> pb.Exam:
        return exam_message(await self.exams.get(request.exam_id))

    async def PublishExam(self, request: pb.PublishExamRequest, context) -> pb.Exam:
        return exam_message(await self.exams.publish(request.exam_id))

    async def ListExams(self, request: pb.ListExamsRequest, context) -> pb.ListExamsResponse:
        return pb.ListExamsResponse(exams=[exam_message(r) for r in await self.exams.list(request.include_drafts)])

    async def GetExamForm(self, request: pb.GetExamFormRequest, context) -> pb.ExamForm:
        return form_message(*await self.exams.published(request.exam_id))

    async def GetAnswerKey(self, request: pb.GetAnswerKeyRequest, context) -> pb.AnswerKey:
        return answer_key(*await self.exams.key(request.exam_id), await self.exams.competences())
