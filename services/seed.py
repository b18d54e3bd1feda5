"""The demo: users of every role, the Russian seed bank and two ready exams, loaded through the REST API.

Idempotent: running it again finds what exists and adds nothing twice.
"""
from __future__ import annotations

import os
import time
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

EXAMS = [
    ("Цифровая грамотность государственного служащего: итоговая аттестация", 20, 30 * 60, 70.0),
    ("Цифровая грамотность: пробный тест", 10, 15 * 60, 60.0),
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


def _spread(item_ids: list[str], count: int) -> list[str]:
    """`count` items taken evenly through the bank, so every topic appears."""
    step = max(1, len(item_ids) // count)
    return item_ids[::step][:count]


def load_demo(gateway: str, admin_password: str | None, wait_seconds: float = 120) -> int:
    admin_password = admin_password or os.environ.get("GRAMOTA_ADMIN_PASSWORD", "gramota-demo")
    with httpx.Client(base_url=gateway, timeout=60) as client:
        _wait_ready(client, wait_seconds)
        token = _check(client.post("/api/v1/auth/token", data={"username": "admin", "password": admin_password}))
        client.headers["Authorization"] = f"Bearer {token['access_token']}"
        for user in DEMO_USERS:
            r = client.post("/api/v1/users", json=user)
            if r.status_code not in (201, 409):
                _check(r)
        existing = {e["title"] for e in _check(client.get("/api/v1/exams"))}
        if all(title in existing for title, *_ in EXAMS):
            print("demo bank and exams already loaded")
            return 0
        report = _check(client.post("/api/v1/bank/import", params={"format": "gift"},
                                    content=BANK.read_text(encoding="utf-8").encode(),
                                    headers={"Content-Type": "text/plain; charset=utf-8"}))
        print(f"bank: {report['imported']} questions imported, {len(report['errors'])} rejected")
        for error in report["errors"]:
            print(f"  line {error['line']}: {error['reason']}")
        for title, count, seconds, pass_score in EXAMS:
            if title in existing:
                continue
            exam = _check(client.post("/api/v1/exams", json={
                "title": title, "time_limit_seconds": seconds, "pass_score": pass_score,
                "item_ids": _spread(report["item_ids"], count)}))
            _check(client.post(f"/api/v1/exams/{exam['id']}/publish"))
            print(f"exam published: {title} ({count} questions, {seconds // 60} min, pass {pass_score:g}%)")
    return 0
