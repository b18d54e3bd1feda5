"""The authorisation matrix: every endpoint of the gateway's OpenAPI × every role (and a second candidate, who owns
nothing of the first one's). Allowed calls succeed; every other gets 401/403/404, and exactly the same answer as
for an object that does not exist, so nothing is learnt about what exists.

The allow-table below must name every endpoint /openapi.json lists: a new endpoint fails this test until someone
decides who may call it.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pytest

from gramota.certificates import serials
from tests.conftest import wait_until
from tests.e2e.conftest import login, make_exam, pass_exam

ANON, CAND, CAND2, HR, CUR, ADMIN = "anonymous", "candidate", "candidate2", "hr", "curator", "admin"
ROLES = (ANON, CAND, CAND2, HR, CUR, ADMIN)
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {ANON}
PASSWORD = "matrix-pass-123"

ITEM = {"type": "true_false", "text": "Пароль можно сообщать коллегам?", 
        "options": [{"text": "Да", "weight": 0}, {"text": "Нет", "weight": 1}]}
GIFT = "::m1:: Двухфакторная аутентификация защищает служебный аккаунт? {=Да ~Нет}\n"


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str]
    # allowed callers may still meet a domain refusal (e.g. 409 publishing an exam twice): not an authz failure
    may_refuse: tuple[int, ...] = ()


ADMIN_ONLY = Rule(frozenset({ADMIN}))
CANDIDATES = Rule(frozenset({CAND, CAND2}))
ANALYSTS = Rule(frozenset({CUR, ADMIN}))  # aggregates within the curator's scope, never an individual's answers
HOLDER_HR_ADMIN = Rule(frozenset({CAND, HR, ADMIN}))
ALLOW: dict[tuple[str, str], Rule] = {
    ("POST", "/api/v1/auth/token"): Rule(EVERYONE),
    ("POST", "/api/v1/auth/refresh"): Rule(EVERYONE),
    ("POST", "/api/v1/auth/revoke"): Rule(EVERYONE),
    ("POST", "/api/v1/auth/logout"): Rule(SIGNED_IN),
    ("POST", "/api/v1/users"): ADMIN_ONLY,
    ("GET", "/api/v1/users"): ADMIN_ONLY,
    ("GET", "/api/v1/users/{user_id}"): ADMIN_ONLY,
    ("PATCH", "/api/v1/users/{user_id}"): ADMIN_ONLY,
    ("POST", "/api/v1/users/import"): ADMIN_ONLY,
    ("GET", "/api/v1/users/{user_id}/export"): ADMIN_ONLY,
    ("DELETE", "/api/v1/users/{user_id}/personal-data"): ADMIN_ONLY,
    ("GET", "/api/v1/me"): Rule(SIGNED_IN),
    ("GET", "/api/v1/admin/audit"): ADMIN_ONLY,
    ("POST", "/api/v1/bank/import"): ADMIN_ONLY,
    ("POST", "/api/v1/bank/assign-competence"): ADMIN_ONLY,
    ("GET", "/api/v1/bank/category-map"): ADMIN_ONLY,
    ("GET", "/api/v1/exams"): Rule(SIGNED_IN),
    ("POST", "/api/v1/exams"): ADMIN_ONLY,
    ("POST", "/api/v1/exams/{exam_id}/publish"): Rule(frozenset({ADMIN}), may_refuse=(409,)),
    ("POST", "/api/v1/exams/{exam_id}/attempts"): Rule(frozenset({CAND, CAND2}), may_refuse=(409,)),
    ("GET", "/api/v1/attempts/{attempt_id}"): Rule(frozenset({CAND, ADMIN})),
    ("PUT", "/api/v1/attempts/{attempt_id}/answers/{question_id}"): Rule(frozenset({CAND})),
    ("POST", "/api/v1/attempts/{attempt_id}/submit"): Rule(frozenset({CAND})),
    ("GET", "/api/v1/certificates/{serial}/pdf"): Rule(frozenset({CAND, HR, ADMIN})),
    ("GET", "/api/v1/verify/{serial}"): Rule(EVERYONE),
    ("GET", "/api/v1/analytics/pass-rates"): Rule(frozenset({CUR, ADMIN})),
    ("PUT", "/api/v1/attempts/{attempt_id}/flags/{question_id}"): Rule(frozenset({CAND})),
    ("POST", "/api/v1/attempts/{attempt_id}/events"): Rule(frozenset({CAND})),
    ("POST", "/api/v1/attempts/{attempt_id}/extend"): ADMIN_ONLY,
    ("GET", "/api/v1/attempts/{attempt_id}/audit"): ADMIN_ONLY,
    ("PUT", "/api/v1/candidates/{user_id}/accommodation"): ADMIN_ONLY,
    ("GET", "/api/v1/my/exams"): CANDIDATES,
    ("GET", "/api/v1/my/certificates"): CANDIDATES,
    # the competency framework is public knowledge (DigComp 2.2); the bank's items are not
    ("GET", "/api/v1/competences"): Rule(SIGNED_IN),
    ("GET", "/api/v1/bank/export"): ADMIN_ONLY,
    ("POST", "/api/v1/items"): ADMIN_ONLY,
    ("GET", "/api/v1/items"): ADMIN_ONLY,
    ("GET", "/api/v1/items/{item_id}"): ADMIN_ONLY,
    ("PUT", "/api/v1/items/{item_id}"): ADMIN_ONLY,
    ("POST", "/api/v1/items/{item_id}/retire"): ADMIN_ONLY,
    ("GET", "/api/v1/items/{item_id}/versions"): ADMIN_ONLY,
    ("GET", "/api/v1/items/{item_id}/usage"): ADMIN_ONLY,
    ("GET", "/api/v1/items/{item_id}/corrections"): ADMIN_ONLY,
    ("POST", "/api/v1/items/{item_id}/corrections"): ADMIN_ONLY,
    ("GET", "/api/v1/exams/{exam_id}"): ADMIN_ONLY,  # holds the pools' item ids; others use GET /exams
    ("POST", "/api/v1/exams/{exam_id}/rescore"): ADMIN_ONLY,
    ("POST", "/api/v1/analytics/rebuild"): ADMIN_ONLY,
    ("GET", "/api/v1/analytics/trend"): ANALYSTS,
    ("GET", "/api/v1/analytics/competence-gaps"): ANALYSTS,
    ("GET", "/api/v1/analytics/item-statistics"): ANALYSTS,
    ("GET", "/api/v1/certificates/{serial}/badge"): HOLDER_HR_ADMIN,
    ("GET", "/api/v1/my/certificates/{serial}/badge"): Rule(frozenset({CAND})),
    ("GET", "/api/v1/my/certificates/{serial}/pdf"): Rule(frozenset({CAND})),
    # what outside verifiers of an Open Badge fetch
    ("GET", "/api/v1/status-lists/{purpose}/{list_no}"): Rule(EVERYONE),
    ("GET", "/api/v1/achievements/{exam_id}"): Rule(EVERYONE),
    ("GET", "/.well-known/did.json"): Rule(EVERYONE),
    ("GET", "/api/v1/certificates/{serial}/verifications"): ADMIN_ONLY,
    ("POST", "/api/v1/certificates/{serial}/revoke"): Rule(frozenset({ADMIN}), may_refuse=(409,)),
    ("POST", "/api/v1/certificates/{serial}/suspend"): Rule(frozenset({ADMIN}), may_refuse=(409,)),
    ("POST", "/api/v1/certificates/{serial}/reinstate"): Rule(frozenset({ADMIN}), may_refuse=(409,)),
    ("POST", "/api/v1/certificates/{serial}/reissue"): Rule(frozenset({ADMIN}), may_refuse=(409,)),
    ("POST", "/api/v1/verify/pdf"): Rule(EVERYONE),
    ("POST", "/api/v1/verify/bulk"): Rule(EVERYONE),
    ("GET", "/.well-known/gramota-keys.json"): Rule(EVERYONE),
    ("GET", "/healthz"): Rule(EVERYONE),
    # the list of places is public knowledge (the Constitution's list of federal subjects)
    ("GET", "/api/v1/reference/districts"): Rule(EVERYONE),
    ("GET", "/api/v1/reference/regions"): Rule(EVERYONE),
    ("GET", "/readyz"): Rule(EVERYONE),
}


@dataclass
class World:
    """The first candidate's objects (the ones everyone else tries to reach) and a way to make throwaway ones."""

    api: object
    admin: dict
    headers: dict[str, dict] = field(default_factory=dict)
    usernames: dict[str, str] = field(default_factory=dict)
    objects: dict[str, str] = field(default_factory=dict)

    def victim(self) -> tuple[str, str]:
        name = f"victim-{uuid.uuid4().hex[:10]}"
        r = self.api.post("/api/v1/users", headers=self.admin, json={"username": name, "password": PASSWORD,
                                                                     "full_name": "Жертва", "role": "candidate"})
        assert r.status_code == 201, r.text
        return r.json()["id"], name

    def item(self) -> str:
        r = self.api.post("/api/v1/items", headers=self.admin, json=ITEM)
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def draft_exam(self) -> str:
        r = self.api.post("/api/v1/exams", headers=self.admin, json={
            "title": "matrix draft", "time_limit_seconds": 600, "pass_score": 50, "item_ids": [self.objects["item_id"]]})
        assert r.status_code == 201, r.text
        return r.json()["id"]


