"""What every page shares: the language choice, the frame (header, styles), escaping."""
from __future__ import annotations

import html

from fastapi.responses import HTMLResponse

from gramota.shared.wording import long_date, percent  # noqa: F401 (the pages import them from here)

from ..languages import language, other_language  # noqa: F401 (the pages import them from here)

# every page that calls the API loads this before its own script: the tokens, refreshed on a 401 (static/auth.js)
AUTH_TAG = '<script src="/static/auth.js"></script>'
# numbers, percents, dates and plural forms by the browser's Intl (static/wording.js); pages load it before their script
WORDING_TAG = '<script src="/static/wording.js"></script>'
# the question as candidates answer it (static/question.js): the exam page and the author's preview share it
QUESTION_TAG = '<script src="/static/question.js"></script>'

STYLE = """
:root{--navy:#1d3557;--gold:#b08d3c;--ok:#2a9d8f;--bad:#e63946;--warn:#f4a261;--bg:#f4f6fa}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:var(--bg);color:#1b1f24;line-height:1.45}
header{background:var(--navy);color:#fff;padding:12px 20px;display:flex;gap:16px;justify-content:space-between;align-items:center;flex-wrap:wrap}
header a{color:#fff}
header nav{display:flex;gap:14px;flex-wrap:wrap}
main{max-width:960px;margin:24px auto;padding:0 16px}
.card{background:#fff;border-radius:10px;padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.1);margin-bottom:16px}
label{display:block;font-weight:600;margin-bottom:6px}
input,select{font-size:1rem;padding:10px;width:100%;border:1px solid #9aa4b2;border-radius:6px}
button,.button{display:inline-block;margin-top:12px;font-size:1rem;padding:10px 18px;border:0;border-radius:6px;background:var(--navy);
color:#fff;cursor:pointer;text-decoration:none}
button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid var(--gold);outline-offset:2px}
.valid{border-left:6px solid var(--ok)}.revoked,.expired,.suspended{border-left:6px solid var(--bad)}.bad{border-left:6px solid var(--bad)}.unknown,.error{border-left:6px solid var(--warn)}
.problems{margin:4px 0 8px;padding-left:22px;font-weight:600}
dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 14px;margin:12px 0 0}dt{color:#555}
"""


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def page(lang: str, title: str, body: str, other_href: str, *, extra_head: str = "", nav: str = "") -> HTMLResponse:
    """A whole HTML page in Gramota's frame; `other_href` is this page in the other language."""
    switch = "English" if lang == "ru" else "Русский"
    return HTMLResponse(
        f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(title)}</title>
<style>{STYLE}</style>{extra_head}</head><body><header><a href="/?lang={lang}"><strong>Грамота · Gramota</strong></a>
<nav>{nav}<a href="{other_href}" hreflang="{other_language(lang)}">{switch}</a></nav></header><main>{body}</main></body></html>"""
    )
