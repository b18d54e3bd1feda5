"""Numbers, percents, dates and plural forms as people write them, in Russian and English: the CLDR rules via
Babel, never by hand. «1 вопрос, 2 вопроса, 5 вопросов, 1,5 балла», «33,3 %» (a non-breaking space before the
sign), «4 декабря 2026 г.». The pages' scripts use the browser's Intl (the same CLDR data) for what they draw."""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

NBSP = "\u00a0"


@lru_cache(maxsize=8)
def _locale(lang: str) -> Locale:
    return Locale.parse("en_GB" if lang == "en" else "ru")


@lru_cache(maxsize=16)
def _percent_pattern(lang: str, digits: int) -> str:
    pattern = _locale(lang).percent_formats[None].pattern   # ru "#,##0 %" (NBSP), en "#,##0%"
    return pattern.replace("0", "0." + "#" * digits, 1) if digits else pattern


def number(value: float, lang: str, digits: int = 1) -> str:
    """«1 234,5» / «1,234.5»: at most `digits` decimals, none when the value is whole."""
    return format_decimal(round(value, digits), format="#,##0." + "#" * digits if digits else "#,##0",
                          locale=_locale(lang))


def percent(value: float, lang: str, digits: int = 1) -> str:
    """A percentage given as 0..100: «33,3 %» in Russian (non-breaking space), «33.3%» in English."""
    return format_percent(round(value, digits) / 100, format=_percent_pattern(lang, digits), locale=_locale(lang))


def plural_form(count: float, lang: str) -> str:
    """The CLDR plural category of `count`: one, few, many or other."""
    return _locale(lang).plural_form(count)


def counted(count: float, forms: dict[str, str], lang: str, digits: int = 1) -> str:
    """«5 вопросов», «1,5 балла», «1 question»: the number and the noun in the form CLDR's rules choose.
    `forms` maps plural categories (one, few, many, other) to the noun; a missing category falls back to other."""
    word = forms.get(plural_form(count, lang)) or forms["other"]
    return f"{number(count, lang, digits)}{NBSP}{word}"


def long_date(value: str | date | datetime | None, lang: str) -> str:
    """«4 декабря 2026 г.» / «December 4, 2026»; an ISO string is read first; None or "" gives ""."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, "long", locale=_locale(lang))
