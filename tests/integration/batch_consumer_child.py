"""A consumer process for test_batched_consumer: handles a topic's attempt.submitted events in batches (one
transaction a poll, one multi-row INSERT of the effects) and holds each batch's transaction open for a moment, so
the test can kill it -9 in the middle of one. Writes the number of the batch it is inside to `marker`.

    python -m tests.integration.batch_consumer_child DATABASE_URL SCHEMA KAFKA TOPIC GROUP MARKER
"""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from gramota.shared import db, topics
from gramota.shared.consumer import EventConsumer


async def main(database_url: str, schema: str, kafka: str, topic: str, group: str, marker: str) -> None:
    pool = await db.create_pool(database_url, schema, max_size=3)
    batches = 0

    async def one(delivery) -> None:  # the fallback, event by event
        async with delivery.effect() as conn:
            await conn.execute("INSERT INTO effects (attempt_id) VALUES ($1)", delivery.payload.attempt_id)

    async def many(conn, deliveries) -> None:
        nonlocal batches
        batches += 1
        await conn.execute("INSERT INTO effects (attempt_id) SELECT * FROM unnest($1::text[])",
                           [d.payload.attempt_id for d in deliveries])
        Path(marker).write_text(f"{batches} {len(deliveries)}")
        await asyncio.sleep(0.4)  # the transaction is open: a kill now loses it whole

    consumer = EventConsumer(service=schema, kafka=kafka, group_id=group, topics=[topic], pool=pool,
                             handlers={topics.ATTEMPT_SUBMITTED: one}, batch_handlers={topics.ATTEMPT_SUBMITTED: many})
    consumer.start()
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
