"""Exam day: a load scenario and a fault drill against the whole system on this machine (loopback only).

    python -m tests.bench.exam_day bench [--candidates 2000]    # baselines + exam-day scenario + report
    python -m tests.bench.exam_day drill [--candidates 300]     # the scenario while each part is killed -9

The system runs as in the end-to-end tests (every service its own process, real PostgreSQL and Kafka) on
ports and a state directory of its own. Officials are created directly in the gateway's table and get
tokens minted with the (development) signing secret: logins are not part of what is measured. Every
request loop is bounded in count and time, and the run stops by itself.
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("GRAMOTA_TEST_PORT_OFFSET", "900")

import aiohttp  # noqa: E402
import httpx  # noqa: E402

from tests.conftest import PORT_OFFSET, ROOT, STATE, _script, fresh_database, wait_until  # noqa: E402
from tests.e2e.conftest import SERVICES, System  # noqa: E402

REPORTS = ROOT / "reports"

GIFT = "\n\n".join(
    f"::bench-{i}:: Вопрос {i} о цифровой гигиене {{=верный ответ ~неверный ответ ~другой неверный ~не знаю}}"
    for i in range(1, 11)
)


# --- measurements ------------------------------------------------------------------------------------
@dataclass
class Sample:
    at: float        # seconds since the scenario started
    kind: str        # start | save | reload | submit
    latency: float   # seconds
    outcome: str     # "ok" or an error kind


@dataclass
class Recorder:
    t0: float = field(default_factory=time.monotonic)
    samples: list[Sample] = field(default_factory=list)
    in_flight: collections.Counter = field(default_factory=collections.Counter)  # kind -> requests sent, not answered

    def add(self, kind: str, latency: float, outcome: str) -> None:
        self.samples.append(Sample(time.monotonic() - self.t0, kind, latency, outcome))

    def ok(self, kind: str) -> list[float]:
        return [s.latency for s in self.samples if s.kind == kind and s.outcome == "ok"]

    def progress(self, officials: int) -> str:
        done = collections.Counter((s.kind, s.outcome == "ok") for s in self.samples)
        failed = sum(n for (_, ok), n in done.items() if not ok)
        return (f"{time.monotonic() - self.t0:5.0f} s: {done['start', True]}/{officials} started, "
                f"{done['save', True]} answers saved, {done['submit', True]} submitted, {failed} errors")

    def errors(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for s in self.samples:
            if s.outcome != "ok":
                out[f"{s.kind}: {s.outcome}"] = out.get(f"{s.kind}: {s.outcome}", 0) + 1
        return out


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def rate(values: list[Sample]) -> float:
    if len(values) < 2:
        return float("nan")
    span = max(s.at for s in values) - min(s.at - s.latency for s in values)
    return len(values) / span if span > 0 else float("nan")


# --- the load client --------------------------------------------------------------------------------
# aiohttp, not httpx: on this machine httpx's connection pool managed ~100-140 requests/s at 200 concurrent
# against the bare INSERT endpoint, where aiohttp reached ~1,700/s: with httpx the run measured the client.
TRANSPORT_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError)


@dataclass
class Reply:
    status_code: int
    body: bytes

    def json(self):
        return json.loads(self.body)

    def problem_code(self) -> str:
        try:
            return str(self.json().get("code", ""))
        except (ValueError, AttributeError):
            return ""

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise RuntimeError(f"HTTP {self.status_code}: {self.body[:300]!r}")


class LoadClient:
    """A small aiohttp session with a base URL, returning `Reply` (status + body, read in full)."""

    def __init__(self, base_url: str, connections: int = 500, timeout: float = 30) -> None:
        self.base_url = base_url.rstrip("/")
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=connections, limit_per_host=connections),
            timeout=aiohttp.ClientTimeout(total=timeout))

    async def __aenter__(self) -> "LoadClient":
        return self

    async def __aexit__(self, *exc) -> None:
        await self._session.close()

    async def request(self, method: str, url: str, *, headers: dict | None = None, json: object = None,
                      params: dict | None = None, content: bytes | None = None) -> Reply:
        async with self._session.request(method, self.base_url + url, headers=headers, json=json, params=params,
                                         data=content) as r:
            return Reply(r.status, await r.read())

    async def get(self, url: str, **kw) -> Reply:
        return await self.request("GET", url, **kw)

    async def post(self, url: str, **kw) -> Reply:
        return await self.request("POST", url, **kw)

    async def put(self, url: str, **kw) -> Reply:
        return await self.request("PUT", url, **kw)


@dataclass
class Load:
    """One measured load: requests per second, latencies of the successful ones, errors."""
    per_s: float
    latencies: list[float]
    errors: int


async def hammer(client: LoadClient, requests, concurrency: int, seconds: float, pace: float | None = None) -> Load:
    """`concurrency` workers send `requests(worker, i)` (method, url, body, headers) for `seconds`.

    pace None: each worker sends its next request as soon as the last is answered (saturation: the throughput).
    pace s: each worker waits a random (exponential) think time of mean `pace` s between requests, like a person;
    the latency then shows what a candidate feels at that offered load (think time is not counted)."""
    latencies: list[float] = []
    errors = 0
    stop_at = time.monotonic() + seconds

    async def worker(w: int) -> None:
        nonlocal errors
        i = 0
        if pace:
            await asyncio.sleep(random.uniform(0, pace))  # people do not all click at the same instant
        while time.monotonic() < stop_at:
            method, url, body, headers = requests(w, i)
            started = time.perf_counter()
            try:
                r = await client.request(method, url, json=body, headers=headers)
                if r.status_code < 400:
                    latencies.append(time.perf_counter() - started)
                else:
                    errors += 1
            except TRANSPORT_ERRORS:
                errors += 1
            i += 1
            if pace:
                await asyncio.sleep(min(random.expovariate(1 / pace), 5 * pace))

    started = time.monotonic()
    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    return Load(len(latencies) / (time.monotonic() - started), latencies, errors)


# --- the stack -----------------------------------------------------------------------------------------
class Stack:
    """PostgreSQL, Kafka and the five processes, started for one run and stopped after it."""

    def __init__(self) -> None:
        self.database_url = ""
        self.system: System | None = None
        self.kafka = ""
        self.owned = True
        # an attached stack is shared with other tests, some of which park events on purpose (e.g. an exam form
        # put straight into the sessions schema, whose answer key the bank never had): only this run's count
        self.since = datetime.now(UTC)

    @classmethod
    def attach(cls, system: System, kafka: str) -> "Stack":
        """The running system of the test suite (its servers are started once per test run)."""
        stack = cls()
        stack.system, stack.kafka, stack.database_url, stack.owned = system, kafka, system.database_url, False
        return stack

    def start(self) -> None:
        _script("postgres.sh", "start")
        _script("kafka.sh", "stop")
        subprocess.run(["rm", "-rf", str(STATE / "kafka" / "data")], check=True)
        self.kafka = _script("kafka.sh", "start")
        from gramota.shared.topics import ensure_topics

        wait_until(lambda: ensure_topics(self.kafka) is not None, timeout=60, message="topics")
        self.database_url = fresh_database("gramota_bench")
        subprocess.run([sys.executable, "-m", "gramota.cli", "migrate"], env={**os.environ, "DATABASE_URL": self.database_url},
                       check=True, capture_output=True)
        self.system = UnderMakeRun(self.database_url, self.kafka)
        self.system.start_all()
        self.system.wait_ready(timeout=240)

    def stop(self) -> None:
        if not self.owned:
            return
        if self.system is not None:
            self.system.shutdown()
        _script("kafka.sh", "stop")
        _script("postgres.sh", "stop")

    # faults: kill -9 and start again, returning the seconds until the system answered /readyz again
    def kill_and_restart(self, part: str) -> float:
        assert self.system is not None
        killed = time.monotonic()
        if part in SERVICES:
            self.system.kill(part)
            if not isinstance(self.system, UnderMakeRun):  # under make run, its supervisor starts it again
                self.system.start(part)
        elif part == "kafka":
            pid = int((STATE / "kafka" / "kafka.pid").read_text())
            os.kill(pid, signal.SIGKILL)
            wait_until(lambda: not _alive(pid), timeout=10, message="kafka to die")
            _script("kafka.sh", "start")
        elif part == "postgres":
            pid = int((STATE / "pg" / "data" / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGKILL)
            wait_until(lambda: not _alive(pid), timeout=10, message="postgres to die")
            _script("postgres.sh", "start")
        else:
            raise ValueError(part)
        self.system.wait_ready(timeout=120)
        return time.monotonic() - killed


class UnderMakeRun(System):
    """The five processes as `make run` runs them (deploy/local/run.sh: migrations, topics, supervisor, demo data), on
    this run's ports, PostgreSQL and Kafka. A killed service is started again by supervisor, not by this class."""

    def __init__(self, database_url: str, kafka: str) -> None:
        super().__init__(database_url, kafka)
        self.env.update({"GRAMOTA_RUN_DIR": str(STATE / "supervisor"), "GATEWAY_METRICS_PORT": str(GATEWAY_METRICS_PORT),
                         **{f"{name.upper()}_METRICS_PORT": "0" for name in SERVICES if name != "gateway"}})
        self.run_sh: subprocess.Popen | None = None

    def start_all(self) -> None:
        (STATE / "supervisor").mkdir(parents=True, exist_ok=True)
        log = open(self.logs / "make-run.log", "ab")
        self.run_sh = subprocess.Popen([str(ROOT / "deploy" / "local" / "run.sh")], env=self.env, cwd=ROOT, stdout=log,
                                       stderr=subprocess.STDOUT, start_new_session=True)

    def pid(self, name: str) -> int:
        done = subprocess.run([str(Path(sys.executable).parent / "supervisorctl"), "-c",
                               str(ROOT / "deploy" / "local" / "supervisord.conf"), "pid", name],
                              env=self.env, capture_output=True, text=True, timeout=30)
        return int(done.stdout.strip() or 0) if done.stdout.strip().isdigit() else 0

    def kill(self, name: str) -> None:
        """kill -9 the service, then wait until supervisor has started it again (a new process)."""
        old = self.pid(name)
        assert old, f"{name} is not running under supervisor"
        os.kill(old, signal.SIGKILL)
        wait_until(lambda: self.pid(name) not in (0, old), timeout=60, interval=0.2,
                   message=f"supervisor to start {name} again")

    def wait_ready(self, timeout: float = 90) -> None:
        def ready() -> bool:
            if self.run_sh is not None and self.run_sh.poll() is not None:
                raise RuntimeError(f"make run's script exited with {self.run_sh.returncode}; see {self.logs / 'make-run.log'}")
            return httpx.get(f"{self.base_url}/readyz", timeout=2).status_code == 200

        wait_until(ready, timeout=timeout, interval=0.2, message="every service to be ready")

    def shutdown(self) -> dict[str, int]:
        """Ctrl-C, as a person stops `make run`: every process it started stops."""
        if self.run_sh is None or self.run_sh.poll() is not None:
            return {}
        os.killpg(self.run_sh.pid, signal.SIGINT)
        try:
            return {"make run": self.run_sh.wait(timeout=120)}
        except subprocess.TimeoutExpired:
            os.killpg(self.run_sh.pid, signal.SIGKILL)
            return {"make run": -9}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


