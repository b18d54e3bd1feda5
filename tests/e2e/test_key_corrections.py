"""A corrected key reaches every result and certificate; a voided item leaves every total; a retired item is never
drawn again — on the whole system (every service its own process, real PostgreSQL and Kafka)."""
from __future__ import annotations

import uuid

import pytest

from gramota.shared import topics
from tests.conftest import group_caught_up, read_topic, wait_until

from .conftest import make_candidate, query

REASON = "ключ K1 исправлен"


def _item(api, admin, text: str, right: int, tag: str, options: tuple[str, ...] = ("вариант А", "вариант Б")) -> str:
    # a competence: blueprints draw only items that have one
    r = api.post("/api/v1/items", headers=admin, json={
        "type": "single_choice", "text": text, "tags": [tag], "competence": "digcomp/1.1",
        "options": [{"text": o, "weight": 1.0 if n == right else 0.0} for n, o in enumerate(options)]})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _exam(api, admin, title: str, *, item_ids: list[str] | None = None, rules: list[dict] | None = None,
          pass_score: float = 60) -> dict:
    body = {"title": title, "time_limit_seconds": 600, "pass_score": pass_score}
    body.update({"item_ids": item_ids} if item_ids else {"rules": rules})
    r = api.post("/api/v1/exams", headers=admin, json=body)
    assert r.status_code == 201, r.text
    r = api.post(f"/api/v1/exams/{r.json()['id']}/publish", headers=admin)
    assert r.status_code == 200, r.text
    return r.json()


def _sit(api, headers, exam_id: str, choices: dict[str, str]) -> dict:
    """Start, answer each question with the option id `choices` names for its item, submit; the scored attempt."""
    attempt = api.post(f"/api/v1/exams/{exam_id}/attempts", headers=headers)
    assert attempt.status_code == 201, attempt.text
    attempt = attempt.json()
    for q in attempt["questions"]:
        r = api.put(f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}", headers=headers,
                    json={"option_ids": [choices[q["id"]]]})
        assert r.status_code == 200, r.text
    assert api.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).status_code == 202
    return _settled(api, headers, attempt["id"])


def _settled(api, headers, attempt_id: str, changes: int = 0) -> dict:
    """The attempt once scored (with `changes` rescorings) and its certificate matches its outcome."""
    def done():
        a = api.get(f"/api/v1/attempts/{attempt_id}", headers=headers).json()
        ok = a["status"] == "scored" and len(a["changes"]) == changes and bool(a["certificate_serial"]) == a["passed"]
        return a if ok else None
    return wait_until(done, timeout=60, interval=0.2, message="the result and its certificate")


def _correct(api, admin, item_id: str, right: int, **decision) -> dict:
    item = api.get(f"/api/v1/items/{item_id}", headers=admin).json()
    body = {k: item[k] for k in ("type", "text", "competence", "tags", "difficulty", "points")}
    body["options"] = [{**o, "weight": 1.0 if n == right else 0.0} for n, o in enumerate(item["options"])]
    r = api.put(f"/api/v1/items/{item_id}", headers=admin, json=body)
    assert r.status_code == 200 and r.json()["version"] == item["version"] + 1, r.text
    r = api.post(f"/api/v1/items/{item_id}/corrections", headers=admin, json=decision)
    assert r.status_code == 200, r.text
    return r.json()


def _certificates(system, attempt_id: str) -> list:
    return query(system.database_url, "SELECT serial, status, revocation_reason, score_percent, replaces_serial"
                 " FROM certificates.certificates WHERE attempt_id = $1::uuid ORDER BY issued_at", attempt_id)


def _revoked_at(system, serial: str):
    return query(system.database_url, "SELECT revoked_at FROM certificates.certificates WHERE serial = $1", serial)[0][0]


def _form_version_reached(system, exam_id: str, version: int) -> None:
    wait_until(lambda: (v := query(system.database_url, "SELECT form_version FROM sessions.exam_forms"
                                   " WHERE exam_id = $1::uuid", exam_id)) and v[0][0] >= version,
               timeout=30, interval=0.2, message=f"sessions to cache form version {version}")


