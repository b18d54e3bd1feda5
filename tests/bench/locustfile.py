"""The exam-day storms as a Locust scenario: one phase per run, each official's state carried in a plan file.

    GRAMOTA_PLAN=plan.json GRAMOTA_PHASE=login GRAMOTA_OUT=dir \
        locust -f tests/bench/locustfile.py --headless -u 200 -r 200 --host http://gateway [--processes 2]

`make bench` (tests/bench/exam_day.py) writes the plan (officials with their passwords; the two exams), runs the
phases one after the other and merges each phase's output into the plan for the next:

    login        every official logs in (POST /auth/token) from this one machine: the hall behind one address
    start        every official starts the deadline exam (whose window closes for everyone in the same second)
    start_paced  every official starts the second exam at a random moment within `paced_seconds`
    answer       every official answers three questions of each attempt (acknowledged answers are recorded)
    submit       every official submits the second attempt: the submit storm

The number of Locust users (`-u`) is the number of requests in flight: each user takes the next official of its
process from a queue until there is none left, then the process quits (and a master quits with its last worker).
Distributed: `locust --master --headless -u 200 -r 200 --expect-workers N ...` and N x `locust --worker
--master-host HOST` (each with the same GRAMOTA_* variables; GRAMOTA_WORKERS=N and a GRAMOTA_OUT every worker can
write to), or `--processes N` on one machine, as `make bench` does. Each worker serves the officials whose number
modulo N is its index. Every request is also recorded as (kind, start time, latency, outcome) in
GRAMOTA_OUT/<phase>-<pid>.jsonl, with what each official got (token, attempt, acknowledged answers).
"""
from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path
from urllib.parse import urlencode

import gevent
from gevent.queue import Empty, Queue
from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser
from locust.runners import WorkerRunner

PLAN = json.loads(Path(os.environ["GRAMOTA_PLAN"]).read_text(encoding="utf-8")) if os.environ.get("GRAMOTA_PLAN") else {}
PHASE = os.environ.get("GRAMOTA_PHASE", "login")
OUT = Path(os.environ.get("GRAMOTA_OUT", "."))
WORKERS = int(os.environ.get("GRAMOTA_WORKERS", "1"))
ANSWERS_PER_ATTEMPT = 3

_queue: Queue | None = None
_active = 0
_out = None
_phase_started = 0.0


def _officials(worker_index: int) -> Queue:
    q: Queue = Queue()
    for i, official in enumerate(PLAN.get("officials", [])):
        if i % WORKERS == worker_index:
            q.put((i, official))
    return q


def record(**line) -> None:
    global _out
    if _out is None:
        OUT.mkdir(parents=True, exist_ok=True)
        _out = open(OUT / f"{PHASE}-{os.getpid()}.jsonl", "a", encoding="utf-8", buffering=1)
    _out.write(json.dumps(line, ensure_ascii=False) + "\n")


@events.quitting.add_listener
def _close(**_kw) -> None:
    if _out is not None:
        _out.flush()


class Official(FastHttpUser):
    """One request in flight: officials of this process, one after the other."""

    network_timeout = 60.0
    connection_timeout = 60.0
    concurrency = 1
    wait_time = constant(0)

    def on_start(self) -> None:
        global _queue, _active, _phase_started
        if _queue is None:
            runner = self.environment.runner
            _queue = _officials(runner.worker_index if isinstance(runner, WorkerRunner) else 0)
            _phase_started = time.time()
        _active += 1

    def _timed(self, kind: str, method: str, url: str, **kw):
        started = time.time()
        t = time.perf_counter()
        try:
            r = self.client.request(method, url, name=kind, **kw)
            status = r.status_code
        except Exception as exc:  # a transport error: recorded, not raised
            r, status = None, 0
            record(kind=kind, at=started, latency=time.perf_counter() - t, outcome=type(exc).__name__)
            return None
        latency = time.perf_counter() - t
        outcome = "ok" if 200 <= status < 300 else f"HTTP {status} {_code(r)}".rstrip()
        record(kind=kind, at=started, latency=latency, outcome=outcome)
        return r if outcome == "ok" else None

    @task
    def next_official(self) -> None:
        global _active
        try:
            i, official = _queue.get_nowait()  # type: ignore[union-attr]
        except Empty:
            _active -= 1
            if _active == 0:  # this process has served all its officials
                gevent.spawn_later(0.1, self.environment.runner.quit)
            raise StopUser() from None
        getattr(self, f"phase_{PHASE}")(i, official)

    def _auth(self, official: dict) -> dict:
        return {"Authorization": f"Bearer {official['token']}"}

    def phase_login(self, i: int, official: dict) -> None:
        r = self._timed("login", "POST", "/api/v1/auth/token",
                        data=urlencode({"username": official["username"], "password": official["password"]}),
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
        if r is not None:
            record(official=i, token=r.json()["access_token"])

    def _start(self, kind: str, i: int, official: dict, exam_id: str) -> None:
        r = self._timed(kind, "POST", f"/api/v1/exams/{exam_id}/attempts", headers=self._auth(official))
        if r is not None:
            a = r.json()
            record(official=i, exam=exam_id, attempt={
                "id": a["id"], "questions": [{"id": q["id"], "options": [o["id"] for o in q["options"]]}
                                             for q in a["questions"]]})

    def phase_start(self, i: int, official: dict) -> None:
        self._start("start", i, official, PLAN["exam_deadline"])

    def phase_start_paced(self, i: int, official: dict) -> None:
        arrive = _phase_started + random.Random(i).uniform(0, PLAN.get("paced_seconds", 60))
        gevent.sleep(max(0.0, arrive - time.time()))
        self._start("start_paced", i, official, PLAN["exam_submit"])

    def phase_answer(self, i: int, official: dict) -> None:
        rng = random.Random(i)
        for exam_id, attempt in official.get("attempts", {}).items():
            acknowledged = {}
            for q in attempt["questions"][:ANSWERS_PER_ATTEMPT]:
                # the first option is the right one; officials are right about 70 % of the time
                option = q["options"][0] if rng.random() < 0.7 else q["options"][-1]
                r = self._timed("save", "PUT", f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}",
                                headers=self._auth(official), json={"option_ids": [option]})
                if r is not None:
                    acknowledged[q["id"]] = [option]
            record(official=i, exam=exam_id, acknowledged=acknowledged)

    def phase_submit(self, i: int, official: dict) -> None:
        attempt = official.get("attempts", {}).get(PLAN["exam_submit"])
        if attempt is None:
            return
        r = self._timed("submit", "POST", f"/api/v1/attempts/{attempt['id']}/submit", headers=self._auth(official))
        if r is not None:
            record(official=i, exam=PLAN["exam_submit"], submitted=True)


def _code(r) -> str:
    try:
        return str(json.loads(r.content).get("code", ""))
    except (ValueError, AttributeError, TypeError):
        return ""
