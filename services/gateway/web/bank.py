"""Pages for bank authors: list and filter items, edit one with a preview as the candidate sees it, import a file.

The pages are thin shells: the browser calls the admin REST API with the token it got at log-in (kept in
sessionStorage), so the pages enforce exactly what the API enforces.
"""
from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from .exam import T as EXAM_TEXTS
from .layout import AUTH_TAG, QUESTION_TAG, esc, language, other_language, page

router = APIRouter()

T = {
    "ru": {
        "bank": "Банк вопросов", "import": "Импорт", "new": "Новый вопрос", "login": "Вход для автора",
        "username": "Логин", "password": "Пароль", "enter": "Войти", "logout": "Выйти",
        "competence": "Компетенция", "any": "любая", "tag": "Тег", "text": "Текст", "type": "Тип", "find": "Найти",
        "difficulty": "Сложность", "version": "Версия", "edit": "Изменить", "retired": "выведен",
        "found": "Найдено", "question": "Текст вопроса", "tags": "Теги (через запятую)",
        "general_feedback": "Общий отзыв", "options": "Варианты", "weight": "Вес, %", "feedback": "Отзыв",
        "target": "Пара (для сопоставления)", "accepted": "Принимаемые ответы", "numeric": "Числовые ответы",
        "value": "Значение", "tolerance": "Допуск", "add": "Добавить строку", "save": "Сохранить новую версию",
        "create": "Создать", "retire": "Вывести из обращения", "preview": "Так вопрос увидит кандидат",
        "saved": "Сохранено: версия", "file": "Файл (GIFT или QTI 2.1)", "format": "Формат", "upload": "Загрузить",
        "imported": "Импортировано вопросов", "rejected": "Отклонено", "line": "Строка / элемент",
        "reason": "Причина", "true": "Верно", "false": "Неверно", "your_answer": "Ваш ответ",
        "pages": "Страницы списка", "prev_page": "← Предыдущие", "next_page": "Следующие →",
        "shown": "показаны {from}–{to}", "cancel": "Отмена",
        "retire_title": "Вывести вопрос из обращения?",
        "retire_text": "Вопрос больше не попадёт в новые экзамены. Уже опубликованные экзамены и результаты не изменятся.",
        "choose": "выберите", "extra": "Лишние пары справа (через запятую)", "points": "Баллы",
        "correction": "Исправление ключа", "correction_exams": "Эти экзамены используют прежнюю версию:",
        "apply_past": "Применить к прошлым результатам (пересчитать) и к новым попыткам",
        "apply_future": "Только к новым попыткам", "apply_none": "Не применять (экзамены сохраняют прежнюю версию)",
        "void": "Аннулировать вопрос: исключить из всех результатов", "apply": "Применить",
        "corrected": "Решение записано для экзаменов", "rescored": "пересчитано", "changed": "изменилось",
        "retire_confirm": "Без этого вопроса эти экзамены нельзя собрать; они будут закрыты. Вывести вопрос?",
        "skipped": "Пропущено", "unassigned": "Без компетенции", "category": "Категория",
        "map": "Категории Moodle → компетенции (строка «путь категории = код компетенции»; запоминается)",
        "default_competence": "Компетенция для остальных вопросов", "none": "не назначать",
        "unassigned_help": "Эти вопросы импортированы без компетенции: билеты по правилам их не берут, пока "
                           "компетенция не назначена.",
        "assign": "Назначить выбранным", "assigned": "Назначено вопросов", "all": "Выбрать все",
        "types": {"single_choice": "Один верный ответ", "multiple_choice": "Несколько верных ответов",
                  "true_false": "Верно / неверно", "ordering": "Упорядочивание", "matching": "Сопоставление",
                  "short_answer": "Краткий ответ", "numeric": "Числовой ответ"},
    },
    "en": {
        "bank": "Item bank", "import": "Import", "new": "New item", "login": "Author log-in",
        "username": "Username", "password": "Password", "enter": "Log in", "logout": "Log out",
        "competence": "Competence", "any": "any", "tag": "Tag", "text": "Text", "type": "Type", "find": "Search",
        "difficulty": "Difficulty", "version": "Version", "edit": "Edit", "retired": "retired",
        "found": "Found", "question": "Question text", "tags": "Tags (comma separated)",
        "general_feedback": "General feedback", "options": "Options", "weight": "Weight, %", "feedback": "Feedback",
        "target": "Pairs with (matching)", "accepted": "Accepted answers", "numeric": "Numeric answers",
        "value": "Value", "tolerance": "Tolerance", "add": "Add a row", "save": "Save a new version",
        "create": "Create", "retire": "Retire", "preview": "What the candidate will see",
        "saved": "Saved: version", "file": "File (GIFT or QTI 2.1)", "format": "Format", "upload": "Upload",
        "imported": "Questions imported", "rejected": "Rejected", "line": "Line / item",
        "reason": "Reason", "true": "True", "false": "False", "your_answer": "Your answer",
        "pages": "List pages", "prev_page": "← Previous", "next_page": "Next →",
        "shown": "showing {from}–{to}", "cancel": "Cancel",
        "retire_title": "Retire this item?",
        "retire_text": "The item will no longer be drawn into new exams. Published exams and results do not change.",
        "choose": "choose", "extra": "Extra targets (comma separated)", "points": "Points",
        "correction": "Key correction", "correction_exams": "These exams use an earlier version:",
        "apply_past": "Apply to past results (rescore) and to new attempts",
        "apply_future": "New attempts only", "apply_none": "Do not apply (the exams keep the earlier version)",
        "void": "Void the question: drop it from every result", "apply": "Apply",
        "corrected": "Decision recorded for exams", "rescored": "rescored", "changed": "changed",
        "retire_confirm": "Without this item these exams cannot be drawn; they will be closed. Retire it?",
        "skipped": "Skipped", "unassigned": "Without a competence", "category": "Category",
        "map": "Moodle categories → competences (one 'category path = competence code' a line; remembered)",
        "default_competence": "Competence of the other questions", "none": "leave unassigned",
        "unassigned_help": "These questions were imported without a competence: no blueprint draws them until "
                           "one is assigned.",
        "assign": "Assign to the selected", "assigned": "Items assigned", "all": "Select all",
        "types": {"single_choice": "Single choice", "multiple_choice": "Multiple choice",
                  "true_false": "True / false", "ordering": "Ordering", "matching": "Matching",
                  "short_answer": "Short answer", "numeric": "Numeric"},
    },
}

