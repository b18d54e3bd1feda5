"""Certificate serial numbers: short, unguessable, easy to read aloud and type, with a check character.

Alphabet: Crockford's base 32 (no I, L, O, U). 11 random symbols (55 bits) + 1 check symbol computed
with the Luhn mod N algorithm, which catches every single-symbol typo and most swaps of neighbours.
Shown as XXXX-XXXX-XXXX; accepted in any case, with or without separators, with O read as 0 and
I/L read as 1, and with Cyrillic letters that look like Latin ones (a Russian keyboard layout left on) read as
their Latin twins: А В Е К М Н Р С Т Х У → A B E K M H P C T X Y, О → 0, З → 3.
"""
from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
# after upper-casing: Latin letters outside the alphabet, then Cyrillic capitals drawn like a Latin letter or a digit
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1",
                             "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "0", "Р": "P",
                             "С": "C", "Т": "T", "Х": "X", "У": "Y", "З": "3"})
RANDOM_LENGTH = 11


class InvalidSerial(ValueError):
    pass


def check_symbol(body: str) -> str:
    n = len(ALPHABET)
    total, factor = 0, 2
    for c in reversed(body):
        addend = factor * _INDEX[c]
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def new_serial() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + check_symbol(body)


def normalise(text: str) -> str:
    """The canonical 12-symbol serial, or InvalidSerial saying what is wrong."""
    compact = "".join(ch for ch in text.upper() if ch not in " -_.").translate(_LOOKALIKES)
    if len(compact) != RANDOM_LENGTH + 1:
        raise InvalidSerial(f"a serial number has {RANDOM_LENGTH + 1} characters, got {len(compact)}")
    bad = sorted({ch for ch in compact if ch not in _INDEX})
    if bad:
        raise InvalidSerial(f"a serial number cannot contain {''.join(bad)!r}")
    if check_symbol(compact[:-1]) != compact[-1]:
        raise InvalidSerial("the serial number has a typo (its check character does not match)")
    return compact


def display(serial: str) -> str:
    return "-".join(serial[i : i + 4] for i in range(0, len(serial), 4))
