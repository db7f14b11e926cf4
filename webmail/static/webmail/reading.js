// HopThu webmail, reading a message: the print view's Print button (no inline script:
// the site's CSP allows scripts from our own files only).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
