// The question as a candidate answers it: one component for the exam page and the author's preview, so the preview
// is the exam page. `controls(q, answer, t, {root, store, rerender, stored})` returns the answer controls of a
// question (id, type, text, options [{id, text}], targets [{id, text}]); `store(value)` receives each change.
window.GramotaQuestion = (function () {
  "use strict";
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat(Infinity)) if (c !== null && c !== undefined) node.append(c);
    return node;
  }
  function controls(q, a, t, { root, store, rerender, stored }) {
    const name = "q-" + q.id;
    if (q.type === "single_choice" || q.type === "true_false" || q.type === "multiple_choice") {
      const multi = q.type === "multiple_choice";
      return q.options.map((o) => el("label", { class: "choice" },
        el("input", { type: multi ? "checkbox" : "radio", name, value: o.id, checked: (a.option_ids || []).includes(o.id),
          onchange: () => store({ option_ids: [...root.querySelectorAll(`input[name="${name}"]:checked`)].map((n) => n.value) }) }),
        el("span", { text: o.text })));
    }
    if (q.type === "ordering") {
      const order = (a.option_ids && a.option_ids.length ? a.option_ids : q.options.map((o) => o.id));
      const text = Object.fromEntries(q.options.map((o) => [o.id, o.text]));
      const move = (i, d, which) => {
        const next = order.slice(); [next[i], next[i + d]] = [next[i + d], next[i]];
        store({ option_ids: next }); rerender();
        const btn = root.querySelector(`[data-option="${next[i + d]}"] .${which}`) || root.querySelector(`[data-option="${next[i + d]}"] button`);
        if (btn) btn.focus();
      };
      return el("ol", { class: "order" }, order.map((oid, i) => el("li", { "data-option": oid },
        el("span", { text: `${i + 1}. ${text[oid]}` }),
        el("button", { type: "button", class: "secondary up answer-control", "aria-label": `${t.up}: ${text[oid]}`, text: "↑", disabled: i === 0 ? true : null, onclick: () => move(i, -1, "up") }),
        el("button", { type: "button", class: "secondary down answer-control", "aria-label": `${t.down}: ${text[oid]}`, text: "↓", disabled: i === order.length - 1 ? true : null, onclick: () => move(i, 1, "down") }))));
    }
    if (q.type === "matching") {
      const pairs = { ...(a.pairs || {}) };
      return el("div", { class: "match" }, q.options.map((o) => [
        el("label", { for: `${name}-${o.id}`, text: o.text }),
        el("select", { id: `${name}-${o.id}`, onchange: (e) => {
          if (e.target.value) pairs[o.id] = e.target.value; else delete pairs[o.id];
          store({ pairs: { ...pairs } });
        } }, el("option", { value: "", text: t.choose }),
        q.targets.map((tg) => el("option", { value: tg.id, text: tg.text, selected: pairs[o.id] === tg.id }))),
      ]));
    }
    if (q.type === "short_answer" || q.type === "numeric") {
      const numeric = q.type === "numeric";
      let timerId = null;
      const input = el("input", { id: name, type: "text", inputmode: numeric ? "decimal" : "text", autocomplete: "off",
        value: numeric ? (a.number ?? "") : (a.text || "") });
      const save = () => {
        clearTimeout(timerId);
        if (numeric) {
          const raw = input.value.trim().replace(",", ".");
          const n = raw === "" ? null : Number(raw);
          if (raw !== "" && !Number.isFinite(n)) return;
          if (n === stored().number) return;
          store({ number: n });
        } else if (input.value !== (stored().text || "")) store({ text: input.value });
      };
      input.addEventListener("input", () => { clearTimeout(timerId); timerId = setTimeout(save, 700); });
      input.addEventListener("change", save);
      input.addEventListener("blur", save);
      return [el("label", { for: name, text: numeric ? t.number : t.your_answer }), input];
    }
    return [];
  }

  // the question with its number and controls, as the exam page shows it
  function fieldset(q, heading, answer, t, hooks) {
    return el("fieldset", {}, el("legend", {}, heading ? el("span", { class: "muted", text: heading }) : null,
      el("span", { text: q.text })), controls(q, answer, t, hooks));
  }

  return { el, controls, fieldset };
})();
