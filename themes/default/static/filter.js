// Instant filtering and sorting of the role list on the home page.
//
// Without this script the page lists every role and the department and
// location pages act as filters. With it, the (hidden) filter form is shown,
// the list is filtered as the candidate types or picks, and the state lives
// in the query string (?department=&location=&workplace=&type=&q=&sort=) so a
// filtered view can be shared, reloaded and left with the back button.
// "Newest first" lists the roles in one list by the day they were posted.
(function () {
  "use strict";

  const board = document.querySelector("[data-board]");
  const form = board && board.querySelector("[data-filter-form]");
  if (!form || !window.URLSearchParams || !window.history.pushState) return;

  const FILTERS = ["department", "location", "workplace", "type", "q"];
  const KEYS = FILTERS.concat(["sort"]);
  const jobs = Array.from(board.querySelectorAll("[data-job]"));
  const homes = new Map(jobs.map((job) => [job, job.parentNode]));
  const groups = Array.from(board.querySelectorAll("[data-group]"));
  const status = board.querySelector("[data-filter-status]");
  const live = board.querySelector("[data-filter-announce]");
  const empty = board.querySelector("[data-filter-empty]");
  const browse = board.querySelector("[data-browse]");
  const panel = board.querySelector("[data-filter-panel]");
  const activeCount = board.querySelector("[data-filter-count]");
  const msg = board.dataset;

  // Lower-case and strip accents so "zurich" finds "Zürich".
  const fold = (text) =>
    text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  // Made at the first search, not while the page loads.
  let haystacks = null;
  const haystack = (job) => {
    if (!haystacks) haystacks = new Map(jobs.map((j) => [j, fold(j.dataset.search || "")]));
    return haystacks.get(job);
  };

  const fill = (template, n) => (template || "").replace("{n}", String(n));
  // Counted strings come with their plural forms by CLDR category, as the
  // page's language picks them.
  const rules = new Intl.PluralRules(document.documentElement.lang || "en");
  const parse = (json) => {
    try {
      return JSON.parse(json || "{}");
    } catch {
      return {};
    }
  };
  const countForms = parse(msg.count);
  const allForms = parse(msg.msgAll);
  const manyForms = parse(msg.msgMany);
  const activeForms = activeCount ? parse(activeCount.dataset.text) : {};
  const counted = (forms, n) => fill(forms[rules.select(n)] || forms.other, n);

  // Writes only what changes: on load nothing does, and the page is laid out once.
  const setHidden = (el, hidden) => { if (el.hidden !== hidden) el.hidden = hidden; };
  const setText = (el, text) => { if (el.textContent !== text) el.textContent = text; };

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
    return words.length === 0 || words.every((word) => haystack(job).includes(word));
  }

  // The one list "Newest first" shows, made when first asked for. Its heading
  // stands where the department headings stood.
  let sorted = null;
  function sortedList() {
    if (sorted) return sorted;
    const section = document.createElement("section");
    section.className = "dept dept--sorted";
    section.setAttribute("aria-labelledby", "dept-sorted");
    const heading = document.createElement("h2");
    heading.className = "dept__title";
    heading.id = "dept-sorted";
    heading.textContent = msg.sortedHeading || "";
    const list = document.createElement("ul");
    list.className = "job-list";
    section.append(heading, list);
    groups[0].parentNode.insertBefore(section, groups[0]);
    sorted = { section, list };
    return sorted;
  }

  // Moves the cards into the newest-first list, or back into their departments
  // in the order of the page.
  function arrange(sort) {
    if (sort === "newest") {
      const { list } = sortedList();
      // Dates are YYYY-MM-DD, so text order is time order; the sort is stable.
      const order = jobs.slice().sort((a, b) => b.dataset.posted.localeCompare(a.dataset.posted));
      for (const job of order) list.appendChild(job);
    } else if (sorted) {
      for (const job of jobs) homes.get(job).appendChild(job);
    }
  }

  // Shows the matching roles, updates the counts and returns what the status
  // line says.
  function apply(state) {
    arrange(state.sort);
    const words = state.q ? fold(state.q).split(/\s+/).filter(Boolean) : [];
    let total = 0;
    for (const job of jobs) {
      const show = matches(job, state, words);
      setHidden(job, !show);
      if (show) total += 1;
    }
    for (const group of groups.concat(sorted ? [sorted.section] : [])) {
      const visible = group.querySelectorAll("[data-job]:not([hidden])").length;
      setHidden(group, visible === 0);
      const count = group.querySelector("[data-group-count]");
      if (count) setText(count, counted(countForms, visible));
    }
    if (empty) setHidden(empty, total > 0);

    const active = FILTERS.filter((key) => state[key]).length;
    if (activeCount) {
      setText(activeCount, counted(activeForms, active));
      setHidden(activeCount, active === 0);
    }
    if (!active && total !== 1) return counted(allForms, total);
    if (total === 0) return msg.msgNone || "";
    return total === 1 ? fill(msg.msgOne, total) : counted(manyForms, total);
  }

  // The status line always says what the list shows. The live region is told
  // once the candidate pauses (typing would flood a screen reader); a message
  // equal to the last one is still a change, so it is made to differ.
  let announceTimer = 0;
  let spoken = "";
  function show(text, wait) {
    if (status) setText(status, text);
    window.clearTimeout(announceTimer);
    if (!live || wait < 0) return;
    announceTimer = window.setTimeout(() => {
      spoken = spoken === text ? text + "\u00a0" : text;
      live.textContent = spoken;
    }, wait);
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
    show(message, how === "replace" ? 700 : 150);
  }

  function clear() {
    writeForm({ sort: control("sort") ? control("sort").value : "" });
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
    show(apply(state), 150);
  });

  // The panel is open where there is room for it beside the list; on a phone
  // it stays a button so that the roles come first.
  if (panel && window.matchMedia) {
    const wide = window.matchMedia("(min-width: 48rem)");
    const fit = () => { if (panel.open !== wide.matches) panel.open = wide.matches; };
    fit();
    if (wide.addEventListener) wide.addEventListener("change", fit);
  }

  // Enhance: the form replaces the plain department/location links.
  form.hidden = false;
  if (browse) browse.hidden = true;
  const initial = readUrl();
  writeForm(initial);
  // Only speak on load when the URL narrowed the list.
  show(apply(initial), FILTERS.some((key) => initial[key]) ? 150 : -1);
})();
