"""A killed process loses nothing, and a redelivered event makes no second effect."""
from __future__ import annotations

import uuid

from gramota.shared import topics
from tests.conftest import group_caught_up, read_topic, wait_until

from .conftest import make_candidate, make_exam, query

GIFT = """
::k1:: Первый вопрос {=верно ~неверно ~не знаю}

::k2:: Второй вопрос {=верно ~неверно ~не знаю}
"""


def _take(api, headers, exam_id: str, right: bool) -> str:
    attempt = api.post(f"/api/v1/exams/{exam_id}/attempts", headers=headers).json()
    for q in attempt["questions"]:
        option = "o1" if right else "o2"
        r = api.put(f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}", headers=headers, json={"option_ids": [option]})
        assert r.status_code == 200, r.text
    return attempt["id"]


def test_killing_scoring_while_attempts_are_submitted_loses_no_result_and_makes_no_second_certificate(system, api, admin):
    tag = uuid.uuid4().hex[:6]
    exam = make_exam(api, admin, GIFT, f"Устойчивость {tag}")
    people = [make_candidate(api, admin, f"kill-{tag}-{i}") for i in range(10)]
    attempts = [_take(api, h, exam["id"], right=(i % 2 == 0)) for i, h in enumerate(people)]

    for h, a in zip(people[:4], attempts[:4]):
        assert api.post(f"/api/v1/attempts/{a}/submit", headers=h).status_code == 202
    system.kill("scoring")  # kill -9, possibly in the middle of scoring the first ones
    for h, a in zip(people[4:], attempts[4:]):
        assert api.post(f"/api/v1/attempts/{a}/submit", headers=h).status_code == 202
    system.start("scoring")

    def all_done():
        results = query(system.database_url, "SELECT count(*) FROM scoring.results WHERE attempt_id = ANY($1::uuid[])", attempts)
        certs = query(system.database_url, "SELECT count(*) FROM certificates.certificates WHERE attempt_id = ANY($1::uuid[])", attempts)
        return results[0][0] == 10 and certs[0][0] == 5

    wait_until(all_done, timeout=90, interval=0.3, message="10 results and 5 certificates after the restart")
    per_attempt = query(system.database_url,
                        "SELECT attempt_id, count(*) AS n FROM scoring.results WHERE attempt_id = ANY($1::uuid[]) GROUP BY attempt_id",
                        attempts)
    assert {r["n"] for r in per_attempt} == {1} and len(per_attempt) == 10
    for i, (h, a) in enumerate(zip(people, attempts)):
        got = api.get(f"/api/v1/attempts/{a}", headers=h).json()
        assert got["status"] == "scored" and got["passed"] is (i % 2 == 0)
        assert (got["certificate_serial"] is not None) is (i % 2 == 0)


def test_redelivered_events_make_no_second_result_or_certificate(system, api, admin, kafka_bootstrap):
    from kafka import KafkaProducer

    tag = uuid.uuid4().hex[:6]
    exam = make_exam(api, admin, GIFT, f"Повтор {tag}")
    h = make_candidate(api, admin, f"dup-{tag}")
    attempt = _take(api, h, exam["id"], right=True)
    api.post(f"/api/v1/attempts/{attempt}/submit", headers=h)
    wait_until(lambda: api.get(f"/api/v1/attempts/{attempt}", headers=h).json()["certificate_serial"], timeout=60,
               message="the certificate")

    # read back every event this attempt produced and publish each one again, twice
    mine = [(topic, r.key, r.value) for topic in (topics.ATTEMPTS.name, topics.RESULTS.name)
            for r in read_topic(kafka_bootstrap, topic) if r.key == attempt.encode()]
    assert {t for t, *_ in mine} == {topics.ATTEMPTS.name, topics.RESULTS.name}
    producer = KafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all", enable_idempotence=True)
    for _ in range(2):
        for topic, key, value in mine:
            producer.send(topic, key=key, value=value)
    producer.flush()
    producer.close()

    # the consumers have seen the copies once their committed offsets reach the end of the partitions
    wait_until(lambda: group_caught_up(kafka_bootstrap, topics.GROUP_SCORING, topics.ATTEMPTS.name), timeout=60,
               message="scoring to catch up")
    wait_until(lambda: group_caught_up(kafka_bootstrap, topics.GROUP_CERTIFICATES, topics.RESULTS.name), timeout=60,
               message="certificates to catch up")
    assert query(system.database_url, "SELECT count(*) FROM scoring.results WHERE attempt_id = $1::uuid", attempt)[0][0] == 1
    assert query(system.database_url, "SELECT count(*) FROM certificates.certificates WHERE attempt_id = $1::uuid", attempt)[0][0] == 1