@pytest.fixture(scope="module")
def world(api, admin) -> World:
    w = World(api, admin)
    suffix = uuid.uuid4().hex[:6]
    profiles = {CAND: {"role": "candidate", "federal_district": "Северо-Кавказский федеральный округ",
                       "region": "Республика Дагестан"},
                CAND2: {"role": "candidate", "federal_district": "Южный федеральный округ", "region": "Ростовская область"},
                HR: {"role": "hr"}, CUR: {"role": "curator", "scope_districts": ["Северо-Кавказский федеральный округ"]}}
    for role, profile in profiles.items():
        name = f"mx-{role}-{suffix}"
        r = api.post("/api/v1/users", headers=admin, json={"username": name, "password": PASSWORD,
                                                           "full_name": f"Матрица {role}", **profile})
        assert r.status_code == 201, r.text
        w.usernames[role] = name
        w.headers[role] = login(api, name, PASSWORD)
    w.headers[ANON] = {}
    w.headers[ADMIN] = admin
    w.objects["user_id"] = api.get("/api/v1/me", headers=w.headers[CAND]).json()["id"]

    exams = [make_exam(api, admin, GIFT, f"matrix {i} {suffix}", pass_score=50) for i in range(4)]
    w.objects["exam_id"] = exams[0]["id"]
    # a passed, scored attempt with a certificate
    attempt = api.post(f"/api/v1/exams/{exams[0]['id']}/attempts", headers=w.headers[CAND]).json()
    question = attempt["questions"][0]
    w.objects["item_id"] = question["id"]
    right = next(o["id"] for o in question["options"] if o["text"] == "Да")
    assert api.put(f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}", headers=w.headers[CAND],
                   json={"option_ids": [right]}).status_code == 200
    assert api.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=w.headers[CAND]).status_code == 202
    done = _passed(api, w.headers[CAND], attempt["id"])
    w.objects["attempt_id"] = attempt["id"]
    w.objects["serial"] = done["certificate_serial"]
    w.objects["pdf"] = api.get(f"/api/v1/certificates/{done['certificate_serial']}/pdf", headers=admin).content
    # a second certificate of the same candidate: the admin's revoking, suspending and reissuing act on it
    w.objects["spare_serial"] = pass_exam(api, w.headers[CAND], exams[3]["id"], "Да")["certificate_serial"]
    # in-progress attempts: one to answer, one to submit
    answering = api.post(f"/api/v1/exams/{exams[1]['id']}/attempts", headers=w.headers[CAND]).json()
    w.objects["answer_attempt"], w.objects["answer_question"] = answering["id"], answering["questions"][0]["id"]
    w.objects["submit_attempt"] = api.post(f"/api/v1/exams/{exams[2]['id']}/attempts", headers=w.headers[CAND]).json()["id"]
    return w


