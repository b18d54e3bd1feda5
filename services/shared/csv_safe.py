"""Every CSV the system writes goes through here: cells a spreadsheet would run as a formula are neutralised.

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
