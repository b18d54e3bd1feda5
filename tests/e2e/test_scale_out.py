"""Scale-out: two instances of each consuming service share the partitions of their consumer group; when
one is stopped mid-way the other takes its partitions over, and no attempt is lost or handled twice."""
from __future__ import annotations

import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx

from gramota.shared import topics
from tests.conftest import PORT_OFFSET, wait_until

from .conftest import make_candidate, make_exam, query

GIFT = "::scale:: Масштабирование {=верно ~неверно ~не знаю}\n"
CANDIDATES_PER_PHASE = 10
ATTEMPTS_PER_CANDIDATE = 10  # 2 phases x 10 candidates x 10 attempts = 200 attempts
WORKERS = 6
# the second instances: gRPC on the usual port + 10, metrics on ports of their own
EXTRA_GRPC_OFFSET = 10
EVENT_OF = {"scoring": topics.ATTEMPT_SUBMITTED, "certificates": topics.RESULT_SCORED}
METRICS_PORTS = {"scoring": 19103 + PORT_OFFSET, "certificates": 19104 + PORT_OFFSET}


def group_assignments(bootstrap: str, group: str, topic: str) -> list[set[int]]:
    """The partitions of `topic` each member of the consumer group holds, as the broker's group coordinator sees it."""
    from kafka import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        described = admin.describe_groups([group])[group]
    finally:
        admin.close()
    if described["group_state"] != "Stable":
        return []
    return [{p for a in (m["member_assignment"] or {}).get("assigned_partitions", []) if a["topic"] == topic
             for p in a["partitions"]} for m in described["members"]]


def shared_by_two(bootstrap: str, group: str, topic: topics.Topic) -> bool:
    held = group_assignments(bootstrap, group, topic.name)
    return len(held) == 2 and all(held) and set().union(*held) == set(range(topic.partitions))


def held_by_one(bootstrap: str, group: str, topic: topics.Topic) -> bool:
    held = group_assignments(bootstrap, group, topic.name)
    return len(held) == 1 and held[0] == set(range(topic.partitions))


def take_attempts(system, exam_id: str, headers: dict, passing: bool, submitted: list[str], lock: threading.Lock) -> None:
    """One candidate's attempts, one after another: start, answer, submit."""
    with httpx.Client(base_url=system.base_url, timeout=30) as client:
        for _ in range(ATTEMPTS_PER_CANDIDATE):
            r = client.post(f"/api/v1/exams/{exam_id}/attempts", headers=headers)
            assert r.status_code in (200, 201), r.text
            attempt = r.json()
            for q in attempt["questions"]:
                r = client.put(f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}", headers=headers,
                               json={"option_ids": ["o1" if passing else "o2"]})
                assert r.status_code == 200, r.text
            r = client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers)
            assert r.status_code == 202, r.text
            with lock:
                submitted.append(attempt["id"])


def push(system, pool: ThreadPoolExecutor, exam_id: str, people: list[dict], submitted: list[str],
         lock: threading.Lock) -> list:
    """Every candidate takes their attempts, several candidates at a time; even-numbered ones pass."""
    return [pool.submit(take_attempts, system, exam_id, h, i % 2 == 0, submitted, lock) for i, h in enumerate(people)]


def counts(system, attempts: list[str]) -> tuple[int, int]:
    results = query(system.database_url, "SELECT count(*) FROM scoring.results WHERE attempt_id = ANY($1::uuid[])", attempts)
    certs = query(system.database_url,
                  "SELECT count(*) FROM certificates.certificates WHERE attempt_id = ANY($1::uuid[])", attempts)
    return results[0][0], certs[0][0]


def partition_of(attempt_id: str, partitions: int) -> int:
    """The partition the producers' default partitioner (murmur2 of the key, as in Java) sends an attempt to."""
    from kafka.partitioner.default import murmur2

    return (murmur2(attempt_id.encode()) & 0x7FFFFFFF) % partitions


def scrape(port: int, metric: str, **labels: str) -> list[tuple[dict[str, str], float]]:
    """The samples of one metric on an instance's /metrics whose labels include `labels`."""
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    samples = []
    for name, body, value in re.findall(r"^(\w+)(?:\{(.*)\})? (\S+)$", text, re.M):
        have = dict(re.findall(r'(\w+)="([^"]*)"', body))
        if name == metric and labels.items() <= have.items():
            samples.append((have, float(value)))
    return samples


def handled(port: int, service: str) -> float:
    """Events of its own kind a consuming service handled (not duplicates, not ignored ones)."""
    return sum(v for _, v in scrape(port, "gramota_events_consumed_total", service=service, type=EVENT_OF[service],
                                    outcome="handled"))