STYLE = """<style>
table{width:100%;border-collapse:collapse;background:#fff}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #dde}
.row{display:flex;gap:8px;flex-wrap:wrap;align-items:end}.row>*{flex:1 1 140px}textarea{width:100%;min-height:90px;font:inherit;padding:8px}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}@media(max-width:800px){.grid{grid-template-columns:1fr}}
.opt{display:grid;grid-template-columns:7rem 7rem 1fr;gap:6px;margin-bottom:10px;padding-bottom:10px;border-bottom:1px solid #e3e7ee}
.opt input[data-k="text"]{grid-column:1 / -1}  /* an option's text gets the whole width of the form */
.opt input[data-k="target"],.opt input[data-k="feedback"]{grid-column:span 2}
.muted{color:#4f5968}.error{color:#b3261e}.ok{color:#1e6b3a}button.small{padding:4px 10px;margin:0}
button.danger{background:#b3261e}button.secondary{background:#fff;color:var(--navy);border:2px solid var(--navy)}
.form-actions{display:flex;flex-wrap:wrap;gap:10px;justify-content:space-between;align-items:center}
.pager{display:flex;gap:10px;margin-top:12px}button:disabled{background:#eceff3;color:#4f5968;border:2px dashed #8a94a3;cursor:not-allowed}
dialog{border:0;border-radius:10px;padding:20px;max-width:min(92vw,480px);box-shadow:0 4px 24px rgba(0,0,0,.3)}
</style>"""

