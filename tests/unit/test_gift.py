"""Reading Moodle GIFT: the syntax Moodle documents, and clear reasons for what is refused."""
from gramota.testbank import gift

MOODLE_FILE = r"""
// A comment line, as Moodle writes them
$CATEGORY: $course$/practice/digital-hygiene

::pwd-01:: Какой пароль надёжнее? {
  =Длинная фраза из случайных слов#Верно: длина важнее сложности
  ~12345678#Слишком простой
  ~Дата рождения
  ~Кличка собаки
}

::mc-01::[html]Что защищает аккаунт\: выберите все верные {
  ~%50%Двухфакторная аутентификация
  ~%50%Уникальный пароль
  ~%-100%Пароль в заметке на мониторе
  ####Общий отзыв
}

Отметка 100\% и знаки \~ \= \# \{ \} остаются текстом {=да ~нет}
"""


def test_reads_single_and_multiple_choice_with_escapes_categories_and_feedback():
    questions, errors = gift.parse(MOODLE_FILE)
    assert errors == []
    assert [q.item.type for q in questions] == ["single_choice", "multiple_choice", "single_choice"]
    first, second, third = (q.item for q in questions)
    assert first.external_id == "pwd-01"
    assert first.competence == "practice/digital-hygiene"
    assert [o.weight for o in first.options] == [1.0, 0.0, 0.0, 0.0]
    assert first.options[0].feedback == "Верно: длина важнее сложности"
    assert second.text == "Что защищает аккаунт: выберите все верные"
    assert [o.weight for o in second.options] == [0.5, 0.5, -1.0]
    assert third.text == "Отметка 100% и знаки ~ = # { } остаются текстом"


def test_reports_each_rejected_question_with_its_line_and_imports_the_rest():
    content = ("::ok:: Вопрос {=а ~б}\n\n::tf:: Земля круглая {T}\n\n::bad:: Нет конца {=а ~б\n\n"
               "::mc:: Сумма весов {~%50%а ~%20%б ~в}\n\n::desc:: Описание без ответов\n\n::essay:: Эссе {}\n")
    questions, errors = gift.parse(content)
    assert [q.item.external_id for q in questions] == ["ok", "tf"]
    assert [(e.line, e.reason.split(" ")[0], e.skipped) for e in errors] == [
        (5, "the", False), (7, "positive", False), (9, "skipped:", True), (11, "skipped:", True)]
    assert "100%" in errors[1].reason
    assert "description" in errors[2].reason and "essay" in errors[3].reason


def test_single_choice_needs_exactly_one_right_answer_and_distinct_options():
    _, errors = gift.parse("Q {~а ~б}\n\nQ2 {=а ~а}")
    assert "positive weight" in errors[0].reason
    assert "same text" in errors[1].reason


def test_escape_round_trips_through_unescape():
    text = "a: {b} = ~c # d\\e"
    assert gift.unescape(gift.escape(text)) == text
