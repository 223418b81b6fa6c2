// Shiliu's shared page behaviour. No inline scripts anywhere (content security policy).
(function () {
  "use strict";

  const LEVEL_NAMES = {
    "zh-hans": { province: "省级", prefecture: "地级", county: "县级", township: "乡级", village: "村级" },
    en: { province: "province", prefecture: "prefecture", county: "county", township: "township", village: "village" },
  };
  const MESSAGES = {
    "zh-hans": {
      found: (n) => "找到 " + n + " 个地区，按上下方向键浏览，按回车键选择。",
      none: "没有匹配的地区，请换个写法，如拼音或首字母。",
      searching: "正在查找……",
      chosen: (name) => "已选择：" + name,
      notChosen: "尚未选择地区：请从建议列表中选择一项。",
    },
    en: {
      found: (n) => n + " regions found: use the up and down arrow keys, then Enter to choose.",
      none: "No region matches: try another spelling, pinyin or initials.",
      searching: "Searching…",
      chosen: (name) => "Chosen: " + name,
      notChosen: "No region chosen yet: pick one of the suggestions.",
    },
  };

  function language() {
    return document.documentElement.lang in LEVEL_NAMES ? document.documentElement.lang : "zh-hans";
  }

  // Requests made from here renew the session's idle timeout too; session.js listens.
  function touched() {
    document.dispatchEvent(new CustomEvent("shiliu:server-touched"));
  }

  /* Region picker: a WAI-ARIA combobox with a listbox popup (the "list autocomplete with manual selection"
     pattern of the ARIA Authoring Practices). The focus stays in the text box; aria-activedescendant names the
     highlighted suggestion, which carries aria-selected. The hidden input holds a code only while the text box
     shows the suggestion it came from: editing the text clears it. */
  function initRegionPicker(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    const hidden = root.querySelector("[data-region-code]");
    const search = root.querySelector("[data-region-search]");
    const listbox = root.querySelector("[data-region-results]");
    const status = root.querySelector("[data-region-status]");
    const lang = language();
    const text = MESSAGES[lang];
    let items = [];
    let active = -1;
    let chosenLabel = hidden.value ? search.value : "";
    let timer = null;
    let pending = null;  // the query being looked up
    let openWhenReady = false;
    let sequence = 0;

    function say(message) {
      status.textContent = message;
    }

    function options() {
      return listbox.querySelectorAll("[role=option]");
    }

    function isOpen() {
      return search.getAttribute("aria-expanded") === "true";
    }

    function close() {
      listbox.hidden = true;
      search.setAttribute("aria-expanded", "false");
      search.removeAttribute("aria-activedescendant");
      active = -1;
      options().forEach((o) => o.setAttribute("aria-selected", "false"));
    }

    function open() {
      if (!items.length) return;
      listbox.hidden = false;
      search.setAttribute("aria-expanded", "true");
    }

    function highlight(index) {
      const all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach((o, i) => o.setAttribute("aria-selected", i === active ? "true" : "false"));
      const current = all[active];
      search.setAttribute("aria-activedescendant", current.id);
      current.scrollIntoView({ block: "nearest" });
    }

    function labelOf(item) {
      return item.parent_name ? item.parent_name + " " + item.name : item.name;
    }

    function choose(item) {
      hidden.value = item.code;
      search.value = labelOf(item);
      chosenLabel = search.value;
      close();
      say(text.chosen(search.value));
      search.removeAttribute("aria-invalid");
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
      if (root.dataset.unitsTarget) {
        loadUnits(item.code, document.getElementById(root.dataset.unitsTarget), root.dataset.unitsKind || "");
      }
    }

    function render(found) {
      items = found;
      listbox.replaceChildren();
      found.forEach((item, i) => {
        const option = document.createElement("li");
        option.id = search.id + "_option_" + i;
        option.className = "list-group-item list-group-item-action";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.code = item.code;
        option.textContent = item.name + " ";
        const meta = document.createElement("small");
        meta.textContent = [item.parent_name, LEVEL_NAMES[lang][item.level], item.code].filter(Boolean).join(" · ");
        option.appendChild(meta);
        // The press keeps the focus in the text box (so its blur does not close the list first); the release
        // picks, so a press dragged off the option picks nothing (WCAG 2.5.2).
        option.addEventListener("mousedown", (event) => event.preventDefault());
        option.addEventListener("click", () => choose(item));
        listbox.appendChild(option);
      });
      active = -1;
      if (found.length) {
        open();
        say(text.found(found.length));
        if (openWhenReady) highlight(0);
      } else {
        close();
        say(text.none);
      }
      openWhenReady = false;
    }

    async function lookup() {
      clearTimeout(timer);
      timer = null;
      const q = search.value.trim();
      if (!q) { items = []; listbox.replaceChildren(); close(); say(""); return; }
      const mine = ++sequence;
      pending = q;
      const params = new URLSearchParams({ q: q, limit: "20" });
      if (root.dataset.level) params.set("level", root.dataset.level);
      try {
        const response = await fetch("/api/regions?" + params.toString(), {
          credentials: "same-origin", headers: { Accept: "application/json" },
        });
        touched();
        if (mine !== sequence) return;  // a later query is on its way
        pending = null;
        if (!response.ok) { render([]); return; }
        const data = await response.json();
        if (document.activeElement !== search && !openWhenReady) {
          items = data.items || [];
          return;  // the person moved on: do not pop a list open behind them
        }
        render(data.items || []);
      } catch (err) {
        if (mine === sequence) { pending = null; close(); }
      }
    }

    function dirty() {
      return search.value.trim() !== "" && search.value !== chosenLabel;
    }

    search.addEventListener("input", () => {
      // The text no longer shows the chosen region: never send its code.
      if (hidden.value) {
        hidden.value = "";
        hidden.dispatchEvent(new Event("change", { bubbles: true }));
      }
      chosenLabel = "";
      clearTimeout(timer);
      if (search.value.trim()) say(text.searching);
      timer = setTimeout(lookup, 200);
    });

    search.addEventListener("keydown", (event) => {
      const all = options();
      switch (event.key) {
        case "ArrowDown":
        case "ArrowUp":
          event.preventDefault();
          if (!isOpen()) {
            if (items.length) { open(); if (!event.altKey) highlight(event.key === "ArrowDown" ? 0 : -1); }
            else if (search.value.trim()) { openWhenReady = true; lookup(); }
            return;
          }
          if (!event.altKey && all.length) highlight(active + (event.key === "ArrowDown" ? 1 : -1));
          return;
        case "Enter":
          if (isOpen() && active >= 0 && items[active]) {
            event.preventDefault();
            choose(items[active]);
          } else if (dirty()) {
            // Never submit the form with text that is not a chosen region: look it up and show the list, the
            // first suggestion highlighted; a second Enter picks it.
            event.preventDefault();
            if (timer || pending !== null) {
              openWhenReady = true;
              if (timer) lookup();
            } else if (items.length) {
              open();
              highlight(0);
            } else {
              openWhenReady = true;
              lookup();
            }
          }
          return;
        case "Escape":
          // Close the list; the typed text stays (a type=search box would have wiped it).
          if (isOpen()) {
            event.preventDefault();
            close();
          }
          return;
        case "Tab":
          close();
          return;
        default:
      }
    });

    search.addEventListener("blur", () => {
      close();
      if (dirty()) say(text.notChosen);
    });
    document.addEventListener("click", (event) => { if (!root.contains(event.target)) close(); });
    // Values put back by session.js after a login: the text shown belongs to the code restored with it.
    root.addEventListener("shiliu:sync", () => { chosenLabel = hidden.value ? search.value : ""; });
  }

  // Fill a <select> with the units of a region (of one kind, e.g. schools, when given), keeping an empty first option.
  async function loadUnits(code, select, kind) {
    if (!select) return;
    const query = "?region=" + encodeURIComponent(code) + (kind ? "&kind=" + encodeURIComponent(kind) : "");
    const response = await fetch("/pairings/unit-options/" + query, {
      credentials: "same-origin", headers: { Accept: "application/json" },
    });
    touched();
    if (!response.ok) return;
    const data = await response.json();
    const first = select.querySelector("option[value='']");
    // keep a choice made while the list was loading, or one being restored after a login (session.js)
    const chosen = select.value || select.dataset.pendingValue || "";
    delete select.dataset.pendingValue;
    select.replaceChildren();
    const empty = document.createElement("option");
    empty.value = "";
    empty.textContent = first ? first.textContent : "---------";
    select.appendChild(empty);
    for (const unit of data.units) {
      const option = document.createElement("option");
      option.value = unit.id;
      option.textContent = unit.name + "（" + unit.region + "）";
      select.appendChild(option);
    }
    if (chosen && select.querySelector("option[value='" + CSS.escape(chosen) + "']")) select.value = chosen;
  }

  // A form restored after a login (session.js): load the units of each chosen region again.
  document.addEventListener("shiliu:form-restored", (event) => {
    event.target.querySelectorAll(".region-picker").forEach((root) => {
      root.dispatchEvent(new CustomEvent("shiliu:sync"));
      const code = root.querySelector("[data-region-code]").value;
      const target = root.dataset.unitsTarget && document.getElementById(root.dataset.unitsTarget);
      if (code && target) loadUnits(code, target, root.dataset.unitsKind || "");
    });
  });

  // The error summary of a form sent back with errors takes the focus; its links move the focus to their field.
  // (Again at "load" if the browser moved the focus to a #fragment target meanwhile.)
  function focusErrorSummary(scope) {
    const summary = scope.querySelector("[data-error-summary]");
    const idle = !document.activeElement || document.activeElement === document.body
      || document.activeElement.id === "main";
    if (summary && idle) summary.focus();
  }

  // The skip link moves the focus without leaving "#main" in the address (a form would post back to it).
  document.addEventListener("click", (event) => {
    const skip = event.target.closest(".skip-link");
    const main = document.getElementById("main");
    if (!skip || !main) return;
    event.preventDefault();
    main.focus();
    main.scrollIntoView();
  });
  document.addEventListener("click", (event) => {
    const link = event.target.closest(".error-summary a[href^='#']");
    if (!link) return;
    const field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) return;
    event.preventDefault();
    const label = document.querySelector("label[for='" + CSS.escape(field.id) + "']");
    (label || field).scrollIntoView({ block: "center" });
    field.focus();
  });

  // Tables that reflow into cards on narrow screens: each cell is labelled with its column's header.
  function labelReflowTables(scope) {
    scope.querySelectorAll("table.table-reflow").forEach((table) => {
      const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
      table.querySelectorAll("tbody tr").forEach((row) => {
        [...row.children].forEach((cell, i) => {
          if (cell.colSpan === 1 && !cell.hasAttribute("data-label")) cell.dataset.label = headers[i] || "";
        });
      });
    });
  }

  // A table that scrolls sideways in its container must be reachable and scrollable by keyboard: it becomes a
  // focusable, named region while (and only while) it overflows.
  const scrollWatch = typeof ResizeObserver === "undefined" ? null
    : new ResizeObserver((entries) => entries.forEach((entry) => markScrollable(entry.target)));

  function markScrollable(box) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      const table = box.querySelector("table");
      const caption = table && table.caption ? table.caption.textContent.trim() : "";
      const heading = box.previousElementSibling && /^H[1-6]$/.test(box.previousElementSibling.tagName)
        ? box.previousElementSibling.textContent.trim() : "";
      box.setAttribute("aria-label", caption || heading || document.title.split(" · ")[0]);
    } else if (!scrolls && box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }

  function markScrollableTables(scope) {
    scope.querySelectorAll(".table-responsive").forEach((box) => {
      markScrollable(box);
      if (scrollWatch && !box.dataset.watched) {
        box.dataset.watched = "1";
        scrollWatch.observe(box);
        const table = box.querySelector("table");
        if (table) scrollWatch.observe(table);
      }
    });
  }

  function initAll(scope) {
    scope.querySelectorAll(".region-picker").forEach(initRegionPicker);
    labelReflowTables(scope);
    markScrollableTables(document);
  }

  document.addEventListener("DOMContentLoaded", () => {
    initAll(document);
    focusErrorSummary(document);
  });
  window.addEventListener("load", () => focusErrorSummary(document));
  document.addEventListener("htmx:afterSwap", (event) => initAll(event.target));
  // A fragment request answered by the login page (the session ended): show the login page itself, not inside a
  // results table.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const xhr = event.detail.xhr;
    const login = document.body.dataset.loginUrl;
    if (login && xhr && xhr.responseURL && new URL(xhr.responseURL).pathname === login) {
      event.detail.shouldSwap = false;
      window.location.assign(xhr.responseURL);
    }
  });
  document.addEventListener("htmx:afterRequest", touched);
})();
