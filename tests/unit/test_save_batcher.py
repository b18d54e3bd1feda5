"""The gateway's answer-save batcher (gateway/saves.py): a save goes at once while a call is free, the saves that
arrive meanwhile go together in the next call, and each caller gets its own reply or the error it would have got
alone. Sessions is a stub here (tests/integration/test_answer_batches.py has the real one)."""
from __future__ import annotations

import asyncio

import grpc
import pytest

from gramota.contracts.sessions.v1 import sessions_pb2 as pb
from gramota.gateway.saves import SaveBatcher
from gramota.shared.errors import InvalidArgument, NotFound, error_info_of
from gramota.shared.grpc_runtime import Identity, identity, verify_identity
from gramota.shared.logs import correlation_id

KEY = "k" * 32


class Sessions:
    """Answers each call when the test lets it; a question named `refuse-*` is refused, `bug` is not answered."""

    def __init__(self) -> None:
        self.calls: list[pb.SaveAnswersRequest] = []
        self.identities: list[Identity | None] = []  # the identity each call was made for
        self.gate = asyncio.Event()
        self.failure: grpc.aio.AioRpcError | None = None
        self.timeouts: list[float] = []

    async def SaveAnswers(self, request, timeout=None):  # noqa: N802 (the gRPC method's name)
        self.calls.append(request)
        self.timeouts.append(timeout)
        self.identities.append(identity.get())
        await self.gate.wait()
        if self.failure is not None:
            raise self.failure
        reply = pb.SaveAnswersResponse()
        for item in request.items:
            save = item.save
            if save.question_id.startswith("refuse-"):
                error = (NotFound("attempt_not_found", "attempt x does not exist") if save.question_id == "refuse-404"
                         else InvalidArgument("question_not_in_attempt", f"question {save.question_id} is not in it"))
                reply.outcomes.add(error=error.to_status_details())
            elif save.question_id != "bug":
                reply.outcomes.add(saved=pb.SaveAnswerResponse(applied=True, stored=pb.SavedAnswer(
                    question_id=save.question_id, option_ids=list(save.option_ids), client_seq=save.client_seq)))
        return reply


def save(question_id: str, user: str = "u1") -> pb.SaveAnswerRequest:
    return pb.SaveAnswerRequest(attempt_id="a-" + user, candidate_id=user, question_id=question_id,
                                option_ids=["o1"], client_seq=len(question_id))


async def as_user(batcher: SaveBatcher, request: pb.SaveAnswerRequest, user: str, cid: str = ""):
    """As the gateway calls it: inside a request made by `user`."""
    identity.set(Identity(user, "candidate"))
    correlation_id.set(cid or f"req-{user}-{request.question_id}")
    return await batcher.save(request)


