"""Production settings refuse development secrets, demo passwords and missing signing keys; dev runs on defaults."""
from __future__ import annotations

import pytest

from gramota.gateway.settings import DEMO_ADMIN_PASSWORD, GatewaySettings
from gramota.shared.settings import ServiceSettings, SettingsRefused

GOOD = {"GRAMOTA_ENV": "prod", "GRAMOTA_INTERNAL_TOKEN": "t" * 32, "GRAMOTA_IDENTITY_KEY": "i" * 40,
        "GRAMOTA_JWT_SECRET": "j" * 40, "GRAMOTA_ADMIN_PASSWORD": "a-long-admin-password"}


@pytest.fixture
def env(monkeypatch):
    for name in GOOD:
        monkeypatch.delenv(name, raising=False)

    def set_env(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_env


def test_development_starts_on_defaults(env):
    assert GatewaySettings().environment == "dev"


def test_production_with_every_secret_set_starts(env):
    env(**GOOD)
    assert GatewaySettings.load().environment == "prod"


@pytest.mark.parametrize(("missing", "named"), [
    ("GRAMOTA_JWT_SECRET", "GRAMOTA_JWT_SECRET"),
    ("GRAMOTA_IDENTITY_KEY", "GRAMOTA_IDENTITY_KEY"),
    ("GRAMOTA_INTERNAL_TOKEN", "GRAMOTA_INTERNAL_TOKEN"),
    ("GRAMOTA_ADMIN_PASSWORD", "GRAMOTA_ADMIN_PASSWORD"),
])
def test_production_refuses_a_default_secret(env, missing, named):
    env(**{k: v for k, v in GOOD.items() if k != missing})
    with pytest.raises(SettingsRefused) as refused:
        GatewaySettings.load()
    assert named in str(refused.value) and "Traceback" not in str(refused.value)


@pytest.mark.parametrize("password", [DEMO_ADMIN_PASSWORD, "official-demo", "short"])
def test_production_refuses_a_demo_or_short_admin_password(env, password):
    env(**{**GOOD, "GRAMOTA_ADMIN_PASSWORD": password})
    with pytest.raises(SettingsRefused, match="GRAMOTA_ADMIN_PASSWORD"):
        GatewaySettings.load()


def test_services_refuse_a_missing_identity_key_in_production(env):
    env(GRAMOTA_ENV="prod", GRAMOTA_INTERNAL_TOKEN="t" * 32)
    with pytest.raises(SettingsRefused, match="GRAMOTA_IDENTITY_KEY"):
        ServiceSettings.load()


def test_tls_is_off_unless_certificates_are_given(env, tmp_path):
    settings = ServiceSettings()
    assert settings.grpc_server_credentials() is None and settings.grpc_channel_credentials() is None
