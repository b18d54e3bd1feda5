"""HR checks a real certificate: by serial and by its PDF in a browser; by its QR link; in bulk; admins revoke it."""
from __future__ import annotations

import csv
import io
import subprocess
import uuid

import pytest

from tests.conftest import wait_until

from .conftest import make_candidate, make_exam

GIFT = "::verify-1:: Пост «для двух друзей» в закрытом чате {=может стать публичным ~никогда не утечёт}\n"


@pytest.fixture(scope="module")
def certificate(api, admin, tmp_path_factory):
    """One official passes a one-question exam; returns the serial, the holder's headers and the PDF's path."""
    username = f"verify-{uuid.uuid4().hex[:6]}"
    me = make_candidate(api, admin, username, full_name="Алиева Зарема Руслановна")
    exam = make_exam(api, admin, GIFT, "Проверка сертификатов")
    attempt = api.post(f"/api/v1/exams/{exam['id']}/attempts", headers=me).json()
    q = attempt["questions"][0]["id"]
    assert api.put(f"/api/v1/attempts/{attempt['id']}/answers/{q}", headers=me, json={"option_ids": ["o1"]}).status_code == 200
    assert api.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=me).status_code == 202
    serial = wait_until(lambda: api.get(f"/api/v1/attempts/{attempt['id']}", headers=me).json()["certificate_serial"],
                        timeout=60, interval=0.2, message="the certificate")
    path = tmp_path_factory.mktemp("cert") / "certificate.pdf"
    path.write_bytes(api.get(f"/api/v1/certificates/{serial}/pdf", headers=me).content)
    return {"serial": serial, "headers": me, "pdf": path, "username": username}


def test_hr_verifies_by_serial_and_by_uploading_the_pdf_in_a_browser(page, certificate):
    page.goto("/verify")
    page.get_by_label("Серийный номер").fill(certificate["serial"].replace("-", "").lower())
    page.get_by_role("button", name="Проверить", exact=True).click()
    assert page.locator("[data-status]").get_attribute("data-status") == "valid"
    assert "Алиева Зарема Руслановна" in page.locator("[data-status]").inner_text()

    page.goto("/verify")
    page.get_by_label("Файл сертификата (PDF)").set_input_files(str(certificate["pdf"]))
    page.get_by_role("button", name="Проверить файл").click()
    assert page.locator("[data-document]").get_attribute("data-document") == "authentic"
    assert page.locator("[data-status]").get_attribute("data-status") == "valid"


def test_the_downloaded_pdf_is_signed_for_any_reader_and_text_laid_on_top_is_caught_on_the_verify_page(
        page, api, certificate, tmp_path):
    from tests import tamper

    out = subprocess.run(["pdfsig", str(certificate["pdf"])], capture_output=True, text=True, timeout=60).stdout
    assert "Total document signed" in out and "Signature Validation: Signature is Valid." in out
    assert "Signer Certificate Common Name: Gramota certificates " in out
    forged = tmp_path / "certificate-100.pdf"
    forged.write_bytes(tamper.overlay(certificate["pdf"].read_bytes(), "Score: 100%%"))
    out = subprocess.run(["pdfsig", str(forged)], capture_output=True, text=True, timeout=60).stdout
    assert "Not total document signed" in out

    page.goto("/verify")
    page.get_by_label("Файл сертификата (PDF)").set_input_files(str(forged))
    page.get_by_role("button", name="Проверить файл").click()
    assert page.locator("[data-document]").get_attribute("data-document") == "altered"
    assert "к подписанному файлу добавлены изменения" in page.content()
    r = api.post("/api/v1/verify/pdf", files={"file": ("c.pdf", forged.read_bytes(), "application/pdf")}).json()
    assert r["document"] == "altered" and r["problems"] == [
        "pdf_appended_after_signing"]


