// Turns the résumé's file input into a drop zone: a file can be dragged onto
// it, or chosen with a click, a tap or the keyboard as before. The chosen
// file's name and size are shown beside a button that removes it, and a
// screen reader is told of both.
//
// Without this script the field is the browser's own file input, which sends
// the same. With it the input stays the real control: it covers the zone,
// invisible, and keeps its label, its description and its keyboard use.
(function () {
  "use strict";

  const field = document.querySelector("[data-dropzone]");
  const input = field && field.querySelector("input[type=file]");
  if (!input || !window.DataTransfer) return;
  const msg = field.dataset;

  const make = (tag, className, text) => {
    const el = document.createElement(tag);
    el.className = className;
    if (text) el.textContent = text;
    return el;
  };

  const zone = make("div", "dropzone");
  const area = make("div", "dropzone__area");
  // For the eye only: the input's own label and role say the same.
  const prompt = make("p", "dropzone__prompt");
  prompt.setAttribute("aria-hidden", "true");
  // Nobody drags a file on a phone.
  const touch = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
  const words = (touch && msg.promptTouch) || msg.prompt || "{choose}";
  const [before, after] = words.split("{choose}");
  prompt.append(before || "", make("span", "dropzone__choose", msg.choose), after || "");
  const chosen = make("div", "dropzone__file");
  chosen.hidden = true;
  const name = make("p", "dropzone__name");
  const remove = make("button", "button button--secondary dropzone__remove");
  remove.type = "button";
  chosen.append(name, remove);
  const live = make("p", "vh");
  live.setAttribute("role", "status");

  input.parentNode.insertBefore(zone, input);
  input.classList.add("dropzone__input");
  area.append(input, prompt);
  zone.append(area, chosen, live);

  const fill = (text, values) =>
    Object.keys(values).reduce((out, key) => out.replace("{" + key + "}", values[key]), text || "");

  function size(bytes) {
    const lang = document.documentElement.lang || undefined;
    if (bytes < 1048576) {
      return fill(msg.kb, { n: Math.max(1, Math.round(bytes / 1024)).toLocaleString(lang) });
    }
    return fill(msg.mb, { n: (bytes / 1048576).toLocaleString(lang, { maximumFractionDigits: 1 }) });
  }

  function render(announce) {
    const file = input.files && input.files[0];
    chosen.hidden = !file;
    if (file) {
      name.textContent = file.name + " ";
      name.appendChild(make("span", "dropzone__size", size(file.size)));
      remove.textContent = msg.remove || "";
      remove.appendChild(make("span", "vh", " " + file.name));
    }
    if (announce) {
      live.textContent = file ? fill(msg.chosen, { name: file.name, size: size(file.size) }) : msg.removed || "";
    }
  }

  function take(files) {
    if (!files || !files.length) return;
    const transfer = new DataTransfer();
    transfer.items.add(files[0]);
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  input.addEventListener("change", () => render(true));
  remove.addEventListener("click", () => {
    input.value = "";
    input.dispatchEvent(new Event("change", { bubbles: true }));
    input.focus();
  });

  const carriesFiles = (event) =>
    !!event.dataTransfer && Array.from(event.dataTransfer.types || []).includes("Files");
  let depth = 0;
  const over = (on) => zone.classList.toggle("dropzone--over", on);
  area.addEventListener("dragenter", (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth += 1;
    over(true);
  });
  area.addEventListener("dragover", (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  });
  area.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) over(false);
  });
  area.addEventListener("drop", (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth = 0;
    over(false);
    take(event.dataTransfer.files);
  });
  // A file dropped beside the zone would make the browser open it and leave
  // the form with everything typed in it.
  for (const type of ["dragover", "drop"]) {
    window.addEventListener(type, (event) => {
      if (!carriesFiles(event) || area.contains(event.target)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "none";
    });
  }

  render(false);
})();
