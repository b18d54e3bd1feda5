"""The public verify page, in a real browser."""
from gramota.certificates.serials import display, new_serial


def test_verify_page_answers_in_russian_and_switches_to_english(page):
    page.goto("/verify")
    page.get_by_label("Серийный номер").fill(display(new_serial()).lower())
    page.get_by_role("button", name="Проверить", exact=True).click()
    assert page.locator("[data-status]").get_attribute("data-status") == "unknown"
    assert "не найден" in page.locator("[data-status] h2").inner_text()
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "No certificate has this number" in page.locator("[data-status] h2").inner_text()


def test_a_mistyped_serial_is_explained(page):
    page.goto("/verify?serial=ABCD-EFGH-JKMN")
    assert page.locator("[data-status]").get_attribute("data-status") == "error"
    assert page.locator("[data-status]").get_attribute("data-code") == "invalid_serial"
    assert "опечатка" in page.locator("[data-status] h2").inner_text()
