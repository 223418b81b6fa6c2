// "Add a row" for Django formsets: clone the <template> and renumber __prefix__.
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
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    const holder = document.createElement("tbody");
    holder.innerHTML = html;  // our own server-rendered template, no user input
    body.appendChild(holder.firstElementChild);
    total.value = String(index + 1);
  });
})();