def _passed(api, headers: dict, attempt_id: str) -> dict:
    return wait_until(lambda: (a := api.get(f"/api/v1/attempts/{attempt_id}", headers=headers).json())
                      .get("certificate_serial") and a, timeout=60, message="the certificate")


def _missing(param: str) -> str:
    if param == "serial":
        return serials.display(serials.new_serial())
    if param == "question_id":
        return "no-such-question"
    return str(uuid.uuid4())


def _request(w: World, method: str, path: str, role: str, *, missing: bool = False) -> tuple[str, str, dict]:
    """(method, url, httpx keyword arguments) for `role` calling the endpoint on the first candidate's objects
    (or on objects that do not exist)."""
    kwargs: dict = {"headers": dict(w.headers[role])}
    params = {"user_id": w.objects["user_id"], "exam_id": w.objects["exam_id"], "attempt_id": w.objects["attempt_id"],
              "serial": w.objects["serial"], "question_id": w.objects["item_id"], "item_id": w.objects["item_id"],
              "purpose": "revocation", "list_no": "0"}
    allowed = role in ALLOW[(method, path)].allowed
    if allowed and not missing:
        # allowed calls that change things act on throwaway objects
        if (method, path) in {("PATCH", "/api/v1/users/{user_id}"), ("DELETE", "/api/v1/users/{user_id}/personal-data")}:
            params["user_id"] = w.victim()[0]
        if (method, path) == ("PUT", "/api/v1/candidates/{user_id}/accommodation"):
            params["user_id"] = w.victim()[0]
        if path == "/api/v1/exams/{exam_id}/publish":
            params["exam_id"] = w.draft_exam()
        if path in ("/api/v1/items/{item_id}/retire", "/api/v1/items/{item_id}",
                    "/api/v1/items/{item_id}/corrections") and method != "GET":
            params["item_id"] = w.item()
        if method == "POST" and path.startswith("/api/v1/certificates/{serial}/"):
            params["serial"] = w.objects["spare_serial"]
    if path in ("/api/v1/attempts/{attempt_id}/answers/{question_id}", "/api/v1/attempts/{attempt_id}/flags/{question_id}",
                "/api/v1/attempts/{attempt_id}/events", "/api/v1/attempts/{attempt_id}/extend"):
        params["attempt_id"], params["question_id"] = w.objects["answer_attempt"], w.objects["answer_question"]
    if path == "/api/v1/attempts/{attempt_id}/submit":
        params["attempt_id"] = w.objects["submit_attempt"]
    if missing:
        params = {k: _missing(k) for k in params}
    url = path.format(**params)

    if path == "/api/v1/auth/token":
        _, name = w.victim()
        kwargs["data"] = {"username": name, "password": PASSWORD}
    elif path in ("/api/v1/auth/refresh", "/api/v1/auth/revoke"):
        _, name = w.victim()
        token = w.api.post("/api/v1/auth/token", data={"username": name, "password": PASSWORD}).json()["refresh_token"]
        kwargs["json"] = {"refresh_token": token}
    elif path == "/api/v1/auth/logout" and role != ANON:
        kwargs["headers"] = login(w.api, w.usernames.get(role, "admin"), PASSWORD) if role != ADMIN else None
        if kwargs["headers"] is None:  # the admin's own session token is shared by other tests: log in afresh
            from tests.e2e.conftest import ADMIN_PASSWORD

            kwargs["headers"] = login(w.api, "admin", ADMIN_PASSWORD)
    elif (method, path) == ("POST", "/api/v1/users"):
        kwargs["json"] = {"username": f"new-{uuid.uuid4().hex[:10]}", "password": PASSWORD, "full_name": "Новый",
                          "role": "candidate"}
    elif method == "PATCH":
        kwargs["json"] = {"organization": "Минцифры"}
    elif path == "/api/v1/users/import":
        kwargs["headers"]["Content-Type"] = "text/csv"
        kwargs["content"] = "name,login,role\nИмпорт,imp-matrix,candidate\n".encode()
        kwargs["params"] = {"dry_run": "true"}
    elif path == "/api/v1/bank/import":
        kwargs["headers"]["Content-Type"] = "text/plain"
        kwargs["content"] = GIFT.encode()
    elif path == "/api/v1/bank/assign-competence":
        kwargs["json"] = {"item_ids": [w.objects["item_id"]], "competence": "digcomp/2.6"}
    elif (method, path) == ("POST", "/api/v1/exams"):
        kwargs["json"] = {"title": "matrix new", "time_limit_seconds": 600, "pass_score": 50,
                          "item_ids": [w.objects["item_id"]]}
    elif path.endswith("/flags/{question_id}"):
        kwargs["json"] = {"flagged": True}
    elif path.endswith("/events"):
        kwargs["json"] = {"kind": "focus_lost"}
    elif path.endswith("/extend"):
        kwargs["json"] = {"minutes": 5, "reason": "matrix"}
    elif path.endswith("/accommodation"):
        kwargs["json"] = {"extra_percent": 50}
    elif (method, path) == ("POST", "/api/v1/items/{item_id}/corrections"):
        kwargs["json"] = {"apply": "none", "reason": "matrix"}
    elif path.endswith("/reissue"):
        kwargs["json"] = {"holder_name": "Матрица Исправленная", "reason": "matrix"}
    elif path.endswith(("/revoke", "/suspend")) and "{serial}" in path:
        kwargs["json"] = {"reason": "matrix"}
    elif path in ("/api/v1/items", "/api/v1/items/{item_id}") and method in ("POST", "PUT"):
        kwargs["json"] = ITEM
    elif path == "/api/v1/analytics/item-statistics":
        kwargs["params"] = {"exam_id": w.objects["exam_id"]}
    elif path == "/api/v1/verify/pdf":
        kwargs["files"] = {"file": ("certificate.pdf", w.objects["pdf"], "application/pdf")}
    elif path == "/api/v1/verify/bulk":
        kwargs["files"] = {"file": ("serials.csv", f"{w.objects['serial']}\n".encode(), "text/csv")}
    elif method == "PUT":
        kwargs["json"] = {"option_ids": []}
    return method, url, kwargs