async def until(condition, deadline: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + deadline
    while not condition():
        assert loop.time() < end, "timed out"
        await asyncio.sleep(0.001)


async def test_a_save_goes_at_once_and_those_arriving_meanwhile_go_together():
    sessions = Sessions()
    batcher = SaveBatcher(sessions, KEY, in_flight=1, max_batch=64)
    first = asyncio.create_task(as_user(batcher, save("q1"), "u1"))
    await until(lambda: len(sessions.calls) == 1)
    rest = [asyncio.create_task(as_user(batcher, save(f"q{n}", f"u{n}"), f"u{n}")) for n in range(2, 12)]
    await asyncio.sleep(0)
    assert len(sessions.calls) == 1  # one call in flight: the others wait for it
    sessions.gate.set()
    replies = await asyncio.gather(first, *rest)
    assert [len(c.items) for c in sessions.calls] == [1, 10]
    assert [r.stored.question_id for r in replies] == [f"q{n}" for n in (1, *range(2, 12))]
    # each item carries its own user and request; the call itself is made for no one
    items = [i for c in sessions.calls for i in c.items]
    assert [verify_identity(KEY, i.identity).user_id for i in items] == ["u1", *(f"u{n}" for n in range(2, 12))]
    assert items[3].correlation_id == "req-u4-q4"
    assert sessions.identities == [None, None]


async def test_batches_are_capped_and_several_calls_go_at_once():
    sessions = Sessions()
    batcher = SaveBatcher(sessions, KEY, in_flight=2, max_batch=5)
    tasks = [asyncio.create_task(as_user(batcher, save(f"q{n}", f"u{n}"), f"u{n}")) for n in range(17)]
    await until(lambda: len(sessions.calls) == 2)
    sessions.gate.set()
    replies = await asyncio.gather(*tasks)
    assert len(replies) == 17 and max(len(c.items) for c in sessions.calls) == 5
    assert sum(len(c.items) for c in sessions.calls) == 17


async def test_each_caller_gets_the_error_it_would_have_got_alone():
    sessions = Sessions()
    sessions.gate.set()
    batcher = SaveBatcher(sessions, KEY, in_flight=1)
    outcomes = await asyncio.gather(*(as_user(batcher, save(q, f"u{n}"), f"u{n}") for n, q in enumerate(
        ["q1", "refuse-404", "refuse-422", "q2", "bug"])), return_exceptions=True)
    assert outcomes[0].stored.question_id == "q1" and outcomes[3].stored.question_id == "q2"
    for n, (status, code) in ((1, (grpc.StatusCode.NOT_FOUND, "attempt_not_found")),
                              (2, (grpc.StatusCode.INVALID_ARGUMENT, "question_not_in_attempt")),
                              (4, (grpc.StatusCode.INTERNAL, None))):
        assert isinstance(outcomes[n], grpc.aio.AioRpcError) and outcomes[n].code() == status
        assert error_info_of(outcomes[n].trailing_metadata())[0] == code
    assert outcomes[2].details() == "question refuse-422 is not in it"


async def test_a_failed_call_fails_each_of_its_saves_and_the_next_call_goes_on():
    sessions = Sessions()
    sessions.failure = grpc.aio.AioRpcError(grpc.StatusCode.UNAVAILABLE, grpc.aio.Metadata(), grpc.aio.Metadata(),
                                            "sessions is down")
    sessions.gate.set()
    batcher = SaveBatcher(sessions, KEY, in_flight=1)
    outcomes = await asyncio.gather(*(as_user(batcher, save(f"q{n}", f"u{n}"), f"u{n}") for n in range(3)),
                                    return_exceptions=True)
    assert all(isinstance(o, grpc.aio.AioRpcError) and o.code() == grpc.StatusCode.UNAVAILABLE for o in outcomes)
    assert len({id(o) for o in outcomes}) == 3  # each caller its own error object
    sessions.failure = None
    assert (await as_user(batcher, save("q9"), "u1")).stored.question_id == "q9"


async def test_a_caller_that_goes_away_leaves_the_others_their_replies():
    sessions = Sessions()
    batcher = SaveBatcher(sessions, KEY, in_flight=1)
    first = asyncio.create_task(as_user(batcher, save("q1"), "u1"))
    await until(lambda: len(sessions.calls) == 1)
    gone, staying = (asyncio.create_task(as_user(batcher, save(q, u), u)) for q, u in (("q2", "u2"), ("q3", "u3")))
    await asyncio.sleep(0)
    gone.cancel()
    sessions.gate.set()
    assert (await first).stored.question_id == "q1" and (await staying).stored.question_id == "q3"
    with pytest.raises(asyncio.CancelledError):
        await gone
    assert [len(c.items) for c in sessions.calls] == [1, 2]  # its save still went: it may already be in a browser's past


async def test_a_save_that_waited_out_its_deadline_fails_alone_and_the_call_gets_what_is_left():
    sessions = Sessions()
    now = [100.0]
    batcher = SaveBatcher(sessions, KEY, in_flight=1, timeout=10, clock=lambda: now[0])
    first = asyncio.create_task(as_user(batcher, save("q1"), "u1"))
    await until(lambda: len(sessions.calls) == 1)
    late = asyncio.create_task(as_user(batcher, save("q2", "u2"), "u2"))
    await asyncio.sleep(0)
    now[0] += 4
    fresh = asyncio.create_task(as_user(batcher, save("q3", "u3"), "u3"))
    await asyncio.sleep(0)
    now[0] += 7  # q2 has waited 11 s behind a slow call, q3 7 s
    sessions.gate.set()
    assert (await first).stored.question_id == "q1" and (await fresh).stored.question_id == "q3"
    with pytest.raises(grpc.aio.AioRpcError) as expired:
        await late
    assert expired.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    assert [[i.save.question_id for i in c.items] for c in sessions.calls] == [["q1"], ["q3"]]
    assert sessions.timeouts == [10, 3]  # q3's own deadline: 10 s from its arrival
