// HopThu control panel: small progressive enhancements; every page works without them.
"use strict";
(function () {
  // Copy buttons: <button data-copy="#element-id">; copies the element's text.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const source = document.querySelector(button.dataset.copy);
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      const label = button.textContent;
      button.textContent = button.dataset.copied || "✓";
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });
  // <select data-autosubmit> submits its form on change (the language picker).
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) event.target.form.submit();
  });
  // <form data-confirm="text">: ask before a destructive POST.
  document.addEventListener("submit", function (event) {
    const message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });
  // Formset rows: <button data-add-row="PREFIX" hidden> after a <template id="PREFIX-empty-row">
  // holding the formset's empty form; each click adds a row (up to MAX_NUM_FORMS) and counts
  // it in TOTAL_FORMS. Without script the page offers its blank rows and says so.
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    const prefix = button.dataset.addRow;
    const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    const most = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    const template = document.getElementById(prefix + "-empty-row");
    if (!total || !template) return;
    const full = function () { return most && Number(total.value) >= Number(most.value); };
    button.hidden = false;
    button.disabled = full();
    button.addEventListener("click", function () {
      if (full()) return;
      const row = document.createElement("div");
      row.innerHTML = template.innerHTML.replace(/__prefix__/g, total.value);
      const added = row.firstElementChild;
      button.before(added);
      total.value = Number(total.value) + 1;
      button.disabled = full();
      const first = added.querySelector("select, input");
      if (first) first.focus();
    });
  });
  document.querySelectorAll("[data-without-script]").forEach(function (note) { note.hidden = true; });
  // Mark the current section in the navigation: the link with the longest matching path
  // (/panel/accounts/aliases/ is Aliases, not Accounts too).
  let current = null;
  document.querySelectorAll(".pn-nav a").forEach(function (link) {
    const path = new URL(link.href).pathname;
    if (location.pathname.startsWith(path) && (!current || path.length > current.path.length)) {
      current = { link: link, path: path };
    }
  });
  if (current) current.link.setAttribute("aria-current", "page");
})();
