"""GIFT as Moodle writes it: a course export with nested categories and [html]/[moodle]/[markdown]/[plain] markers,
Moodle's own examples.txt (when ../shared/standards has it) and a fixture of ours covering the same syntax."""
from pathlib import Path

import pytest

from gramota.testbank import gift, markup, qti
from gramota.testbank.domain import prepare, validate_item

DATA = Path(__file__).parent.parent / "data"
EXPORT = (DATA / "moodle_course_export.gift").read_text(encoding="utf-8")
KNOWN = {"digcomp/1.1", "digcomp/2.6", "digcomp/4.1", "practice/citizen-appeals", "practice/digital-hygiene"}
TOP = "$course$/top/Default for ДЦГ-101"


def line_of(text: str, content: str = EXPORT) -> int:
    return next(n for n, line in enumerate(content.splitlines(), start=1) if line.startswith(text))


def by_title(questions):
    return {q.item.external_id: q.item for q in questions}


def test_a_course_export_imports_every_scorable_question_keeping_each_category_path():
    questions, errors = gift.parse(EXPORT, KNOWN)
    items = by_title(questions)
    assert len(items) == 9
    assert [(e.line, e.skipped) for e in errors] == [(line_of("::Введение в курс::"), True),
                                                    (line_of("::Эссе о фишинге::"), True)]
    assert "description" in errors[0].reason and "essay" in errors[1].reason
    # no mapping: every path kept as the category and as a tag; no competence, so they wait to be assigned
    assert items["Служебный канал"].category == "Default for ДЦГ-101"
    assert items["Второй фактор"].category == "Default for ДЦГ-101/Модуль 1. Пароли/Сложные случаи"
    assert "Модуль 1. Пароли/Сложные случаи" in items["Второй фактор"].tags  # the tag: as much of it as fits
    assert items["Служебный канал"].tags == ["Default for ДЦГ-101", "безопасность"]
    assert {i.competence for i in items.values()} == {""}


def test_format_markers_are_honoured_on_questions_answers_and_feedback():
    items = by_title(gift.parse(EXPORT, KNOWN)[0])
    channel = items["Служебный канал"]
    assert channel.text == "Где обсуждать служебные сведения?"
    assert [o.text for o in channel.options] == ["В личном мессенджере", "В защищённом служебном канале",
                                                 "В открытом чате ведомства"]
    assert [o.feedback for o in channel.options] == ["Нет: личные каналы не защищены.", "Верно.", ""]
    assert channel.general_feedback == "Служебные сведения — только в защищённых каналах."
    assert items["Что делает пароль надёжным"].text == "Что делает пароль надёжным? Выберите все верные ответы."
    assert [o.weight for o in items["Что делает пароль надёжным"].options] == [0.5, 0.5, -1.0]
    assert [a.feedback for a in items["Длина пароля"].numeric] == ["Верно.", "Почти."]
    assert {o.id: o.feedback for o in items["Менеджер паролей"].options} == {"true": "Верно.", "false": "Разрешён."}
    # [moodle]: line breaks kept; [markdown]: emphasis gone; [plain]: kept exactly, angle brackets included
    assert items["Второй фактор"].text == "Как коротко называют двухфакторную аутентификацию?\nОтветьте одним словом."
    assert items["Что делать с письмом"].text == "Письмо с угрозой блокировки. Что делать?"
    assert items["Что делать с письмом"].options[0].feedback == "Верно"
    assert items["Срок ответа"].text == "Срок ответа на обращение по 59-ФЗ, <b>дней</b>?"
    assert items["Ответ на обращение"].text == "Ответ гражданину даётся «по существу»."
    phishing = items["Признаки фишинга"]
    assert "alert" not in phishing.text and "<" not in phishing.text
    assert [o.text for o in phishing.options] == ["Адрес отправителя похож на ведомственный", "Срочность и угрозы",
                                                  "Вложение .exe"]
    for item in items.values():
        for text in [item.text, item.general_feedback, *(o.text for o in item.options),
                     *(o.feedback for o in item.options)]:
            assert "[html]" not in text and "[moodle]" not in text and "<p" not in text


