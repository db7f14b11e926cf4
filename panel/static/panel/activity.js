// Activity pages: a confirmation for buttons that carry data-confirm-click (the queue's
// "remove"), since panel.js's data-confirm asks for every submit of a form.
"use strict";
(function () {
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-confirm-click]");
    if (button && !window.confirm(button.dataset.confirmClick)) event.preventDefault();
  });
})();