@pytest.mark.parametrize("form", ["fixed", "blueprint"])
def test_a_corrected_key_rescored_moves_results_certificates_and_new_attempts(system, api, admin, kafka_bootstrap,
                                                                             form):
    tag = f"k-{uuid.uuid4().hex[:8]}"
    k1 = _item(api, admin, f"K1 {tag}", right=0, tag=tag)   # keyed "А"; the right answer is "Б"
    k2 = _item(api, admin, f"K2 {tag}", right=0, tag=tag)
    exam = _exam(api, admin, f"Исправление ключа {tag}", **(
        {"item_ids": [k1, k2]} if form == "fixed" else {"rules": [{"count": 2, "tag": tag}]}))
    wrong, right, later = (make_candidate(api, admin, f"{tag}-{n}") for n in ("wrong", "right", "later"))
    a_wrong = _sit(api, wrong, exam["id"], {k1: "o1", k2: "o1"})
    a_right = _sit(api, right, exam["id"], {k1: "o2", k2: "o1"})
    assert (a_wrong["score"], a_wrong["passed"]) == (100, True)
    assert (a_right["score"], a_right["passed"]) == (50, False)
    wrong_serial = a_wrong["certificate_serial"].replace("-", "")  # stored without the dashes it is shown with

    done = _correct(api, admin, k1, right=1, apply="past", reason=REASON)
    [c] = done["corrections"]
    assert (c["exam_id"], c["from_version"], c["to_version"], c["apply"], c["actor"]) == (exam["id"], 1, 2, "past", "admin")
    assert c["reason"] == REASON
    [rescore] = done["rescores"]
    assert (rescore["rescored"], rescore["changed"], rescore["newly_passed"], rescore["newly_failed"]) == (2, 2, 1, 1)
    assert rescore["key_version"] == c["key_version"] == 2

    # the one who chose "А" now fails, and the certificate is revoked with the reason
    now_wrong = _settled(api, wrong, a_wrong["id"], changes=1)
    assert (now_wrong["score"], now_wrong["passed"], now_wrong["certificate_serial"]) == (50, False, None)
    assert REASON in now_wrong["changes"][0]["reason"]
    assert (now_wrong["changes"][0]["score_before"], now_wrong["changes"][0]["passed_before"]) == (100, True)
    wait_until(lambda: api.get(f"/api/v1/verify/{wrong_serial}").json()["status"] == "revoked", timeout=30,
               interval=0.2, message="the certificate revoked")
    revoked_at = _revoked_at(system, wrong_serial)
    [(serial, status, why, *_)] = _certificates(system, a_wrong["id"])
    assert (serial, status) == (wrong_serial, "revoked") and REASON in why
    # the one who chose "Б" now passes and is certified
    now_right = _settled(api, right, a_right["id"], changes=1)
    assert (now_right["score"], now_right["passed"]) == (100, True)
    assert api.get(f"/api/v1/verify/{now_right['certificate_serial']}").json()["status"] == "valid"
    # a new attempt is scored with the corrected key (and shown the corrected version)
    _form_version_reached(system, exam["id"], 2)
    a_later = _sit(api, later, exam["id"], {k1: "o2", k2: "o1"})
    assert (a_later["score"], a_later["passed"]) == (100, True)

    # each change exactly once: the rescore repeated (the plain way) ...
    r = api.post(f"/api/v1/exams/{exam['id']}/rescore", headers=admin, json={"reason": REASON})
    assert r.status_code == 200, r.text
    assert (r.json()["rescored"], r.json()["changed"]) == (3, 0)
    # ... and its events delivered again, twice
    attempts = [a_wrong["id"], a_right["id"]]
    rescored = [(r.key, r.value) for r in read_topic(kafka_bootstrap, topics.RESULTS.name)
                if r.key in {a.encode() for a in attempts}]
    from kafka import KafkaProducer
    producer = KafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all", enable_idempotence=True)
    for _ in range(2):
        for key, value in rescored:
            producer.send(topics.RESULTS.name, key=key, value=value)
    producer.flush()
    producer.close()
    wait_until(lambda: group_caught_up(kafka_bootstrap, topics.GROUP_CERTIFICATES, topics.RESULTS.name), timeout=60,
               message="certificates to catch up")
    changes = query(system.database_url, "SELECT r.attempt_id, count(c.id) FROM scoring.results r"
                    " LEFT JOIN scoring.result_changes c ON c.result_id = r.id WHERE r.exam_id = $1::uuid"
                    " GROUP BY r.attempt_id", exam["id"])
    assert {str(a): n for a, n in changes} == {a_wrong["id"]: 1, a_right["id"]: 1, a_later["id"]: 0}
    assert [s for _, s, *_ in _certificates(system, a_wrong["id"])] == ["revoked"]
    assert [s for _, s, *_ in _certificates(system, a_right["id"])] == ["valid"]
    assert _revoked_at(system, wrong_serial) == revoked_at  # revoked once, not again


