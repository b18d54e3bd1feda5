"""Bare baselines measured in the same run as the system: what the hardware gives without Gramota.

* a FastAPI + asyncpg endpoint doing one single-row INSERT (what an answer save costs at least),
* a bare grpc.aio echo (what one internal hop costs at least),
* a bare ReportLab rendering of the certificate page: tests/bench/certificates.py.
Run as `python -m tests.bench.baselines insert-server PORT DATABASE_URL` or `echo-server PORT` to serve.
"""
from __future__ import annotations

import asyncio
import sys
from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI, Request


def insert_app(database_url: str) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.pool = await asyncpg.create_pool(database_url, min_size=4, max_size=10)
        await app.state.pool.execute(
            "CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY, k text NOT NULL, v jsonb NOT NULL)")
        yield
        await app.state.pool.close()

    app = FastAPI(lifespan=lifespan)

    @app.put("/rows/{key}")
    async def put_row(key: str, request: Request) -> dict:
        body = await request.body()
        await app.state.pool.execute("INSERT INTO bench_insert (k, v) VALUES ($1, $2::jsonb)", key, body.decode() or "{}")
        return {"ok": True}

    return app


def serve_insert(port: int, database_url: str) -> None:
    import uvicorn

    uvicorn.run(insert_app(database_url), host="127.0.0.1", port=port, log_level="warning", access_log=False)


ECHO_METHOD = "/bench.Echo/Echo"


async def _serve_echo(port: int) -> None:
    import grpc

    async def echo(request: bytes, context) -> bytes:
        return request

    handler = grpc.method_handlers_generic_handler(
        "bench.Echo", {"Echo": grpc.unary_unary_rpc_method_handler(echo)})
    server = grpc.aio.server()
    server.add_generic_rpc_handlers((handler,))
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    await server.wait_for_termination()


def serve_echo(port: int) -> None:
    asyncio.run(_serve_echo(port))


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "insert-server":
        serve_insert(int(sys.argv[2]), sys.argv[3])
    elif kind == "echo-server":
        serve_echo(int(sys.argv[2]))
    else:
        raise SystemExit(f"unknown baseline {kind}")
