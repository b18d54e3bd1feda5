"""Transactional outbox: events are written with the business rows and relayed to Kafka after commit.

`enqueue` must be called inside the caller's transaction. The relay takes committed rows in id order
(FOR UPDATE SKIP LOCKED, so replicas never publish the same row twice at once), sends them with an
idempotent acks=all producer, waits for every acknowledgement, and only then deletes them. A crash
between send and delete re-sends: consumers de-duplicate on the event id.
"""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

import asyncpg
from google.protobuf import message

from . import events, metrics, topics
from .wakeup import Wakeup, run_woken

log = logging.getLogger(__name__)


def notify_channel(schema: str) -> str:
    return f"gramota_outbox_{schema}"


async def enqueue(conn: asyncpg.Connection, event_type: str, payload: message.Message, *,
                  aggregate_id: str, producer: str) -> str:
    env = events.envelope(event_type, payload, aggregate_id=aggregate_id, producer=producer)
    # one round trip; the notification is delivered at commit, so the relay wakes exactly when there is something
    await conn.execute(
        "WITH queued AS (INSERT INTO outbox (event_id, topic, key, payload) VALUES ($1, $2, $3, $4))"
        " SELECT pg_notify($5, '')",
        env.event_id, topics.TOPIC_OF[event_type].name, aggregate_id, env.SerializeToString(), notify_channel(producer),
    )
    return env.event_id


async def enqueue_many(conn: asyncpg.Connection, items: list[tuple[str, message.Message, str]], *, producer: str) -> list[str]:
    """`enqueue` for many events at once, (event type, payload, aggregate id) each, in one round trip."""
    if not items:
        return []
    envs = [events.envelope(t, payload, aggregate_id=aggregate, producer=producer) for t, payload, aggregate in items]
    await conn.execute(
        "WITH queued AS (INSERT INTO outbox (event_id, topic, key, payload)"
        " SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bytea[]))"
        " SELECT pg_notify($5, '')",
        [e.event_id for e in envs], [topics.TOPIC_OF[t].name for t, _, _ in items], [a for _, _, a in items],
        [e.SerializeToString() for e in envs], notify_channel(producer),
    )
    return [e.event_id for e in envs]


def kafka_options(kafka: str | dict) -> dict:
    """A bootstrap address alone, or the full options from ServiceSettings.kafka_options()."""
    return {"bootstrap_servers": kafka} if isinstance(kafka, str) else dict(kafka)


def new_producer(kafka: str | dict, client_id: str):
    from kafka import KafkaProducer

    return KafkaProducer(
        **kafka_options(kafka),
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=2,
        retries=2**31 - 1,
        max_in_flight_requests_per_connection=5,
        request_timeout_ms=10_000,
        delivery_timeout_ms=30_000,
    )


class OutboxRelay:
    def __init__(self, pool: asyncpg.Pool, kafka: str | dict, service: str, *, batch_size: int = 500,
                 idle_seconds: float = 1.0) -> None:
        self._pool = pool
        self._kafka = kafka
        self._service = service
        self._batch_size = batch_size
        self._idle = idle_seconds
        self._wakeup = Wakeup(pool, notify_channel(service))
        self._stopping = asyncio.Event()
        self._producer = None
        # kafka-python blocks: one dedicated thread keeps it off the event loop
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"{service}-relay")

    async def run(self) -> None:
        await run_woken(self._wakeup, self._relay_once, idle_seconds=self._idle, what="outbox relay",
                        stopping=self._stopping)

    async def _relay_once(self) -> bool:
        if self._producer is None:
            self._producer = await asyncio.get_running_loop().run_in_executor(
                self._thread, new_producer, self._kafka, f"{self._service}-relay")
        return await self.publish_batch() >= self._batch_size

    async def publish_batch(self) -> int:
        loop = asyncio.get_running_loop()
        async with self._pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(
                "SELECT id, topic, key, payload FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
                self._batch_size,
            )
            if not rows:
                metrics.OUTBOX_BACKLOG.labels(self._service).set(0)
                return 0
            await loop.run_in_executor(self._thread, self._send_all, rows)
            await conn.execute("DELETE FROM outbox WHERE id = ANY($1::bigint[])", [r["id"] for r in rows])
        for r in rows:
            metrics.OUTBOX_PUBLISHED.labels(self._service, r["topic"]).inc()
        return len(rows)

    def _send_all(self, rows: list[asyncpg.Record]) -> None:
        futures = [
            self._producer.send(r["topic"], key=r["key"].encode(), value=bytes(r["payload"])) for r in rows
        ]
        self._producer.flush(timeout=30)
        for f in futures:
            f.get(timeout=30)  # raises if any record was not acknowledged: rows stay, retried later

    async def stop(self) -> None:
        """Publish what is committed, then close the producer (flushes)."""
        self._stopping.set()
        self._wakeup.set()
        if self._producer is not None:
            loop = asyncio.get_running_loop()
            try:
                await asyncio.wait_for(self.publish_batch(), timeout=5)
            except Exception:
                log.warning("outbox not fully drained at shutdown; the next start sends the rest")
            await loop.run_in_executor(self._thread, lambda: self._producer.close(timeout=5))
        self._thread.shutdown(wait=False)
