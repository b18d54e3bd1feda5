"""The certificate as an Open Badges 3.0 OpenBadgeCredential (W3C VC 2.0), and what a verifier needs to check it.

- Proof: a Data Integrity proof, cryptosuite eddsa-rdfc-2022 (W3C vc-di-eddsa): the SHA-256 of the RDFC-1.0
  canonical proof configuration (with the document's @context) followed by the SHA-256 of the canonical credential
  without its proof, signed with Ed25519; proofValue is multibase base58btc; proofPurpose assertionMethod. `proof`
  is a list, as the OB 3.0 JSON schema wants.
- Issuer: did:web for the host of PUBLIC_BASE_URL (a port as %3A, a path as :segments). Its DID document lists
  every key Gramota ever signed with as a Multikey, so a credential signed before a key rotation still verifies.
- Holder: a salted SHA-256 of the name as printed on the certificate (`sha256$` hex, hashed: true), never the
  name in clear.
- Status: a BitstringStatusListEntry (W3C Bitstring Status List v1.0) pointing at Gramota's signed revocation list.
  The OB 3.0 schema takes one credentialStatus object, so the credential names the revocation list; the suspension
  list (same index, served beside it) is there for verifiers that know the index.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
from datetime import datetime
from urllib.parse import quote, urlsplit

from . import linked_data
from .signing import SigningKey, verify

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXT = [VC_CONTEXT, OB_CONTEXT]
DID_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
CRYPTOSUITE = "eddsa-rdfc-2022"
ED25519_MULTICODEC = b"\xed\x01"
PURPOSES = ("revocation", "suspension")
LIST_SIZE = 131_072        # bits per status list: the spec's minimum, for herd privacy
_SCATTER = 40_503          # odd, so i -> i * _SCATTER mod 2**17 is a bijection: issue order is not list order


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


def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- the issuer -------------------------------------------------------------------------------------------
def did_web(base_url: str) -> str:
    """did:web of the deployment: did:web:host%3Aport for http://host:port, did:web:host:a:b for https://host/a/b."""
    parts = urlsplit(base_url)
    did = "did:web:" + quote(parts.netloc, safe="")
    segments = [s for s in parts.path.split("/") if s]
    return ":".join([did, *(quote(s, safe="") for s in segments)])


def did_document_path(base_url: str) -> str:
    """Where did:web looks for the DID document, relative to the host: /.well-known/did.json, or /path/did.json."""
    path = urlsplit(base_url).path.strip("/")
    return f"/{path}/did.json" if path else "/.well-known/did.json"


def multikey(public_raw: bytes) -> str:
    """An Ed25519 public key as a Multikey publicKeyMultibase: base58btc of the multicodec 0xed01 + the 32 bytes."""
    return "z" + base58(ED25519_MULTICODEC + public_raw)


def from_multikey(value: str) -> bytes:
    raw = unbase58(value[1:]) if value.startswith("z") else b""
    if not raw.startswith(ED25519_MULTICODEC) or len(raw) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return raw[2:]


def verification_method(did: str, key_id: str) -> str:
    return f"{did}#{key_id}"


def did_document(base_url: str, keys: list[tuple[str, bytes]]) -> dict:
    """The DID document: every (key id, raw public key) ever used, each a Multikey usable for assertionMethod."""
    did = did_web(base_url)
    methods = [{"id": verification_method(did, kid), "type": "Multikey", "controller": did,
                "publicKeyMultibase": multikey(raw)} for kid, raw in keys]
    return {"@context": DID_CONTEXT, "id": did, "verificationMethod": methods,
            "assertionMethod": [m["id"] for m in methods]}


def issuer_profile(base_url: str) -> dict:
    return {"id": did_web(base_url), "type": ["Profile"], "name": "Gramota", "url": base_url.rstrip("/")}


def achievement_url(base_url: str, exam_id: str) -> str:
    return f"{base_url.rstrip('/')}/api/v1/achievements/{exam_id}"


def achievement(base_url: str, exam_id: str, exam_title: str) -> dict:
    return {
        "id": achievement_url(base_url, exam_id),
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": exam_title,
        "description": f"Digital literacy assessment: {exam_title}",
        "criteria": {"narrative": "Passed the Gramota assessment at or above its pass mark."},
        "creator": issuer_profile(base_url),
    }


