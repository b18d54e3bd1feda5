"""The shared event plumbing against the real PostgreSQL and Kafka: outbox relay and idempotent consumer."""
from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest

from gramota.contracts.events.v1 import events_pb2
from gramota.shared import db, outbox, topics
from gramota.shared.consumer import EventConsumer
from tests.conftest import eventually, group_caught_up, read_topic


@pytest.fixture
async def pool(schema_pools, tmp_path: Path):
    # a schema of its own per test, named like a service (the outbox notifies on the schema's channel)
    schema = f"it_{uuid.uuid4().hex[:8]}"
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_effects.sql").write_text(
        "CREATE TABLE effects (attempt_id text PRIMARY KEY, n int NOT NULL DEFAULT 1);")
    return await schema_pools(tmp_path, schema=schema), schema


def _submitted(attempt_id: str) -> events_pb2.AttemptSubmitted:
    return events_pb2.AttemptSubmitted(attempt_id=attempt_id, exam_id=str(uuid.uuid4()))


async def test_migrations_are_applied_once_even_when_run_concurrently(database_url, tmp_path):
    schema = f"it_{uuid.uuid4().hex[:8]}"
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_t.sql").write_text("CREATE TABLE t (id int);")
    runs = await asyncio.gather(*(db.migrate(database_url, schema, tmp_path) for _ in range(4)))
    assert sorted(len(r) for r in runs) == [0, 0, 0, 2]  # shared outbox/inbox + the service's own, once


async def test_only_committed_events_are_published_and_the_outbox_empties(pool, topics_ready):
    p, schema = pool
    committed, rolled_back = str(uuid.uuid4()), str(uuid.uuid4())
    async with p.acquire() as conn, conn.transaction():
        await outbox.enqueue(conn, topics.ATTEMPT_SUBMITTED, _submitted(committed), aggregate_id=committed, producer=schema)
    with pytest.raises(RuntimeError):
        async with p.acquire() as conn, conn.transaction():
            await outbox.enqueue(conn, topics.ATTEMPT_SUBMITTED, _submitted(rolled_back), aggregate_id=rolled_back,
                                 producer=schema)
            raise RuntimeError("the business change failed")

    relay = outbox.OutboxRelay(p, topics_ready, schema)
    task = asyncio.create_task(relay.run())
    await eventually(lambda: p.fetchval("SELECT count(*) = 0 FROM outbox"))
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await relay.stop()

    records = await asyncio.get_running_loop().run_in_executor(None, read_topic, topics_ready, topics.ATTEMPTS.name)
    keys = {r.key for r in records}
    assert committed.encode() in keys and rolled_back.encode() not in keys


async def test_consumer_applies_each_event_once_and_retries_a_failing_handler(pool, topics_ready):
    p, schema = pool
    group = f"it-{uuid.uuid4().hex[:8]}"
    failures = {"left": 2}

    async def handle(delivery):
        if failures["left"] > 0:  # a transient failure: nothing committed, the event comes again
            failures["left"] -= 1
            raise ConnectionError("database went away")
        async with delivery.effect() as conn:
            await conn.execute("INSERT INTO effects (attempt_id) VALUES ($1) ON CONFLICT (attempt_id) DO UPDATE SET n = effects.n + 1",
                               delivery.payload.attempt_id)

    consumer = EventConsumer(service=schema, kafka=topics_ready, group_id=group, topics=[topics.ATTEMPTS.name],
                             handlers={topics.ATTEMPT_SUBMITTED: handle}, pool=p)
    consumer.start()
    try:
        attempt = str(uuid.uuid4())
        from kafka import KafkaProducer

        from gramota.shared.events import envelope

        env = envelope(topics.ATTEMPT_SUBMITTED, _submitted(attempt), aggregate_id=attempt, producer="test")
        producer = KafkaProducer(bootstrap_servers=topics_ready, acks="all", enable_idempotence=True)
        for _ in range(3):  # the same event delivered three times
            producer.send(topics.ATTEMPTS.name, key=attempt.encode(), value=env.SerializeToString())
        producer.send(topics.ATTEMPTS.name, key=attempt.encode(), value=b"not a protobuf envelope")
        producer.flush()
        producer.close()
        await eventually(lambda: p.fetchval("SELECT n FROM effects WHERE attempt_id = $1", attempt))
        await eventually(lambda: p.fetchval("SELECT count(*) FROM dead_letters"))
        loop = asyncio.get_running_loop()
        await eventually(lambda: loop.run_in_executor(None, group_caught_up, topics_ready, group, topics.ATTEMPTS.name))
        assert await p.fetchval("SELECT n FROM effects WHERE attempt_id = $1", attempt) == 1
        assert failures["left"] == 0
        assert "not an Envelope" in await p.fetchval("SELECT reason FROM dead_letters")
    finally:
        await consumer.stop()