async def db(database_url: str, sql: str, *args):
    import asyncpg

    conn = await asyncpg.connect(database_url)
    try:
        return await conn.fetch(sql, *args)
    finally:
        await conn.close()


# --- people, exams, tokens -----------------------------------------------------------------------------
def token(user_id: str, session_id: str, role: str, name: str = "") -> str:
    from gramota.gateway.auth import Principal, issue_token
    from gramota.gateway.settings import GatewaySettings

    settings = GatewaySettings()
    return issue_token(settings.jwt_secret, Principal(user_id, user_id[:8], role, name, session_id=session_id), 240)[0]


async def create_accounts(database_url: str, count: int, role: str = "candidate") -> list[tuple[str, str]]:
    """(user id, access token) of `count` accounts spread over districts, each with an open login session,
    written with COPY (logins, i.e. Argon2 hashing, are not what the exam day measures)."""
    import asyncpg

    from gramota.gateway.passwords import hash_password

    password_hash = hash_password("bench-password")
    districts = [("Северо-Кавказский федеральный округ", "Республика Дагестан"),
                 ("Северо-Кавказский федеральный округ", "Чеченская Республика"),
                 ("Южный федеральный округ", "Ростовская область"),
                 ("Приволжский федеральный округ", "Республика Татарстан")]
    users, sessions = [], []
    expires = datetime.now(UTC) + timedelta(hours=4)
    for i in range(count):
        fd, region = districts[i % len(districts)]
        user_id = uuid.uuid4()
        users.append((user_id, f"bench-{uuid.uuid4().hex[:10]}", password_hash, f"Служащий {i}", role, fd, region,
                      f"Администрация {i % 40}"))
        sessions.append((uuid.uuid4(), user_id, b"bench", expires))
    conn = await asyncpg.connect(database_url)
    try:
        await conn.copy_records_to_table("users", schema_name="gateway", records=users, columns=[
            "id", "username", "password_hash", "full_name", "role", "federal_district", "region", "organization"])
        await conn.copy_records_to_table("auth_sessions", schema_name="gateway", records=sessions,
                                         columns=["id", "user_id", "refresh_hash", "expires_at"])
    finally:
        await conn.close()
    return [(str(u[0]), token(str(u[0]), str(sess[0]), role, u[3])) for u, sess in zip(users, sessions)]


