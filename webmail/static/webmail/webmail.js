// HopThu webmail: progressive enhancement over plain links and forms (works without JS).
// Keyboard shortcuts: any element with data-shortcut="KEY" is clicked (or focused, for
// inputs) when KEY is pressed outside a text field. Pages add their own (r, a, f, e, #…);
// "?" shows them all (templates/webmail/shortcuts.html: keep it in step).
(function () {
  "use strict";

  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {  // Esc folds away an open menu or the folder list first
      var closedMenu = closeMenus();
      var closedFolders = showSidebar(false);
      if (closedMenu || closedFolders) { event.preventDefault(); return; }
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (shortcuts && shortcuts.open) return;  // the overlay is up: Esc closes it (the dialog's own)
    var key = event.key;
    if (key === "?") { event.preventDefault(); showShortcuts(); return; }
    if (listKeys(key)) { event.preventDefault(); return; }
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

  // --- The message list: cursor (j/k, o/Enter, x), selection, bulk actions ---------------
  var cursor = -1;

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("table.messages tbody tr")); }

  function moveCursor(to) {
    var all = rows();
    if (!all.length) return;
    cursor = Math.max(0, Math.min(all.length - 1, to));
    all.forEach(function (row, index) { row.classList.toggle("cursor", index === cursor); });
    all[cursor].scrollIntoView({block: "nearest"});
    var link = all[cursor].querySelector("a.open");
    if (link) link.focus({preventScroll: true});
  }

  function listKeys(key) {
    if (!document.getElementById("message-list")) return false;
    var all = rows();
    if (key === "j") { moveCursor(cursor + 1); return true; }
    if (key === "k") { moveCursor(cursor < 0 ? 0 : cursor - 1); return true; }
    var focused = document.activeElement;
    if (key === "Enter" && focused && focused.matches("button, summary, a:not(.open)")) return false;  // its own Enter
    if ((key === "o" || key === "Enter") && all[cursor]) { all[cursor].querySelector("a.open").click(); return true; }
    if (key === "x" && all[cursor]) {
      var box = all[cursor].querySelector("input[type=checkbox]");
      box.checked = !box.checked; markSelected(); return true;
    }
    if (key === "s" && all[cursor]) { all[cursor].querySelector("button.star").click(); return true; }
    return false;
  }

  function markSelected() {
    rows().forEach(function (row) {
      var box = row.querySelector("input[type=checkbox]");
      row.classList.toggle("selected", !!(box && box.checked));
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-select-all]")) {
      rows().forEach(function (row) { var box = row.querySelector("input[type=checkbox]"); if (box) box.checked = event.target.checked; });
    }
    if (event.target.closest("table.messages") || event.target.matches("[data-select-all]")) markSelected();
  });

  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute("data-confirm") && !window.confirm(submitter.getAttribute("data-confirm"))) {
      event.preventDefault(); return;
    }
    if (event.target.matches("form.flag-toggle")) { event.preventDefault(); toggleFlag(event.target, submitter); return; }
    if (event.target.id !== "bulk" || !submitter || !submitter.hasAttribute("data-needs-selection")) return;
    var checked = document.querySelectorAll("table.messages tbody input[type=checkbox]:checked");
    if (!checked.length && rows()[cursor]) { rows()[cursor].querySelector("input[type=checkbox]").checked = true; checked = [1]; }
    if (!checked.length) { event.preventDefault(); }
  });

  // --- Drag messages onto a folder in the sidebar --------------------------------------
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  document.addEventListener("dragstart", function (event) {
    var row = event.target.closest && event.target.closest("table.messages tbody tr");
    if (!row) return;
    var box = row.querySelector("input[type=checkbox]");
    if (box && !box.checked) { rows().forEach(function (r) { var b = r.querySelector("input[type=checkbox]"); if (b) b.checked = false; }); box.checked = true; markSelected(); }
    event.dataTransfer.setData("text/plain", "hopthu-messages");
    event.dataTransfer.effectAllowed = "move";
  });
  document.querySelectorAll("[data-drop-folder]").forEach(function (target) {
    target.addEventListener("dragover", function (event) { event.preventDefault(); target.classList.add("drop-target"); });
    target.addEventListener("dragleave", function () { target.classList.remove("drop-target"); });
    target.addEventListener("drop", function (event) {
      event.preventDefault();
      target.classList.remove("drop-target");
      var bulk = document.getElementById("bulk");
      if (!bulk) return;
      var data = new FormData(bulk);
      data.set("action", "move");
      data.set("target", target.getAttribute("data-drop-folder"));
      fetch(bulk.getAttribute("action"), {method: "POST", body: data, credentials: "same-origin",
                          headers: {"Accept": "application/json", "X-CSRFToken": csrfToken()}})
        // Search results have no live list: load them again.
        .then(function () { if (list && list.getAttribute("data-live") === "1") refreshList(true); else window.location.reload(); })
        .catch(function () { window.location.reload(); });  // show what the server has
    });
  });

  // --- Live updates: poll the folder's HIGHESTMODSEQ and the unread counts -------------
  var list = document.getElementById("message-list");
  var baseTitle = document.title;
  var POLL_MS = 3000;

  function showUnread(counts, inboxUnread) {
    Object.keys(counts).forEach(function (id) {
      var badge = document.querySelector("[data-unread-for='" + id + "']");
      if (badge) badge.textContent = counts[id] ? String(counts[id]) : "";
    });
    document.title = inboxUnread ? "(" + inboxUnread + ") " + baseTitle : baseTitle;
  }

  function refreshList(force) {
    if (!list || list.getAttribute("data-live") !== "1") return;
    var url = list.getAttribute("data-fragment");
    url += (url.indexOf("?") === -1 ? "?" : "&") + "fragment=1";
    var checked = {};
    document.querySelectorAll("table.messages tbody input[type=checkbox]:checked").forEach(function (box) { checked[box.value] = true; });
    fetch(url, {credentials: "same-origin"}).then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) return;
        list.innerHTML = html;
        document.querySelectorAll("table.messages tbody input[type=checkbox]").forEach(function (box) { if (checked[box.value]) box.checked = true; });
        markSelected();
        if (cursor >= 0) moveCursor(cursor);
      })
      .catch(function () { /* offline for a moment: the next poll refreshes it */ });
  }

  var liveState = "";

  function showState(state) {
    if (!state || state.modseq === undefined) return;
    liveState = state.state || "";
    showUnread(state.unread, state.inbox_unread);
    if (list && state.modseq !== null && String(state.modseq) !== list.getAttribute("data-modseq")) {
      list.setAttribute("data-modseq", String(state.modseq));
      refreshList(false);
    }
  }

  function poll() {
    var url = document.body.getAttribute("data-poll-url");
    if (!url) return;
    var folder = list ? list.getAttribute("data-folder") : "";
    fetch(url + "?folder=" + encodeURIComponent(folder), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(showState)
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  // On PostgreSQL the server answers a held request as soon as anything in the account
  // changes, on any node (issue 20); the timed poll above stays as the safety net.
  function waitForChange() {
    var url = document.body.getAttribute("data-poll-url") + "wait/";
    var folder = list ? list.getAttribute("data-folder") : "";
    fetch(url + "?folder=" + encodeURIComponent(folder) + "&state=" + encodeURIComponent(liveState),
          {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state || state.notices === false) return;  // no notices here: the timed poll only
        showState(state);
        waitForChange();
      })
      .catch(function () { window.setTimeout(waitForChange, POLL_MS); });
  }

  if (document.body.getAttribute("data-poll-url")) {
    poll();
    window.setInterval(function () { if (!document.hidden) poll(); }, POLL_MS);
    waitForChange();
  }

  // --- The flag star: sent in the background, flipped in place --------------------------
  function toggleFlag(form, button) {
    button = button || form.querySelector("button.star");
    var data = new FormData(form);
    data.set("action", button.value);
    button.disabled = true;
    fetch(form.getAttribute("action"), {method: "POST", body: data, credentials: "same-origin",
                                        headers: {"Accept": "application/json", "X-CSRFToken": csrfToken()}})
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        var on = button.value === "flag";
        button.value = on ? "unflag" : "flag";
        button.setAttribute("aria-pressed", on ? "true" : "false");
        button.title = button.getAttribute(on ? "data-title-on" : "data-title-off") || button.title;
        if (list) list.setAttribute("data-modseq", "");  // the next poll brings the list up to date
      })
      .catch(function () { form.submit(); })  // let the server answer the plain way
      .then(function () { button.disabled = false; });
  }

  // --- Menus (<details class="menu">): one open at a time, closed by Esc or a click elsewhere
  function closeMenus(except) {
    var closed = false;
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (menu !== except) { menu.open = false; closed = true; }
    });
    return closed;
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest ? event.target.closest("details.menu") : null);
  });

  // --- Conversations: open every folded message at once ---------------------------------
  document.querySelectorAll("[data-expand-all]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      document.querySelectorAll("details.th-message").forEach(function (message) { message.open = true; });
    });
  });

  // --- The "?" overlay of keyboard shortcuts ---------------------------------------------
  var shortcuts = document.getElementById("wm-shortcuts");

  function showShortcuts() {
    if (!shortcuts || shortcuts.open || typeof shortcuts.showModal !== "function") return;
    closeMenus();
    shortcuts.showModal();
  }
  if (shortcuts) {
    document.querySelectorAll("[data-shortcuts-open]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", showShortcuts);
    });
    // A click on the backdrop (the dialog element itself, outside its content) closes it.
    shortcuts.addEventListener("click", function (event) { if (event.target === shortcuts) shortcuts.close(); });
  }

  // --- The folder list behind the menu button (phone width) -----------------------------
  var menu = document.querySelector(".wm-menu");
  var sidebar = document.getElementById("wm-sidebar");

  function showSidebar(open) {
    if (!menu || !sidebar) return false;
    var was = sidebar.classList.contains("open");
    sidebar.classList.toggle("open", open);
    menu.setAttribute("aria-expanded", open ? "true" : "false");
    return was !== open;
  }
  if (menu) menu.addEventListener("click", function () { showSidebar(!sidebar.classList.contains("open")); });
  document.addEventListener("click", function (event) {  // a tap beside the open list closes it
    if (sidebar && !sidebar.contains(event.target) && !(menu && menu.contains(event.target))) showSidebar(false);
  });
})();
