"""Pure certificate rules: status at a moment, expiry from validity, surname confirmation, bulk CSV in and out."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from gramota.shared import csv_safe

VALID, REVOKED, SUSPENDED, EXPIRED, UNKNOWN = "valid", "revoked", "suspended", "expired", "unknown"
MAX_BULK_ROWS = 20_000


def expiry(issued_at: datetime, validity_days: int) -> datetime | None:
    """The end of validity; None for an exam without a validity period (validity_days 0)."""
    return issued_at + timedelta(days=validity_days) if validity_days > 0 else None


def status_at(stored: str, expires_at: datetime | None, now: datetime) -> str:
    """Revocation beats suspension beats expiry: a revoked certificate stays revoked after its expiry date."""
    if stored in (REVOKED, SUSPENDED):
        return stored
    if expires_at is not None and expires_at <= now:
        return EXPIRED
    return VALID


def surname_matches(holder_name: str, surname: str) -> bool:
    """The surname HR typed is one of the words of the name on the certificate (any case, ё = е)."""
    def fold(s: str) -> str:
        return s.casefold().replace("ё", "е").strip()

    wanted = fold(surname)
    return bool(wanted) and wanted in {fold(w) for w in holder_name.replace("-", " ").split()}


def parse_bulk_csv(text: str) -> list[tuple[str, str]]:
    """(serial, surname) per row of an HR upload; a header row and empty rows are skipped; ; or , separated."""
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows = []
    for i, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter)):
        cells = [c.strip() for c in row]
        if not cells or not cells[0]:
            continue
        if i == 0 and cells[0].casefold() in ("serial", "серийный номер", "номер", "serial number"):
            continue
        rows.append((cells[0], cells[1] if len(cells) > 1 else ""))
        if len(rows) > MAX_BULK_ROWS:
            raise ValueError(f"a bulk check takes at most {MAX_BULK_ROWS} rows")
    return rows


def bulk_csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv_safe.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([c or "" for c in row] for row in rows)
    return out.getvalue()
