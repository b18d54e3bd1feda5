"""Settings of the gateway: the shared ones plus tokens, the bootstrap admin and the HTTP port."""
from __future__ import annotations

from pydantic import Field

from gramota.shared.settings import ServiceSettings

DEV_JWT_SECRET = "dev-jwt-secret-not-for-production-0123456789"
DEMO_ADMIN_PASSWORD = "gramota-demo"


class GatewaySettings(ServiceSettings):
    gateway_host: str = Field("127.0.0.1", validation_alias="GATEWAY_HOST")
    gateway_port: int = Field(8000, validation_alias="GATEWAY_PORT")
    jwt_secret: str = Field(DEV_JWT_SECRET, validation_alias="GRAMOTA_JWT_SECRET")
    access_token_minutes: int = Field(60, validation_alias="ACCESS_TOKEN_MINUTES")
    admin_password: str = Field(DEMO_ADMIN_PASSWORD, validation_alias="GRAMOTA_ADMIN_PASSWORD")
    max_body_bytes: int = Field(10 * 1024 * 1024, validation_alias="MAX_BODY_BYTES")

    def insecure_defaults(self) -> list[str]:
        bad = super().insecure_defaults()
        if self.jwt_secret == DEV_JWT_SECRET or len(self.jwt_secret) < 32:
            bad.append("GRAMOTA_JWT_SECRET")
        if self.admin_password == DEMO_ADMIN_PASSWORD or len(self.admin_password) < 12:
            bad.append("GRAMOTA_ADMIN_PASSWORD")
        return bad
