"""The demo: users of every role, the Russian seed bank and two ready exams, loaded through the REST API.

Idempotent: running it again finds what exists and adds nothing twice.
"""
from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

BANK = Path(__file__).parent / "testbank" / "seed" / "bank-ru.gift"
DISTRICT = "Северо-Кавказский федеральный округ"

DEMO_USERS = [
    {"username": "official", "password": "official-demo", "full_name": "Алиев Магомед Расулович", "role": "candidate",
     "federal_district": DISTRICT, "region": "Республика Дагестан", "organization": "Администрация г. Махачкалы"},
    {"username": "official2", "password": "official-demo", "full_name": "Кодзоева Мадина Исаевна", "role": "candidate",
     "federal_district": DISTRICT, "region": "Республика Ингушетия", "organization": "Администрация г. Магас"},
    {"username": "official3", "password": "official-demo", "full_name": "Петрова Анна Сергеевна", "role": "candidate",
     "federal_district": "Южный федеральный округ", "region": "Ростовская область",
     "organization": "Администрация г. Ростова-на-Дону"},
    {"username": "hr", "password": "hr-demo-pass", "full_name": "Иванова Ольга Петровна", "role": "hr"},
    {"username": "curator", "password": "curator-demo", "full_name": "Смирнов Игорь Викторович", "role": "curator",
     "scope_districts": [DISTRICT]},
]

PRACTICE = ("official-page", "citizen-appeals", "negative-comments", "emergency-communication", "digital-hygiene")

# Blueprints: every candidate draws their own questions; the rules fix what each attempt covers.
EXAMS = [
    {"title": "Цифровая грамотность государственного служащего: итоговая аттестация",
     "time_limit_seconds": 30 * 60, "pass_score": 70.0,
     "rules": [{"count": 3, "competence": f"practice/{topic}", "difficulty_min": 2} for topic in PRACTICE]
     + [{"count": 1, "competence": "digcomp/1"}, {"count": 2, "competence": "digcomp/2"},
        {"count": 1, "competence": "digcomp/3"}, {"count": 1, "competence": "digcomp/4"}],
     "settings": {"attempts_allowed": 3, "cooldown_seconds": 600, "shuffle_questions": True, "shuffle_options": True,
                  "navigation": "free", "validity_days": 730, "certificate_language": "ru",
                  "area_minimums": {"practice": 60}}},
    {"title": "Цифровая грамотность: пробный тест", "time_limit_seconds": 15 * 60, "pass_score": 60.0,
     "rules": [{"count": 2, "competence": f"practice/{topic}", "difficulty_max": 3} for topic in PRACTICE],
     "settings": {"attempts_allowed": 0, "shuffle_questions": True, "shuffle_options": True, "navigation": "free",
                  "certificate_language": "ru", "practice": True}},
]


def _wait_ready(client: httpx.Client, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if client.get("/readyz").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"the gateway at {client.base_url} was not ready within {seconds:.0f}s")
        time.sleep(0.3)


def _check(response: httpx.Response) -> dict | list:
    if response.status_code >= 400:
        raise SystemExit(f"{response.request.method} {response.request.url.path}: {response.status_code} {response.text}")
    return response.json()


@contextmanager
def admin_client(gateway: str, admin_password: str | None, wait_seconds: float) -> Iterator[httpx.Client]:
    """A client of the gateway logged in as the admin (once the gateway is ready)."""
    admin_password = admin_password or os.environ.get("GRAMOTA_ADMIN_PASSWORD", "gramota-demo")
    with httpx.Client(base_url=gateway, timeout=120) as client:
        _wait_ready(client, wait_seconds)
        token = _check(client.post("/api/v1/auth/token", data={"username": "admin", "password": admin_password}))
        client.headers["Authorization"] = f"Bearer {token['access_token']}"
        yield client


def load_demo(gateway: str, admin_password: str | None, wait_seconds: float = 120) -> int:
    with admin_client(gateway, admin_password, wait_seconds) as client:
        for user in DEMO_USERS:
            r = client.post("/api/v1/users", json=user)
            if r.status_code not in (201, 409):
                _check(r)
        existing = {e["title"] for e in _check(client.get("/api/v1/exams", params={"include_drafts": True}))}
        if all(exam["title"] in existing for exam in EXAMS):
            print("demo bank and exams already loaded")
            return 0
        if _check(client.get("/api/v1/items", params={"limit": 1}))["total"] == 0:
            report = _check(client.post("/api/v1/bank/import", params={"format": "gift"},
                                        content=BANK.read_text(encoding="utf-8").encode(),
                                        headers={"Content-Type": "text/plain; charset=utf-8"}))
            print(f"bank: {report['imported']} questions imported, {len(report['errors'])} rejected")
            for error in report["errors"]:
                print(f"  line {error['line']}: {error['reason']}")
        for exam in EXAMS:
            if exam["title"] in existing:
                continue
            created = _check(client.post("/api/v1/exams", json=exam))
            _check(client.post(f"/api/v1/exams/{created['id']}/publish"))
            print(f"exam published: {exam['title']} ({created['question_count']} questions drawn per attempt, "
                  f"{exam['time_limit_seconds'] // 60} min, pass {exam['pass_score']:g}%)")
    return 0
