"""Idempotent Kafka consumer loop.

kafka-python's consumer blocks and is not thread-safe, so it lives in its own thread. Each record is
handed to an async handler on the service's event loop; the handler's effect is committed in one
database transaction together with the event id in `inbox` (a redelivered event finds its id and does
nothing). Offsets are committed to Kafka only after that transaction commits. A handler that fails is
retried with backoff and its offset is not committed, so nothing is lost; a record that cannot be
decoded at all goes to `dead_letters` for a human.

A service may also give a *batch handler* for an event type (`batch_handlers`): then a poll whose events all have
one (or none at all) is handled in ONE transaction: the inbox rows of all its events in one statement, the handler
given every new event of its type at once (so it can write them with multi-row statements), one commit, and only
then the offsets. If anything in that transaction fails, it is rolled back whole and the poll is handled again
event by event by the ordinary handlers (which every batch-handled type must also have), exactly as before.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncpg

from . import events, metrics
from .errors import DomainError
from .logs import correlation_id
from .outbox import kafka_options

log = logging.getLogger(__name__)


class SpinGuard:
    """Notices a consumer whose idle polls burn CPU instead of waiting.

    kafka-python 3.0.12 can lose its heartbeat task after the rejoin that follows a group's first assignment
    (seen on this machine: the broker removed the member "on heartbeat expiration" ten seconds after it joined).
    From then on every poll thinks a heartbeat is overdue, waits 0 ms, and the poll loop spins: 0.9 of a core
    per idle service, and the group stays without a member until a record arrives and its commit fails. An idle
    poll costs ~1 % of a core when healthy and ~33 % when spinning, so the consumer thread's CPU over a window of
    polls that returned nothing tells them apart; the consumer is then closed and joins the group afresh.
    """

    def __init__(self, window: float = 5.0, max_share: float = 0.2, clock: Callable[[], float] = time.monotonic,
                 cpu: Callable[[], float] = time.thread_time) -> None:
        self.window = window
        self.max_share = max_share
        self._clock = clock
        self._cpu = cpu
        self.restart()

    def restart(self) -> None:
        """Start a new window (after records were handled: their work is not idle polling)."""
        self._started, self._cpu_started = self._clock(), self._cpu()

    def idle_poll(self) -> bool:
        """Call after a poll that returned nothing; True when this thread is spinning."""
        elapsed = self._clock() - self._started
        if elapsed < self.window:
            return False
        share = (self._cpu() - self._cpu_started) / elapsed
        self.restart()
        return share > self.max_share


class AlreadyProcessed(Exception):
    """Raised inside `effect()` when the event was handled before; the consumer treats it as done."""


class Delivery:
    """One event being handled, with the means to apply its effect exactly once."""

    def __init__(self, pool: asyncpg.Pool, event: events.Event) -> None:
        self.pool = pool
        self.event = event

    @property
    def payload(self) -> Any:
        return self.event.payload

    async def already_processed(self) -> bool:
        """Cheap early check, so a redelivery skips expensive work (rendering, remote calls)."""
        return bool(await self.pool.fetchval("SELECT 1 FROM inbox WHERE event_id = $1", self.event.id))

    @contextlib.asynccontextmanager
    async def effect(self) -> AsyncIterator[asyncpg.Connection]:
        """A transaction that records the event id with the effect; raises AlreadyProcessed on a replay."""
        async with self.pool.acquire() as conn, conn.transaction():
            inserted = await conn.fetchval(
                "INSERT INTO inbox (event_id, type) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING true",
                self.event.id, self.event.type,
            )
            if not inserted:
                raise AlreadyProcessed(self.event.id)
            yield conn


class BoundDelivery(Delivery):
    """A delivery inside a batch's transaction: its inbox row is written already (the event is new), and `effect()`
    is a savepoint of that transaction on the batch's connection."""

    def __init__(self, pool: asyncpg.Pool, event: events.Event, conn: asyncpg.Connection) -> None:
        super().__init__(pool, event)
        self.conn = conn

    async def already_processed(self) -> bool:
        return False

    @contextlib.asynccontextmanager
    async def effect(self) -> AsyncIterator[asyncpg.Connection]:
        async with self.conn.transaction():
            yield self.conn


