"""The test bank on real PostgreSQL: versions pinned by exams, blueprints checked at publishing, fast imports."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.testbank.v1 import testbank_pb2 as pb
from gramota.shared.errors import Conflict, InvalidArgument
from gramota.testbank import server


@pytest.fixture
async def bank(schema_pools):
    return server.TestBankServicer(await schema_pools("testbank", max_size=4))


def choice(text: str, competence: str = "digcomp/4.2", difficulty: int = 3, tags=()) -> pb.CreateItemRequest:
    return pb.CreateItemRequest(type=pb.ITEM_TYPE_SINGLE_CHOICE, text=text, competence=competence,
                                difficulty=difficulty, tags=list(tags),
                                options=[pb.Option(text="верно", weight=1), pb.Option(text="неверно")])


def gift_bank(n: int, category: str = "practice/digital-hygiene") -> str:
    parts = [f"$CATEGORY: {category}", ""]
    for i in range(n):
        parts += [f"// difficulty: {1 + i % 5}", f"::q{i}:: Вопрос номер {i}? {{=верно ~неверно ~не знаю}}", ""]
    return "\n".join(parts)


async def test_editing_makes_a_new_version_and_published_exams_keep_the_old_one(bank):
    item = await bank.CreateItem(choice("Версия один"), None)
    exam = await bank.CreateExam(pb.CreateExamRequest(title="E", time_limit_seconds=600, pass_score=50,
                                                      item_ids=[item.id]), None)
    await bank.PublishExam(pb.PublishExamRequest(exam_id=exam.id), None)
    edited = choice("Версия два")
    edited.options[0].weight, edited.options[1].weight = 0, 1
    v2 = await bank.UpdateItem(pb.UpdateItemRequest(item_id=item.id, item=edited, expected_version=1), None)
    assert (v2.version, v2.text) == (2, "Версия два")
    key = await bank.GetAnswerKey(pb.GetAnswerKeyRequest(exam_id=exam.id), None)
    assert [(k.item_version, dict(k.option_weights)) for k in key.items] == [(1, {"o1": 1.0, "o2": 0.0})]
    form = await bank.GetExamForm(pb.GetExamFormRequest(exam_id=exam.id), None)
    assert form.questions[0].text == "Версия один"
    old = await bank.GetItem(pb.GetItemRequest(item_id=item.id, version=1), None)
    assert (old.text, old.current_version) == ("Версия один", 2)
    versions = await bank.ListItemVersions(pb.ListItemVersionsRequest(item_id=item.id), None)
    assert [v.version for v in versions.items] == [1, 2]
    with pytest.raises(Conflict, match="version 2, not 1"):
        await bank.UpdateItem(pb.UpdateItemRequest(item_id=item.id, item=edited, expected_version=1), None)
    # the exam could not be drawn without it: retiring names it and waits for a confirmation
    with pytest.raises(Conflict, match="unable to draw") as refused:
        await bank.RetireItem(pb.RetireItemRequest(item_id=item.id), None)
    assert refused.value.code == "retire_shortens_exams" and refused.value.metadata["exam_ids"] == exam.id
    assert not (await bank.GetItem(pb.GetItemRequest(item_id=item.id), None)).retired
    await bank.RetireItem(pb.RetireItemRequest(item_id=item.id, confirm=True), None)
    closed = await bank.GetExam(pb.GetExamRequest(exam_id=exam.id), None)
    assert closed.status == pb.EXAM_STATUS_RETIRED  # closed to new attempts, never drawn short
    with pytest.raises(InvalidArgument, match="retired"):
        await bank.CreateExam(pb.CreateExamRequest(title="E2", time_limit_seconds=600, pass_score=50,
                                                   item_ids=[item.id]), None)
    async with bank.pool.acquire() as conn:  # a retired item stays pinned (past results keep its key), withdrawn
        pins = await conn.fetch("SELECT withdrawn FROM exam_items WHERE exam_id = $1::uuid", exam.id)
    assert [p["withdrawn"] for p in pins] == [True]


async def test_invalid_items_are_refused_with_what_is_wrong(bank):
    with pytest.raises(InvalidArgument, match="exactly one correct option, got 0"):
        await bank.CreateItem(pb.CreateItemRequest(type=pb.ITEM_TYPE_SINGLE_CHOICE, text="Q",
                                                   options=[pb.Option(text="a"), pb.Option(text="b")]), None)
    with pytest.raises(InvalidArgument, match="unknown competence 'digcomp/9.9'"):
        await bank.CreateItem(choice("Q", competence="digcomp/9.9"), None)


async def test_a_blueprint_is_refused_until_the_bank_can_satisfy_it(bank):
    rules = [pb.BlueprintRule(count=3, competence="practice", difficulty_min=2, difficulty_max=4),
             pb.BlueprintRule(count=2, competence="digcomp/4.2")]
    settings = events_pb2.ExamSettings(attempts_allowed=2, cooldown_seconds=60, shuffle_questions=True,
                                       validity_days=365, area_minimums={"practice": 50})
    exam = await bank.CreateExam(pb.CreateExamRequest(title="Blueprint", time_limit_seconds=1800, pass_score=70,
                                                      rules=rules, settings=settings), None)
    assert exam.question_count == 5
    for n in range(2):
        await bank.CreateItem(choice(f"Защита данных {n}"), None)
    with pytest.raises(Conflict, match=r"rule 1 \(competence practice, difficulty 2-4\) needs 3 items, but the bank has 0"):
        await bank.PublishExam(pb.PublishExamRequest(exam_id=exam.id), None)
    await bank.ImportItems(pb.ImportItemsRequest(format="gift", content=gift_bank(10)), None)
    matching = await bank.CreateItem(pb.CreateItemRequest(
        type=pb.ITEM_TYPE_MATCHING, text="Сопоставьте", competence="digcomp/4.2",
        options=[pb.Option(text="a", target="1"), pb.Option(text="b", target="2")]), None)
    published = await bank.PublishExam(pb.PublishExamRequest(exam_id=exam.id), None)
    assert [r.pool_size for r in published.rules] == [6, 3]  # difficulties 2-4 of 10; both digcomp/4.2 + matching
    form = await bank.GetExamForm(pb.GetExamFormRequest(exam_id=exam.id), None)
    assert [r.count for r in form.rules] == [3, 2]
    assert form.settings.attempts_allowed == 2 and form.settings.area_minimums["practice"] == 50
    assert len(form.questions) == 9
    key = await bank.GetAnswerKey(pb.GetAnswerKeyRequest(exam_id=exam.id), None)
    assert {k.item_id for k in key.items} == {q.item_id for q in form.questions}
    match_key = next(k for k in key.items if k.item_id == matching.id)
    assert len(match_key.correct_pairs) == 2 and match_key.competence_area == "digcomp/4"
    match_q = next(q for q in form.questions if q.item_id == matching.id)
    assert {t.id for t in match_q.targets} == set(match_key.correct_pairs.values())


async def test_rules_that_would_count_one_item_twice_are_refused(bank):
    await bank.ImportItems(pb.ImportItemsRequest(format="gift", content=gift_bank(4)), None)
    exam = await bank.CreateExam(pb.CreateExamRequest(title="Overlap", time_limit_seconds=600, pass_score=50, rules=[
        pb.BlueprintRule(count=3, competence="practice/digital-hygiene"),
        pb.BlueprintRule(count=2, competence="practice")]), None)
    with pytest.raises(Conflict, match="need 5 distinct items"):
        await bank.PublishExam(pb.PublishExamRequest(exam_id=exam.id), None)


async def test_search_finds_by_competence_area_tag_and_text(bank):
    await bank.CreateItem(choice("Пароль и двухфакторная защита", tags=["пароли"]), None)
    await bank.CreateItem(choice("Госпаблик района", competence="practice/official-page"), None)
    by_area = await bank.SearchItems(pb.SearchItemsRequest(competence="digcomp/4"), None)
    by_tag = await bank.SearchItems(pb.SearchItemsRequest(tag="пароли"), None)
    by_text = await bank.SearchItems(pb.SearchItemsRequest(text="госпаблик"), None)
    assert [i.text for i in by_area.items] == [i.text for i in by_tag.items] == ["Пароль и двухфакторная защита"]
    assert [i.competence for i in by_text.items] == ["practice/official-page"]


async def test_importing_2000_gift_questions_takes_under_10_seconds(bank):
    content = gift_bank(2000) + "\n::bad:: без ответов\n"
    started = time.perf_counter()
    reply = await bank.ImportItems(pb.ImportItemsRequest(format="gift", content=content), None)
    elapsed = time.perf_counter() - started
    print(f"\nimported {reply.imported} GIFT questions in {elapsed:.2f}s")
    assert reply.imported == 2000 and [e.line for e in reply.errors] == [content.splitlines().index("::bad:: без ответов") + 1]
    assert elapsed < 10


async def test_export_and_reimport_through_the_service(bank):
    await bank.ImportItems(pb.ImportItemsRequest(format="gift", content=gift_bank(3)), None)
    await bank.CreateItem(pb.CreateItemRequest(type=pb.ITEM_TYPE_ORDERING, text="Порядок", competence="practice/citizen-appeals",
                                               options=[pb.Option(text="раз"), pb.Option(text="два")]), None)
    gift_export = await bank.ExportItems(pb.ExportItemsRequest(format="gift"), None)
    assert gift_export.exported == 3 and len(gift_export.skipped) == 1 and "ordering" in gift_export.skipped[0].reason
    qti_export = await bank.ExportItems(pb.ExportItemsRequest(format="qti"), None)
    assert qti_export.exported == 4
    again = await bank.ImportItems(pb.ImportItemsRequest(format="qti", data=qti_export.data), None)
    assert (again.imported, list(again.errors)) == (4, [])


async def test_the_demo_bank_satisfies_both_demo_blueprints(bank):
    from gramota.seed import BANK, EXAMS

    reply = await bank.ImportItems(pb.ImportItemsRequest(format="gift", content=BANK.read_text(encoding="utf-8")), None)
    assert reply.imported >= 80 and list(reply.errors) == []
    for demo in EXAMS:
        settings = events_pb2.ExamSettings(**demo["settings"])
        exam = await bank.CreateExam(pb.CreateExamRequest(
            title=demo["title"], time_limit_seconds=demo["time_limit_seconds"], pass_score=demo["pass_score"],
            settings=settings, rules=[pb.BlueprintRule(**r) for r in demo["rules"]]), None)
        published = await bank.PublishExam(pb.PublishExamRequest(exam_id=exam.id), None)
        assert all(r.pool_size > r.count for r in published.rules)  # room for every candidate to draw differently
    exams = (await bank.ListExams(pb.ListExamsRequest(), None)).exams
    assert [(e.question_count, e.time_limit_seconds, e.pass_score) for e in exams] == [(20, 1800, 70), (10, 900, 60)]


# --- a Moodle course export: category mapping remembered, unassigned items assigned in bulk ----------------
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