def lag_partitions(port: int, topic: str) -> set[int]:
    """The partitions of `topic` an instance reports gramota_consumer_lag for."""
    return {int(labels["partition"]) for labels, _ in scrape(port, "gramota_consumer_lag", topic=topic)}


def test_two_instances_share_the_work_and_one_takes_over_when_the_other_dies(system, api, admin, kafka_bootstrap):
    tag = uuid.uuid4().hex[:6]
    exam = make_exam(api, admin, GIFT, f"Масштаб {tag}", pass_score=60)
    people = [make_candidate(api, admin, f"scale-{tag}-{i}") for i in range(2 * CANDIDATES_PER_PHASE)]
    groups = {"scoring": (topics.GROUP_SCORING, topics.ATTEMPTS), "certificates": (topics.GROUP_CERTIFICATES, topics.RESULTS)}
    extras = {name: system.start_extra(name, "b", EXTRA_GRPC_OFFSET, METRICS_PORTS[name]) for name in groups}
    lock = threading.Lock()
    try:
        # 1. both instances of each service hold partitions of the one consumer group
        for name, (group, topic) in groups.items():
            wait_until(lambda g=group, t=topic: shared_by_two(kafka_bootstrap, g, t), timeout=60, interval=0.5,
                       message=f"two {name} instances to share the {topic.partitions} partitions of {topic.name}")

        first: list[str] = []
        with ThreadPoolExecutor(WORKERS) as pool:
            for f in push(system, pool, exam["id"], people[:CANDIDATES_PER_PHASE], first, lock):
                f.result()
        expected = (len(first), len(first) // 2)
        assert expected == (100, 50)
        wait_until(lambda: counts(system, first) == expected, timeout=90, interval=0.5,
                   message=f"{expected[0]} results and {expected[1]} certificates from two instances of each")
        # each instance did part of the work: the second one counts what it handled on its own metrics port,
        # and the first one did the rest (every attempt is handled exactly once: see 3.)
        for name in groups:
            by_extra = wait_until(lambda n=name: handled(METRICS_PORTS[n], n), timeout=15,
                                  message=f"the second {name} instance to count what it handled")
            assert 0 < by_extra < len(first), f"{name}: the second instance handled {by_extra} of {len(first)}"
        # the partitions the second scoring instance holds: the ones it reports its lag for (only its own)
        orphaned = lag_partitions(METRICS_PORTS["scoring"], topics.ATTEMPTS.name)
        assert set() < orphaned < set(range(topics.ATTEMPTS.partitions)), orphaned

        # 2. stop one of each mid-way: kill -9 the extra scoring (no goodbye: its partitions move once the
        # group's session times out), SIGTERM the extra certificates (it leaves the group at once)
        second: list[str] = []
        with ThreadPoolExecutor(WORKERS) as pool:
            futures = push(system, pool, exam["id"], people[CANDIDATES_PER_PHASE:], second, lock)
            wait_until(lambda: len(second) >= 30, timeout=90, interval=0.2, message="30 attempts of the second batch")
            system.kill(extras["scoring"])
            submitted_before_the_kill = len(second)
            assert system.stop(extras["certificates"]) == 0
            for f in futures:
                f.result()
        assert len(second) == 100

        for name, (group, topic) in groups.items():
            wait_until(lambda g=group, t=topic: held_by_one(kafka_bootstrap, g, t), timeout=60, interval=0.5,
                       message=f"the remaining {name} instance to take all {topic.partitions} partitions of {topic.name}")
        everything = first + second
        wait_until(lambda: counts(system, everything) == (200, 100), timeout=120, interval=0.5,
                   message="200 results and 100 certificates after one instance of each was stopped")
    finally:
        for key in extras.values():
            if key in system.procs:
                system.kill(key)

    # 3. nothing lost, nothing twice: one result per attempt, one certificate per pass and none per fail
    rows = query(system.database_url, """
        SELECT r.attempt_id::text AS attempt, r.passed, count(DISTINCT r.id) AS results, count(c.attempt_id) AS certificates
        FROM scoring.results r LEFT JOIN certificates.certificates c ON c.attempt_id = r.attempt_id
        WHERE r.attempt_id = ANY($1::uuid[]) GROUP BY r.attempt_id, r.passed""", everything)
    assert len(rows) == 200
    assert all(r["results"] == 1 for r in rows)
    assert all(r["certificates"] == (1 if r["passed"] else 0) for r in rows)
    assert sum(r["passed"] for r in rows) == 100
    # the killed instance's partitions moved: attempts sent to them after the kill were scored all the same,
    # and the instance left was the only one there to score them
    after_kill = {a for a in second[submitted_before_the_kill:] if partition_of(a, topics.ATTEMPTS.partitions) in orphaned}
    assert after_kill, "no attempt went to the killed instance's partitions after the kill"
    assert after_kill <= {r["attempt"] for r in rows if r["results"] == 1}
