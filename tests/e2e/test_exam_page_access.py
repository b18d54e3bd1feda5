"""The exam page for keyboard and screen-reader users (issue 20), in a real browser: plural forms, the question map
(legend, arrow keys), focus kept after flagging, the skip link, the warning before leaving, the countdown announced
at 10, 5 and 1 minutes only (a controllable clock), «try again» on a failed result, exams the official can sit
first."""
from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from .conftest import make_candidate, make_exam

ONE = """
$CATEGORY: practice/digital-hygiene

::acc-1:: Что включить, чтобы защитить служебный аккаунт? {=Двухфакторную аутентификацию ~Общий пароль отдела}
"""
THREE = ONE.replace("acc-1", "acc-2") + """
::acc-3:: Пост «для двух друзей» в закрытом чате {=может стать публичным ~никогда не утечёт}

::acc-4:: Куда сообщить о фишинговом письме? {=В службу информационной безопасности ~Никуда}
"""


def log_in(page, username: str) -> None:
    page.goto("/exam/login")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill("secret-pass-1")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", name="Мои экзамены")).to_be_visible(timeout=30_000)


def start(page, exam_id: str) -> None:
    page.locator(f'[data-exam-id="{exam_id}"]').get_by_role("button", name="Начать").click()
    expect(page.locator("#timer")).to_be_visible(timeout=30_000)


def test_exam_list_speaks_proper_russian_and_puts_what_can_be_sat_first(page, api, admin):
    username = f"acc-list-{uuid.uuid4().hex[:6]}"
    headers = make_candidate(api, admin, username)
    one = make_exam(api, admin, ONE, f"Один вопрос {username}", time_limit_seconds=60)
    three = make_exam(api, admin, THREE, f"Три вопроса {username}", time_limit_seconds=300,
                      settings={"attempts_allowed": 1})
    attempt = api.post(f"/api/v1/exams/{three['id']}/attempts", headers=headers).json()
    assert api.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).status_code == 202
    log_in(page, username)
    # CLDR plural forms: «1 минута · 1 вопрос», «5 минут · 3 вопроса»
    expect(page.locator(f'[data-exam-id="{one["id"]}"] .meta').first).to_have_text(
        re.compile(r"^1\sминута · 1\sвопрос · "))
    expect(page.locator(f'[data-exam-id="{three["id"]}"] .meta').first).to_have_text(
        re.compile(r"^5\sминут · 3\sвопроса · "))
    states = page.locator(".exam-list .meta[data-availability]").evaluate_all("els => els.map(e => e.dataset.availability)")
    order = {"in_progress": 0, "available": 1, "cooldown": 2, "not_open": 3, "exhausted": 4, "closed": 5}
    assert "exhausted" in states and states == sorted(states, key=order.__getitem__)


def test_the_question_map_flagging_and_the_skip_link_work_by_keyboard(page, api, admin):
    username = f"acc-keys-{uuid.uuid4().hex[:6]}"
    make_candidate(api, admin, username)
    exam = make_exam(api, admin, THREE, f"Клавиатура {username}")
    log_in(page, username)
    start(page, exam["id"])

    # the first Tab reaches the skip link; it takes the candidate to the question
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#question")).to_be_focused()

    # flagging keeps focus on the flag button, pressed, and the map shows it by a mark, not only colour
    flag = page.get_by_role("button", name="Отметить для проверки")
    flag.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Снять отметку")).to_be_focused()
    expect(page.locator("#flag")).to_have_attribute("aria-pressed", "true")
    first = page.locator(".qnav button").nth(0)
    expect(first).to_have_attribute("aria-label", "Вопрос 1 (отмечен)")
    expect(first.locator(".mark")).to_have_text("⚑")
    expect(page.locator(".qnav-legend")).to_contain_text("есть ответ")
    expect(page.locator(".qnav-legend")).to_contain_text("отмечен")
    expect(page.locator(".qnav-legend")).to_contain_text("текущий")

    # one tab stop in the map; the arrow keys, Home and End move along it
    expect(page.locator('.qnav button[tabindex="0"]')).to_have_count(1)
    first.focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator(".qnav button").nth(1)).to_be_focused()
    page.keyboard.press("End")
    expect(page.locator(".qnav button").nth(2)).to_be_focused()
    page.keyboard.press("Home")
    expect(first).to_be_focused()
    page.keyboard.press("ArrowLeft")  # the first stays first
    expect(first).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(page.locator("#question legend")).to_contain_text("Вопрос 2 из 3")
    # a disabled control looks disabled beyond colour: dashed edge
    assert page.locator("button", has_text="Назад").evaluate("b => getComputedStyle(b).borderStyle") == "solid"
    question1 = page.locator(".qnav button").nth(0)
    question1.click()
    prev = page.get_by_role("button", name="Назад")
    expect(prev).to_be_disabled()
    assert prev.evaluate("b => getComputedStyle(b).borderTopStyle") == "dashed"


