"""Every CSV (or XLSX) the system writes goes through here: cells a spreadsheet would run as a formula are
neutralised. And how an uploaded CSV is read: its encoding and its delimiter, as HR's and admins' Excel saves it.

A cell starting with = + - @ (or a tab / carriage return, which Excel strips before looking) is prefixed with an
apostrophe, OWASP's advice for CSV injection: the spreadsheet shows the text as written and runs nothing.
Numbers are written as numbers (a negative score stays -1.5, not '-1.5).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """The cell as it is safe to write."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS_FIRST) else text


class SafeWriter:
    """csv.writer with every cell neutralised."""

    def __init__(self, stream, **fmtparams: Any) -> None:
        self._writer = csv.writer(stream, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream, **fmtparams: Any) -> SafeWriter:
    return SafeWriter(stream, **fmtparams)


def to_text(header: Iterable[Any], rows: Iterable[Iterable[Any]], **fmtparams: Any) -> str:
    """A whole CSV document as text (header first)."""
    out = io.StringIO()
    w = writer(out, **fmtparams)
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


def to_xlsx(header: Iterable[Any], rows: Iterable[Iterable[Any]], title: str = "Sheet1") -> bytes:
    """The same table as an Excel workbook: every text cell neutralised and stored as text (never a formula),
    numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])

    def cells(row: Iterable[Any]) -> list:
        out = []
        for value in row:
            value = neutralise(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would take a leading "=" for a formula
            out.append(cell)
        return out

    sheet.append(cells(header))
    for row in rows:
        sheet.append(cells(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def decode(raw: bytes) -> str:
    """An uploaded CSV as text: UTF-8 (with or without the BOM Excel adds), else Windows-1251 (what Excel saves
    on Russian Windows by default)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1251")


def delimiter_of(text: str) -> str:
    """';' (Excel with a Russian locale) or ',' — whichever the first non-empty line uses more."""
    first = next((line for line in text[:8192].splitlines() if line.strip()), "")
    return ";" if first.count(";") > first.count(",") else ","
