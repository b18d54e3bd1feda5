"""One official takes one exam end to end through the REST contract: login -> certificate -> verify -> pass rates."""
from __future__ import annotations

import io
import uuid

import pytest
from pypdf import PdfReader

from tests.conftest import wait_until

from .conftest import login

GIFT = """
$CATEGORY: practice/digital-hygiene

::e2e-1:: Что включить, чтобы защитить служебный аккаунт? {=Двухфакторную аутентификацию ~Автосохранение пароля в браузере ~Общий пароль отдела}

::e2e-2:: Что из этого защищает переписку? Выберите все верные {~%50%Уникальные пароли ~%50%Обновления системы ~%-100%Пересылка паролей в мессенджере}

::e2e-3:: Пост «для двух друзей» в закрытом чате {=может стать публичным ~никогда не утечёт ~удаляется сам}

Вопрос без ответов
"""

RIGHT = {0: ["o1"], 1: ["o1", "o2"], 2: ["o1"]}


def problem(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body = r.json()
    assert body["code"] == code, body
    assert body["detail"] and "Traceback" not in r.text
    return body


@pytest.fixture(scope="module")
def people(api, admin):
    suffix = uuid.uuid4().hex[:6]
    accounts = {
        "official": dict(role="candidate", full_name="Гаджиева Патимат Магомедовна",
                         federal_district="Северо-Кавказский федеральный округ", region="Республика Дагестан",
                         organization="Администрация г. Дербента"),
        "other": dict(role="candidate", full_name="Исаев Руслан Ахмедович",
                      federal_district="Северо-Кавказский федеральный округ", region="Чеченская Республика",
                      organization="Администрация г. Грозного"),
        "hr": dict(role="hr", full_name="Кадровик Ирина"),
        "curator": dict(role="curator", full_name="Куратор Павел",
                        scope_districts=["Северо-Кавказский федеральный округ"]),
    }
    headers = {}
    for key, fields in accounts.items():
        username = f"{key}-{suffix}"
        r = api.post("/api/v1/users", headers=admin, json={"username": username, "password": "secret-pass-1", **fields})
        assert r.status_code == 201, r.text
        headers[key] = login(api, username, "secret-pass-1")
    return headers


@pytest.fixture(scope="module")
def exam(api, admin):
    r = api.post("/api/v1/bank/import", params={"format": "gift"}, headers={**admin, "Content-Type": "text/plain"},
                 content=GIFT.encode())
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["imported"] == 3
    assert len(report["errors"]) == 1 and report["errors"][0]["line"] == 10
    r = api.post("/api/v1/exams", headers=admin, json={
        "title": "Цифровая гигиена служащего", "time_limit_seconds": 600, "pass_score": 60, "item_ids": report["item_ids"]})
    assert r.status_code == 201, r.text
    exam = r.json()
    assert exam["status"] == "draft"
    r = api.post(f"/api/v1/exams/{exam['id']}/publish", headers=admin)
    assert r.status_code == 200 and r.json()["status"] == "published"
    return exam


def test_health_and_openapi(api):
    assert api.get("/healthz").status_code == 200
    ready = api.get("/readyz")
    assert ready.status_code == 200 and set(ready.json()["services"].values()) == {"SERVING"}
    paths = api.get("/openapi.json").json()["paths"]
    assert "/api/v1/attempts/{attempt_id}/answers/{question_id}" in paths


def test_official_takes_the_exam_and_gets_a_verifiable_certificate(api, admin, people, exam):
    me = people["official"]
    listed = api.get("/api/v1/exams", headers=me).json()
    assert exam["id"] in [e["id"] for e in listed]

    r = api.post(f"/api/v1/exams/{exam['id']}/attempts", headers=me)
    assert r.status_code == 201, r.text
    attempt = r.json()
    assert attempt["deadline"].endswith("Z") and attempt["status"] == "in_progress"
    assert len(attempt["questions"]) == 3
    # keys never reach the candidate
    assert "weight" not in r.text and "feedback" not in r.text and "Верно" not in r.text

    for i, q in enumerate(attempt["questions"]):
        r = api.put(f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}", headers=me, json={"option_ids": RIGHT[i]})
        assert r.status_code == 200, r.text
    # saving the same answer again is harmless
    q0 = attempt["questions"][0]["id"]
    assert api.put(f"/api/v1/attempts/{attempt['id']}/answers/{q0}", headers=me, json={"option_ids": ["o1"]}).status_code == 200

    resumed = api.get(f"/api/v1/attempts/{attempt['id']}", headers=me).json()
    assert {a["question_id"]: a["option_ids"] for a in resumed["answers"]} == {
        q["id"]: RIGHT[i] for i, q in enumerate(attempt["questions"])}

    r = api.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=me)
    assert r.status_code == 202, r.text

    def certified():
        a = api.get(f"/api/v1/attempts/{attempt['id']}", headers=me).json()
        return a if a["status"] == "scored" and a["certificate_serial"] else None

    done = wait_until(certified, timeout=60, interval=0.2, message="the result and the certificate")
    assert done["score"] == 100.0 and done["passed"] is True and done["pass_score"] == 60
    # per competence: its name in the request's language (Russian by default), area, points
    assert done["subscores"] == [{
        "competence": "practice/digital-hygiene", "name": "Цифровая гигиена и приватность", "area": "practice",
        "area_name": "Практика служащего", "points": 3.0, "max_points": 3.0, "percent": 100.0}]
    english = api.get(f"/api/v1/attempts/{attempt['id']}", headers=me, params={"lang": "en"}).json()["subscores"]
    assert [(s["name"], s["area_name"]) for s in english] == [("Digital hygiene and privacy", "Practice of public officials")]
    by_header = api.get(f"/api/v1/attempts/{attempt['id']}", headers={**me, "Accept-Language": "en-GB,ru;q=0.5"}).json()
    assert by_header["subscores"][0]["name"] == "Digital hygiene and privacy"
    unknown = api.get(f"/api/v1/attempts/{attempt['id']}", headers=me, params={"lang": "xx"}).json()
    assert unknown["subscores"][0]["name"] == "Цифровая гигиена и приватность"
    serial = done["certificate_serial"]

    pdf = api.get(f"/api/v1/certificates/{serial}/pdf", headers=me)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Гаджиева Патимат Магомедовна" in text and "СЕРТИФИКАТ" in text and serial in text
    assert api.get(f"/api/v1/certificates/{serial}/pdf", headers=people["hr"]).status_code == 200
    problem(api.get(f"/api/v1/certificates/{serial}/pdf", headers=people["other"]), 404, "certificate_not_found")
    problem(api.get(f"/api/v1/certificates/{serial}/pdf", headers=people["curator"]), 403, "forbidden")

    v = api.get(f"/api/v1/verify/{serial.lower().replace('-', '')}").json()  # no login, any spelling
    assert v["status"] == "valid" and v["holder_name"] == "Гаджиева Патимат Магомедовна"
    assert v["exam_title"] == "Цифровая гигиена служащего" and v["issued_at"]
    assert set(v) <= {"serial", "status", "holder_name", "exam_title", "issued_at", "revoked_at", "revocation_reason"}
    page = api.get(f"/verify/{serial}")
    assert page.status_code == 200 and "Сертификат действителен" in page.text

    # the other official fails: no certificate, but counted in the pass rates
    other = people["other"]
    failed = api.post(f"/api/v1/exams/{exam['id']}/attempts", headers=other).json()
    api.post(f"/api/v1/attempts/{failed['id']}/submit", headers=other)
    wait_until(lambda: api.get(f"/api/v1/attempts/{failed['id']}", headers=other).json()["status"] == "scored",
               timeout=60, message="the failed attempt to be scored")
    f = api.get(f"/api/v1/attempts/{failed['id']}", headers=other).json()
    assert f["passed"] is False and f["score"] == 0 and f["certificate_serial"] is None
    assert [(s["competence"], s["points"], s["max_points"], s["percent"]) for s in f["subscores"]] == [
        ("practice/digital-hygiene", 0.0, 3.0, 0.0)]

    rates = api.get("/api/v1/analytics/pass-rates", params={"group_by": "region", "exam_id": exam["id"]},
                    headers=people["curator"])
    assert rates.status_code == 200, rates.text
    by_region = {r["key"]: r for r in rates.json()}
    assert {k: by_region["Республика Дагестан"][k] for k in ("key", "attempts", "passed", "pass_rate")} == {
        "key": "Республика Дагестан", "attempts": 1, "passed": 1, "pass_rate": 1.0}
    assert by_region["Чеченская Республика"]["pass_rate"] == 0.0
    districts = api.get("/api/v1/analytics/pass-rates", params={"group_by": "federal_district", "exam_id": exam["id"]},
                        headers=admin).json()
    assert [{k: d[k] for k in ("key", "attempts", "passed", "pass_rate")} for d in districts] == [
        {"key": "Северо-Кавказский федеральный округ", "attempts": 2, "passed": 1, "pass_rate": 0.5}]