def test_a_voided_item_leaves_every_total_and_a_changed_pass_is_reissued(system, api, admin):
    tag = f"v-{uuid.uuid4().hex[:8]}"
    bad, good1, good2 = (_item(api, admin, f"{n} {tag}", right=0, tag=tag) for n in ("V1", "V2", "V3"))
    exam = _exam(api, admin, f"Аннулирование {tag}", item_ids=[bad, good1, good2])
    h1, h2 = make_candidate(api, admin, f"{tag}-1"), make_candidate(api, admin, f"{tag}-2")
    a1 = _sit(api, h1, exam["id"], {bad: "o2", good1: "o1", good2: "o1"})   # 2 of 3: passes at 66.67
    a2 = _sit(api, h2, exam["id"], {bad: "o1", good1: "o2", good2: "o2"})   # 1 of 3: fails
    assert (a1["passed"], round(a1["score"], 2), a2["passed"]) == (True, 66.67, False)

    r = api.post(f"/api/v1/items/{bad}/corrections", headers=admin, json={"apply": "none", "void": True,
                                                                          "reason": "вопрос двусмысленный"})
    assert r.status_code == 200, r.text
    assert r.json()["corrections"][0]["void"] is True
    assert r.json()["rescores"][0]["changed"] == 2
    now1 = _settled(api, h1, a1["id"], changes=1)
    now2 = _settled(api, h2, a2["id"], changes=1)
    assert (now1["score"], now1["passed"]) == (100, True)      # 2 of 2
    assert (now2["score"], now2["passed"]) == (0, False)       # 0 of 2
    points = query(system.database_url, "SELECT max_points FROM scoring.results WHERE exam_id = $1::uuid", exam["id"])
    assert {p for (p,) in points} == {2.0}
    # the pass with a new score: a new certificate with 100 %, the old one revoked and pointing to it
    certs = wait_until(lambda: len(c := _certificates(system, a1["id"])) == 2 and c, timeout=30, interval=0.2,
                       message="the reissued certificate")
    (old, old_status, old_why, old_score, _), (new, new_status, _, new_score, replaces) = certs
    assert (old_status, old_score, new_status, new_score, replaces) == ("revoked", 66.67, "valid", 100, old)
    assert "вопрос двусмысленный" in old_why
    shown = api.get(f"/api/v1/attempts/{a1['id']}", headers=h1).json()["certificate_serial"]
    assert shown.replace("-", "") == new


def test_a_correction_for_future_attempts_only_keeps_past_results(system, api, admin):
    tag = f"f-{uuid.uuid4().hex[:8]}"
    k1 = _item(api, admin, f"F1 {tag}", right=0, tag=tag)
    exam = _exam(api, admin, f"Только новые {tag}", item_ids=[k1])
    before, after = make_candidate(api, admin, f"{tag}-1"), make_candidate(api, admin, f"{tag}-2")
    a1 = _sit(api, before, exam["id"], {k1: "o1"})
    done = _correct(api, admin, k1, right=1, apply="future", reason="новый ключ с завтрашнего дня")
    assert done["rescores"] == [] and done["corrections"][0]["to_version"] == 2
    _form_version_reached(system, exam["id"], 2)
    a2 = _sit(api, after, exam["id"], {k1: "o2"})
    assert a2["passed"] is True
    # the plain rescore keeps the decision: the answer given on version 1 keeps version 1's key
    r = api.post(f"/api/v1/exams/{exam['id']}/rescore", headers=admin, json={"reason": "проверка"})
    assert r.json()["changed"] == 0
    assert _settled(api, before, a1["id"])["passed"] is True
    # changing one's mind later: applied to past results after all
    r = api.post(f"/api/v1/items/{k1}/corrections", headers=admin, json={"apply": "past", "reason": "и к прошлым"})
    assert r.json()["rescores"][0]["newly_failed"] == 1
    assert _settled(api, before, a1["id"], changes=1)["passed"] is False
    history = api.get(f"/api/v1/items/{k1}/corrections", headers=admin).json()["corrections"]
    assert [c["apply"] for c in history] == ["past", "future"]


