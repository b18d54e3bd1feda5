"""The public verify page for HR (no login): by serial, by the QR link, by uploading the PDF, or a CSV of serials."""
from __future__ import annotations

from typing import Annotated

import grpc
from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from gramota.shared.errors import error_info_of

from ..problems import Problem
from ..routes.certificates import (
    BulkFormat,
    VerificationOut,
    bulk_response,
    optional_user,
    read_upload,
    verifier,
    verify_pdf_file,
    verify_rows,
    verify_serial,
)
from .layout import esc, language, other_language, page

router = APIRouter(include_in_schema=False)

T = {
    "ru": {"title": "Грамота — проверка сертификата", "heading": "Проверка сертификата",
           "serial": "Серийный номер", "check": "Проверить", "holder": "Владелец", "exam": "Оценка",
           "issued": "Выдан", "expires": "Действителен до", "revoked": "Отозван", "reason": "Причина",
           "suspended": "Приостановлен", "replaced": "Заменён сертификатом",
           "status": {"valid": "Сертификат действителен", "revoked": "Сертификат отозван",
                      "suspended": "Действие сертификата приостановлено",
                      "expired": "Срок действия сертификата истёк", "unknown": "Сертификат с таким номером не найден"},
           "sig_ok": "Электронная подпись из QR-кода верна.",
           "sig_bad": "Подпись из QR-кода НЕ совпадает: ссылка или документ подделаны.",
           "pdf_heading": "Проверить файл PDF", "pdf_label": "Файл сертификата (PDF)", "pdf_check": "Проверить файл",
           "document": {"authentic": "Файл подлинный: это тот самый выданный документ.",
                        "intact": "Данные файла совпадают с подписанными и с реестром.",
                        "altered": "Файл изменён: видимые или встроенные данные не совпадают с подписанными.",
                        "signature_invalid": "Подпись файла неверна: документ подделан.",
                        "not_a_certificate": "В файле нет подписанных данных Грамоты: это не наш сертификат."},
           "csv_heading": "Массовая проверка (CSV)",
           "csv_help": "Одна строка — один сертификат: серийный номер и, по желанию, фамилия владельца через запятую "
                       "или точку с запятой (CSV из Excel в UTF-8 или Windows-1251). В ответ — каждая строка файла "
                       "с её номером и статусом.",
           "csv_label": "Файл CSV", "csv_check": "Проверить и скачать результат", "format": "Формат ответа",
           "errors": {"invalid_serial": "В номере опечатка или лишние символы: проверьте номер (12 знаков, контрольный "
                                        "знак не сходится).",
                      "too_many_requests": "Слишком много проверок с вашего адреса. Подождите несколько секунд.",
                      "not_a_pdf": "Файл не читается как PDF.", "file_too_large": "Файл слишком большой (до 3 МБ).",
                      "too_many_rows": "Слишком много строк в CSV.",
                      "unavailable": "Сервис проверки временно недоступен. Повторите попытку позже."},
           },
    "en": {"title": "Gramota — verify a certificate", "heading": "Verify a certificate",
           "serial": "Serial number", "check": "Verify", "holder": "Holder", "exam": "Assessment",
           "issued": "Issued", "expires": "Valid until", "revoked": "Revoked", "reason": "Reason",
           "suspended": "Suspended", "replaced": "Replaced by",
           "status": {"valid": "The certificate is valid", "revoked": "The certificate has been revoked",
                      "suspended": "The certificate is suspended",
                      "expired": "The certificate has expired", "unknown": "No certificate has this number"},
           "sig_ok": "The signature from the QR code is valid.",
           "sig_bad": "The signature from the QR code does NOT match: the link or the document is forged.",
           "pdf_heading": "Check a PDF file", "pdf_label": "Certificate file (PDF)", "pdf_check": "Check the file",
           "document": {"authentic": "Authentic: this is the very file that was issued.",
                        "intact": "The file's data match the signed data and the register.",
                        "altered": "The file was altered: visible or embedded data differ from what was signed.",
                        "signature_invalid": "The file's signature fails: the document is forged.",
                        "not_a_certificate": "The file holds no Gramota signed data: not one of our certificates."},
           "csv_heading": "Bulk check (CSV)",
           "csv_help": "One row per certificate: the serial and, optionally, the holder's surname after a comma "
                       "or a semicolon (a CSV from Excel, UTF-8 or Windows-1251). You get back every row of the file "
                       "with its number and status.",
           "csv_label": "CSV file", "csv_check": "Check and download the result", "format": "Answer as",
           "errors": {"invalid_serial": "The number has a typo (12 characters; its check character does not match).",
                      "too_many_requests": "Too many checks from your address. Wait a few seconds.",
                      "not_a_pdf": "The file is not a readable PDF.", "file_too_large": "The file is too large (3 MB max).",
                      "too_many_rows": "Too many rows in the CSV.",
                      "unavailable": "Verification is unavailable at the moment. Try again later."},
           },
}


