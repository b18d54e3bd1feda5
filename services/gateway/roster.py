"""Bulk import of officials from a CSV: reading the file and checking each row (pure: no database here).

Columns (header names in English or Russian, any order, `,` or `;` as Excel writes in either locale):
name, login, email, role, federal district, region, organisation; optionally password.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from gramota.shared import csv_safe

LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{1,63}$")
# what an import may create; admins are created one by one, by an admin
IMPORTABLE_ROLES = {"candidate": "candidate", "official": "candidate", "кандидат": "candidate", "служащий": "candidate",
                    "hr": "hr", "кадры": "hr", "curator": "curator", "куратор": "curator"}
MAX_ROWS = 10_000

COLUMNS = {
    "full_name": ("name", "full_name", "full name", "фио", "имя"),
    "username": ("login", "username", "логин"),
    "email": ("email", "e-mail", "mail", "почта", "электронная почта"),
    "role": ("role", "роль"),
    "federal_district": ("federal district", "federal_district", "district", "федеральный округ", "округ"),
    "region": ("region", "регион", "субъект"),
    "organization": ("organisation", "organization", "org", "организация", "орган"),
    "password": ("password", "пароль"),
}
REQUIRED = ("full_name", "username", "role")
LIMITS = {"full_name": 200, "federal_district": 200, "region": 200, "organization": 300, "email": 320}


@dataclass
class Official:
    line: int
    username: str
    full_name: str
    role: str
    email: str | None = None
    federal_district: str = ""
    region: str = ""
    organization: str = ""
    password: str | None = None


@dataclass
class RowError:
    line: int
    login: str
    reason: str


@dataclass
class Roster:
    officials: list[Official] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


decode = csv_safe.decode  # UTF-8 (with or without the BOM), else Windows-1251


def _header_map(header: list[str]) -> tuple[dict[str, int], list[str]]:
    index, unknown = {}, []
    for i, name in enumerate(header):
        key = " ".join(name.strip().lower().replace("_", " ").split())
        for field_name, aliases in COLUMNS.items():
            if key in aliases or key == field_name.replace("_", " "):
                index.setdefault(field_name, i)
                break
        else:
            if key:
                unknown.append(name.strip())
    return index, unknown


def read(text: str) -> Roster:
    """Every row either becomes an Official or an error naming its line and the reason."""
    roster = Roster()
    rows = csv.reader(io.StringIO(text), delimiter=csv_safe.delimiter_of(text))
    try:
        header = next(rows)
    except StopIteration:
        roster.errors.append(RowError(1, "", "the file is empty"))
        return roster
    index, unknown = _header_map(header)
    missing = [f for f in REQUIRED if f not in index]
    if missing:
        roster.errors.append(RowError(1, "", "the header lacks the column(s) " + ", ".join(missing)
                                      + (f"; unknown columns: {', '.join(unknown)}" if unknown else "")))
        return roster
    seen_logins: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if number > MAX_ROWS + 1:
            roster.errors.append(RowError(number, "", f"more than {MAX_ROWS} rows: split the file"))
            break

        def cell(name: str, row=row) -> str:
            i = index.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        login = cell("username").lower()
        problems: list[str] = []
        if not LOGIN.match(login):
            problems.append("login: 2-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit")
        elif login in seen_logins:
            problems.append(f"login {login!r} already appears on line {seen_logins[login]}")
        full_name = cell("full_name")
        if not full_name:
            problems.append("name is empty")
        role = IMPORTABLE_ROLES.get(cell("role").lower())
        if role is None:
            problems.append(f"role {cell('role')!r} is not one of candidate, hr, curator")
        email = cell("email") or None
        if email is not None:
            if not EMAIL.match(email):
                problems.append(f"email {email!r} is not an e-mail address")
            elif email.lower() in seen_emails:
                problems.append(f"email {email!r} already appears on line {seen_emails[email.lower()]}")
        for name, limit in LIMITS.items():
            if len(cell(name)) > limit:
                problems.append(f"{name} is longer than {limit} characters")
        password = cell("password") or None
        if password is not None and not 8 <= len(password) <= 256:
            problems.append("password: 8-256 characters")
        if problems:
            roster.errors.append(RowError(number, login, "; ".join(problems)))
            continue
        seen_logins[login] = number
        if email:
            seen_emails[email.lower()] = number
        roster.officials.append(Official(number, login, full_name, role, email, cell("federal_district"), cell("region"),
                                         cell("organization"), password))
    return roster
