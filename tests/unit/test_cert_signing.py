"""Signatures, key ids, rotation-safe secrets, and the production key requirement (the Open Badge: test_open_badge.py)."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from gramota.certificates import badge, signing
from gramota.certificates.settings import CertificatesSettings

AT = datetime(2026, 5, 14, 10, 0, tzinfo=UTC)


def payload(**kw) -> signing.Payload:
    return signing.Payload.of(**{"serial": "7KQ3M9XH2PRT", "holder": "Иванова Ирина", "exam": "Экзамен",
                                 "issued_at": AT, "score_percent": 70.0, "expires_at": None} | kw)


def test_a_signature_verifies_and_any_change_breaks_it():
    key = signing.SigningKey.generate()
    sig = key.sign(payload().canonical())
    assert signing.verify(key.public_raw, payload().canonical(), sig)
    assert not signing.verify(key.public_raw, payload(holder="Иванова Инна").canonical(), sig)
    assert not signing.verify(key.public_raw, payload(score_percent=100).canonical(), sig)
    assert not signing.verify(signing.SigningKey.generate().public_raw, payload().canonical(), sig)
    assert not signing.verify(key.public_raw, payload().canonical(), sig[:-1] + bytes([sig[-1] ^ 1]))


def test_the_canonical_payload_is_stable_json_with_the_score_in_hundredths():
    assert payload(score_percent=87.5).canonical() == (
        '{"exam":"Экзамен","expires":null,"holder":"Иванова Ирина","issued":"2026-05-14","score":8750,'
        '"serial":"7KQ3M9XH2PRT","v":1}').encode()


def test_the_token_round_trips():
    key = signing.SigningKey.generate()
    p = payload()
    kid, back, raw, sig = signing.parse_token(signing.token(p, key.key_id, key.sign(p.canonical())))
    assert (kid, back, raw) == (key.key_id, p, p.canonical()) and signing.verify(key.public_raw, raw, sig)


def test_the_signing_key_is_read_from_a_seed_or_a_pem_and_keeps_its_id():
    key = signing.SigningKey.generate()
    assert signing.SigningKey.from_secret(key.seed()).key_id == key.key_id
    pem = key.private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()
    assert signing.SigningKey.from_secret(pem).key_id == key.key_id
    assert signing.SigningKey(Ed25519PrivateKey.generate()).key_id != key.key_id
    with pytest.raises(ValueError):
        signing.SigningKey.from_secret("c2hvcnQ")


def test_production_refuses_to_start_without_a_signing_key(monkeypatch):
    monkeypatch.setenv("GRAMOTA_ENV", "prod")
    monkeypatch.setenv("GRAMOTA_INTERNAL_TOKEN", "a-real-internal-token-for-production")
    monkeypatch.setenv("GRAMOTA_IDENTITY_KEY", "a-real-identity-signing-key-of-32-characters-or-more")
    monkeypatch.delenv("CERT_SIGNING_KEY", raising=False)
    with pytest.raises(ValueError, match="CERT_SIGNING_KEY"):
        CertificatesSettings()
    monkeypatch.setenv("CERT_SIGNING_KEY", signing.SigningKey.generate().seed())
    assert CertificatesSettings().cert_signing_key


def test_base58_round_trips_leading_zeros():
    for data in (b"\0\0abc", bytes(range(64)), b"\xff" * 64):
        assert badge.unbase58(badge.base58(data)) == data
