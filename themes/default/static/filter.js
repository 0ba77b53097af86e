// Instant filtering of the role list on the home page.
//
// Without this script the page lists every role and the department and
// location pages act as filters. With it, the (hidden) filter form is shown,
// the list is filtered as the candidate types or picks, and the state lives
// in the query string (?department=&location=&workplace=&type=&q=) so a
// filtered view can be shared, reloaded and left with the back button.
(function () {
  "use strict";

  const board = document.querySelector("[data-board]");
  const form = board && board.querySelector("[data-filter-form]");
  if (!form || !window.URLSearchParams || !window.history.pushState) return;

  const KEYS = ["department", "location", "workplace", "type", "q"];
  const jobs = Array.from(board.querySelectorAll("[data-job]"));
  const groups = Array.from(board.querySelectorAll("[data-group]"));
  const status = board.querySelector("[data-filter-status]");
  const empty = board.querySelector("[data-filter-empty]");
  const browse = board.querySelector("[data-browse]");
  const msg = board.dataset;

  // Lower-case and strip accents so "zurich" finds "Zürich".
  const fold = (text) =>
    text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  const haystacks = new Map(jobs.map((job) => [job, fold(job.dataset.search || "")]));

  const fill = (template, n) => (template || "").replace("{n}", String(n));

  function control(name) {
    return form.elements.namedItem(name);
  }

  function readForm() {
    const state = {};
    for (const key of KEYS) {
      const el = control(key);
      state[key] = el ? el.value.trim() : "";
    }
    return state;
  }

  // Puts a state into the controls; values the page does not offer (a
  // department that has since closed all its roles) fall back to "all".
  function writeForm(state) {
    for (const key of KEYS) {
      const el = control(key);
      if (!el) continue;
      const value = state[key] || "";
      if (el.tagName === "SELECT") {
        const known = Array.from(el.options).some((o) => o.value === value);
        el.value = known ? value : "";
      } else {
        el.value = value;
      }
    }
  }

  function readUrl() {
    const params = new URLSearchParams(window.location.search);
    const state = {};
    for (const key of KEYS) state[key] = params.get(key) || "";
    return state;
  }

  function urlFor(state) {
    const params = new URLSearchParams(window.location.search);
    for (const key of KEYS) {
      if (state[key]) params.set(key, state[key]);
      else params.delete(key);
    }
    const query = params.toString();
    return window.location.pathname + (query ? "?" + query : "") + window.location.hash;
  }

  function matches(job, state, words) {
    const d = job.dataset;
    if (state.department && d.department !== state.department) return false;
    if (state.location && !(d.locations || "").split(" ").includes(state.location)) return false;
    if (state.workplace && d.workplace !== state.workplace) return false;
    if (state.type && d.type !== state.type) return false;
    const text = haystacks.get(job);
    return words.every((word) => text.includes(word));
  }

  // Shows the matching roles, updates the counts and returns the message for
  // the live region.
  function apply(state) {
    const words = fold(state.q).split(/\s+/).filter(Boolean);
    let total = 0;
    for (const job of jobs) {
      const show = matches(job, state, words);
      job.hidden = !show;
      if (show) total += 1;
    }
    for (const group of groups) {
      const visible = group.querySelectorAll("[data-job]:not([hidden])").length;
      group.hidden = visible === 0;
      const count = group.querySelector("[data-group-count]");
      if (count) count.textContent = fill(visible === 1 ? msg.countOne : msg.countMany, visible);
    }
    if (empty) empty.hidden = total > 0;

    const filtered = KEYS.some((key) => state[key]);
    if (!filtered && total !== 1) return fill(msg.msgAll, total);
    if (total === 0) return msg.msgNone || "";
    return fill(total === 1 ? msg.msgOne : msg.msgMany, total);
  }

  // Typing would flood a screen reader; announce once the candidate pauses.
  let announceTimer = 0;
  function announce(text, wait) {
    window.clearTimeout(announceTimer);
    if (!status) return;
    if (wait) {
      announceTimer = window.setTimeout(() => { status.textContent = text; }, wait);
    } else {
      status.textContent = text;
    }
  }

  function update(how) {
    const state = readForm();
    const message = apply(state);
    const url = urlFor(state);
    const current = window.location.pathname + window.location.search + window.location.hash;
    if (url !== current) {
      if (how === "push") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    }
    announce(message, how === "replace" ? 600 : 0);
  }

  function clear() {
    writeForm({});
    update("push");
    const search = control("q");
    if (search) search.focus();
  }

  form.addEventListener("change", (event) => {
    if (event.target.tagName === "SELECT") update("push");
  });
  form.addEventListener("input", (event) => {
    if (event.target.name === "q") update("replace");
  });
  // Enter in the search box must not reload the page.
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    update("replace");
  });
  for (const button of board.querySelectorAll("[data-filter-reset]")) {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      clear();
    });
  }
  window.addEventListener("popstate", () => {
    const state = readUrl();
    writeForm(state);
    announce(apply(state), 0);
  });

  // Enhance: the form replaces the plain department/location links.
  form.hidden = false;
  if (browse) browse.hidden = true;
  const initial = readUrl();
  writeForm(initial);
  const message = apply(initial);
  // Only speak on load when the URL narrowed the list.
  if (KEYS.some((key) => initial[key])) announce(message, 0);
})();
