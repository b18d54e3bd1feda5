"""gRPC stubs of the four services, over channels that carry the internal token and the signed user identity."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from gramota.contracts.certificates.v1 import certificates_pb2_grpc
from gramota.contracts.scoring.v1 import scoring_pb2_grpc
from gramota.contracts.sessions.v1 import sessions_pb2_grpc
from gramota.contracts.testbank.v1 import testbank_pb2_grpc
from gramota.shared.grpc_runtime import service_channel
from gramota.shared.settings import ServiceSettings

from .saves import SaveBatcher

SERVICES = ("testbank", "sessions", "scoring", "certificates")


@dataclass
class Services:
    testbank: testbank_pb2_grpc.TestBankStub
    sessions: sessions_pb2_grpc.SessionsStub
    scoring: scoring_pb2_grpc.ScoringStub
    certificates: certificates_pb2_grpc.CertificatesStub
    saves: SaveBatcher  # answer saves: sent to sessions together when they arrive together
    channels: dict[str, grpc.aio.Channel]

    @classmethod
    def connect(cls, settings: ServiceSettings) -> "Services":
        channels = {name: service_channel(getattr(settings, f"{name}_addr"), settings) for name in SERVICES}
        sessions = sessions_pb2_grpc.SessionsStub(channels["sessions"])
        return cls(
            testbank=testbank_pb2_grpc.TestBankStub(channels["testbank"]),
            sessions=sessions,
            scoring=scoring_pb2_grpc.ScoringStub(channels["scoring"]),
            certificates=certificates_pb2_grpc.CertificatesStub(channels["certificates"]),
            saves=SaveBatcher(sessions, settings.identity_key),
            channels=channels,
        )

    async def health(self) -> dict[str, str]:
        async def check(name: str) -> tuple[str, str]:
            try:
                reply = await health_pb2_grpc.HealthStub(self.channels[name]).Check(
                    health_pb2.HealthCheckRequest(service=""), timeout=2)
                return name, health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
            except grpc.aio.AioRpcError as exc:
                return name, exc.code().name

        return dict(await asyncio.gather(*(check(n) for n in SERVICES)))

    async def close(self) -> None:
        for channel in self.channels.values():
            await channel.close()