def _call(w: World, method: str, path: str, role: str, *, missing: bool = False):
    method, url, kwargs = _request(w, method, path, role, missing=missing)
    return w.api.request(method, url, **kwargs)


def _operations(api) -> list[tuple[str, str]]:
    spec = api.get("/openapi.json").json()
    return [(m.upper(), p) for p, ops in spec["paths"].items() for m in ops if m in {"get", "post", "put", "patch", "delete"}]


def test_every_endpoint_is_in_the_allow_table(api):
    listed = set(_operations(api))
    missing = sorted(listed - ALLOW.keys())
    stale = sorted(ALLOW.keys() - listed)
    assert not missing, f"endpoints nobody decided access for (add them to ALLOW): {missing}"
    assert not stale, f"ALLOW names endpoints that no longer exist: {stale}"


def test_every_role_gets_exactly_what_the_table_allows(api, world):
    failures = []
    # an endpoint's denials first, then its allowed calls (which may change what they act on)
    for method, path in _operations(api):
        rule = ALLOW.get((method, path))
        if rule is None:
            continue  # reported by test_every_endpoint_is_in_the_allow_table
        for role in sorted(ROLES, key=lambda r: r in rule.allowed):
            r = _call(world, method, path, role)
            if role in rule.allowed:
                if not (200 <= r.status_code < 300 or r.status_code in rule.may_refuse):
                    failures.append(f"{role} {method} {path}: expected success, got {r.status_code} {r.text[:200]}")
                continue
            if r.status_code not in (401, 403, 404):
                failures.append(f"{role} {method} {path}: expected 401/403/404, got {r.status_code} {r.text[:200]}")
                continue
            if not r.headers.get("content-type", "").startswith("application/problem+json"):
                failures.append(f"{role} {method} {path}: a denial that is not problem+json")
            if "{" in path:
                ghost = _call(world, method, path, role, missing=True)
                seen = (r.status_code, r.json().get("code"))
                unseen = (ghost.status_code, ghost.json().get("code") if ghost.content else None)
                if seen != unseen:
                    failures.append(f"{role} {method} {path}: leaks existence: {seen} for the real object, "
                                    f"{unseen} for a missing one")
    assert not failures, "\n".join(failures)


def test_a_curator_sees_pass_rates_only_of_their_districts(api, world):
    district = "Северо-Кавказский федеральный округ"
    wait_until(lambda: any(r["key"] == district for r in api.get("/api/v1/analytics/pass-rates",
                                                                   headers=world.admin).json()),
               timeout=60, message="the result in the pass rates")
    r = api.post("/api/v1/users", headers=world.admin, json={
        "username": f"mx-south-{uuid.uuid4().hex[:6]}", "password": PASSWORD, "full_name": "Куратор Юга",
        "role": "curator", "scope_districts": ["Южный федеральный округ"]})
    other_curator = login(api, r.json()["username"], PASSWORD)
    keys = {row["key"] for row in api.get("/api/v1/analytics/pass-rates", headers=other_curator).json()}
    assert district not in keys
    own = {row["key"] for row in api.get("/api/v1/analytics/pass-rates", headers=world.headers[CUR]).json()}
    assert own <= {district}
