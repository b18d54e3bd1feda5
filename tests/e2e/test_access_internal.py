"""The internal channel: services refuse calls without the internal token or with a forged identity; the identity
the caller puts in context reaches the handler; TLS with client certificates (mTLS) when configured."""
from __future__ import annotations

import asyncio
import contextlib
import datetime
import signal
from pathlib import Path

import grpc
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from gramota.contracts.testbank.v1 import testbank_pb2, testbank_pb2_grpc
from gramota.shared.grpc_runtime import IDENTITY_HEADER, TOKEN_HEADER, Identity, ServiceRuntime, identity, internal_channel
from gramota.shared.settings import ServiceSettings
from tests.conftest import PORT_OFFSET

TOKEN = "e2e-internal-token"  # the system's (tests/e2e/conftest.py)


async def _list_exams(address: str, metadata: tuple) -> grpc.StatusCode:
    async with grpc.aio.insecure_channel(address) as channel:
        try:
            await testbank_pb2_grpc.TestBankStub(channel).ListExams(testbank_pb2.ListExamsRequest(), metadata=metadata,
                                                                    timeout=10)
            return grpc.StatusCode.OK
        except grpc.aio.AioRpcError as exc:
            return exc.code()


async def test_a_service_refuses_calls_without_the_internal_token(system):
    address = system.env["TESTBANK_ADDR"]
    assert await _list_exams(address, ()) == grpc.StatusCode.UNAUTHENTICATED
    assert await _list_exams(address, ((TOKEN_HEADER, "guessed"),)) == grpc.StatusCode.UNAUTHENTICATED
    assert await _list_exams(address, ((TOKEN_HEADER, TOKEN),)) == grpc.StatusCode.OK


async def test_a_service_refuses_a_forged_identity(system):
    forged = ((TOKEN_HEADER, TOKEN), (IDENTITY_HEADER, "eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIn0.bm90LWEtbWFj"))
    assert await _list_exams(system.env["TESTBANK_ADDR"], forged) == grpc.StatusCode.UNAUTHENTICATED


# --- an in-process service that says who called it ---------------------------------------------------
def _who_am_i(request: bytes, context) -> bytes:
    who = identity.get()
    return f"{who.user_id}:{who.role}:{','.join(who.regions)}".encode() if who else b"system"


def _register(servicer, server) -> None:
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("test.Probe", {
        "WhoAmI": grpc.unary_unary_rpc_method_handler(_async(_who_am_i))}),))


def _async(fn):
    async def handler(request, context):
        return fn(request, context)
    return handler


@contextlib.asynccontextmanager
async def _serving(settings: ServiceSettings, port: int):
    """A ServiceRuntime with the probe servicer on `port`, in this process."""
    runtime = ServiceRuntime("testbank", settings.model_copy(update={"testbank_addr": f"127.0.0.1:{port}"}), Path("."),
                             publishes=False)
    await runtime.__aenter__()
    runtime.add_servicer(_register, None, "test.Probe")
    task = asyncio.create_task(runtime.serve())
    try:
        yield f"127.0.0.1:{port}"
    finally:
        runtime.request_stop()
        await task
        await runtime.shutdown()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):  # serve() installed them for a real process
            loop.remove_signal_handler(sig)


async def _call(channel) -> str:
    call = channel.unary_unary("/test.Probe/WhoAmI", request_serializer=None, response_deserializer=None)
    return (await call(b"", timeout=10, wait_for_ready=True)).decode()


KEY = "probe-identity-key-0123456789-0123456789"


async def test_the_identity_in_context_reaches_the_handler_signed(system):
    settings = ServiceSettings(DATABASE_URL=system.database_url, GRAMOTA_INTERNAL_TOKEN=TOKEN, GRAMOTA_IDENTITY_KEY=KEY)
    async with _serving(settings, 18060 + PORT_OFFSET) as address:
        async with internal_channel(address, TOKEN, identity_key=KEY) as channel:
            assert await _call(channel) == "system"  # nobody in context: a call on the system's own behalf
            ctx = identity.set(Identity("u-42", "curator", (), ("Республика Дагестан",)))
            try:
                assert await _call(channel) == "u-42:curator:Республика Дагестан"
            finally:
                identity.reset(ctx)
        # signed with another key: refused
        async with internal_channel(address, TOKEN, identity_key="x" * 40) as channel:
            ctx = identity.set(Identity("u-42", "admin"))
            try:
                with pytest.raises(grpc.aio.AioRpcError) as refused:
                    await _call(channel)
                assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
            finally:
                identity.reset(ctx)


# --- mTLS ---------------------------------------------------------------------------------------------
def _pem_pair(name: str, issuer_key=None, issuer_name=None, ca: bool = False):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name or subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=1)).not_valid_after(now + datetime.timedelta(hours=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if not ca:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
    cert = builder.sign(issuer_key or key, hashes.SHA256())
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return key, subject, cert.public_bytes(serialization.Encoding.PEM), key_pem


async def test_with_tls_configured_only_clients_with_a_certificate_of_the_ca_get_through(system, tmp_path):
    ca_key, ca_name, ca_pem, _ = _pem_pair("gramota-ca", ca=True)
    _, _, server_pem, server_key = _pem_pair("localhost", ca_key, ca_name)
    files = {"ca.pem": ca_pem, "cert.pem": server_pem, "key.pem": server_key}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    settings = ServiceSettings(DATABASE_URL=system.database_url, GRAMOTA_INTERNAL_TOKEN=TOKEN, GRAMOTA_IDENTITY_KEY=KEY,
                               GRPC_TLS_CERT=str(tmp_path / "cert.pem"), GRPC_TLS_KEY=str(tmp_path / "key.pem"),
                               GRPC_TLS_CA=str(tmp_path / "ca.pem"))
    port = 18061 + PORT_OFFSET
    async with _serving(settings, port):
        override = (("grpc.ssl_target_name_override", "localhost"),)
        secure = grpc.aio.secure_channel(f"127.0.0.1:{port}", settings.grpc_channel_credentials(), options=override)
        reply = await secure.unary_unary("/test.Probe/WhoAmI")(b"", metadata=((TOKEN_HEADER, TOKEN),), timeout=10,
                                                               wait_for_ready=True)
        assert reply == b"system"
        await secure.close()
        # TLS but no client certificate: the handshake fails
        bare = grpc.aio.secure_channel(f"127.0.0.1:{port}", grpc.ssl_channel_credentials(ca_pem), options=override)
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await bare.unary_unary("/test.Probe/WhoAmI")(b"", metadata=((TOKEN_HEADER, TOKEN),), timeout=3)
        assert refused.value.code() == grpc.StatusCode.UNAVAILABLE
        await bare.close()
        # plaintext: refused too
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as plain:
            with pytest.raises(grpc.aio.AioRpcError):
                await plain.unary_unary("/test.Probe/WhoAmI")(b"", metadata=((TOKEN_HEADER, TOKEN),), timeout=3)
