"""Exam sessions through the REST contract: rules with clear codes, extra time, extensions, the audit trail."""
from __future__ import annotations

import json
import uuid
from datetime import datetime

from .conftest import login, make_candidate, query

QUESTIONS = [
    {"id": "r-1", "item_version": 1, "type": "single_choice", "text": "Один?",
     "options": [{"id": "o1", "text": "да"}, {"id": "o2", "text": "нет"}], "targets": []},
    {"id": "r-2", "item_version": 1, "type": "numeric", "text": "Сколько?", "options": [], "targets": []},
]


def cached_form(system, settings: dict, time_limit: int = 600) -> str:
    """A form as sessions caches it from `exam published`, with the exam's rules."""
    exam_id = str(uuid.uuid4())
    query(system.database_url,
          "INSERT INTO sessions.exam_forms (exam_id, title, time_limit_seconds, pass_score, form_version, questions, settings)"
          " VALUES ($1, $2, $3, 60, 1, $4::jsonb, $5::jsonb)",
          uuid.UUID(exam_id), f"Правила {exam_id[:6]}", time_limit, json.dumps(QUESTIONS), json.dumps(settings))
    return exam_id


def when(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def test_attempts_left_cooldown_and_exhaustion_have_clear_codes(api, admin, system):
    me = make_candidate(api, admin, f"rules-{uuid.uuid4().hex[:6]}")
    exam_id = cached_form(system, {"attempts_allowed": 2, "cooldown_seconds": 3600})
    mine = lambda: next(e for e in api.get("/api/v1/my/exams", headers=me).json() if e["exam_id"] == exam_id)  # noqa: E731
    assert (mine()["availability"], mine()["attempts_left"]) == ("available", 2)
    attempt = api.post(f"/api/v1/exams/{exam_id}/attempts", headers=me).json()
    assert mine()["open_attempt_id"] == attempt["id"]
    assert api.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=me).status_code == 202
    refused = api.post(f"/api/v1/exams/{exam_id}/attempts", headers=me)
    assert refused.status_code == 409 and refused.json()["code"] == "cooldown"
    assert refused.json()["next_start_at"] == mine()["next_start_at"].replace("Z", "+00:00")
    assert (mine()["availability"], mine()["attempts_left"]) == ("cooldown", 1)
    # the HR role cannot see a candidate's list
    hr = api.post("/api/v1/users", headers=admin, json={"username": f"hr-{uuid.uuid4().hex[:6]}", "password": "secret-pass-1",
                                                        "full_name": "Кадровик", "role": "hr"})
    assert api.get("/api/v1/my/exams", headers=login(api, hr.json()["username"], "secret-pass-1")).status_code == 403


def test_extra_time_extension_answers_of_every_kind_and_the_audit_trail(api, admin, system):
    username = f"extra-{uuid.uuid4().hex[:6]}"
    me = make_candidate(api, admin, username)
    user_id = api.get("/api/v1/me", headers=me).json()["id"]
    r = api.put(f"/api/v1/candidates/{user_id}/accommodation", headers=admin, json={"extra_percent": 50, "note": "ОВЗ"})
    assert r.status_code == 200, r.text
    assert api.put(f"/api/v1/candidates/{user_id}/accommodation", headers=me, json={"extra_minutes": 5}).status_code == 403

    exam_id = cached_form(system, {}, time_limit=600)
    attempt = api.post(f"/api/v1/exams/{exam_id}/attempts", headers=me).json()
    assert (when(attempt["deadline"]) - when(attempt["started_at"])).total_seconds() == 900
    assert attempt["extra_seconds"] == 300 and attempt["server_time"]

    put = lambda qid, body: api.put(f"/api/v1/attempts/{attempt['id']}/answers/{qid}", headers=me, json=body)  # noqa: E731
    assert put("r-1", {"option_ids": ["o2"], "client_seq": 2}).json()["applied"] is True
    late = put("r-1", {"option_ids": ["o1"], "client_seq": 1}).json()
    assert late["applied"] is False and late["stored"]["option_ids"] == ["o2"]
    assert put("r-2", {"number": 12.5, "client_seq": 3}).json()["stored"]["number"] == 12.5
    bad = put("r-2", {"option_ids": ["o1"], "number": None, "client_seq": 4})
    assert bad.status_code == 200  # a numeric question ignores option ids; no number is "no answer"
    assert api.post(f"/api/v1/attempts/{attempt['id']}/events", headers=me, json={"kind": "focus_lost"}).status_code == 201
    assert api.post(f"/api/v1/attempts/{attempt['id']}/events", headers=me, json={"kind": "hacked"}).status_code == 422

    extended = api.post(f"/api/v1/attempts/{attempt['id']}/extend", headers=admin, json={"minutes": 7, "reason": "сбой связи"})
    assert extended.status_code == 200, extended.text
    assert (when(extended.json()["deadline"]) - when(attempt["deadline"])).total_seconds() == 420
    assert api.post(f"/api/v1/attempts/{attempt['id']}/extend", headers=me, json={"minutes": 7}).status_code == 403

    assert api.get(f"/api/v1/attempts/{attempt['id']}/audit", headers=me).status_code == 403
    trail = api.get(f"/api/v1/attempts/{attempt['id']}/audit", headers=admin).json()["entries"]
    assert [e["kind"] for e in trail] == ["started", "answer_saved", "answer_saved", "answer_saved", "focus_lost", "extended"]
    assert trail[-1]["detail"]["reason"] == "сбой связи" and all(e["at"].endswith("Z") for e in trail)


def test_an_exhausted_exam_says_its_limit_as_a_number(api, admin, system):
    me = make_candidate(api, admin, f"limit-{uuid.uuid4().hex[:6]}")
    exam_id = cached_form(system, {"attempts_allowed": 1})
    attempt = api.post(f"/api/v1/exams/{exam_id}/attempts", headers=me).json()
    assert api.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=me).status_code == 202
    refused = api.post(f"/api/v1/exams/{exam_id}/attempts", headers=me)
    assert refused.status_code == 409 and refused.headers["content-type"].startswith("application/problem+json")
    body = refused.json()
    assert body["code"] == "attempts_exhausted" and body["attempts_allowed"] == 1
    assert type(body["attempts_allowed"]) is int  # a number, as the OpenAPI's ProblemDocument says
