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
from .layout import esc, language, long_date, other_language, page

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
           "forged": "Сертификат не подтверждён: подпись не совпадает",
           "failed": "Что не сошлось:", "register": "Запись в реестре с этим номером",
           "problem": {"signature_invalid": "подпись не совпадает", "serial_invalid": "серийный номер в подписанных "
                       "данных неверен", "no_signed_data": "в файле нет подписанных данных Грамоты",
                       "not_in_register": "сертификата с этим номером нет в реестре",
                       "register_differs": "подписанные данные в файле отличаются от реестра",
                       "name_differs": "в файле изменено имя владельца",
                       "exam_differs": "в файле изменено название экзамена",
                       "serial_differs": "в файле изменён серийный номер",
                       "score_differs": "в файле изменена оценка",
                       "pdf_unsigned": "в файле нет электронной подписи PDF",
                       "pdf_unreadable": "структуру PDF не удаётся прочитать",
                       "pdf_signature_unreadable": "подпись PDF не удаётся проверить",
                       "pdf_changed_after_signing": "файл изменён после подписания: подпись PDF не совпадает",
                       "pdf_appended_after_signing": "к подписанному файлу добавлены изменения (например, текст поверх)",
                       "pdf_signer_unknown": "подпись PDF сделана не сертификатом Грамоты"},
           "pdf_heading": "Проверить файл PDF", "pdf_label": "Файл сертификата (PDF)", "pdf_check": "Проверить файл",
           "document": {"authentic": "Файл подлинный: это тот самый выданный документ.",
                        "intact": "Данные файла совпадают с подписанными и с реестром.",
                        "altered": "Сертификат не подтверждён: файл изменён",
                        "signature_invalid": "Сертификат не подтверждён: подпись не совпадает",
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
           "forged": "The certificate is not confirmed: the signature does not match",
           "failed": "What failed:", "register": "The register's record under this number",
           "problem": {"signature_invalid": "the signature does not match", "serial_invalid": "the signed serial "
                       "number is malformed", "no_signed_data": "the file holds no Gramota signed data",
                       "not_in_register": "no certificate with this number in the register",
                       "register_differs": "the signed data in the file differ from the register",
                       "name_differs": "the holder's name was changed in the file",
                       "exam_differs": "the exam title was changed in the file",
                       "serial_differs": "the serial number was changed in the file",
                       "score_differs": "the score was changed in the file",
                       "pdf_unsigned": "the file carries no PDF signature",
                       "pdf_unreadable": "the PDF structure cannot be read",
                       "pdf_signature_unreadable": "the PDF signature cannot be checked",
                       "pdf_changed_after_signing": "the file was changed after signing: the PDF signature does not match",
                       "pdf_appended_after_signing": "changes were added to the signed file (text laid on top, say)",
                       "pdf_signer_unknown": "the PDF signature is not made by a Gramota certificate"},
           "pdf_heading": "Check a PDF file", "pdf_label": "Certificate file (PDF)", "pdf_check": "Check the file",
           "document": {"authentic": "Authentic: this is the very file that was issued.",
                        "intact": "The file's data match the signed data and the register.",
                        "altered": "The certificate is not confirmed: the file was altered",
                        "signature_invalid": "The certificate is not confirmed: the signature does not match",
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


def verdict(v: VerificationOut) -> str:
    """One verdict from every check together: a signature that fails is never under a «valid» heading."""
    if v.status != "unknown" and v.signature_checked and v.signature_valid is False:
        return "forged"
    return v.status


VERDICT_CLASS = {"valid": "valid", "unknown": "unknown"}  # anything else is a failure (red edge)


def _rows(t: dict, lang: str, v: VerificationOut) -> str:
    if v.status == "unknown":
        return ""
    rows = (f"<dl><dt>{t['serial']}</dt><dd>{esc(v.serial)}</dd><dt>{t['holder']}</dt><dd>{esc(v.holder_name)}</dd>"
            f"<dt>{t['exam']}</dt><dd>{esc(v.exam_title)}</dd><dt>{t['issued']}</dt><dd>{long_date(v.issued_at, lang)}</dd>")
    if v.expires_at:
        rows += f"<dt>{t['expires']}</dt><dd>{long_date(v.expires_at, lang)}</dd>"
    if v.suspended_at:
        rows += f"<dt>{t['suspended']}</dt><dd>{long_date(v.suspended_at, lang)}</dd>"
    if v.revoked_at:
        rows += (f"<dt>{t['revoked']}</dt><dd>{long_date(v.revoked_at, lang)}</dd>"
                 f"<dt>{t['reason']}</dt><dd>{esc(v.revocation_reason)}</dd>")
    if v.replaced_by_serial:
        rows += f"<dt>{t['replaced']}</dt><dd>{esc(v.replaced_by_serial)}</dd>"
    return rows + "</dl>"


def _failed(t: dict, problems: list[str]) -> str:
    items = "".join(f'<li data-problem="{esc(p)}">{esc(t["problem"].get(p, p))}</li>' for p in problems)
    return f'<p>{t["failed"]}</p><ul class="problems">{items}</ul>' if items else ""


def _card(t: dict, lang: str, v: VerificationOut, note: str = "") -> str:
    status = verdict(v)
    if status == "forged":
        body = (_failed(t, ["signature_invalid"]) + f'<p data-signature="invalid">{t["sig_bad"]}</p>'
                f'<h3>{t["register"]}</h3>{_rows(t, lang, v)}')
        return f'<div class="card bad" data-status="forged"><h2>{t["forged"]}</h2>{body}</div>'
    sig = f'<p data-signature="valid">{t["sig_ok"]}</p>' if v.signature_checked else ""
    return (f'<div class="card {VERDICT_CLASS.get(status, "bad")}" data-status="{status}"><h2>{t["status"][status]}</h2>'
            f'{note}{sig}{_rows(t, lang, v)}</div>')


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
            result = _card(t, lang, await verify_serial(request.app.state.services, serial, who, k, s))
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
        if r.document in ("authentic", "intact") and r.verification:
            # the file is sound: the verdict is the register's (a sound file of a revoked certificate is revoked)
            result = _card(t, lang, r.verification, f'<p data-document="{r.document}">{t["document"][r.document]}</p>')
        else:
            result = (f'<div class="card bad" data-status="{r.document}" data-document="{r.document}">'
                      f'<h2>{t["document"][r.document]}</h2>{_failed(t, r.problems)}</div>')
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


