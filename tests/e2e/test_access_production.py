"""Production start-up refusals: the real gateway process, started with GRAMOTA_ENV=prod, exits non-zero with one
clear line and no traceback when a secret is a development default, a password is a demo one, or a key is missing."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

GOOD = {"GRAMOTA_ENV": "prod", "GRAMOTA_INTERNAL_TOKEN": "t" * 32, "GRAMOTA_IDENTITY_KEY": "i" * 40,
        "GRAMOTA_JWT_SECRET": "j" * 40, "GRAMOTA_ADMIN_PASSWORD": "a-long-admin-password",
        # nothing listens here: a start that got past the settings would fail later, differently
        "DATABASE_URL": "postgresql://nobody:nothing@127.0.0.1:9/none", "GATEWAY_PORT": "9"}


def _start(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GRAMOTA_")}
    return subprocess.run([sys.executable, "-m", "gramota.gateway"], env={**clean, **env}, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("change", "named"), [
    ({"GRAMOTA_JWT_SECRET": None}, "GRAMOTA_JWT_SECRET"),
    ({"GRAMOTA_JWT_SECRET": "dev-jwt-secret-not-for-production-0123456789"}, "GRAMOTA_JWT_SECRET"),
    ({"GRAMOTA_IDENTITY_KEY": None}, "GRAMOTA_IDENTITY_KEY"),
    ({"GRAMOTA_INTERNAL_TOKEN": None}, "GRAMOTA_INTERNAL_TOKEN"),
    ({"GRAMOTA_ADMIN_PASSWORD": "gramota-demo"}, "GRAMOTA_ADMIN_PASSWORD"),
    ({"GRAMOTA_ADMIN_PASSWORD": None}, "GRAMOTA_ADMIN_PASSWORD"),
])
def test_the_gateway_refuses_to_start_in_production_with_an_unsafe_setting(change, named):
    env = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    done = _start(env)
    assert done.returncode != 0
    assert "refusing to start" in done.stderr and named in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
