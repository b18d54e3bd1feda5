"""An official sits an exam on the exam page in a real browser: log in, start, answer, reload, submit, result."""
from __future__ import annotations

import json
import re
import uuid
from concurrent.futures import ThreadPoolExecutor

from playwright.sync_api import expect

from tests.conftest import STATE

from .conftest import make_candidate, make_exam, query, wait_until

GIFT = """
$CATEGORY: practice/digital-hygiene

::page-1:: Что включить, чтобы защитить служебный аккаунт? {=Двухфакторную аутентификацию ~Автосохранение пароля в браузере ~Общий пароль отдела}

$CATEGORY: digcomp/4.2

::page-2:: Что защищает переписку? Выберите все верные {~%50%Уникальные пароли ~%50%Обновления системы ~%-100%Пересылка паролей в мессенджере}

::page-3:: Пост «для двух друзей» в закрытом чате {=может стать публичным ~никогда не утечёт ~удаляется сам}
"""


def log_in(page, username: str) -> None:
    page.goto("/exam")
    expect(page).to_have_url(re.compile(r"/exam/login"))
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill("secret-pass-1")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", name="Мои экзамены")).to_be_visible()


def all_saved(page) -> None:
    expect(page.locator("#save-state")).to_have_attribute("data-pending", "0")
    expect(page.locator("#save-state")).to_have_text("Ответы сохранены")