# What every author page shares: the token, the API call, the log-in form, escaping.
COMMON_JS = """
const T = JSON.parse(document.getElementById('t').textContent);
const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
const Auth = window.GramotaAuth, token = Auth.token;
async function api(path, options = {}) {
  const r = await Auth.fetch(path, options);
  if (r.status === 401) { Auth.clear(); showLogin(); throw new Error('login'); }
  const body = r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text();
  if (!r.ok) throw new Error(body.detail || body.title || r.status);
  return body;
}
function showLogin() {
  document.getElementById('app').hidden = true;
  document.getElementById('login').hidden = false;
}
document.getElementById('login-form').addEventListener('submit', async e => {
  e.preventDefault();
  const r = await Auth.login(e.target);
  if (!r.ok) { document.getElementById('login-error').textContent = (await r.json()).detail; return; }
  location.reload();
});
async function competenceOptions(select, selected) {
  const areas = await api('/api/v1/competences');
  const name = T.lang === 'en' ? 'name_en' : 'name_ru';
  for (const a of areas) {
    const group = document.createElement('optgroup'); group.label = a[name];
    group.append(new Option(a[name] + ' (' + a.code + ')', a.code));
    for (const c of a.competences) group.append(new Option(c.code + ' — ' + c[name], c.code));
    select.append(group);
  }
  if (selected !== undefined) select.value = selected;
}
"""


def _shell(lang: str, title: str, path: str, body: str, script: str, nav: str = "") -> HTMLResponse:
    t = T[lang]
    login = f"""<div id="login" class="card" hidden><h1>{t['login']}</h1><form id="login-form">
<label>{t['username']}<input name="username" autocomplete="username" required></label>
<label>{t['password']}<input name="password" type="password" autocomplete="current-password" required></label>
<button>{t['enter']}</button><p id="login-error" class="error" role="alert"></p></form></div>"""
    data = json.dumps({**t, "lang": lang, "exam": EXAM_TEXTS[lang]}, ensure_ascii=False).replace("</", "<\\/")
    links = (f'<a href="/bank?lang={lang}">{t["bank"]}</a><a href="/bank/items/new?lang={lang}">{t["new"]}</a>'
             f'<a href="/bank/import?lang={lang}">{t["import"]}</a>')
    html = (f'{login}<div id="app">{body}</div><script type="application/json" id="t">{data}</script>'
            f"{AUTH_TAG}{QUESTION_TAG}<script>{COMMON_JS}\nif (!token()) showLogin(); else {{ {script} }}</script>")
    sep = "&" if "?" in path else "?"
    return page(lang, title, html, f"{path}{sep}lang={other_language(lang)}",
                extra_head='<link rel="stylesheet" href="/exam/static/exam.css">' + STYLE, nav=links + nav)


