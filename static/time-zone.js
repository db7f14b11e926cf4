// The browser's time zone becomes the user's, unless they chose one in Settings: on the
// first page (and whenever the browser's zone changes, say after a flight) it is sent to
// the server, which then shows times in it. When the zone in force is not the one the
// page was shown in (data-time-zone), the page is shown again with its times in that
// zone, unless it holds a form being written ([data-keep-on-zone-change], compose).
// Without script the server's zone is used.
(function () {
  "use strict";
  var body = document.body;
  var url = body.dataset.timeZoneUrl;
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (error) { return; }
  if (!url || !zone || zone === body.dataset.browserTimeZone) return;
  // A zone the server refused (one it does not know) is not sent again from this tab.
  // An accepted one is remembered by the server: its pages then carry it as
  // data-browser-time-zone. Until they do (this page was made while the first page's
  // report was still on its way), it is sent again and the page shown again.
  var refused = "hopthu-time-zone-refused";
  try { if (window.sessionStorage.getItem(refused) === zone) return; } catch (error) { /* storage off */ }
  var form = new FormData();
  form.set("zone", zone);
  fetch(url, {
    method: "POST", body: form, credentials: "same-origin",
    headers: { "X-CSRFToken": body.dataset.csrfToken, "Accept": "application/json" }
  }).then(function (response) {
    if (response.status === 400) {
      try { window.sessionStorage.setItem(refused, zone); } catch (error) { /* storage off */ }
    }
    return response.ok ? response.json() : null;
  }).then(function (answer) {
    body.dataset.browserTimeZone = zone;
    // Shown again only if its times were in another zone (another page may have reported first).
    if (answer && answer.zone && answer.zone !== body.dataset.timeZone &&
        !document.querySelector("[data-keep-on-zone-change]")) {
      window.location.reload();
    }
  }).catch(function () { /* offline: the next page tries again */ });
})();
