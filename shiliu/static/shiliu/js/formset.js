// "Add a row" for Django formsets: clone the <template>, renumber __prefix__ (ids) and __row__ (labels), and move
// the keyboard focus to the new row's first control.
(function () {
  "use strict";
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-add-row]");
    if (!button) return;
    const name = button.dataset.addRow;
    const template = document.getElementById(name + "-template");
    const body = document.getElementById(name + "-body");
    const total = document.querySelector("input[name$='-TOTAL_FORMS']");
    if (!template || !body || !total) return;
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__row__/g, String(index + 1));
    const holder = document.createElement("tbody");
    holder.innerHTML = html;  // our own server-rendered template, no user input
    const row = holder.firstElementChild;
    body.appendChild(row);
    total.value = String(index + 1);
    const first = row.querySelector("input, select, textarea");
    if (first && event.isTrusted) first.focus();
  });
})();
