"""The landing page: what Gramota is, and where each kind of user goes."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from .layout import esc, language, other_language, page

router = APIRouter()

T = {
    "ru": {
        "lead": "Оценка и подтверждение цифровой грамотности государственных и муниципальных служащих: "
                "ведение официальных страниц, ответы на обращения граждан, коммуникация в ЧС, цифровая гигиена.",
        "doors": [
            ("/exam", "Служащим", "Сдать экзамен", "Список доступных экзаменов, таймер, сохранение ответов, результат."),
            ("/my/certificates", "Служащим", "Мои сертификаты", "PDF и цифровой бейдж Open Badges."),
            ("/verify", "Кадровым службам", "Проверить сертификат", "По номеру, QR-коду, файлу PDF или списком CSV."),
            ("/dashboard", "Кураторам программы", "Аналитика", "Доля сдавших по округам, регионам и организациям."),
            ("/bank", "Авторам заданий", "Банк заданий", "Вопросы, версии, компетенции, импорт GIFT и QTI."),
        ],
        "api": "Документация API",
    },
    "en": {
        "lead": "Assessment and certification of the digital literacy of public officials: official pages, "
                "citizens' appeals online, emergency communication, digital hygiene.",
        "doors": [
            ("/exam", "Officials", "Sit an exam", "Available exams, countdown, answers saved as you go, result."),
            ("/my/certificates", "Officials", "My certificates", "PDF and an Open Badges credential."),
            ("/verify", "HR", "Verify a certificate", "By serial, QR code, PDF file or a CSV list."),
            ("/dashboard", "Programme curators", "Analytics", "Pass rates by federal district, region and organisation."),
            ("/bank", "Item authors", "Test bank", "Items, versions, competences, GIFT and QTI import."),
        ],
        "api": "API documentation",
    },
}

STYLE = """<style>
.doors{display:grid;grid-template-columns:repeat(auto-fit,minmax(250px,1fr));gap:14px}
.door{display:block;text-decoration:none;color:inherit;border-top:4px solid var(--gold)}
.door:hover{box-shadow:0 3px 10px rgba(0,0,0,.15)}
.door small{color:#555;text-transform:uppercase;letter-spacing:.05em;font-size:.75rem}
.door h2{margin:.3rem 0;color:var(--navy);font-size:1.25rem}
</style>"""


@router.get("/", response_class=HTMLResponse)
async def landing(lang: Annotated[str | None, Query()] = None) -> HTMLResponse:
    lang = language(lang)
    t = T[lang]
    doors = "".join(
        f'<a class="card door" href="{href}?lang={lang}"><small>{esc(who)}</small><h2>{esc(title)}</h2>'
        f"<p>{esc(text)}</p></a>"
        for href, who, title, text in t["doors"]
    )
    body = f"""<div class="card"><h1>Грамота</h1><p>{esc(t['lead'])}</p></div>
<nav class="doors" aria-label="{esc(t['api'])}">{doors}</nav>
<p><a href="/docs">{t['api']}</a></p>"""
    return page(lang, "Грамота", body, f"/?lang={other_language(lang)}", extra_head=STYLE)
