"""Benchmark of exam sessions through the REST gateway (loopback only, bounded in time): `make bench-sessions`.

1. Answer saves: 200 concurrent candidates each save answers in a loop for SAVE_SECONDS; throughput, p50, p99.
   Beside it, in the same run and with the same client, a bare FastAPI + asyncpg endpoint doing one single-row
   INSERT: the floor this machine's Python + PostgreSQL give. The ratio says what the gateway -> gRPC ->
   sessions path (ownership check, deadline, validation, upsert, audit row, two hops) costs on top of it.
2. A start storm: 2,000 different candidates start the same exam at once; error count, p99, wall time.

The whole system runs as processes, as in the end-to-end tests (tests/e2e/conftest.py), on the test ports
shifted by GRAMOTA_TEST_PORT_OFFSET. Users are written straight into the gateway's table with one password
hash and tokens are minted with the system's JWT secret: 2,200 Argon2 hashes would measure Argon2.
"""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
import httpx  # noqa: E402

from gramota.gateway.auth import Principal, hash_password, issue_token  # noqa: E402
from tests.conftest import ENV, PORT_OFFSET, _script, fresh_database, wait_until  # noqa: E402
from tests.e2e.conftest import ADMIN_PASSWORD, SERVICES, System, login, make_exam  # noqa: E402

CANDIDATES = int(os.environ.get("BENCH_CANDIDATES", "200"))
SAVE_SECONDS = float(os.environ.get("BENCH_SAVE_SECONDS", "15"))
STORM = int(os.environ.get("BENCH_STORM", "2000"))
JWT_SECRET = "bench-jwt-secret-" + "x" * 32
STORM_CONNECTIONS = 400  # officials' browsers in flight at once; the rest wait their turn in the load generator
BARE_PORT = 18900 + PORT_OFFSET

GIFT = "\n\n".join(
    f"::bench-{i}:: Вопрос {i}: что защищает служебный аккаунт? {{=Двухфакторная аутентификация ~Общий пароль ~Пароль на стикере}}"
    for i in range(10))

BARE_APP = '''
import os, asyncpg
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()

class Body(BaseModel):
    option_ids: list[str] = []
    client_seq: int = 0

@app.on_event("startup")
async def start():
    app.state.pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=1, max_size=10)
    await app.state.pool.execute("CREATE TABLE IF NOT EXISTS bare_answers (id bigserial PRIMARY KEY, attempt_id text,"
                                 " question_id text, option_ids text[], client_seq bigint, saved_at timestamptz DEFAULT now())")

@app.put("/answers/{attempt_id}/{question_id}")
async def save(attempt_id: str, question_id: str, body: Body):
    await app.state.pool.execute("INSERT INTO bare_answers (attempt_id, question_id, option_ids, client_seq)"
                                 " VALUES ($1, $2, $3, $4)", attempt_id, question_id, body.option_ids, body.client_seq)
    return {"ok": True}
'''


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


async def make_users(database_url: str, n: int, prefix: str) -> list[dict]:
    """Candidates written straight into the gateway's users table, each with a bearer token."""
    pw = hash_password("bench-password-1")
    rows = [(uuid.uuid4(), f"{prefix}-{i}", pw, f"Кандидат {i}") for i in range(n)]
    conn = await asyncpg.connect(database_url)
    try:
        await conn.executemany(
            "INSERT INTO gateway.users (id, username, password_hash, full_name, role, federal_district, region, organization)"
            " VALUES ($1, $2, $3, $4, 'candidate', 'Северо-Кавказский федеральный округ', 'Республика Дагестан', 'Бенчмарк')",
            rows)
    finally:
        await conn.close()
    return [{"Authorization": "Bearer " + issue_token(JWT_SECRET, Principal(str(uid), name, "candidate", full), 120)[0]}
            for uid, name, _, full in rows]


