"""Server-rendered pages: the landing page and the public verify page the certificate's QR code opens."""
from __future__ import annotations

import html
from typing import Annotated

import grpc
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from gramota.shared.errors import error_info_of

from .routes.certificates import verify_serial

router = APIRouter(include_in_schema=False)

T = {
    "ru": {"title": "Грамота — проверка сертификата", "heading": "Проверка сертификата",
           "serial": "Серийный номер", "check": "Проверить", "holder": "Владелец", "exam": "Оценка",
           "issued": "Выдан", "revoked": "Отозван", "reason": "Причина",
           "status": {"valid": "Сертификат действителен", "revoked": "Сертификат отозван",
                      "expired": "Срок действия сертификата истёк", "unknown": "Сертификат с таким номером не найден"},
           "lead": "Государственная система оценки и подтверждения цифровой грамотности служащих.",
           "api": "Документация API", "other": "English"},
    "en": {"title": "Gramota — verify a certificate", "heading": "Verify a certificate",
           "serial": "Serial number", "check": "Verify", "holder": "Holder", "exam": "Assessment",
           "issued": "Issued", "revoked": "Revoked", "reason": "Reason",
           "status": {"valid": "The certificate is valid", "revoked": "The certificate has been revoked",
                      "expired": "The certificate has expired", "unknown": "No certificate has this number"},
           "lead": "Assessment and certification of the digital literacy of public officials.",
           "api": "API documentation", "other": "Русский"},
}

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f6fa;color:#1b1f24}
header{background:#1d3557;color:#fff;padding:14px 20px;display:flex;justify-content:space-between;align-items:center}
header a{color:#fff}
main{max-width:640px;margin:24px auto;padding:0 16px}
.card{background:#fff;border-radius:10px;padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.1);margin-bottom:16px}
label{display:block;font-weight:600;margin-bottom:6px}
input{font-size:1.1rem;padding:10px;width:100%;box-sizing:border-box;border:1px solid #9aa4b2;border-radius:6px;
letter-spacing:.08em;text-transform:uppercase}
button{margin-top:12px;font-size:1rem;padding:10px 18px;border:0;border-radius:6px;background:#1d3557;color:#fff;cursor:pointer}
.valid{border-left:6px solid #2a9d8f}.revoked,.expired{border-left:6px solid #e63946}.unknown,.error{border-left:6px solid #f4a261}
dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 14px;margin:12px 0 0}dt{color:#555}
"""


def _lang(lang: str | None) -> str:
    return lang if lang in T else "ru"


def _page(lang: str, title: str, body: str, other_href: str) -> HTMLResponse:
    t = T[lang]
    return HTMLResponse(
        f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>
<style>{STYLE}</style></head><body><header><strong>Грамота · Gramota</strong>
<a href="{other_href}">{t['other']}</a></header><main>{body}</main></body></html>"""
    )


@router.get("/", response_class=HTMLResponse)
async def landing(lang: Annotated[str | None, Query()] = None) -> HTMLResponse:
    lang = _lang(lang)
    t = T[lang]
    body = f"""<div class="card"><h1>Грамота</h1><p>{t['lead']}</p>
<p><a href="/verify?lang={lang}">{t['heading']}</a> · <a href="/docs">{t['api']}</a></p></div>"""
    return _page(lang, "Грамота", body, f"/?lang={'en' if lang == 'ru' else 'ru'}")


@router.get("/verify", response_class=HTMLResponse)
@router.get("/verify/{serial}", response_class=HTMLResponse)
async def verify_page(request: Request, serial: str | None = None,
                      q: Annotated[str | None, Query(alias="serial")] = None,
                      lang: Annotated[str | None, Query()] = None) -> HTMLResponse:
    lang = _lang(lang)
    t = T[lang]
    serial = serial or q
    result = ""
    if serial:
        try:
            v = await verify_serial(request.app.state.services, serial)
            rows = ""
            if v.status != "unknown":
                rows = (f"<dl><dt>{t['serial']}</dt><dd>{html.escape(v.serial)}</dd>"
                        f"<dt>{t['holder']}</dt><dd>{html.escape(v.holder_name or '')}</dd>"
                        f"<dt>{t['exam']}</dt><dd>{html.escape(v.exam_title or '')}</dd>"
                        f"<dt>{t['issued']}</dt><dd>{html.escape((v.issued_at or '')[:10])}</dd>")
                if v.revoked_at:
                    rows += (f"<dt>{t['revoked']}</dt><dd>{html.escape(v.revoked_at[:10])}</dd>"
                             f"<dt>{t['reason']}</dt><dd>{html.escape(v.revocation_reason or '')}</dd>")
                rows += "</dl>"
            result = f'<div class="card {v.status}" data-status="{v.status}"><h2>{t["status"][v.status]}</h2>{rows}</div>'
        except grpc.aio.AioRpcError as exc:
            _, message = error_info_of(exc.trailing_metadata())
            result = f'<div class="card error" data-status="error"><h2>{html.escape(message or "error")}</h2></div>'
    value = html.escape(serial or "")
    form = f"""<div class="card"><h1>{t['heading']}</h1><form method="get" action="/verify">
<input type="hidden" name="lang" value="{lang}"><label for="serial">{t['serial']}</label>
<input id="serial" name="serial" value="{value}" placeholder="XXXX-XXXX-XXXX" autocomplete="off" required>
<button type="submit">{t['check']}</button></form></div>"""
    other = f"/verify?lang={'en' if lang == 'ru' else 'ru'}" + (f"&serial={value}" if value else "")
    return _page(lang, t["title"], form + result, other)
