"""The landing page: what Gramota is, and where each kind of user goes."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from .layout import other_language, page

router = APIRouter()

T = {
    "ru": {"lead": "Оценка и подтверждение цифровой грамотности государственных и муниципальных служащих.",
           "verify": "Проверить сертификат", "api": "Документация API"},
    "en": {"lead": "Assessment and certification of the digital literacy of public officials.",
           "verify": "Verify a certificate", "api": "API documentation"},
}


@router.get("/", response_class=HTMLResponse)
async def landing(lang: Annotated[str | None, Query()] = None) -> HTMLResponse:
    lang = lang if lang in T else "ru"
    t = T[lang]
    body = f"""<div class="card"><h1>Грамота</h1><p>{t['lead']}</p>
<p><a href="/verify?lang={lang}">{t['verify']}</a> · <a href="/docs">{t['api']}</a></p></div>"""
    return page(lang, "Грамота", body, f"/?lang={other_language(lang)}")
