"""An author maintains the bank over REST, the `gramota bank import` command and the author pages."""
from __future__ import annotations

import os
import subprocess
import sys
import time

from tests.e2e.conftest import ADMIN_PASSWORD


def tagged_gift(tag: str, n: int) -> str:
    parts = ["$CATEGORY: practice/digital-hygiene", ""]
    for i in range(n):
        parts += [f"// difficulty: {1 + i % 5}", f"// [tag:{tag}]", f"::{tag}-{i}:: Вопрос {tag} {i}? {{=да ~нет}}", ""]
    return "\n".join(parts)


def test_blueprint_is_refused_until_the_bank_has_enough_items_then_published(api, admin, unique):
    exam = {"title": f"Blueprint {unique}", "time_limit_seconds": 1800, "pass_score": 70,
            "rules": [{"count": 4, "tag": unique, "difficulty_min": 1, "difficulty_max": 5}],
            "settings": {"attempts_allowed": 2, "cooldown_seconds": 600, "validity_days": 365}}
    created = api.post("/api/v1/exams", headers=admin, json=exam)
    assert created.status_code == 201, created.text
    exam_id = created.json()["id"]
    refused = api.post(f"/api/v1/exams/{exam_id}/publish", headers=admin)
    assert refused.status_code == 409 and refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "blueprint_unsatisfiable" and "needs 4 items" in refused.json()["detail"]
    r = api.post("/api/v1/bank/import", params={"format": "gift"}, headers={**admin, "Content-Type": "text/plain"},
                 content=(tagged_gift(unique, 6) + "\n::broken:: нет ответов\n").encode())
    assert r.json()["imported"] == 6 and r.json()["errors"][0]["reason"].startswith("skipped: a description")
    assert r.json()["errors"][0]["skipped"] is True
    published = api.post(f"/api/v1/exams/{exam_id}/publish", headers=admin).json()
    assert (published["status"], published["question_count"], published["rules"][0]["pool_size"]) == ("published", 4, 6)
    assert published["settings"]["attempts_allowed"] == 2


def test_items_of_every_type_are_created_versioned_searched_and_exported(api, admin, unique):
    items = [
        {"type": "true_false", "text": f"{unique}: утечка возможна", "options": [
            {"id": "true", "weight": 1}, {"id": "false", "weight": 0}], "tags": [unique]},
        {"type": "ordering", "text": f"{unique}: порядок", "options": [{"text": "раз"}, {"text": "два"}], "tags": [unique]},
        {"type": "matching", "text": f"{unique}: пары", "tags": [unique],
         "options": [{"text": "a", "target": "1"}, {"text": "b", "target": "2"}]},
        {"type": "short_answer", "text": f"{unique}: слово", "accepted_texts": [{"text": "госпаблик"}], "tags": [unique]},
        {"type": "numeric", "text": f"{unique}: число", "numeric_answers": [{"value": 24, "tolerance": 1}],
         "tags": [unique], "competence": "practice/citizen-appeals", "difficulty": 4},
    ]
    ids = []
    for item in items:
        r = api.post("/api/v1/items", headers=admin, json=item)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    bad = api.post("/api/v1/items", headers=admin, json={"type": "numeric", "text": "x"})
    assert bad.status_code == 422 and "at least one accepted value" in bad.json()["detail"]
    edited = api.put(f"/api/v1/items/{ids[4]}", headers=admin, json={**items[4], "text": f"{unique}: число v2",
                                                                      "expected_version": 1})
    assert edited.json()["version"] == 2
    stale = api.put(f"/api/v1/items/{ids[4]}", headers=admin, json={**items[4], "expected_version": 1})
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    versions = api.get(f"/api/v1/items/{ids[4]}/versions", headers=admin).json()
    assert [v["text"] for v in versions] == [f"{unique}: число", f"{unique}: число v2"]
    found = api.get("/api/v1/items", headers=admin, params={"tag": unique}).json()
    assert found["total"] == 5
    assert api.get("/api/v1/items", headers=admin, params={"competence": "practice", "text": unique}).json()["total"] == 1
    gift = api.get("/api/v1/bank/export", headers=admin, params={"format": "gift", "item_ids": ids})
    assert gift.headers["x-gramota-exported"] == "4" and gift.headers["x-gramota-skipped"] == ids[1]
    assert "{#=%100%24:1}" in gift.text.replace("\n", "")
    qti = api.get("/api/v1/bank/export", headers=admin, params={"format": "qti", "item_ids": ids})
    assert qti.headers["content-type"] == "application/zip"
    again = api.post("/api/v1/bank/import", params={"format": "qti"}, headers={**admin, "Content-Type": "application/zip"},
                     content=qti.content).json()
    assert (again["imported"], again["errors"]) == (5, [])


def test_bank_import_command_imports_2000_questions_with_progress_and_reports_rejected_lines(system, tmp_path, unique):
    path = tmp_path / "bank.gift"
    path.write_text(tagged_gift(unique, 2000) + "\n::broken:: нет конца {=а ~б\n", encoding="utf-8")
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "gramota.cli", "bank", "import", str(path),
                          "--gateway", system.base_url], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "GRAMOTA_ADMIN_PASSWORD": ADMIN_PASSWORD})
    elapsed = time.perf_counter() - started
    print(f"\ngramota bank import: 2000 GIFT questions in {elapsed:.1f}s (process start and log-in included)")
    assert run.returncode == 0, run.stderr
    assert "100% 2001/2001 questions, 1 rejected" in run.stderr and "[#####" in run.stderr
    broken_line = path.read_text(encoding="utf-8").splitlines().index("::broken:: нет конца {=а ~б") + 1
    assert "2000 questions imported, 1 rejected" in run.stdout and f"line {broken_line}:" in run.stdout


def test_author_imports_a_file_and_edits_an_item_with_a_preview(page, unique, tmp_path):
    page.goto("/bank/import")
    page.get_by_label("Логин").fill("admin")
    page.get_by_label("Пароль").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.get_by_role("button", name="Загрузить").wait_for()  # the page reloads once logged in
    path = tmp_path / "authored.gift"
    path.write_text(tagged_gift(unique, 2) + "\n::broken:: нет конца {=а ~б\n\n::intro:: Описание\n", encoding="utf-8")
    page.get_by_label("Файл (GIFT или QTI 2.1)").set_input_files(str(path))
    page.get_by_role("button", name="Загрузить").click()
    page.get_by_text("Импортировано вопросов: 2. Отклонено: 1. Пропущено: 1.").wait_for()
    assert "not closed" in page.locator("#errors").inner_text()
    assert "skipped: a description" in page.locator("#errors").inner_text()
    page.goto("/bank?lang=ru")
    page.get_by_label("Тег", exact=True).fill(unique)
    page.get_by_role("button", name="Найти").click()
    page.get_by_text(f"Вопрос {unique} 0?").click()
    page.locator("form[data-loaded=true]").wait_for()
    page.locator("textarea[name=text]").fill(f"Изменённый вопрос {unique}")
    assert f"Изменённый вопрос {unique}" in page.get_by_test_id("preview").inner_text()
    assert page.get_by_test_id("preview").locator("input[type=radio]").count() == 2
    page.get_by_role("button", name="Сохранить новую версию").click()
    page.get_by_text("Сохранено: версия 2").wait_for()