def test_the_qr_code_opens_a_signed_link_that_verifies(api, certificate, tmp_path):
    png = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(certificate["pdf"]), str(png)], check=True)
    out = subprocess.run(["zbarimg", "-q", "--raw", f"{png}.png"], capture_output=True, text=True, check=True).stdout.strip()
    assert f"/verify/{certificate['serial']}?k=" in out
    path = out.split("/verify/", 1)[1]
    v = api.get(f"/api/v1/verify/{path}").json()
    assert v["status"] == "valid" and v["signature_valid"] is True
    forged = api.get(f"/api/v1/verify/{path[:-3]}AAA").json()
    assert forged["signature_valid"] is False
    keys = api.get("/.well-known/gramota-keys.json").json()["keys"]
    assert path.split("k=", 1)[1].split("&", 1)[0] in {k["kid"] for k in keys}


def test_the_candidate_sees_and_downloads_their_certificate(page, certificate):
    page.goto("/my/certificates")
    page.get_by_label("Логин").fill(certificate["username"])
    page.get_by_label("Пароль").fill("secret-pass-1")
    page.get_by_role("button", name="Войти").click()
    row = page.locator(f'tr[data-serial="{certificate["serial"]}"]')
    assert row.get_attribute("data-status") == "valid" and "Проверка сертификатов" in row.inner_text()
    with page.expect_download() as download:
        row.get_by_role("button", name="PDF").click()
    assert download.value.suggested_filename == f"certificate-{certificate['serial']}.pdf"
    assert open(download.value.path(), "rb").read() == certificate["pdf"].read_bytes()


def test_bulk_csv_suspension_revocation_and_who_checked(api, admin, certificate):
    serial = certificate["serial"]
    mine = api.get("/api/v1/my/certificates", headers=certificate["headers"]).json()
    assert [c["serial"] for c in mine] == [serial]
    badge = api.get(mine[0]["badge_url"], headers=certificate["headers"]).json()
    assert "OpenBadgeCredential" in badge["type"] and badge["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"

    csv_in = f"serial,surname\n{serial},Алиева\n{serial},Иванов\nABCD-EFGH-JKMN,\n=cmd|' /C calc'!A0,\n"
    r = api.post("/api/v1/verify/bulk", files={"file": ("serials.csv", csv_in.encode(), "text/csv")})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[1].split(",")[3:5] == ["valid", "Алиева Зарема Руслановна"] and lines[1].endswith(",yes,")
    assert lines[2].endswith(",no,") and lines[3].endswith(",invalid_serial")
    assert lines[4].startswith("5,'=cmd")  # a formula never reaches the spreadsheet as a formula

    # ten thousand at once: the real one among unknown ones, each answered in order
    from gramota.certificates.serials import display, new_serial

    many = [display(new_serial()) for _ in range(9_999)]
    many.insert(5_000, serial)
    r = api.post("/api/v1/verify/bulk", files={"file": ("many.csv", "\n".join(many).encode(), "text/csv")})
    statuses = [line.split(",")[3] for line in r.content.decode("utf-8-sig").splitlines()[1:]]
    assert len(statuses) == 10_000 and statuses[5_000] == "valid"
    assert statuses.count("unknown") == 9_999

    assert api.post(f"/api/v1/certificates/{serial}/suspend", headers=admin, json={"reason": "проверка"}).status_code == 200
    assert api.get(f"/api/v1/verify/{serial}").json()["status"] == "suspended"
    assert api.post(f"/api/v1/certificates/{serial}/reinstate", headers=admin).status_code == 200
    assert api.post(f"/api/v1/certificates/{serial}/revoke", headers=admin,
                    json={"reason": "нарушение правил"}).status_code == 200
    v = api.get(f"/api/v1/verify/{serial}").json()
    assert v["status"] == "revoked" and v["revocation_reason"] == "нарушение правил"
    assert api.get(f"/verify/{serial}").text.count("нарушение правил") == 1

    checks = api.get(f"/api/v1/certificates/{serial}/verifications", headers=admin).json()
    assert {c["method"] for c in checks["records"]} >= {"serial", "pdf", "qr", "bulk"}
    assert api.get(f"/api/v1/certificates/{serial}/verifications", headers=certificate["headers"]).status_code == 403


def test_an_excel_file_from_russian_windows_is_answered_row_for_row_as_csv_and_xlsx(api, certificate):
    """Windows-1251, semicolons, blank rows, a formula: every input row answered in order with its number."""
    from openpyxl import load_workbook

    serial = certificate["serial"]
    status = api.get(f"/api/v1/verify/{serial}").json()["status"]  # revoked by an earlier test, or valid
    rows = ["Номер сертификата;Фамилия", f"{serial};Алиева", "", ";", "ABCD-EFGH-JKMN;Петров", "", f"{serial};Иванов",
            "=1+1;"]
    raw = "\r\n".join(rows).encode("cp1251")
    r = api.post("/api/v1/verify/bulk", files={"file": ("hr.csv", raw, "text/csv")})
    assert r.status_code == 200, r.text
    out = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert out[0][:4] == ["row", "input", "serial", "status"]
    got = [(int(line[0]), line[3], line[10], line[11]) for line in out[1:]]
    assert got == [(2, status, "yes", ""), (3, "", "", "empty_row"), (4, "", "", "empty_row"),
                   (5, "", "", "invalid_serial"), (6, "", "", "empty_row"), (7, status, "no", ""),
                   (8, "", "", "invalid_serial")]
    assert out[-1][1] == "'=1+1"

    r = api.post("/api/v1/verify/bulk", params={"format": "xlsx"}, files={"file": ("hr.csv", raw, "text/csv")})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(r.content)).active
    table = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [row[0] for row in table[1:]] == [2, 3, 4, 5, 6, 7, 8]
    assert table[1][3:5] == [status, "Алиева Зарема Руслановна"]
    formula = sheet.cell(row=8, column=2)
    assert (formula.value, formula.data_type) == ("'=1+1", "s")  # text, never a formula


