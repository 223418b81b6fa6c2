// Shiliu's shared page behaviour. No inline scripts anywhere (content security policy).
(function () {
  "use strict";

  const LEVEL_NAMES = {
    "zh-hans": { province: "省级", prefecture: "地级", county: "县级", township: "乡级", village: "村级" },
    en: { province: "province", prefecture: "prefecture", county: "county", township: "township", village: "village" },
  };

  function debounce(fn, wait) {
    let timer = null;
    return function (...args) {
      clearTimeout(timer);
      timer = setTimeout(() => fn.apply(this, args), wait);
    };
  }

  // Region picker: searches /api/regions (pinyin, initials or hanzi) and stores the chosen code.
  function initRegionPicker(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    const hidden = root.querySelector("[data-region-code]");
    const search = root.querySelector("[data-region-search]");
    const results = root.querySelector("[data-region-results]");
    const lang = document.documentElement.lang in LEVEL_NAMES ? document.documentElement.lang : "zh-hans";
    let active = -1;

    function close() {
      results.replaceChildren();
      search.setAttribute("aria-expanded", "false");
      active = -1;
    }

    function choose(item) {
      hidden.value = item.code;
      search.value = item.parent_name ? item.parent_name + " " + item.name : item.name;
      close();
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
      if (root.dataset.unitsTarget) {
        loadUnits(item.code, document.getElementById(root.dataset.unitsTarget), root.dataset.unitsKind || "");
      }
    }

    function render(items) {
      results.replaceChildren();
      for (const item of items) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "list-group-item list-group-item-action";
        button.setAttribute("role", "option");
        button.dataset.code = item.code;
        button.textContent = item.name + " ";
        const meta = document.createElement("small");
        meta.textContent = [item.parent_name, LEVEL_NAMES[lang][item.level], item.code].filter(Boolean).join(" · ");
        button.appendChild(meta);
        button.addEventListener("click", () => choose(item));
        results.appendChild(button);
      }
      search.setAttribute("aria-expanded", items.length ? "true" : "false");
    }

    const lookup = debounce(async function () {
      const q = search.value.trim();
      if (!q) { hidden.value = ""; close(); return; }
      const params = new URLSearchParams({ q: q, limit: "20" });
      if (root.dataset.level) params.set("level", root.dataset.level);
      try {
        const response = await fetch("/api/regions?" + params.toString(), {
          credentials: "same-origin", headers: { Accept: "application/json" },
        });
        if (!response.ok) { close(); return; }
        const data = await response.json();
        render(data.items || []);
      } catch (err) {
        close();
      }
    }, 200);

    search.addEventListener("input", lookup);
    search.addEventListener("keydown", (event) => {
      const options = results.querySelectorAll("[role=option]");
      if (!options.length) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        active = (active + (event.key === "ArrowDown" ? 1 : -1) + options.length) % options.length;
        options.forEach((o, i) => o.classList.toggle("active", i === active));
      } else if (event.key === "Enter") {
        event.preventDefault();
        options[Math.max(active, 0)].click();
      } else if (event.key === "Escape") {
        close();
      }
    });
    document.addEventListener("click", (event) => { if (!root.contains(event.target)) close(); });
  }

  // Fill a <select> with the units of a region (of one kind, e.g. schools, when given), keeping an empty first option.
  async function loadUnits(code, select, kind) {
    if (!select) return;
    const query = "?region=" + encodeURIComponent(code) + (kind ? "&kind=" + encodeURIComponent(kind) : "");
    const response = await fetch("/pairings/unit-options/" + query, {
      credentials: "same-origin", headers: { Accept: "application/json" },
    });
    if (!response.ok) return;
    const data = await response.json();
    const first = select.querySelector("option[value='']");
    const chosen = select.value;  // keep a choice made while the list was loading
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
    if (chosen && select.querySelector("option[value='" + chosen + "']")) select.value = chosen;
  }

  function initAll(scope) {
    scope.querySelectorAll(".region-picker").forEach(initRegionPicker);
  }

  document.addEventListener("DOMContentLoaded", () => initAll(document));
  document.addEventListener("htmx:afterSwap", (event) => initAll(event.target));
})();
