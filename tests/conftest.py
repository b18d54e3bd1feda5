"""Test infrastructure: one real PostgreSQL and one real Kafka broker per test run (not per test).

The servers are the project's own (deploy/local/*.sh) in a state directory of their own and on ports of
their own, so a `make run` on the same machine is left alone. DATABASE_URL / KAFKA_BOOTSTRAP given in
the environment are used instead. Every wait polls with a deadline.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# shifts every port the tests use, so several suites (or a benchmark) can run side by side
PORT_OFFSET = int(os.environ.get("GRAMOTA_TEST_PORT_OFFSET", "0"))
STATE = ROOT / ".run" / ("test" if PORT_OFFSET == 0 else f"test-{PORT_OFFSET}")
ENV = {
    **os.environ,
    "GRAMOTA_STATE_DIR": str(STATE),
    "GRAMOTA_PG_PORT": str(55433 + PORT_OFFSET),
    "GRAMOTA_KAFKA_PORT": str(59094 + PORT_OFFSET),
    "GRAMOTA_KAFKA_CONTROLLER_PORT": str(59095 + PORT_OFFSET),
}


def _script(*args: str) -> str:
    done = subprocess.run([str(ROOT / "deploy" / "local" / args[0]), *args[1:]], env=ENV, capture_output=True,
                          text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr}")
    return done.stdout.strip()


def wait_until(predicate, timeout: float = 30, interval: float = 0.1, message: str = "condition"):
    """Poll `predicate` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # the thing polled may not be up yet
            last_error = exc
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}" + (f" (last error: {last_error})" if last_error else ""))


async def eventually(predicate, timeout: float = 90, interval: float = 0.05):
    """The async wait_until: await `predicate()` until it returns something truthy, or fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = await predicate()
        if value:
            return value
        await asyncio.sleep(interval)
    raise AssertionError(f"not true within {timeout}s")


@contextlib.contextmanager
def acting_as(role: str, user_id: str = "someone"):
    """In-process service calls made as if the gateway forwarded this signed-in user (the signed identity)."""
    from gramota.shared.grpc_runtime import Identity, identity

    token = identity.set(Identity(user_id, role))
    try:
        yield
    finally:
        identity.reset(token)


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    if os.environ.get("KAFKA_BOOTSTRAP"):
        yield os.environ["KAFKA_BOOTSTRAP"]
        return
    # a fresh broker per run: no events left over from an earlier run
    _script("kafka.sh", "stop")
    subprocess.run(["rm", "-rf", str(STATE / "kafka" / "data")], check=True)
    yield _script("kafka.sh", "start")
    _script("kafka.sh", "stop")


@pytest.fixture(scope="session")
def postgres_server() -> None:
    if os.environ.get("DATABASE_URL"):
        yield
        return
    _script("postgres.sh", "start")
    yield
    _script("postgres.sh", "stop")


def fresh_database(name: str) -> str:
    if os.environ.get("DATABASE_URL"):
        base = os.environ["DATABASE_URL"]
        import asyncio

        import asyncpg

        async def create() -> None:
            conn = await asyncpg.connect(base)
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{name}"')
            await conn.close()

        asyncio.run(create())
        return base.rsplit("/", 1)[0] + "/" + name
    return _script("postgres.sh", "createdb", name)


@pytest.fixture(scope="session")
def database_url(postgres_server) -> str:
    """A database for in-process integration tests (the system under e2e test has its own)."""
    return fresh_database("gramota_it")


@pytest.fixture(scope="session")
def topics_ready(kafka_bootstrap) -> str:
    from gramota.shared.topics import ensure_topics

    wait_until(lambda: ensure_topics(kafka_bootstrap) is not None, timeout=60, message="Kafka to create topics")
    return kafka_bootstrap


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:8]


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = str(item.fspath)
        if f"{os.sep}integration{os.sep}" in path:
            item.add_marker(pytest.mark.integration)
        if f"{os.sep}e2e{os.sep}" in path:
            item.add_marker(pytest.mark.e2e)


def group_caught_up(bootstrap: str, group: str, topic: str) -> bool:
    """True when the group's committed offsets have reached the end of every partition of the topic."""
    from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        committed = admin.list_group_offsets({group: None}).get(group, {})
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        ends = consumer.end_offsets(parts)
        return all((committed[tp].offset if tp in committed else 0) >= end for tp, end in ends.items())
    finally:
        consumer.close()
        admin.close()


def read_topic(bootstrap: str, topic: str, timeout: float = 30) -> list:
    """Every record now on the topic (reads up to the end offsets it saw at the start, with a deadline)."""
    from kafka import KafkaConsumer, TopicPartition

    reader = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    try:
        parts = [TopicPartition(topic, p) for p in wait_until(lambda: reader.partitions_for_topic(topic), timeout=timeout)]
        reader.assign(parts)
        reader.seek_to_beginning(*parts)
        ends = reader.end_offsets(parts)
        records: list = []
        deadline = time.monotonic() + timeout
        while any(reader.position(tp) < end for tp, end in ends.items()):
            if time.monotonic() > deadline:
                raise AssertionError(f"could not read {topic} to its end within {timeout}s")
            for batch in reader.poll(timeout_ms=200).values():
                records.extend(batch)
        return records
    finally:
        reader.close()
