// The request form keeps a draft in this phone's storage while it is typed, so a dropped signal or a closed tab
// loses nothing; the draft is removed once the server has the request (the tracking page is shown).
(function () {
  "use strict";
  if (document.querySelector("[data-testid=tracking-number]") && window.localStorage) {
    localStorage.removeItem("shiliu-draft-request-form"); // the server has the request
    return;
  }
  var form = document.querySelector("form[data-draft]");
  if (!form || !window.localStorage) { return; }
  // Installable, and the form page opens without a signal (the service worker caches it; see views.SERVICE_WORKER).
  if ("serviceWorker" in navigator && form.getAttribute("data-service-worker")) {
    navigator.serviceWorker.register(form.getAttribute("data-service-worker")).catch(function () { /* http, private mode */ });
  }
  var key = "shiliu-draft-" + form.getAttribute("data-draft");
  var fields = form.querySelectorAll("input:not([type=file]):not([type=hidden]), select, textarea");
  function save() {
    var data = {};
    fields.forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") { if (el.checked) { data[el.name] = el.value; } }
      else { data[el.name] = el.value; }
    });
    try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full or disabled */ }
  }
  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
  var hasErrors = form.querySelector("[aria-invalid=true], [data-error-summary]");
  if (saved && !hasErrors) {
    var restored = false;
    fields.forEach(function (el) {
      if (!(el.name in saved)) { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        if (!el.checked && saved[el.name] === el.value) { el.checked = true; restored = true; }
      } else if (!el.value && saved[el.name]) { el.value = saved[el.name]; restored = true; }
    });
    var notice = form.querySelector("[data-draft-notice]");
    if (restored && notice) { notice.classList.remove("d-none"); }
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", function (event) {
    save();
    if (!navigator.onLine) {
      event.preventDefault();
      window.alert(form.getAttribute("data-offline-text") || "没有网络：草稿已保存，恢复网络后再提交。");
    }
  });
})();
