"""The whole system for end-to-end tests: every service its own process, on real PostgreSQL and Kafka."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import httpx
import pytest

from tests.conftest import PORT_OFFSET, ROOT, STATE, fresh_database, wait_until

SERVICES = ("testbank", "sessions", "scoring", "certificates", "gateway")
GATEWAY_PORT = 18000 + PORT_OFFSET
ADMIN_PASSWORD = "e2e-admin-password"


class System:
    """Starts, kills and restarts the service processes; the test drives them through the gateway."""

    def __init__(self, database_url: str, kafka_bootstrap: str) -> None:
        self.base_url = f"http://127.0.0.1:{GATEWAY_PORT}"
        self.database_url = database_url
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "KAFKA_BOOTSTRAP": kafka_bootstrap,
            "TESTBANK_ADDR": f"127.0.0.1:{51051 + PORT_OFFSET}",
            "SESSIONS_ADDR": f"127.0.0.1:{51052 + PORT_OFFSET}",
            "SCORING_ADDR": f"127.0.0.1:{51053 + PORT_OFFSET}",
            "CERTIFICATES_ADDR": f"127.0.0.1:{51054 + PORT_OFFSET}",
            "GATEWAY_PORT": str(GATEWAY_PORT),
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{GATEWAY_PORT}",
            "GRAMOTA_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "GRAMOTA_INTERNAL_TOKEN": "e2e-internal-token",
            "LOG_LEVEL": "INFO",
            # a whole suite runs on session-scoped admin tokens: longer than the 15 minutes production gets
            "ACCESS_TOKEN_MINUTES": "240",
        }
        self.logs = STATE / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.procs: dict[str, subprocess.Popen] = {}
        self.env_of: dict[str, dict[str, str]] = {}  # a service's own settings on top of env (kept across restarts)

    def start(self, name: str) -> None:
        self._spawn(name, name, {**self.env, **self.env_of.get(name, {})})

    def start_extra(self, name: str, suffix: str, port_offset: int, metrics_port: int = 0) -> str:
        """One more instance of a service: same database and consumer group, a gRPC port of its own
        (its usual one + port_offset). Known as `<name>-<suffix>` to kill/stop; logs to <name>-<suffix>.log."""
        key = f"{name}-{suffix}"
        host, port = self.env[f"{name.upper()}_ADDR"].rsplit(":", 1)
        env = {**self.env, f"{name.upper()}_ADDR": f"{host}:{int(port) + port_offset}", "METRICS_PORT": str(metrics_port)}
        self._spawn(key, name, env)
        return key

    def _spawn(self, key: str, name: str, env: dict) -> None:
        log = open(self.logs / f"{key}.log", "ab")
        self.procs[key] = subprocess.Popen(
            [sys.executable, "-m", f"gramota.{name}"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )

    def kill(self, name: str) -> None:
        """kill -9: no shutdown code runs."""
        proc = self.procs.pop(name)
        proc.kill()
        proc.wait(timeout=10)

    def stop(self, name: str) -> int:
        proc = self.procs.pop(name)
        proc.send_signal(signal.SIGTERM)
        return proc.wait(timeout=30)

    def wait_ready(self, timeout: float = 90) -> None:
        def ready() -> bool:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with {proc.returncode}; see {self.logs / (name + '.log')}")
            return httpx.get(f"{self.base_url}/readyz", timeout=2).status_code == 200

        wait_until(ready, timeout=timeout, interval=0.2, message="every service to be ready")

    def shutdown(self) -> dict[str, int]:
        codes = {}
        for name in list(self.procs):
            try:
                codes[name] = self.stop(name)
            except subprocess.TimeoutExpired:
                self.procs.get(name, None) and self.procs[name].kill()
                codes[name] = -9
        return codes


@pytest.fixture(scope="session")
def system(postgres_server, topics_ready):
    database_url = fresh_database("gramota_e2e")
    subprocess.run([sys.executable, "-m", "gramota.cli", "migrate"], env={**os.environ, "DATABASE_URL": database_url},
                   check=True, capture_output=True)
    sys_ = System(database_url, topics_ready)
    for name in SERVICES:
        sys_.start(name)
    try:
        sys_.wait_ready()
        yield sys_
    finally:
        codes = sys_.shutdown()
        # graceful shutdown on SIGTERM is part of the contract: every process exits by itself
        # (uvicorn re-raises the signal once it has shut down, hence -SIGTERM)
        assert all(code in (0, -signal.SIGTERM) for code in codes.values()), f"unclean exits: {codes}"


@pytest.fixture(scope="session")
def api(system):
    with httpx.Client(base_url=system.base_url, timeout=30) as client:
        yield client


def login(api: httpx.Client, username: str, password: str) -> dict:
    r = api.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.fixture(scope="session")
def admin(api) -> dict:
    return login(api, "admin", ADMIN_PASSWORD)


def query(database_url: str, sql: str, *args):
    """Rows from the system's database (tests look at what was stored, not only at what the API says)."""
    import asyncio

    import asyncpg

    async def run():
        conn = await asyncpg.connect(database_url)
        try:
            return await conn.fetch(sql, *args)
        finally:
            await conn.close()

    return asyncio.run(run())


def make_candidate(api, admin: dict, username: str, **profile) -> dict:
    fields = {"role": "candidate", "full_name": f"Кандидат {username}", "federal_district": "Северо-Кавказский федеральный округ",
              "region": "Республика Дагестан", "organization": "Администрация г. Каспийска", **profile}
    r = api.post("/api/v1/users", headers=admin, json={"username": username, "password": "secret-pass-1", **fields})
    assert r.status_code == 201, r.text
    return login(api, username, "secret-pass-1")


def make_exam(api, admin: dict, gift: str, title: str, pass_score: float = 60, time_limit_seconds: int = 600,
              settings: dict | None = None) -> dict:
    r = api.post("/api/v1/bank/import", params={"format": "gift"}, headers={**admin, "Content-Type": "text/plain"},
                 content=gift.encode())
    assert r.status_code == 200, r.text
    r = api.post("/api/v1/exams", headers=admin, json={"title": title, "time_limit_seconds": time_limit_seconds,
                                                       "pass_score": pass_score, "item_ids": r.json()["item_ids"],
                                                       "settings": settings or {}})
    assert r.status_code == 201, r.text
    exam = r.json()
    assert api.post(f"/api/v1/exams/{exam['id']}/publish", headers=admin).status_code == 200
    return exam


def pass_exam(api, headers: dict, exam_id: str, right: str) -> dict:
    """A candidate sits a one-question exam, picks the option whose text is `right`, submits; the attempt once its
    certificate is issued."""
    attempt = api.post(f"/api/v1/exams/{exam_id}/attempts", headers=headers).json()
    question = attempt["questions"][0]
    option = next(o["id"] for o in question["options"] if o["text"] == right)
    assert api.put(f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}", headers=headers,
                   json={"option_ids": [option]}).status_code == 200
    assert api.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers).status_code == 202
    return wait_until(lambda: (a := api.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).json())
                      .get("certificate_serial") and a, timeout=60, interval=0.2, message="the certificate")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, headless (Playwright's own browser downloads are not used).

    Module-scoped: Playwright's sync API keeps an event loop running while it is open, which the async
    tests of other modules could not share.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, system):
    context = browser.new_context(base_url=system.base_url, locale="ru-RU", accept_downloads=True)
    p = context.new_page()
    p.set_default_timeout(15_000)
    yield p
    context.close()
