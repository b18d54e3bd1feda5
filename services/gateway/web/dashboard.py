"""The curator dashboard: pass rates by district → region → organisation with 95% intervals, a trend line and a
competence heat map, drawn as inline SVG by a small script from the analytics REST API (no external library).

The page itself holds no data: it signs in through /api/v1/auth/token and keeps the token in sessionStorage,
so every figure it shows comes from the same scoped endpoints a curator's scripts use.
"""
from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from .layout import AUTH_TAG, language, other_language, page

router = APIRouter()

T = {
    "ru": {
        "title": "Аналитика: результаты по округам", "login": "Вход для кураторов", "username": "Логин",
        "password": "Пароль", "sign_in": "Войти", "sign_out": "Выйти", "bad_login": "Неверный логин или пароль",
        "forbidden": "Эта страница доступна кураторам и администраторам", "exam": "Экзамен", "all_exams": "Все экзамены",
        "from": "С", "to": "По", "period": "Шаг тренда", "week": "неделя", "month": "месяц", "apply": "Применить",
        "all": "Все округа", "pass_rates": "Доля сдавших", "ci": "Усы — 95% доверительный интервал (Уилсон)",
        "trend": "Динамика доли сдавших", "heat": "Средний балл по компетенциям", "csv": "Скачать CSV",
        "group": "Группа", "attempts": "Попыток", "passed": "Сдали", "rate": "Доля", "interval": "95% ДИ",
        "first": "С первой попытки", "no_data": "Нет данных за выбранный период", "drill": "Нажмите на строку или столбец, чтобы раскрыть",
        "total": "Итого", "federal_district": "Федеральный округ", "region": "Регион", "organization": "Организация",
        "scope": "Ваша зона", "everything": "все округа",
    },
    "en": {
        "title": "Analytics: results by district", "login": "Curator sign-in", "username": "Username",
        "password": "Password", "sign_in": "Sign in", "sign_out": "Sign out", "bad_login": "Wrong username or password",
        "forbidden": "This page is for curators and administrators", "exam": "Exam", "all_exams": "All exams",
        "from": "From", "to": "To", "period": "Trend step", "week": "week", "month": "month", "apply": "Apply",
        "all": "All districts", "pass_rates": "Pass rate", "ci": "Whiskers: 95% confidence interval (Wilson)",
        "trend": "Pass rate over time", "heat": "Mean score by competence", "csv": "Download CSV",
        "group": "Group", "attempts": "Attempts", "passed": "Passed", "rate": "Rate", "interval": "95% CI",
        "first": "First attempt", "no_data": "No data for the chosen period", "drill": "Click a row or a bar to drill down",
        "total": "Total", "federal_district": "Federal district", "region": "Region", "organization": "Organisation",
        "scope": "Your scope", "everything": "all districts",
    },
}

EXTRA_STYLE = """<style>
main{max-width:1180px}
.filters{display:grid;grid-template-columns:2fr 1fr 1fr 1fr auto;gap:12px;align-items:end}
.filters button{margin-top:0}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
@media (max-width:900px){.filters,.grid{grid-template-columns:1fr}}
.crumbs{display:flex;gap:6px;align-items:center;flex-wrap:wrap;font-size:.95rem;margin-bottom:8px}
.crumbs a{color:var(--navy);cursor:pointer;text-decoration:underline}
.muted{color:#5b6675;font-size:.85rem}
h2{font-size:1.1rem;margin:0 0 10px;color:var(--navy)}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:right;padding:6px 8px;border-bottom:1px solid #e3e7ee}
th:first-child,td:first-child{text-align:left}
th{color:#5b6675;font-weight:600}
tbody tr.drill{cursor:pointer}tbody tr.drill:hover{background:#eef3fb}
tfoot td{font-weight:700}
svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.bar{fill:var(--navy)}.bar.drill{cursor:pointer}.bar.drill:hover{fill:#2f5a8f}
.toolbar{display:flex;justify-content:space-between;align-items:center;gap:12px;flex-wrap:wrap}
.toolbar .button{margin-top:0;background:var(--gold)}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-1px;margin:0 3px}
#sign-out{color:var(--navy)}
.error{padding:10px;border-radius:6px;background:#fff4e5}
.kpis{display:flex;gap:28px;flex-wrap:wrap;margin:4px 0 12px}.kpis div{font-size:.85rem;color:#5b6675}
.kpis strong{display:block;font-size:1.5rem;color:#1b1f24}
</style>"""

