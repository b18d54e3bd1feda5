"""A Moodle course export into the bank on real PostgreSQL: category mapping remembered per bank, unknown competences
refused before anything is stored, unassigned items listed, never drawn by a blueprint until assigned in bulk."""
from __future__ import annotations

from pathlib import Path

import pytest

from gramota.contracts.testbank.v1 import testbank_pb2 as pb
from gramota.shared.errors import Conflict, InvalidArgument

from .test_bank_service import bank  # noqa: F401  (the fixture: a fresh schema per test)

pytestmark = pytest.mark.integration

EXPORT = (Path(__file__).parent.parent / "data" / "moodle_course_export.gift").read_text(encoding="utf-8")
PASSWORDS = "$course$/top/Default for ДЦГ-101/Модуль 1. Пароли"


async def count(bank, **filters) -> int:
    return (await bank.SearchItems(pb.SearchItemsRequest(limit=1000, **filters), None)).total


async def test_a_mapping_naming_an_unknown_competence_is_refused_and_nothing_is_stored(bank):
    for mapping, default in (({PASSWORDS: "digcomp/9.9"}, ""), ({PASSWORDS: "digcomp/4.1"}, "no/such")):
        with pytest.raises(InvalidArgument, match="do not exist") as refused:
            await bank.ImportItems(pb.ImportItemsRequest(format="gift", content=EXPORT, category_competences=mapping,
                                                         default_competence=default), None)
        assert refused.value.code == "unknown_competence"
    assert await count(bank) == 0
    assert (await bank.GetCategoryMap(pb.GetCategoryMapRequest(), None)).category_competences == {}


async def test_the_mapping_is_remembered_and_unassigned_items_wait_until_assigned_in_bulk(bank):
    first = await bank.ImportItems(pb.ImportItemsRequest(
        format="gift", content=EXPORT, category_competences={PASSWORDS: "practice/digital-hygiene"}), None)
    assert first.imported == 9 and [(e.skipped, e.line > 0) for e in first.errors] == [(True, True), (True, True)]
    assert dict(first.category_competences) == {"Default for ДЦГ-101/Модуль 1. Пароли": "practice/digital-hygiene"}
    assert await count(bank, competence="practice/digital-hygiene") == 4  # the category and its sub-category
    assert len(first.unassigned_item_ids) == 5 and await count(bank, unassigned=True) == 5
    item = await bank.GetItem(pb.GetItemRequest(item_id=first.unassigned_item_ids[0]), None)
    assert item.category.startswith("Default for ДЦГ-101") and item.category in item.tags

    # the next import of the course needs no mapping: the bank remembers it
    second = await bank.ImportItems(pb.ImportItemsRequest(format="gift", content=EXPORT), None)
    assert second.imported == 9 and await count(bank, competence="practice/digital-hygiene") == 8

    # a blueprint drawing from any competence never takes the 10 unassigned items
    exam = await bank.CreateExam(pb.CreateExamRequest(title="Любые", time_limit_seconds=600, pass_score=50,
                                                      rules=[pb.BlueprintRule(count=9)]), None)
    with pytest.raises(Conflict, match="needs 9 items, but the bank has 8 eligible"):
        await bank.PublishExam(pb.PublishExamRequest(exam_id=exam.id), None)

    unassigned = await bank.SearchItems(pb.SearchItemsRequest(unassigned=True, limit=1000), None)
    with pytest.raises(InvalidArgument, match="no competence"):
        await bank.AssignCompetence(pb.AssignCompetenceRequest(item_ids=[i.id for i in unassigned.items],
                                                               competence="nope"), None)
    assert await count(bank, unassigned=True) == 10
    done = await bank.AssignCompetence(pb.AssignCompetenceRequest(item_ids=[i.id for i in unassigned.items],
                                                                  competence="digcomp/2.6"), None)
    assert done.assigned == 10 and await count(bank, unassigned=True) == 0
    assigned = await bank.GetItem(pb.GetItemRequest(item_id=unassigned.items[0].id), None)
    assert (assigned.competence, assigned.version, assigned.category) == (
        "digcomp/2.6", 2, unassigned.items[0].category)
    published = await bank.PublishExam(pb.PublishExamRequest(exam_id=exam.id), None)
    assert published.rules[0].pool_size == 18