async def admin_headers(database_url: str) -> dict:
    (_, tok), = await create_accounts(database_url, 1, role="admin")
    return {"Authorization": f"Bearer {tok}"}


async def create_exam(client: LoadClient, admin: dict, title: str, time_limit: int, settings: dict | None = None) -> dict:
    r = await client.post("/api/v1/bank/import", params={"format": "gift"}, content=GIFT.encode(),
                          headers={**admin, "Content-Type": "text/plain"})
    r.raise_for_status()
    r = await client.post("/api/v1/exams", headers=admin, json={
        "title": title, "time_limit_seconds": time_limit, "pass_score": 60, "item_ids": r.json()["item_ids"],
        "settings": settings or {}})
    r.raise_for_status()
    exam = r.json()
    (await client.post(f"/api/v1/exams/{exam['id']}/publish", headers=admin)).raise_for_status()
    return exam


# --- one official's exam -------------------------------------------------------------------------------
@dataclass
class Official:
    user_id: str
    token: str
    behaviour: str                       # "submits" | "reloads" | "runs_out"
    skill: float                         # chance of answering a question right
    attempt_id: str = ""
    acknowledged: dict[str, list[str]] = field(default_factory=dict)  # question -> last saved options
    submitted: bool = False


# Requests in flight at once (the connector's limit): latency is timed once a request may go, so thousands of
# officials waiting for a connection measure the system, not the load generator's queue.
IN_FLIGHT = asyncio.Semaphore(400)


async def with_retries(rec: Recorder, kind: str, call, give_up_at: float, retry: bool):
    """One logical request; in the drill, retried like the exam page does until it is acknowledged."""
    while True:
        async with IN_FLIGHT:
            started = time.perf_counter()
            rec.in_flight[kind] += 1
            try:
                r = await call()
                outcome = "ok" if r.status_code < 400 else f"HTTP {r.status_code} {r.problem_code()}".rstrip()
            except TRANSPORT_ERRORS as exc:
                r, outcome = None, type(exc).__name__
            finally:
                rec.in_flight[kind] -= 1
            rec.add(kind, time.perf_counter() - started, outcome)
        if outcome == "ok" or not retry or time.monotonic() > give_up_at:
            return r if outcome == "ok" else None
        if r is not None and r.status_code < 500 and r.status_code not in (404, 429):
            return None  # a refusal, not a failure: retrying cannot help
        await asyncio.sleep(0.25)


async def sit_exam(client: LoadClient, rec: Recorder, o: Official, exam_id: str, start_at: float,
                   think: tuple[float, float], retry: bool, give_up_at: float) -> None:
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    headers = {"Authorization": f"Bearer {o.token}"}
    r = await with_retries(rec, "start", lambda: client.post(f"/api/v1/exams/{exam_id}/attempts", headers=headers),
                           give_up_at, retry)
    if r is None:
        return
    attempt = r.json()
    o.attempt_id = attempt["id"]
    questions = attempt["questions"]
    for n, q in enumerate(questions):
        await asyncio.sleep(random.uniform(*think))
        if o.behaviour == "runs_out" and n == len(questions) // 2:
            return  # walks away: the server must submit it at the deadline
        options = [q["options"][0]["id"] if random.random() < o.skill else q["options"][-1]["id"]]
        url = f"/api/v1/attempts/{o.attempt_id}/answers/{q['id']}"
        saved = await with_retries(rec, "save", lambda url=url, options=options: client.put(
            url, headers=headers, json={"option_ids": options}), give_up_at, retry)
        if saved is not None:
            o.acknowledged[q["id"]] = options
        if o.behaviour == "reloads" and n == len(questions) // 2:
            got = await with_retries(rec, "reload", lambda: client.get(f"/api/v1/attempts/{o.attempt_id}", headers=headers),
                                     give_up_at, retry)
            if got is not None:
                seen = {a["question_id"]: a["option_ids"] for a in got.json()["answers"]}
                if any(seen.get(k) != v for k, v in o.acknowledged.items()):
                    rec.add("reload", 0.0, "answers missing after reload")
    r = await with_retries(rec, "submit", lambda: client.post(f"/api/v1/attempts/{o.attempt_id}/submit", headers=headers),
                           give_up_at, retry)
    o.submitted = r is not None


STORM_PARTS = ("kafka", "postgres")  # killed in the middle of the deadline storm; the others while officials work


async def storm_backlog(stack: Stack, exam_id: str) -> int:
    """The deadline storm's work not yet done: attempts overdue and still open, submitted and not scored, passed and
    not certified (0 when the database does not answer: the caller then counts requests only)."""
    try:
        rows = await asyncio.wait_for(db(stack.database_url, """
            SELECT (SELECT count(*) FROM sessions.attempts WHERE exam_id = $1 AND status = 'in_progress' AND deadline < now())
                 + (SELECT count(*) FROM sessions.attempts a WHERE a.exam_id = $1 AND a.status = 'submitted'
                      AND NOT EXISTS (SELECT 1 FROM scoring.results r WHERE r.attempt_id = a.id))
                 + (SELECT count(*) FROM scoring.results r WHERE r.exam_id = $1 AND r.passed
                      AND NOT EXISTS (SELECT 1 FROM certificates.certificates c WHERE c.attempt_id = r.attempt_id)) AS n
            """, uuid.UUID(exam_id)), timeout=5)
        return int(rows[0]["n"])
    except Exception:
        return 0


async def auto_submitted(stack: Stack, exam_id: str) -> int:
    """How many attempts of the exam the sweeper has submitted so far (the deadline storm has begun when > 0)."""
    try:
        rows = await asyncio.wait_for(db(stack.database_url, "SELECT count(*) AS n FROM sessions.attempts "
                                         "WHERE exam_id = $1 AND auto_submitted", uuid.UUID(exam_id)), timeout=5)
        return int(rows[0]["n"])
    except Exception:
        return 0


