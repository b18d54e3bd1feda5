"""Pure certificate rules: status at a moment, expiry from validity, surname confirmation, bulk CSV in and out."""
from __future__ import annotations

import base64
import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from gramota.shared import csv_safe
from gramota.shared.errors import InvalidArgument

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


@dataclass(frozen=True)
class BulkRow:
    row: int          # the line's number in the file, counted from 1 as a spreadsheet does
    serial: str       # empty: a blank row (answered as such, never dropped)
    surname: str = ""


HEADER_NAMES = ("serial", "серийный номер", "номер", "serial number", "номер сертификата")


def parse_bulk_csv(text: str) -> list[BulkRow]:
    """Every row of an HR upload in order with its row number, blank ones too; a header row is recognised and
    left out; ; or , separated (detected)."""
    rows = []
    for i, row in enumerate(csv.reader(io.StringIO(text), delimiter=csv_safe.delimiter_of(text)), start=1):
        cells = [c.strip() for c in row]
        if i == 1 and cells and cells[0].casefold() in HEADER_NAMES:
            continue
        rows.append(BulkRow(i, cells[0] if cells else "", cells[1] if len(cells) > 1 else ""))
        if len(rows) > MAX_BULK_ROWS:
            raise ValueError(f"a bulk check takes at most {MAX_BULK_ROWS} rows")
    return rows


VERIFY_METHODS = ("serial", "qr", "pdf", "bulk")


def cursor_of(at: datetime, record_id: int) -> str:
    """An opaque place in the verification history: the last record a page showed."""
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{record_id}".encode()).decode().rstrip("=")


def parse_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        at, record_id = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split("|")
        parsed = datetime.fromisoformat(at)
        if parsed.tzinfo is None:
            raise ValueError("naive")
        return parsed, int(record_id)
    except (ValueError, UnicodeDecodeError):
        raise InvalidArgument("invalid_cursor", "the cursor is not one this API gave; start again without it") from None