SCRIPT = r"""
const T = __T__, LANG = __LANG__;
const Auth = window.GramotaAuth, S = {district: '', region: ''};
const $ = (id) => document.getElementById(id);
const pct = (v) => (100 * v).toFixed(1).replace('.', LANG === 'ru' ? ',' : '.') + '%';
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
const NS = 'http://www.w3.org/2000/svg';
// chart labels only: the tables keep the full names
const short = (s, n) => { s = s.replace(/федеральный округ/i, 'ФО').replace(/автономный округ/i, 'АО'); return s.length > n ? s.slice(0, n - 1) + '…' : s; };
const code = (c) => (c.match(/^\d+(\.\d+)*/) || [short(c, 10)])[0];

async function api(path, params) {
  const q = new URLSearchParams(Object.entries(params || {}).filter(([, v]) => v));
  const r = await Auth.fetch(path + (q.toString() ? '?' + q : ''));
  if (r.status === 401) { signOut(); throw new Error('unauthenticated'); }
  if (r.status === 403) { throw new Error(T.forbidden); }
  if (!r.ok) { const p = await r.json().catch(() => ({})); throw new Error(p.detail || r.statusText); }
  return r;
}

function filters() {
  return {exam_id: $('exam').value, from: $('from').value, to: $('to').value};
}
function level() { return S.region ? 'organization' : S.district ? 'region' : 'federal_district'; }
function place() { return {federal_district: S.district, region: S.region}; }

async function signIn(ev) {
  ev.preventDefault();
  const body = new URLSearchParams({username: $('username').value, password: $('password').value});
  const r = await fetch('/api/v1/auth/token', {method: 'POST', body});
  if (!r.ok) { $('login-error').textContent = T.bad_login; return; }
  const t = await r.json();
  if (t.role !== 'curator' && t.role !== 'admin') { $('login-error').textContent = T.forbidden; return; }
  Auth.store(t);
  start();
}
function signOut() { Auth.clear(); $('app').hidden = true; $('login').hidden = false; }

async function start() {
  $('login').hidden = true; $('app').hidden = false;
  try {
    const exams = await (await api('/api/v1/exams')).json();
    const sel = $('exam'); const keep = sel.value;
    sel.innerHTML = `<option value="">${esc(T.all_exams)}</option>` +
      exams.map((e) => `<option value="${esc(e.id)}">${esc(e.title)}</option>`).join('');
    sel.value = keep;
  } catch (e) { /* the exam list is optional; the analytics still load */ }
  refresh();
}

async function refresh() {
  $('problem').hidden = true;
  crumbs();
  try {
    const f = filters(), p = place();
    const [rates, trend, gaps] = await Promise.all([
      api('/api/v1/analytics/pass-rates', {...f, ...p, group_by: level()}).then((r) => r.json()),
      api('/api/v1/analytics/trend', {...f, ...p, period: $('period').value}).then((r) => r.json()),
      api('/api/v1/analytics/competence-gaps', {...f, federal_district: S.district,
                                                 group_by: S.district ? 'region' : 'federal_district'}).then((r) => r.json()),
    ]);
    drawRates(rates); drawTrend(trend); drawHeat(gaps);
  } catch (e) {
    $('problem').hidden = false; $('problem').textContent = e.message;
  }
}

function crumbs() {
  const parts = [`<a data-go="all">${esc(T.all)}</a>`];
  if (S.district) parts.push(S.region ? `<a data-go="district">${esc(S.district)}</a>` : `<strong>${esc(S.district)}</strong>`);
  if (S.region) parts.push(`<strong>${esc(S.region)}</strong>`);
  $('crumbs').innerHTML = parts.join(' › ');
  $('crumbs').querySelectorAll('a').forEach((a) => a.onclick = () => {
    if (a.dataset.go === 'all') { S.district = ''; S.region = ''; } else { S.region = ''; }
    refresh();
  });
  $('level').textContent = T[level()];
}

function drill(row) {
  if (level() === 'federal_district') S.district = row.key;
  else if (level() === 'region') S.region = row.key;
  else return;
  refresh();
}

function el(name, attrs, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function drawRates(rows) {
  const attempts = rows.reduce((a, r) => a + r.attempts, 0), passed = rows.reduce((a, r) => a + r.passed, 0);
  const first = rows.reduce((a, r) => a + r.first_attempts, 0);
  const firstPassed = rows.reduce((a, r) => a + Math.round(r.first_attempt_pass_rate * r.first_attempts), 0);
  $('kpis').innerHTML = `<div>${esc(T.attempts)}<strong>${attempts.toLocaleString(LANG)}</strong></div>` +
    `<div>${esc(T.pass_rates)}<strong>${attempts ? pct(passed / attempts) : '—'}</strong></div>` +
    `<div>${esc(T.first)}<strong>${first ? pct(firstPassed / first) : '—'}</strong></div>`;
  const svg = $('rates-chart'); svg.innerHTML = '';
  const drillable = level() !== 'organization';
  if (!rows.length) { svg.setAttribute('viewBox', '0 0 600 40'); svg.appendChild(el('text', {x: 0, y: 24, fill: '#5b6675'}, T.no_data)); }
  const label = 300, width = 960, rowH = 30, top = 24, chart = width - label - 70;
  svg.setAttribute('viewBox', `0 0 ${width} ${top + rows.length * rowH + 10}`);
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    const x = label + t * chart;
    svg.appendChild(el('line', {x1: x, x2: x, y1: top - 6, y2: top + rows.length * rowH, stroke: '#e3e7ee'}));
    svg.appendChild(el('text', {x, y: top - 10, 'text-anchor': 'middle', 'font-size': 11, fill: '#5b6675'}, (t * 100) + '%'));
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH, g = el('g', {'data-key': r.key, class: 'rate-row'});
    const name = short(r.key, 40);
    g.appendChild(el('text', {x: label - 10, y: y + 19, 'text-anchor': 'end', 'font-size': 13, fill: '#1b1f24'}, name));
    const bar = el('rect', {x: label, y: y + 6, width: Math.max(1, r.pass_rate * chart), height: rowH - 12, rx: 3,
                            class: 'bar' + (drillable ? ' drill' : '')});
    bar.appendChild(el('title', {}, `${r.key}: ${pct(r.pass_rate)} (${r.passed}/${r.attempts}), ${T.interval} ${pct(r.wilson_low)}–${pct(r.wilson_high)}`));
    g.appendChild(bar);
    const lo = label + r.wilson_low * chart, hi = label + r.wilson_high * chart, cy = y + rowH / 2;
    g.appendChild(el('line', {x1: lo, x2: hi, y1: cy, y2: cy, stroke: '#b08d3c', 'stroke-width': 2}));
    for (const x of [lo, hi]) g.appendChild(el('line', {x1: x, x2: x, y1: cy - 6, y2: cy + 6, stroke: '#b08d3c', 'stroke-width': 2}));
    g.appendChild(el('text', {x: label + chart + 8, y: y + 19, 'font-size': 12, fill: '#1b1f24'}, pct(r.pass_rate)));
    if (drillable) g.onclick = () => drill(r);
    svg.appendChild(g);
  });
  const body = rows.map((r) => `<tr class="${drillable ? 'drill' : ''}" data-key="${esc(r.key)}"><td>${esc(r.key)}</td>
    <td>${r.attempts.toLocaleString(LANG)}</td><td>${r.passed.toLocaleString(LANG)}</td><td>${pct(r.pass_rate)}</td>
    <td>${pct(r.wilson_low)}–${pct(r.wilson_high)}</td><td>${r.first_attempts ? pct(r.first_attempt_pass_rate) : '—'}</td></tr>`).join('');
  $('rates-table').querySelector('tbody').innerHTML = body;
  $('rates-table').querySelector('tfoot').innerHTML = rows.length ? `<tr><td>${esc(T.total)}</td><td>${attempts.toLocaleString(LANG)}</td>
    <td>${passed.toLocaleString(LANG)}</td><td>${pct(passed / attempts)}</td><td></td><td>${first ? pct(firstPassed / first) : '—'}</td></tr>` : '';
  if (drillable) $('rates-table').querySelectorAll('tbody tr').forEach((tr, i) => tr.onclick = () => drill(rows[i]));
}

function drawTrend(points) {
  const svg = $('trend-chart'); svg.innerHTML = '';
  const w = 560, h = 240, l = 44, r = 34, t = 14, b = 34;
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  if (!points.length) { svg.appendChild(el('text', {x: l, y: h / 2, fill: '#5b6675'}, T.no_data)); return; }
  const x = (i) => l + (points.length === 1 ? (w - l - r) / 2 : i * (w - l - r) / (points.length - 1));
  const y = (v) => t + (1 - v) * (h - t - b);
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    svg.appendChild(el('line', {x1: l, x2: w - r, y1: y(v), y2: y(v), stroke: '#e3e7ee'}));
    svg.appendChild(el('text', {x: l - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#5b6675'}, (v * 100) + '%'));
  }
  const band = points.map((p, i) => `${x(i)},${y(p.wilson_high)}`).concat(
    points.slice().reverse().map((p, j) => `${x(points.length - 1 - j)},${y(p.wilson_low)}`));
  svg.appendChild(el('polygon', {points: band.join(' '), fill: '#1d3557', opacity: 0.12}));
  svg.appendChild(el('polyline', {points: points.map((p, i) => `${x(i)},${y(p.pass_rate)}`).join(' '), fill: 'none',
                                  stroke: '#1d3557', 'stroke-width': 2.5}));
  const every = Math.max(1, Math.ceil(points.length / 6));
  points.forEach((p, i) => {
    const c = el('circle', {cx: x(i), cy: y(p.pass_rate), r: 3.5, fill: '#1d3557'});
    c.appendChild(el('title', {}, `${p.period_start}: ${pct(p.pass_rate)} (${p.passed}/${p.attempts})`));
    svg.appendChild(c);
    if (i % every === 0) svg.appendChild(el('text', {x: x(i), y: h - 12, 'text-anchor': 'middle', 'font-size': 11, fill: '#5b6675'},
                                             p.period_start.slice(0, $('period').value === 'month' ? 7 : 10)));
  });
}

function heatColour(v, lo, hi) {  // the weakest mean in the view: red, the middle: amber, the strongest: green
  const stops = [[214, 69, 80], [240, 173, 78], [42, 157, 143]];
  const f = hi > lo ? Math.min(1, Math.max(0, (v - lo) / (hi - lo))) * 2 : 1;
  const [a, b] = f < 1 ? [stops[0], stops[1]] : [stops[1], stops[2]], k = f < 1 ? f : f - 1;
  return `rgb(${a.map((c, i) => Math.round(c + (b[i] - c) * k)).join(',')})`;
}

function drawHeat(cells) {
  const svg = $('heat-chart'); svg.innerHTML = '';
  const keys = [...new Set(cells.map((c) => c.key))], comps = [...new Set(cells.map((c) => c.competence))].sort();
  $('heat-legend').innerHTML = '';
  if (!cells.length) { svg.setAttribute('viewBox', '0 0 600 40'); svg.appendChild(el('text', {x: 0, y: 24, fill: '#5b6675'}, T.no_data)); return; }
  const values = cells.map((c) => c.mean_percent), lo = Math.min(...values), hi = Math.max(...values);
  const l = 210, t = 26, cw = Math.max(44, Math.min(64, 340 / Math.max(1, comps.length))), ch = 28;
  svg.setAttribute('viewBox', `0 0 ${l + comps.length * cw + 4} ${t + keys.length * ch + 4}`);
  comps.forEach((c, j) => {
    const head = el('text', {x: l + j * cw + cw / 2, y: t - 8, 'text-anchor': 'middle', 'font-size': 12, 'font-weight': 600, fill: '#1b1f24'}, code(c));
    head.appendChild(el('title', {}, c));
    svg.appendChild(head);
  });
  const at = new Map(cells.map((c) => [c.key + '\u0000' + c.competence, c]));
  keys.forEach((k, i) => {
    const name = el('text', {x: l - 8, y: t + i * ch + 18, 'text-anchor': 'end', 'font-size': 12, fill: '#1b1f24'}, short(k, 26));
    name.appendChild(el('title', {}, k));
    svg.appendChild(name);
    comps.forEach((c, j) => {
      const cell = at.get(k + '\u0000' + c);
      const rect = el('rect', {x: l + j * cw + 1, y: t + i * ch + 1, width: cw - 2, height: ch - 2, rx: 3,
                               fill: cell ? heatColour(cell.mean_percent, lo, hi) : '#eef0f4'});
      if (cell) rect.appendChild(el('title', {}, `${k} · ${c}: ${cell.mean_percent.toFixed(1)}% (${cell.results})`));
      svg.appendChild(rect);
      if (cell) svg.appendChild(el('text', {x: l + j * cw + cw / 2, y: t + i * ch + 18, 'text-anchor': 'middle',
                                            'font-size': 12, 'font-weight': 600, fill: '#fff'}, Math.round(cell.mean_percent)));
    });
  });
  $('heat-legend').innerHTML = `<span class="swatch" style="background:${heatColour(lo, lo, hi)}"></span>${lo.toFixed(0)}% ` +
    `<span class="swatch" style="background:${heatColour((lo + hi) / 2, lo, hi)}"></span> ` +
    `<span class="swatch" style="background:${heatColour(hi, lo, hi)}"></span>${hi.toFixed(0)}% · ` +
    comps.map((c) => esc(c)).join(' · ');
}

async function downloadCsv() {
  const r = await api('/api/v1/analytics/pass-rates', {...filters(), ...place(), group_by: level(), format: 'csv'});
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement('a');
  a.href = url; a.download = `pass-rates-${level()}.csv`; document.body.appendChild(a); a.click();
  setTimeout(() => { URL.revokeObjectURL(url); a.remove(); }, 1000);
}

$('login-form').onsubmit = signIn;
$('filters').onsubmit = (ev) => { ev.preventDefault(); refresh(); };
$('exam').onchange = refresh; $('period').onchange = refresh;
$('csv').onclick = (ev) => { ev.preventDefault(); downloadCsv(); };
$('sign-out').onclick = (ev) => { ev.preventDefault(); signOut(); };
if (Auth.token()) start();
"""


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
  <form id="filters" class="card filters">
    <div><label for="exam">{t['exam']}</label><select id="exam"><option value="">{t['all_exams']}</option></select></div>
    <div><label for="from">{t['from']}</label><input id="from" type="date"></div>
    <div><label for="to">{t['to']}</label><input id="to" type="date"></div>
    <div><label for="period">{t['period']}</label><select id="period"><option value="week">{t['week']}</option>
      <option value="month">{t['month']}</option></select></div>
    <button type="submit">{t['apply']}</button>
  </form>
  <p id="problem" class="error" role="alert" hidden></p>
  <section class="card">
    <nav id="crumbs" class="crumbs" aria-label="drill-down"></nav>
    <div class="toolbar"><h2>{t['pass_rates']}: <span id="level"></span></h2>
      <a href="#" id="csv" class="button">{t['csv']}</a></div>
    <div id="kpis" class="kpis"></div>
    <svg id="rates-chart" role="img" aria-label="{t['pass_rates']}" width="100%"></svg>
    <p class="muted">{t['ci']}. {t['drill']}.</p>
    <table id="rates-table"><thead><tr><th>{t['group']}</th><th>{t['attempts']}</th><th>{t['passed']}</th>
      <th>{t['rate']}</th><th>{t['interval']}</th><th>{t['first']}</th></tr></thead><tbody></tbody><tfoot></tfoot></table>
  </section>
  <div class="grid">
    <section class="card"><h2>{t['trend']}</h2><svg id="trend-chart" role="img" aria-label="{t['trend']}" width="100%"></svg></section>
    <section class="card"><h2>{t['heat']}</h2><svg id="heat-chart" role="img" aria-label="{t['heat']}" width="100%"></svg>
      <p id="heat-legend" class="muted"></p></section>
  </div>
</div>
{AUTH_TAG}<script>{SCRIPT.replace('__T__', json.dumps(t, ensure_ascii=False)).replace('__LANG__', json.dumps(lang))}</script>"""
    return page(lang, t["title"], body, f"/dashboard?lang={other_language(lang)}", extra_head=EXTRA_STYLE)