async def scenario(stack: Stack, candidates: int, window: float, think: tuple[float, float], time_limit: int,
                   retry: bool, faults: list[str], fault_every: float, close_after: float | None = None,
                   runs_out_every: int = 20) -> dict:
    """The paced exam day. With `faults` (the drill), each part is killed -9 when the traffic says so: the services
    while officials' saves or submits are in flight (scoring and certificates once submissions flow), Kafka and
    PostgreSQL in the middle of the deadline storm (`close_after`: the exam's window closes that many seconds after
    the first start, so every attempt still open runs out in the same second). A fault that would land on an idle
    system is recorded as such, and the run fails."""
    assert stack.system is not None
    rec = Recorder()
    async with LoadClient(stack.system.base_url) as client:
        admin = await admin_headers(stack.database_url)
        closes = datetime.now(UTC) + timedelta(seconds=close_after) if close_after else None
        exam = await create_exam(client, admin, f"Экзаменационный день {uuid.uuid4().hex[:6]}", time_limit,
                                 settings={"closes_at": closes.isoformat()} if closes else None)
        people = await create_accounts(stack.database_url, candidates)
        officials = []
        for i, (user_id, tok) in enumerate(people):
            # 1 in `runs_out_every` walks away and lets the timer run out; 1 in 10 reloads the page mid-exam
            behaviour = "runs_out" if i % runs_out_every == 0 else "reloads" if i % 10 == 1 else "submits"
            officials.append(Official(user_id, tok, behaviour, skill=random.uniform(0.3, 1.0)))
        rec.t0 = time.monotonic()
        give_up_at = rec.t0 + window + (close_after or time_limit) + 60
        starts = [rec.t0 + random.uniform(0, window) for _ in officials]
        fault_log: list[dict] = []
        busy = max(1, candidates // 60)  # saves and submits in flight that make "officials are working"

        async def when_due(part: str) -> tuple[bool, int]:
            """Wait for the moment to kill `part`; (landed in traffic, storm backlog then)."""
            stop_at = (rec.t0 + window + (close_after or time_limit) + 120) if part in STORM_PARTS else give_up_at
            while time.monotonic() < stop_at:
                working = rec.in_flight["save"] + rec.in_flight["submit"]
                if part in STORM_PARTS:
                    if closes is not None and datetime.now(UTC) > closes:
                        backlog = await storm_backlog(stack, exam["id"])
                        if backlog >= max(3, candidates // (10 * runs_out_every)) and await auto_submitted(stack, exam["id"]):
                            return True, backlog
                elif working >= busy and (part not in ("scoring", "certificates")
                                          or rec.in_flight["submit"] > 0 or any(o.submitted for o in officials)):
                    return True, 0
                if all(s.done() for s in sitting) and part not in STORM_PARTS:
                    break  # the officials are gone: whatever comes now lands on an idle system
                await asyncio.sleep(0.05)
            return False, 0

        async def inject(parts: list[str]) -> None:
            for part in parts:
                await asyncio.sleep(fault_every)  # let the last fault's recovery settle first
                landed, backlog = await when_due(part)
                at = time.monotonic() - rec.t0
                in_flight = {k: v for k, v in rec.in_flight.items() if v}
                recovery = await asyncio.get_running_loop().run_in_executor(None, stack.kill_and_restart, part)
                fault_log.append({"part": part, "at": at, "recovery_s": recovery, "in_flight": in_flight,
                                  "backlog": backlog, "landed": landed and (sum(in_flight.values()) > 0 or backlog > 0)})
                print(f"  fault: kill -9 {part} at {at:.0f}s with {sum(in_flight.values())} requests in flight "
                      f"{in_flight} and {backlog} attempts of the deadline storm in the pipeline; "
                      f"ready again after {recovery:.1f}s", flush=True)

        sitting = [asyncio.create_task(sit_exam(client, rec, o, exam["id"], s, think, retry, give_up_at))
                   for o, s in zip(officials, starts)]
        reporter = asyncio.create_task(_report_progress(lambda: rec.progress(len(officials))))
        try:
            # the services' faults one after the other among the officials; the deadline storm's on their own, when
            # it comes (a recovery slowed by a loaded machine must not push them past the storm)
            await asyncio.gather(*sitting, inject([f for f in faults if f not in STORM_PARTS]),
                                 inject([f for f in faults if f in STORM_PARTS]))
        finally:
            reporter.cancel()
    return {"rec": rec, "officials": officials, "exam": exam, "faults": fault_log}


async def _report_progress(line, every: float = 10.0) -> None:
    """A line every `every` seconds while a long phase runs (a run takes minutes)."""
    while True:
        await asyncio.sleep(every)
        print(f"  {line()}", flush=True)


# --- after the run: what the databases say -------------------------------------------------------------
async def settle(stack: Stack, attempt_ids: list[str], deadline_s: float) -> None:
    """Wait until every started attempt is scored, every outbox is empty and every PDF rendered (bounded)."""
    stop_at = time.monotonic() + deadline_s
    said = time.monotonic()
    while time.monotonic() < stop_at:
        rows = await db(stack.database_url, """
            SELECT (SELECT count(*) FROM sessions.attempts WHERE id = ANY($1::uuid[]) AND status = 'submitted') AS submitted,
                   (SELECT count(*) FROM scoring.results WHERE attempt_id = ANY($1::uuid[])) AS scored,
                   (SELECT count(*) FROM testbank.outbox) + (SELECT count(*) FROM sessions.outbox)
                   + (SELECT count(*) FROM scoring.outbox) + (SELECT count(*) FROM certificates.outbox) AS outbox,
                   (SELECT count(*) FROM scoring.results r WHERE r.attempt_id = ANY($1::uuid[]) AND r.passed
                      AND NOT EXISTS (SELECT 1 FROM certificates.certificates c WHERE c.attempt_id = r.attempt_id)) AS uncertified,
                   (SELECT count(*) FROM certificates.certificates WHERE pdf IS NULL) AS unrendered
            """, attempt_ids)
        r = rows[0]
        if r["submitted"] == len(attempt_ids) and r["scored"] == len(attempt_ids) and r["outbox"] == 0 and r["uncertified"] == 0 \
                and r["unrendered"] == 0:
            return
        if time.monotonic() - said >= 10:
            said = time.monotonic()
            print(f"  {r['submitted']}/{len(attempt_ids)} submitted (the rest wait for their timer), {r['scored']} scored, "
                  f"{r['uncertified']} passes waiting for a certificate, "
                  f"{r['unrendered']} PDFs to render, {r['outbox']} events in outboxes", flush=True)
        await asyncio.sleep(0.5)


async def check(stack: Stack, officials: list[Official]) -> list[tuple[str, bool, str]]:
    """Nothing lost, nothing doubled: each check with its verdict and figures."""
    started = [o for o in officials if o.attempt_id]
    ids = [o.attempt_id for o in started]
    answers = await db(stack.database_url,
                       "SELECT attempt_id::text, question_id, option_ids FROM sessions.answers WHERE attempt_id = ANY($1::uuid[])", ids)
    stored = {(r["attempt_id"], r["question_id"]): list(r["option_ids"]) for r in answers}
    acked = [(o.attempt_id, q, v) for o in started for q, v in o.acknowledged.items()]
    lost = [a for a in acked if stored.get((a[0], a[1])) != a[2]]
    attempts = await db(stack.database_url, "SELECT status, count(*) FROM sessions.attempts WHERE id = ANY($1::uuid[]) GROUP BY status", ids)
    by_status = {r["status"]: r["count"] for r in attempts}
    results = await db(stack.database_url,
                       "SELECT attempt_id, count(*) AS n, bool_or(passed) AS passed FROM scoring.results WHERE attempt_id = ANY($1::uuid[]) GROUP BY attempt_id", ids)
    certs = await db(stack.database_url,
                     "SELECT attempt_id, count(*) AS n, bool_and(status = 'valid') AS valid FROM certificates.certificates "
                     "WHERE attempt_id = ANY($1::uuid[]) GROUP BY attempt_id", ids)
    passed = {r["attempt_id"] for r in results if r["passed"]}
    cert_by_attempt = {r["attempt_id"]: r for r in certs}
    outboxes = await db(stack.database_url, "SELECT (SELECT count(*) FROM testbank.outbox) + (SELECT count(*) FROM sessions.outbox) + "
                        "(SELECT count(*) FROM scoring.outbox) + (SELECT count(*) FROM certificates.outbox) AS n")
    dead = await db(stack.database_url, "SELECT (SELECT count(*) FROM sessions.dead_letters WHERE created_at >= $1) + "
                    "(SELECT count(*) FROM scoring.dead_letters WHERE created_at >= $1) + "
                    "(SELECT count(*) FROM certificates.dead_letters WHERE created_at >= $1) AS n", stack.since)
    return [
        ("every acknowledged answer is stored", not lost, f"{len(acked)} acknowledged, {len(lost)} missing or different"),
        ("every started attempt ended submitted (by the candidate or the sweeper)",
         by_status.get("submitted", 0) == len(ids), f"{len(ids)} started, {by_status}"),
        ("every submitted attempt scored exactly once",
         len(results) == len(ids) and all(r["n"] == 1 for r in results),
         f"{len(results)} attempts with results, max {max((r['n'] for r in results), default=0)} per attempt"),
        ("every pass has exactly one valid certificate, fails none",
         all(a in cert_by_attempt and cert_by_attempt[a]["n"] == 1 and cert_by_attempt[a]["valid"] for a in passed)
         and set(cert_by_attempt) <= passed, f"{len(passed)} passes, {len(cert_by_attempt)} certificates"),
        ("every outbox is empty", outboxes[0]["n"] == 0, f"{outboxes[0]['n']} events waiting"),
        ("no event parked as undeliverable", dead[0]["n"] == 0, f"{dead[0]['n']} dead letters"),
    ]


async def pipeline_latencies(stack: Stack, ids: list[str]) -> dict[str, list[float]]:
    rows = await db(stack.database_url, """
        SELECT extract(epoch FROM r.scored_at - a.submitted_at) AS to_result,
               extract(epoch FROM c.issued_at - a.submitted_at) AS to_certificate,
               extract(epoch FROM c.rendered_at - a.submitted_at) AS to_pdf, c.issued_at
        FROM sessions.attempts a JOIN scoring.results r ON r.attempt_id = a.id
        LEFT JOIN certificates.certificates c ON c.attempt_id = a.id
        WHERE a.id = ANY($1::uuid[]) AND NOT a.auto_submitted
        """, ids)
    issued = sorted(r["issued_at"] for r in rows if r["issued_at"] is not None)
    span = (issued[-1] - issued[0]).total_seconds() if len(issued) > 1 else float("nan")
    return {"to_result": [float(r["to_result"]) for r in rows],
            "to_certificate": [float(r["to_certificate"]) for r in rows if r["to_certificate"] is not None],
            # the PDF follows the certificate (rendered in the background, or at the first download if sooner)
            "to_pdf": [float(r["to_pdf"]) for r in rows if r["to_pdf"] is not None],
            "certificates_per_s": [len(issued) / span if span and span > 0 else float("nan")]}


# --- baselines -------------------------------------------------------------------------------------------
# 200 candidates each saving an answer about once a second: ~200 saves/s offered, well under what the bare
# INSERT endpoint can take, so the latency is what a candidate feels rather than a queue in front of a saturated CPU
PACED_CANDIDATES, PACE_S = 200, 1.0


@contextlib.contextmanager
def bare_servers(stack: Stack):
    """The bare INSERT endpoint and the bare grpc.aio echo, up for the whole measurement: (insert url, echo port)."""
    insert_port, echo_port = 18100 + PORT_OFFSET, 18101 + PORT_OFFSET
    procs = [
        subprocess.Popen([sys.executable, "-m", "tests.bench.baselines", "insert-server", str(insert_port), stack.database_url],
                         cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen([sys.executable, "-m", "tests.bench.baselines", "echo-server", str(echo_port)],
                         cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    try:
        url = f"http://127.0.0.1:{insert_port}"
        wait_until(lambda: httpx.put(f"{url}/rows/warm", content=b"{}").status_code == 200,
                   timeout=90, message="the bare INSERT endpoint")
        yield url, echo_port
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=10)


def _bare_insert(w: int, i: int):
    return "PUT", f"/rows/{w}-{i}", {"option_ids": ["o1"]}, None


async def measure_baselines(insert_url: str, echo_port: int, seconds: float) -> dict:
    """The baselines that are not compared round by round: the paced INSERT, the echo, the bare PDF page."""
    from tests.bench import baselines

    out: dict = {}
    async with LoadClient(insert_url) as client:
        out["insert_paced"] = await hammer(client, _bare_insert, PACED_CANDIDATES, seconds, pace=PACE_S)
    import grpc

    async with grpc.aio.insecure_channel(f"127.0.0.1:{echo_port}") as channel:
        echo = channel.unary_unary(baselines.ECHO_METHOD)
        await channel.channel_ready()
        latencies: list[float] = []
        stop_at = time.monotonic() + seconds

        async def worker() -> None:
            while time.monotonic() < stop_at:
                t = time.perf_counter()
                await echo(b"x" * 64)
                latencies.append(time.perf_counter() - t)

        t0 = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(200)))
        out["echo"] = Load(len(latencies) / (time.monotonic() - t0), latencies, 0)
    from gramota.certificates.pdf import register_fonts
    from tests.bench import certificates as render

    register_fonts()  # the bare page uses the same embedded fonts
    out["render_bare"] = render.rate(render.bare_reportlab, 5)[0]
    out["render_gramota"] = render.rate(render.gramota_certificate, 5)[0]
    return out


SATURATION_ROUNDS = 5  # rounds of 5 s each way: with three, one noisy round moved the median by 0.05-0.1


async def measure_saves(stack: Stack, insert_url: str, seconds: float) -> dict:
    """Answer saves through the gateway by 200 candidates, each in an attempt of their own, beside the bare INSERT.

    Saturation is measured in rounds that alternate the bare endpoint and Gramota (this machine is shared: a
    figure taken a minute after its baseline drifted by up to a quarter), so each round's ratio compares two
    neighbouring measurements; the report gives every round and their median. Then the paced candidates."""
    assert stack.system is not None
    async with LoadClient(stack.system.base_url) as client, LoadClient(insert_url) as bare:
        admin = await admin_headers(stack.database_url)
        exam = await create_exam(client, admin, f"Сохранение ответов {uuid.uuid4().hex[:6]}", 3600)
        people = await create_accounts(stack.database_url, 200)
        attempts = []
        for _, tok in people:
            h = {"Authorization": f"Bearer {tok}"}
            r = await client.post(f"/api/v1/exams/{exam['id']}/attempts", headers=h)
            r.raise_for_status()
            attempts.append((h, r.json()))

        def save(w: int, i: int):
            h, a = attempts[w]
            q = a["questions"][i % len(a["questions"])]
            return "PUT", f"/api/v1/attempts/{a['id']}/answers/{q['id']}", {"option_ids": [q["options"][i % 2]["id"]]}, h

        await hammer(client, save, 200, 2)  # every attempt's first save (its questions cached) before measuring
        rounds = []
        calls = await saves_per_call()
        for _ in range(SATURATION_ROUNDS):
            rounds.append((await hammer(bare, _bare_insert, 200, seconds / 2), await hammer(client, save, 200, seconds / 2)))
        calls_paced = await saves_per_call()
        paced = await hammer(client, save, PACED_CANDIDATES, seconds, pace=PACE_S)
        per_call = {"saturated": _mean_per_call(calls, calls_paced), "paced": _mean_per_call(calls_paced, await saves_per_call())}
        return {"rounds": rounds, "insert": _merged([b for b, _ in rounds]), "saturated": _merged([o for _, o in rounds]),
                "paced": paced, "per_call": per_call}


GATEWAY_METRICS_PORT = 18102 + PORT_OFFSET


async def saves_per_call() -> tuple[float, float]:
    """The gateway's count of answer saves sent to sessions and of the calls that carried them, so far."""
    async with httpx.AsyncClient() as http:
        text = (await http.get(f"http://127.0.0.1:{GATEWAY_METRICS_PORT}/metrics", timeout=10)).text
    found = {name: float(value) for name, value in (line.split() for line in text.splitlines()
                                                    if line.startswith("gramota_answer_saves_per_call_"))
             if name.endswith(("_sum", "_count"))}
    return found.get("gramota_answer_saves_per_call_sum", 0.0), found.get("gramota_answer_saves_per_call_count", 0.0)


def _mean_per_call(before: tuple[float, float], after: tuple[float, float]) -> float:
    calls = after[1] - before[1]
    return (after[0] - before[0]) / calls if calls else float("nan")


def _merged(loads: list[Load]) -> Load:
    return Load(statistics.mean(x.per_s for x in loads), [v for x in loads for v in x.latencies], sum(x.errors for x in loads))


# --- the report ------------------------------------------------------------------------------------------
def chart(rec: Recorder, path: Path, faults: list[dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    end = int(max((s.at for s in rec.samples), default=0)) + 1
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 6.5), sharex=True)
    for kind, colour in (("start", "#1d3557"), ("save", "#2a9d8f"), ("submit", "#e76f51")):
        per_s = [0] * end
        p50 = [float("nan")] * end
        buckets: list[list[float]] = [[] for _ in range(end)]
        for s in rec.samples:
            if s.kind == kind and s.outcome == "ok":
                per_s[int(s.at)] += 1
                buckets[int(s.at)].append(s.latency * 1000)
        for i, b in enumerate(buckets):
            if b:
                p50[i] = statistics.median(b)
        top.plot(range(end), per_s, label=kind, color=colour)
        bottom.plot(range(end), p50, label=f"{kind} p50", color=colour)
    errors = [0] * end
    for s in rec.samples:
        if s.outcome != "ok":
            errors[int(s.at)] += 1
    top.bar(range(end), errors, color="#e63946", alpha=0.5, label="errors")
    for f in faults:
        for ax in (top, bottom):
            ax.axvline(f["at"], color="#999", linestyle="--", linewidth=0.8)
        top.text(f["at"], top.get_ylim()[1] * 0.9, f["part"], rotation=90, fontsize=8, color="#555")
    top.set_ylabel("requests / s")
    bottom.set_ylabel("latency p50, ms")
    bottom.set_xlabel("seconds since the first start")
    top.legend(loc="upper right")
    bottom.legend(loc="upper right")
    top.set_title("Gramota exam day: throughput and latency over time")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def fmt_ms(v: float) -> str:
    return f"{v * 1000:.1f} ms"


def against_baselines(base: dict, saves: dict, starts: list[float]) -> list[str]:
    """The report's table of figures beside the baselines measured in the same run (starts: exam-day start latencies)."""
    ins, ins_p, echo, sat, paced = saves["insert"], base["insert_paced"], base["echo"], saves["saturated"], saves["paced"]
    ratios = [o.per_s / b.per_s for b, o in saves["rounds"]]

    def row(name: str, ours: float, bare: float, fmt=fmt_ms) -> str:
        return f"| {name} | {fmt(ours)} | {fmt(bare)} | {ours / bare:.2f} |"

    return ["## Against baselines measured in this run", "",
        "Gramota's save is gateway (auth, account re-read) → gRPC → sessions (checks, answer + audit row) → "
        "PostgreSQL; saves that arrive while earlier ones are on their way share one gRPC call, one statement and one "
        f"commit (saves per call, mean: {saves['per_call']['saturated']:.1f} at saturation, "
        f"{saves['per_call']['paced']:.2f} paced). The bare endpoint is FastAPI + asyncpg doing one single-row INSERT "
        "and one commit per request. Same load client.", "",
        "| figure | Gramota | baseline | ratio |", "| --- | --- | --- | --- |",
        f"| answer saves/s, 200 concurrent, each sending the next at once (saturation; {len(ratios)} rounds alternating "
        f"with the baseline: median ratio, rounds {', '.join(f'{r:.2f}' for r in ratios)}) | "
        f"{sat.per_s:.0f}/s ({sat.errors} errors) | {ins.per_s:.0f}/s | {statistics.median(ratios):.2f} |",
        row("… save p50 at saturation", pct(sat.latencies, 50), pct(ins.latencies, 50)),
        row("… save p99 at saturation", pct(sat.latencies, 99), pct(ins.latencies, 99)),
        f"| {PACED_CANDIDATES} candidates saving every ~{PACE_S:.0f} s each: saves/s | {paced.per_s:.0f}/s "
        f"({paced.errors} errors) | {ins_p.per_s:.0f}/s | {paced.per_s / ins_p.per_s:.2f} |",
        row("… save p50", pct(paced.latencies, 50), pct(ins_p.latencies, 50)),
        row("… save p99", pct(paced.latencies, 99), pct(ins_p.latencies, 99)),
        *([f"| exam-day start p50 vs bare grpc.aio echo p50 (200 concurrent) | {fmt_ms(pct(starts, 50))} | "
           f"{fmt_ms(pct(echo.latencies, 50))} ({echo.per_s:.0f}/s) | {pct(starts, 50) / pct(echo.latencies, 50):.1f} |"]
          if starts else [  # bench-saves: no exam day, the echo alone
           f"| bare grpc.aio echo p50 (200 concurrent) | | {fmt_ms(pct(echo.latencies, 50))} ({echo.per_s:.0f}/s) | |"]),
        f"| certificate renders/s, one core: Gramota's renderer vs bare ReportLab page | {base['render_gramota']:.1f}/s | "
        f"{base['render_bare']:.1f}/s | {base['render_gramota'] / base['render_bare']:.2f} |",
        ""]


async def _storms_report(stack: Stack, lines: list[str], stamp: str, candidates: int, saves: dict, options: dict) -> Path:
    from tests.bench import storms

    print(f"exam day as it really happens: {candidates} officials, Locust ...", flush=True)
    async with LoadClient(stack.system.base_url) as client:
        admin = await admin_headers(stack.database_url)
        storm = await storms.run_storms(stack, client, admin, candidates, out=REPORTS / f"storms-{stamp}", **options)
    storm["in_flight"] = options["in_flight"]
    exams = [storm["exam_deadline"], storm["exam_submit"]]
    officials = storms.officials_for_checks(storm["plan"], exams)
    ids = [o.attempt_id for o in officials]
    print("waiting for every attempt to be scored and certified ...", flush=True)
    await settle(stack, ids, deadline_s=600)
    deadline = await storms.deadline_latencies(stack, storm["exam_deadline"])
    checks = await check(stack, officials)
    lines = lines[:2] + [f"Machine: {os.cpu_count()} cores, shared; load average at the end "
                         f"{os.getloadavg()[0]:.1f}.", ""] + lines[4:]
    lines += storms.report(storm, deadline, {"insert": saves["insert"]}, os.cpu_count() or 1)
    lines += ["## Checks (from the databases)", "", "| check | verdict | figures |", "| --- | --- | --- |"]
    lines += [f"| {name} | {'PASS' if ok else 'FAIL'} | {detail} |" for name, ok, detail in checks] + [""]
    png = REPORTS / f"bench-{stamp}.png"
    chart(storms.recorder(storm["out"]), png, [])
    lines += [f"![throughput and latency over time]({png.name})", ""]
    report = REPORTS / f"bench-{stamp}.md"
    report.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines), flush=True)
    print(f"\nreport: {report}\nchart:  {png}", flush=True)
    if not all(ok for _, ok, _ in checks):
        raise SystemExit(1)
    return report


