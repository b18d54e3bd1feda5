"""The candidate's certificates page: log in, see every certificate with its status, download the PDF or the badge.

The page is static; the browser logs in through the REST contract (the token stays in sessionStorage under
`gramota.token`, gone when the tab closes) and fetches /api/v1/my/certificates and the downloads with it.
"""
from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from .layout import AUTH_TAG, WORDING_TAG, language, other_language, page

router = APIRouter(include_in_schema=False)

T = {
    "ru": {"title": "Грамота — мои сертификаты", "heading": "Мои сертификаты", "username": "Логин",
           "password": "Пароль", "login": "Войти", "logout": "Выйти", "none": "Сертификатов пока нет.",
           "exam": "Оценка", "issued": "Выдан", "expires": "Действителен до", "serial": "Номер", "status": "Статус",
           "score": "Результат", "lang": "ru", "pdf": "PDF", "badge": "Open Badge", "never": "бессрочно",
           "failed": "Не удалось войти: проверьте логин и пароль.",
           "statuses": {"valid": "действителен", "revoked": "отозван", "suspended": "приостановлен",
                        "expired": "истёк", "unknown": "не найден"}},
    "en": {"title": "Gramota — my certificates", "heading": "My certificates", "username": "Username",
           "password": "Password", "login": "Log in", "logout": "Log out", "none": "No certificates yet.",
           "exam": "Assessment", "issued": "Issued", "expires": "Valid until", "serial": "Serial", "status": "Status",
           "score": "Score", "lang": "en", "pdf": "PDF", "badge": "Open Badge", "never": "no expiry",
           "failed": "Could not log in: check the username and password.",
           "statuses": {"valid": "valid", "revoked": "revoked", "suspended": "suspended", "expired": "expired",
                        "unknown": "unknown"}},
}

SCRIPT = """
const T = %s, Auth = window.GramotaAuth, W = window.GramotaWording(T.lang);
const pct = W.percent;
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"}[c]));
async function api(path) {
  const r = await Auth.fetch(path);
  if (r.status === 401) { Auth.clear(); show(); throw new Error("unauthenticated"); }
  return r;
}
async function download(path, name) {
  const blob = await (await api(path)).blob();
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob); a.download = name; document.body.appendChild(a); a.click(); a.remove();
}
async function show() {
  const logged = !!Auth.token();
  $("login").hidden = logged; $("mine").hidden = !logged;
  if (!logged) return;
  const list = await (await api("/api/v1/my/certificates")).json();
  if (!list.length) { $("list").innerHTML = "<p>" + T.none + "</p>"; return; }
  $("list").innerHTML = "<table><thead><tr><th>" + [T.exam, T.score, T.issued, T.expires, T.serial, T.status, ""].join("</th><th>") +
    "</th></tr></thead><tbody>" + list.map((c) => `<tr data-serial="${esc(c.serial)}" data-status="${esc(c.status)}">
    <td>${esc(c.exam_title)}</td><td>${pct(c.score_percent)}</td><td>${esc(c.issued_at ? W.date(c.issued_at) : "")}</td>
    <td>${esc(c.expires_at ? W.date(c.expires_at) : T.never)}</td><td><a href="/verify/${esc(c.serial)}">${esc(c.serial)}</a></td>
    <td>${esc(T.statuses[c.status])}</td>
    <td><button type="button" data-pdf="${esc(c.serial)}">${T.pdf}</button>
        <button type="button" data-badge="${esc(c.serial)}">${T.badge}</button></td></tr>`).join("") + "</tbody></table>";
  document.querySelectorAll("[data-pdf]").forEach((b) => b.onclick = () =>
    download("/api/v1/certificates/" + b.dataset.pdf + "/pdf", "certificate-" + b.dataset.pdf + ".pdf"));
  document.querySelectorAll("[data-badge]").forEach((b) => b.onclick = () =>
    download("/api/v1/certificates/" + b.dataset.badge + "/badge", "certificate-" + b.dataset.badge + ".badge.json"));
}
$("login").onsubmit = async (e) => {
  e.preventDefault();
  const r = await Auth.login($("login"));
  if (!r.ok) { $("error").textContent = T.failed; return; }
  $("error").textContent = ""; show();
};
$("logout").onclick = () => { Auth.clear(); show(); };
show();
"""


@router.get("/my/certificates", response_class=HTMLResponse)
async def my_certificates_page(lang: Annotated[str | None, Query()] = None) -> HTMLResponse:
    lang = language(lang)
    t = T[lang]
    body = f"""<div class="card"><h1>{t['heading']}</h1>
<form id="login"><label for="username">{t['username']}</label><input id="username" name="username" autocomplete="username" required>
<label for="password">{t['password']}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{t['login']}</button><p id="error" role="alert"></p></form>
<div id="mine" hidden><div id="list"></div><button type="button" id="logout">{t['logout']}</button></div></div>
{AUTH_TAG}{WORDING_TAG}<script>{SCRIPT % json.dumps(t, ensure_ascii=False)}</script>"""
    extra = "<style>table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:6px;border-bottom:1px solid #dde}" \
            "td button{margin:2px}td:nth-child(3),td:nth-child(4),td:nth-child(5){white-space:nowrap}</style>"
    return page(lang, t["title"], body, f"/my/certificates?lang={other_language(lang)}", extra_head=extra)
