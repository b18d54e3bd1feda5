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
        "score": "Результат",
        "date": "Дата выдачи",
        "serial": "Серийный номер",
        "verify": "Проверить подлинность",
        "programme": "Федеральная программа повышения цифровой грамотности государственных и муниципальных служащих",
        "subject": "Сертификат о подтверждении цифровой грамотности",
        "months": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                   "октября", "ноября", "декабря"],
    },
    "en": {
        "heading": "CERTIFICATE",
        "subheading": "of digital literacy",
        "certifies": "This is to certify that",
        "passed": "has successfully passed the assessment",
        "score": "Score",
        "date": "Date of issue",
        "serial": "Serial number",
        "verify": "Verify authenticity",
        "programme": "Federal programme for the digital literacy of public officials",
        "subject": "Certificate of digital literacy",
        "months": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December"],
    },
}


@dataclass(frozen=True)
class CertificatePage:
    serial_display: str
    holder_name: str
    exam_title: str
    score_percent: float
    issued_at: datetime
    verify_url: str
    language: str = "ru"


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
    t = TEXTS[language]
    if language == "ru":
        return f"{dt.day} {t['months'][dt.month - 1]} {dt.year} г."
    return f"{dt.day} {t['months'][dt.month - 1]} {dt.year}"


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


def render(page: CertificatePage) -> bytes:
    register_fonts()
    t = TEXTS[page.language]
    buf = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(buf, pagesize=landscape(A4), pageCompression=1)
    c.setTitle(f"{t['subject']} № {page.serial_display}")
    c.setAuthor("Gramota")
    c.setSubject(f"{t['subject']}: {page.holder_name}, {page.exam_title}")
    c.setCreator("Gramota certificates service")

    # frame: a navy outer border and a thin gold inner line
    c.setStrokeColor(NAVY)
    c.setLineWidth(6)
    c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1.2)
    c.rect(17 * mm, 17 * mm, width - 34 * mm, height - 34 * mm)

    cx = width / 2
    c.setFillColor(GREY)
    c.setFont("Gramota-Sans", 9.5)
    for i, line in enumerate(_wrap(c, t["programme"], "Gramota-Sans", 9.5, width - 80 * mm)):
        c.drawCentredString(cx, height - 30 * mm - i * 12, line)

    c.setFillColor(NAVY)
    c.setFont("Gramota-Serif-Bold", 40)
    c.drawCentredString(cx, height - 55 * mm, t["heading"])
    c.setFillColor(GOLD)
    c.setFont("Gramota-Serif", 16)
    c.drawCentredString(cx, height - 65 * mm, t["subheading"])

    c.setFillColor(GREY)
    c.setFont("Gramota-Sans", 12)
    c.drawCentredString(cx, height - 82 * mm, t["certifies"])
    c.setFillColor(colors.black)
    size = _fit(c, page.holder_name, "Gramota-Serif-Bold", 28, width - 70 * mm)
    c.setFont("Gramota-Serif-Bold", size)
    c.drawCentredString(cx, height - 96 * mm, page.holder_name)
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.8)
    c.line(cx - 95 * mm, height - 100 * mm, cx + 95 * mm, height - 100 * mm)

    c.setFillColor(GREY)
    c.setFont("Gramota-Sans", 12)
    c.drawCentredString(cx, height - 110 * mm, t["passed"])
    c.setFillColor(NAVY)
    title_lines = _wrap(c, f"«{page.exam_title}»", "Gramota-Serif-Bold", 17, width - 90 * mm)[:3]
    c.setFont("Gramota-Serif-Bold", 17)
    for i, line in enumerate(title_lines):
        c.drawCentredString(cx, height - 121 * mm - i * 21, line)

    # bottom band: score and date on the left, serial in the middle, QR on the right
    base = 30 * mm
    c.setFillColor(GREY)
    c.setFont("Gramota-Sans", 9.5)
    c.drawString(30 * mm, base + 20, t["score"])
    c.drawString(30 * mm, base - 8, t["date"])
    c.setFillColor(colors.black)
    c.setFont("Gramota-Sans-Bold", 13)
    c.drawString(30 * mm, base + 6, f"{page.score_percent:.0f}%".replace(".", ","))
    c.drawString(30 * mm, base - 22, _date(page.issued_at, page.language))

    c.setFillColor(GREY)
    c.setFont("Gramota-Sans", 9.5)
    c.drawCentredString(cx, base + 20, t["serial"])
    c.setFillColor(NAVY)
    c.setFont("Gramota-Sans-Bold", 16)
    c.drawCentredString(cx, base + 2, page.serial_display)

    qr_size = 30 * mm
    qx = width - 30 * mm - qr_size
    qy = 22 * mm
    _qr(c, page.verify_url, qx, qy, qr_size)
    c.setFillColor(GREY)
    c.setFont("Gramota-Sans", 8)
    c.drawCentredString(qx + qr_size / 2, qy + qr_size + 2.5 * mm, t["verify"])
    c.linkURL(page.verify_url, (qx, qy, qx + qr_size, qy + qr_size), relative=0)

    c.showPage()
    c.save()
    return buf.getvalue()
