// The "Sending your message… Undo" notice: once the undo delay is over, ask whether the
// message has left (the scheduled row's status) and take the notice away when it has, or
// say why it could not be sent. Without this file the notice stays until the next page,
// and Undo then answers "too late".
(function () {
  "use strict";
  var POLL_MS = 1000, SLOW_POLL_MS = 5000, FAST_TRIES = 30, SHOW_SENT_MS = 4000;

  function track(form) {
    var notice = form.closest("li") || form.parentNode;
    var text = notice.querySelector("[data-undo-text]");
    var tries = 0;
    function say(message) {
      if (text) text.textContent = message; else notice.textContent = message;
    }
    function done() {
      var list = notice.parentNode;
      notice.remove();
      if (list && !list.children.length) list.remove();
    }
    function check() {
      tries += 1;
      fetch(form.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (response.status === 404) return { status: "gone" };  // undone in another tab
          if (!response.ok) throw new Error(response.statusText);
          return response.json();
        })
        .then(function (answer) {
          if (answer.status === "waiting") {
            var wait = Math.max(answer.seconds_left * 1000, tries < FAST_TRIES ? POLL_MS : SLOW_POLL_MS);
            window.setTimeout(check, wait);
          } else if (answer.status === "sent") {
            form.remove();
            say(form.dataset.sentText);
            notice.dataset.undoState = "sent";
            window.setTimeout(done, SHOW_SENT_MS);
          } else if (answer.status === "failed") {
            form.remove();
            say(form.dataset.failedText + " " + answer.error);
            notice.classList.add("error");
            notice.dataset.undoState = "failed";
          } else {
            done();
          }
        })
        .catch(function () { window.setTimeout(check, SLOW_POLL_MS); });  // offline for a moment
    }
    var secondsLeft = parseFloat(form.dataset.secondsLeft) || 0;
    window.setTimeout(check, secondsLeft * 1000 + 300);
  }

  document.querySelectorAll("form.undo-send[data-status-url]").forEach(track);
})();
