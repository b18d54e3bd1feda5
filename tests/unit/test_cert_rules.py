"""Certificate rules: status at a moment, expiry, surname confirmation, bulk CSV in and out, the rate limit."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from gramota.certificates import domain

NOW = datetime(2026, 5, 14, tzinfo=UTC)


def test_status_revoked_beats_suspended_beats_expired():
    past = NOW - timedelta(days=1)
    assert domain.status_at("valid", None, NOW) == "valid"
    assert domain.status_at("valid", past, NOW) == "expired"
    assert domain.status_at("valid", NOW + timedelta(days=1), NOW) == "valid"
    assert domain.status_at("suspended", past, NOW) == "suspended"
    assert domain.status_at("revoked", past, NOW) == "revoked"


def test_expiry_from_the_exams_validity_days():
    assert domain.expiry(NOW, 0) is None
    assert domain.expiry(NOW, 365) == NOW + timedelta(days=365)


def test_surname_is_confirmed_in_any_case_and_with_yo():
    assert domain.surname_matches("Пётрова Анна Ивановна", "петрова")
    assert domain.surname_matches("Салтыков-Щедрин Михаил", "ЩЕДРИН")
    assert not domain.surname_matches("Петрова Анна", "Петров")
    assert not domain.surname_matches("Петрова Анна", " ")


def test_bulk_csv_takes_a_header_semicolons_and_empty_rows():
    assert domain.parse_bulk_csv("serial,surname\nAAAA-BBBB-CCCC,Иванов\n\nDDDD\n") == [
        ("AAAA-BBBB-CCCC", "Иванов"), ("DDDD", "")]
    assert domain.parse_bulk_csv("Серийный номер;Фамилия\nAAAA;Петров\n") == [("AAAA", "Петров")]


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    out = domain.bulk_csv(["input", "status"], [["=HYPERLINK(\"x\")", "valid"], ["+1", "-2"], ["@SUM(A1)", "ok"]])
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[1][0] == "'=HYPERLINK(\"x\")" and rows[2] == ["'+1", "'-2"] and rows[3][0] == "'@SUM(A1)"


