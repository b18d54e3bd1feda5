"""Answer saves sent to sessions together: the saves that arrive while earlier ones are on their way go in one call.

On an exam day hundreds of candidates save at once and each save is one small gRPC call. A call costs about as much
CPU in the gateway and in sessions as the save itself (serialising, HTTP/2 framing, the interceptors), and sessions
pays a statement and a commit per save. `SaveBatcher` sends a save at once while fewer than `in_flight` calls are on
their way, so a quiet exam waits for nothing; when they are all busy, the saves queue and the next call (SaveAnswers)
takes every waiting one, so batches grow with the load by themselves and sessions writes each in one statement.

Each save still gets its own answer: the reply, or the error SaveAnswer would have failed with alone (a gRPC error
with the same status and details), so the gateway's error handling does not know the difference. Each item carries
the signed identity of the candidate it is made for: sessions checks ownership per item, as for a call made for them.
"""
from __future__ import annotations

import asyncio
import contextvars
import time
from collections.abc import Callable
from itertools import zip_longest

import grpc
from google.rpc import status_pb2
from prometheus_client import Histogram

from gramota.contracts.sessions.v1 import sessions_pb2, sessions_pb2_grpc
from gramota.shared.errors import STATUS_DETAILS_KEY
from gramota.shared.grpc_runtime import SignedIdentities, identity
from gramota.shared.logs import correlation_id

BATCH_SIZE = Histogram("gramota_answer_saves_per_call", "Answer saves sent to sessions in one call",
                       buckets=(1, 2, 5, 10, 20, 50, 100))

_Waiting = tuple[sessions_pb2.SaveAnswerItem, asyncio.Future, float]  # the item, its caller, its deadline


class SaveBatcher:
    def __init__(self, sessions: sessions_pb2_grpc.SessionsStub, identity_key: str, *, in_flight: int = 2,
                 max_batch: int = 64, timeout: float = 10, clock: Callable[[], float] = time.monotonic) -> None:
        self.sessions = sessions
        self.in_flight = in_flight
        self.max_batch = max_batch
        self.timeout = timeout  # seconds a save may take, from its arrival
        self.clock = clock
        self._signed = SignedIdentities(identity_key)
        self._waiting: list[_Waiting] = []
        self._senders = 0
        self._tasks: set[asyncio.Task] = set()  # referenced: a running task must not be collected

    async def save(self, request: sessions_pb2.SaveAnswerRequest) -> sessions_pb2.SaveAnswerResponse:
        """What SaveAnswer answers for `request`, made for the user of the current request; its errors as
        grpc.aio.AioRpcError, as SaveAnswer's."""
        who = identity.get()
        item = sessions_pb2.SaveAnswerItem(save=request, identity=self._signed.header(who) if who else "",
                                           correlation_id=correlation_id.get() or "")
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        self._waiting.append((item, done, self.clock() + self.timeout))
        if self._senders < self.in_flight:
            self._senders += 1
            # a context of its own: the call is made on no one's behalf (each item carries its user)
            task = loop.create_task(self._send_while_waiting(), context=contextvars.Context())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        # a caller that goes away (the browser closed) cancels `done`; its save still goes with the others
        return await done

    async def _send_while_waiting(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[:self.max_batch], self._waiting[self.max_batch:]
                await self._send(batch)
        finally:
            # no await between the last look and this: a save that arrives from now on starts a sender of its own
            self._senders -= 1

    async def _send(self, batch: list[_Waiting]) -> None:
        # each save keeps its own deadline, counted from its arrival: one that waited it out behind a slow call
        # fails as a call of its own would have
        now = self.clock()
        for _, done, deadline in batch:
            if deadline <= now:
                _settle(done, error=_error(grpc.StatusCode.DEADLINE_EXCEEDED, "Deadline Exceeded"))
        batch = [waiting for waiting in batch if waiting[2] > now]
        if not batch:
            return
        BATCH_SIZE.observe(len(batch))
        try:
            reply = await self.sessions.SaveAnswers(sessions_pb2.SaveAnswersRequest(
                items=[item for item, _, _ in batch]), timeout=min(deadline for _, _, deadline in batch) - now)
        except grpc.aio.AioRpcError as exc:  # every save of the call fails as it would have alone
            for _, done, _ in batch:
                _settle(done, error=_copy(exc))
            return
        except BaseException as exc:  # cancelled at shutdown, or a bug: no caller may wait forever
            for _, done, _ in batch:
                _settle(done, error=exc if isinstance(exc, Exception) else _error(grpc.StatusCode.UNAVAILABLE,
                                                                                  "the gateway is stopping"))
            raise
        for waiting, outcome in zip_longest(batch, reply.outcomes):
            if waiting is None:
                break
            _, done, _ = waiting
            if outcome is not None and outcome.HasField("saved"):
                _settle(done, result=outcome.saved)
            elif outcome is not None:
                _settle(done, error=_rpc_error(outcome.error))
            else:
                _settle(done, error=_error(grpc.StatusCode.INTERNAL, "sessions left a save unanswered"))


def _rpc_error(details: bytes) -> grpc.aio.AioRpcError:
    """The error a call failing with this google.rpc.Status would raise."""
    status = status_pb2.Status.FromString(details)
    return grpc.aio.AioRpcError(_BY_NUMBER.get(status.code, grpc.StatusCode.UNKNOWN), grpc.aio.Metadata(),
                                grpc.aio.Metadata((STATUS_DETAILS_KEY, details)), status.message)


_BY_NUMBER = {code.value[0]: code for code in grpc.StatusCode}


def _error(code: grpc.StatusCode, details: str) -> grpc.aio.AioRpcError:
    return grpc.aio.AioRpcError(code, grpc.aio.Metadata(), grpc.aio.Metadata(), details)


def _copy(exc: grpc.aio.AioRpcError) -> grpc.aio.AioRpcError:
    return grpc.aio.AioRpcError(exc.code(), exc.initial_metadata(), exc.trailing_metadata(), exc.details(),
                                exc.debug_error_string())


def _settle(done: asyncio.Future, *, result: object = None, error: BaseException | None = None) -> None:
    if done.done():  # its caller is gone
        return
    if error is not None:
        done.set_exception(error)
    else:
        done.set_result(result)
