"""The certificate page: A4 landscape, Russian by default, Cyrillic fonts embedded, QR to the verify URL.

ReportLab's built-in Helvetica has no Cyrillic glyphs, so DejaVu (Debian's fonts-dejavu-core) is
registered and embedded. The QR matrix comes from segno and is drawn as one path (much cheaper than
ReportLab's QR widget).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import segno
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from gramota.shared import wording

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"Serif": "DejaVuSerif.ttf", "Serif-Bold": "DejaVuSerif-Bold.ttf", "Sans": "DejaVuSans.ttf",
         "Sans-Bold": "DejaVuSans-Bold.ttf"}
NAVY = colors.HexColor("#1d3557")
GOLD = colors.HexColor("#b08d3c")
GREY = colors.HexColor("#555555")

TEXTS = {
    "ru": {
        "heading": "СЕРТИФИКАТ",
        "subheading": "о подтверждении цифровой грамотности",
        "certifies": "Настоящим удостоверяется, что",
        "passed": "успешно прошёл(а) оценку",
        "score": "Общий результат",
        "date": "Дата выдачи",
        "expires": "Действителен до",
        "no_expiry": "бессрочно",
        "competences": "Результаты по компетенциям",
        "serial": "Серийный номер",
        "verify": "Проверить подлинность",
        "signed": "Электронная подпись Ed25519, ключ",
        "programme": "Федеральная программа повышения цифровой грамотности государственных и муниципальных служащих",
        "subject": "Сертификат о подтверждении цифровой грамотности",
    },
    "en": {
        "heading": "CERTIFICATE",
        "subheading": "of digital literacy",
        "certifies": "This is to certify that",
        "passed": "has successfully passed the assessment",
        "score": "Overall score",
        "date": "Date of issue",
        "expires": "Valid until",
        "no_expiry": "no expiry",
        "competences": "Results by competence",
        "serial": "Serial number",
        "verify": "Verify authenticity",
        "signed": "Ed25519 signature, key",
        "programme": "Federal programme for the digital literacy of public officials",
        "subject": "Certificate of digital literacy",
    },
}


@dataclass(frozen=True)
class CompetenceLine:
    name: str           # what the certificate prints: the competence's name in its language
    percent: float
    code: str = ""      # e.g. practice/citizen-appeals (never printed)


def competence_lines(stored: list[dict]) -> tuple[CompetenceLine, ...]:
    """The stored lines ({"competence": code, "name": name, "percent": p}; before names were kept, no "name")."""
    return tuple(CompetenceLine(c.get("name") or c["competence"], c["percent"], c["competence"]) for c in stored)


@dataclass(frozen=True)
class CertificatePage:
    serial_display: str
    holder_name: str
    exam_title: str
    score_percent: float
    issued_at: datetime
    verify_url: str             # what the QR code and its link open (carries the key id and signature)
    language: str = "ru"
    expires_at: datetime | None = None
    competences: tuple[CompetenceLine, ...] = ()
    signed_token: str = ""      # kid.payload.signature, embedded in the PDF's Keywords metadata
    key_id: str = ""


_registered = False


def register_fonts() -> None:
    global _registered
    if _registered:
        return
    for name, file in FONTS.items():
        path = FONT_DIR / file
        if not path.exists():
            raise RuntimeError(f"font {path} is missing: install Debian's fonts-dejavu-core")
        pdfmetrics.registerFont(TTFont(f"Gramota-{name}", str(path)))
    _registered = True


def _date(dt: datetime, language: str) -> str:
    return wording.long_date(dt, language)   # «4 декабря 2026 г.», as the pages write it


def _fit(c: canvas.Canvas, text: str, font: str, size: float, max_width: float) -> float:
    while size > 8 and c.stringWidth(text, font, size) > max_width:
        size -= 0.5
    return size


def _wrap(c: canvas.Canvas, text: str, font: str, size: float, max_width: float) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if c.stringWidth(trial, font, size) <= max_width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def _qr(c: canvas.Canvas, data: str, x: float, y: float, size: float) -> None:
    matrix = segno.make(data, error="m", micro=False).matrix
    n = len(matrix)
    cell = size / n
    path = c.beginPath()
    for row, bits in enumerate(matrix):
        for col, bit in enumerate(bits):
            if bit:
                path.rect(x + col * cell, y + size - (row + 1) * cell, cell, cell)
    c.setFillColor(colors.black)
    c.drawPath(path, stroke=0, fill=1)


def percent(value: float, language: str) -> str:
    return wording.percent(value, language)  # «87,5 %», as the pages write it


def draw(c: canvas.Canvas, page: CertificatePage) -> None:
    """Draws the one page; split from render() so the benchmark can time bare ReportLab on the same drawing."""
    t = TEXTS[page.language]
    width, height = landscape(A4)

    # frame: a navy outer border, a thin gold inner line and gold corner marks
    c.setStrokeColor(NAVY)
    c.setLineWidth(6)
    c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1.2)
    c.rect(17 * mm, 17 * mm, width - 34 * mm, height - 34 * mm)
    c.setLineWidth(0.6)
    c.rect(19 * mm, 19 * mm, width - 38 * mm, height - 38 * mm)

    cx = width / 2
    c.setFillColor(GREY)
    c.setFont("Gramota-Sans", 9.5)
    for i, line in enumerate(_wrap(c, t["programme"], "Gramota-Sans", 9.5, width - 80 * mm)):
        c.drawCentredString(cx, height - 29 * mm - i * 12, line)

    c.setFillColor(NAVY)
    c.setFont("Gramota-Serif-Bold", 38)
    c.drawCentredString(cx, height - 50 * mm, t["heading"])
    c.setFillColor(GOLD)
    c.setFont("Gramota-Serif", 15)
    c.drawCentredString(cx, height - 59 * mm, t["subheading"])

    c.setFillColor(GREY)
    c.setFont("Gramota-Sans", 11.5)
    c.drawCentredString(cx, height - 72 * mm, t["certifies"])
    c.setFillColor(colors.black)
    size = _fit(c, page.holder_name, "Gramota-Serif-Bold", 27, width - 70 * mm)
    c.setFont("Gramota-Serif-Bold", size)
    c.drawCentredString(cx, height - 84 * mm, page.holder_name)
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.8)
    c.line(cx - 95 * mm, height - 88 * mm, cx + 95 * mm, height - 88 * mm)

    c.setFillColor(GREY)
    c.setFont("Gramota-Sans", 11.5)
    c.drawCentredString(cx, height - 96 * mm, t["passed"])
    c.setFillColor(NAVY)
    quoted = f"«{page.exam_title}»" if page.language == "ru" else f"“{page.exam_title}”"
    title_lines = _wrap(c, quoted, "Gramota-Serif-Bold", 16, width - 90 * mm)[:2]
    c.setFont("Gramota-Serif-Bold", 16)
    for i, line in enumerate(title_lines):
        c.drawCentredString(cx, height - 105 * mm - i * 19, line)

    if page.competences:
        _competences(c, page, t, top=height - 105 * mm - len(title_lines) * 19 - 4 * mm)

    # bottom band: score, date and expiry on the left, serial in the middle, QR on the right
    base = 30 * mm
    x = 30 * mm
    for label, value in (
        (t["score"], percent(page.score_percent, page.language)),
        (t["date"], _date(page.issued_at, page.language)),
        (t["expires"], _date(page.expires_at, page.language) if page.expires_at else t["no_expiry"]),
    ):
        c.setFillColor(GREY)
        c.setFont("Gramota-Sans", 8.5)
        c.drawString(x, base + 10, label)
        c.setFillColor(colors.black)
        c.setFont("Gramota-Sans-Bold", 12)
        c.drawString(x, base - 5, value)
        x += max(c.stringWidth(value, "Gramota-Sans-Bold", 12), c.stringWidth(label, "Gramota-Sans", 8.5)) + 8 * mm

    qr_size = 32 * mm
    qx = width - 27 * mm - qr_size
    qy = 22 * mm
    sx = qx - 38 * mm
    c.setFillColor(GREY)
    c.setFont("Gramota-Sans", 8.5)
    c.drawCentredString(sx, base + 10, t["serial"])
    c.setFillColor(NAVY)
    c.setFont("Gramota-Sans-Bold", 15)
    c.drawCentredString(sx, base - 6, page.serial_display)
    if page.key_id:
        c.setFillColor(GREY)
        c.setFont("Gramota-Sans", 6.5)
        c.drawCentredString(sx, base - 17, f"{t['signed']} {page.key_id}")

    _qr(c, page.verify_url, qx, qy, qr_size)
    c.setFillColor(GREY)
    c.setFont("Gramota-Sans", 8)
    c.drawCentredString(qx + qr_size / 2, qy + qr_size + 2 * mm, t["verify"])
    c.linkURL(page.verify_url, (qx, qy, qx + qr_size, qy + qr_size), relative=0)


def _competences(c: canvas.Canvas, page: CertificatePage, t: dict, top: float) -> None:
    """Up to eight competences in two columns: name, a thin bar and the percent."""
    width, _ = landscape(A4)
    lines = page.competences[:8]
    c.setFillColor(GREY)
    c.setFont("Gramota-Sans", 8.5)
    c.drawCentredString(width / 2, top, t["competences"])
    rows = (len(lines) + 1) // 2
    col_w = 110 * mm
    x0 = width / 2 - col_w - 6 * mm
    for i, line in enumerate(lines):
        col, row = divmod(i, rows)
        x = x0 + col * (col_w + 12 * mm)
        y = top - 5.5 * mm - row * 5 * mm
        name_w = col_w - 42 * mm
        size = _fit(c, line.name, "Gramota-Sans", 8.5, name_w)
        c.setFillColor(colors.black)
        c.setFont("Gramota-Sans", size)
        c.drawString(x, y, line.name if c.stringWidth(line.name, "Gramota-Sans", size) <= name_w
                     else _ellipsis(c, line.name, size, name_w))
        bar_x, bar_w = x + name_w + 2 * mm, 26 * mm
        c.setFillColor(colors.HexColor("#e6e1d3"))
        c.rect(bar_x, y - 0.5, bar_w, 2.6 * mm, stroke=0, fill=1)
        c.setFillColor(NAVY)
        c.rect(bar_x, y - 0.5, bar_w * max(0.0, min(line.percent, 100.0)) / 100, 2.6 * mm, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.setFont("Gramota-Sans-Bold", 8.5)
        c.drawRightString(x + col_w, y, percent(line.percent, page.language))


def _ellipsis(c: canvas.Canvas, text: str, size: float, max_width: float) -> str:
    while text and c.stringWidth(text + "…", "Gramota-Sans", size) > max_width:
        text = text[:-1]
    return text.rstrip() + "…"


def new_canvas(buf: io.BytesIO, page: CertificatePage) -> canvas.Canvas:
    t = TEXTS[page.language]
    c = canvas.Canvas(buf, pagesize=landscape(A4), pageCompression=1)
    c.setTitle(f"{t['subject']} № {page.serial_display}")
    c.setAuthor("Gramota")
    c.setSubject(f"{t['subject']}: {page.holder_name}, {page.exam_title}")
    c.setCreator("Gramota certificates service")
    if page.signed_token:
        # the signed payload travels inside the file, so an uploaded PDF can be checked against it
        c.setKeywords(f"gramota-signed:{page.signed_token}")
    return c


def render(page: CertificatePage) -> bytes:
    register_fonts()
    buf = io.BytesIO()
    c = new_canvas(buf, page)
    draw(c, page)
    c.showPage()
    c.save()
    return buf.getvalue()
