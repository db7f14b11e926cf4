// The new-alias form: ticking "Catch-all" empties and locks the part before @ (a catch-all
// is @domain alone). Without script the server ignores that part when the box is ticked.
"use strict";
(function () {
  const box = document.querySelector("input[name=catch_all]");
  const localpart = document.querySelector("input[name=localpart]");
  if (!box || !localpart) return;
  let typed = localpart.value;
  function follow() {
    if (box.checked) {
      typed = localpart.value;
      localpart.value = "";
    } else if (!localpart.value) {
      localpart.value = typed;
    }
    localpart.disabled = box.checked;
  }
  box.addEventListener("change", follow);
  if (box.checked) follow();
})();