def test_the_mapping_covers_sub_categories_and_the_default_takes_the_rest():
    mapping = {f"{TOP}/Модуль 1. Пароли": "practice/digital-hygiene",
               "Default for ДЦГ-101/Модуль 3. Обращения граждан": "practice/citizen-appeals"}
    items = by_title(gift.parse(EXPORT, KNOWN, mapping, default="digcomp/1.1")[0])
    assert items["Длина пароля"].competence == "practice/digital-hygiene"
    assert items["Второй фактор"].competence == "practice/digital-hygiene"  # a sub-category of a mapped one
    assert items["Срок ответа"].competence == "practice/citizen-appeals"
    assert items["Признаки фишинга"].competence == "digcomp/1.1"
    assert items["Служебный канал"].competence == "digcomp/1.1"
    # a nearer mapping wins over its parent's
    nearer = {**mapping, f"{TOP}/Модуль 1. Пароли/Сложные случаи": "digcomp/4.1"}
    assert by_title(gift.parse(EXPORT, KNOWN, nearer)[0])["Второй фактор"].competence == "digcomp/4.1"


def test_imported_moodle_items_round_trip_through_gift_and_qti():
    questions, _ = gift.parse(EXPORT, KNOWN, default="digcomp/2.6")
    items = [q.item for q in questions]
    text, skipped = gift.write(items)
    again, errors = gift.parse(text, KNOWN)
    assert (skipped, errors) == ([], [])
    assert sorted((i.text, i.type, i.competence, tuple(o.text for o in i.options)) for i in items) == sorted(
        (i.text, i.type, i.competence, tuple(o.text for o in i.options)) for i in (q.item for q in again))
    assert "[plain]Срок ответа на обращение по 59-ФЗ, <b>дней</b>?" in text  # what Moodle's default format would read otherwise
    package, qti_skipped = qti.package({str(n): item for n, item in enumerate(items)})
    back, qti_errors = qti.read(package, KNOWN)
    assert (qti_skipped, qti_errors) == ([], [])
    assert sorted(i.text for i in back) == sorted(i.text for i in items)


def test_html_is_sanitised_to_the_line_structure_the_exam_page_renders():
    html = ('<div><p onclick="x()">Первый <b>абзац</b><img src=x onerror=alert(1)></p><ul><li>раз</li><li>два</li>'
            '</ul><style>p{}</style><script>alert(1)</script><p>a &amp; b &lt;c&gt;</p></div>')
    assert markup.to_text(html, "html") == "Первый абзац\n• раз\n• два\na & b <c>"
    assert markup.read("[plain]<b>как есть</b>") == "<b>как есть</b>"
    assert markup.read("без отметки\nвторая строка") == "без отметки\nвторая строка"


OURS = (DATA / "gift_syntax_examples.gift").read_text(encoding="utf-8")


def assert_every_question_reads(content: str) -> list:
    questions, errors = gift.parse(content, set())
    assert errors == [], errors
    for q in questions:
        prepare(q.item)
        assert validate_item(q.item, set()) == []
    return questions


def test_our_fixture_of_moodles_documented_syntax_reads_whole():
    questions = assert_every_question_reads(OURS)
    assert len(questions) == 17
    items = by_title(questions)
    assert [o.text for o in items["Управляющие символы"].options] == ["~", "=", "#", "{", "\\"]
    assert items["Управляющие символы"].options[4].feedback == "Верно! \\ не управляющий, но\nэкранирует остальные."
    assert [(a.value, a.tolerance, a.weight) for a in items["Числовой с отзывом"].numeric] == [
        (2010, 0, 1), (2010, 1, 0.5)]
    texts = {q.item.text: q.item for q in questions}
    assert texts["Где хранить пароли?"].type == "short_answer"
    assert texts["Пароль меняют _____ по регламенту."].options[1].weight == 1
    assert [o.text for o in texts["Какой ответ равен 5?"].options] == ["= 2 + 2", "= 2 + 3"]
    assert [(o.text, o.target) for o in texts["Сопоставьте органы."].options][0] == ("ФНС", "налоги")


MOODLE_EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "standards" / "moodle" / "examples.txt"


def test_moodles_own_examples_file_reads_whole():
    """Moodle's question/format/gift/examples.txt (GPL test data inside Moodle; no package registry carries it),
    read from ../shared/standards/moodle/ when it is there."""
    if not MOODLE_EXAMPLES.exists():
        pytest.skip(f"Moodle's examples.txt is not at {MOODLE_EXAMPLES}: put a copy there to run this check")
    questions = assert_every_question_reads(MOODLE_EXAMPLES.read_text(encoding="utf-8"))
    assert len(questions) >= 40
