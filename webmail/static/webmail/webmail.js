// HopThu webmail: progressive enhancement over plain links and forms (works without JS).
// Keyboard shortcuts: any element with data-shortcut="KEY" is clicked (or focused, for
// inputs) when KEY is pressed outside a text field. Pages add their own (r, a, f, e, #…).
(function () {
  "use strict";

  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key;
    var target = null;
    document.querySelectorAll("[data-shortcut]").forEach(function (element) {
      if (!target && element.getAttribute("data-shortcut").split(" ").indexOf(key) !== -1 &&
          !element.disabled && element.offsetParent !== null) target = element;
    });
    if (!target) return;
    event.preventDefault();
    if (/^(INPUT|TEXTAREA)$/.test(target.tagName)) { target.focus(); target.select && target.select(); }
    else target.click();
  });

  var menu = document.querySelector(".wm-menu");
  if (menu) menu.addEventListener("click", function () {
    var sidebar = document.getElementById("wm-sidebar");
    var open = sidebar.classList.toggle("open");
    menu.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
