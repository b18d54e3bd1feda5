"""Runs the certificates service: python -m gramota.certificates"""
import asyncio
from pathlib import Path

from gramota.contracts.certificates.v1 import certificates_pb2_grpc
from gramota.shared import topics
from gramota.shared.clock import SystemClock
from gramota.shared.grpc_runtime import ServiceRuntime
from gramota.shared.logs import setup_logging

from .keys import KeyRing
from .pdf import register_fonts
from .rendering import PdfRenderer
from .service import SERVICE, CertificateIssuing, CertificatesServicer, Issuer
from .settings import CertificatesSettings


async def main() -> None:
    settings = CertificatesSettings.load()  # production refuses dev secrets: one line, exit 1
    setup_logging(SERVICE, settings.log_level)
    register_fonts()  # fail at start, not at the first certificate, when the fonts are missing
    async with ServiceRuntime(SERVICE, settings, Path(__file__).parent) as rt:
        clock = SystemClock()
        issuer = Issuer(clock, settings.public_base_url, await KeyRing.load(rt.pool, settings.cert_signing_key))
        issuing = CertificateIssuing(issuer)
        rt.add_servicer(certificates_pb2_grpc.add_CertificatesServicer_to_server,
                        CertificatesServicer(rt.pool, clock, issuer), "gramota.certificates.v1.Certificates")
        rt.consume(group_id=topics.GROUP_CERTIFICATES, topics=[topics.RESULTS.name],
                   handlers={topics.RESULT_SCORED: issuing.on_result_scored,
                             topics.RESULT_RESCORED: issuing.on_result_rescored})
        rt.background(PdfRenderer(rt.pool, issuer).run)
        try:
            await rt.serve()
        finally:
            issuer.close()


if __name__ == "__main__":
    asyncio.run(main())
