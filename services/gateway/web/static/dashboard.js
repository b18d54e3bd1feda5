// The curator dashboard over the analytics REST API. Pass rates count people, not attempts (people who passed at
// any attempt / people who sat; first-attempt rate beside), per exam, certifying exams first and practice exams
// apart. Numbers, percents and dates are written by the browser's Intl (CLDR): «33,3 %», «4 дек. 2026 г.».
// Charts are drawn at the size they are shown (one SVG unit = one CSS pixel), so no label is scaled below 11 px.
const T = __T__, LANG = __LANG__, SMALL = __SMALL__;
const Auth = window.GramotaAuth, S = {district: '', region: '', exams: []};
const $ = (id) => document.getElementById(id);
const W = window.GramotaWording(LANG), LOCALE = W.locale;  // CLDR numbers, percents, dates (static/wording.js)
const pct = W.share, int = W.number;
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
const NS = 'http://www.w3.org/2000/svg';
const INK = '#1b1f24', MUTED = '#4f5968', GRID = '#d5dae2';
// chart labels only: the tables keep the full names
const short = (s, n) => { s = s.replace(/федеральный округ/i, 'ФО').replace(/автономный округ/i, 'АО'); return s.length > n ? s.slice(0, n - 1) + '…' : s; };

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
function exam() { return S.exams.find((e) => e.id === $('exam').value); }

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
  try {  // the curator's scope, said once at the top: what every figure below is limited to
    const me = await (await api('/api/v1/me')).json();
    const parts = [...(me.scope_districts || []), ...(me.scope_regions || [])];
    $('scope').textContent = `${T.scope}: ${me.role === 'admin' || !parts.length ? T.everything : parts.join(', ')}`;
    S.scope = me.role === 'admin' ? null : parts;
  } catch (e) { $('scope').hidden = true; }
  try {
    // certifying exams first, practice exams after and marked: never mixed together
    S.exams = (await (await api('/api/v1/exams')).json())
      .sort((a, b) => Number(!!(a.settings || {}).practice) - Number(!!(b.settings || {}).practice));
    const sel = $('exam'); const keep = sel.value;
    sel.innerHTML = S.exams.map((e) => `<option value="${esc(e.id)}" data-practice="${!!(e.settings || {}).practice}">` +
      `${esc(e.title)}${(e.settings || {}).practice ? ' (' + esc(T.practice) + ')' : ''}</option>`).join('') +
      `<option value="">${esc(T.all_exams)}</option>`;
    if (keep && S.exams.some((e) => e.id === keep)) sel.value = keep;
  } catch (e) { /* the exam list is optional; the analytics still load */ }
  refresh();
}

async function refresh() {
  $('problem').hidden = true;
  crumbs();
  $('trend-title').textContent = $('period').value === 'month' ? T.trend_month : T.trend_week;
  try {
    const f = filters(), p = place();
    const [rates, trend, gaps] = await Promise.all([
      api('/api/v1/analytics/pass-rates', {...f, ...p, group_by: level()}).then((r) => r.json()),
      api('/api/v1/analytics/trend', {...f, ...p, period: $('period').value}).then((r) => r.json()),
      api('/api/v1/analytics/competence-gaps', {...f, federal_district: S.district, lang: LANG,
                                                 group_by: S.district ? 'region' : 'federal_district'}).then((r) => r.json()),
    ]);
    S.last = [rates, trend, gaps];
    drawRates(rates); drawTrend(trend); drawHeat(gaps);
  } catch (e) {
    $('problem').hidden = false; $('problem').textContent = e.message;
  }
}