def test_the_verification_history_is_paged_past_a_thousand_newest_first(api, admin, certificate):
    serial = certificate["serial"]
    before = api.get(f"/api/v1/certificates/{serial}/verifications", headers=admin, params={"limit": 1}).json()
    many = "\n".join([serial] * 2_100).encode()
    assert api.post("/api/v1/verify/bulk", files={"file": ("many.csv", many, "text/csv")}).status_code == 200
    assert api.get(f"/api/v1/verify/{serial}").status_code == 200   # one more check, by serial, the newest

    seen, cursor, pages = [], None, 0
    while True:
        r = api.get(f"/api/v1/certificates/{serial}/verifications", headers=admin,
                    params={"limit": 1000, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        page = r.json()
        seen += page["records"]
        pages += 1
        cursor = page.get("next_cursor")
        if not cursor:
            break
    assert len(seen) == page["total"] == before["total"] + 2_101 and pages == 3
    assert seen[0]["method"] == "serial"
    assert [x["at"] for x in seen] == sorted((x["at"] for x in seen), reverse=True)
    assert page["counts"]["bulk"] == before["counts"].get("bulk", 0) + 2_100
    bulk = api.get(f"/api/v1/certificates/{serial}/verifications", headers=admin,
                   params={"method": "bulk", "limit": 5}).json()
    assert {x["method"] for x in bulk["records"]} == {"bulk"} and bulk["total"] == page["counts"]["bulk"]
    tomorrow = api.get(f"/api/v1/certificates/{serial}/verifications", headers=admin,
                       params={"since": "2999-01-01"}).json()
    assert (tomorrow["records"], tomorrow["total"]) == ([], 0)
    r = api.get(f"/api/v1/certificates/{serial}/verifications", headers=admin, params={"cursor": "not-a-cursor"})
    assert r.status_code == 422 and r.json()["code"] == "invalid_cursor"
