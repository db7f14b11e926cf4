// Compose: rich text editor, attachment size check and drag-and-drop, draft autosave,
// and address autocomplete. The form works without this file (plain text, no autosave).
(function () {
  "use strict";
  var form = document.getElementById("compose");
  if (!form) return;
  var maxSize = parseInt(form.dataset.maxSize, 10) || 0;
  var status = form.querySelector("[data-status]");
  var fileInput = form.querySelector("input[type=file]");
  var htmlField = form.querySelector("input[name=html]");
  var body = form.querySelector("textarea[name=body]");
  var editor = form.querySelector("[data-editor]");
  var toolbar = form.querySelector(".compose-format");
  var richToggle = form.querySelector("[data-rich-toggle]");
  var rich = false;

  function say(text) { if (status) status.textContent = text; }

  // --- Rich text ---------------------------------------------------------------------
  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }
  function textToHtml(text) {
    return text.split("\n").map(function (line) {
      return "<div>" + (line ? escapeHtml(line) : "<br>") + "</div>";
    }).join("");
  }
  function setRich(on, initial) {
    // Switching converts what is written; the first call only shows the saved mode.
    if (on && !initial) editor.innerHTML = textToHtml(body.value);
    if (!on && !initial) body.value = editor.innerText;
    if (!on) htmlField.value = "";
    rich = on;
    richToggle.setAttribute("aria-pressed", on ? "true" : "false");
    form.querySelector("[data-rich-only]").hidden = !on;
    editor.hidden = !on;
    body.hidden = on;
  }
  function mirror() { htmlField.value = rich ? editor.innerHTML : ""; if (rich) body.value = editor.innerText; }
  if (toolbar && editor) {
    toolbar.hidden = false;
    setRich(editor.hasAttribute("data-start-rich"), true);
    richToggle.addEventListener("click", function () { setRich(!rich); changed(); });
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("[data-command]");
      if (!button) return;
      var value = button.dataset.value || null;
      if (button.dataset.prompt) {
        value = window.prompt(button.dataset.prompt, "https://");
        if (!value) return;
      }
      editor.focus();
      document.execCommand(button.dataset.command, false, value);
      changed();
    });
    editor.addEventListener("input", changed);
  }

  // --- Attachments -------------------------------------------------------------------
  var chosenList = form.querySelector("[data-chosen]");
  var attachmentErrors = form.querySelector("[data-attachment-errors]");
  function allFiles() { return Array.prototype.slice.call(fileInput ? fileInput.files : []); }
  function checkSize() {
    var total = allFiles().reduce(function (sum, file) { return sum + file.size; }, 0);
    var tooLarge = maxSize && total > maxSize;
    attachmentErrors.textContent = tooLarge ? form.dataset.tooLarge : "";
    return !tooLarge;
  }
  function listChosen() {
    chosenList.textContent = "";
    allFiles().forEach(function (file) {
      var item = document.createElement("li");
      item.textContent = file.name + " (" + Math.ceil(file.size / 1024) + " KB)";
      chosenList.appendChild(item);
    });
    checkSize();
  }
  if (fileInput) fileInput.addEventListener("change", function () { listChosen(); changed(); });
  var zone = form.querySelector("[data-drop-zone]");
  form.querySelector("[data-drop-hint]").hidden = false;
  form.addEventListener("dragover", function (event) {
    if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0) {
      event.preventDefault();
      zone.classList.add("dragging");
    }
  });
  form.addEventListener("dragleave", function () { zone.classList.remove("dragging"); });
  form.addEventListener("drop", function (event) {
    if (!event.dataTransfer || !event.dataTransfer.files.length) return;
    event.preventDefault();
    zone.classList.remove("dragging");
    // Dropped files join the chosen ones in the file input itself, so a plain submit
    // (and the autosave) sends them.
    var merged = new DataTransfer();
    allFiles().concat(Array.prototype.slice.call(event.dataTransfer.files)).forEach(function (file) {
      merged.items.add(file);
    });
    fileInput.files = merged.files;
    listChosen();
    changed();
  });

  var saving = false, pending = null;
  form.addEventListener("submit", function (event) {
    if (pending) {
      // An autosave in flight replaces the draft this form names: submit once it is done.
      event.preventDefault();
      var submitter = event.submitter;
      pending.then(function () { form.requestSubmit(submitter); });
      return;
    }
    mirror();
    if (!checkSize()) { event.preventDefault(); return; }
    saving = true;  // no autosave may race the real submit
  });
  // Enter in a one-line field must not send the message (the browser's implicit submit).
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("input[type=text], input[type=datetime-local]")) {
      event.preventDefault();
    }
  });
  function formData(action) {
    mirror();
    var data = new FormData(form);
    data.set("action", action);
    return data;
  }

  // --- Drafts: "Save draft" stays on the page, autosave every 5 s after a change ---------
  var dirty = false;
  function changed() { dirty = true; }
  form.addEventListener("input", changed);
  function renderCarried(attachments) {
    var list = form.querySelector("[data-carried]");
    list.textContent = "";
    attachments.forEach(function (attachment) {
      var item = document.createElement("li");
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox"; box.name = "keep"; box.value = attachment.index; box.checked = true;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + attachment.name + " (" + Math.ceil(attachment.size / 1024) + " KB)"));
      item.appendChild(label);
      list.appendChild(item);
    });
  }
  function saveDraft() {
    if (saving || !checkSize()) return Promise.resolve(null);
    saving = true; dirty = false;
    pending = fetch(form.getAttribute("action"), {
      method: "POST", body: formData("save"), credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      saving = false;
      if (!result.ok) { say(form.dataset.saveFailed); return null; }
      form.querySelector("input[name=draft_uid]").value = result.data.uid;
      form.querySelector("input[name=source]").value = result.data.source;
      renderCarried(result.data.attachments);
      if (fileInput) fileInput.value = "";
      listChosen();
      form.dataset.draftUid = result.data.uid;
      say(form.dataset.saved);
      return result.data;
    }).catch(function () { saving = false; say(form.dataset.saveFailed); return null; })
      .then(function (result) { pending = null; return result; });
    return pending;
  }
  var saveButton = form.querySelector("[data-save-draft]");
  saveButton.addEventListener("click", function (event) { event.preventDefault(); saveDraft(); });
  window.setInterval(function () { if (dirty) saveDraft(); }, 5000);

  // --- Address autocomplete (combobox + listbox, keyboard accessible) ------------------
  function lastToken(value) {
    var at = value.lastIndexOf(",");
    return { head: at >= 0 ? value.slice(0, at + 1) + " " : "", token: value.slice(at + 1).trim() };
  }
  form.querySelectorAll("[data-autocomplete]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var active = -1, timer = null, options = [];
    function close() {
      list.hidden = true; list.textContent = ""; options = []; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function highlight(index) {
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) input.setAttribute("aria-activedescendant", options[index].id);
    }
    function choose(option) {
      var parts = lastToken(input.value);
      input.value = parts.head + option.dataset.value + ", ";
      close();
      input.focus();
      changed();
    }
    function show(results) {
      close();
      results.forEach(function (result, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.dataset.value = result.name ? '"' + result.name.replace(/"/g, "") + '" <' + result.address + ">" : result.address;
        option.textContent = result.name ? result.name + " <" + result.address + ">" : result.address;
        option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(option); });
        list.appendChild(option);
        options.push(option);
      });
      if (options.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var token = lastToken(input.value).token;
      if (token.length < 1) { close(); return; }
      timer = window.setTimeout(function () {
        fetch(form.dataset.contactsUrl + "?q=" + encodeURIComponent(token), { credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (data) { if (lastToken(input.value).token === token) show(data.results); })
          .catch(function () { /* page left or offline: no suggestions this time */ });
      }, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % options.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + options.length) % options.length); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(options[active]); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 100); });
  });
})();
