"""Runs the certificates service: python -m gramota.certificates"""
import asyncio
from pathlib import Path

from gramota.contracts.certificates.v1 import certificates_pb2_grpc
from gramota.shared import topics
from gramota.shared.clock import SystemClock
from gramota.shared.consumer import one_transaction
from gramota.shared.grpc_runtime import ServiceRuntime
from gramota.shared.logs import setup_logging

from .events import SERVICE
from .issuing import CertificateIssuing, Issuer
from .keys import KeyRing
from .pdf import register_fonts
from .rendering import Pages, PdfRenderer
from .server import CertificatesServicer
from .settings import CertificatesSettings


async def main() -> None:
    settings = CertificatesSettings.load()  # production refuses dev secrets: one line, exit 1
    setup_logging(SERVICE, settings.log_level)
    register_fonts()  # fail at start, not at the first certificate, when the fonts are missing
    async with ServiceRuntime(SERVICE, settings, Path(__file__).parent) as rt:
        clock = SystemClock()
        issuer = Issuer(clock, settings.public_base_url, await KeyRing.load(rt.pool, settings.cert_signing_key))
        pages = Pages(settings.public_base_url, issuer.keys.chain)
        servicer = CertificatesServicer(rt.pool, clock, issuer, pages)
        rt.add_servicer(certificates_pb2_grpc.add_CertificatesServicer_to_server, servicer,
                        "gramota.certificates.v1.Certificates")
        issuing = CertificateIssuing(issuer)
        rt.consume(group_id=topics.GROUP_CERTIFICATES, topics=[topics.RESULTS.name],
                   handlers={topics.RESULT_SCORED: issuing.on_result_scored,
                             topics.RESULT_RESCORED: issuing.on_result_rescored},
                   batch_handlers={topics.RESULT_SCORED: one_transaction(issuing.on_result_scored)})
        rt.background(PdfRenderer(rt.pool, pages, clock).run)
        try:
            await rt.serve()
        finally:
            pages.close()
            servicer.close()


if __name__ == "__main__":
    asyncio.run(main())