async def test_a_slow_event_does_not_hold_back_other_partitions_and_each_partition_keeps_its_order(pool, topics_ready):
    """One poll's partitions are handled side by side: on exam day a slow scoring of one attempt must not queue the
    results of every other partition behind it, while an attempt's own events (one partition) stay in order."""
    from kafka import KafkaProducer
    from kafka.admin import KafkaAdminClient, NewTopic

    from gramota.shared.events import envelope

    p, schema = pool
    topic = f"it-partitions-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=topics_ready)
    admin.create_topics([NewTopic(topic, num_partitions=2, replication_factor=1)])
    admin.close()
    slow, after_slow = "slow-" + uuid.uuid4().hex[:6], "after-" + uuid.uuid4().hex[:6]
    others = [f"other{i}-" + uuid.uuid4().hex[:6] for i in range(3)]
    producer = KafkaProducer(bootstrap_servers=topics_ready, acks="all", enable_idempotence=True)
    for partition, ids in ((0, [slow, after_slow]), (1, others)):
        for attempt in ids:
            env = envelope(topics.ATTEMPT_SUBMITTED, _submitted(attempt), aggregate_id=attempt, producer="test")
            producer.send(topic, key=attempt.encode(), value=env.SerializeToString(), partition=partition)
    producer.flush()
    producer.close()

    handled: list[str] = []
    others_done = asyncio.Event()
    waited_for_others: dict[str, bool] = {}

    async def handle(delivery):
        attempt = delivery.payload.attempt_id
        if attempt == slow:  # e.g. a scoring that waits on a slow test bank
            try:
                await asyncio.wait_for(others_done.wait(), timeout=15)
                waited_for_others[attempt] = True
            except TimeoutError:
                waited_for_others[attempt] = False
        handled.append(attempt)
        if attempt == others[-1]:
            others_done.set()

    consumer = EventConsumer(service=schema, kafka=topics_ready, group_id=f"it-{uuid.uuid4().hex[:8]}", topics=[topic],
                             handlers={topics.ATTEMPT_SUBMITTED: handle}, pool=p)
    async def all_handled() -> bool:
        return len(handled) == 5

    consumer.start()
    try:
        await eventually(all_handled, timeout=40)
    finally:
        await consumer.stop()
    assert waited_for_others == {slow: True}, "the other partition's events were not handled while one was slow"
    assert [a for a in handled if a in others] == others  # a partition's own order
    assert handled.index(slow) < handled.index(after_slow)


async def test_a_batched_consumer_killed_in_the_middle_of_a_batch_loses_and_doubles_nothing(pool, database_url, topics_ready,
                                                                                           tmp_path):
    """Each poll in one transaction with a multi-row statement; the process is killed -9 while a batch's transaction
    is open (after earlier batches committed), then started again: every event's effect is there exactly once."""
    import os
    import signal
    import subprocess
    import sys

    from kafka import KafkaProducer
    from kafka.admin import KafkaAdminClient, NewTopic

    from gramota.shared.events import envelope
    from tests.conftest import ROOT

    p, schema = pool
    await p.execute("DROP TABLE effects; CREATE TABLE effects (attempt_id text NOT NULL)")  # no key: doubles would show
    topic = f"it-batches-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=topics_ready)
    admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1)])
    admin.close()
    attempts = [f"a{i}-{uuid.uuid4().hex[:6]}" for i in range(600)]
    producer = KafkaProducer(bootstrap_servers=topics_ready, acks="all", enable_idempotence=True)
    for attempt in attempts:
        env = envelope(topics.ATTEMPT_SUBMITTED, _submitted(attempt), aggregate_id=attempt, producer="test")
        producer.send(topic, key=attempt.encode(), value=env.SerializeToString())
    producer.flush()
    producer.close()

    group, marker = f"it-{uuid.uuid4().hex[:8]}", tmp_path / "inside"
    args = [sys.executable, "-m", "tests.integration.batch_consumer_child", database_url, schema, topics_ready, topic, group,
            str(marker)]

    def start() -> subprocess.Popen:
        return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    async def effects() -> int:
        return await p.fetchval("SELECT count(*) FROM effects")

    child = start()
    try:
        # a batch committed and a later one open: kill it there
        async def in_a_later_batch() -> bool:
            return (await effects()) > 0 and marker.exists() and int(marker.read_text().split()[0]) >= 2
        await eventually(in_a_later_batch, timeout=90)
        committed_before = await effects()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
        assert 0 < committed_before < len(attempts)
        batch_size = int(marker.read_text().split()[1])
        assert batch_size > 1
        marker.unlink()

        child = start()
        await eventually(lambda: p.fetchval("SELECT count(DISTINCT attempt_id) = $1 FROM effects", len(attempts)),
                         timeout=120)
        await eventually(lambda: asyncio.to_thread(group_caught_up, topics_ready, group, topic), timeout=60)
    finally:
        child.kill()
        child.wait(timeout=10)
    rows = await p.fetch("SELECT attempt_id, count(*) AS n FROM effects GROUP BY attempt_id")
    assert {r["attempt_id"] for r in rows} == set(attempts)
    assert max(r["n"] for r in rows) == 1, "an event's effect was applied twice"
    assert await p.fetchval("SELECT count(*) FROM inbox") == len(attempts)