# --- the holder ------------------------------------------------------------------------------------------
def identity_hash(name: str, salt: str) -> str:
    """OB 3.0 IdentityHash: `sha256$` + hex SHA-256 of the identity followed by the salt."""
    return "sha256$" + hashlib.sha256((name + salt).encode()).hexdigest()


# --- status lists ----------------------------------------------------------------------------------------
def status_position(seq: int) -> tuple[int, int]:
    """(list number, bit index) of the certificate with status sequence number seq (0, 1, 2... in issue order)."""
    return seq // LIST_SIZE, (seq % LIST_SIZE) * _SCATTER % LIST_SIZE


def status_list_url(base_url: str, purpose: str, list_no: int) -> str:
    return f"{base_url.rstrip('/')}/api/v1/status-lists/{purpose}/{list_no}"


def status_entry(base_url: str, purpose: str, seq: int) -> dict:
    list_no, index = status_position(seq)
    url = status_list_url(base_url, purpose, list_no)
    return {"id": f"{url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": purpose,
            "statusListIndex": str(index), "statusListCredential": url}


def encode_list(set_bits: set[int], size: int = LIST_SIZE) -> str:
    """Bitstring Status List encodedList: multibase base64url (no padding) of the GZIP of the bitstring; bit 0 is
    the most significant bit of the first byte."""
    bits = bytearray(size // 8)
    for i in set_bits:
        bits[i // 8] |= 0x80 >> (i % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).rstrip(b"=").decode()


def decode_list(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url ('u')")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def status_list_credential(base_url: str, purpose: str, list_no: int, set_bits: set[int], now: datetime) -> dict:
    url = status_list_url(base_url, purpose, list_no)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": did_web(base_url),
        "validFrom": iso(now),
        "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList", "statusPurpose": purpose,
                              "encodedList": encode_list(set_bits)},
    }


# --- the credential --------------------------------------------------------------------------------------
def credential(*, base_url: str, serial_display: str, holder_name: str, identity_salt: str, exam_id: str,
               exam_title: str, score_percent: float, issued_at: datetime, expires_at: datetime | None,
               status_seq: int) -> dict:
    base = base_url.rstrip("/")
    doc = {
        "@context": CONTEXT,
        "id": f"{base}/verify/{serial_display}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(base),
        "name": exam_title,
        "validFrom": iso(issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityHash": identity_hash(holder_name, identity_salt),
                            "identityType": "name", "hashed": True, "salt": identity_salt}],
            "achievement": achievement(base, exam_id, exam_title),
            "result": [{"type": ["Result"], "value": f"{score_percent:.1f}"}],
        },
        "credentialStatus": status_entry(base, "revocation", status_seq),
    }
    if expires_at:
        doc["validUntil"] = iso(expires_at)
    return doc


def _hash_data(unsecured: dict, proof_config: dict) -> bytes:
    config = {"@context": unsecured["@context"], **{k: v for k, v in proof_config.items() if k != "proofValue"}}
    return (hashlib.sha256(linked_data.canonicalize(config).encode()).digest()
            + hashlib.sha256(linked_data.canonicalize(unsecured).encode()).digest())


def sign(document: dict, key: SigningKey, did: str, created: datetime) -> dict:
    """The document with a proof: DataIntegrityProof / eddsa-rdfc-2022 / assertionMethod, `proof` a list."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = {"type": "DataIntegrityProof", "cryptosuite": CRYPTOSUITE, "created": iso(created),
              "verificationMethod": verification_method(did, key.key_id), "proofPurpose": "assertionMethod"}
    proof = config | {"proofValue": "z" + base58(key.sign(_hash_data(unsecured, config)))}
    return unsecured | {"proof": [proof]}


def check(document: dict, public_raw: bytes) -> bool:
    """Gramota's own check of the proof made with this key (the tests also check with an outside verifier)."""
    proofs = document.get("proof") or []
    proofs = proofs if isinstance(proofs, list) else [proofs]
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    for proof in proofs:
        value = proof.get("proofValue", "")
        if proof.get("cryptosuite") == CRYPTOSUITE and value.startswith("z") and verify(
                public_raw, _hash_data(unsecured, proof), unbase58(value[1:])):
            return True
    return False


def dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)
