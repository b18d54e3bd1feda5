"""Settings of the gateway: the shared ones plus tokens, the bootstrap admin, abuse limits and the HTTP port."""
from __future__ import annotations

from pydantic import Field

from gramota.shared.settings import ServiceSettings

DEV_JWT_SECRET = "dev-jwt-secret-not-for-production-0123456789"
DEMO_ADMIN_PASSWORD = "gramota-demo"
# every password `make run` prints (services/seed.py): none of them may guard a production admin
DEMO_PASSWORDS = frozenset({DEMO_ADMIN_PASSWORD, "official-demo", "hr-demo-pass", "curator-demo"})


class GatewaySettings(ServiceSettings):
    gateway_host: str = Field("127.0.0.1", validation_alias="GATEWAY_HOST")
    gateway_port: int = Field(8000, validation_alias="GATEWAY_PORT")
    jwt_secret: str = Field(DEV_JWT_SECRET, validation_alias="GRAMOTA_JWT_SECRET")
    access_token_minutes: int = Field(15, validation_alias="ACCESS_TOKEN_MINUTES")
    refresh_token_days: int = Field(14, validation_alias="REFRESH_TOKEN_DAYS")
    admin_password: str = Field(DEMO_ADMIN_PASSWORD, validation_alias="GRAMOTA_ADMIN_PASSWORD")
    max_body_bytes: int = Field(10 * 1024 * 1024, validation_alias="MAX_BODY_BYTES")
    # abuse: consecutive wrong passwords before an account locks, and for how long
    lockout_failures: int = Field(5, validation_alias="LOCKOUT_FAILURES")
    lockout_minutes: int = Field(15, validation_alias="LOCKOUT_MINUTES")
    # rate limits, per minute (token buckets in PostgreSQL, shared by every gateway replica). Logins: FAILED logins
    # (and failed refreshes) per account and per address; good ones are never counted, so a whole administration
    # behind one NAT address logs in at once, while guessing from one address stops after this many failures
    login_rate_per_account: int = Field(10, ge=1, validation_alias="LOGIN_RATE_PER_ACCOUNT")
    login_rate_per_address: int = Field(300, ge=1, validation_alias="LOGIN_RATE_PER_ADDRESS")
    verify_rate_per_address: int = Field(120, ge=1, validation_alias="VERIFY_RATE_PER_ADDRESS")

    def insecure_defaults(self) -> list[str]:
        bad = super().insecure_defaults()
        if self.jwt_secret == DEV_JWT_SECRET or len(self.jwt_secret) < 32:
            bad.append("GRAMOTA_JWT_SECRET (the token signing key: set 32+ random characters)")
        if self.admin_password in DEMO_PASSWORDS or len(self.admin_password) < 12:
            bad.append("GRAMOTA_ADMIN_PASSWORD (a demo password, or shorter than 12 characters)")
        return bad
