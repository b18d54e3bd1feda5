"""Pages that tell the truth (issue 20), in a real browser: the verify verdict comes from every check together, pass
rates count people, competences are named, a practice exam certifies nothing, serials typed on a Russian keyboard
layout are found, the result page shows the certificate's serial."""
from __future__ import annotations

import io
import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.conftest import STATE

from .conftest import login, make_candidate, make_exam, query, wait_until

GIFT = """
$CATEGORY: practice/citizen-appeals

::truth-1:: Житель пишет в комментариях о яме на дороге. Что ответить первым? {=Поблагодарить и сказать, куда передано обращение ~Удалить комментарий ~Промолчать}
"""
APPEALS_RU = "Ответы на обращения граждан в интернете"
TO_LATIN_TWIN = str.maketrans("ABEKMHPCTXY", "АВЕКМНРСТХУ")  # Latin -> the Cyrillic letter drawn the same


def sit(api, headers: dict, exam_id: str, right: bool) -> dict:
    """One attempt at the one-question exam, right or wrong; the attempt once scored (and certified if it can be)."""
    attempt = api.post(f"/api/v1/exams/{exam_id}/attempts", headers=headers).json()
    q = attempt["questions"][0]
    option = next(o["id"] for o in q["options"] if o["text"].startswith("Поблагодарить") == right)
    assert api.put(f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}", headers=headers,
                   json={"option_ids": [option]}).status_code == 200
    assert api.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).status_code == 202

    def done():
        a = api.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).json()
        return a if a["status"] == "scored" and (not a["passed"] or a["practice"] or a["certificate_serial"]) else None

    return wait_until(done, timeout=60, interval=0.2, message="the result")