def _card(t: dict, v: VerificationOut) -> str:
    rows = ""
    if v.status != "unknown":
        rows = (f"<dl><dt>{t['serial']}</dt><dd>{esc(v.serial)}</dd><dt>{t['holder']}</dt><dd>{esc(v.holder_name)}</dd>"
                f"<dt>{t['exam']}</dt><dd>{esc(v.exam_title)}</dd><dt>{t['issued']}</dt><dd>{esc((v.issued_at or '')[:10])}</dd>")
        if v.expires_at:
            rows += f"<dt>{t['expires']}</dt><dd>{esc(v.expires_at[:10])}</dd>"
        if v.suspended_at:
            rows += f"<dt>{t['suspended']}</dt><dd>{esc(v.suspended_at[:10])}</dd>"
        if v.revoked_at:
            rows += (f"<dt>{t['revoked']}</dt><dd>{esc(v.revoked_at[:10])}</dd>"
                     f"<dt>{t['reason']}</dt><dd>{esc(v.revocation_reason)}</dd>")
        if v.replaced_by_serial:
            rows += f"<dt>{t['replaced']}</dt><dd>{esc(v.replaced_by_serial)}</dd>"
        rows += "</dl>"
    status = v.status if v.signature_valid is not False else "revoked"
    sig = ""
    if v.signature_checked:
        sig = f'<p data-signature="{"valid" if v.signature_valid else "invalid"}">' \
              f'{t["sig_ok"] if v.signature_valid else t["sig_bad"]}</p>'
    return f'<div class="card {status}" data-status="{v.status}"><h2>{t["status"][v.status]}</h2>{sig}{rows}</div>'


def _error(t: dict, code: str, message: str) -> str:
    text = t["errors"].get(code) or message or code
    return f'<div class="card error" data-status="error" data-code="{esc(code)}"><h2>{esc(text)}</h2></div>'


def _code_of(exc: Exception) -> tuple[str, str]:
    if isinstance(exc, Problem):
        return exc.code, exc.detail
    if isinstance(exc, grpc.aio.AioRpcError):
        code, message = error_info_of(exc.trailing_metadata())
        return code or "unavailable", message or ""
    raise exc


def _forms(t: dict, lang: str, value: str, result: str = "") -> str:
    """The three ways to check, with the answer right under the serial form (the first thing a reader sees)."""
    return f"""<div class="card"><h1>{t['heading']}</h1><form method="get" action="/verify">
<input type="hidden" name="lang" value="{lang}"><label for="serial">{t['serial']}</label>
<input id="serial" name="serial" value="{value}" placeholder="XXXX-XXXX-XXXX" autocomplete="off" required>
<button type="submit">{t['check']}</button></form></div>{result}
<div class="card"><h2>{t['pdf_heading']}</h2><form method="post" action="/verify/pdf?lang={lang}" enctype="multipart/form-data">
<label for="pdf">{t['pdf_label']}</label><input id="pdf" name="file" type="file" accept="application/pdf,.pdf" required>
<button type="submit">{t['pdf_check']}</button></form></div>
<div class="card"><h2>{t['csv_heading']}</h2><p>{t['csv_help']}</p>
<form method="post" action="/verify/bulk?lang={lang}" enctype="multipart/form-data">
<label for="csv">{t['csv_label']}</label><input id="csv" name="file" type="file" accept="text/csv,.csv" required>
<label for="format">{t['format']}</label><select id="format" name="format"><option value="csv">CSV</option>
<option value="xlsx">Excel (XLSX)</option></select>
<button type="submit">{t['csv_check']}</button></form></div>"""


@router.get("/verify", response_class=HTMLResponse)
@router.get("/verify/{serial}", response_class=HTMLResponse)
async def verify_page(request: Request, serial: str | None = None,
                      q: Annotated[str | None, Query(alias="serial")] = None,
                      k: Annotated[str, Query()] = "", s: Annotated[str, Query()] = "",
                      lang: Annotated[str | None, Query()] = None) -> HTMLResponse:
    lang = language(lang)
    t = T[lang]
    serial = serial or q
    result = ""
    if serial:
        try:
            who = verifier(request, await optional_user(request), "qr" if s else "serial")
            result = _card(t, await verify_serial(request.app.state.services, serial, who, k, s))
        except (Problem, grpc.aio.AioRpcError) as exc:
            result = _error(t, *_code_of(exc))
    value = esc(serial or "")
    other = f"/verify?lang={other_language(lang)}" + (f"&serial={value}" if value else "")
    return page(lang, t["title"], _forms(t, lang, value, result), other)


@router.post("/verify/pdf", response_class=HTMLResponse)
async def verify_pdf_page(request: Request, file: Annotated[UploadFile, File()],
                          lang: Annotated[str | None, Query()] = None) -> HTMLResponse:
    lang = language(lang)
    t = T[lang]
    try:
        r = await verify_pdf_file(request.app.state.services, await read_upload(file),
                                  verifier(request, await optional_user(request), "pdf"))
        ok = r.document in ("authentic", "intact")
        result = (f'<div class="card {"valid" if ok else "revoked"}" data-document="{r.document}">'
                  f'<h2>{t["document"][r.document]}</h2></div>')
        if r.verification and ok:
            result += _card(t, r.verification)
    except (Problem, grpc.aio.AioRpcError) as exc:
        result = _error(t, *_code_of(exc))
    return page(lang, t["title"], _forms(t, lang, "", result), f"/verify?lang={other_language(lang)}")


@router.post("/verify/bulk", response_class=Response)
async def verify_bulk_page(request: Request, file: Annotated[UploadFile, File()],
                           lang: Annotated[str | None, Query()] = None,
                           format: Annotated[BulkFormat, Form()] = "csv") -> Response:
    lang = language(lang)
    t = T[lang]
    try:
        lines = await verify_rows(request.app.state.services, await read_upload(file),
                                  verifier(request, await optional_user(request), "bulk"))
    except (Problem, grpc.aio.AioRpcError) as exc:
        return page(lang, t["title"], _forms(t, lang, "", _error(t, *_code_of(exc))), f"/verify?lang={other_language(lang)}")
    return bulk_response(lines, format)


