"""The Open Badges 3.0 credential, its eddsa-rdfc-2022 proof, the did:web issuer and the Bitstring Status Lists.

Checked against outside references: the W3C vc-di-eddsa specification's eddsa-rdfc-2022 test vector (its values
are written below as the specification publishes them: no package registry carries them) and 1EdTech's OB 3.0
AchievementCredential JSON schema (../shared/standards/ob3; skipped with a message when absent). The DCC verifier
stack checks the credentials of a running system in tests/e2e/test_open_badge_verifiers.py.
"""
from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gramota.certificates import badge, linked_data
from gramota.certificates.signing import SigningKey, b64url

AT = datetime(2026, 5, 14, 10, 0, tzinfo=UTC)
SCHEMA = Path(__file__).resolve().parents[2].parent / "shared" / "standards" / "ob3" / \
    "ob_v3p0_achievementcredential_schema.json"

# W3C vc-di-eddsa, "Representation: eddsa-rdfc-2022" test vector (TestVectors/keyPair.json and eddsa-rdfc-2022/*)
VECTOR_SECRET = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
VECTOR_PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
VECTOR_EXAMPLES_CONTEXT = {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}
VECTOR_UNSIGNED = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
VECTOR_PROOF_CONFIG = {
    "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2023-02-24T23:36:38Z",
    "verificationMethod": "https://vc.example/issuers/5678#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
    "proofPurpose": "assertionMethod",
}
VECTOR_COMBINED_HASH = ("4c4d3890a157f8d611b13c265c2c22f39aa0a567c7c7dd9ba3e45cd579784eeb"
                        "517744132ae165a5349155bef0bb0cf2258fff99dfe1dbd914b938d775a36017")
VECTOR_PROOF_VALUE = "z21EVs3eXERqTn4acNHT9viboqgzUaQ3kTmhPT3eA8qrVPE7CrQq78WkzctnMX5W4CrzcKnHw8V6dvy5pgWYCU5e9"


@pytest.fixture
def vector_contexts(monkeypatch):
    """The installed contexts plus the specification's tiny examples context, which no package carries."""
    contexts = {**linked_data.contexts(), "https://www.w3.org/ns/credentials/examples/v2": VECTOR_EXAMPLES_CONTEXT}
    monkeypatch.setattr(linked_data, "contexts", lambda: contexts)


def test_the_canonicalisation_and_the_signature_reproduce_the_w3c_eddsa_rdfc_2022_vector(vector_contexts):
    secret = badge.unbase58(VECTOR_SECRET[1:])
    assert secret[:2] == b"\x80\x26"  # multicodec ed25519-priv
    key = SigningKey.from_secret(b64url(secret[2:]))
    assert badge.multikey(key.public_raw) == VECTOR_PUBLIC
    hash_data = badge._hash_data(VECTOR_UNSIGNED, VECTOR_PROOF_CONFIG)
    assert hash_data.hex() == VECTOR_COMBINED_HASH
    assert "z" + badge.base58(key.sign(hash_data)) == VECTOR_PROOF_VALUE
    signed = VECTOR_UNSIGNED | {"proof": VECTOR_PROOF_CONFIG | {"proofValue": VECTOR_PROOF_VALUE}}
    assert badge.check(signed, key.public_raw)


def credential(key: SigningKey, **kw) -> dict:
    doc = badge.credential(**{"base_url": "https://gramota.example", "serial_display": "7KQ3-M9XH-2PRT",
                              "holder_name": "Иванова Ирина Петровна", "identity_salt": "5f0c9a", "exam_id": "e1",
                              "exam_title": "Цифровая грамотность", "score_percent": 87.5, "issued_at": AT,
                              "expires_at": None, "status_seq": 3} | kw)
    return badge.sign(doc, key, badge.did_web("https://gramota.example"), AT)


