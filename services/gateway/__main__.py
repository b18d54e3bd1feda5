"""Runs the REST gateway: python -m gramota.gateway"""
import uvicorn

from gramota.shared.logs import setup_logging

from .app import create_app
from .settings import GatewaySettings


def main() -> None:
    # in production, refuses to start (exit 1, one line, no traceback) with a default secret or a demo password
    settings = GatewaySettings.load()
    setup_logging("gateway", settings.log_level)
    # loop="asyncio", not uvloop: grpc.aio's calls to the services complete through asyncio's own loop; under uvloop
    # the same answer saves ran at ~half the rate (324/s vs 596/s at 200 concurrent on this machine, same run)
    # timeout_keep_alive: an idle connection is kept longer than clients keep theirs (aiohttp 15 s, browsers and
    # ingress controllers ~60 s), so a client never sends on a connection the server is just closing (uvicorn's
    # 5 s default cost one start in 2,000 a ServerDisconnectedError in the exam-day storm)
    uvicorn.run(create_app(settings), host=settings.gateway_host, port=settings.gateway_port,
                log_config=None, access_log=False, timeout_graceful_shutdown=5, loop="asyncio", timeout_keep_alive=75)


if __name__ == "__main__":
    main()
