"""The public verify page that the QR code on every certificate opens (no login)."""
from __future__ import annotations

import html
from typing import Annotated

import grpc
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from gramota.shared.errors import error_info_of

from ..routes.certificates import verify_serial
from .layout import language, other_language, page

router = APIRouter(include_in_schema=False)

T = {
    "ru": {"title": "Грамота — проверка сертификата", "heading": "Проверка сертификата",
           "serial": "Серийный номер", "check": "Проверить", "holder": "Владелец", "exam": "Оценка",
           "issued": "Выдан", "revoked": "Отозван", "reason": "Причина",
           "status": {"valid": "Сертификат действителен", "revoked": "Сертификат отозван",
                      "expired": "Срок действия сертификата истёк", "unknown": "Сертификат с таким номером не найден"},
           "lead": "Государственная система оценки и подтверждения цифровой грамотности служащих.",
           },
    "en": {"title": "Gramota — verify a certificate", "heading": "Verify a certificate",
           "serial": "Serial number", "check": "Verify", "holder": "Holder", "exam": "Assessment",
           "issued": "Issued", "revoked": "Revoked", "reason": "Reason",
           "status": {"valid": "The certificate is valid", "revoked": "The certificate has been revoked",
                      "expired": "The certificate has expired", "unknown": "No certificate has this number"},
           "lead": "Assessment and certification of the digital literacy of public officials.",
           },
}

@router.get("/verify", response_class=HTMLResponse)
@router.get("/verify/{serial}", response_class=HTMLResponse)
async def verify_page(request: Request, serial: str | None = None,
                      q: Annotated[str | None, Query(alias="serial")] = None,
                      lang: Annotated[str | None, Query()] = None) -> HTMLResponse:
    lang = language(lang)
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
    other = f"/verify?lang={other_language(lang)}" + (f"&serial={value}" if value else "")
    return page(lang, t["title"], form + result, other)
