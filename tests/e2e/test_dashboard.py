"""The curator dashboard in a real browser: scope, a filter, drill-down, CSV; and the analytics REST around it."""
from __future__ import annotations

import asyncio
import csv
import io
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import expect

from gramota.scoring import synthetic
from tests.conftest import wait_until

NCFD, SFD = "Северо-Кавказский федеральный округ", "Южный федеральный округ"
SHOTS = os.environ.get("GRAMOTA_SCREENSHOTS")  # a folder: the test also leaves screenshots there


@pytest.fixture(scope="module")
def synthetic_exams(system, api, admin) -> list[str]:
    """A few thousand synthetic results in the system's scoring schema, read model rebuilt over them."""
    ids = [uuid.uuid4(), uuid.uuid4()]
    # in a thread: Playwright's sync API may own this thread's event loop
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, synthetic.load(system.database_url, "scoring", 4000, quiet=True, exam_ids=ids)).result()
    return [str(i) for i in ids]


@pytest.fixture(scope="module")
def curator(api, admin) -> tuple[str, str]:
    username = f"curator-{uuid.uuid4().hex[:6]}"
    r = api.post("/api/v1/users", headers=admin, json={
        "username": username, "password": "secret-pass-1", "role": "curator", "full_name": "Куратор Юга",
        "scope_districts": [NCFD, SFD]})
    assert r.status_code == 201, r.text
    return username, "secret-pass-1"


def test_curator_sees_only_their_districts_through_the_api(api, curator, synthetic_exams):
    from tests.e2e.conftest import login

    headers = login(api, *curator)
    rows = api.get("/api/v1/analytics/pass-rates", headers=headers).json()
    assert {r["key"] for r in rows} <= {NCFD, SFD} and rows
    for r in rows:
        assert r["wilson_low"] <= r["pass_rate"] <= r["wilson_high"]
    sneaky = api.get("/api/v1/analytics/pass-rates", params={"group_by": "region", "federal_district": "Уральский федеральный округ"},
                     headers=headers).json()
    assert sneaky == []
    items = api.get("/api/v1/analytics/item-statistics", params={"exam_id": synthetic_exams[0]}, headers=headers).json()
    assert len(items["items"]) == 20 and 0 < items["cronbach_alpha"] < 100
    reply = api.get("/api/v1/analytics/pass-rates", params={"format": "csv", "group_by": "region"}, headers=headers)
    assert reply.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(reply.text.lstrip("\ufeff"))))
    assert table[0][:4] == ["key", "attempts", "passed", "pass_rate"]


def test_curator_filters_drills_into_a_district_and_downloads_the_csv(page, curator, synthetic_exams, tmp_path: Path):
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto("/dashboard")
    page.get_by_label("Логин").fill(curator[0])
    page.get_by_label("Пароль").fill(curator[1])
    page.get_by_role("button", name="Войти").click()
    # the synthetic results belong to no exam of the test bank: only «all exams» shows them
    expect(page.locator("#exam option[value='']")).to_have_count(1)
    page.locator("#exam").select_option("")

    rows = page.locator("#rates-table tbody tr")
    wait_until(lambda: sorted(rows.nth(i).get_attribute("data-key") for i in range(rows.count())) == sorted([NCFD, SFD]),
               timeout=15, message="the pass rates of both districts to load")
    assert page.locator("#rates-chart g.rate-row").count() == 2
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/dashboard.png", full_page=True)

    def total_attempts() -> int:
        return int("".join(ch for ch in page.locator("#rates-table tfoot td").nth(1).inner_text() if ch.isdigit()) or 0)

    everything = total_attempts()
    page.get_by_label("С", exact=True).fill(page.evaluate("new Date(Date.now() - 90 * 86400e3).toISOString().slice(0, 10)"))
    page.get_by_role("button", name="Применить").click()
    wait_until(lambda: 0 < total_attempts() < everything, timeout=15, message="the period filter to narrow the counts")

    page.locator("#rates-table tbody tr", has_text=NCFD).click()
    wait_until(lambda: NCFD in page.locator("#crumbs").inner_text() and rows.count() > 0
               and rows.first.get_attribute("data-key") in synthetic.DISTRICTS[NCFD],
               timeout=15, message="the drill-down into the district")
    assert {rows.nth(i).get_attribute("data-key") for i in range(rows.count())} <= set(synthetic.DISTRICTS[NCFD])
    assert page.locator("#heat-table tbody td").count() > 0
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/dashboard-district.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать CSV").click()
    saved = tmp_path / "rates.csv"
    download.value.save_as(saved)
    table = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert table[0][0] == "key" and {row[0] for row in table[1:]} <= set(synthetic.DISTRICTS[NCFD]) and len(table) > 1

    page.get_by_role("link", name="English").click()
    wait_until(lambda: page.locator("#rates-table tbody tr").count() > 0, timeout=15, message="the English page")
    assert "Pass rate" in page.locator("#app").inner_text()


def test_only_admins_rescore_and_rebuild(api, admin, curator):
    from tests.e2e.conftest import login, make_exam

    exam = make_exam(api, admin, "::Q1::Сколько будет 2+2? {=4 ~5}", f"Пересчёт {uuid.uuid4().hex[:6]}")
    headers = login(api, *curator)
    assert api.post(f"/api/v1/exams/{exam['id']}/rescore", headers=headers, json={"reason": "x"}).status_code == 403
    assert api.post("/api/v1/analytics/rebuild", headers=headers).status_code == 403
    r = api.post(f"/api/v1/exams/{exam['id']}/rescore", headers=admin, json={"reason": "ключ исправлен"})
    assert r.status_code == 200, r.text
    assert r.json()["rescored"] == 0 and r.json()["changed"] == 0
    r = api.post("/api/v1/analytics/rebuild", headers=admin)
    assert r.status_code == 200 and r.json()["results"] >= 0