Handler = Callable[[Delivery], Awaitable[None]]
# (the batch's connection, inside its transaction; the new events of one type, each partition's in order)
BatchHandler = Callable[[asyncpg.Connection, list[BoundDelivery]], Awaitable[None]]


def one_transaction(handler: Handler) -> BatchHandler:
    """A batch handler made of an ordinary one: each event's effect a savepoint of the batch's one transaction."""

    async def handle(conn: asyncpg.Connection, deliveries: list[BoundDelivery]) -> None:
        for delivery in deliveries:
            await handler(delivery)

    return handle


# the inbox rows of a batch in one statement: the ids that were not there yet come back
INBOX_MANY = """
INSERT INTO inbox (event_id, type) SELECT * FROM unnest($1::uuid[], $2::text[])
ON CONFLICT DO NOTHING RETURNING event_id::text
"""

_PERMANENT_GRPC = {"NOT_FOUND", "INVALID_ARGUMENT", "FAILED_PRECONDITION", "PERMISSION_DENIED"}


def _is_permanent(exc: Exception) -> bool:
    """Failures that the same event will meet again however often it is retried."""
    if isinstance(exc, DomainError):
        return True
    code = getattr(exc, "code", None)
    if callable(code):  # grpc.aio.AioRpcError
        try:
            return code().name in _PERMANENT_GRPC
        except Exception:
            return False
    return False


