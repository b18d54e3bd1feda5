"""One settings model per service, all built on this base (read from the environment, GRAMOTA_-free names)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_INTERNAL_TOKEN = "dev-internal-token-not-for-production"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    environment: Literal["dev", "prod"] = Field("dev", validation_alias="GRAMOTA_ENV")
    database_url: str = Field("postgresql://gramota:gramota@127.0.0.1:55432/gramota", validation_alias="DATABASE_URL")
    database_pool_max: int = Field(10, validation_alias="DATABASE_POOL_MAX")
    kafka_bootstrap: str = Field("127.0.0.1:59092", validation_alias="KAFKA_BOOTSTRAP")
    # Shared secret every internal gRPC call carries; services refuse calls without it.
    internal_token: str = Field(DEV_INTERNAL_TOKEN, validation_alias="GRAMOTA_INTERNAL_TOKEN")
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

    def insecure_defaults(self) -> list[str]:
        """Names of settings still holding a development default; subclasses add their own."""
        return ["GRAMOTA_INTERNAL_TOKEN"] if self.internal_token == DEV_INTERNAL_TOKEN else []

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
