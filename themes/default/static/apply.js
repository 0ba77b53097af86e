// Sends the application form in place, with upload progress.
//
// Without this script the form posts normally and the server answers with the
// role page (errors next to the fields, answers kept) or a "received" page.
// With it, the form is sent in the background: a too-large file is caught
// before sending, progress is announced, errors from the server (JSON) are
// shown next to their fields and in a summary, and on success the form is
// replaced by the confirmation. Nothing the candidate typed is ever cleared
// unless the application was received.
(function () {
  "use strict";

  const form = document.querySelector("form.apply-form[data-apply]");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;

  const msg = form.dataset;
  const button = form.querySelector("button[type=submit]");
  const status = document.createElement("p");
  status.className = "apply-form__status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  button.parentNode.appendChild(status);

  const fieldOf = (name) => document.getElementById("f-" + name);

  function clearErrors() {
    form.querySelectorAll("[data-js-error]").forEach((el) => el.remove());
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    form.querySelectorAll(".field--error").forEach((el) => el.classList.remove("field--error"));
    const summary = form.querySelector(".error-summary");
    if (summary) summary.remove();
  }

  function describe(control, id) {
    const ids = (control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (!ids.includes(id)) control.setAttribute("aria-describedby", [id].concat(ids).join(" "));
  }

  function showErrors(errors) {
    clearErrors();
    const summary = document.createElement("div");
    summary.className = "error-summary";
    summary.setAttribute("role", "alert");
    summary.tabIndex = -1;
    const title = document.createElement("h3");
    title.className = "error-summary__title";
    title.textContent = msg.errorTitle;
    summary.appendChild(title);
    if (errors._form) {
      const p = document.createElement("p");
      p.textContent = errors._form;
      summary.appendChild(p);
    }
    const list = document.createElement("ul");
    Object.keys(errors).forEach((name) => {
      const control = fieldOf(name);
      if (name === "_form" || !control) return;
      const field = control.closest(".field");
      const id = "f-" + name + "-error";
      const old = document.getElementById(id);
      if (old) old.remove();
      const note = document.createElement("p");
      note.className = "field__error";
      note.id = id;
      note.dataset.jsError = "";
      note.textContent = errors[name];
      const label = field.querySelector(".field__label");
      // Where the server puts it too: after the help text, else after the label.
      const help = document.getElementById("f-" + name + "-help");
      (help || label).insertAdjacentElement("afterend", note);
      field.classList.add("field--error");
      if (field.tagName === "FIELDSET") {
        describe(field, id);
      } else {
        describe(control, id);
        control.setAttribute("aria-invalid", "true");
      }
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = "#f-" + name;
      link.textContent = label.textContent.replace(/\*$/, "").trim() + " – " + errors[name];
      item.appendChild(link);
      list.appendChild(item);
    });
    if (list.children.length) summary.appendChild(list);
    form.insertBefore(summary, form.firstChild);
    summary.focus();
  }

  function received(answer) {
    const box = document.createElement("div");
    box.className = "apply-form__received";
    const h = document.createElement("h3");
    h.tabIndex = -1;
    h.textContent = answer.title;
    box.appendChild(h);
    [answer.message, answer.next].forEach((text) => {
      const p = document.createElement("p");
      p.textContent = text;
      box.appendChild(p);
    });
    form.replaceWith(box);
    h.focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const file = fieldOf("resume");
    const max = Number(msg.maxBytes || 0);
    if (max && file && file.files[0] && file.files[0].size > max) {
      showErrors({ resume: msg.tooLarge });
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) {
        status.textContent = msg.progress.replace("{percent}", String(Math.round((e.loaded / e.total) * 100)));
      }
    });
    xhr.addEventListener("load", () => {
      button.disabled = false;
      status.textContent = "";
      let answer = null;
      try {
        answer = JSON.parse(xhr.responseText);
      } catch (_) {
        answer = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && answer) return received(answer);
      if (answer && answer.errors) return showErrors(answer.errors);
      showErrors({ _form: (answer && answer.message) || msg.failed });
    });
    xhr.addEventListener("error", () => {
      button.disabled = false;
      status.textContent = "";
      showErrors({ _form: msg.failed });
    });
    button.disabled = true;
    status.textContent = msg.sending;
    xhr.send(new FormData(form));
  });
})();
