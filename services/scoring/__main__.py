"""Runs the scoring service: python -m gramota.scoring"""
import asyncio
from pathlib import Path

from gramota.contracts.scoring.v1 import scoring_pb2_grpc
from gramota.contracts.testbank.v1 import testbank_pb2_grpc
from gramota.shared import topics
from gramota.shared.clock import SystemClock
from gramota.shared.consumer import one_transaction
from gramota.shared.grpc_runtime import ServiceRuntime, service_channel
from gramota.shared.logs import setup_logging
from gramota.shared.settings import ServiceSettings

from .events import SERVICE
from .scoring import AnswerKeys, ResultScoring
from .server import ScoringServicer


async def main() -> None:
    settings = ServiceSettings.load()  # production refuses dev secrets: one line, exit 1
    setup_logging(SERVICE, settings.log_level)
    async with ServiceRuntime(SERVICE, settings, Path(__file__).parent) as rt:
        testbank = testbank_pb2_grpc.TestBankStub(service_channel(settings.testbank_addr, settings))
        scoring = ResultScoring(AnswerKeys(testbank), SystemClock())
        rt.add_servicer(scoring_pb2_grpc.add_ScoringServicer_to_server, ScoringServicer(rt.pool, scoring), "gramota.scoring.v1.Scoring")
        rt.consume(group_id=topics.GROUP_SCORING, topics=[topics.ATTEMPTS.name],
                   handlers={topics.ATTEMPT_SUBMITTED: scoring.on_attempt_submitted},
                   # a poll's submissions scored in one transaction (a deadline storm arrives all at once)
                   batch_handlers={topics.ATTEMPT_SUBMITTED: one_transaction(scoring.on_attempt_submitted)})
        await rt.serve()


if __name__ == "__main__":
    asyncio.run(main())
