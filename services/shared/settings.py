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

    def grpc_port_of(self, service: str) -> int:
        return int(getattr(self, f"{service}_addr").rsplit(":", 1)[1])
