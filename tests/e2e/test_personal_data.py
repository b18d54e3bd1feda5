"""Personal data across the services: an admin exports everything Gramota holds about a candidate as one document,
then erases it; the results stay counted, the certificate keeps verifying as issued, a repeated erasure is harmless
and a service that is down makes the erasure fail visibly, to be finished by the same request later."""
from __future__ import annotations

import uuid

from tests.conftest import wait_until

from .conftest import make_candidate, make_exam, pass_exam, query

GIFT = "$CATEGORY: digcomp/4.1\n\n::pd-1:: Служебный пароль можно записать на стикере у монитора? {~да =нет}\n"
DISTRICT, REGION = "Северо-Кавказский федеральный округ", "Карачаево-Черкесская Республика"


def _candidate(api, admin, name: str, organization: str) -> tuple[str, str, dict]:
    """(login, user id, headers) of a new candidate."""
    username = f"pd-{uuid.uuid4().hex[:8]}"
    headers = make_candidate(api, admin, username, full_name=name, federal_district=DISTRICT, region=REGION,
                             organization=organization)
    return username, api.get("/api/v1/me", headers=headers).json()["id"], headers


def _pass_rate(api, admin, exam_id: str, group_by: str) -> list[tuple]:
    rows = api.get("/api/v1/analytics/pass-rates", headers=admin, params={"exam_id": exam_id, "group_by": group_by})
    assert rows.status_code == 200, rows.text
    return [(r["key"], r["attempts"], r["passed"]) for r in rows.json()]