@router.get("/bank", response_class=HTMLResponse)
async def bank_page(lang: Annotated[str | None, Query()] = None) -> HTMLResponse:
    lang = language(lang)
    t = T[lang]
    types = "".join(f'<option value="{k}">{esc(v)}</option>' for k, v in t["types"].items())
    body = f"""<div class="card"><h1>{t['bank']}</h1><form id="filter" class="row">
<label>{t['competence']}<select name="competence"><option value="">{t['any']}</option></select></label>
<label>{t['type']}<select name="type"><option value="">{t['any']}</option>{types}</select></label>
<label>{t['tag']}<input name="tag"></label><label>{t['text']}<input name="text"></label>
<div><button>{t['find']}</button></div></form></div>
<section class="card" id="unassigned" hidden><h2>{t['unassigned']}: <span id="unassigned-count"></span></h2>
<p class="muted">{t['unassigned_help']}</p><form id="assign" class="row">
<label>{t['competence']}<select name="competence" required><option value="">{t['choose']}</option></select></label>
<div><button>{t['assign']}</button></div></form><p id="assign-status" role="status"></p>
<table><thead><tr><th><label><input type="checkbox" id="assign-all"> {t['all']}</label></th><th>{t['question']}</th>
<th>{t['category']}</th></tr></thead><tbody id="unassigned-items"></tbody></table></section>
<div class="card"><p id="count" class="muted"></p><table><thead><tr><th>{t['question']}</th><th>{t['type']}</th>
<th>{t['competence']}</th><th>{t['difficulty']}</th><th>{t['version']}</th><th>{t['tags']}</th></tr></thead>
<tbody id="items"></tbody></table>
<nav class="pager" aria-label="{t['pages']}"><button type="button" id="prev-page" class="secondary">{t['prev_page']}</button>
<button type="button" id="next-page" class="secondary">{t['next_page']}</button></nav></div>"""
    script = """
const form = document.getElementById('filter');
const PAGE = 50;
let offset = 0;
async function search() {
  const params = new URLSearchParams([...new FormData(form)].filter(([k, v]) => v));
  params.set('limit', String(PAGE)); params.set('offset', String(offset));
  const page = await api('/api/v1/items?' + params);
  const last = Math.min(page.total, offset + page.items.length);
  document.getElementById('count').textContent = T.found + ': ' + page.total +
    (page.total ? ' · ' + T.shown.replace('{from}', page.items.length ? offset + 1 : 0).replace('{to}', last) : '');
  document.getElementById('prev-page').disabled = offset === 0;
  document.getElementById('next-page').disabled = last >= page.total;
  document.getElementById('items').innerHTML = page.items.map(i => `<tr data-item="${i.id}">
    <td><a href="/bank/items/${i.id}?lang=${T.lang}">${esc(i.text.slice(0, 140))}</a>${i.retired ? ' <em>(' + T.retired + ')</em>' : ''}</td>
    <td>${esc(T.types[i.type])}</td><td>${esc(i.competence)}</td><td>${i.difficulty}</td><td>${i.version}</td>
    <td>${esc(i.tags.join(', '))}</td></tr>`).join('');
}
form.addEventListener('submit', e => { e.preventDefault(); offset = 0; search(); });
document.getElementById('prev-page').addEventListener('click', () => { offset = Math.max(0, offset - PAGE); search(); });
document.getElementById('next-page').addEventListener('click', () => { offset += PAGE; search(); });
const assign = document.getElementById('assign');
async function unassigned() {
  const page = await api('/api/v1/items?unassigned=true&limit=1000');
  document.getElementById('unassigned').hidden = page.total === 0;
  document.getElementById('unassigned-count').textContent = page.total;
  document.getElementById('unassigned-items').innerHTML = page.items.map(i => `<tr>
    <td><input type="checkbox" name="item" value="${i.id}" aria-label="${esc(i.text.slice(0, 60))}"></td>
    <td>${esc(i.text.slice(0, 140))}</td><td>${esc(i.category)}</td></tr>`).join('');
}
document.getElementById('assign-all').addEventListener('change', e => {
  for (const box of document.querySelectorAll('#unassigned-items input[name=item]')) box.checked = e.target.checked;
});
assign.addEventListener('submit', async e => {
  e.preventDefault();
  const ids = [...document.querySelectorAll('#unassigned-items input[name=item]:checked')].map(b => b.value);
  const status = document.getElementById('assign-status');
  if (!ids.length) return;
  try {
    const r = await api('/api/v1/bank/assign-competence', {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({item_ids: ids, competence: assign.competence.value})});
    status.className = 'ok'; status.textContent = T.assigned + ': ' + r.assigned;
    document.getElementById('assign-all').checked = false;
    await Promise.all([unassigned(), search()]);
  } catch (err) { status.className = 'error'; status.textContent = err.message; }
});
competenceOptions(form.competence).then(() => competenceOptions(assign.competence)).then(() => Promise.all([search(), unassigned()]));
"""
    return _shell(lang, t["bank"], "/bank", body, script)