def fits_the_phone(page, screenshot: str) -> None:
    """Nothing wider than the phone's screen; the screenshot is kept for a human to look at."""
    page.screenshot(path=str(STATE / screenshot), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def not_scored_yet(route) -> None:
    """The attempt as the result page sees it before scoring is done, whatever the server has got to."""
    response = route.fetch()
    body = response.json()
    if body.get("status") == "scored":
        body.update(status="submitted", score=None, passed=None, pass_score=None, subscores=[], certificate_serial=None)
    route.fulfill(response=response, json=body)


def question(page, n: int) -> None:
    page.locator(".qnav button").nth(n - 1).click()
    expect(page.locator("#question legend")).to_contain_text(f"Вопрос {n} из")


def test_official_takes_a_whole_exam_on_the_page_and_sees_the_result(page, api, admin):
    username = f"page-{uuid.uuid4().hex[:6]}"
    make_candidate(api, admin, username)
    exam = make_exam(api, admin, GIFT, f"Экзамен на странице {username}", pass_score=60)

    page.set_viewport_size({"width": 390, "height": 844})  # an official's phone
    log_in(page, username)
    card = page.locator(f'[data-exam-id="{exam["id"]}"]')
    expect(card).to_contain_text("Осталось попыток: без ограничений")
    fits_the_phone(page, "exam-list-phone.png")
    card.get_by_role("button", name="Начать").click()
    expect(page.locator("#timer")).to_contain_text(re.compile(r"Осталось (09|10):\d\d"))

    page.get_by_label("Двухфакторную аутентификацию").check()
    all_saved(page)
    page.get_by_role("button", name="Далее").click()
    page.get_by_label("Уникальные пароли").check()
    page.get_by_label("Обновления системы").check()
    page.get_by_role("button", name="Отметить для проверки").click()
    all_saved(page)
    expect(page.locator(".qnav button").nth(1)).to_have_attribute("aria-label", "Вопрос 2 (есть ответ, отмечен)")

    page.reload()  # the connection dropped, or the official opened the page again
    question(page, 1)
    expect(page.get_by_label("Двухфакторную аутентификацию")).to_be_checked()
    question(page, 2)
    expect(page.get_by_label("Уникальные пароли")).to_be_checked()
    expect(page.get_by_label("Обновления системы")).to_be_checked()
    expect(page.get_by_label("Пересылка паролей в мессенджере")).not_to_be_checked()
    expect(page.get_by_role("button", name="Снять отметку")).to_be_visible()
    question(page, 3)
    page.get_by_label("может стать публичным").check()
    all_saved(page)

    # the result page first sees the attempt as not scored yet (held back here), then polls until it is
    result_api = re.compile(r"/api/v1/attempts/[^/?]+\?lang=")
    page.route(result_api, not_scored_yet)
    page.locator("#finish").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Без ответа: 0 · Отмечено для проверки: 1")
    dialog.get_by_role("button", name="Завершить").click()

    expect(page).to_have_url(re.compile(r"/result"))
    expect(page.locator("#breakdown-pending")).to_have_text("Результаты по компетенциям появятся после проверки.")
    expect(page.locator(".subscore")).to_have_count(0)
    page.unroute(result_api)
    expect(page.locator("#score")).to_have_text(re.compile(r"^100\s%$"), timeout=60_000)
    expect(page.locator("#verdict")).to_have_text("Экзамен сдан")
    expect(page.locator("#pass-score")).to_have_text(re.compile(r"Проходной балл экзамена: 60\s%"))
    # per competence, by area (DigComp's "Safety" before the programme's practice), with points
    rows = page.locator("#breakdown .subscore")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_be_visible()
    expect(rows.nth(0).locator(".subscore-name")).to_have_text("Защита персональных данных и приватности")
    expect(rows.nth(0).locator(".subscore-figures")).to_have_text(re.compile(r"^2 из 2 · 100\s%$"))
    expect(rows.nth(1).locator(".subscore-name")).to_have_text("Цифровая гигиена и приватность")
    expect(rows.nth(1).locator(".subscore-figures")).to_have_text(re.compile(r"^1 из 1 · 100\s%$"))
    expect(page.locator("#breakdown h3")).to_have_text(["Безопасность", "Практика служащего"])
    expect(page.locator("#certificate")).to_be_visible(timeout=60_000)
    fits_the_phone(page, "exam-result-phone.png")

    # the same result in English
    page.goto(page.url.split("?")[0] + "?lang=en")
    expect(page.locator("#breakdown h2")).to_have_text("Results by competence")
    expect(rows.nth(0).locator(".subscore-name")).to_have_text("Protecting personal data and privacy")
    expect(rows.nth(0).locator(".subscore-figures")).to_have_text(re.compile(r"^2 of 2 · 100%$"))
    expect(page.locator("#pass-score")).to_have_text(re.compile(r"Pass mark of the exam: 60%"))
    page.goto(page.url.split("?")[0] + "?lang=ru")

    # back on the list: the attempt counted, the result is one click away
    page.get_by_role("link", name="К списку экзаменов").click()
    expect(card.get_by_role("link", name="Последний результат")).to_be_visible()



EVERY_TYPE = [
    {"id": "t-single", "item_version": 1, "type": "single_choice", "text": "Где публиковать официальные новости?",
     "options": [{"id": "o1", "text": "На официальной странице"}, {"id": "o2", "text": "В личном чате"}], "targets": []},
    {"id": "t-multi", "item_version": 1, "type": "multiple_choice", "text": "Признаки фишинга",
     "options": [{"id": "o1", "text": "Срочность"}, {"id": "o2", "text": "Чужой домен"}, {"id": "o3", "text": "Подпись отдела"}],
     "targets": []},
    {"id": "t-tf", "item_version": 1, "type": "true_false", "text": "Пароль можно пересылать в мессенджере.",
     "options": [{"id": "true", "text": "Верно"}, {"id": "false", "text": "Неверно"}], "targets": []},
    {"id": "t-order", "item_version": 1, "type": "ordering", "text": "Порядок ответа на жалобу",
     "options": [{"id": "s1", "text": "Поблагодарить"}, {"id": "s2", "text": "Разобраться"}, {"id": "s3", "text": "Сообщить итог"}],
     "targets": []},
    {"id": "t-match", "item_version": 1, "type": "matching", "text": "Сопоставьте",
     "options": [{"id": "l1", "text": "ЧС"}, {"id": "l2", "text": "Жалоба"}],
     "targets": [{"id": "g1", "text": "Оперативное сообщение"}, {"id": "g2", "text": "Ответ заявителю"}]},
    {"id": "t-short", "item_version": 1, "type": "short_answer", "text": "Как называется вход с двумя факторами?",
     "options": [], "targets": []},
    {"id": "t-num", "item_version": 1, "type": "numeric", "text": "Сколько рабочих дней на ответ?", "options": [], "targets": []},
]


def sql(system, statement: str, *args):
    """query() in a thread of its own: Playwright's sync API keeps an event loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(query, system.database_url, statement, *args).result()


def publish_form(system, questions: list[dict]) -> str:
    """A form with every item type, cached in sessions as the `exam published` event does it.

    The test bank's import does not make every type yet; what the page must handle is the form sessions holds.
    """
    exam_id = str(uuid.uuid4())
    sql(system,
          "INSERT INTO sessions.exam_forms (exam_id, title, time_limit_seconds, pass_score, form_version, questions)"
          " VALUES ($1, $2, 1200, 60, 1, $3::jsonb)", uuid.UUID(exam_id), f"Все типы вопросов {exam_id[:6]}",
          json.dumps(questions))
    return exam_id


def test_every_question_type_is_answered_by_keyboard_kept_over_a_reload_and_fits_a_phone(page, api, admin, system):
    username = f"types-{uuid.uuid4().hex[:6]}"
    make_candidate(api, admin, username)
    exam_id = publish_form(system, EVERY_TYPE)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, username)
    page.locator(f'[data-exam-id="{exam_id}"]').get_by_role("button", name="Начать").click()
    expect(page.locator("#timer")).to_be_visible()
    attempt_id = page.url.split("/attempts/")[1].split("?")[0].split("#")[0]
    texts = [q["text"] for q in EVERY_TYPE]

    def to(qid: str) -> None:
        wanted = next(q["text"] for q in EVERY_TYPE if q["id"] == qid)
        for n in range(1, len(texts) + 1):
            question(page, n)
            if wanted in page.locator("#question legend").inner_text():
                return
        raise AssertionError(f"question {qid} not found")

    to("t-single")
    page.get_by_label("На официальной странице").press("Space")
    to("t-multi")
    page.get_by_label("Срочность").check()
    page.get_by_label("Чужой домен").check()
    to("t-tf")
    page.get_by_label("Неверно").check()
    to("t-order")
    shown = [li.get_attribute("data-option") for li in page.locator(".order li").all()]
    page.get_by_role("button", name=f"Ниже: {EVERY_TYPE[3]['options'][int(shown[0][1]) - 1]['text']}").press("Enter")
    expected_order = [shown[1], shown[0], shown[2]]
    expect(page.locator(".order li").first).to_have_attribute("data-option", shown[1])
    to("t-match")
    page.get_by_label("ЧС").select_option(label="Оперативное сообщение")
    page.get_by_label("Жалоба").select_option(label="Ответ заявителю")
    to("t-short")
    page.get_by_label("Ваш ответ").fill("двухфакторная аутентификация")
    page.get_by_label("Ваш ответ").press("Tab")
    to("t-num")
    page.get_by_label("Число").fill("30,5")
    page.get_by_label("Число").press("Tab")
    all_saved(page)
    fits_the_phone(page, "exam-attempt-phone.png")

    page.reload()
    to("t-single")
    expect(page.get_by_label("На официальной странице")).to_be_checked()
    to("t-multi")
    expect(page.get_by_label("Чужой домен")).to_be_checked()
    expect(page.get_by_label("Подпись отдела")).not_to_be_checked()
    to("t-tf")
    expect(page.get_by_label("Неверно")).to_be_checked()
    to("t-order")
    assert [li.get_attribute("data-option") for li in page.locator(".order li").all()] == expected_order
    to("t-match")
    expect(page.get_by_label("ЧС")).to_have_value("g1")
    expect(page.get_by_label("Жалоба")).to_have_value("g2")
    to("t-short")
    expect(page.get_by_label("Ваш ответ")).to_have_value("двухфакторная аутентификация")
    to("t-num")
    expect(page.get_by_label("Число")).to_have_value("30.5")

    stored = {r["question_id"]: r for r in sql(
        system, "SELECT * FROM sessions.answers WHERE attempt_id = $1", uuid.UUID(attempt_id))}
    assert stored["t-order"]["option_ids"] == expected_order
    assert json.loads(stored["t-match"]["pairs"]) == {"l1": "g1", "l2": "g2"}
    assert stored["t-num"]["number"] == 30.5

    page.locator("#finish").click()
    page.get_by_role("dialog").get_by_role("button", name="Завершить").click()
    expect(page.locator("#result")).to_have_attribute("data-status", re.compile("submitted|scored"))
    trail = api.get(f"/api/v1/attempts/{attempt_id}/audit", headers=admin).json()["entries"]
    kinds = [e["kind"] for e in trail]
    assert kinds[0] == "started" and "resumed" in kinds and "submitted" in kinds
    assert kinds.count("answer_saved") >= 7


def test_unsent_answers_wait_on_the_device_and_are_sent_when_the_connection_returns(page, api, admin, system):
    username = f"offline-{uuid.uuid4().hex[:6]}"
    make_candidate(api, admin, username)
    exam_id = publish_form(system, EVERY_TYPE[:3])
    log_in(page, username)
    page.locator(f'[data-exam-id="{exam_id}"]').get_by_role("button", name="Начать").click()
    expect(page.locator("#timer")).to_be_visible()
    attempt_id = page.url.split("/attempts/")[1].split("?")[0].split("#")[0]
    page.context.set_offline(True)
    page.get_by_label("В личном чате").check()
    expect(page.locator("#save-state")).to_have_text(re.compile("Нет связи"))
    assert not sql(system, "SELECT 1 FROM sessions.answers WHERE attempt_id = $1", uuid.UUID(attempt_id))
    page.context.set_offline(False)
    all_saved(page)
    rows = sql(system, "SELECT option_ids FROM sessions.answers WHERE attempt_id = $1", uuid.UUID(attempt_id))
    assert [r["option_ids"] for r in rows] == [["o2"]]


def test_an_exam_outlasting_the_access_token_goes_on_with_a_refreshed_one(page, api, admin):
    username = f"refresh-{uuid.uuid4().hex[:6]}"
    make_candidate(api, admin, username)
    exam = make_exam(api, admin, GIFT, f"Долгий экзамен {username}", pass_score=60)
    log_in(page, username)
    page.locator(f'[data-exam-id="{exam["id"]}"]').get_by_role("button", name="Начать").click()
    page.get_by_label("Двухфакторную аутентификацию").check()
    all_saved(page)
    refresh_before = page.evaluate("sessionStorage.getItem('gramota.refresh')")
    assert refresh_before

    # the 15-minute access token has run out in the middle of the exam
    page.evaluate("sessionStorage.setItem('gramota.token', 'expired.access.token')")
    page.get_by_role("button", name="Далее").click()
    page.get_by_label("Уникальные пароли").check()
    all_saved(page)
    expect(page).not_to_have_url(re.compile(r"/exam/login"))
    tokens = page.evaluate("[sessionStorage.getItem('gramota.token'), sessionStorage.getItem('gramota.refresh')]")
    assert tokens[0] != "expired.access.token" and tokens[1] not in (None, refresh_before)  # rotated
    attempt_id = page.url.rstrip("/").split("/")[-1].split("?")[0]
    saved = api.get(f"/api/v1/attempts/{attempt_id}", headers={"Authorization": f"Bearer {tokens[0]}"}).json()
    assert len(saved["answers"]) == 2


def test_a_result_at_the_pass_mark_that_misses_an_area_minimum_says_why_it_is_not_passed(page, api, admin):
    username = f"area-{uuid.uuid4().hex[:6]}"
    headers = make_candidate(api, admin, username)
    exam = make_exam(api, admin, GIFT, f"Минимум по области {username}", pass_score=60,
                     settings={"area_minimums": {"practice": 60}})
    attempt = api.post(f"/api/v1/exams/{exam['id']}/attempts", headers=headers).json()
    right = {"Двухфакторную аутентификацию": False, "Уникальные пароли": True, "Обновления системы": True,
             "может стать публичным": True}  # both DigComp questions right, the practice one wrong
    for q in attempt["questions"]:
        chosen = [o["id"] for o in q["options"] if right.get(o["text"])] or [q["options"][-1]["id"]]
        assert api.put(f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}", headers=headers,
                       json={"option_ids": chosen}).status_code == 200
    assert api.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).status_code == 202
    scored = wait_until(lambda: (a := api.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).json())
                        .get("status") == "scored" and a, timeout=60, interval=0.2, message="the result")
    assert scored["score"] >= 60 and scored["passed"] is False
    assert [(c["area"], c["percent"], c["minimum"], c["met"]) for c in scored["area_checks"]] == [
        ("practice", 0.0, 60.0, False)]

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, username)
    page.goto(f"/exam/attempts/{attempt['id']}/result")
    expect(page.locator("#verdict")).to_have_text("Экзамен не сдан", timeout=30_000)
    expect(page.locator("#area-missed")).to_have_text(
        re.compile(r"^Не набран минимум по области: «Практика служащего» 0\s% \(минимум 60\s%\)$"))
    expect(page.locator("#breakdown h3.missed")).to_have_text(re.compile(r"^Практика служащего · минимум 60\s%$"))
    expect(page.locator("#breakdown h3")).to_have_text(["Безопасность", re.compile("Практика служащего")])
    fits_the_phone(page, "exam-result-area-missed-phone.png")
    page.goto(f"/exam/attempts/{attempt['id']}/result?lang=en")
    expect(page.locator("#area-missed")).to_have_text(re.compile(r"^Area minimum not reached: «.+» 0% \(minimum 60%\)$"))