def db(system, sql: str, *args):
    """A query in a thread of its own: Playwright's sync API owns this thread's event loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(query, system.database_url, sql, *args).result()


def exam_log_in(page, username: str) -> None:
    page.goto("/exam/login")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill("secret-pass-1")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", name="Мои экзамены")).to_be_visible(timeout=30_000)


@pytest.fixture(scope="module")
def passed(api, admin) -> dict:
    username = f"truth-{uuid.uuid4().hex[:6]}"
    headers = make_candidate(api, admin, username, full_name="Магомедова Айшат Руслановна")
    exam = make_exam(api, admin, GIFT, f"Итоговая аттестация {username}", pass_score=70)
    assert exam["settings"]["practice"] is False  # exams certify unless marked as practice
    attempt = sit(api, headers, exam["id"], right=True)
    pdf = api.get(f"/api/v1/certificates/{attempt['certificate_serial']}/pdf", headers=headers).content
    return {"username": username, "headers": headers, "exam": exam, "attempt": attempt,
            "serial": attempt["certificate_serial"], "pdf": pdf}


def test_a_forged_qr_signature_is_never_under_a_valid_heading(page, api, passed):
    serial = passed["serial"]
    page.goto(f"/verify/{serial}?k=nokey&s=AAAAAAAAAAAAAAAA")
    card = page.locator("[data-status]")
    expect(card).to_have_attribute("data-status", "forged")
    heading = card.locator("h2")
    expect(heading).to_have_text("Сертификат не подтверждён: подпись не совпадает")
    expect(heading).not_to_contain_text("действителен")
    expect(card.locator("[data-problem]")).to_have_text(["подпись не совпадает"])
    assert "valid" not in (card.get_attribute("class") or "").split()
    page.screenshot(path=str(STATE / "verify-forged-desktop.png"), full_page=True)
    page.goto(f"/verify/{serial}?k=nokey&s=AAAAAAAAAAAAAAAA&lang=en")
    expect(page.locator("[data-status] h2")).to_have_text("The certificate is not confirmed: the signature does not match")


def test_a_pdf_with_a_changed_score_says_the_score_was_changed(page, passed, tmp_path):
    from gramota.certificates import pdf

    meta = PdfReader(io.BytesIO(passed["pdf"])).metadata
    token = str(meta["/Keywords"]).removeprefix("gramota-signed:")  # the signed data, kept as issued
    forged = pdf.render(pdf.CertificatePage(
        serial_display=passed["serial"], holder_name="Магомедова Айшат Руслановна", exam_title=passed["exam"]["title"],
        score_percent=55.5, issued_at=__import__("datetime").datetime.now(), verify_url="x", signed_token=token))
    path = tmp_path / "forged.pdf"
    path.write_bytes(forged)
    page.goto("/verify")
    page.get_by_label("Файл сертификата (PDF)").set_input_files(str(path))
    page.get_by_role("button", name="Проверить файл").click()
    card = page.locator("[data-status]")
    expect(card).to_have_attribute("data-status", "altered")
    expect(card.locator("h2")).to_have_text("Сертификат не подтверждён: файл изменён")
    # a copy rendered anew carries no PDF (PAdES) signature, and its score differs from the signed one
    expect(card.locator("[data-problem]")).to_have_text(["в файле нет электронной подписи PDF", "в файле изменена оценка"])


def test_a_serial_typed_with_cyrillic_lookalike_letters_is_found(page, passed):
    typed = passed["serial"].translate(TO_LATIN_TWIN)
    page.goto("/verify")
    page.get_by_label("Серийный номер").fill(typed.lower())
    page.get_by_role("button", name="Проверить", exact=True).click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "valid")
    expect(page.locator("[data-status] h2")).to_have_text("Сертификат действителен")
    # dates as on the certificate: «4 декабря 2026 г.»
    expect(page.locator("[data-status] dd").nth(3)).to_have_text(re.compile(r"^\d{1,2} [а-я]+ \d{4}\s?г\.$"))


def test_the_result_page_shows_the_certificate_serial_and_the_pdf_names_competences(page, api, passed):
    exam_log_in(page, passed["username"])
    page.goto(f"/exam/attempts/{passed['attempt']['id']}/result")
    expect(page.locator("#certificate-serial")).to_have_text(f"Сертификат № {passed['serial']}", timeout=30_000)
    expect(page.locator("#certificate")).to_be_visible()
    text = PdfReader(io.BytesIO(passed["pdf"])).pages[0].extract_text()
    assert APPEALS_RU in text and "practice/" not in text and "citizen-appeals" not in text


def test_a_practice_exam_gives_a_result_and_never_a_certificate(page, api, admin, system):
    username = f"practice-{uuid.uuid4().hex[:6]}"
    headers = make_candidate(api, admin, username)
    exam = make_exam(api, admin, GIFT, f"Пробный тест {username}", pass_score=60, settings={"practice": True})
    assert exam["settings"]["practice"] is True
    handled = db(system, "SELECT count(*) AS n FROM certificates.inbox")[0]["n"]
    attempt = sit(api, headers, exam["id"], right=True)
    assert attempt["passed"] is True and attempt["practice"] is True and attempt["certificate_serial"] is None
    # nothing was issued, so nothing can verify as valid, and the holder has no such document
    assert api.get("/api/v1/my/certificates", headers=headers).json() == []
    exam_log_in(page, username)
    page.goto(f"/exam/attempts/{attempt['id']}/result")
    expect(page.locator("#verdict")).to_have_text("Экзамен сдан", timeout=30_000)
    expect(page.locator("#practice-note")).to_contain_text("сертификат по нему не выдаётся")
    expect(page.locator("#certificate")).to_have_count(0)
    # after the result: the certificates service has taken the `result scored` event and issued nothing
    wait_until(lambda: db(system, "SELECT count(*) AS n FROM certificates.inbox")[0]["n"] > handled,
               timeout=30, message="certificates to handle the `result scored` event")
    assert db(system, "SELECT count(*) AS n FROM certificates.certificates WHERE attempt_id = $1::uuid",
                 attempt["id"])[0]["n"] == 0


def test_pass_rates_count_people_not_attempts_and_name_competences(page, api, admin):
    username = f"people-{uuid.uuid4().hex[:6]}"
    headers = make_candidate(api, admin, username)
    exam = make_exam(api, admin, GIFT, f"Люди, не попытки {username}", pass_score=70)
    for right in (False, True, True):   # fails once, then passes twice: one person who sat and passed
        sit(api, headers, exam["id"], right=right)
    curator = f"curator-{uuid.uuid4().hex[:6]}"
    r = api.post("/api/v1/users", headers=admin, json={
        "username": curator, "password": "secret-pass-1", "role": "curator", "full_name": "Куратор СКФО",
        "scope_districts": ["Северо-Кавказский федеральный округ"]})
    assert r.status_code == 201, r.text
    rows = api.get("/api/v1/analytics/pass-rates", params={"exam_id": exam["id"]},
                   headers=login(api, curator, "secret-pass-1")).json()
    assert [(r["people_sat"], r["people_passed"], r["best_attempt_pass_rate"], r["first_attempt_pass_rate"],
             r["attempts"]) for r in rows] == [(1, 1, 1.0, 0.0, 3)]

    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/dashboard")
    page.get_by_label("Логин").fill(curator)
    page.get_by_label("Пароль").fill("secret-pass-1")
    page.get_by_role("button", name="Войти").click()
    expect(page.locator("#scope")).to_have_text("Ваша зона: Северо-Кавказский федеральный округ")
    expect(page.locator("#crumbs")).not_to_contain_text("Все округа")
    # certifying exams first; a practice exam is never the default
    first = page.locator("#exam option").first
    assert first.get_attribute("data-practice") == "false"
    page.locator("#exam").select_option(exam["id"])
    expect(page.locator("#kpi-rate")).to_have_text(re.compile(r"^100\s%$"))
    expect(page.locator("#kpi-sat")).to_have_text("1")
    expect(page.locator("#kpi-first")).to_have_text(re.compile(r"^0\s%$"))
    expect(page.locator("#kpi-attempts")).to_have_text("3")
    heat = page.locator("#heat-table")
    expect(heat.locator("tbody th")).to_have_text([APPEALS_RU])
    expect(heat).not_to_contain_text("practice/")
    expect(page.locator("#heat-legend")).not_to_contain_text("practice/")
    page.screenshot(path=str(STATE / "dashboard-people-desktop.png"), full_page=True)
