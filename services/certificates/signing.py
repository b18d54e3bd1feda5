"""Ed25519 signatures over each certificate's canonical payload, key ids, and the compact forms they travel in.

The canonical payload is JSON with sorted keys, no spaces, UTF-8 (for the strings and integers it holds,
this is exactly RFC 8785 JCS). The score travels as an integer number of hundredths of a percent, so no
float formatting can differ between a signer and a verifier. A key id is the first 16 hex digits of the
SHA-256 of the raw public key: anyone holding the published key can recompute it.
"""
from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical_json(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class Payload:
    """What a certificate asserts, and all that is signed."""

    serial: str
    holder: str
    exam: str
    issued: date
    score_centi: int            # 87.5% -> 8750
    expires: date | None = None

    def as_dict(self) -> dict:
        return {"v": 1, "serial": self.serial, "holder": self.holder, "exam": self.exam,
                "issued": self.issued.isoformat(), "score": self.score_centi,
                "expires": self.expires.isoformat() if self.expires else None}

    def canonical(self) -> bytes:
        return canonical_json(self.as_dict())

    @classmethod
    def from_dict(cls, d: dict) -> Payload:
        return cls(serial=d["serial"], holder=d["holder"], exam=d["exam"], issued=date.fromisoformat(d["issued"]),
                   score_centi=int(d["score"]), expires=date.fromisoformat(d["expires"]) if d.get("expires") else None)

    @classmethod
    def of(cls, serial: str, holder: str, exam: str, issued_at: datetime, score_percent: float,
           expires_at: datetime | None) -> Payload:
        return cls(serial, holder, exam, issued_at.date(), round(score_percent * 100),
                   expires_at.date() if expires_at else None)


def key_id(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:16]


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_secret(cls, secret: str) -> SigningKey:
        """CERT_SIGNING_KEY: the 32-byte seed as base64url, or a PKCS#8 PEM."""
        secret = secret.strip()
        if secret.startswith("-----BEGIN"):
            from cryptography.hazmat.primitives.serialization import load_pem_private_key

            key = load_pem_private_key(secret.encode(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ValueError("CERT_SIGNING_KEY is not an Ed25519 key")
            return cls(key)
        seed = unb64url(secret)
        if len(seed) != 32:
            raise ValueError("CERT_SIGNING_KEY must be a 32-byte Ed25519 seed (base64url) or a PEM")
        return cls(Ed25519PrivateKey.from_private_bytes(seed))

    def seed(self) -> str:
        return b64url(self.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))

    @property
    def public_raw(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def key_id(self) -> str:
        return key_id(self.public_raw)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)


def verify(public_raw: bytes, message: bytes, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, message)
        return True
    except (InvalidSignature, ValueError):
        return False


def token(payload: Payload | bytes, kid: str, signature: bytes) -> str:
    """The self-contained signed form embedded in the PDF: kid.payload.signature (base64url parts). The payload as
    signed: a Payload, or the exact bytes stored with the certificate."""
    raw = payload if isinstance(payload, bytes) else payload.canonical()
    return f"{kid}.{b64url(raw)}.{b64url(signature)}"


def parse_token(text: str) -> tuple[str, Payload, bytes, bytes]:
    """(key id, payload, the exact payload bytes, signature); ValueError when it is not a token."""
    kid, body, sig = text.strip().split(".")
    raw = unb64url(body)
    return kid, Payload.from_dict(json.loads(raw)), raw, unb64url(sig)