EDIT_JS = """
const itemId = document.getElementById('editor').dataset.item;
const f = document.getElementById('editor');
let current = {type: 'single_choice', text: '', options: [{text: '', weight: 100}, {text: '', weight: 0}],
               accepted_texts: [], numeric_answers: [], tags: [], difficulty: 3, competence: '', points: 1,
               general_feedback: '', extra_targets: []};
function rowsFor(type) {
  if (type === 'short_answer') return ['accepted_texts', ['text', 'weight', 'feedback']];
  if (type === 'numeric') return ['numeric_answers', ['value', 'tolerance', 'weight', 'feedback']];
  if (type === 'matching') return ['options', ['text', 'target']];
  if (type === 'ordering') return ['options', ['text']];
  if (type === 'true_false') return ['options', ['text', 'weight', 'feedback']];
  return ['options', ['text', 'weight', 'feedback']];
}
const percent = w => Math.round(w * 100000) / 1000;  // weights are fractions; authors see percents
const fraction = (v, empty) => v === undefined || v === '' ? empty : +v / 100;
function renderRows() {
  const [list, fields] = rowsFor(f.type.value);
  const rows = current[list].length ? current[list] : [{}];
  const label = {text: T.text, weight: T.weight, feedback: T.feedback, target: T.target, value: T.value, tolerance: T.tolerance};
  document.getElementById('rows-title').textContent = list === 'options' ? T.options : list === 'accepted_texts' ? T.accepted : T.numeric;
  document.getElementById('rows').innerHTML = rows.map((r, n) => '<div class="opt" data-row="' + n + '">' + fields.map(k =>
    `<input data-k="${k}" aria-label="${label[k]}" placeholder="${label[k]}" value="${esc(k === 'weight' ? percent(r.weight ?? (list === 'options' ? 0 : 1)) : r[k] ?? '')}">`
  ).join('') + '</div>').join('');
  document.getElementById('extra').hidden = f.type.value !== 'matching';
  document.getElementById('add').hidden = f.type.value === 'true_false';
}
function collect() {
  const [list, fields] = rowsFor(f.type.value);
  const rows = [...document.querySelectorAll('#rows .opt')].map(div => {
    const r = {};
    for (const input of div.querySelectorAll('input')) r[input.dataset.k] = input.value;
    return r;
  }).filter(r => Object.values(r).some(v => v !== ''));
  const item = {type: f.type.value, text: f.text.value, competence: f.competence.value, external_id: f.external_id.value,
    difficulty: +f.difficulty.value, points: +f.points.value || 1, general_feedback: f.general_feedback.value,
    tags: f.tags.value.split(',').map(s => s.trim()).filter(Boolean), options: [], accepted_texts: [], numeric_answers: [],
    extra_targets: f.extra_targets.value.split(',').map(s => s.trim()).filter(Boolean)};
  for (const r of rows) {
    if (list === 'options') item.options.push({id: '', text: r.text || '', weight: fraction(r.weight, 0), feedback: r.feedback || '', target: r.target || ''});
    if (list === 'accepted_texts') item.accepted_texts.push({text: r.text, weight: fraction(r.weight, 1), feedback: r.feedback || ''});
    if (list === 'numeric_answers') item.numeric_answers.push({value: +r.value, tolerance: +r.tolerance || 0, weight: fraction(r.weight, 1), feedback: r.feedback || ''});
  }
  if (item.type === 'true_false') item.options = item.options.map((o, n) => ({...o, id: n === 0 ? 'true' : 'false'}));
  return item;
}
// the preview is the exam page's own question component (static/question.js), fed the item as a candidate gets it
let previewAnswer = {};
function asQuestion(item) {
  const options = item.options.map((o, n) => ({id: 'o' + (n + 1), text: o.text}));
  let shown = options;
  if (item.type === 'ordering')  // never in the right order, as a candidate never gets it
    shown = [...options].sort((a, b) => a.text.length % 3 - b.text.length % 3 || b.text.localeCompare(a.text));
  const targets = [...new Set(item.options.map(o => o.target).concat(item.extra_targets))].filter(Boolean).sort()
    .map((text, n) => ({id: 't' + (n + 1), text}));
  return {id: 'preview', type: item.type, text: item.text, options: shown, targets};
}
function preview() {
  const root = document.getElementById('preview');
  const q = asQuestion(collect());
  root.replaceChildren(window.GramotaQuestion.fieldset(q, '', previewAnswer, T.exam, {
    root, store: (value) => { previewAnswer = {...previewAnswer, ...value}; }, rerender: preview, stored: () => previewAnswer}));
}
async function load() {
  await competenceOptions(f.competence);
  if (itemId !== 'new') current = await api('/api/v1/items/' + itemId);
  for (const k of ['type', 'text', 'competence', 'external_id', 'difficulty', 'points', 'general_feedback']) f[k].value = current[k] ?? '';
  f.tags.value = (current.tags || []).join(', ');
  f.extra_targets.value = (current.extra_targets || []).join(', ');
  if (current.version) document.getElementById('version').textContent = T.version + ' ' + current.version + (current.retired ? ' (' + T.retired + ')' : '');
  renderRows(); preview();
  f.dataset.loaded = 'true';  // the form now holds the stored item: edits made from here on are kept
}
f.type.addEventListener('change', () => {
  current = {...collect(), options: f.type.value === 'true_false' ? [{text: T.true, weight: 1}, {text: T.false, weight: 0}] : collect().options};
  renderRows(); preview();
});
f.addEventListener('input', preview);
document.getElementById('add').addEventListener('click', () => {
  const [list] = rowsFor(f.type.value);
  current = collect(); current[list].push({}); renderRows();
});
f.addEventListener('submit', async e => {
  e.preventDefault();
  const status = document.getElementById('status');
  try {
    const item = collect();
    const saved = itemId === 'new'
      ? await api('/api/v1/items', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(item)})
      : await api('/api/v1/items/' + itemId, {method: 'PUT', headers: {'Content-Type': 'application/json'},
                  body: JSON.stringify({...item, expected_version: current.version})});
    status.className = 'ok'; status.textContent = T.saved + ' ' + saved.version;
    if (itemId === 'new') location.href = '/bank/items/' + saved.id + '?lang=' + T.lang;
    current = saved; document.getElementById('version').textContent = T.version + ' ' + saved.version;
    showCorrection();
  } catch (err) { status.className = 'error'; status.textContent = err.message; }
});
// A saved correction reaches exams only as decided here: which exams pin an older version, and what to do there.
async function showCorrection() {
  const box = document.getElementById('correction');
  if (itemId === 'new' || !token()) return;
  const usage = await api('/api/v1/items/' + itemId + '/usage');
  const older = usage.exams.filter(e => e.status !== 'retired' && !e.withdrawn && e.pinned_version < usage.current_version);
  document.getElementById('correction-exams').innerHTML = older.map(e =>
    '<li>' + esc(e.title) + ' — ' + T.version + ' ' + e.pinned_version + '</li>').join('');
  box.hidden = !older.length;
}
document.getElementById('correction').addEventListener('submit', async e => {
  e.preventDefault();
  const f = e.target, out = document.getElementById('correction-status');
  try {
    const r = await api('/api/v1/items/' + itemId + '/corrections', {method: 'POST',
      headers: {'Content-Type': 'application/json'}, body: JSON.stringify({apply: f.apply.value, void: f.void.checked,
      reason: f.reason.value})});
    out.className = 'ok';
    out.textContent = T.corrected + ': ' + r.corrections.length + '. ' + r.rescores.map(x => T.rescored + ' ' + x.rescored
      + ', ' + T.changed + ' ' + x.changed + ' (+' + x.newly_passed + ' / −' + x.newly_failed + ')').join('; ');
    await showCorrection();
  } catch (err) { out.className = 'error'; out.textContent = err.message; }
});
// retiring is not saving: a red button that asks first, in a dialog that starts on «cancel»
const confirmRetire = document.getElementById('retire-confirm');
document.getElementById('retire').addEventListener('click', () => { confirmRetire.showModal(); document.getElementById('retire-cancel').focus(); });
document.getElementById('retire-cancel').addEventListener('click', () => confirmRetire.close());
document.getElementById('retire-go').addEventListener('click', async () => {
  // a second question when retiring would leave published exams unable to draw: they are named, then closed
  const force = confirmRetire.dataset.confirm === 'true';
  const r = await Auth.fetch('/api/v1/items/' + itemId + '/retire', {method: 'POST',
    headers: {'Content-Type': 'application/json'}, body: JSON.stringify({confirm: force})});
  if (r.status === 409 && !force) {
    const problem = await r.json();
    document.getElementById('retire-text').textContent = T.retire_confirm + ' ' +
      (problem.affected_exams || []).map(e => '«' + e.title + '»').join(', ');
    confirmRetire.dataset.confirm = 'true';
    return;
  }
  confirmRetire.close(); delete confirmRetire.dataset.confirm;
  document.getElementById('retire-text').textContent = T.retire_text;
  const status = document.getElementById('status');
  if (!r.ok) { status.className = 'error'; status.textContent = (await r.json().catch(() => ({}))).detail || r.status; return; }
  load();
});
load();
showCorrection();
"""


