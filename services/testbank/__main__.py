"""Runs the test bank service: python -m gramota.testbank"""
import asyncio
from pathlib import Path

from gramota.contracts.testbank.v1 import testbank_pb2_grpc
from gramota.shared.grpc_runtime import ServiceRuntime
from gramota.shared.logs import setup_logging
from gramota.shared.settings import ServiceSettings

from .events import SERVICE
from .server import TestBankServicer


async def main() -> None:
    settings = ServiceSettings.load()  # production refuses dev secrets: one line, exit 1
    setup_logging(SERVICE, settings.log_level)
    async with ServiceRuntime(SERVICE, settings, Path(__file__).parent) as rt:
        rt.add_servicer(testbank_pb2_grpc.add_TestBankServicer_to_server, TestBankServicer(rt.pool),
                        "gramota.testbank.v1.TestBank")
        await rt.serve()


if __name__ == "__main__":
    asyncio.run(main())