def test_leaving_mid_exam_asks_first(page, api, admin):
    username = f"acc-leave-{uuid.uuid4().hex[:6]}"
    make_candidate(api, admin, username)
    exam = make_exam(api, admin, ONE, f"Выход {username}")
    log_in(page, username)
    start(page, exam["id"])
    page.get_by_role("link", name="English").click()
    dialog = page.get_by_role("dialog", name="Выйти из экзамена?")
    expect(dialog).to_be_visible()
    expect(page.get_by_role("button", name="Остаться в экзамене")).to_be_focused()
    page.get_by_role("button", name="Остаться в экзамене").click()
    expect(dialog).to_be_hidden()
    assert "lang=en" not in page.url
    page.get_by_role("link", name="Выйти").click()
    expect(page.get_by_role("dialog", name="Выйти из экзамена?")).to_be_visible()
    page.locator("#leave-go").click()
    expect(page).to_have_url(re.compile(r"/exam/login"))


def test_the_countdown_is_announced_at_10_5_and_1_minutes_only(page, api, admin):
    username = f"acc-clock-{uuid.uuid4().hex[:6]}"
    make_candidate(api, admin, username)
    exam = make_exam(api, admin, ONE, f"Часы {username}", time_limit_seconds=11 * 60)
    # every text the live region is given, in order (what a screen reader would say)
    page.add_init_script("""
      window.__said = [];
      new MutationObserver(() => {
        const r = document.getElementById('time-announce');
        if (r && r.textContent && r.textContent !== window.__said[window.__said.length - 1]) window.__said.push(r.textContent);
      }).observe(document, {subtree: true, childList: true, characterData: true});
    """)
    page.clock.install()
    log_in(page, username)
    start(page, exam["id"])
    expect(page.locator("#timer")).to_contain_text(re.compile(r"Осталось 1[01]:\d\d"))
    assert page.locator("#timer").get_attribute("aria-live") is None  # role=timer: never read out by itself
    said = lambda: page.evaluate("window.__said")  # noqa: E731
    page.clock.run_for(30_000)                       # 30 s of ticking: nothing said
    assert said() == []
    page.clock.fast_forward("01:30")                # past 10 minutes left
    page.clock.run_for(2_000)
    expect(page.locator("#time-announce")).to_have_text("Осталось 10\u00a0минут")
    page.clock.run_for(60_000)                       # a minute of ticking: no more
    assert said() == ["Осталось 10\u00a0минут"]
    page.clock.fast_forward("05:00")                # about 3 minutes left: past 5
    page.clock.run_for(2_000)
    page.clock.fast_forward("02:00")                # under a minute left: past 1
    page.clock.run_for(2_000)
    assert said() == ["Осталось 10\u00a0минут", "Осталось 5\u00a0минут", "Осталось 1\u00a0минута"]


def test_a_failed_result_offers_another_try_when_attempts_remain(page, api, admin):
    username = f"acc-again-{uuid.uuid4().hex[:6]}"
    headers = make_candidate(api, admin, username)
    exam = make_exam(api, admin, ONE, f"Ещё попытка {username}", settings={"attempts_allowed": 2})
    attempt = api.post(f"/api/v1/exams/{exam['id']}/attempts", headers=headers).json()
    assert api.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).status_code == 202  # nothing answered
    log_in(page, username)
    page.goto(f"/exam/attempts/{attempt['id']}/result")
    expect(page.locator("#verdict")).to_have_text("Экзамен не сдан", timeout=30_000)
    again = page.get_by_role("link", name="Попробовать ещё раз")
    expect(again).to_be_visible()
    again.click()
    expect(page.locator(f'#exam-{exam["id"]}').get_by_role("button", name="Начать")).to_be_visible()
