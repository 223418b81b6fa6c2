// The idle timeout without lost work (WCAG 2.2.1 and 2.2.5; the MIIT older-user requirements):
//  - two minutes before the session ends a dialog offers to stay signed in (a keep-alive request);
//  - a form sent after the session ended is kept in this tab's sessionStorage (never passwords or files), the login
//    page says so, and after logging in the form is filled in again for the person to check and send.
(function () {
  "use strict";

  const KEPT = "shiliu.keptForm";
  const LAST = "shiliu.lastRequest";
  const KEEP_HOURS = 12;

  function keepable(form) {
    return form && form.method && form.method.toLowerCase() === "post" && form.dataset.keep !== "off";
  }

  function postForms() {
    return [...document.querySelectorAll("form")].filter(keepable);
  }

  function here() {
    return location.pathname + location.search;
  }

  function pathOf(url) {
    const u = new URL(url || location.href, location.href);
    return u.pathname + u.search;
  }

  function fieldsOf(form) {
    const fields = [];
    for (const el of form.elements) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken") continue;
      const type = (el.type || "").toLowerCase();
      if (["password", "file", "submit", "button", "reset", "image"].includes(type)) continue;
      if (type === "checkbox" || type === "radio") {
        fields.push({ name: el.name, value: el.value, checked: el.checked });
      } else if (el.tagName === "SELECT" && el.multiple) {
        fields.push({ name: el.name, values: [...el.selectedOptions].map((o) => o.value) });
      } else {
        fields.push({ name: el.name, value: el.value });
      }
    }
    return fields;
  }

  function read() {
    try {
      const record = JSON.parse(sessionStorage.getItem(KEPT) || "null");
      if (record && Date.now() - record.at < KEEP_HOURS * 3600 * 1000) return record;
    } catch (err) { /* unreadable: start again */ }
    sessionStorage.removeItem(KEPT);
    return null;
  }

  // Whose form it is: filled in again only for the person who typed it (another person may log in at this tab).
  function owner() {
    return document.body.dataset.keptOwner || "";
  }

  function keep(form, stage) {
    if (!owner()) return;  // only a signed-in person's forms are kept
    const record = {
      owner: owner(),
      page: here(),
      action: pathOf(form.getAttribute("action") || location.href),
      index: postForms().indexOf(form),
      fields: fieldsOf(form),
      stage: stage,
      at: Date.now(),
    };
    try { sessionStorage.setItem(KEPT, JSON.stringify(record)); } catch (err) { /* storage full or off */ }
  }

  function notice(kind, before) {
    const template = document.getElementById("kept-form-notices");
    if (!template) return null;
    const node = template.content.querySelector("[data-kept='" + kind + "']").cloneNode(true);
    before.parentNode.insertBefore(node, before);
    return node;
  }

  function element(form, field) {
    const named = [...form.elements].filter((el) => el.name === field.name);
    if ("checked" in field) return named.find((el) => el.value === field.value) || null;
    return named[0] || null;
  }

  // Formset rows added in the browser ("Add a row") are added again before their values go in.
  function ensureRow(form, name) {
    const button = form.querySelector("[data-add-row]");
    if (!button || !/-\d+-/.test(name)) return;
    for (let i = 0; i < 50 && !form.elements.namedItem(name); i += 1) button.click();
  }

  function restore(form, record) {
    for (const field of record.fields) {
      if (/-TOTAL_FORMS$/.test(field.name)) continue;  // "Add a row" counts them
      let el = element(form, field);
      if (!el) { ensureRow(form, field.name); el = element(form, field); }
      if (!el) continue;
      if ("checked" in field) {
        el.checked = field.checked;
      } else if (field.values) {
        [...el.options].forEach((o) => { o.selected = field.values.includes(o.value); });
      } else if (el.tagName === "SELECT" && ![...el.options].some((o) => o.value === field.value)) {
        el.dataset.pendingValue = field.value;  // the options come later (a region's units)
      } else {
        el.value = field.value;
      }
    }
    form.dispatchEvent(new CustomEvent("shiliu:form-restored", { bubbles: true }));
  }

  function handleKeptForm() {
    const record = read();
    if (!record) return;
    const login = document.querySelector("[data-login-form]");
    if (login) {
      record.stage = "login";
      sessionStorage.setItem(KEPT, JSON.stringify(record));
      // Back to the page the form was on, not to the URL it was sent to.
      const next = login.querySelector("input[name=next]");
      if (next && (!next.value || pathOf(next.value) === record.action)) next.value = record.page;
      notice("login", login);
      return;
    }
    if (document.body.dataset.keptStage === "stale") {
      // The page was out of date (its security token had changed): keep the form for the same person, as after the
      // timeout, and offer the way back to the page it was on.
      record.stage = "login";
      sessionStorage.setItem(KEPT, JSON.stringify(record));
      const back = document.querySelector("[data-kept-back]");
      if (back) back.href = record.page;
      return;
    }
    const signedIn = Boolean(document.body.dataset.sessionIdle);
    if (signedIn && record.owner !== owner()) {
      // Someone else logged in at this tab: what the other person typed is not theirs to see.
      sessionStorage.removeItem(KEPT);
      return;
    }
    if (record.stage === "login" && signedIn && here() === record.page) {
      const forms = postForms();
      const form = forms.filter((f) => pathOf(f.getAttribute("action") || location.href) === record.action)[0]
        || forms[record.index];
      sessionStorage.removeItem(KEPT);
      if (!form) return;
      restore(form, record);
      const shown = notice("restored", form);
      if (shown) {
        shown.tabIndex = -1;
        shown.focus();
      }
      return;
    }
    if (record.stage !== "login" || (signedIn && here() !== record.page && !/\/otp\//.test(location.pathname))) {
      // The form went through (or the person went elsewhere after logging in): nothing to keep.
      sessionStorage.removeItem(KEPT);
    }
  }

  // Every form sent is kept until the next page shows whether it arrived.
  document.addEventListener("submit", (event) => {
    if (keepable(event.target)) keep(event.target, "sent");
  }, true);

  /* The idle timeout. Any request renews the session on the server (SESSION_SAVE_EVERY_REQUEST): page loads,
     htmx requests and the pickers' look-ups (app.js says so with "shiliu:server-touched"). Tabs share the time of
     the last request through localStorage, so one busy tab keeps the others from warning. */
  function idleTimer() {
    const body = document.body;
    const idle = Number(body.dataset.sessionIdle || 0) * 1000;
    const warn = Number(body.dataset.sessionWarn || 0) * 1000;
    const dialog = document.getElementById("session-dialog");
    if (!idle || !dialog || typeof dialog.showModal !== "function") return;
    const warning = dialog.querySelector("[data-session-state=warning]");
    const expired = dialog.querySelector("[data-session-state=expired]");
    const countdown = dialog.querySelector("[data-countdown]");
    let timer = null;
    let ended = false;
    let returnFocus = null;

    let lastHere = Date.now();
    function last() {
      return Math.max(Number(localStorage.getItem(LAST) || 0), lastHere);
    }

    function touch() {
      lastHere = Date.now();
      try { localStorage.setItem(LAST, String(lastHere)); } catch (err) { /* private mode */ }
      if (!ended) schedule();
    }

    function show(state) {
      warning.hidden = state !== "warning";
      expired.hidden = state !== "expired";
      dialog.setAttribute("aria-labelledby", "session-" + state + "-title");
      dialog.setAttribute("aria-describedby", "session-" + state + "-text");
      if (!dialog.open) {
        returnFocus = document.activeElement;
        dialog.showModal();
      }
      const first = (state === "warning" ? warning : expired).querySelector("a, button");
      if (first && !first.contains(document.activeElement)) first.focus();
    }

    function hide() {
      if (dialog.open) dialog.close();
      if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
      returnFocus = null;
    }

    function minutesSeconds(ms) {
      const s = Math.max(0, Math.ceil(ms / 1000));
      return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    }

    function end() {
      ended = true;
      clearTimeout(timer);
      // Keep what was typed into the page's forms: logging in again fills it back in.
      const changed = postForms().filter((f) => f.dataset.changed);
      if (changed.length) keep(changed[0], "sent");
      show("expired");
    }

    function schedule() {
      clearTimeout(timer);
      const left = last() + idle - Date.now();
      if (left <= 0) { end(); return; }
      if (left <= warn) {
        countdown.textContent = minutesSeconds(left);
        if (!dialog.open || warning.hidden) show("warning");
        timer = setTimeout(schedule, Math.min(1000, left));
      } else {
        if (dialog.open && !warning.hidden) hide();
        timer = setTimeout(schedule, left - warn);
      }
    }

    async function keepAlive() {
      let response = null;
      try {
        const headers = JSON.parse(body.getAttribute("hx-headers") || "{}");
        response = await fetch(body.dataset.keepAliveUrl, {
          method: "POST", credentials: "same-origin", headers: { ...headers, Accept: "application/json" },
        });
      } catch (err) { response = null; }
      if (response && response.ok) {
        hide();
        touch();
      } else if (response && response.status === 401) {
        end();
      } else {
        schedule();  // offline: try again on the next tick
      }
    }

    dialog.querySelector("[data-keep-alive]").addEventListener("click", keepAlive);
    dialog.querySelector("[data-close]").addEventListener("click", () => hide());
    dialog.addEventListener("cancel", (event) => {
      // Escape: while the warning shows, the person is clearly there.
      if (!ended) { event.preventDefault(); keepAlive(); }
    });
    document.addEventListener("input", (event) => {
      if (event.target.form) event.target.form.dataset.changed = "1";
    });
    document.addEventListener("shiliu:server-touched", touch);
    window.addEventListener("storage", (event) => { if (event.key === LAST && !ended) schedule(); });
    touch();  // this page's own request
  }

  document.addEventListener("DOMContentLoaded", () => {
    handleKeptForm();
    idleTimer();
  });
})();
