"""How a forger changes a signed certificate PDF, for the tests: text laid over the page in an incremental update
(the signed bytes stay as they were), and one byte changed inside the signed bytes."""
from __future__ import annotations

import io


def overlay(pdf: bytes, text: str = "Score: 100%%") -> bytes:
    """The file with a white box and new text stamped over the page, appended as an incremental update (the text is
    a pyHanko stamp template: %% for a percent sign)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStamp, TextStampStyle

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    style = TextStampStyle(stamp_text=text, text_box_style=TextBoxStyle(font_size=18), border_width=0,
                           background_opacity=1)
    TextStamp(writer, style).apply(0, 90, 70)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def flip_signed_byte(pdf: bytes) -> bytes:
    """One byte of the document information (inside the signed range) changed."""
    at = pdf.index(b"Gramota certificates service")
    return pdf[:at] + b"X" + pdf[at + 1:]