function crumbs() {
  // the root says what the curator sees: their own districts and regions, never «all» when they see one
  const root = S.scope && S.scope.length ? S.scope.join(', ') : T.all;
  const parts = [`<button type="button" data-go="all">${esc(root)}</button>`];
  if (S.district) parts.push(S.region ? `<button type="button" data-go="district">${esc(S.district)}</button>` : `<strong>${esc(S.district)}</strong>`);
  if (S.region) parts.push(`<strong>${esc(S.region)}</strong>`);
  $('crumbs').innerHTML = parts.join(' › ');
  $('crumbs').querySelectorAll('button').forEach((a) => a.onclick = () => {
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
const widthOf = (svg) => Math.max(300, Math.round(svg.parentElement.clientWidth - 40));

function drawRates(rows) {
  const sat = rows.reduce((a, r) => a + r.people_sat, 0), passed = rows.reduce((a, r) => a + r.people_passed, 0);
  const firstPassed = rows.reduce((a, r) => a + r.first_passed, 0), attempts = rows.reduce((a, r) => a + r.attempts, 0);
  $('kpis').innerHTML = `<div>${esc(T.people_sat)}<strong id="kpi-sat">${int(sat)}</strong></div>` +
    `<div>${esc(T.people_passed)}<strong id="kpi-passed">${int(passed)}</strong></div>` +
    `<div>${esc(T.rate)}<strong id="kpi-rate">${sat ? pct(passed / sat) : '—'}</strong></div>` +
    `<div>${esc(T.first)}<strong id="kpi-first">${sat ? pct(firstPassed / sat) : '—'}</strong></div>` +
    `<div>${esc(T.attempts)}<strong id="kpi-attempts">${int(attempts)}</strong></div>`;
  const svg = $('rates-chart'); svg.innerHTML = '';
  const drillable = level() !== 'organization';
  const width = widthOf(svg), phone = width < 560;
  if (!rows.length) { svg.setAttribute('viewBox', `0 0 ${width} 40`); svg.setAttribute('height', 40); svg.appendChild(el('text', {x: 0, y: 24, fill: MUTED, 'font-size': 14}, T.no_data)); }
  const label = phone ? Math.round(width * 0.42) : 300, rowH = 30, top = 24, chart = width - label - 64;
  const height = top + rows.length * rowH + 10;
  if (rows.length) { svg.setAttribute('viewBox', `0 0 ${width} ${height}`); svg.setAttribute('height', height); }
  for (const t of [0, 0.5, 1]) {
    const x = label + t * chart;
    svg.appendChild(el('line', {x1: x, x2: x, y1: top - 6, y2: top + rows.length * rowH, stroke: GRID}));
    if (rows.length) svg.appendChild(el('text', {x, y: top - 10, 'text-anchor': 'middle', 'font-size': 12, fill: MUTED}, pct(t)));
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH, g = el('g', {'data-key': r.key, class: 'rate-row'});
    const name = el('text', {x: label - 8, y: y + 19, 'text-anchor': 'end', 'font-size': 13, fill: INK}, short(r.key, 40));
    name.appendChild(el('title', {}, r.key));
    g.appendChild(name);
    svg.appendChild(g);
    // shortened until it fits left of the bars: never cut by the chart's edge
    for (let n = 38; n > 4 && name.getComputedTextLength() > label - 12; n -= 2) name.firstChild.textContent = short(r.key, n);
    const bar = el('rect', {x: label, y: y + 6, width: Math.max(1, r.best_attempt_pass_rate * chart), height: rowH - 12, rx: 3,
                            class: 'bar' + (drillable ? ' drill' : '')});
    bar.appendChild(el('title', {}, `${r.key}: ${pct(r.best_attempt_pass_rate)} (${r.people_passed}/${r.people_sat}), ${T.interval} ${pct(r.people_wilson_low)}–${pct(r.people_wilson_high)}`));
    g.appendChild(bar);
    const lo = label + r.people_wilson_low * chart, hi = label + r.people_wilson_high * chart, cy = y + rowH / 2;
    g.appendChild(el('line', {x1: lo, x2: hi, y1: cy, y2: cy, stroke: '#7a5c12', 'stroke-width': 2}));
    for (const x of [lo, hi]) g.appendChild(el('line', {x1: x, x2: x, y1: cy - 6, y2: cy + 6, stroke: '#7a5c12', 'stroke-width': 2}));
    const small = r.people_sat < SMALL;
    g.appendChild(el('text', {x: label + chart + 6, y: y + 19, 'font-size': 12, fill: INK, 'font-style': small ? 'italic' : 'normal'},
                     pct(r.best_attempt_pass_rate) + (small ? '*' : '')));
    if (drillable) g.onclick = () => drill(r);
  });
  const anySmall = rows.some((r) => r.people_sat < SMALL);
  $('small-note').textContent = anySmall ? '* ' + T.small_note.replace('{n}', SMALL) : '';
  const cell = (r) => r.people_sat < SMALL ? ` class="small-sample" title="${esc(T.small)}"` : '';
  const body = rows.map((r) => `<tr class="${drillable ? 'drill' : ''}" data-key="${esc(r.key)}"${drillable ? ' tabindex="0"' : ''}>
    <td>${esc(r.key)}</td><td>${int(r.people_sat)}</td><td>${int(r.people_passed)}</td><td${cell(r)}>${pct(r.best_attempt_pass_rate)}</td>
    <td>${pct(r.people_wilson_low)}–${pct(r.people_wilson_high)}</td><td>${r.people_sat ? pct(r.first_attempt_pass_rate) : '—'}</td>
    <td>${int(r.attempts)}</td></tr>`).join('');
  $('rates-table').querySelector('tbody').innerHTML = body;
  $('rates-table').querySelector('tfoot').innerHTML = rows.length ? `<tr><td>${esc(T.total)}</td><td>${int(sat)}</td>
    <td>${int(passed)}</td><td>${sat ? pct(passed / sat) : '—'}</td><td></td><td>${sat ? pct(firstPassed / sat) : '—'}</td><td>${int(attempts)}</td></tr>` : '';
  if (drillable) $('rates-table').querySelectorAll('tbody tr').forEach((tr, i) => {
    tr.onclick = () => drill(rows[i]);
    tr.onkeydown = (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); drill(rows[i]); } };
  });
}

