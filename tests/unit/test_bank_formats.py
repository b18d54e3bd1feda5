"""GIFT and QTI 2.1 both ways: every type each format can hold survives a round trip."""
import pytest

from gramota.testbank import gift, qti
from gramota.testbank.domain import (
    AcceptedText,
    ItemDraft,
    NumericAnswer,
    OptionDraft,
    prepare,
    true_false,
    validate_item,
)


def bank() -> list[ItemDraft]:
    items = [
        ItemDraft("single_choice", "Какой пароль надёжнее: {длинный} или = короткий?",
                  [OptionDraft("Длинная фраза", 1, "Верно: длина важнее"), OptionDraft("12345678", 0, "Слишком просто"),
                   OptionDraft("Частично # верно", 0.5)],
                  competence="practice/digital-hygiene", external_id="pwd-01", difficulty=2, tags=["пароли", "база"],
                  general_feedback="Общий отзыв"),
        ItemDraft("multiple_choice", "Что защищает аккаунт?\nВыберите все верные.",
                  [OptionDraft("2FA", 1 / 3), OptionDraft("Уникальный пароль", 2 / 3),
                   OptionDraft("Пароль на стикере", -0.5, "Его видят все")],
                  competence="digcomp/4.2", difficulty=4),
        true_false("Пост «для двух друзей» может стать публичным", True, competence="digcomp/2.6", difficulty=1),
        true_false("Общий пароль отдела безопасен", False),
        ItemDraft("short_answer", "Как называется знак, подтверждающий госпаблик?",
                  accepted=[AcceptedText("галочка", 1, "Да"), AcceptedText("отметка госпаблика", 1),
                            AcceptedText("значок", 0.5)], difficulty=3),
        ItemDraft("numeric", "За сколько часов нужно ответить на комментарий?",
                  numeric=[NumericAnswer(24, 0), NumericAnswer(48, 2.5, 0.5, "Поздновато")], difficulty=5),
        ItemDraft("matching", "Сопоставьте ситуацию и канал",
                  [OptionDraft("Паводок", target="Срочное оповещение"), OptionDraft("Отключение воды", target="Пост"),
                   OptionDraft("Пожар", target="Срочное оповещение")], extra_targets=["Пресс-релиз через месяц"]),
    ]
    for item in items:
        prepare(item)
        assert validate_item(item) == [], item.text
    return items


def comparable(item: ItemDraft) -> tuple:
    return (item.type, item.text, [(o.id, o.text, round(o.weight, 6), o.feedback, o.target) for o in item.options],
            item.competence, item.external_id, item.difficulty, sorted(item.tags),
            [(a.text, a.weight, a.feedback) for a in item.accepted],
            [(a.value, a.tolerance, a.weight, a.feedback) for a in item.numeric], item.extra_targets,
            item.general_feedback)


def test_gift_round_trip_keeps_everything_gift_can_hold():
    items = bank()
    text, skipped = gift.write(items)
    assert skipped == []
    questions, errors = gift.parse(text)
    assert errors == []
    by_text = {q.item.text: q.item for q in questions}
    for item in items:
        assert comparable(by_text[item.text]) == comparable(item)


def test_gift_cannot_hold_ordering_and_says_so():
    item = ItemDraft("ordering", "Порядок", [OptionDraft("a"), OptionDraft("b")])
    prepare(item)
    _, skipped = gift.write([item])
    assert "ordering" in skipped[0][1]


def test_qti_round_trip_keeps_everything_qti_can_hold():
    items = bank()
    ordering = ItemDraft("ordering", "Расставьте шаги ответа на жалобу",
                         [OptionDraft("Поблагодарить"), OptionDraft("Разобраться"), OptionDraft("Ответить по существу")],
                         competence="practice/citizen-appeals", difficulty=3, tags=["жалобы"])
    prepare(ordering)
    items.append(ordering)
    data, skipped = qti.package({str(n): item for n, item in enumerate(items)})
    assert skipped == []
    back, errors = qti.read(data)
    assert errors == []
    assert [comparable(c) for c in back] == [comparable(o) for o in items]