@router.get("/bank/items/{item_id}", response_class=HTMLResponse)
async def item_page(item_id: str, lang: Annotated[str | None, Query()] = None) -> HTMLResponse:
    lang = language(lang)
    t = T[lang]
    types = "".join(f'<option value="{k}">{esc(v)}</option>' for k, v in t["types"].items())
    difficulties = "".join(f'<option value="{n}">{n}</option>' for n in range(1, 6))
    new = item_id == "new"
    body = f"""<div class="grid"><form id="editor" class="card" data-item="{esc(item_id)}">
<h1>{t['new'] if new else t['edit']}</h1><p id="version" class="muted"></p>
<label>{t['type']}<select name="type">{types}</select></label>
<label>{t['question']}<textarea name="text" required></textarea></label>
<div class="row"><label>{t['competence']}<select name="competence"><option value="">—</option></select></label>
<label>{t['difficulty']}<select name="difficulty">{difficulties}</select></label>
<label>{t['points']}<input name="points" type="number" step="any" min="0.1" value="1"></label></div>
<label>ID<input name="external_id"></label><label>{t['tags']}<input name="tags"></label>
<h2 id="rows-title">{t['options']}</h2><div id="rows"></div>
<button type="button" id="add" class="small">{t['add']}</button>
<label id="extra" hidden>{t['extra']}<input name="extra_targets"></label>
<label>{t['general_feedback']}<textarea name="general_feedback"></textarea></label>
<div class="form-actions"><button>{t['create'] if new else t['save']}</button>
<button type="button" id="retire" class="danger" {'hidden' if new else ''}>{t['retire']}</button></div>
<p id="status" role="status"></p></form>
<form id="correction" class="card" hidden><h2>{t['correction']}</h2><p>{t['correction_exams']}</p>
<ul id="correction-exams"></ul>
<label><input type="radio" name="apply" value="past" checked> {t['apply_past']}</label>
<label><input type="radio" name="apply" value="future"> {t['apply_future']}</label>
<label><input type="radio" name="apply" value="none"> {t['apply_none']}</label>
<label><input type="checkbox" name="void"> {t['void']}</label>
<label>{t['reason']}<input name="reason" required maxlength="500"></label>
<button>{t['apply']}</button><p id="correction-status" role="status"></p></form>
<dialog id="retire-confirm" aria-labelledby="retire-title"><h2 id="retire-title">{t['retire_title']}</h2>
<p id="retire-text">{t['retire_text']}</p><div class="form-actions"><button type="button" id="retire-cancel" class="secondary">{t['cancel']}</button>
<button type="button" id="retire-go" class="danger">{t['retire']}</button></div></dialog>
<section class="card"><h2>{t['preview']}</h2><div id="preview" data-testid="preview"></div></section></div>"""
    return _shell(lang, t["edit"], f"/bank/items/{esc(item_id)}", body, EDIT_JS)


