"""The short fault drill: an exam sitting while scoring is killed -9; nothing is lost or doubled."""
from __future__ import annotations

from tests.bench.exam_day import Stack, check, scenario, settle


async def test_killing_scoring_during_an_exam_sitting_loses_and_doubles_nothing(system, kafka_bootstrap):
    stack = Stack.attach(system, kafka_bootstrap)
    result = await scenario(stack, candidates=30, window=3, think=(0.1, 0.4), time_limit=60, retry=True,
                            faults=["scoring"], fault_every=2)
    assert [f["part"] for f in result["faults"]] == ["scoring"]
    ids = [o.attempt_id for o in result["officials"] if o.attempt_id]
    assert len(ids) == 30
    await settle(stack, ids, deadline_s=240)
    verdicts = await check(stack, result["officials"])
    failed = [f"{name}: {detail}" for name, ok, detail in verdicts if not ok]
    assert not failed, failed
