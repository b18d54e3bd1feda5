"""Certificate rules: status at a moment, expiry, surname confirmation, bulk CSV in and out, the rate limit."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from gramota.certificates import domain
from gramota.shared import csv_safe

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


def test_bulk_csv_takes_a_header_semicolons_and_answers_every_row_with_its_number():
    B = domain.BulkRow
    assert domain.parse_bulk_csv("serial,surname\nAAAA-BBBB-CCCC,Иванов\n\nDDDD\n") == [
        B(2, "AAAA-BBBB-CCCC", "Иванов"), B(3, ""), B(4, "DDDD", "")]
    assert domain.parse_bulk_csv("Серийный номер;Фамилия\nAAAA;Петров\n;\n") == [B(2, "AAAA", "Петров"), B(3, "", "")]
    # Excel on Russian Windows: Windows-1251 and semicolons; a blank first line does not hide the delimiter
    raw = "\r\nAAAA;Петров\r\nBBBB;Сидорова\r\n".encode("cp1251")
    assert domain.parse_bulk_csv(csv_safe.decode(raw)) == [B(1, ""), B(2, "AAAA", "Петров"), B(3, "BBBB", "Сидорова")]
    assert csv_safe.decode("\ufeffAAAA,Ёлкин".encode()) == "AAAA,Ёлкин"  # UTF-8 with the BOM Excel writes
    assert csv_safe.decode("AAAA,Ёлкин".encode()) == "AAAA,Ёлкин"


def test_csv_and_xlsx_cells_that_a_spreadsheet_would_run_are_neutralised():
    table = [["=HYPERLINK(\"x\")", "valid"], ["+1", "-2"], ["@SUM(A1)", 3]]
    out = csv_safe.to_text(["input", "status"], table, lineterminator="\r\n")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[1][0] == "'=HYPERLINK(\"x\")" and rows[2] == ["'+1", "'-2"] and rows[3] == ["'@SUM(A1)", "3"]
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(csv_safe.to_xlsx(["input", "status"], table))).active
    cells = [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows(min_row=2)]
    assert cells == [[("'=HYPERLINK(\"x\")", "s"), ("valid", "s")], [("'+1", "s"), ("'-2", "s")],
                     [("'@SUM(A1)", "s"), (3, "n")]]  # text stays text, never a formula; numbers stay numbers


