"""Settings of the certificates service: the shared ones plus the Ed25519 signing key."""
from __future__ import annotations

from pydantic import Field

from gramota.shared.settings import ServiceSettings


class CertificatesSettings(ServiceSettings):
    # The current signing key (32-byte seed, base64url, or a PKCS#8 PEM), from a secret. Rotating it keeps the
    # old public halves in signing_keys, so old certificates keep verifying. Unset in dev: a key is generated
    # on first start and kept in the database; production refuses to start without one.
    cert_signing_key: str | None = Field(None, validation_alias="CERT_SIGNING_KEY")

    def insecure_defaults(self) -> list[str]:
        bad = super().insecure_defaults()
        if not self.cert_signing_key:
            bad.append("CERT_SIGNING_KEY")
        return bad
