"""Certificates rendered per second per core, beside a bare ReportLab rendering of the same page, as a ratio.

"Gramota" is the whole issuing path of one certificate without the database: canonical payload, Ed25519
signature, the signed QR URL, the PDF (DejaVu subsets embedded, QR drawn from segno as one path, signed token
in the metadata), its PAdES signature (pyHanko, ECDSA P-256, the signer built once as in a render process) and
its SHA-256. A second line is the same without the PAdES signature: rendering+PAdES / rendering alone. "Bare ReportLab" draws the very same page on a plain canvas, with ReportLab's
own QR widget and no signing, metadata or hashing: what a straightforward ReportLab certificate costs.
A third line draws the page with Gramota's segno QR but without signing, to show what signing itself costs.
Both run in this process, one after the other, timed in CPU seconds (so: per core).

    .venv/bin/python bench/certificates.py [--seconds 5]
"""
from __future__ import annotations

import argparse
import hashlib
import io
import time
from datetime import UTC, datetime, timedelta

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from gramota.certificates import pades, pdf, serials, signing
from gramota.certificates.rendering import verify_url

KEY = signing.SigningKey.generate()
ISSUED = datetime(2026, 5, 14, 10, 0, tzinfo=UTC)
NAME, EXAM = "Гаджиева Патимат Магомедовна", "Цифровая грамотность государственного служащего: официальные страницы"
COMPETENCES = tuple(pdf.CompetenceLine(n, p) for n, p in [
    ("Официальные страницы в социальных сетях", 92.5), ("Ответы на обращения граждан", 80.0),
    ("Коммуникация в чрезвычайных ситуациях", 75.0), ("Цифровая гигиена", 100.0)])


SIGNER = None  # the PAdES signer, built once as in a render process (key and certificates parsed once)


def gramota_certificate(sealed: bool = True) -> bytes:
    serial = serials.new_serial()
    expires = ISSUED + timedelta(days=730)
    payload = signing.Payload.of(serial, NAME, EXAM, ISSUED, 87.5, expires)
    sig = KEY.sign(payload.canonical())
    content = pdf.render(pdf.CertificatePage(
        serial_display=serials.display(serial), holder_name=NAME, exam_title=EXAM, score_percent=87.5,
        issued_at=ISSUED, verify_url=verify_url("https://gramota.example", serial, KEY.key_id, sig),
        expires_at=expires, competences=COMPETENCES, signed_token=signing.token(payload, KEY.key_id, sig),
        key_id=KEY.key_id))
    if sealed:
        content = SIGNER.sign(content)
    hashlib.sha256(content).digest()
    return content


def _widget_qr(c: canvas.Canvas, data: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(data, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    d = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    d.add(widget)
    renderPDF.draw(d, c, x, y)


def bare_reportlab(stock_qr: bool = True) -> bytes:
    serial = serials.new_serial()
    page = pdf.CertificatePage(
        serial_display=serials.display(serial), holder_name=NAME, exam_title=EXAM, score_percent=87.5,
        issued_at=ISSUED, verify_url=f"https://gramota.example/verify/{serials.display(serial)}?k={KEY.key_id}&s=" + "A" * 86,
        expires_at=ISSUED + timedelta(days=730), competences=COMPETENCES, key_id=KEY.key_id)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=landscape(A4), pageCompression=1)
    stock = pdf._qr
    if stock_qr:
        pdf._qr = _widget_qr
    try:
        pdf.draw(c, page)
    finally:
        pdf._qr = stock
    c.showPage()
    c.save()
    return buf.getvalue()


def rate(fn, seconds: float) -> tuple[float, int]:
    for _ in range(3):
        fn()  # warm-up: font subsetting caches, imports
    n, start = 0, time.process_time()
    while time.process_time() - start < seconds:
        fn()
        n += 1
    return n / (time.process_time() - start), n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="CPU seconds per measurement")
    args = parser.parse_args()
    global SIGNER
    pdf.register_fonts()
    SIGNER = pades.Signer(pades.issue_chain(KEY))
    ours, n1 = rate(gramota_certificate, args.seconds)
    unsealed, n0 = rate(lambda: gramota_certificate(sealed=False), args.seconds)
    bare, n2 = rate(bare_reportlab, args.seconds)
    plain, n3 = rate(lambda: bare_reportlab(stock_qr=False), args.seconds)
    size = len(gramota_certificate())
    print(f"gramota certificate (sign + render + PAdES + hash): {ours:7.1f} per second per core ({n1} rendered, "
          f"{size // 1024} KiB)")
    print(f"the same without the PAdES signature:              {unsealed:7.1f} per second per core ({n0} rendered); "
          f"ratio rendering+PAdES / rendering alone: {unsealed / ours:.2f}")
    print(f"bare ReportLab, same page (widget QR):      {bare:7.1f} per second per core ({n2} rendered)")
    print(f"ratio gramota / bare ReportLab:             {ours / bare:7.2f}")
    print(f"same drawing, segno QR, no signing/hash:    {plain:7.1f} per second per core ({n3} rendered); "
          f"signing, embedded token and hashing cost {100 * (1 - ours / plain):.0f}%")


if __name__ == "__main__":
    main()
