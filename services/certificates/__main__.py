"""Runs the certificates service: python -m gramota.certificates"""
import asyncio
from pathlib import Path

from gramota.contracts.certificates.v1 import certificates_pb2_grpc
from gramota.shared import topics
from gramota.shared.clock import SystemClock
from gramota.shared.grpc_runtime import ServiceRuntime
from gramota.shared.logs import setup_logging
from gramota.shared.settings import ServiceSettings

from .pdf import register_fonts
from .service import SERVICE, CertificateIssuing, CertificatesServicer


async def main() -> None:
    settings = ServiceSettings()
    setup_logging(SERVICE, settings.log_level)
    register_fonts()  # fail at start, not at the first certificate, when the fonts are missing
    async with ServiceRuntime(SERVICE, settings, Path(__file__).parent) as rt:
        clock = SystemClock()
        issuing = CertificateIssuing(clock, settings.public_base_url)
        rt.add_servicer(certificates_pb2_grpc.add_CertificatesServicer_to_server, CertificatesServicer(rt.pool, clock),
                        "gramota.certificates.v1.Certificates")
        rt.consume(group_id=topics.GROUP_CERTIFICATES, topics=[topics.RESULTS.name],
                   handlers={topics.RESULT_SCORED: issuing.on_result_scored})
        await rt.serve()


if __name__ == "__main__":
    asyncio.run(main())
