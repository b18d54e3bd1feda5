"""Accounts: refresh tokens that rotate, logout and revocation, disabling a user, curator scopes, bulk import of
officials, personal data export and erasure, and the admin audit trail."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT
from tests.e2e.conftest import login, make_candidate, query


def _tokens(api, username: str, password: str = "secret-pass-1") -> dict:
    r = api.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return r.json()


def _bearer(tokens: dict) -> dict:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def _user_id(api, headers) -> str:
    return api.get("/api/v1/me", headers=headers).json()["id"]


def test_login_returns_an_access_token_and_a_refresh_token_that_rotates(api, admin, unique):
    make_candidate(api, admin, f"rot{unique}")
    first = _tokens(api, f"rot{unique}")
    assert first["expires_in"] <= 240 * 60 and first["refresh_token"] and first["role"] == "candidate"

    r = api.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 200, r.text
    second = r.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert api.get("/api/v1/me", headers=_bearer(second)).status_code == 200


def test_a_reused_refresh_token_ends_the_whole_login(api, admin, unique):
    make_candidate(api, admin, f"reuse{unique}")
    first = _tokens(api, f"reuse{unique}")
    second = api.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}).json()

    # someone replays the old token (it was copied): refused, and the legitimate holder's login ends too
    r = api.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 401 and r.json()["code"] == "refresh_token_reused"
    assert r.headers["content-type"].startswith("application/problem+json")
    assert api.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}).status_code == 401
    r = api.get("/api/v1/me", headers=_bearer(second))
    assert r.status_code == 401 and r.json()["code"] == "token_revoked"


def test_logout_stops_the_access_and_the_refresh_token_at_once(api, admin, unique):
    make_candidate(api, admin, f"out{unique}")
    tokens = _tokens(api, f"out{unique}")
    other_login = _tokens(api, f"out{unique}")
    assert api.post("/api/v1/auth/logout", headers=_bearer(tokens)).status_code == 204

    assert api.get("/api/v1/me", headers=_bearer(tokens)).json()["code"] == "token_revoked"
    assert api.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401
    # only that login: the same user's other login goes on
    assert api.get("/api/v1/me", headers=_bearer(other_login)).status_code == 200


def test_a_revoked_refresh_token_cannot_be_used(api, admin, unique):
    make_candidate(api, admin, f"rev{unique}")
    tokens = _tokens(api, f"rev{unique}")
    assert api.post("/api/v1/auth/revoke", json={"refresh_token": tokens["refresh_token"]}).status_code == 204
    assert api.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401
    # unknown or malformed tokens get the same answer (nothing to learn from it)
    assert api.post("/api/v1/auth/revoke", json={"refresh_token": "nonsense"}).status_code == 204


def test_a_disabled_user_is_locked_out_at_once_and_can_be_re_enabled(api, admin, unique):
    headers = make_candidate(api, admin, f"dis{unique}")
    tokens = _tokens(api, f"dis{unique}")
    user_id = _user_id(api, headers)

    r = api.patch(f"/api/v1/users/{user_id}", headers=admin, json={"disabled": True})
    assert r.status_code == 200 and r.json()["disabled"] is True
    r = api.get("/api/v1/me", headers=headers)
    assert r.status_code == 401 and r.json()["code"] == "account_disabled"
    assert api.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401
    r = api.post("/api/v1/auth/token", data={"username": f"dis{unique}", "password": "secret-pass-1"})
    assert r.status_code == 403 and r.json()["code"] == "account_disabled"

    assert api.patch(f"/api/v1/users/{user_id}", headers=admin, json={"disabled": False}).status_code == 200
    assert api.get("/api/v1/me", headers=login(api, f"dis{unique}", "secret-pass-1")).status_code == 200


def test_an_admin_assigns_a_curators_scope_and_it_applies_without_a_new_login(api, admin, unique):
    r = api.post("/api/v1/users", headers=admin, json={"username": f"cur{unique}", "password": "secret-pass-1",
                                                       "full_name": "Куратор", "role": "curator"})
    assert r.status_code == 201, r.text
    headers = login(api, f"cur{unique}", "secret-pass-1")
    r = api.patch(f"/api/v1/users/{r.json()['id']}", headers=admin,
                  json={"scope_districts": ["Южный федеральный округ"], "scope_regions": ["Республика Дагестан"]})
    assert r.status_code == 200, r.text
    me = api.get("/api/v1/me", headers=headers).json()
    assert me["scope_districts"] == ["Южный федеральный округ"] and me["scope_regions"] == ["Республика Дагестан"]


def test_an_admin_cannot_lock_themselves_out(api, admin):
    me = api.get("/api/v1/me", headers=admin).json()
    r = api.patch(f"/api/v1/users/{me['id']}", headers=admin, json={"disabled": True})
    assert r.status_code == 409 and r.json()["code"] == "cannot_demote_self"


CSV = """name;login;email;role;federal district;region;organisation
Алиев Магомед;imp1{u};imp1{u}@example.ru;candidate;Северо-Кавказский федеральный округ;Республика Дагестан;Администрация
Кодзоева Мадина;imp2{u};;official;Северо-Кавказский федеральный округ;Республика Ингушетия;Администрация г. Магас
;imp3{u};;candidate;;;
Иванов;Bad Login;;candidate;;;
Петров;imp1{u};;candidate;;;
Сидоров;imp6{u};not-an-email;candidate;;;
Смирнов;imp7{u};;admin;;;
Орлова;imp8{u};imp1{u}@EXAMPLE.ru;hr;;;
Кузнецов;admin;;candidate;;;
"""


def test_bulk_import_creates_the_valid_rows_and_reports_each_bad_one(system, api, admin, unique):
    body = CSV.format(u=unique).encode("utf-8")
    r = api.post("/api/v1/users/import", params={"dry_run": "true"}, headers={**admin, "Content-Type": "text/csv"},
                 content=body)
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 0 and len(r.json()["users"]) == 2
    assert not query(system.database_url, "SELECT 1 FROM gateway.users WHERE username = $1", f"imp1{unique}")

    r = api.post("/api/v1/users/import", headers={**admin, "Content-Type": "text/csv"}, content=body)
    report = r.json()
    assert report["created"] == 2 and {u["username"] for u in report["users"]} == {f"imp1{unique}", f"imp2{unique}"}
    reasons = {e["line"]: e["reason"] for e in report["errors"]}
    assert sorted(reasons) == [4, 5, 6, 7, 8, 9, 10]
    assert "name is empty" in reasons[4]
    assert "login" in reasons[5]
    assert "already appears on line 2" in reasons[6]
    assert "not an e-mail" in reasons[7]
    assert "role 'admin'" in reasons[8]
    assert "already appears on line 2" in reasons[9]  # the same e-mail in another case
    assert "already exists" in reasons[10]
    # an imported official has no password until an admin sets one
    assert api.post("/api/v1/auth/token", data={"username": f"imp2{unique}", "password": ""}).status_code in (401, 422)
    user_id = next(u["id"] for u in report["users"] if u["username"] == f"imp2{unique}")
    assert api.patch(f"/api/v1/users/{user_id}", headers=admin, json={"password": "first-pass-123"}).status_code == 200
    me = api.get("/api/v1/me", headers=login(api, f"imp2{unique}", "first-pass-123")).json()
    assert me["role"] == "candidate" and me["region"] == "Республика Ингушетия"

    # importing the same file again creates nobody
    again = api.post("/api/v1/users/import", headers={**admin, "Content-Type": "text/csv"}, content=body).json()
    assert again["created"] == 0


def test_a_file_without_the_required_columns_is_refused_with_the_reason(api, admin):
    r = api.post("/api/v1/users/import", headers={**admin, "Content-Type": "text/csv"},
                 content="фио,почта\nИванов,a@b.ru\n".encode())
    assert r.status_code == 200
    [error] = r.json()["errors"]
    assert error["line"] == 1 and "username" in error["reason"] and "role" in error["reason"]


def test_the_command_line_import_shows_progress_and_writes_passwords(system, api, admin, unique, tmp_path):
    source = tmp_path / "officials.csv"
    source.write_text("ФИО,Логин,Почта,Роль,Федеральный округ,Регион,Организация\n"
                      f"Гаджиев Али,cli1{unique},,кандидат,СКФО,Республика Дагестан,=HYPERLINK(\"x\")\n"
                      f"Bad,Bad Login,,candidate,,,\n", encoding="cp1251")
    passwords, errors = tmp_path / "passwords.csv", tmp_path / "errors.csv"
    done = subprocess.run([sys.executable, "-m", "gramota.cli", "users", "import", str(source), "--passwords-out",
                           str(passwords), "--errors-out", str(errors)],
                          env={**os.environ, "DATABASE_URL": system.database_url}, cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1, done.stderr  # one row was refused
    assert "1/1" in done.stderr and "1 user(s) created, 1 row(s) refused" in done.stdout
    assert "line 3" in done.stdout
    assert oct(passwords.stat().st_mode & 0o777) == "0o600"
    login_name, password = passwords.read_text().splitlines()[1].split(",")
    assert login_name == f"cli1{unique}"
    me = api.get("/api/v1/me", headers=login(api, login_name, password)).json()
    assert me["organization"] == '=HYPERLINK("x")'  # stored as given; only CSV output neutralises it
    assert "Bad Login" in errors.read_text() or "bad login" in errors.read_text()


def test_an_admin_exports_then_erases_a_candidates_personal_data(system, api, admin, unique):
    headers = make_candidate(api, admin, f"pd{unique}", full_name="Магомедов Руслан")
    user_id = _user_id(api, headers)
    r = api.get(f"/api/v1/users/{user_id}/export", headers=admin)
    assert r.status_code == 200
    export = r.json()
    assert export["gateway"]["user"]["full_name"] == "Магомедов Руслан"
    assert export["gateway"]["login_sessions"] and "password_hash" not in export["gateway"]["user"]
    assert {"gateway", "sessions", "scoring", "certificates"} <= set(export)  # tests/e2e/test_personal_data.py

    r = api.delete(f"/api/v1/users/{user_id}/personal-data", headers=admin)
    assert r.status_code == 200, r.text
    [row] = query(system.database_url, "SELECT username, full_name, email, region, organization, erased_at FROM gateway.users "
                               "WHERE id = $1::uuid", user_id)
    assert row["full_name"] == "" and row["region"] == "" and row["organization"] == "" and row["erased_at"]
    assert f"pd{unique}" not in row["username"]
    assert api.get("/api/v1/me", headers=headers).status_code == 401
    r = api.post("/api/v1/auth/token", data={"username": f"pd{unique}", "password": "secret-pass-1"})
    assert r.status_code == 401
    assert api.delete(f"/api/v1/users/{user_id}/personal-data", headers=admin).status_code == 200  # idempotent


def test_every_mutating_admin_request_is_audited(system, api, admin, unique):
    headers = make_candidate(api, admin, f"aud{unique}")
    user_id = _user_id(api, headers)
    api.patch(f"/api/v1/users/{user_id}", headers=admin, json={"organization": "Минцифры"})
    api.patch(f"/api/v1/users/{user_id}", headers=admin, json={})  # refused: still audited
    rows = query(system.database_url, "SELECT method, path, status, admin_login FROM gateway.admin_audit WHERE target_user = $1::uuid "
                              "ORDER BY id", user_id)
    assert [(r["method"], r["status"]) for r in rows] == [("PATCH", 200), ("PATCH", 422)]
    assert rows[0]["admin_login"] == "admin"
    entries = api.get("/api/v1/admin/audit", headers=admin).json()
    assert any(e["path"] == f"/api/v1/users/{user_id}" for e in entries)
    # reads are not audited (but an export of someone's personal data), and nobody else's requests are
    assert not query(system.database_url, "SELECT 1 FROM gateway.admin_audit WHERE method = 'GET' AND path NOT LIKE '%/export'")


def test_the_gateway_log_never_holds_a_password_or_a_token(system, api, admin, unique):
    make_candidate(api, admin, f"log{unique}", full_name="Логов Лог")
    tokens = _tokens(api, f"log{unique}")
    api.post("/api/v1/auth/token", data={"username": f"log{unique}", "password": "wrong-pass-for-log"})
    api.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    text = (system.logs / "gateway.log").read_text(encoding="utf-8", errors="replace")
    for secret in ("secret-pass-1", "wrong-pass-for-log", tokens["access_token"], tokens["refresh_token"].split(".")[1]):
        assert secret not in text