async def run(mode: str, candidates: int, window: float, time_limit: int, faults: list[str], fault_every: float,
              think: tuple[float, float], baseline_seconds: float, paced: bool = True,
              storm_options: dict | None = None, drill_storm: dict | None = None) -> Path:
    REPORTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    stack = Stack()
    print(f"starting PostgreSQL, Kafka and the five processes (state in {STATE})", flush=True)
    stack.start()
    try:
        lines = [f"# Gramota {'exam-day benchmark' if mode == 'bench' else 'fault drill'} — {stamp} UTC", "",
                 f"Machine: {os.cpu_count()} cores; {candidates} officials starting within {window:.0f} s; "
                 f"exam of 10 questions, {time_limit} s; think time {think[0]}–{think[1]} s.", ""]
        base = saves = None
        if mode in ("bench", "saves"):
            print("baselines ...", flush=True)
            with bare_servers(stack) as (insert_url, echo_port):
                base = await measure_baselines(insert_url, echo_port, baseline_seconds)
                print("answer saves at 200 concurrent candidates, alternating with the bare INSERT ...", flush=True)
                saves = await measure_saves(stack, insert_url, baseline_seconds)
        if mode == "saves":  # the baselines and the answer saves only (no exam day): a quick check of the save path
            report_lines = lines + against_baselines(base, saves, [])
            print("\n".join(report_lines), flush=True)
            return REPORTS / "none"
        if mode == "bench" and not paced:  # the storms (Locust), then the checks
            return await _storms_report(stack, lines, stamp, candidates, saves, storm_options)
        print(f"exam day: {candidates} officials ...", flush=True)
        result = await scenario(stack, candidates, window, think, time_limit, retry=(mode == "drill"), faults=faults,
                                fault_every=fault_every, **(drill_storm if mode == "drill" else {}))
        rec, officials = result["rec"], result["officials"]
        ids = [o.attempt_id for o in officials if o.attempt_id]
        print("waiting for every attempt to be scored and certified ...", flush=True)
        await settle(stack, ids, deadline_s=time_limit + 120)
        pipe = await pipeline_latencies(stack, ids)
        checks = await check(stack, officials)

        starts = [s for s in rec.samples if s.kind == "start" and s.outcome == "ok"]
        saves_s = [s for s in rec.samples if s.kind == "save" and s.outcome == "ok"]
        lines += ["## Exam day", "", "| figure | value |", "| --- | --- |",
                  f"| starts/s | {rate(starts):.1f} ({len(starts)} of {candidates} started) |",
                  f"| start p50 / p99 | {fmt_ms(pct(rec.ok('start'), 50))} / {fmt_ms(pct(rec.ok('start'), 99))} |",
                  f"| answer saves/s | {rate(saves_s):.1f} |",
                  f"| answer save p50 / p99 | {fmt_ms(pct(rec.ok('save'), 50))} / {fmt_ms(pct(rec.ok('save'), 99))} |",
                  f"| submit → result p50 / p99 | {fmt_ms(pct(pipe['to_result'], 50))} / {fmt_ms(pct(pipe['to_result'], 99))} |",
                  f"| submit → certificate p50 / p99 | {fmt_ms(pct(pipe['to_certificate'], 50))} / {fmt_ms(pct(pipe['to_certificate'], 99))} |",
                  f"| submit → PDF rendered p50 / p99 | {fmt_ms(pct(pipe['to_pdf'], 50))} / {fmt_ms(pct(pipe['to_pdf'], 99))} "
                  f"({len(pipe['to_pdf'])} of {len(pipe['to_certificate'])} rendered) |",
                  f"| certificates/s (limited by how fast passes arrive) | {pipe['certificates_per_s'][0]:.1f} "
                  f"({len(pipe['to_certificate'])} issued) |",
                  f"| behaviours | {sum(o.behaviour == 'submits' for o in officials)} submit, "
                  f"{sum(o.behaviour == 'reloads' for o in officials)} reload mid-exam, "
                  f"{sum(o.behaviour == 'runs_out' for o in officials)} let the timer run out |", ""]
        errs = rec.errors()
        lines += ["### Errors by kind", ""] + ([f"- {k}: {v}" for k, v in sorted(errs.items())] or ["- none"]) + [""]
        if base is not None and saves is not None:
            lines += against_baselines(base, saves, rec.ok("start"))
        if result["faults"]:
            lines += ["## Faults", "", "Each part was killed when the traffic said so: the services while officials' saves "
                      "or submits were in flight, Kafka and PostgreSQL in the middle of the deadline storm (every attempt "
                      "still open ran out in the same second when the exam's window closed). The services run under "
                      "`make run`'s supervisor, which started the killed one again." if stack.owned else "", "",
                      "| part killed (-9) | at | requests in flight (by kind) | deadline-storm attempts in the pipeline "
                      "| landed in traffic | ready again after |", "| --- | --- | --- | --- | --- | --- |"]
            lines += [f"| {f['part']} | {f['at']:.0f} s | {sum(f['in_flight'].values())} "
                      f"({', '.join(f'{k} {v}' for k, v in sorted(f['in_flight'].items())) or 'none'}) | {f['backlog']} | "
                      f"{'yes' if f['landed'] else '**no: idle system**'} | {f['recovery_s']:.1f} s |"
                      for f in result["faults"]] + [""]
            checks.append(("every fault landed in traffic (requests in flight, or the deadline storm under way)",
                           all(f["landed"] for f in result["faults"]),
                           f"{sum(f['landed'] for f in result['faults'])} of {len(result['faults'])}"))
        lines += ["## Checks (from the databases)", "", "| check | verdict | figures |", "| --- | --- | --- |"]
        lines += [f"| {name} | {'PASS' if ok else 'FAIL'} | {detail} |" for name, ok, detail in checks] + [""]
        png = REPORTS / f"{mode}-{stamp}.png"
        chart(rec, png, result["faults"])
        lines += [f"![throughput and latency over time]({png.name})", ""]
        report = REPORTS / f"{mode}-{stamp}.md"
        report.write_text("\n".join(lines), encoding="utf-8")
        print("\n".join(lines), flush=True)
        print(f"\nreport: {report}\nchart:  {png}", flush=True)
        if not all(ok for _, ok, _ in checks):
            raise SystemExit(1)
        return report
    finally:
        stack.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="exam_day", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["bench", "drill", "saves"])
    parser.add_argument("--candidates", type=int)
    parser.add_argument("--window", type=float, default=20.0, help="seconds over which the officials start")
    parser.add_argument("--time-limit", type=int, default=240,
                        help="the exam's time limit, seconds (>= 60): long enough for a loaded machine to let most finish")
    parser.add_argument("--faults", default="testbank,sessions,scoring,certificates,gateway,postgres,kafka",
                        help="drill: parts to kill -9 in turn")
    parser.add_argument("--fault-every", type=float, default=2.0,
                        help="drill: seconds at least between a part ready again and the next fault")
    parser.add_argument("--think", help="think time between answers, min,max seconds (bench 1,3; drill 2,5: the drill's "
                        "faults need officials at work long enough for every service to be killed among them)")
    parser.add_argument("--baseline-seconds", type=float, default=10.0)
    parser.add_argument("--paced", action="store_true",
                        help="bench: the paced exam day (officials spread over --window) instead of the storms")
    parser.add_argument("--in-flight", type=int, default=200, help="bench storms: requests in flight (Locust users)")
    parser.add_argument("--workers", type=int, default=2, help="bench storms: Locust worker processes (1: no master)")
    parser.add_argument("--paced-seconds", type=float, default=60.0, help="bench storms: the paced starts' spread")
    parser.add_argument("--deadline-after", type=float, default=420.0,
                        help="bench storms: seconds from the storms' start to the deadline exam's closing")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped from outside: still stop what it started
    candidates = args.candidates or (2000 if args.mode == "bench" else 300)
    faults = [f for f in args.faults.split(",") if f] if args.mode == "drill" else []
    think = tuple(float(x) for x in (args.think or ("2,5" if args.mode == "drill" else "1,3")).split(","))
    asyncio.run(run(args.mode, candidates, args.window, args.time_limit, faults, args.fault_every, think,  # type: ignore[arg-type]
                    args.baseline_seconds, paced=args.paced,
                    # the drill's deadline storm: 1 in 3 lets the time run out; the window closes for all at once
                    drill_storm={"close_after": args.window + 10 * think[1] + 30, "runs_out_every": 2},
                    storm_options={"in_flight": args.in_flight, "workers": args.workers,
                                   "paced_seconds": args.paced_seconds, "deadline_after": args.deadline_after}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
