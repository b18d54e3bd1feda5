"""Exam day as it really happens (`make bench`): the storms of tests/bench/locustfile.py, driven phase by phase with
Locust (headless; `--workers N` runs it as a master and N workers), each figure beside a baseline from the same run.

    login storm     N officials log in at once from one address (real passwords, Argon2id): refused, logins/s, and
                    logins/s per core beside a bare argon2-cffi verify loop at the same cost on one core
    start storm     N officials start the deadline exam, `in_flight` requests at once: p50, p99, p99/p50
    paced starts    N officials start a second exam spread over `paced_seconds`: p50, p99
    submit storm    N officials submit the second exam, `in_flight` at once: submits/s
    deadline storm  the deadline exam's window closes for everyone in the same second: the sweeper submits all N;
                    deadline -> result and -> certificate p50/p99

Then the same checks as the paced exam day: every acknowledged answer stored, every attempt submitted and scored
once, one valid certificate per pass, outboxes empty, no dead letters.
"""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import ROOT

MASTER_PORT = 18120 + int(os.environ.get("GRAMOTA_TEST_PORT_OFFSET", "900"))
PHASES = ("login", "start", "start_paced", "answer", "submit")
PASSWORD = "exam-day-password"


def bare_argon2_per_core(seconds: float = 5.0) -> float:
    """Verifies per second of argon2-cffi alone, on one thread, at the gateway's cost."""
    from gramota.gateway.passwords import hash_password, verify_password

    stored = hash_password(PASSWORD)
    done, stop_at = 0, time.monotonic() + seconds
    started = time.monotonic()
    while time.monotonic() < stop_at:
        assert verify_password(stored, PASSWORD)
        done += 1
    return done / (time.monotonic() - started)


async def create_officials(database_url: str, count: int) -> list[dict]:
    """`count` candidates with a real password (hashed once, at the gateway's cost), written with COPY."""
    import asyncpg

    from gramota.gateway.passwords import hash_password

    stored = hash_password(PASSWORD)
    districts = [("Северо-Кавказский федеральный округ", "Республика Дагестан"),
                 ("Южный федеральный округ", "Ростовская область"),
                 ("Приволжский федеральный округ", "Республика Татарстан")]
    rows, officials = [], []
    tag = uuid.uuid4().hex[:6]
    for i in range(count):
        fd, region = districts[i % len(districts)]
        user_id, username = uuid.uuid4(), f"hall-{tag}-{i}"
        rows.append((user_id, username, stored, f"Служащий {i}", "candidate", fd, region, f"Администрация {i % 40}"))
        officials.append({"user_id": str(user_id), "username": username, "password": PASSWORD})
    conn = await asyncpg.connect(database_url)
    try:
        await conn.copy_records_to_table("users", schema_name="gateway", records=rows, columns=[
            "id", "username", "password_hash", "full_name", "role", "federal_district", "region", "organization"])
    finally:
        await conn.close()
    return officials


