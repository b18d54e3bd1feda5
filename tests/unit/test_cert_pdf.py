"""The certificate PDF: Cyrillic text that extracts, metadata, the signed payload inside, a QR that decodes."""
from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from gramota.certificates import pdf, signing
from gramota.certificates.rendering import verify_url
from gramota.certificates.verification import read_pdf

ISSUED = datetime(2026, 5, 14, 10, 0, tzinfo=UTC)
KEY = signing.SigningKey.generate()


def page(language="ru", **kw) -> pdf.CertificatePage:
    payload = signing.Payload.of("7KQ3M9XH2PRT", "Гаджиева Патимат Магомедовна", "Цифровая гигиена служащего", ISSUED,
                                 87.5, ISSUED + timedelta(days=730))
    sig = KEY.sign(payload.canonical())
    fields = dict(serial_display="7KQ3-M9XH-2PRT", holder_name=payload.holder, exam_title=payload.exam,
                  score_percent=87.5, issued_at=ISSUED, language=language, expires_at=ISSUED + timedelta(days=730),
                  verify_url=verify_url("https://gramota.example", "7KQ3M9XH2PRT", KEY.key_id, sig),
                  competences=(pdf.CompetenceLine("Цифровая гигиена", 100), pdf.CompetenceLine("Обращения граждан", 75)),
                  signed_token=signing.token(payload, KEY.key_id, sig), key_id=KEY.key_id)
    return pdf.CertificatePage(**fields | kw)


def test_russian_text_extracts_from_the_pdf():
    content = pdf.render(page())
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    # a space before «%» and before «г.» (non-breaking ones, drawn from CLDR's patterns: see below), as on the pages
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    for expected in ("СЕРТИФИКАТ", "Гаджиева Патимат Магомедовна", "«Цифровая гигиена служащего»", "87,5 %",
                     "14 мая 2026 г.", "Действителен до", "13 мая 2028 г.", "7KQ3-M9XH-2PRT",
                     "Обращения граждан", "75 %"):
        assert expected in text, expected
    assert pdf.percent(87.5, "ru") == "87,5\u00a0%" and pdf.percent(75, "en") == "75%"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_pdftotext_reads_the_same_cyrillic():
    content = pdf.render(page())
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    assert "Гаджиева Патимат Магомедовна" in text and "Результаты по компетенциям" in text


def test_english_certificates_read_in_english():
    text = PdfReader(io.BytesIO(pdf.render(page("en")))).pages[0].extract_text()
    assert "CERTIFICATE" in text and "14 May 2026" in text and "87.5%" in text and "Valid until" in text


def test_metadata_and_the_embedded_signed_payload():
    content = pdf.render(page())
    meta = PdfReader(io.BytesIO(content)).metadata
    assert meta.title.endswith("№ 7KQ3-M9XH-2PRT") and meta.author == "Gramota"
    assert "Гаджиева" in meta.subject
    token, _ = read_pdf(content)
    kid, payload, raw, sig = signing.parse_token(token)
    assert kid == KEY.key_id and payload.holder == "Гаджиева Патимат Магомедовна" and payload.score_centi == 8750
    assert signing.verify(KEY.public_raw, raw, sig)


def test_no_expiry_is_printed_as_such():
    text = PdfReader(io.BytesIO(pdf.render(page(expires_at=None)))).pages[0].extract_text()
    assert "бессрочно" in text


@pytest.mark.skipif(not (shutil.which("zbarimg") and shutil.which("pdftoppm")), reason="zbar-tools/poppler missing")
def test_the_qr_code_decodes_to_the_signed_verify_url(tmp_path):
    p = page()
    (tmp_path / "c.pdf").write_bytes(pdf.render(p))
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", tmp_path / "c.pdf", tmp_path / "c"], check=True)
    decoded = subprocess.run(["zbarimg", "-q", "--raw", tmp_path / "c.png"], capture_output=True, text=True,
                             check=True).stdout.strip()
    assert decoded == p.verify_url
    assert decoded.startswith("https://gramota.example/verify/7KQ3-M9XH-2PRT?k=" + KEY.key_id + "&s=")
