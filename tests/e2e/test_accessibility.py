"""Accessibility as a test (issue 20): every page run through axe-core (the script bundled by axe-playwright-python,
injected with Playwright) against WCAG 2.0/2.1 A and AA: 0 critical and 0 serious violations; SVG chart text, which
axe does not read, checked for contrast (>= 4.5:1) and size (>= 11 px as shown) by a test of its own. Each page is
also left as a screenshot at 1366x768 and 390x844 under .run/test-*/screens for a person to look at."""
from __future__ import annotations

import uuid

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from gramota.certificates.serials import display, new_serial
from tests.conftest import STATE

from .conftest import make_candidate, make_exam

GIFT = """
$CATEGORY: practice/citizen-appeals

::axe-1:: Житель пишет в комментариях о яме на дороге. Что ответить первым? {=Поблагодарить и сказать, куда передано обращение ~Удалить комментарий}

$CATEGORY: digcomp/4.2

::axe-2:: Что защищает переписку? Выберите все верные {~%50%Уникальные пароли ~%50%Обновления системы ~%-100%Пересылка паролей в мессенджере}
"""
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, "resultTypes": ["violations"]}
SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
SCREENS = STATE / "screens"
AXE = Axe()


def accessible(page, name: str) -> None:
    """0 critical, 0 serious axe violations on the page as it is now, at both sizes; screenshots of both."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.wait_for_timeout(800)  # a resize redraws the dashboard's charts after a 300 ms pause
        page.screenshot(path=str(SCREENS / f"{name}-{size}.png"), full_page=True)
        found = AXE.run(page, options=WCAG).response["violations"]
        bad = [v for v in found if v["impact"] in ("critical", "serious")]
        report = "\n".join(f"{v['impact']} {v['id']}: {v['help']} — " +
                           "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                                     for n in v["nodes"][:5]) for v in bad)
        assert not bad, f"{name} at {size}:\n{report}"


def exam_log_in(page, username: str) -> None:
    page.goto("/exam/login")
    accessible(page, "exam-login")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill("secret-pass-1")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", name="Мои экзамены")).to_be_visible(timeout=30_000)


@pytest.fixture(scope="module")
def curator(api, admin) -> str:
    username = f"axe-curator-{uuid.uuid4().hex[:6]}"
    r = api.post("/api/v1/users", headers=admin, json={
        "username": username, "password": "secret-pass-1", "role": "curator", "full_name": "Куратор",
        "scope_districts": ["Северо-Кавказский федеральный округ"]})
    assert r.status_code == 201, r.text
    return username


def test_the_candidates_pages_have_no_serious_violations(page, api, admin):
    username = f"axe-{uuid.uuid4().hex[:6]}"
    make_candidate(api, admin, username)
    exam = make_exam(api, admin, GIFT, f"Доступность {username}", pass_score=60, settings={"attempts_allowed": 3})
    page.goto("/")
    accessible(page, "landing")
    exam_log_in(page, username)
    accessible(page, "exam-list")
    page.set_viewport_size(SIZES["desktop"])
    page.locator(f'[data-exam-id="{exam["id"]}"]').get_by_role("button", name="Начать").click()
    expect(page.locator("#timer")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Отметить для проверки").click()
    accessible(page, "exam-mid")
    page.locator("#finish").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    accessible(page, "exam-confirm")
    page.get_by_role("button", name="Завершить", exact=True).click()
    expect(page.locator("#verdict")).to_be_visible(timeout=60_000)
    expect(page.locator("#try-again")).to_be_visible(timeout=30_000)
    accessible(page, "exam-result-failed")
    page.goto("/my/certificates")
    accessible(page, "my-certificates")


def test_the_verify_page_has_no_serious_violations_for_every_verdict(page, api, admin):
    from tests.e2e.test_pages_truth import sit

    username = f"axe-v-{uuid.uuid4().hex[:6]}"
    headers = make_candidate(api, admin, username)
    exam = make_exam(api, admin, GIFT.split("$CATEGORY: digcomp")[0], f"Проверка {username}", pass_score=60)
    serial = sit(api, headers, exam["id"], right=True)["certificate_serial"]
    page.goto("/verify")
    accessible(page, "verify")
    for name, path in (("valid", f"/verify/{serial}"), ("forged", f"/verify/{serial}?k=x&s=AAAA"),
                       ("unknown", f"/verify/{display(new_serial())}"), ("typo", "/verify?serial=ABCD-EFGH-JKMN")):
        page.goto(path)
        expect(page.locator("[data-status]")).to_be_visible()
        accessible(page, f"verify-{name}")
    assert api.post(f"/api/v1/certificates/{serial}/revoke", headers=admin, json={"reason": "проверка"}).status_code == 200
    page.goto(f"/verify/{serial}")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "revoked")
    accessible(page, "verify-revoked")


def test_the_dashboard_has_no_serious_violations_and_its_chart_text_is_readable(page, api, admin, curator, system):
    from tests.e2e.test_pages_truth import sit

    exam = make_exam(api, admin, GIFT.split("$CATEGORY: digcomp")[0], f"Дашборд {uuid.uuid4().hex[:6]}", pass_score=70)
    for n, right in enumerate((True, False, True)):
        sit(api, make_candidate(api, admin, f"axe-d{n}-{uuid.uuid4().hex[:6]}"), exam["id"], right=right)
    page.goto("/dashboard")
    accessible(page, "dashboard-login")
    page.get_by_label("Логин").fill(curator)
    page.get_by_label("Пароль").fill("secret-pass-1")
    page.get_by_role("button", name="Войти").click()
    page.locator("#exam").select_option(exam["id"])
    expect(page.locator("#rates-table tbody tr")).to_have_count(1)
    expect(page.locator("#heat-table tbody tr")).to_have_count(1)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.wait_for_timeout(600)  # the charts redraw for the new width
        expect(page.locator("#rates-table tbody tr")).to_have_count(1)
        texts = svg_texts(page)
        assert len(texts) >= 5, texts
        small = [t for t in texts if t["px"] < 11]
        faint = [t for t in texts if t["contrast"] < 4.5]
        cut = [t for t in texts if not t["inside"]]
        assert not cut, f"chart text cut by the chart's edge at {size}: {cut}"
        assert not small, f"chart labels under 11 px at {size}: {small}"
        assert not faint, f"chart text under 4.5:1 at {size}: {faint}"
    accessible(page, "dashboard")


# every <text> of every chart: its size as shown (font size times the SVG's scale) and its contrast against the
# card it is drawn on (the WCAG relative-luminance formula)
SVG_TEXTS = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                       return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const background = (node) => { for (let n = node.closest('svg').parentElement; n; n = n.parentElement) {
      const c = getComputedStyle(n).backgroundColor; if (c && !c.endsWith(', 0)') && c !== 'transparent') return c; }
    return 'rgb(255, 255, 255)'; };
  return [...document.querySelectorAll('svg text')].filter((t) => t.getBBox().width > 0).map((t) => {
    const style = getComputedStyle(t), scale = t.getScreenCTM().a;
    const box = t.getBoundingClientRect(), frame = t.closest('svg').getBoundingClientRect();
    return {text: t.textContent, inside: box.left >= frame.left - 1 && box.right <= frame.right + 1,
            px: Math.round(parseFloat(style.fontSize) * scale * 10) / 10,
            contrast: Math.round(ratio(style.fill, background(t)) * 100) / 100};
  });
}"""


def svg_texts(page) -> list[dict]:
    return page.evaluate(SVG_TEXTS)


def test_the_bank_pages_have_no_serious_violations(page, api, admin):
    page.goto("/bank")
    accessible(page, "bank-login")
    page.get_by_label("Логин").fill("admin")
    page.get_by_label("Пароль").fill(__import__("tests.e2e.conftest", fromlist=["ADMIN_PASSWORD"]).ADMIN_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.locator("#items tr").first).to_be_visible()
    accessible(page, "bank-list")
    page.locator("#items tr a").first.click()
    page.locator("form[data-loaded=true]").wait_for()
    expect(page.locator("#preview")).to_be_visible()
    accessible(page, "bank-item")
    page.goto("/bank/import")
    accessible(page, "bank-import")