def test_the_credential_names_the_issuer_by_did_web_and_the_holder_only_by_a_salted_hash():
    key = SigningKey.generate()
    doc = credential(key)
    assert doc["issuer"]["id"] == "did:web:gramota.example"
    assert doc["proof"][0]["verificationMethod"] == f"did:web:gramota.example#{key.key_id}"
    assert doc["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022" and doc["proof"][0]["proofPurpose"] == "assertionMethod"
    assert "Иванова" not in json.dumps(doc, ensure_ascii=False)
    (identity,) = doc["credentialSubject"]["identifier"]
    assert identity["hashed"] is True and identity["salt"] == "5f0c9a"
    # a verifier who is shown the name recomputes the hash from it and the salt
    assert identity["identityHash"] == badge.identity_hash("Иванова Ирина Петровна", "5f0c9a")
    assert identity["identityHash"] != badge.identity_hash("Иванова Ирина Павловна", "5f0c9a")


def test_the_proof_verifies_with_its_key_and_breaks_on_any_change():
    key = SigningKey.generate()
    doc = credential(key)
    assert badge.check(doc, key.public_raw)
    assert not badge.check(doc, SigningKey.generate().public_raw)
    changed = json.loads(json.dumps(doc))
    changed["credentialSubject"]["result"][0]["value"] = "97.5"
    assert not badge.check(changed, key.public_raw)


def test_the_credential_validates_against_the_ob3_achievement_credential_schema():
    if not SCHEMA.exists():
        pytest.skip(f"the OB 3.0 JSON schema is not at {SCHEMA} (../shared/standards/ob3)")
    from jsonschema import Draft201909Validator

    schema = json.loads(SCHEMA.read_text())
    validator = Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)
    for doc in (credential(SigningKey.generate()),
                credential(SigningKey.generate(), expires_at=datetime(2029, 5, 14, tzinfo=UTC))):
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]
        assert errors == []
    # and the schema is a real check: the old shape (proof an object) fails it
    old = credential(SigningKey.generate())
    old["proof"] = old["proof"][0]
    assert any(list(e.absolute_path) == ["proof"] for e in validator.iter_errors(old))


def test_did_web_encodes_the_port_and_the_path_and_lists_every_key_as_a_multikey():
    assert badge.did_web("http://127.0.0.1:8000") == "did:web:127.0.0.1%3A8000"
    assert badge.did_web("https://gramota.gov.example/exams/") == "did:web:gramota.gov.example:exams"
    assert badge.did_document_path("https://gramota.gov.example") == "/.well-known/did.json"
    assert badge.did_document_path("https://gramota.gov.example/exams") == "/exams/did.json"
    old, new = SigningKey.generate(), SigningKey.generate()
    doc = badge.did_document("https://g.example", [(old.key_id, old.public_raw), (new.key_id, new.public_raw)])
    assert [m["id"] for m in doc["verificationMethod"]] == doc["assertionMethod"] == [
        f"did:web:g.example#{old.key_id}", f"did:web:g.example#{new.key_id}"]
    assert {m["type"] for m in doc["verificationMethod"]} == {"Multikey"}
    assert badge.from_multikey(doc["verificationMethod"][0]["publicKeyMultibase"]) == old.public_raw


def test_a_status_list_holds_131072_bits_gzipped_as_multibase_base64url_with_bit_0_first():
    encoded = badge.encode_list({0, 9, badge.LIST_SIZE - 1})
    assert encoded.startswith("u") and "=" not in encoded
    bits = badge.decode_list(encoded)
    assert len(bits) * 8 == badge.LIST_SIZE == 131_072
    assert bits[0] == 0b1000_0000 and bits[1] == 0b0100_0000 and bits[-1] == 0b0000_0001
    assert sum(bin(b).count("1") for b in bits) == 3
    body = encoded[1:]
    assert base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))[:2] == b"\x1f\x8b"  # GZIP


def test_each_certificate_has_its_own_scattered_place_in_the_lists():
    places = [badge.status_position(seq) for seq in range(badge.LIST_SIZE + 2)]
    first = [index for list_no, index in places if list_no == 0]
    assert sorted(first) == list(range(badge.LIST_SIZE))  # a bijection: no two certificates share a bit
    assert places[badge.LIST_SIZE] == (1, 0) and places[badge.LIST_SIZE + 1][0] == 1
    assert abs(places[1][1] - places[0][1]) > 1  # neighbours in issue order are not neighbours in the list
    entry = badge.status_entry("https://g.example", "revocation", 5)
    assert entry == {"id": f"https://g.example/api/v1/status-lists/revocation/0#{places[5][1]}",
                     "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                     "statusListIndex": str(places[5][1]),
                     "statusListCredential": "https://g.example/api/v1/status-lists/revocation/0"}


def test_the_status_list_credential_is_signed_by_the_same_issuer():
    key = SigningKey.generate()
    doc = badge.status_list_credential("https://g.example", "suspension", 0, {7}, AT)
    signed = badge.sign(doc, key, badge.did_web("https://g.example"), AT)
    assert signed["issuer"] == "did:web:g.example" and signed["type"][1] == "BitstringStatusListCredential"
    assert signed["credentialSubject"]["statusPurpose"] == "suspension"
    assert badge.check(signed, key.public_raw)