@router.get("/bank/import", response_class=HTMLResponse)
async def import_page(lang: Annotated[str | None, Query()] = None) -> HTMLResponse:
    lang = language(lang)
    t = T[lang]
    body = f"""<form id="upload" class="card"><h1>{t['import']}</h1>
<label>{t['file']}<input type="file" name="file" required accept=".gift,.txt,.zip,.xml"></label>
<label>{t['format']}<select name="format"><option value="gift">GIFT (Moodle)</option>
<option value="qti">IMS QTI 2.1</option></select></label>
<label>{t['map']}<textarea name="map" placeholder="$course$/top/Модуль 1 = digcomp/2.6"></textarea></label>
<label>{t['default_competence']}<select name="default_competence"><option value="">{t['none']}</option></select></label>
<button>{t['upload']}</button></form>
<div class="card" id="report" hidden><p id="summary" role="status"></p><table><thead><tr><th>{t['line']}</th>
<th>{t['reason']}</th></tr></thead><tbody id="errors"></tbody></table></div>"""
    script = """
const form = document.getElementById('upload');
form.file.addEventListener('change', () => {
  const name = form.file.files[0]?.name || '';
  form.format.value = /\\.(zip|xml)$/i.test(name) ? 'qti' : 'gift';
});
form.addEventListener('submit', async e => {
  e.preventDefault();
  const file = form.file.files[0];
  const summary = document.getElementById('summary');
  document.getElementById('report').hidden = false;
  const map = {};
  for (const line of form.map.value.split('\\n')) {
    const at = line.lastIndexOf('=');
    if (at > 0 && line.slice(at + 1).trim()) map[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  const params = new URLSearchParams({format: form.format.value, category_map: JSON.stringify(map),
                                      default_competence: form.default_competence.value});
  try {
    const report = await api('/api/v1/bank/import?' + params, {method: 'POST', body: file,
      headers: {'Content-Type': form.format.value === 'gift' ? 'text/plain; charset=utf-8' : 'application/zip'}});
    const skipped = report.errors.filter(e => e.skipped).length;
    summary.className = 'ok';
    summary.innerHTML = esc(T.imported + ': ' + report.imported + '. ' + T.rejected + ': ' + (report.errors.length - skipped)
      + '. ' + T.skipped + ': ' + skipped + '.') + (report.unassigned_item_ids.length ? ` <a href="/bank?lang=${T.lang}#unassigned">`
      + esc(T.unassigned + ': ' + report.unassigned_item_ids.length) + '</a>' : '');
    document.getElementById('errors').innerHTML = report.errors.map(e =>
      `<tr><td>${e.line || esc(e.item_id)}</td><td>${esc(e.reason)}</td></tr>`).join('');
    showMap(report.category_competences);
  } catch (err) { summary.className = 'error'; summary.textContent = err.message; }
});
function showMap(map) {
  form.map.value = Object.entries(map).map(([k, v]) => k + ' = ' + v).join('\\n');
}
competenceOptions(form.default_competence).then(() => api('/api/v1/bank/category-map')).then(showMap);
"""
    return _shell(lang, t["import"], "/bank/import", body, script)
