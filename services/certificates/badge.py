"""The certificate as an Open Badges 3.0 OpenBadgeCredential (W3C VC 2.0 JSON) with a Data Integrity proof.

The proof follows the eddsa-jcs-2022 cryptosuite: the hash of the JCS-canonical proof options (with the
document's @context) followed by the hash of the JCS-canonical credential without its proof, signed with the
certificate service's Ed25519 key; proofValue is multibase base58btc. JCS here is json.dumps with sorted keys
and no spaces, which equals RFC 8785 for the strings and integers the credential holds (no floats on purpose).
The verificationMethod names the key in /.well-known/gramota-keys.json (not a DID document; a verifier takes
the raw public key from there).
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

from .signing import SigningKey, canonical_json, verify

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def base58(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def unbase58(text: str) -> bytes:
    n = 0
    for ch in text:
        n = n * 58 + _B58.index(ch)
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def _iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def credential(*, base_url: str, serial_display: str, holder_name: str, holder_user_id: str, exam_id: str,
               exam_title: str, score_percent: float, issued_at: datetime, expires_at: datetime | None) -> dict:
    base = base_url.rstrip("/")
    doc = {
        "@context": CONTEXT,
        "id": f"{base}/verify/{serial_display}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": base, "type": ["Profile"], "name": "Gramota"},
        "name": exam_title,
        "validFrom": _iso(issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityHash": holder_name, "identityType": "name",
                            "hashed": False}],
            "achievement": {
                "id": f"{base}/exams/{exam_id}",
                "type": ["Achievement"],
                "name": exam_title,
                "description": f"Digital literacy assessment: {exam_title}",
                "criteria": {"narrative": "Passed the Gramota assessment at or above its pass mark."},
            },
            "result": [{"type": ["Result"], "value": f"{score_percent:.1f}"}],
        },
        "credentialStatus": {"id": f"{base}/api/v1/verify/{serial_display}", "type": "GramotaVerification"},
    }
    if expires_at:
        doc["validUntil"] = _iso(expires_at)
    return doc


def _hash_data(document: dict, options: dict) -> bytes:
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = {k: v for k, v in options.items() if k != "proofValue"} | {"@context": document["@context"]}
    return hashlib.sha256(canonical_json(config)).digest() + hashlib.sha256(canonical_json(unsecured)).digest()


def sign(document: dict, key: SigningKey, base_url: str, created: datetime) -> dict:
    options = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", "created": _iso(created),
               "verificationMethod": f"{base_url.rstrip('/')}/.well-known/gramota-keys.json#{key.key_id}",
               "proofPurpose": "assertionMethod"}
    proof = options | {"proofValue": "z" + base58(key.sign(_hash_data(document, options)))}
    return document | {"proof": proof}


def check(document: dict, public_raw: bytes) -> bool:
    proof = document.get("proof") or {}
    value = proof.get("proofValue", "")
    if proof.get("cryptosuite") != "eddsa-jcs-2022" or not value.startswith("z"):
        return False
    return verify(public_raw, _hash_data(document, proof), unbase58(value[1:]))


def dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)