function periodLabel(start, period) {
  const d = new Date(start + 'T00:00:00Z');
  if (period === 'month') return new Intl.DateTimeFormat(LOCALE, {month: 'short', year: 'numeric', timeZone: 'UTC'}).format(d);
  return new Intl.DateTimeFormat(LOCALE, {day: 'numeric', month: 'short', timeZone: 'UTC'}).format(d);
}

function drawTrend(points) {
  const svg = $('trend-chart'); svg.innerHTML = '';
  const period = $('period').value;
  const w = widthOf(svg), h = 240, l = 52, r = 24, t = 14, b = 38;
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`); svg.setAttribute('height', h);
  if (!points.length) { svg.appendChild(el('text', {x: l, y: h / 2, fill: MUTED, 'font-size': 14}, T.no_data)); return; }
  const x = (i) => l + (points.length === 1 ? (w - l - r) / 2 : i * (w - l - r) / (points.length - 1));
  const y = (v) => t + (1 - v) * (h - t - b);
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    svg.appendChild(el('line', {x1: l, x2: w - r, y1: y(v), y2: y(v), stroke: GRID}));
    svg.appendChild(el('text', {x: l - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 12, fill: MUTED}, pct(v)));
  }
  const band = points.map((p, i) => `${x(i)},${y(p.wilson_high)}`).concat(
    points.slice().reverse().map((p, j) => `${x(points.length - 1 - j)},${y(p.wilson_low)}`));
  svg.appendChild(el('polygon', {points: band.join(' '), fill: '#1d3557', opacity: 0.12}));
  svg.appendChild(el('polyline', {points: points.map((p, i) => `${x(i)},${y(p.pass_rate)}`).join(' '), fill: 'none',
                                  stroke: '#1d3557', 'stroke-width': 2.5}));
  const every = Math.max(1, Math.ceil(points.length / Math.max(2, Math.floor((w - l - r) / 80))));
  points.forEach((p, i) => {
    const c = el('circle', {cx: x(i), cy: y(p.pass_rate), r: 3.5, fill: '#1d3557'});
    const when = period === 'month' ? periodLabel(p.period_start, period) : `${T.week_of} ${periodLabel(p.period_start, period)}`;
    c.appendChild(el('title', {}, `${when}: ${pct(p.pass_rate)} (${p.passed}/${p.attempts})`));
    svg.appendChild(c);
    if (i % every === 0) svg.appendChild(el('text', {x: x(i), y: h - 14, 'text-anchor': 'middle', 'font-size': 12, fill: MUTED, class: 'period'},
                                             periodLabel(p.period_start, period)));
  });
}

// a colour scale with a fixed meaning: the exam's pass mark is the midpoint (yellow); below it shades of red, above it
// shades of green; light tints, so the dark figures on them keep a contrast far above 4.5:1
const LOW = [244, 176, 170], MID = [255, 236, 179], HIGH = [163, 217, 177];
function heatColour(v, pass) {
  const mix = (a, b, k) => `rgb(${a.map((c, i) => Math.round(c + (b[i] - c) * k)).join(',')})`;
  if (v < pass) return mix(MID, LOW, Math.min(1, (pass - v) / Math.max(1, pass)));
  return mix(MID, HIGH, Math.min(1, (v - pass) / Math.max(1, 100 - pass)));
}

function drawHeat(cells) {
  const table = $('heat-table'); table.innerHTML = '';
  $('heat-legend').innerHTML = '';
  if (!cells.length) { table.innerHTML = `<caption class="muted">${esc(T.no_data)}</caption>`; return; }
  const pass = exam() ? exam().pass_score : 70;
  const keys = [...new Set(cells.map((c) => c.key))];
  const names = new Map(cells.map((c) => [c.competence, c.name || c.competence]));
  const comps = [...names.keys()].sort((a, b) => names.get(a).localeCompare(names.get(b), LOCALE));
  const at = new Map(cells.map((c) => [c.key + '\u0000' + c.competence, c]));
  const fmt = new Intl.NumberFormat(LOCALE, {maximumFractionDigits: 0});
  // competences as rows (their names read in full), places as columns
  table.innerHTML = `<thead><tr><th scope="col">${esc(T.competence)}</th>${keys.map((k) => `<th scope="col" title="${esc(k)}">${esc(short(k, 22))}</th>`).join('')}</tr></thead>` +
    '<tbody>' + comps.map((c) => `<tr data-competence="${esc(c)}"><th scope="row">${esc(names.get(c))}</th>` + keys.map((k) => {
      const cell = at.get(k + '\u0000' + c);
      if (!cell) return '<td>—</td>';
      const small = cell.results < SMALL;
      return `<td style="background:${heatColour(cell.mean_percent, pass)}"${small ? ' class="small-sample"' : ''} ` +
        `title="${esc(k)} · ${esc(names.get(c))}: ${pct(cell.mean_percent / 100)} (${cell.results})">${fmt.format(cell.mean_percent)}</td>`;
    }).join('') + '</tr>').join('') + '</tbody>';
  const swatch = (v) => `<span class="swatch" style="background:${heatColour(v, pass)}"></span>`;
  $('heat-legend').innerHTML = `${esc(T.scale)}: ${swatch(0)}${pct(0)} ${swatch(pass)}${pct(pass / 100)} (${esc(T.pass_mark)}) ` +
    `${swatch(100)}${pct(1)}. ` + (cells.some((c) => c.results < SMALL) ? '* ' + esc(T.small_note.replace('{n}', SMALL)) : '');
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
let resized = null;
// a new width redraws the charts from the figures already loaded, at the size they are now shown
window.addEventListener('resize', () => { clearTimeout(resized); resized = setTimeout(() => {
  if (!$('app').hidden && S.last) { drawRates(S.last[0]); drawTrend(S.last[1]); }
}, 150); });
if (Auth.token()) start();
