"""Rows of the bank as protobuf messages and back: items, exams, the candidate's form (no keys) and the answer key.
Used by the handlers (server.py) and by the `exam published` event (events.py)."""
from __future__ import annotations

import asyncpg
from google.protobuf import json_format

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.testbank.v1 import testbank_pb2 as pb
from gramota.shared.db import jsonb
from gramota.shared.errors import InvalidArgument
from gramota.shared.events import timestamp
from gramota.shared.item_types import PB_TO_TYPE, TYPE_TO_PB

from .domain import (
    ITEM_TYPES,
    MATCHING,
    ORDERING,
    AcceptedText,
    BlueprintRule,
    ItemDraft,
    NumericAnswer,
    OptionDraft,
    competence_names,
    from_record,
    presented_order,
)


def draft_of_row(row: asyncpg.Record) -> ItemDraft:
    return from_record(row["type"], row["text"], jsonb(row["options"]), jsonb(row["body"]),
                       competence=row["competence"], external_id=row["external_id"],
                       difficulty=row["difficulty"], tags=list(row["tags"]))


def item_message(row: asyncpg.Record) -> pb.Item:
    item = draft_of_row(row)
    body = jsonb(row["body"])
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
        category=item.category,
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


def settings_dict(settings: events_pb2.ExamSettings) -> dict:
    return json_format.MessageToDict(settings, preserving_proto_field_name=True)


def settings_of(raw: str | dict) -> events_pb2.ExamSettings:
    settings = json_format.ParseDict(jsonb(raw) or {}, events_pb2.ExamSettings())
    settings.navigation = settings.navigation or "free"
    settings.certificate_language = settings.certificate_language or "ru"
    return settings


def rules_of(raw: str | list) -> list[BlueprintRule]:
    return [BlueprintRule(**r) for r in jsonb(raw)]


def exam_message(row: asyncpg.Record) -> pb.Exam:
    rules = rules_of(row["rules"]) or [BlueprintRule(count=row["pinned_count"])]
    pool_sizes = [sum(1 for r in row["rule_of"] if r == n) for n in range(len(rules))]
    return pb.Exam(
        id=str(row["id"]), title=row["title"], time_limit_seconds=row["time_limit_seconds"],
        pass_score=row["pass_score"], item_ids=[str(i) for i in row["item_ids"]],
        status={"draft": pb.EXAM_STATUS_DRAFT, "published": pb.EXAM_STATUS_PUBLISHED,
                "retired": pb.EXAM_STATUS_RETIRED}[row["status"]],
        question_count=sum(r.count for r in rules), settings=settings_of(row["settings"]),
        rules=[pb.BlueprintRule(count=r.count, competence=r.competence, tag=r.tag, difficulty_min=r.difficulty_min,
                                difficulty_max=r.difficulty_max, item_ids=r.item_ids, pool_size=size)
               for r, size in zip(rules, pool_sizes)],
    )


def form_question(r: asyncpg.Record) -> pb.FormQuestion:
    """What a candidate may see of one pinned version: never weights, pairs or accepted answers."""
    options = jsonb(r["options"])
    body = jsonb(r["body"])
    if r["type"] == ORDERING:
        by_id = {o["id"]: o for o in options}
        options = [by_id[i] for i in presented_order(str(r["item_id"]), [o["id"] for o in options])]
    targets = sorted(body.get("targets", []), key=lambda t: t["id"]) if r["type"] == MATCHING else []
    return pb.FormQuestion(
        item_id=str(r["item_id"]), item_version=r["version"], type=TYPE_TO_PB[r["type"]], text=r["text"],
        options=[pb.FormOption(id=o["id"], text=o["text"]) for o in options],
        targets=[pb.FormOption(id=t["id"], text=t["text"]) for t in targets], competence=r["competence"],
    )


def item_key(r: asyncpg.Record) -> pb.ItemKey:
    options = jsonb(r["options"])
    body = jsonb(r["body"])
    key = pb.ItemKey(item_id=str(r["item_id"]), item_version=r["version"], type=TYPE_TO_PB[r["type"]],
                     competence=r["competence"], competence_area=r["area"], points=body.get("points", 1.0),
                     voided=r["voided"])
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


def draw_rules(exam: asyncpg.Record, items: list[asyncpg.Record]) -> list[events_pb2.DrawRule]:
    """Each rule's count and pool; a withdrawn (retired) item is in no pool, and the counts never shrink with it."""
    rules = rules_of(exam["rules"]) or [BlueprintRule(count=len(items))]
    return [events_pb2.DrawRule(count=rule.count, item_ids=[str(r["item_id"]) for r in items
                                                            if r["rule_index"] == n and not r["withdrawn"]])
            for n, rule in enumerate(rules)]


def form_message(exam: asyncpg.Record, items: list[asyncpg.Record]) -> pb.ExamForm:
    """The published exam as a candidate's session gets it: questions without keys, the draw rules."""
    return pb.ExamForm(
        exam_id=str(exam["id"]), title=exam["title"], time_limit_seconds=exam["time_limit_seconds"],
        pass_score=exam["pass_score"], form_version=exam["form_version"], settings=settings_of(exam["settings"]),
        rules=draw_rules(exam, items), questions=[form_question(r) for r in items if not r["withdrawn"]],
    )


def answer_key(exam: asyncpg.Record, items: list[asyncpg.Record], held: list[asyncpg.Record],
               competences: list[asyncpg.Record] = ()) -> pb.AnswerKey:
    """Every pinned item's key (withdrawn ones too: past results were scored with them), and the earlier versions
    a correction for future attempts only keeps for the answers given on them; the competences' names in the
    certificate's language."""
    settings = settings_of(exam["settings"])
    return pb.AnswerKey(
        exam_id=str(exam["id"]), title=exam["title"], pass_score=exam["pass_score"],
        form_version=exam["form_version"], settings=settings,
        items=[item_key(r) for r in items], held=[item_key(r) for r in held],
        competence_names=competence_names(list(competences), settings.certificate_language),
    )


def correction_message(r: asyncpg.Record) -> pb.KeyCorrection:
    return pb.KeyCorrection(
        id=r["id"], item_id=str(r["item_id"]), exam_id=str(r["exam_id"]), exam_title=r["exam_title"],
        from_version=r["from_version"], to_version=r["to_version"], apply=r["apply"], void=r["void"],
        reason=r["reason"], actor=r["actor"], at=timestamp(r["at"]), form_version=r["form_version"],
        exam_published=r["status"] == "published")
