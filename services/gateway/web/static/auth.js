// The pages' login, shared: the access and refresh tokens live in sessionStorage; a request answered 401 (the
// 15-minute access token ran out, e.g. during a 30-minute exam) refreshes once and is sent again.
(function () {
  "use strict";
  const ACCESS = "gramota.token", REFRESH = "gramota.refresh";
  let refreshing = null;

  function token() { return sessionStorage.getItem(ACCESS); }
  function store(tokens) {
    sessionStorage.setItem(ACCESS, tokens.access_token);
    if (tokens.refresh_token) sessionStorage.setItem(REFRESH, tokens.refresh_token);
  }
  function clear() { sessionStorage.removeItem(ACCESS); sessionStorage.removeItem(REFRESH); }

  // one refresh at a time: a refresh token is single-use, and using a spent one ends the whole login
  function refresh() {
    const secret = sessionStorage.getItem(REFRESH);
    if (!secret) return Promise.resolve(false);
    if (!refreshing) {
      refreshing = (async () => {
        try {
          const r = await fetch("/api/v1/auth/refresh", { method: "POST", headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ refresh_token: secret }) });
          if (!r.ok) { clear(); return false; }
          store(await r.json());
          return true;
        } catch (e) {
          return false;  // offline: keep the tokens, the caller sees the 401
        } finally {
          refreshing = null;
        }
      })();
    }
    return refreshing;
  }

  // fetch with the bearer token; on a 401, refresh (unless another request already did) and retry once
  async function authFetch(path, options) {
    options = options || {};
    const send = (bearer) => fetch(path, Object.assign({}, options, {
      headers: Object.assign({}, options.headers || {}, { Authorization: "Bearer " + bearer }) }));
    const used = token();
    const r = await send(used);
    if (r.status !== 401) return r;
    if (token() !== used || await refresh()) return send(token());
    return r;
  }

  // logs in with a form's username and password; resolves to the token response (its JSON read if ok)
  async function login(form) {
    const r = await fetch("/api/v1/auth/token", { method: "POST", body: new URLSearchParams(new FormData(form)) });
    if (r.ok) { const tokens = await r.json(); store(tokens); r.tokens = tokens; }
    return r;
  }

  window.GramotaAuth = { token, store, clear, refresh, fetch: authFetch, login };
})();