def test_an_admin_exports_then_erases_a_candidate_everywhere_and_the_certificate_keeps_verifying(system, api, admin):
    name, organization = "Байрамукова Фатима Хасановна", "Администрация Учкекенского сельского поселения"
    username, user_id, headers = _candidate(api, admin, name, organization)
    exam = make_exam(api, admin, GIFT, f"Персональные данные {uuid.uuid4().hex[:6]}", pass_score=50)
    passed = pass_exam(api, headers, exam["id"], "нет")
    attempt_id, serial = passed["id"], passed["certificate_serial"]
    wait_until(lambda: _pass_rate(api, admin, exam["id"], "federal_district") == [(DISTRICT, 1, 1)], timeout=30,
               message="the result in the pass rates")

    # --- the export: one document, a section per service
    r = api.get(f"/api/v1/users/{user_id}/export", headers=admin)
    assert r.status_code == 200, r.text
    export = r.json()
    assert {"gateway", "sessions", "scoring", "certificates"} <= set(export) and export["user_id"] == user_id
    assert export["gateway"]["user"]["full_name"] == name and "password_hash" not in export["gateway"]["user"]
    [attempt] = export["sessions"]["attempts"]
    assert attempt["attempt"]["id"] == attempt_id and attempt["candidate"]["full_name"] == name
    assert len(attempt["attempt"]["answers"]) == 1 and "submitted" in [e["kind"] for e in attempt["audit"]]
    [result] = export["scoring"]["results"]
    assert result["result"]["attempt_id"] == attempt_id and result["result"]["passed"] is True
    assert result["result"]["subscores"] and result["candidate"]["organization"] == organization
    [certificate] = export["certificates"]
    assert certificate["serial"] == serial and certificate["holder_name"] == name and certificate["status"] == "valid"
    assert certificate["issued_at"] and certificate["exam_title"] == exam["title"]

    # --- the erasure
    r = api.delete(f"/api/v1/users/{user_id}/personal-data", headers=admin)
    assert r.status_code == 200, r.text
    erasure = r.json()
    parts = {p["service"]: p for p in erasure["services"]}
    assert set(parts) == {"sessions", "scoring", "gateway", "certificates"}
    assert parts["sessions"]["records"] >= 1 and parts["scoring"]["records"] == 1 and parts["gateway"]["records"] == 1
    assert all(k["what"] and k["why"] for p in parts.values() for k in p["kept"])
    assert any("152-FZ" in k["why"] for k in parts["certificates"]["kept"])

    # the account is gone: no login, no token, no name
    assert api.get("/api/v1/me", headers=headers).status_code == 401
    assert api.post("/api/v1/auth/token", data={"username": username, "password": "secret-pass-1"}).status_code == 401
    [account] = query(system.database_url, "SELECT username, full_name, organization, erased_at FROM gateway.users "
                                           "WHERE id = $1::uuid", user_id)
    assert (account["full_name"], account["organization"]) == ("", "") and username not in account["username"]
    # sessions and scoring keep the attempt and the result, with the district and region but without the person
    [snapshot] = query(system.database_url, "SELECT candidate FROM sessions.attempts WHERE candidate_id = $1", user_id)
    assert '"full_name": ""' in snapshot["candidate"] and '"organization": ""' in snapshot["candidate"]
    assert DISTRICT in snapshot["candidate"] and REGION in snapshot["candidate"]
    [stored] = query(system.database_url, "SELECT full_name, organization, federal_district, region, "
                                          "position(convert_to($2, 'UTF8') in submission) AS name_in_submission "
                                          "FROM scoring.results WHERE candidate_id = $1", user_id, name)
    assert (stored["full_name"], stored["organization"], stored["federal_district"]) == ("", "", DISTRICT)
    assert stored["name_in_submission"] == 0
    for table, column in (("sessions.attempts", "candidate::text"), ("scoring.results", "full_name || organization")):
        assert not query(system.database_url, f"SELECT 1 FROM {table} WHERE {column} LIKE '%' || $1 || '%' "
                                              f"OR {column} LIKE '%' || $2 || '%'", name, organization)
    # the result still counts; the certificate still verifies, with the name as issued
    assert _pass_rate(api, admin, exam["id"], "federal_district") == [(DISTRICT, 1, 1)]
    assert _pass_rate(api, admin, exam["id"], "region") == [(REGION, 1, 1)]
    assert _pass_rate(api, admin, exam["id"], "organization") == [("", 1, 1)]
    check = api.get(f"/api/v1/verify/{serial}").json()
    assert check["status"] == "valid" and check["holder_name"] == name

    # --- again: harmless, and it says when the data were first erased
    r = api.delete(f"/api/v1/users/{user_id}/personal-data", headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["erased_at"] == erasure["erased_at"]
    assert {p["service"]: p["records"] for p in r.json()["services"]} == {
        "sessions": 0, "scoring": 0, "gateway": 0, "certificates": 0}
    after = api.get(f"/api/v1/users/{user_id}/export", headers=admin).json()
    assert after["sessions"]["attempts"][0]["candidate"]["full_name"] == "" and after["sessions"]["erased_at"]
    assert after["scoring"]["results"][0]["candidate"]["erased"] is True
    assert after["certificates"][0]["holder_name"] == name  # kept: the record of an issued certificate
    audit = query(system.database_url, "SELECT method, status FROM gateway.admin_audit WHERE target_user = $1::uuid "
                                       "ORDER BY id", user_id)
    # the erasures and every export of the candidate's data, by whom and when
    assert [(a["method"], a["status"]) for a in audit] == [("GET", 200), ("DELETE", 200), ("DELETE", 200), ("GET", 200)]


def test_with_a_service_down_the_erasure_fails_naming_it_and_the_same_request_finishes_later(system, api, admin):
    username, user_id, headers = _candidate(api, admin, "Узденов Ахмат Борисович", "Минцифры КЧР")
    system.stop("scoring")
    try:
        r = api.delete(f"/api/v1/users/{user_id}/personal-data", headers=admin)
        assert r.status_code == 503 and r.headers["content-type"].startswith("application/problem+json")
        problem = r.json()
        assert problem["code"] == "erasure_incomplete" and problem["service"] == "scoring"
        assert problem["erased_in"] == ["sessions"]
        # nothing claims success: the account is intact until every service has done its part
        assert api.get("/api/v1/me", headers=headers).json()["full_name"] == "Узденов Ахмат Борисович"
    finally:
        system.start("scoring")
        system.wait_ready()
    r = api.delete(f"/api/v1/users/{user_id}/personal-data", headers=admin)
    assert r.status_code == 200, r.text
    assert api.post("/api/v1/auth/token", data={"username": username, "password": "secret-pass-1"}).status_code == 401


def test_only_an_admin_reaches_personal_data(api, admin):
    _, user_id, headers = _candidate(api, admin, "Джанибеков Мурат", "Администрация г. Черкесска")
    for who in (headers, {}):
        assert api.get(f"/api/v1/users/{user_id}/export", headers=who).status_code in (401, 403)
        assert api.delete(f"/api/v1/users/{user_id}/personal-data", headers=who).status_code in (401, 403)
    me = api.get("/api/v1/me", headers=admin).json()
    r = api.delete(f"/api/v1/users/{me['id']}/personal-data", headers=admin)
    assert r.status_code == 409 and r.json()["code"] == "cannot_erase_self"
    assert api.get(f"/api/v1/users/{uuid.uuid4()}/export", headers=admin).status_code == 404
    assert api.delete(f"/api/v1/users/{uuid.uuid4()}/personal-data", headers=admin).status_code == 404
    # nothing was erased: the candidate's login still works
    assert api.get("/api/v1/me", headers=headers).status_code == 200