class EventConsumer:
    def __init__(self, *, service: str, kafka: str | dict, group_id: str, topics: list[str],
                 handlers: dict[str, Handler], pool: asyncpg.Pool,
                 batch_handlers: dict[str, BatchHandler] | None = None) -> None:
        missing = set(batch_handlers or {}) - set(handlers)
        if missing:
            raise ValueError(f"batch-handled types need an ordinary handler too (the fallback): {sorted(missing)}")
        self._batch_handlers = batch_handlers or {}
        self._service = service
        self._kafka = kafka
        self._group_id = group_id
        self._topics = topics
        self._handlers = handlers
        self._pool = pool
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.assigned: set[tuple[str, int]] = set()
        self._lag_reported: set[tuple[str, int]] = set()

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._run, name=f"{self._service}-consumer", daemon=True)
        self._thread.start()

    async def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            await asyncio.get_running_loop().run_in_executor(None, self._thread.join, 15)

    # --- consumer thread -------------------------------------------------------------------------
    def _run(self) -> None:
        """Consume until stopped; a consumer that fails is closed and a new one joins the group again."""
        while not self._stop.is_set():
            consumer = self._connect()
            if consumer is None:
                return
            try:
                if self._consume(consumer):
                    return
            except Exception:
                # Never let the thread die with the service still SERVING: whatever was not committed comes
                # again, and the inbox makes it harmless.
                log.exception("consumer failed; joining the group again")
                self._stop.wait(1.0)
            finally:
                consumer.close(autocommit=False)

    def _connect(self) -> Any:
        from kafka import KafkaConsumer

        consumer = None
        while not self._stop.is_set() and consumer is None:
            try:
                consumer = KafkaConsumer(
                    **kafka_options(self._kafka),
                    group_id=self._group_id,
                    client_id=f"{self._service}-consumer",
                    enable_auto_commit=False,
                    auto_offset_reset="earliest",
                    fetch_max_wait_ms=50,
                    max_poll_records=200,
                    max_poll_interval_ms=300_000,
                    session_timeout_ms=10_000,
                    heartbeat_interval_ms=1_000,
                    # a partition added or a topic created later is noticed within seconds, not minutes
                    metadata_max_age_ms=10_000,
                )
            except Exception:
                log.exception("cannot reach Kafka yet; retrying")
                self._stop.wait(1.0)
        # Joining the group before the topics' partitions are known gets an empty assignment that
        # lasts until the next metadata refresh: learn the partitions first, then subscribe.
        while consumer is not None and not self._stop.is_set():
            if all(consumer.partitions_for_topic(t) for t in self._topics):
                consumer.subscribe(self._topics)
                break
            log.warning("waiting for the partitions of %s", ", ".join(self._topics))
            self._stop.wait(0.5)
        return consumer

    def _consume(self, consumer: Any) -> bool:
        """Poll, handle, commit; True when stopping."""
        from kafka.errors import CommitFailedError, RebalanceInProgressError

        guard = SpinGuard()
        while not self._stop.is_set():
            batch = consumer.poll(timeout_ms=200)
            assigned = {(tp.topic, tp.partition) for tp in consumer.assignment()}
            if assigned != self.assigned:  # a rebalance: report the partitions now held, and only those
                self.assigned = assigned
                self._report_lag(consumer)
            if not batch:
                if guard.idle_poll():
                    log.warning("the consumer's idle polls are spinning (its group heartbeat stalled); joining again")
                    metrics.CONSUMER_RESTARTS.labels(self._service, "spinning").inc()
                    return False
                continue
            if not self._handle_batch(list(batch.values())):
                return True  # stopping: uncommitted records come again to whoever takes over
            try:
                consumer.commit()  # only after every record's transaction has committed
            except (CommitFailedError, RebalanceInProgressError) as exc:
                # the partitions moved while we worked: their new owner gets these records again and the
                # inbox skips them, so nothing is lost or doubled
                log.warning("offset commit refused during a rebalance: %s", exc)
                continue
            finally:
                guard.restart()
            self._report_lag(consumer)
        return True

    def _report_lag(self, consumer: Any) -> None:
        try:
            ends = consumer.end_offsets(list(consumer.assignment()))
            for tp, end in ends.items():
                metrics.CONSUMER_LAG.labels(self._service, tp.topic, tp.partition).set(end - consumer.position(tp))
            # a partition another replica took over: drop its series, or this pod reports its last lag forever
            for topic, partition in self._lag_reported - {(tp.topic, tp.partition) for tp in ends}:
                metrics.CONSUMER_LAG.remove(self._service, topic, partition)
            self._lag_reported = {(tp.topic, tp.partition) for tp in ends}
        except Exception:  # metrics never stop the loop
            pass

    def _handle_batch(self, partitions: list[list[Any]]) -> bool:
        """Every record of one poll handled; False when stopping first. The partitions are handled side by side on
        the event loop, each in its own order (an aggregate's events share a partition, so their order holds; replicas
        of a service already handle different partitions at once). One at a time, scoring kept a queue of several
        seconds on exam day while its CPU waited on database round trips."""
        future = asyncio.run_coroutine_threadsafe(self._handle_partitions(partitions), self._loop)  # type: ignore[arg-type]
        return future.result()

    # --- event loop ------------------------------------------------------------------------------
    async def _handle_partitions(self, partitions: list[list[Any]]) -> bool:
        if self._batch_handlers and sum(len(p) for p in partitions) > 1 and await self._handle_in_one_transaction(partitions):
            return True
        return all(await asyncio.gather(*(self._handle_in_order(records) for records in partitions)))

    async def _handle_in_one_transaction(self, partitions: list[list[Any]]) -> bool:
        """The whole poll in one transaction (see the module's note); False when it must go event by event."""
        decoded: list[events.Event] = []
        for record in (r for records in partitions for r in records):  # each partition's records in order
            try:
                event = events.decode(record.value)
            except events.UndecodableEvent:
                return False  # the ordinary path parks it in dead_letters
            if event.type in self._handlers and event.type not in self._batch_handlers:
                return False  # an event only the ordinary handlers know: keep the partition's order simple
            decoded.append(event)
        wanted = [e for e in decoded if e.type in self._batch_handlers]
        for e in decoded:
            if e.type not in self._batch_handlers:
                metrics.EVENTS_CONSUMED.labels(self._service, e.type, "ignored").inc()
        if not wanted:
            return True
        by_type: dict[str, list[BoundDelivery]] = {}
        try:
            async with self._pool.acquire() as conn, conn.transaction():
                fresh = {row[0] for row in await conn.fetch(INBOX_MANY, [e.id for e in wanted], [e.type for e in wanted])}
                for e in wanted:
                    if e.id in fresh:
                        fresh.discard(e.id)  # the same event twice in one poll: the first one counts
                        by_type.setdefault(e.type, []).append(BoundDelivery(self._pool, e, conn))
                for event_type, deliveries in by_type.items():
                    await self._batch_handlers[event_type](conn, deliveries)
        except Exception:
            log.warning("a poll's events could not be handled in one transaction; handling them one by one",
                        exc_info=True, extra={"events": len(wanted)})
            metrics.CONSUMER_BATCHES.labels(self._service, "fallback").inc()
            return False
        handled = sum(len(d) for d in by_type.values())
        metrics.CONSUMER_BATCHES.labels(self._service, "committed").inc()
        for event_type, deliveries in by_type.items():
            metrics.EVENTS_CONSUMED.labels(self._service, event_type, "handled").inc(len(deliveries))
        if len(wanted) > handled:
            metrics.EVENTS_CONSUMED.labels(self._service, wanted[0].type, "duplicate").inc(len(wanted) - handled)
        return True

    async def _handle_in_order(self, records: list[Any]) -> bool:
        for record in records:
            delay = 0.2
            while True:
                if self._stop.is_set():
                    return False
                try:
                    await self._handle(record)
                    break
                except Exception:
                    log.exception("event handling failed; retrying", extra={"topic": record.topic, "offset": record.offset})
                    await self._sleep_unless_stopped(delay)
                    delay = min(delay * 2, 5.0)
        return True

    async def _sleep_unless_stopped(self, seconds: float) -> None:
        deadline = asyncio.get_running_loop().time() + seconds
        while not self._stop.is_set() and (left := deadline - asyncio.get_running_loop().time()) > 0:
            await asyncio.sleep(min(left, 0.1))

    async def _handle(self, record: Any) -> None:
        try:
            event = events.decode(record.value)
        except events.UndecodableEvent as exc:
            await self._dead_letter(record, str(exc))
            return
        handler = self._handlers.get(event.type)
        if handler is None:
            metrics.EVENTS_CONSUMED.labels(self._service, event.type, "ignored").inc()
            return
        token = correlation_id.set(event.envelope.aggregate_id)
        try:
            await handler(Delivery(self._pool, event))
            metrics.EVENTS_CONSUMED.labels(self._service, event.type, "handled").inc()
        except AlreadyProcessed:
            metrics.EVENTS_CONSUMED.labels(self._service, event.type, "duplicate").inc()
        except Exception as exc:
            if not _is_permanent(exc):
                raise  # transient: retried, offset not committed
            # retrying cannot help (e.g. the exam it names does not exist): park it for a human
            metrics.EVENTS_CONSUMED.labels(self._service, event.type, "dead_letter").inc()
            await self._dead_letter(record, f"{type(exc).__name__}: {exc}")
        finally:
            correlation_id.reset(token)

    async def _dead_letter(self, record: Any, reason: str) -> None:
        log.error("undecodable event sent to dead_letters", extra={"topic": record.topic, "reason": reason})
        await self._pool.execute(
            'INSERT INTO dead_letters (topic, partition, "offset", reason, payload) VALUES ($1,$2,$3,$4,$5)'
            " ON CONFLICT DO NOTHING",
            record.topic, record.partition, record.offset, reason, record.value or b"",
        )
