"""The languages pages and answers come in: Russian by default, English on request."""
from __future__ import annotations

from fastapi import Request

LANGUAGES = ("ru", "en")


def language(lang: str | None) -> str:
    return lang if lang in LANGUAGES else "ru"


def other_language(lang: str) -> str:
    return "en" if lang == "ru" else "ru"


def request_language(request: Request, lang: str | None = None) -> str:
    """`?lang=` when it names a language we have; else the first of them Accept-Language prefers; else Russian."""
    if lang in LANGUAGES:
        return lang
    ranked = []
    for n, part in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and q > 0:
            ranked.append((-q, n, primary))
    return min(ranked)[2] if ranked else "ru"
