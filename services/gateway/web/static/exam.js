// The candidate's exam pages over the REST API. Time is the server's: the countdown runs to the server's
// deadline, corrected by the offset between the server's clock and this browser's. Answers are saved as
// given; unsent ones wait in localStorage (numbered by client_seq) and are re-sent when the connection returns.
(function () {
  "use strict";
  const G = window.GRAMOTA, t = G.t, lang = G.lang;
  const app = document.getElementById("app");
  const Auth = window.GramotaAuth;

  // --- small helpers ------------------------------------------------------------------------------
  const Q = window.GramotaQuestion, el = Q.el;  // the question component, shared with the author's preview
  const url = (path) => path + (path.includes("?") ? "&" : "?") + "lang=" + lang;
  const W = window.GramotaWording(lang);  // CLDR numbers, percents, dates and plural forms (static/wording.js)
  const fmtTime = W.dateTime;
  const token = Auth.token;
  function toLogin() { location.href = url("/exam/login") + "&next=" + encodeURIComponent(location.pathname); }

  const isAnswered = (a) => !!a && ((a.option_ids || []).length > 0 || Object.keys(a.pairs || {}).length > 0 ||
    !!(a.text || "").trim() || (a.number !== undefined && a.number !== null));

  class ApiError extends Error {
    constructor(status, body) { super(body && body.detail || String(status)); this.status = status; this.body = body || {}; }
  }
  async function api(method, path, body) {
    const headers = {};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const r = await Auth.fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (r.status === 401) { Auth.clear(); toLogin(); throw new ApiError(401, {}); }
    const data = (r.headers.get("content-type") || "").includes("json") ? await r.json() : null;
    if (!r.ok) throw new ApiError(r.status, data);
    return data;
  }
  function showError(err) {
    app.replaceChildren(el("div", { class: "card error-box", role: "alert" },
      el("h2", { text: t.error }), el("p", { text: err.message }),
      el("p", {}, el("a", { href: url("/exam"), text: t.back }))));
  }

  // --- login --------------------------------------------------------------------------------------
  function loginView() {
    const msg = el("p", { class: "muted", role: "alert" });
    const form = el("form", { class: "card", id: "login-form" },
      el("h1", { text: t.login }),
      el("label", { for: "username", text: t.username }), el("input", { id: "username", name: "username", autocomplete: "username", required: true }),
      el("label", { for: "password", text: t.password, style: "margin-top:12px" }),
      el("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true }),
      el("button", { type: "submit", text: t.sign_in }), msg);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const r = await Auth.login(form);
      if (!r.ok) { msg.textContent = t.bad_login; return; }
      const next = new URLSearchParams(location.search).get("next");
      location.href = url(next && next.startsWith("/exam") ? next : "/exam");
    });
    app.replaceChildren(form);
    document.getElementById("username").focus();
  }

  // --- the list of exams --------------------------------------------------------------------------
  // the exams the official can sit now first, then those that open later, then those that are over
  const ORDER = { in_progress: 0, available: 1, cooldown: 2, not_open: 3, exhausted: 4, closed: 5 };
  async function examsView() {
    const exams = (await api("GET", "/api/v1/my/exams"))
      .sort((a, b) => (ORDER[a.availability] ?? 9) - (ORDER[b.availability] ?? 9) || Number(a.practice) - Number(b.practice));
    const list = el("ul", { class: "exam-list" });
    for (const e of exams) {
      const left = e.attempts_left === null ? t.unlimited : String(e.attempts_left);
      let state = t.availability[e.availability];
      if (e.availability === "cooldown") state += " " + fmtTime(e.next_start_at);
      if (e.availability === "not_open") state += " " + fmtTime(e.opens_at);
      let action = null;
      if (e.availability === "in_progress") {
        action = el("a", { class: "button", href: url("/exam/attempts/" + e.open_attempt_id), text: t.resume });
      } else if (e.availability === "available") {
        action = el("button", { type: "button", text: t.start, onclick: async (ev) => {
          ev.target.disabled = true;
          try {
            const a = await api("POST", "/api/v1/exams/" + e.exam_id + "/attempts");
            location.href = url("/exam/attempts/" + a.id) + "&new=1";
          } catch (err) { ev.target.disabled = false; showError(err); }
        } });
      }
      const last = e.last_attempt_id && e.availability !== "in_progress"
        ? el("a", { href: url("/exam/attempts/" + e.last_attempt_id + "/result"), text: t.last_result }) : null;
      list.append(el("li", { class: "card", id: "exam-" + e.exam_id, "data-exam-id": e.exam_id },
        el("div", {}, el("h2", { text: e.title, style: "margin:0 0 4px" }),
          e.practice ? el("div", { class: "meta practice", text: t.practice }) : null,
          el("div", { class: "meta", text: `${W.counted(Math.round(e.time_limit_seconds / 60), t.minute_forms)} · ${W.counted(e.question_count, t.question_forms)} · ${t.attempts_left}: ${left}` }),
          el("div", { class: "meta", "data-availability": e.availability, text: state }), last),
        action));
    }
    app.replaceChildren(el("h1", { text: t.exams }), exams.length ? list : el("p", { class: "card", text: t.no_exams }));
  }

  // --- the attempt ----------------------------------------------------------------------------------
  async function attemptView() {
    const id = G.attemptId;
    const PENDING = "gramota.pending." + id, SEQ = "gramota.seq." + id;
    let attempt;
    try { attempt = await api("GET", "/api/v1/attempts/" + id); } catch (err) { if (err.status !== 401) showError(err); return; }
    if (attempt.status !== "in_progress") { location.replace(url("/exam/attempts/" + id + "/result")); return; }
    const params = new URLSearchParams(location.search);
    if (!params.has("new")) api("POST", `/api/v1/attempts/${id}/events`, { kind: "resumed" }).catch(() => {});
    params.delete("new");
    history.replaceState(null, "", location.pathname + "?" + params.toString() + location.hash);

    const questions = attempt.questions;
    const answers = {};
    let seq = Number(localStorage.getItem(SEQ) || 0);
    for (const a of attempt.answers) { answers[a.question_id] = a; seq = Math.max(seq, a.client_seq || 0); }
    // unsent answers from this device override what the server has, when they are newer
    const pending = JSON.parse(localStorage.getItem(PENDING) || "{}");
    for (const [qid, p] of Object.entries(pending)) {
      if (!answers[qid] || (answers[qid].client_seq || 0) < p.client_seq) answers[qid] = { question_id: qid, ...p };
      seq = Math.max(seq, p.client_seq);
    }
    const flagged = new Set(attempt.flagged_question_ids);
    const sequential = attempt.navigation === "sequential";
    let current = 0;
    if (sequential) {  // resume where the candidate was: after the last answered question
      questions.forEach((q, i) => { if (isAnswered(answers[q.id])) current = Math.min(i + 1, questions.length - 1); });
    } else {
      const fromHash = Number((location.hash.match(/^#q(\d+)$/) || [])[1]);
      if (fromHash >= 1 && fromHash <= questions.length) current = fromHash - 1;
    }
    let offset = new Date(attempt.server_time).getTime() - Date.now();  // server clock minus ours
    const deadline = new Date(attempt.deadline).getTime();
    let closed = false;

    // saving: one in flight per question, newest wins; failures stay pending and are retried
    const state = el("span", { class: "save-state", id: "save-state", role: "status", text: t.saved });
    function setState() {
      const waiting = Object.keys(JSON.parse(localStorage.getItem(PENDING) || "{}")).length;
      state.classList.toggle("offline", waiting > 0 && !navigator.onLine || state.dataset.failed === "1");
      state.textContent = waiting === 0 ? t.saved : (state.dataset.failed === "1" ? t.offline : t.saving);
      state.dataset.pending = String(waiting);
    }
    function store(qid, answer) {
      seq += 1;
      localStorage.setItem(SEQ, String(seq));
      const p = JSON.parse(localStorage.getItem(PENDING) || "{}");
      p[qid] = { ...answer, client_seq: seq };
      localStorage.setItem(PENDING, JSON.stringify(p));
      answers[qid] = { question_id: qid, ...p[qid] };
      renderNav();
      flush();
    }
    let flushing = false;
    async function flush() {
      if (flushing) return;
      flushing = true;
      try {
        for (;;) {
          const p = JSON.parse(localStorage.getItem(PENDING) || "{}");
          const [qid, body] = Object.entries(p)[0] || [];
          if (!qid) break;
          setState();
          try {
            await api("PUT", `/api/v1/attempts/${id}/answers/${encodeURIComponent(qid)}`, body);
            state.dataset.failed = "0";
          } catch (err) {
            if (!(err instanceof ApiError) || err.status >= 500 || err.status === 429) {
              state.dataset.failed = "1"; setState(); break;  // no connection: keep it, retry later
            }
            if (err.body.code === "deadline_passed" || err.body.code === "attempt_submitted") { timeUp(); break; }
            // an answer the server refuses can never succeed: drop it rather than retry it forever
          }
          const now = JSON.parse(localStorage.getItem(PENDING) || "{}");
          if (now[qid] && now[qid].client_seq <= body.client_seq) delete now[qid];
          localStorage.setItem(PENDING, JSON.stringify(now));
        }
      } finally { flushing = false; setState(); }
    }
    window.addEventListener("online", flush);
    setInterval(() => { if (!closed) flush(); }, 5000);

    // focus lost / regained, for the audit trail (best effort)
    const report = (kind) => { if (!closed) api("POST", `/api/v1/attempts/${id}/events`, { kind }).catch(() => {}); };
    document.addEventListener("visibilitychange", () => report(document.hidden ? "focus_lost" : "focus_regained"));
    window.addEventListener("blur", () => { if (!document.hidden) report("focus_lost"); });
    window.addEventListener("focus", () => report("focus_regained"));

    // countdown to the server's deadline
    // the visible clock is a timer (never read out by itself); screen readers hear the time left only when it
    // crosses 10, 5 and 1 minutes, in a live region of its own
    const timer = el("span", { class: "timer", id: "timer", role: "timer", "aria-label": t.time_left });
    const announce = el("div", { class: "visually-hidden", id: "time-announce", "aria-live": "assertive", "aria-atomic": "true" });
    let lastLeft = null;
    function tick() {
      const left = Math.max(0, Math.floor((deadline - (Date.now() + offset)) / 1000));
      const h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
      timer.textContent = `${t.time_left} ${h ? h + ":" : ""}${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
      timer.classList.toggle("low", left < 60);
      for (const mark of [10, 5, 1]) {
        if (lastLeft !== null && lastLeft > mark * 60 && left <= mark * 60 && left > 0) {
          announce.textContent = `${t.time_left} ${W.counted(mark, t.minute_forms)}`;
        }
      }
      lastLeft = left;
      if (left === 0) timeUp();
    }
    function timeUp() {
      if (closed) return;
      closed = true;
      app.querySelectorAll("input,select,button.answer-control").forEach((n) => { n.disabled = true; });
      app.prepend(el("div", { class: "card error-box", role: "alert", text: t.time_up }));
      // the server submits the attempt once the deadline and its grace have passed
      setTimeout(() => location.replace(url("/exam/attempts/" + id + "/result")), 7000);
    }

    // the question map: answered (✓, filled), flagged (⚑, orange edge) and current (thick underline, bold) differ by
    // shape and text as well as colour; one tab stop, the arrow keys, Home and End move along it
    const nav = el("ol", { class: "qnav", "aria-label": t.nav });
    nav.addEventListener("keydown", (e) => {
      const buttons = [...nav.querySelectorAll("button:not(:disabled)")];
      const at = buttons.indexOf(document.activeElement);
      if (at < 0) return;
      const to = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: buttons.length - 1 }[e.key];
      if (to === undefined) return;
      e.preventDefault();
      const next = buttons[Math.max(0, Math.min(buttons.length - 1, to))];
      buttons.forEach((b) => b.setAttribute("tabindex", b === next ? "0" : "-1"));
      next.focus();
    });
    function renderNav() {
      const focused = nav.contains(document.activeElement) ? [...nav.querySelectorAll("button")].indexOf(document.activeElement) : -1;
      nav.replaceChildren(...questions.map((q, i) => {
        const answered = isAnswered(answers[q.id]), isFlagged = flagged.has(q.id);
        const marks = [answered ? t.answered : null, isFlagged ? t.flagged : null].filter(Boolean);  // current: aria-current
        return el("li", {}, el("button", {
          type: "button", class: [answered ? "answered" : "", isFlagged ? "flagged" : ""].join(" ").trim(),
          "aria-current": i === current ? "step" : null, "aria-label": `${t.question} ${i + 1}${marks.length ? " (" + marks.join(", ") + ")" : ""}`,
          tabindex: (focused >= 0 ? i === focused : i === current) ? "0" : "-1",
          disabled: sequential && i < current ? true : null, onclick: () => go(i),
        }, el("span", { text: String(i + 1) }), el("span", { class: "mark", "aria-hidden": "true", text: (answered ? "✓" : "") + (isFlagged ? "⚑" : "") })));
      }));
      if (focused >= 0) nav.querySelectorAll("button")[focused].focus();
    }
    const legend = el("p", { class: "qnav-legend", "aria-hidden": "true" },
      el("span", { class: "sample answered", text: "✓" }), ` ${t.answered} `,
      el("span", { class: "sample flagged", text: "⚑" }), ` ${t.flagged} `,
      el("span", { class: "sample current", text: "1" }), ` ${t.current}`);
    const body = el("div", { class: "card", id: "question", tabindex: "-1" });
    function go(i) {
      if (sequential && i < current) return;
      current = Math.max(0, Math.min(questions.length - 1, i));
      if (!sequential) history.replaceState(null, "", "#q" + (current + 1));
      render();
      const first = body.querySelector("input,select,button");
      if (first) first.focus();
    }

    const hooks = (q) => ({ root: body, store: (value) => store(q.id, value), rerender: render, stored: () => answers[q.id] || {} });

    const dialog = el("dialog", { id: "confirm", "aria-labelledby": "confirm-title" });
    function askSubmit() {
      const unanswered = questions.filter((q) => !isAnswered(answers[q.id])).length;
      dialog.replaceChildren(el("h2", { id: "confirm-title", text: t.confirm_title }), el("p", { text: t.confirm_text }),
        el("p", { text: `${t.unanswered}: ${unanswered} · ${t.flagged_count}: ${flagged.size}` }),
        el("div", { class: "actions" },
          el("button", { type: "button", class: "secondary", text: t.cancel, onclick: () => dialog.close() }),
          el("button", { type: "button", class: "danger", id: "confirm-submit", text: t.confirm, onclick: async (e) => {
            e.target.disabled = true;
            await flush();
            try {
              closed = true;  // leaving the page now is no focus loss
              await api("POST", `/api/v1/attempts/${id}/submit`);
              localStorage.removeItem(PENDING);
              location.href = url("/exam/attempts/" + id + "/result");
            } catch (err) { closed = false; dialog.close(); showError(err); }
          } })));
      dialog.showModal();
    }

    function render() {
      const q = questions[current];
      const isFlagged = flagged.has(q.id);
      body.replaceChildren(
        Q.fieldset(q, `${t.question} ${current + 1} ${t.of} ${questions.length}. `, answers[q.id] || {}, t, hooks(q)),
        el("div", { class: "actions" },
          el("button", { type: "button", class: "secondary", text: t.prev, disabled: current === 0 || sequential ? true : null, onclick: () => go(current - 1) }),
          el("button", { type: "button", class: isFlagged ? "flag-on" : "secondary", "aria-pressed": isFlagged ? "true" : "false",
            id: "flag", text: isFlagged ? t.unflag : t.flag, onclick: async () => {
              if (isFlagged) flagged.delete(q.id); else flagged.add(q.id);
              render();
              document.getElementById("flag").focus();  // the candidate's place is kept: on the control they used
              api("PUT", `/api/v1/attempts/${id}/flags/${encodeURIComponent(q.id)}`, { flagged: !isFlagged }).catch(() => {});
            } }),
          current < questions.length - 1 ? el("button", { type: "button", text: t.next, onclick: () => go(current + 1) }) : null));
      renderNav();
      if (closed) body.querySelectorAll("input,select,button.answer-control").forEach((n) => { n.disabled = true; });
    }

    // leaving mid-exam by the page's own links (log out, the other language, the list) asks first: the clock runs on
    const leave = el("dialog", { id: "leave", "aria-labelledby": "leave-title" });
    document.querySelectorAll("header a").forEach((link) => link.addEventListener("click", (e) => {
      if (closed) return;
      e.preventDefault(); e.stopImmediatePropagation();
      leave.replaceChildren(el("h2", { id: "leave-title", text: t.leave_title }), el("p", { text: t.leave_text }),
        el("div", { class: "actions" },
          el("button", { type: "button", class: "secondary", id: "leave-stay", text: t.stay, onclick: () => leave.close() }),
          el("button", { type: "button", class: "danger", id: "leave-go", text: link.id === "logout" ? t.logout : t.leave, onclick: () => {
            if (link.id === "logout") { Auth.clear(); location.href = url("/exam/login"); } else location.href = link.href;
          } })));
      leave.showModal();
      document.getElementById("leave-stay").focus();
    }, true));

    // the skip link is the page's first tab stop, before the header's links
    document.body.prepend(el("a", { class: "skip-link", href: "#question", text: t.skip,
                                    onclick: (e) => { e.preventDefault(); body.focus(); } }));
    app.replaceChildren(...[
      el("div", { class: "topbar" }, el("strong", { text: attempt.exam_title }), timer, state),
      announce,
      sequential ? el("p", { class: "muted", text: t.sequential }) : null,
      nav, legend, body,
      el("p", {}, el("button", { type: "button", class: "danger", id: "finish", text: t.finish, onclick: askSubmit })),
      dialog, leave].filter(Boolean));
    render();
    tick();
    setInterval(tick, 1000);
    setState();
    flush();
  }

  // --- the result -----------------------------------------------------------------------------------
  // numbers and percents as CLDR writes them: «1,5», «87,5 %» with a non-breaking space in Russian
  const number = { format: W.number };
  const percentText = W.percent;

  // a horizontal bar (CSS only) with the exam's pass line across it when there is one
  function bar(percent, passScore) {
    const node = el("div", { class: "bar", "aria-hidden": "true" },
      el("span", { class: "fill" + (passScore && percent + 1e-9 < passScore ? " below" : ""),
        style: `width:${Math.max(0, Math.min(100, percent))}%` }));
    if (passScore > 0 && passScore <= 100) node.append(el("span", { class: "pass-line", style: `left:${passScore}%` }));
    return node;
  }

  // per competence, grouped by area in the order the API gives (the framework's): name, "3 из 4 · 75 %", a bar
  function breakdown(a) {
    const groups = [];
    for (const s of a.subscores) {
      let g = groups[groups.length - 1];
      if (!g || g.area !== s.area) groups.push(g = { area: s.area, name: s.area_name || s.area || t.other_area, rows: [] });
      g.rows.push(s);
    }
    return el("section", { id: "breakdown", "aria-labelledby": "breakdown-title" },
      el("h2", { id: "breakdown-title", text: t.breakdown }),
      groups.map((g) => {
        const check = (a.area_checks || []).find((c) => c.area === g.area);
        return [el("h3", { class: "area" + (check && !check.met ? " missed" : ""), "data-area": g.area,
          text: check ? `${g.name} · ${t.minimum} ${percentText(check.minimum)}` : g.name }),
        el("ul", { class: "subscores" }, g.rows.map((s) => {
          const figures = s.max_points ? `${number.format(s.points)} ${t.of} ${number.format(s.max_points)} · ${percentText(s.percent)}`
            : percentText(s.percent);
          return el("li", { class: "subscore", "data-competence": s.competence },
            el("div", { class: "subscore-head" }, el("span", { class: "subscore-name", text: s.name }),
              el("span", { class: "subscore-figures", text: figures })),
            bar(s.percent, a.pass_score));
        }))];
      }),
      a.pass_score > 0 ? el("p", { class: "muted legend" }, el("span", { class: "legend-line", "aria-hidden": "true" }),
        `${t.pass_line}: ${percentText(a.pass_score)}`) : null,
      // fractional points, explained once: partial credit
      a.subscores.some((s) => s.max_points && Math.abs(s.points - Math.round(s.points)) > 1e-9)
        ? el("p", { class: "muted", id: "partial-credit", text: t.partial_credit }) : null);
  }

  async function resultView() {
    const id = G.attemptId;
    const started = Date.now();
    let shown = "", wait = 2000;
    for (;;) {
      const a = await api("GET", url("/api/v1/attempts/" + id));
      if (a.status === "in_progress") { location.replace(url("/exam/attempts/" + id)); return; }
      const scored = a.status === "scored";
      const done = scored && (!a.passed || a.practice || a.certificate_serial);
      await attemptsLeft(a);
      const seen = JSON.stringify(a) + JSON.stringify(again);
      if (seen !== shown) {  // redrawn only when something changed: no flicker, focus kept, nothing re-announced
        shown = seen;
        app.replaceChildren(resultCard(a, scored));
      }
      // until scored and the certificate is out: every 2 s, then less often, for up to 30 minutes
      if (done || Date.now() - started > 30 * 60000) return;
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(10000, wait * 1.25);
    }
  }

  // a failed result: may the official try again (attempts left), now or after the cooldown?
  let again = null;
  async function attemptsLeft(a) {
    if (!a.status || a.status !== "scored" || a.passed || again !== null) return;
    const mine = await api("GET", "/api/v1/my/exams").catch(() => []);
    const e = mine.find((x) => x.exam_id === a.exam_id);
    again = e && (e.availability === "available" || e.availability === "cooldown") ? e : false;
  }

  function resultCard(a, scored) {
    const card = el("div", { class: "card result " + (scored ? (a.passed ? "passed" : "failed") : ""), id: "result", "data-status": a.status },
      el("h1", { text: `${t.result}: ${a.exam_title}` }),
      el("p", { class: "muted", text: `${t.submitted_at}: ${fmtTime(a.submitted_at)}${a.auto_submitted ? " · " + t.auto : ""}` }));
    if (!scored) {
      card.append(el("p", { text: t.scoring }), el("p", { class: "muted", id: "breakdown-pending", text: t.breakdown_pending }));
      card.append(el("p", {}, el("a", { href: url("/exam"), text: t.back })));
      return card;
    }
    card.append(el("p", { class: "big", id: "score", text: percentText(a.score) }),
      el("p", { id: "verdict", "data-passed": String(a.passed), text: a.passed ? t.passed : t.failed }));
    if (a.pass_score > 0) card.append(bar(a.score, a.pass_score), el("p", { class: "muted", id: "pass-score", text: `${t.pass_line}: ${percentText(a.pass_score)}` }));
    // the reason a result at the pass mark is not passed: an area below the exam's minimum for it
    const missed = (a.area_checks || []).filter((c) => !c.met);
    if (missed.length) card.append(el("p", { id: "area-missed", text: `${t.area_missed}: ` + missed.map((c) =>
      `«${c.area_name || c.area}» ${percentText(c.percent)} (${t.minimum} ${percentText(c.minimum)})`).join("; ") }));
    // a rescored result says so: why, and what it was before
    for (const c of a.changes || []) card.append(el("p", { class: "rescored", "data-reason": c.reason, text:
      `${t.rescored} (${W.date(c.at)}): ${c.reason}. ` +
      `${t.was} ${percentText(c.score_before)} (${c.passed_before ? t.passed : t.failed})` }));
    if (a.practice) {
      card.append(el("p", { id: "practice-note", class: "note", text: t.practice_note }));
    } else if (a.certificate_serial) {
      card.append(el("p", { id: "certificate-serial" }, `${t.certificate_serial} `, el("strong", { class: "serial", text: a.certificate_serial })));
      card.append(el("p", {}, el("a", { href: "#", id: "certificate", class: "button", text: t.certificate, onclick: async (e) => {
        e.preventDefault();
        const r = await Auth.fetch(`/api/v1/certificates/${a.certificate_serial}/pdf`);
        const link = el("a", { href: URL.createObjectURL(await r.blob()), download: `certificate-${a.certificate_serial}.pdf` });
        document.body.append(link); link.click(); link.remove();
      } })));
    } else if (a.passed) card.append(el("p", { class: "muted", text: t.certificate_pending }));
    if (a.subscores.length) card.append(breakdown(a));
    if (!a.passed && again) card.append(el("p", {}, again.availability === "available"
      ? el("a", { class: "button", id: "try-again", href: url("/exam") + "#exam-" + a.exam_id, text: t.try_again })
      : el("span", { id: "try-again", class: "muted", text: `${t.availability.cooldown} ${fmtTime(again.next_start_at)}` })));
    card.append(el("p", {}, el("a", { href: url("/exam"), text: t.back })));
    return card;
  }

  // --- start ----------------------------------------------------------------------------------------
  const logout = document.getElementById("logout");
  if (G.view === "login") { loginView(); return; }
  if (!token()) { toLogin(); return; }
  if (logout) {
    logout.hidden = false;
    logout.addEventListener("click", (e) => { e.preventDefault(); Auth.clear(); location.href = url("/exam/login"); });
  }
  const views = { exams: examsView, attempt: attemptView, result: resultView };
  views[G.view]().catch((err) => { if (err.status !== 401) showError(err); });
})();
