"""Abuse: account lockout, rate limits on login and on public verification, request body limits.

Two more gateway processes with small limits run beside the system's own (same database and services): replicas
that share their rate limits through the database. Their clients connect from loopback addresses of their own
(127.0.0.2, 127.0.0.3), so the per-address buckets these tests use up are not the ones every other test, calling
the system's gateway from 127.0.0.1, relies on.
"""
from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.conftest import PORT_OFFSET, ROOT, wait_until
from tests.e2e.conftest import make_candidate, query

PORTS = (18050 + PORT_OFFSET, 18051 + PORT_OFFSET)  # inside this run's own port range (offsets are 100 apart)
LIMITS = {"LOGIN_RATE_PER_ACCOUNT": "6", "LOGIN_RATE_PER_ADDRESS": "15", "VERIFY_RATE_PER_ADDRESS": "5",
          "LOCKOUT_FAILURES": "3", "LOCKOUT_MINUTES": "10", "MAX_BODY_BYTES": "4096"}


@pytest.fixture(scope="module")
def strict_gateways(system):
    """Base URLs of two gateway replicas with small limits."""
    procs = []
    try:
        for n, port in enumerate(PORTS):
            log = open(system.logs / f"gateway-strict-{n}.log", "ab")
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "gramota.gateway"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                env={**system.env, **LIMITS, "GATEWAY_PORT": str(port), "METRICS_PORT": "0"}))
        bases = [f"http://127.0.0.1:{port}" for port in PORTS]
        for proc, base in zip(procs, bases, strict=True):
            wait_until(lambda: proc.poll() is None and httpx.get(f"{base}/healthz", timeout=2).status_code == 200,  # noqa: B023
                       timeout=60, message=f"the strict gateway at {base}")
            assert proc.poll() is None, f"the strict gateway at {base} exited (port taken?)"
        yield bases
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)


def client_from(base: str, address: str) -> httpx.Client:
    """A client whose requests come from `address` (any 127.x.y.z reaches the gateway on 127.0.0.1)."""
    return httpx.Client(base_url=base, timeout=30, transport=httpx.HTTPTransport(local_address=address))


@pytest.fixture(scope="module")
def strict(strict_gateways):
    """A client of the first replica."""
    with client_from(strict_gateways[0], "127.0.0.2") as client:
        yield client


def _login(client, username, password):
    return client.post("/api/v1/auth/token", data={"username": username, "password": password})


def _is_problem(r, status, code):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == code


def test_repeated_wrong_passwords_lock_the_account_with_a_clear_message(strict, api, admin, unique):
    make_candidate(api, admin, f"lock{unique}")
    for _ in range(2):
        _is_problem(_login(strict, f"lock{unique}", "wrong-password"), 401, "invalid_credentials")
    r = _login(strict, f"lock{unique}", "wrong-password")
    _is_problem(r, 423, "account_locked")
    assert "locked until" in r.json()["detail"] and r.json()["locked_until"]
    assert 500 <= int(r.headers["Retry-After"]) <= 601
    # even the right password waits for the lock to pass
    _is_problem(_login(strict, f"lock{unique}", "secret-pass-1"), 423, "account_locked")

    # an admin unlocks it (re-enabling resets the counter)
    user = api.get("/api/v1/users", headers=admin, params={"q": f"lock{unique}"}).json()[0]
    assert user["locked_until"]
    assert api.patch(f"/api/v1/users/{user['id']}", headers=admin, json={"disabled": False}).status_code == 200
    assert _login(strict, f"lock{unique}", "secret-pass-1").status_code == 200


def test_logins_to_one_account_are_rate_limited_even_when_it_does_not_exist(strict, unique):
    statuses = [_login(strict, f"ghost{unique}", "x").status_code for _ in range(7)]
    assert statuses[:6] == [401] * 6 and statuses[6] == 429
    r = _login(strict, f"ghost{unique}", "x")
    _is_problem(r, 429, "too_many_requests")
    assert int(r.headers["Retry-After"]) >= 1


def test_logins_from_one_address_are_rate_limited_across_accounts(strict, unique):
    # the bucket may be partly used by the tests above: keep going until it refuses, within a bound
    for i in range(40):
        r = _login(strict, f"spray{i}{unique}", "x")
        if r.status_code == 429:
            _is_problem(r, 429, "too_many_requests")
            assert i <= 15
            return
    pytest.fail("40 logins from one address were never limited")


def _accounts(system, prefix: str, count: int, password_hash: str) -> list[str]:
    """`count` candidate accounts written straight into the gateway's table, all with one password hash."""
    names = [f"{prefix}-{i}" for i in range(count)]
    query(system.database_url, "INSERT INTO gateway.users (id, username, password_hash, full_name, role) "
          "SELECT gen_random_uuid(), n, $2, 'Служащий ' || n, 'candidate' FROM unnest($1::text[]) AS n",
          names, password_hash)
    return names