def test_verify_unknown_and_mistyped_serials(api):
    from gramota.certificates.serials import display, new_serial

    unknown = api.get(f"/api/v1/verify/{display(new_serial())}")
    assert unknown.status_code == 200 and unknown.json()["status"] == "unknown"
    assert unknown.json().get("holder_name") is None
    problem(api.get("/api/v1/verify/ABCD-EFGH-JKMN"), 422, "invalid_serial")


def test_bad_input_gets_a_clear_problem_and_changes_nothing(api, admin, people, exam):
    me = people["official"]
    attempt = api.post(f"/api/v1/exams/{exam['id']}/attempts", headers=people["other"]).json()  # resumes or starts
    q = attempt["questions"][0]["id"]
    before = api.get(f"/api/v1/attempts/{attempt['id']}", headers=people["other"]).json()

    # garbage bodies
    problem(api.post("/api/v1/exams", headers={**admin, "Content-Type": "application/json"}, content=b"{not json"),
            422, "validation_error")
    problem(api.post("/api/v1/users", headers=admin, json={"username": "x", "role": "king"}), 422, "validation_error")
    problem(api.put(f"/api/v1/attempts/{attempt['id']}/answers/{q}", headers=people["other"], json={"option_ids": "o1"}),
            422, "validation_error")
    # unknown ids
    problem(api.post(f"/api/v1/exams/{uuid.uuid4()}/attempts", headers=me), 404, "exam_not_found")
    problem(api.post("/api/v1/exams/not-an-id/attempts", headers=me), 404, "exam_not_found")
    problem(api.get(f"/api/v1/attempts/{uuid.uuid4()}", headers=me), 404, "attempt_not_found")
    problem(api.post("/api/v1/exams", headers=admin, json={
        "title": "x", "time_limit_seconds": 600, "pass_score": 50, "item_ids": [str(uuid.uuid4())]}), 422, "unknown_items")
    # wrong role, no token, someone else's attempt
    problem(api.post("/api/v1/exams", headers=me, json={}), 403, "forbidden")
    problem(api.post(f"/api/v1/exams/{exam['id']}/attempts", headers=people["hr"]), 403, "forbidden")
    problem(api.get("/api/v1/analytics/pass-rates", headers=me), 403, "forbidden")
    problem(api.get("/api/v1/exams"), 401, "unauthenticated")
    problem(api.get("/api/v1/exams", headers={"Authorization": "Bearer forged.token.here"}), 401, "invalid_token")
    problem(api.put(f"/api/v1/attempts/{attempt['id']}/answers/{q}", headers=me, json={"option_ids": ["o1"]}),
            404, "attempt_not_found")
    # an answer to a question not in the attempt, and an option not in the question
    problem(api.put(f"/api/v1/attempts/{attempt['id']}/answers/{uuid.uuid4()}", headers=people["other"],
                    json={"option_ids": ["o1"]}), 422, "question_not_in_attempt")
    problem(api.put(f"/api/v1/attempts/{attempt['id']}/answers/{q}", headers=people["other"],
                    json={"option_ids": ["o99"]}), 422, "unknown_option")
    problem(api.post("/api/v1/auth/token", data={"username": "admin", "password": "wrong"}), 401, "invalid_credentials")

    after = api.get(f"/api/v1/attempts/{attempt['id']}", headers=people["other"]).json()
    assert after["answers"] == before["answers"] and after["status"] == before["status"]