async def measure_saves(name: str, base_url: str, workers: list[tuple], seconds: float) -> dict:
    """Each worker (url_of, body_of, headers) saves in a loop until the time is up; every request is timed."""
    latencies: list[float] = []
    errors: list = []
    limits = httpx.Limits(max_connections=len(workers), max_keepalive_connections=len(workers))
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        async def loop(url_of, body_of, headers):
            seq = 0
            while time.monotonic() < until:
                seq += 1
                started = time.perf_counter()
                try:
                    r = await client.put(url_of(seq), json=body_of(seq), headers=headers)
                    if r.status_code != 200:
                        errors.append(r.status_code)
                except httpx.HTTPError as exc:
                    errors.append(type(exc).__name__)
                latencies.append(time.perf_counter() - started)

        begin = time.monotonic()
        until = begin + seconds
        await asyncio.gather(*(loop(*w) for w in workers))
        took = time.monotonic() - begin
    return {"name": name, "requests": len(latencies), "errors": len(errors), "rps": len(latencies) / took,
            "p50_ms": pct(latencies, 50), "p99_ms": pct(latencies, 99), "error_kinds": sorted(set(map(str, errors)))[:5]}


async def storm(base_url: str, exam_id: str, tokens: list[dict]) -> dict:
    limits = httpx.Limits(max_connections=STORM_CONNECTIONS, max_keepalive_connections=STORM_CONNECTIONS)
    latencies: list[float] = []
    errors: list = []
    # at most as many requests in flight as connections: httpx's pool slows down quadratically with a long queue
    gate = asyncio.Semaphore(STORM_CONNECTIONS)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
        async def one(headers: dict) -> None:
            async with gate:
                started = time.perf_counter()
                try:
                    r = await client.post(f"/api/v1/exams/{exam_id}/attempts", headers=headers)
                    if r.status_code != 201:
                        errors.append(r.status_code)
                except httpx.HTTPError as exc:
                    errors.append(type(exc).__name__)
                latencies.append(time.perf_counter() - started)

        begin = time.monotonic()
        await asyncio.gather(*(one(h) for h in tokens))
        took = time.monotonic() - begin
    return {"starts": len(latencies), "errors": len(errors), "error_kinds": sorted(set(map(str, errors)))[:5],
            "wall_s": took, "p50_ms": pct(latencies, 50), "p99_ms": pct(latencies, 99)}