def test_a_hall_behind_one_address_logs_in_while_guessing_from_it_is_stopped(strict_gateways, system, unique):
    """500 good logins from one address pass a limit of 15 failed logins a minute per address (only failures count),
    while an attacker at the same address guessing one official's password is stopped at once; then guessing across
    accounts from that address is stopped by the same limit."""
    from gramota.gateway.passwords import hash_password

    hall = _accounts(system, f"hall{unique}", 500, hash_password("hall-password"))
    victim = _accounts(system, f"victim{unique}", 1, hash_password("victim-password"))[0]
    with client_from(strict_gateways[0], "127.0.0.5") as c, ThreadPoolExecutor(8) as pool:
        good = pool.map(lambda name: _login(c, name, "hall-password").status_code, hall)
        guesses = pool.map(lambda i: _login(c, victim, f"guess-{i}").status_code, range(60))
        good, guesses = list(good), list(guesses)
        assert good == [200] * 500
        # the account's own limits stop guessing it: a few wrong passwords are checked, then it is locked (423)
        # or refused (429), and even the right password no longer opens it
        assert guesses.count(401) <= int(LIMITS["LOCKOUT_FAILURES"]) and set(guesses) <= {401, 423, 429}, guesses
        assert _login(c, victim, "victim-password").status_code in (423, 429)
        # guessing across accounts from the same address: stopped by the failures per address
        for i in range(40):
            r = _login(c, f"spray{i}{unique}", "x")
            if r.status_code == 429:
                _is_problem(r, 429, "too_many_requests")
                break
        else:
            pytest.fail("40 failed logins from one address were never limited")
        assert i + guesses.count(401) <= int(LIMITS["LOGIN_RATE_PER_ADDRESS"]) + 1  # + what refilled meanwhile


def test_a_password_hashed_at_an_older_cost_is_rehashed_at_the_next_good_login(strict_gateways, system, unique):
    from argon2 import PasswordHasher

    from gramota.gateway.passwords import ARGON2_MEMORY_KIB, ARGON2_TIME_COST

    old = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash("old-password")  # the earlier default
    name = _accounts(system, f"oldhash{unique}", 1, old)[0]
    strict = client_from(strict_gateways[0], "127.0.0.6")
    assert _login(strict, name, "old-password").status_code == 200
    [row] = query(system.database_url, "SELECT password_hash FROM gateway.users WHERE username = $1", name)
    assert row["password_hash"].startswith(f"$argon2id$v=19$m={ARGON2_MEMORY_KIB},t={ARGON2_TIME_COST},p=1$")
    assert _login(strict, name, "old-password").status_code == 200  # the new hash verifies the same password
    assert _login(strict, name, "wrong-password").status_code == 401


def test_public_verification_is_rate_limited_per_address(strict):
    codes = []
    for _ in range(12):
        codes.append(strict.get("/api/v1/verify/ABCD-EFGH-JKLM").status_code)
        if codes[-1] == 429:
            break
    assert codes[-1] == 429 and len(codes) <= 6
    r = strict.get("/api/v1/verify/ABCD-EFGH-JKLM")
    _is_problem(r, 429, "too_many_requests")
    assert int(r.headers["Retry-After"]) >= 1
    assert strict.get("/verify", params={"serial": "ABCD"}).status_code == 429  # the page shares the budget
    assert strict.get("/healthz").status_code == 200  # other paths are not limited


def test_gateway_replicas_share_one_budget(strict_gateways, system):
    """Alternating between the two replicas gets no more than one replica's budget (5 a minute)."""
    with client_from(strict_gateways[0], "127.0.0.3") as a, client_from(strict_gateways[1], "127.0.0.3") as b:
        started = time.monotonic()
        codes = [(a if i % 2 else b).get("/api/v1/verify/ABCD-EFGH-JKLM").status_code for i in range(10)]
        refilled = int((time.monotonic() - started) / 12)  # a token comes back every 12 s (a slow machine)
        assert 429 not in codes[:5], codes
        assert len(codes) - codes.count(429) <= 5 + refilled, codes  # per replica, it would have been 10
        for client in (a, b):
            r = client.get("/api/v1/verify/ABCD-EFGH-JKLM")
            _is_problem(r, 429, "too_many_requests")
            assert int(r.headers["Retry-After"]) >= 1
        [bucket] = query(system.database_url, "SELECT tokens, allowed FROM gateway.rate_limit_buckets "
                                              "WHERE bucket = 'verify' AND key = '127.0.0.3'")
        assert bucket["tokens"] < 1 and not bucket["allowed"]
        # the budget is the address's: another address still has its own
        with client_from(strict_gateways[1], "127.0.0.4") as c:
            assert c.get("/api/v1/verify/ABCD-EFGH-JKLM").status_code != 429


def test_a_body_over_the_limit_is_refused(strict, admin):
    r = strict.post("/api/v1/users/import", headers={**admin, "Content-Type": "text/csv"}, content=b"x" * 5000)
    _is_problem(r, 413, "body_too_large")


def test_a_chunked_body_without_a_length_is_limited_too(strict, admin):
    def chunks(total):
        sent = 0
        while sent < total:
            yield b"y" * 1000
            sent += 1000

    r = strict.post("/api/v1/users/import", headers={**admin, "Content-Type": "text/csv"}, content=chunks(20_000))
    assert "content-length" not in r.request.headers and r.request.headers["transfer-encoding"] == "chunked"
    _is_problem(r, 413, "body_too_large")
    # a small chunked body goes through
    r = strict.post("/api/v1/users/import", headers={**admin, "Content-Type": "text/csv"},
                    content=iter([b"name,login,role\n", b"A,", b"b" + str(time.time_ns()).encode()[-6:] + b",candidate\n"]),
                    params={"dry_run": "true"})
    assert r.status_code == 200, r.text