def test_qti_import_reports_unsupported_interactions_by_item_id_and_keeps_the_rest():
    good = qti.write_item(bank()[0], "good-1")
    bad = good.replace("choiceInteraction", "hotspotInteraction")
    import io
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("a.xml", good)
        zf.writestr("b.xml", bad)
        zf.writestr("c.xml", "<not-closed")
    items, errors = qti.read(buffer.getvalue())
    assert [i.external_id for i in items] == ["pwd-01"]
    assert [(e.item_id, e.reason.split()[0]) for e in errors] == [("b.xml", "hotspotInteraction"), ("c.xml", "not")]


@pytest.mark.parametrize("answer", ["TRUE", "T", "F", "FALSE"])
def test_true_false_in_gift(answer):
    questions, errors = gift.parse(f"Верно ли? {{{answer}#неверно выбрано#верно выбрано}}")
    assert errors == []
    item = questions[0].item
    right = "true" if answer.startswith("T") else "false"
    assert {o.id: o.weight for o in item.options} == {right: 1.0, ("false" if right == "true" else "true"): 0.0}
    assert {o.id: o.feedback for o in item.options}[right] == "верно выбрано"


HAND_WRITTEN = r"""// Written by hand following https://docs.moodle.org/en/GIFT_format
$CATEGORY: $course$/top/practice/emergency-communication

// difficulty: 4
// [tag:паводок] [tag:оповещение]
::em-1::[html]Кто первым сообщает жителям об угрозе паводка? {
    =Оперативный штаб региона#Верно
    ~%-50%Блогер из соседнего района#Непроверенный источник
    ~Никто
    #### Общий отзыв\: проверяйте источники
}

::em-2:: Сколько часов действует режим ЧС по умолчанию? {#24:2}

::em-3:: Диапазон {#1..5}

::em-4:: Несколько числовых ответов {#
    =%100%30:0#Точно
    =%50%30:5#Близко
}

$CATEGORY: $course$/top/digcomp/2.6
::em-5:: Сопоставьте {
    =Госпаблик -> официальная страница
    =Фейк -> копия с гербом
    = -> личный блог
}

::em-6:: Как называется двухфакторная аутентификация коротко? {=2FA =двухфакторка =%50%пароль и код}

::em-7:: Пост «для двух друзей» не утечёт.{FALSE#Утечёт.}

// a comment between questions
Специальные символы \~ \= \# \{ \} \: остаются текстом, а \\n — перевод строки {=да ~нет}

::bad-1:: Эссе без ответов {}

$CATEGORY: $course$/top/unknown/topic
::bad-2:: Вопрос из неизвестной категории {=а ~б}
"""


