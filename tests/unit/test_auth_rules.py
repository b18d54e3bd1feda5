"""Pure rules of identity and abuse: signed identities, refresh tokens, CSV rosters, safe CSV output, log
redaction (rate limits are counted in PostgreSQL: tests/integration/test_rate_limits.py)."""
from __future__ import annotations

import io
import json
import logging

import pytest

from gramota.gateway import roster
from gramota.gateway.auth import new_refresh_secret, refresh_hash, split_refresh_token
from gramota.gateway.passwords import hash_password, verify_password
from gramota.shared import csv_safe
from gramota.shared.grpc_runtime import (
    IDENTITY_TTL,
    Identity,
    SignedIdentities,
    VerifiedIdentities,
    sign_identity,
    verify_identity,
)
from gramota.shared.logs import REDACTED, RedactingFilter

KEY = "k" * 40


# --- the identity forwarded to the services -----------------------------------------------------------
def test_a_signed_identity_verifies_with_the_same_key_only():
    who = Identity("u1", "curator", ("СКФО",), ("Республика Дагестан",))
    header = sign_identity(KEY, who)
    assert verify_identity(KEY, header) == who
    assert verify_identity("x" * 40, header) is None


def test_a_tampered_identity_is_refused():
    header = sign_identity(KEY, Identity("u1", "candidate"))
    payload, mac = header.split(".")
    forged = sign_identity(KEY, Identity("u1", "admin")).split(".")[0] + "." + mac
    assert verify_identity(KEY, forged) is None
    assert verify_identity(KEY, payload) is None
    assert verify_identity(KEY, "garbage") is None


def test_an_identity_expires_after_its_short_lifetime():
    header = sign_identity(KEY, Identity("u1", "hr"), now=1000.0)
    assert verify_identity(KEY, header, now=1000.0 + IDENTITY_TTL - 1) is not None
    assert verify_identity(KEY, header, now=1000.0 + IDENTITY_TTL + 1) is None


# --- passwords and refresh tokens ---------------------------------------------------------------------
def test_passwords_are_argon2_hashes_that_verify_only_the_right_password():
    stored = hash_password("correct horse")
    assert stored.startswith("$argon2") and "correct" not in stored
    assert verify_password(stored, "correct horse") and not verify_password(stored, "wrong horse")
    assert not verify_password("!", "anything")  # an imported account without a password


def test_the_server_keeps_only_a_hash_of_a_refresh_secret():
    secret, digest = new_refresh_secret()
    assert len(secret) >= 40 and digest == refresh_hash(secret) and secret.encode() not in digest
    assert split_refresh_token("not-a-uuid.secret") is None
    sid, rest = split_refresh_token("7b0c4b4e-8f0e-4d51-9a2f-0c1d2e3f4a5b.abc.def")
    assert str(sid).startswith("7b0c4b4e") and rest == "abc.def"


# --- the officials' CSV -------------------------------------------------------------------------------
def test_a_roster_accepts_russian_headers_semicolons_and_role_aliases():
    text = "ФИО;Логин;Почта;Роль;Федеральный округ;Регион;Организация\nАлиев;aliev;a@b.ru;кандидат;СКФО;Дагестан;Минцифры\n"
    result = roster.read(text)
    assert result.errors == []
    [o] = result.officials
    assert (o.line, o.username, o.role, o.region, o.organization) == (2, "aliev", "candidate", "Дагестан", "Минцифры")


def test_a_roster_reports_every_bad_row_by_line():
    text = ("name,login,role,email\n"
            "Иванов,ivanov,candidate,\n"
            ",nameless,candidate,\n"
            "Петров,ivanov,candidate,\n"
            "Сидоров,sidorov,root,\n"
            "Орлова,orlova,hr,broken\n"
            "\n"
            "Козлов,k,candidate,\n")
    result = roster.read(text)
    assert [o.username for o in result.officials] == ["ivanov"]
    assert [(e.line, e.login) for e in result.errors] == [(3, "nameless"), (4, "ivanov"), (5, "sidorov"), (6, "orlova"),
                                                          (8, "k")]


def test_a_roster_without_required_columns_names_them():
    [error] = roster.read("name,email\nИванов,a@b.ru\n").errors
    assert error.line == 1 and "username" in error.reason and "role" in error.reason


def test_windows_1251_files_are_read():
    assert roster.decode("Иванов".encode("cp1251")) == "Иванов"
    assert roster.decode("\ufeffИванов".encode()) == "Иванов"


# --- CSV output ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("cell", ["=1+1", "+7 999", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd", '=HYPERLINK("http://x")'])
def test_cells_a_spreadsheet_would_run_are_neutralised(cell):
    assert csv_safe.neutralise(cell) == "'" + cell


def test_ordinary_cells_and_numbers_are_written_as_they_are():
    out = io.StringIO()
    csv_safe.writer(out).writerows([["Алиев", 72.5, -1, "a=b", None]])
    assert out.getvalue().strip() == "Алиев,72.5,-1,a=b,"
    assert csv_safe.to_text(["a"], [["=x"]]).splitlines() == ["a", "'=x"]


# --- logs ---------------------------------------------------------------------------------------------
def _logged(*args, **extra) -> dict:
    record = logging.LogRecord("t", logging.INFO, __file__, 1, args[0], args[1:] or None, None)
    for k, v in extra.items():
        setattr(record, k, v)
    assert RedactingFilter().filter(record)
    fields = {k: v for k, v in vars(record).items() if k in extra}
    return {"message": record.getMessage(), **fields}


def test_logs_never_carry_passwords_tokens_or_answers():
    logged = _logged("login for %s with password=%s", "aliev", "hunter2", password="hunter2",
                     body={"refresh_token": "abc", "answer": {"option_ids": ["o1"]}, "serial": "ABCD"},
                     authorization="Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig")
    text = json.dumps(logged, ensure_ascii=False)
    for secret in ("hunter2", "abc", "o1", "eyJhbGci"):
        assert secret not in text
    assert logged["password"] == REDACTED and logged["body"]["serial"] == "ABCD"
    assert "aliev" in logged["message"]


def test_bearer_tokens_inside_free_text_are_redacted():
    logged = _logged("call failed: Authorization: Bearer abc.def.ghi then token=xyz")
    assert "abc.def" not in logged["message"] and "xyz" not in logged["message"]


def test_a_signed_header_is_reused_for_half_its_lifetime_then_renewed():
    now = [1_000.0]
    signer = SignedIdentities(KEY, clock=lambda: now[0])
    who = Identity("u1", "candidate")
    first = signer.header(who)
    now[0] += IDENTITY_TTL / 2 - 1
    assert signer.header(who) == first
    now[0] += 2
    renewed = signer.header(who)
    assert renewed != first and verify_identity(KEY, renewed, now[0]) == who


def test_a_verified_header_is_remembered_until_it_expires_and_forgeries_never_are():
    now = [1_000.0]
    verifier = VerifiedIdentities(KEY, clock=lambda: now[0])
    who = Identity("u1", "candidate", ("ЦФО",), ("77",))
    header = sign_identity(KEY, who, now[0])
    assert verifier.identity(header) == who
    assert verifier.identity(header) == who  # remembered
    payload, mac = header.split(".")
    forged = sign_identity(KEY, Identity("u1", "admin"), now[0]).split(".")[0] + "." + mac
    assert verifier.identity(forged) is None
    assert verifier.identity(forged) is None  # a refusal is not remembered as an identity
    now[0] += IDENTITY_TTL + 1
    assert verifier.identity(header) is None  # expired, even though it was verified before