def run_phase(phase: str, plan: dict, base_url: str, out: Path, in_flight: int, workers: int, limit_s: float) -> float:
    """One Locust run of `phase`; merges what each official got into `plan`; returns the phase's wall time."""
    plan_file = out / f"plan-{phase}.json"
    plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    locust = [sys.executable, "-m", "locust", "-f", str(ROOT / "tests" / "bench" / "locustfile.py")]
    cmd = locust + ["--headless", "-u", str(in_flight), "-r", str(in_flight), "--host", base_url, "--only-summary",
                    "--loglevel", "WARNING", "--stop-timeout", "30", "--run-time", f"{int(limit_s)}s"]
    port = str(MASTER_PORT)
    if workers > 1:  # a master and its workers, as against a staging cluster (`--processes` ignores the port given)
        cmd += ["--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", port, "--expect-workers", str(workers)]
    env = {**os.environ, "GRAMOTA_PLAN": str(plan_file), "GRAMOTA_PHASE": phase, "GRAMOTA_OUT": str(out),
           "GRAMOTA_WORKERS": str(max(1, workers))}
    log = open(out / f"locust-{phase}.log", "ab")
    started = time.monotonic()
    master = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
    helpers = [subprocess.Popen(locust + ["--worker", "--master-host", "127.0.0.1", "--master-port", port, "--loglevel", "WARNING"],
                                env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
               for _ in range(workers if workers > 1 else 0)]
    try:
        master.wait(timeout=limit_s + 120)
        for w in helpers:
            w.wait(timeout=60)
    finally:
        for proc in [master, *helpers]:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    took = time.monotonic() - started
    for line in read_lines(out, phase):
        if "official" not in line:
            continue
        o = plan["officials"][line["official"]]
        if "token" in line:
            o["token"] = line["token"]
        if "attempt" in line:
            o.setdefault("attempts", {})[line["exam"]] = line["attempt"]
        if "acknowledged" in line:
            o.setdefault("acknowledged", {})[line["exam"]] = line["acknowledged"]
        if line.get("submitted"):
            o.setdefault("submitted", []).append(line["exam"])
    return took


def read_lines(out: Path, phase: str) -> list[dict]:
    lines = []
    for f in sorted(out.glob(f"{phase}-*.jsonl")):
        lines += [json.loads(x) for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
    return lines


def samples(out: Path, phase: str) -> list[dict]:
    return [x for x in read_lines(out, phase) if "kind" in x]


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def _per_s(ok: list[dict]) -> float:
    if len(ok) < 2:
        return float("nan")
    span = max(s["at"] + s["latency"] for s in ok) - min(s["at"] for s in ok)
    return len(ok) / span if span > 0 else float("nan")


class CpuSampler:
    """The machine's load while a phase runs (the machine is shared: the figures say under what load they were taken)."""

    def __init__(self) -> None:
        self.loads: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(2.0):
            self.loads.append(os.getloadavg()[0])

    def __enter__(self) -> "CpuSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()


async def run_storms(stack, client, admin: dict, n: int, *, in_flight: int, workers: int, paced_seconds: float,
                     deadline_after: float, out: Path) -> dict:
    """The five phases and the deadline storm; returns the figures and the officials (for the checks)."""
    from tests.bench.exam_day import create_exam, db

    out.mkdir(parents=True, exist_ok=True)
    print("bare Argon2 verify loop (one core) ...", flush=True)
    bare = bare_argon2_per_core()
    closes_at = datetime.now(UTC) + timedelta(seconds=deadline_after)
    exam_deadline = await create_exam(client, admin, f"Экзамен: время выходит у всех сразу {uuid.uuid4().hex[:6]}", 3600,
                                      settings={"closes_at": closes_at.isoformat()})
    exam_submit = await create_exam(client, admin, f"Экзамен: все сдают разом {uuid.uuid4().hex[:6]}", 3600)
    plan = {"officials": await create_officials(stack.database_url, n), "exam_deadline": exam_deadline["id"],
            "exam_submit": exam_submit["id"], "paced_seconds": paced_seconds}
    took, loads = {}, {}
    for phase in PHASES:
        print(f"  {phase} ({n} officials, {in_flight} in flight, {workers} Locust worker(s)) ...", flush=True)
        with CpuSampler() as cpu:
            took[phase] = run_phase(phase, plan, stack.system.base_url, out, in_flight, workers,
                                    limit_s=max(300, 4 * paced_seconds))
        loads[phase] = max(cpu.loads, default=os.getloadavg()[0])
        ok = [s for s in samples(out, phase) if s["outcome"] == "ok"]
        print(f"    {len(ok)} ok in {took[phase]:.0f} s", flush=True)
    late = (datetime.now(UTC) - closes_at).total_seconds()
    print(f"  deadline storm: the window closes at {closes_at:%H:%M:%S} "
          f"({'in ' + format(-late, '.0f') + ' s' if late < 0 else format(late, '.0f') + ' s ago: the phases overran'})",
          flush=True)
    if late < 0:
        await asyncio.sleep(-late)
    deadline_ids = [o["attempts"][exam_deadline["id"]]["id"] for o in plan["officials"]
                    if exam_deadline["id"] in o.get("attempts", {})]
    return {"plan": plan, "bare_argon2": bare, "took": took, "loads": loads, "out": out, "closes_at": closes_at,
            "deadline_ids": deadline_ids, "exam_deadline": exam_deadline["id"], "exam_submit": exam_submit["id"],
            "overran_s": max(0.0, late), "db": db}


async def deadline_latencies(stack, exam_id: str) -> dict:
    from tests.bench.exam_day import db

    rows = await db(stack.database_url, """
        SELECT extract(epoch FROM r.scored_at - a.deadline) AS to_result,
               extract(epoch FROM c.issued_at - a.deadline) AS to_certificate, a.deadline, a.submitted_at
        FROM sessions.attempts a JOIN scoring.results r ON r.attempt_id = a.id
        LEFT JOIN certificates.certificates c ON c.attempt_id = a.id
        WHERE a.exam_id = $1 AND a.auto_submitted
        """, uuid.UUID(exam_id))
    deadlines = [r["deadline"] for r in rows]
    return {"to_result": [float(r["to_result"]) for r in rows],
            "to_certificate": [float(r["to_certificate"]) for r in rows if r["to_certificate"] is not None],
            "deadline_spread_s": (max(deadlines) - min(deadlines)).total_seconds() if deadlines else float("nan"),
            "stamped_at_deadline": sum(r["submitted_at"] == r["deadline"] for r in rows), "auto_submitted": len(rows)}


def report(storm: dict, deadline: dict, baselines: dict, cores: int) -> list[str]:
    """The storms' table, each figure beside its baseline from the same run."""
    out, n = storm["out"], len(storm["plan"]["officials"])
    by_phase = {p: samples(out, p) for p in PHASES}
    ok = {p: [s for s in v if s["outcome"] == "ok"] for p, v in by_phase.items()}
    refused = {p: sum(1 for s in v if s["outcome"] != "ok") for p, v in by_phase.items()}
    lat = {p: [s["latency"] for s in v] for p, v in ok.items()}
    logins = _per_s(ok["login"])
    per_core = logins / cores
    insert = baselines["insert"]
    ins_p50 = _pct(insert.latencies, 50)
    submits = _per_s(ok["submit"])
    floor = n / insert.per_s  # the bare INSERT endpoint's time for one trivial write per attempt
    p50s, p99s = _pct(lat["start"], 50), _pct(lat["start"], 99)

    def ms(v: float) -> str:
        return f"{v * 1000:.0f} ms" if v < 10 else f"{v:.1f} s"

    errors: dict[str, int] = {}
    for p, v in by_phase.items():
        for s in v:
            if s["outcome"] != "ok":
                errors[f"{p}: {s['outcome']}"] = errors.get(f"{p}: {s['outcome']}", 0) + 1
    return [
        "## Exam day as it really happens: the storms (Locust)", "",
        f"{n} officials, {storm.get('in_flight', 200)} requests in flight, Locust on the same {cores} cores as the "
        f"system (its CPU is taken from the system's). Machine load (1-min average, max over each phase): "
        + ", ".join(f"{p} {storm['loads'][p]:.1f}" for p in PHASES) + ".", "",
        "| figure | Gramota | baseline (same run) | ratio |", "| --- | --- | --- | --- |",
        f"| login storm: {n} from one address, refused | {refused['login']} | | |",
        f"| … logins/s ({len(ok['login'])} in {storm['took']['login']:.0f} s) | {logins:.1f}/s | | |",
        f"| … logins/s per core vs bare argon2-cffi verify loop, one core (same cost) | {per_core:.1f}/s | "
        f"{storm['bare_argon2']:.1f}/s | {per_core / storm['bare_argon2']:.2f} |",
        f"| start storm: {len(ok['start'])} starts, p50 | {ms(p50s)} | bare INSERT p50 (200 concurrent) {ms(ins_p50)} | "
        f"{p50s / ins_p50:.1f} |",
        f"| … p99; p99/p50 | {ms(p99s)} | | **{p99s / p50s:.1f}** |",
        f"| … starts/s | {_per_s(ok['start']):.0f}/s | bare INSERT {insert.per_s:.0f}/s | {_per_s(ok['start']) / insert.per_s:.2f} |",
        f"| paced starts ({len(ok['start_paced'])} over {storm['plan']['paced_seconds']:.0f} s): p50 / p99 | "
        f"{ms(_pct(lat['start_paced'], 50))} / **{ms(_pct(lat['start_paced'], 99))}** | | |",
        f"| answer saves ({len(ok['answer'])}): saves/s; p50 / p99 | {_per_s(ok['answer']):.0f}/s; "
        f"{ms(_pct(lat['answer'], 50))} / {ms(_pct(lat['answer'], 99))} | bare INSERT {insert.per_s:.0f}/s | "
        f"{_per_s(ok['answer']) / insert.per_s:.2f} |",
        f"| submit storm: {len(ok['submit'])} submits, submits/s | **{submits:.0f}/s** | bare INSERT {insert.per_s:.0f}/s | "
        f"{submits / insert.per_s:.2f} |",
        f"| deadline storm: {deadline['auto_submitted']} auto-submitted (deadlines within {deadline['deadline_spread_s']:.1f} s, "
        f"{deadline['stamped_at_deadline']} stamped at their deadline); deadline → result p50 / p99 | "
        f"{ms(_pct(deadline['to_result'], 50))} / {ms(_pct(deadline['to_result'], 99))} | "
        f"{n} bare INSERTs take {ms(floor)} | {_pct(deadline['to_result'], 99) / floor:.1f} |",
        f"| … deadline → certificate p50 / p99 ({len(deadline['to_certificate'])} passes) | "
        f"{ms(_pct(deadline['to_certificate'], 50))} / **{ms(_pct(deadline['to_certificate'], 99))}** | "
        f"{ms(floor)} | {_pct(deadline['to_certificate'], 99) / floor:.1f} |",
        "",
        "Errors by phase: " + (", ".join(f"{k} ×{v}" for k, v in sorted(errors.items())) or "none")
        + (f". The phases overran the deadline by {storm['overran_s']:.0f} s." if storm["overran_s"] else "."), "",
    ]


def officials_for_checks(plan: dict, exam_ids: list[str]):
    """One `exam_day.Official` per attempt (each with what was acknowledged in it), for `exam_day.check`."""
    from tests.bench.exam_day import Official

    out = []
    for o in plan["officials"]:
        for exam_id in exam_ids:
            attempt = o.get("attempts", {}).get(exam_id)
            if attempt is not None:
                out.append(Official(o["user_id"], o.get("token", ""), "storm", 0.7, attempt_id=attempt["id"],
                                    acknowledged=o.get("acknowledged", {}).get(exam_id, {}),
                                    submitted=exam_id in o.get("submitted", [])))
    return out


def recorder(out: Path):
    """Every phase's requests as an `exam_day.Recorder` (for the chart)."""
    from tests.bench.exam_day import Recorder, Sample

    all_samples = [s for p in PHASES for s in samples(out, p)]
    rec = Recorder()
    t0 = min((s["at"] for s in all_samples), default=time.time())
    kinds = {"login": "start", "start_paced": "start"}  # the chart draws starts, saves and submits
    rec.samples = [Sample(s["at"] - t0, kinds.get(s["kind"], s["kind"]), s["latency"], s["outcome"]) for s in all_samples]
    return rec