def test_reads_a_hand_written_moodle_file_with_every_construct():
    known = {"practice/emergency-communication", "digcomp/2.6"}
    questions, errors = gift.parse(HAND_WRITTEN, known)
    items = {q.item.external_id: q.item for q in questions}
    assert sorted(items) == ["", "bad-2", "em-1", "em-2", "em-3", "em-4", "em-5", "em-6", "em-7"]
    em1 = items["em-1"]
    assert (em1.type, em1.competence, em1.difficulty, em1.tags) == (
        "single_choice", "practice/emergency-communication", 4, ["оповещение", "паводок"])
    assert [o.weight for o in em1.options] == [1.0, -0.5, 0.0]
    assert em1.general_feedback == "Общий отзыв: проверяйте источники"
    assert em1.options[1].feedback == "Непроверенный источник"
    assert [(a.value, a.tolerance) for a in items["em-2"].numeric] == [(24, 2)]
    assert [(a.value, a.tolerance) for a in items["em-3"].numeric] == [(3, 2)]
    assert [(a.value, a.tolerance, a.weight, a.feedback) for a in items["em-4"].numeric] == [
        (30, 0, 1, "Точно"), (30, 5, 0.5, "Близко")]
    em5 = items["em-5"]
    assert (em5.type, em5.competence) == ("matching", "digcomp/2.6")
    assert [(o.text, o.target) for o in em5.options] == [("Госпаблик", "официальная страница"),
                                                        ("Фейк", "копия с гербом")]
    assert em5.extra_targets == ["личный блог"]
    assert [(a.text, a.weight) for a in items["em-6"].accepted] == [("2FA", 1), ("двухфакторка", 1),
                                                                    ("пароль и код", 0.5)]
    em7 = items["em-7"]
    assert (em7.type, {o.id: o.weight for o in em7.options}) == ("true_false", {"true": 0.0, "false": 1.0})
    assert items[""].text == "Специальные символы ~ = # { } : остаются текстом, а \\n — перевод строки"
    reasons = {e.line: e.reason for e in errors}
    assert "essay" in reasons[HAND_WRITTEN.splitlines().index("::bad-1:: Эссе без ответов {}") + 1]
    # a category that names no competence never rejects a question: it waits, unassigned, with its path as a tag
    assert (items["bad-2"].competence, items["bad-2"].category, items["bad-2"].tags) == (
        "", "unknown/topic", ["unknown/topic"])


def test_seed_bank_reads_whole_with_difficulty_and_competences():
    from pathlib import Path

    import gramota.testbank
    content = (Path(gramota.testbank.__file__).parent / "seed" / "bank-ru.gift").read_text(encoding="utf-8")
    questions, errors = gift.parse(content)
    assert errors == [] and len(questions) >= 80
    assert {q.item.difficulty for q in questions} == {1, 2, 3, 4, 5}
    assert {q.item.competence for q in questions} >= {
        "practice/official-page", "practice/citizen-appeals", "practice/negative-comments",
        "practice/emergency-communication", "practice/digital-hygiene"}


SPEC_STYLE_CHOICE = """<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="choice" title="Unattended Luggage"
    adaptive="false" timeDependent="false">
  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">
    <correctResponse><value>ChoiceA</value></correctResponse>
  </responseDeclaration>
  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>
  <itemBody>
    <p>Look at the text in the picture.</p>
    <choiceInteraction responseIdentifier="RESPONSE" shuffle="false" maxChoices="1">
      <prompt>What does it say?</prompt>
      <simpleChoice identifier="ChoiceA">You must stay with your luggage at all times.</simpleChoice>
      <simpleChoice identifier="ChoiceB">Do not let someone else look after your luggage.</simpleChoice>
    </choiceInteraction>
  </itemBody>
  <responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"/>
</assessmentItem>"""

SPEC_STYLE_TEXT_ENTRY = """<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="textEntry"
    title="Richard III" adaptive="false" timeDependent="false">
  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="string">
    <correctResponse><value>York</value></correctResponse>
    <mapping defaultValue="0"><mapEntry mapKey="York" mappedValue="1"/><mapEntry mapKey="york" mappedValue="0.5"/></mapping>
  </responseDeclaration>
  <itemBody><p>Identify the missing word: Now is the winter of our discontent made glorious summer by this sun of
    <textEntryInteraction responseIdentifier="RESPONSE" expectedLength="15"/>.</p></itemBody>
  <responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/map_response"/>
</assessmentItem>"""


def test_reads_qti_items_written_as_the_specification_shows():
    choice = qti.read_item(SPEC_STYLE_CHOICE)
    assert (choice.type, choice.external_id, choice.text) == (
        "single_choice", "Unattended Luggage", "Look at the text in the picture.\nWhat does it say?")
    assert [(o.id, o.weight) for o in choice.options] == [("ChoiceA", 1.0), ("ChoiceB", 0.0)]
    entry = qti.read_item(SPEC_STYLE_TEXT_ENTRY)
    assert entry.type == "short_answer" and entry.text.startswith("Identify the missing word")
    assert [(a.text, a.weight) for a in entry.accepted] == [("York", 1.0), ("york", 0.5)]
