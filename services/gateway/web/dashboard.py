"""The curator dashboard: pass rates by district → region → organisation with 95% intervals, a trend line and a
competence heat map, drawn as inline SVG by a small script from the analytics REST API (no external library).

The page itself holds no data: it signs in through /api/v1/auth/token and keeps the token in sessionStorage,
so every figure it shows comes from the same scoped endpoints a curator's scripts use.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from .layout import AUTH_TAG, WORDING_TAG, language, other_language, page

router = APIRouter()

T = {
    "ru": {
        "title": "Аналитика: результаты по округам", "login": "Вход для кураторов", "username": "Логин",
        "password": "Пароль", "sign_in": "Войти", "sign_out": "Выйти", "bad_login": "Неверный логин или пароль",
        "forbidden": "Эта страница доступна кураторам и администраторам", "exam": "Экзамен",
        "practice": "пробный", "all_exams": "Все экзамены вместе, с пробными (человек считают в каждом)", "from": "С", "to": "По", "period": "Шаг тренда", "week": "неделя", "month": "месяц",
        "apply": "Применить", "all": "Все округа", "pass_rates": "Доля сдавших (люди)",
        "ci": "Усы — 95% доверительный интервал (Уилсон)",
        "trend_week": "Доля успешных попыток по неделям", "trend_month": "Доля успешных попыток по месяцам",
        "week_of": "неделя с", "heat": "Средний балл по компетенциям", "csv": "Скачать CSV",
        "group": "Группа", "people_sat": "Сдавали, чел.", "people_passed": "Сдали, чел.",
        "rate": "Доля сдавших", "interval": "95% ДИ", "first": "С первой попытки", "attempts": "Попыток",
        "no_data": "Нет данных за выбранный период", "drill": "Нажмите на строку или столбец, чтобы раскрыть",
        "total": "Итого", "federal_district": "Федеральный округ", "region": "Регион", "organization": "Организация",
        "scope": "Ваша зона", "everything": "все округа и регионы",
        "explain": "Считаются люди, а не попытки: сдавшим считается тот, кто сдал хотя бы с одной попытки; "
                   "«с первой попытки» — кто сдал с первой.",
        "small": "мало данных", "small_note": "Меньше {n} человек: доля ненадёжна.",
        "competence": "Компетенция", "pass_mark": "проходной балл", "scale": "Цвет: ниже проходного балла — красный, "
        "на проходном — жёлтый, выше — зелёный",
    },
    "en": {
        "title": "Analytics: results by district", "login": "Curator sign-in", "username": "Username",
        "password": "Password", "sign_in": "Sign in", "sign_out": "Sign out", "bad_login": "Wrong username or password",
        "forbidden": "This page is for curators and administrators", "exam": "Exam",
        "practice": "practice", "all_exams": "All exams together, practice included (people counted in each)", "from": "From", "to": "To", "period": "Trend step", "week": "week", "month": "month",
        "apply": "Apply", "all": "All districts", "pass_rates": "Pass rate (people)",
        "ci": "Whiskers: 95% confidence interval (Wilson)",
        "trend_week": "Share of passing attempts by week", "trend_month": "Share of passing attempts by month",
        "week_of": "week of", "heat": "Mean score by competence", "csv": "Download CSV",
        "group": "Group", "people_sat": "Sat (people)", "people_passed": "Passed (people)",
        "rate": "Pass rate", "interval": "95% CI", "first": "First attempt", "attempts": "Attempts",
        "no_data": "No data for the chosen period", "drill": "Click a row or a bar to drill down",
        "total": "Total", "federal_district": "Federal district", "region": "Region", "organization": "Organisation",
        "scope": "Your scope", "everything": "all districts and regions",
        "explain": "People, not attempts: a person passed if any of their attempts passed; "
                   "«first attempt»: passed at the first one.",
        "small": "small sample", "small_note": "Fewer than {n} people: the rate is unreliable.",
        "competence": "Competence", "pass_mark": "pass mark", "scale": "Colour: below the pass mark red, at it "
        "yellow, above it green",
    },
}
SMALL_SAMPLE = 30  # fewer people than this: the rate is flagged as unreliable

EXTRA_STYLE = """<style>
main{max-width:1180px}
.filters{display:grid;grid-template-columns:2fr 1fr 1fr 1fr auto;gap:12px;align-items:end}
.filters button{margin-top:0}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
@media (max-width:900px){.filters,.grid{grid-template-columns:1fr}}
.crumbs{display:flex;gap:6px;align-items:center;flex-wrap:wrap;font-size:.95rem;margin-bottom:8px}
.crumbs button{background:none;color:var(--navy);padding:0;margin:0;text-decoration:underline;font-size:inherit}
.muted{color:#4f5968;font-size:.85rem}
h2{font-size:1.1rem;margin:0 0 10px;color:var(--navy)}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:right;padding:6px 8px;border-bottom:1px solid #e3e7ee}
th:first-child,td:first-child{text-align:left}
th{color:#4f5968;font-weight:600}
@media (max-width:600px){table{font-size:.85rem}th,td{padding:6px 5px}
  #rates-table th:first-child,#rates-table td:first-child{position:sticky;left:0;background:#fff;max-width:9.5em}}
tbody tr.drill{cursor:pointer}tbody tr.drill:hover{background:#eef3fb}
tfoot td{font-weight:700}
svg{display:block}
svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.bar{fill:var(--navy)}.bar.drill{cursor:pointer}.bar.drill:hover{fill:#2f5a8f}
.toolbar{display:flex;justify-content:space-between;align-items:center;gap:12px;flex-wrap:wrap}
.toolbar .button{margin-top:0;background:#7a5c12}
.swatch{display:inline-block;width:14px;height:14px;border-radius:2px;vertical-align:-2px;margin:0 4px;border:1px solid #8a94a3}
#sign-out{color:var(--navy)}
.error{padding:10px;border-radius:6px;background:#fff4e5}
.kpis{display:flex;gap:28px;flex-wrap:wrap;margin:4px 0 12px}.kpis div{font-size:.85rem;color:#4f5968}
.kpis strong{display:block;font-size:1.5rem;color:#1b1f24}
.small-sample{font-style:italic}.small-sample::after{content:" *"}
#heat-table td{text-align:center;color:#1b1f24;font-weight:600;min-width:3.2em}
#heat-table th{vertical-align:bottom}
.scope{font-size:.9rem;color:#1b1f24;background:#eef3fb;border-radius:6px;padding:6px 10px;display:inline-block}
</style>"""

SCRIPT = (Path(__file__).parent / "static" / "dashboard.js").read_text(encoding="utf-8")


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(lang: Annotated[str | None, Query()] = None) -> HTMLResponse:
    lang = language(lang)
    t = T[lang]
    body = f"""
<section id="login" class="card" style="max-width:420px;margin:40px auto">
  <h1 style="margin-top:0">{t['login']}</h1>
  <form id="login-form">
    <label for="username">{t['username']}</label><input id="username" name="username" autocomplete="username" required>
    <label for="password" style="margin-top:10px">{t['password']}</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit">{t['sign_in']}</button><p id="login-error" role="alert" style="color:var(--bad)"></p>
  </form>
</section>
<div id="app" hidden>
  <div class="toolbar"><h1 style="margin:0 0 12px">{t['title']}</h1><a href="#" id="sign-out">{t['sign_out']}</a></div>
  <p id="scope" class="scope"></p>
  <form id="filters" class="card filters">
    <div><label for="exam">{t['exam']}</label><select id="exam"></select></div>
    <div><label for="from">{t['from']}</label><input id="from" type="date"></div>
    <div><label for="to">{t['to']}</label><input id="to" type="date"></div>
    <div><label for="period">{t['period']}</label><select id="period"><option value="week">{t['week']}</option>
      <option value="month">{t['month']}</option></select></div>
    <button type="submit">{t['apply']}</button>
  </form>
  <p id="problem" class="error" role="alert" hidden></p>
  <section class="card">
    <nav id="crumbs" class="crumbs" aria-label="{t['group']}"></nav>
    <div class="toolbar"><h2>{t['pass_rates']}: <span id="level"></span></h2>
      <a href="#" id="csv" class="button">{t['csv']}</a></div>
    <div id="kpis" class="kpis"></div>
    <p class="muted">{t['explain']}</p>
    <svg id="rates-chart" role="img" aria-label="{t['pass_rates']}" width="100%"></svg>
    <p class="muted">{t['ci']}. {t['drill']}. <span id="small-note"></span></p>
    <div class="table-wrap"><table id="rates-table"><thead><tr><th scope="col">{t['group']}</th>
      <th scope="col">{t['people_sat']}</th><th scope="col">{t['people_passed']}</th><th scope="col">{t['rate']}</th>
      <th scope="col">{t['interval']}</th><th scope="col">{t['first']}</th><th scope="col">{t['attempts']}</th></tr></thead>
      <tbody></tbody><tfoot></tfoot></table></div>
  </section>
  <div class="grid">
    <section class="card"><h2 id="trend-title">{t['trend_week']}</h2>
      <svg id="trend-chart" role="img" aria-labelledby="trend-title" width="100%"></svg></section>
    <section class="card"><h2 id="heat-title">{t['heat']}</h2>
      <div class="table-wrap"><table id="heat-table" aria-labelledby="heat-title"></table></div>
      <p id="heat-legend" class="muted"></p></section>
  </div>
</div>
{AUTH_TAG}{WORDING_TAG}<script>{SCRIPT.replace('__T__', json.dumps(t, ensure_ascii=False)).replace('__LANG__', json.dumps(lang))
                     .replace('__SMALL__', str(SMALL_SAMPLE))}</script>"""
    return page(lang, t["title"], body, f"/dashboard?lang={other_language(lang)}", extra_head=EXTRA_STYLE)