def test_a_retired_item_is_never_drawn_again_and_a_short_exam_is_named_first(system, api, admin):
    tag = f"r-{uuid.uuid4().hex[:8]}"
    pool = [_item(api, admin, f"R{n} {tag}", right=0, tag=tag) for n in range(4)]
    blueprint = _exam(api, admin, f"Отбор {tag}", rules=[{"count": 2, "tag": tag}])
    fixed = _exam(api, admin, f"Фиксированный {tag}", item_ids=pool[:2])
    # retiring two of four leaves the blueprint drawable; the fixed form that holds one of them is named first
    r = api.post(f"/api/v1/items/{pool[3]}/retire", headers=admin)
    assert r.status_code == 200, r.text
    r = api.post(f"/api/v1/items/{pool[0]}/retire", headers=admin)
    assert r.status_code == 409, r.text
    body = r.json()
    assert body["code"] == "retire_shortens_exams"
    assert [e["exam_id"] for e in body["affected_exams"]] == [fixed["id"]]
    assert api.get(f"/api/v1/items/{pool[0]}", headers=admin).json()["retired"] is False  # nothing changed
    r = api.post(f"/api/v1/items/{pool[0]}/retire", headers=admin, json={"confirm": True})
    assert r.status_code == 200 and r.json()["retired"] is True
    exams = {e["id"]: e for e in api.get("/api/v1/exams", headers=admin, params={"include_drafts": True}).json()}
    assert exams[fixed["id"]]["status"] == "retired" and exams[blueprint["id"]]["status"] == "published"

    _form_version_reached(system, blueprint["id"], 3)
    _form_version_reached(system, fixed["id"], 2)
    drawn = []
    for n in range(10):
        h = make_candidate(api, admin, f"{tag}-{n}")
        r = api.post(f"/api/v1/exams/{blueprint['id']}/attempts", headers=h)
        assert r.status_code == 201, r.text
        drawn += [q["id"] for q in r.json()["questions"]]
    assert len(drawn) == 20 and set(drawn) == {pool[1], pool[2]}
    # the closed fixed form is never given short
    h = make_candidate(api, admin, f"{tag}-fixed")
    r = api.post(f"/api/v1/exams/{fixed['id']}/attempts", headers=h)
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json"), r.text


@pytest.mark.browser
def test_the_admin_decides_on_the_item_page_and_the_official_sees_the_rescored_result(page, api, admin):
    import re

    from playwright.sync_api import expect

    from tests.e2e.conftest import ADMIN_PASSWORD

    tag = f"b-{uuid.uuid4().hex[:8]}"
    k1 = _item(api, admin, f"B1 {tag}", right=0, tag=tag)
    exam = _exam(api, admin, f"Страница исправления {tag}", item_ids=[k1])
    username = f"{tag}-official"
    official = make_candidate(api, admin, username)
    attempt = _sit(api, official, exam["id"], {k1: "o2"})   # the right answer, keyed wrong: failed
    assert attempt["passed"] is False
    item = api.get(f"/api/v1/items/{k1}", headers=admin).json()
    body = {k: item[k] for k in ("type", "text", "competence", "tags", "difficulty", "points")}
    body["options"] = [{**o, "weight": float(n == 1)} for n, o in enumerate(item["options"])]
    assert api.put(f"/api/v1/items/{k1}", headers=admin, json=body).status_code == 200

    page.goto(f"/bank/items/{k1}")
    page.get_by_label("Логин").fill("admin")
    page.get_by_label("Пароль").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    form = page.locator("#correction")
    expect(form).to_be_visible(timeout=15_000)
    expect(page.locator("#correction-exams")).to_have_text(re.compile(f"Страница исправления {tag} — Версия 1"))
    form.get_by_label("Применить к прошлым результатам (пересчитать) и к новым попыткам").check()
    form.get_by_label("Причина").fill("ключ B1 исправлен")
    form.get_by_role("button", name="Применить").click()
    expect(page.locator("#correction-status")).to_have_text(re.compile(r"пересчитано 1, изменилось 1 \(\+1 / −0\)"),
                                                            timeout=30_000)
    expect(form).to_be_hidden(timeout=15_000)  # no exam is on an older version any more
    history = api.get(f"/api/v1/items/{k1}/corrections", headers=admin).json()["corrections"]
    assert [(c["apply"], c["reason"], c["actor"]) for c in history] == [("past", "ключ B1 исправлен", "admin")]

    rescored = _settled(api, official, attempt["id"], changes=1)
    assert rescored["passed"] is True and rescored["changes"][0]["reason"] == "ключ B1 исправлен (by admin)"