async def run(system: System) -> None:
    api = httpx.Client(base_url=system.base_url, timeout=30)
    admin = login(api, "admin", ADMIN_PASSWORD)
    say("publishing the exams")
    exam = make_exam(api, admin, GIFT, f"Бенчмарк {uuid.uuid4().hex[:6]}", time_limit_seconds=3600)
    storm_exam = make_exam(api, admin, GIFT, f"Бенчмарк-старт {uuid.uuid4().hex[:6]}", time_limit_seconds=3600)
    # both forms cached by sessions from `exam published` before anyone starts (as at 10:00 sharp)
    for _ in range(600):
        if len(await _forms(system.database_url)) >= 2:
            break
        await asyncio.sleep(0.1)

    say(f"{CANDIDATES} candidates start their attempts")
    tokens = await make_users(system.database_url, CANDIDATES, f"bench-{uuid.uuid4().hex[:4]}")
    async with httpx.AsyncClient(base_url=system.base_url, timeout=60,
                                 limits=httpx.Limits(max_connections=50)) as client:
        gate = asyncio.Semaphore(50)

        async def start(headers: dict) -> dict:
            async with gate:
                return await start_once(headers)

        async def start_once(headers: dict) -> dict:
            for _ in range(5):  # a start is idempotent: a second one resumes the attempt
                try:
                    r = await client.post(f"/api/v1/exams/{exam['id']}/attempts", headers=headers)
                    if r.status_code == 201:
                        return r.json()
                    say(f"start: {r.status_code} {r.text[:200]}")
                except httpx.HTTPError as exc:
                    say(f"start: {type(exc).__name__}")
            raise RuntimeError("a candidate could not start")

        attempts = await asyncio.gather(*(start(h) for h in tokens))

    workers = []
    for headers, a in zip(tokens, attempts, strict=True):
        qids = [q["id"] for q in a["questions"]]

        def url_of(seq, a=a, qids=qids):
            return f"/api/v1/attempts/{a['id']}/answers/{qids[seq % len(qids)]}"

        def body_of(seq):
            return {"option_ids": ["o1" if seq % 2 else "o2"], "client_seq": seq}

        workers.append((url_of, body_of, headers))

    say(f"answer saves through the gateway for {SAVE_SECONDS:.0f} s")
    # the gateway's client sends each candidate's token; the bare endpoint needs none
    gateway = await measure_saves("gateway PUT .../answers/{q} (REST->gRPC)", system.base_url, workers, SAVE_SECONDS)
    say(f"answer saves on the bare endpoint for {SAVE_SECONDS:.0f} s")
    bare_proc = start_bare(system.database_url)
    try:
        wait_until(lambda: httpx.get(f"http://127.0.0.1:{BARE_PORT}/docs", timeout=2).status_code == 200, timeout=30,
                   message="the bare endpoint")
        bare = await measure_saves("bare FastAPI + asyncpg INSERT", f"http://127.0.0.1:{BARE_PORT}",
                                   [(lambda seq, i=i: f"/answers/a{i}/q{seq % 10}", lambda seq: {"option_ids": ["o1"], "client_seq": seq}, None)
                                    for i in range(CANDIDATES)], SAVE_SECONDS)
    finally:
        bare_proc.send_signal(signal.SIGTERM)
        bare_proc.wait(timeout=20)

    say(f"start storm of {STORM}")
    storm_tokens = await make_users(system.database_url, STORM, f"storm-{uuid.uuid4().hex[:4]}")
    started = await storm(system.base_url, storm_exam["id"], storm_tokens)

    print()
    print(f"answer saves, {CANDIDATES} concurrent candidates, {SAVE_SECONDS:.0f} s each (loopback, one load-generating process):")
    for m in (gateway, bare):
        print(f"  {m['name']:<38} {m['rps']:8.0f} req/s   p50 {m['p50_ms']:7.1f} ms   p99 {m['p99_ms']:7.1f} ms"
              f"   requests {m['requests']}  errors {m['errors']} {m['error_kinds'] or ''}")
    print(f"  ratio gateway/bare throughput: {gateway['rps'] / bare['rps']:.2f}   "
          f"p50 latency ratio: {gateway['p50_ms'] / bare['p50_ms']:.1f}x")
    print(f"start storm: {started['starts']} different candidates start one exam at once"
          f" ({STORM_CONNECTIONS} in flight at a time; latency per request, from sending to the answer):")
    print(f"  errors {started['errors']} {started['error_kinds'] or ''}   wall {started['wall_s']:.1f} s   "
          f"p50 {started['p50_ms']:.0f} ms   p99 {started['p99_ms']:.0f} ms")


async def _forms(database_url: str) -> list:
    conn = await asyncpg.connect(database_url)
    try:
        return await conn.fetch("SELECT exam_id FROM sessions.exam_forms")
    finally:
        await conn.close()


def start_bare(database_url: str) -> subprocess.Popen:
    app_dir = ROOT / ".run" / "bench"
    app_dir.mkdir(parents=True, exist_ok=True)
    (app_dir / "bare_app.py").write_text(BARE_APP)
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "bare_app:app", "--host", "127.0.0.1", "--port", str(BARE_PORT),
         "--log-level", "warning", "--no-access-log"],
        cwd=app_dir, env={**os.environ, "DATABASE_URL": database_url}, stdout=subprocess.DEVNULL)


def main() -> None:
    # a SIGTERM (make interrupted, a timeout) still stops every process this script started
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    say("starting PostgreSQL, Kafka and the system")
    _script("postgres.sh", "start")
    _script("kafka.sh", "start")
    from gramota.shared.topics import ensure_topics

    kafka = f"127.0.0.1:{ENV['GRAMOTA_KAFKA_PORT']}"
    wait_until(lambda: ensure_topics(kafka) is not None, timeout=60, message="Kafka topics")
    database_url = fresh_database("gramota_bench")
    subprocess.run([sys.executable, "-m", "gramota.cli", "migrate"], env={**os.environ, "DATABASE_URL": database_url},
                   check=True, capture_output=True)
    system = System(database_url, kafka)
    system.env["GRAMOTA_JWT_SECRET"] = JWT_SECRET
    system.env["LOG_LEVEL"] = "WARNING"
    for name in SERVICES:
        system.start(name)
    try:
        system.wait_ready()
        asyncio.run(asyncio.wait_for(run(system), timeout=600))
    finally:
        system.shutdown()


if __name__ == "__main__":
    main()
