"""One settings model per service, all built on this base (read from the environment, GRAMOTA_-free names)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_INTERNAL_TOKEN = "dev-internal-token-not-for-production"
DEV_IDENTITY_KEY = "dev-identity-key-not-for-production-0123456789"


class SettingsRefused(SystemExit):
    """Raised by `load()` when the environment cannot be used: the process exits 1 with one clear line, no traceback."""


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    environment: Literal["dev", "prod"] = Field("dev", validation_alias="GRAMOTA_ENV")
    database_url: str = Field("postgresql://gramota:gramota@127.0.0.1:55432/gramota", validation_alias="DATABASE_URL")
    database_pool_max: int = Field(10, validation_alias="DATABASE_POOL_MAX")
    kafka_bootstrap: str = Field("127.0.0.1:59092", validation_alias="KAFKA_BOOTSTRAP")
    # Shared secret every internal gRPC call carries; services refuse calls without it.
    internal_token: str = Field(DEV_INTERNAL_TOKEN, validation_alias="GRAMOTA_INTERNAL_TOKEN")
    # Key (HMAC-SHA256) signing the end user's identity the gateway forwards on every call (x-gramota-identity);
    # shared by the gateway and the services, like the internal token.
    identity_key: str = Field(DEV_IDENTITY_KEY, validation_alias="GRAMOTA_IDENTITY_KEY")
    # TLS on the internal gRPC channels (production): the server's certificate and key; with a CA, servers also
    # require client certificates (mTLS) and clients check the server against it. Unset: plaintext (dev, or a mesh).
    grpc_tls_cert: str | None = Field(None, validation_alias="GRPC_TLS_CERT")
    grpc_tls_key: str | None = Field(None, validation_alias="GRPC_TLS_KEY")
    grpc_tls_ca: str | None = Field(None, validation_alias="GRPC_TLS_CA")
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")
    grpc_host: str = Field("127.0.0.1", validation_alias="GRPC_HOST")
    metrics_port: int = Field(0, validation_alias="METRICS_PORT")  # 0: no metrics endpoint
    testbank_addr: str = Field("127.0.0.1:50051", validation_alias="TESTBANK_ADDR")
    sessions_addr: str = Field("127.0.0.1:50052", validation_alias="SESSIONS_ADDR")
    scoring_addr: str = Field("127.0.0.1:50053", validation_alias="SCORING_ADDR")
    certificates_addr: str = Field("127.0.0.1:50054", validation_alias="CERTIFICATES_ADDR")
    public_base_url: str = Field("http://127.0.0.1:8000", validation_alias="PUBLIC_BASE_URL")
    # Kafka security (Strimzi: SASL_SSL + SCRAM-SHA-512); PLAINTEXT on a developer machine
    kafka_security_protocol: str = Field("PLAINTEXT", validation_alias="KAFKA_SECURITY_PROTOCOL")
    kafka_sasl_mechanism: str | None = Field(None, validation_alias="KAFKA_SASL_MECHANISM")
    kafka_sasl_username: str | None = Field(None, validation_alias="KAFKA_SASL_USERNAME")
    kafka_sasl_password: str | None = Field(None, validation_alias="KAFKA_SASL_PASSWORD")
    kafka_ssl_cafile: str | None = Field(None, validation_alias="KAFKA_SSL_CAFILE")

    @model_validator(mode="after")
    def _refuse_dev_secrets_in_prod(self) -> "ServiceSettings":
        if self.environment == "prod":
            bad = self.insecure_defaults()
            if bad:
                raise ValueError("production settings refuse default secrets: " + ", ".join(bad))
        return self

    @classmethod
    def load(cls, **overrides):
        """The settings from the environment, or a one-line refusal (exit status 1) naming what is wrong."""
        from pydantic import ValidationError

        try:
            return cls(**overrides)
        except ValidationError as exc:
            reasons = "; ".join(str(e.get("ctx", {}).get("error") or e.get("msg")) for e in exc.errors())
            raise SettingsRefused(f"gramota: refusing to start: {reasons}") from None

    def insecure_defaults(self) -> list[str]:
        """Names of settings still holding a development default (or missing); subclasses add their own."""
        bad = []
        if self.internal_token == DEV_INTERNAL_TOKEN or len(self.internal_token) < 16:
            bad.append("GRAMOTA_INTERNAL_TOKEN")
        if self.identity_key == DEV_IDENTITY_KEY or len(self.identity_key) < 32:
            bad.append("GRAMOTA_IDENTITY_KEY (the identity signing key: set 32+ random characters)")
        return bad

    def grpc_server_credentials(self):
        """Credentials for the service's port, or None for plaintext."""
        import grpc

        if not (self.grpc_tls_cert and self.grpc_tls_key):
            return None
        ca = _read(self.grpc_tls_ca) if self.grpc_tls_ca else None
        return grpc.ssl_server_credentials([(_read(self.grpc_tls_key), _read(self.grpc_tls_cert))], root_certificates=ca,
                                           require_client_auth=ca is not None)

    def grpc_channel_credentials(self):
        """Credentials for calls to other services, or None for plaintext. With a CA: the server is checked
        against it, and this process presents its own certificate (mTLS)."""
        import grpc

        if not self.grpc_tls_ca:
            return None
        has_pair = bool(self.grpc_tls_cert and self.grpc_tls_key)
        return grpc.ssl_channel_credentials(root_certificates=_read(self.grpc_tls_ca),
                                            private_key=_read(self.grpc_tls_key) if has_pair else None,
                                            certificate_chain=_read(self.grpc_tls_cert) if has_pair else None)

    def kafka_options(self) -> dict:
        """Connection options every Kafka client of the service gets (producer, consumer, admin)."""
        options: dict = {"bootstrap_servers": self.kafka_bootstrap, "security_protocol": self.kafka_security_protocol}
        if self.kafka_sasl_mechanism:
            options.update(sasl_mechanism=self.kafka_sasl_mechanism, sasl_plain_username=self.kafka_sasl_username,
                           sasl_plain_password=self.kafka_sasl_password)
        if self.kafka_ssl_cafile:
            options["ssl_cafile"] = self.kafka_ssl_cafile
        return options

    def grpc_port_of(self, service: str) -> int:
        return int(getattr(self, f"{service}_addr").rsplit(":", 1)[1])


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()
