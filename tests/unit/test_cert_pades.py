"""The PAdES signature on certificate PDFs, checked by outside tools: poppler's pdfsig and pyHanko's validator.
Any change after signing (text laid on top in an incremental update, a changed byte) is reported by both."""
from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime

import pytest

from gramota.certificates import pades, pdf, signing
from tests import tamper

KEY = signing.SigningKey.generate()
CHAIN = pades.issue_chain(KEY)
PAGE = pdf.CertificatePage(serial_display="ABCD-EFGH-JKMN-P", holder_name="Иванова Мария Сергеевна",
                           exam_title="Цифровая грамотность", score_percent=87.5,
                           issued_at=datetime(2026, 12, 4, tzinfo=UTC), verify_url="https://gramota.example/verify/x")
SIGNED = pades.Signer(CHAIN).sign(pdf.render(PAGE))


def pdfsig(content: bytes, tmp_path) -> str:
    if shutil.which("pdfsig") is None:
        pytest.fail("pdfsig is missing: deploy/setup.sh installs poppler-utils")
    path = tmp_path / "certificate.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60).stdout


def test_pdfsig_finds_a_valid_signature_over_the_whole_file_by_the_key_s_signing_certificate(tmp_path):
    out = pdfsig(SIGNED, tmp_path)
    assert f"Signer Certificate Common Name: Gramota certificates {KEY.key_id}" in out
    assert "Signature Type: ETSI.CAdES.detached" in out
    assert "Total document signed" in out and "Signature Validation: Signature is Valid." in out


def test_pyhanko_validates_it_against_the_issuer_ca_and_only_that_ca():
    ok = pades.check(SIGNED, [CHAIN.ca_cert])
    assert (ok.signed, ok.intact, ok.whole_file, ok.trusted, ok.problems) == (True, True, True, True, ())
    other = pades.issue_chain(signing.SigningKey.generate())
    assert pades.check(SIGNED, [other.ca_cert]).problems == (
        "pdf_signer_unknown",)


def test_text_laid_on_top_in_an_incremental_update_is_reported_by_pdfsig_and_pyhanko(tmp_path):
    laid_over = tamper.overlay(SIGNED)
    assert laid_over.startswith(SIGNED)  # the signed bytes are untouched: only an update appended
    out = pdfsig(laid_over, tmp_path)
    assert "Signature Validation: Signature is Valid." in out and "Total document signed" not in out
    assert "Not total document signed" in out
    check = pades.check(laid_over, [CHAIN.ca_cert])
    assert (check.intact, check.whole_file) == (True, False)


def test_a_changed_byte_inside_the_signed_range_is_a_digest_mismatch(tmp_path):
    flipped = tamper.flip_signed_byte(SIGNED)
    assert "Signature Validation: Digest Mismatch." in pdfsig(flipped, tmp_path)
    assert not pades.check(flipped, [CHAIN.ca_cert]).intact


def test_the_signing_keys_derive_from_the_ed25519_key_so_a_rotation_makes_a_new_chain():
    again = pades.with_key(KEY, CHAIN.signing_cert, CHAIN.ca_cert)
    assert again.signing_key == CHAIN.signing_key  # same Ed25519 seed, same P-256 key: nothing else to keep secret
    rotated = pades.issue_chain(signing.SigningKey.generate())
    assert rotated.signing_key != CHAIN.signing_key and rotated.ca_cert != CHAIN.ca_cert
    both = [CHAIN.ca_cert, rotated.ca_cert]  # the register keeps every CA: old PDFs still validate
    assert pades.check(SIGNED, both).trusted
    assert pades.check(pades.Signer(rotated).sign(pdf.render(PAGE)), both).trusted


def test_unsigned_or_unreadable_files_say_so():
    assert pades.check(pdf.render(PAGE), [CHAIN.ca_cert]).problems == ("pdf_unsigned",)
    assert not pades.check(b"%PDF-1.4 nonsense", [CHAIN.ca_cert]).signed
