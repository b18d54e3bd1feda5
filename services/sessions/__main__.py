"""Runs the exam sessions service: python -m gramota.sessions"""
import asyncio
from pathlib import Path

from gramota.contracts.sessions.v1 import sessions_pb2_grpc
from gramota.contracts.testbank.v1 import testbank_pb2_grpc
from gramota.shared import topics
from gramota.shared.clock import SystemClock
from gramota.shared.grpc_runtime import ServiceRuntime, VerifiedIdentities, service_channel
from gramota.shared.logs import setup_logging
from gramota.shared.settings import ServiceSettings

from .events import SERVICE, on_exam_published
from .server import SessionsServicer


async def main() -> None:
    settings = ServiceSettings.load()  # production refuses dev secrets: one line, exit 1
    setup_logging(SERVICE, settings.log_level)
    async with ServiceRuntime(SERVICE, settings, Path(__file__).parent) as rt:
        testbank = testbank_pb2_grpc.TestBankStub(service_channel(settings.testbank_addr, settings))
        servicer = SessionsServicer(rt.pool, SystemClock(), testbank,
                                    identities=VerifiedIdentities(settings.identity_key))
        rt.add_servicer(sessions_pb2_grpc.add_SessionsServicer_to_server, servicer, "gramota.sessions.v1.Sessions")
        rt.consume(group_id=topics.GROUP_SESSIONS, topics=[topics.EXAMS.name],
                   handlers={topics.EXAM_PUBLISHED: on_exam_published})
        rt.background(servicer.submitting.run_sweeper)
        await rt.serve()


if __name__ == "__main__":
    asyncio.run(main())
