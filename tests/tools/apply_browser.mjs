#!/usr/bin/env node
// The application form in Debian's Chromium (via playwright-core), as a
// candidate uses it, against a running `openings serve`:
//
//   1. JavaScript on: a file of the wrong type is refused in place, with every
//      answer still there and the error summary focused.
//   2. JavaScript on, keyboard only: Tab through the form, type the answers,
//      open the file chooser with the keyboard, send with Enter; the
//      confirmation replaces the form.
//   3. JavaScript off: the same error comes back as a page with every answer
//      filled in; attaching the right file and sending again shows "received".
//   4. JavaScript off, sizes: a résumé over the size limit (but under the hard
//      ceiling) comes back as a 422 page with every answer filled in and the
//      error at the résumé field; one past the ceiling gets the 413 page, shown
//      by the browser (not a connection-reset error).
//
// Both error states and both confirmations are also checked with axe-core
// (WCAG 2.x A and AA); a serious or critical violation fails the run.
//
// Usage: node tests/tools/apply_browser.mjs ROLE_URL GOOD_PDF BAD_FILE OVER_LIMIT_PDF PAST_CEILING_PDF
// Prints a JSON summary on stdout; exit 0 when every step passed, 1 when one
// failed (the message says which), 2 when the tool itself failed.
// Environment: CHROMIUM_PATH (default /usr/bin/chromium), APPLY_TIMEOUT_MS (per step, default 20000).

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const STEP_MS = Number(process.env.APPLY_TIMEOUT_MS || 20000);
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'];

class Failure extends Error {}

function check(condition, what) {
  if (!condition) throw new Failure(what);
}

const [roleUrl, goodPdf, badFile, overLimitPdf, pastCeilingPdf] = process.argv.slice(2);
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
let axeSource = '';

// Runs axe-core on `scope` (the application section by default: the posting's
// own body is the build's business) as it is now; fails on serious or critical
// violations.
async function accessible(page, where, scope = '#apply') {
  await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(
    ([tags, scope]) =>
      window.axe.run(scope ? document.querySelector(scope) : document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    [WCAG_TAGS, scope],
  );
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(bad.length === 0, `${where}: ${bad.map((v) => `${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`).join("; ")}`);
}
if (!roleUrl || !goodPdf || !badFile || !overLimitPdf || !pastCeilingPdf) {
  process.stderr.write('usage: node tests/tools/apply_browser.mjs ROLE_URL GOOD_PDF BAD_FILE OVER_LIMIT_PDF PAST_CEILING_PDF\n');
  process.exit(2);
}

// The same check for a page seen without JavaScript: its HTML is shown again at
// its own URL in a page where scripts run (axe is a script), styles included.
async function accessibleWithoutJs(browser, page, where, scope = '#apply') {
  const html = await page.content();
  const url = page.url();
  const checker = await browser.newPage();
  await checker.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await checker.goto(url);
  await accessible(checker, where, scope);
  await checker.close();
}

const ANSWERS = {
  name: 'Grace Hopper',
  phone: '+1 555 0100',
  cover_letter: 'Compilers, mostly.\nAnd <nanoseconds>.',
  links: 'https://github.example/grace',
  q_rust_years: '3',
  q_why: 'Testco ships.',
};

// Fills the form with the mouse-free API (steps 1 and 3).
async function fillForm(page, email, file) {
  for (const [name, value] of Object.entries(ANSWERS)) await page.fill(`#f-${name}`, value);
  await page.fill('#f-email', email);
  await page.selectOption('#f-q_start', 'In a month');
  await page.check('input[name=q_langs][value=German]');
  await page.check('#f-consent');
  await page.setInputFiles('#f-resume', file);
}

async function expectKept(page, email, where) {
  for (const [name, value] of Object.entries(ANSWERS)) {
    check((await page.inputValue(`#f-${name}`)) === value, `${where}: ${name} was not kept`);
  }
  check((await page.inputValue('#f-email')) === email, `${where}: email was not kept`);
  check((await page.inputValue('#f-q_start')) === 'In a month', `${where}: the select was not kept`);
  check(await page.isChecked('input[name=q_langs][value=German]'), `${where}: the checkbox was not kept`);
  check(await page.isChecked('#f-consent'), `${where}: consent was not kept`);
}

async function withJsErrorInPlace(browser) {
  const page = await browser.newPage();
  await page.goto(roleUrl);
  await fillForm(page, 'grace.js.error@example.com', badFile);
  await page.click('.apply-form button[type=submit]');
  await page.waitForSelector('#f-resume-error', { timeout: STEP_MS });
  const error = await page.textContent('#f-resume-error');
  check(/PDF, DOC, DOCX or ODT/.test(error), `JS: wrong resume error text: ${error}`);
  check(page.url() === roleUrl, 'JS: the page navigated away on an error');
  check(await page.evaluate(() => document.activeElement.classList.contains('error-summary')), 'JS: the error summary is not focused');
  check((await page.getAttribute('#f-resume', 'aria-invalid')) === 'true', 'JS: the file input is not marked invalid');
  await expectKept(page, 'grace.js.error@example.com', 'JS');
  await accessible(page, 'JS error state');
  await page.close();
}

async function withJsKeyboardOnly(browser) {
  const page = await browser.newPage();
  // Listening before the page loads turns file-chooser interception on early:
  // started only at the key press, it can lose the race on a busy machine.
  const choosers = [];
  page.on('filechooser', (chooser) => choosers.push(chooser));
  await page.goto(roleUrl);
  const typed = {
    'f-name': ANSWERS.name,
    'f-email': 'grace.keyboard@example.com',
    'f-phone': ANSWERS.phone,
    'f-cover_letter': ANSWERS.cover_letter,
    'f-q_rust_years': ANSWERS.q_rust_years,
  };
  let sent = false;
  let visited = 0;
  for (let presses = 0; presses < 200 && !sent; presses++) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement;
      return { id: el.id, tag: el.tagName, type: el.type || '', name: el.name || '', value: el.value || '' };
    });
    // The drop zone's "Remove" button is a button too; only the submit button sends.
    const submit = focus.tag === 'BUTTON' && focus.type === 'submit';
    if (!focus.id.startsWith('f-') && !(submit && visited > 0)) continue;
    visited++;
    if (typed[focus.id] !== undefined) {
      await page.keyboard.type(typed[focus.id]);
    } else if (focus.id === 'f-resume') {
      await page.keyboard.press('Space');
      for (let waited = 0; choosers.length === 0 && waited < STEP_MS; waited += 50) await page.waitForTimeout(50);
      check(choosers.length === 1, 'keyboard: Space on the résumé field opened no file chooser');
      await choosers.pop().setFiles(goodPdf);
    } else if (focus.id === 'f-q_start') {
      await page.keyboard.type('In a');
    } else if (focus.id === 'f-consent' || (focus.name === 'q_langs' && focus.value === 'English')) {
      await page.keyboard.press('Space');
    } else if (submit) {
      await page.keyboard.press('Enter');
      sent = true;
    }
  }
  check(sent, 'keyboard: never reached the submit button');
  await page.waitForSelector('.apply-form__received', { timeout: STEP_MS });
  const heading = await page.textContent('.apply-form__received h3');
  check(/we have your application/.test(heading), `keyboard: unexpected confirmation: ${heading}`);
  check(await page.evaluate(() => document.activeElement.tagName === 'H3'), 'keyboard: the confirmation is not focused');
  await accessible(page, 'JS confirmation');
  await page.close();
  return visited;
}

async function withoutJs(browser) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(roleUrl);
  await fillForm(page, 'grace.nojs@example.com', badFile);
  const [errorPage] = await Promise.all([page.waitForNavigation({ timeout: STEP_MS }), page.click('.apply-form button[type=submit]')]);
  check(errorPage.status() === 422, `no JS: expected 422, got ${errorPage.status()}`);
  check(/PDF, DOC, DOCX or ODT/.test(await page.textContent('#error-summary')), 'no JS: no error summary');
  check(/choose the file again/.test(await page.textContent('#f-resume-help')), 'no JS: no note to attach the file again');
  await expectKept(page, 'grace.nojs@example.com', 'no JS');
  await accessibleWithoutJs(browser, page, 'no-JS error page');
  await page.setInputFiles('#f-resume', goodPdf);
  const [received] = await Promise.all([page.waitForNavigation({ timeout: STEP_MS }), page.click('.apply-form button[type=submit]')]);
  check(received.status() === 200, `no JS: expected 200, got ${received.status()}`);
  check(/we have your application/.test(await page.textContent('h1')), 'no JS: no "received" page');
  await accessibleWithoutJs(browser, page, 'no-JS received page', null);
  await context.close();
}

async function withoutJsSizes(browser) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(roleUrl);
  await fillForm(page, 'grace.big@example.com', overLimitPdf);
  const [tooBig] = await Promise.all([page.waitForNavigation({ timeout: STEP_MS }), page.click('.apply-form button[type=submit]')]);
  check(tooBig.status() === 422, `no JS, over the limit: expected 422, got ${tooBig.status()}`);
  check(/larger than 5 MB/.test(await page.textContent('#f-resume-error')), 'no JS, over the limit: no error at the résumé field');
  await expectKept(page, 'grace.big@example.com', 'no JS, over the limit');
  // Past the ceiling the server stops reading; the browser still shows its answer.
  await page.goto(roleUrl);
  await fillForm(page, 'grace.huge@example.com', pastCeilingPdf);
  const [refused] = await Promise.all([page.waitForNavigation({ timeout: STEP_MS }), page.click('.apply-form button[type=submit]')]);
  check(refused.status() === 413, `no JS, past the ceiling: expected 413, got ${refused.status()}`);
  check(/larger than 5 MB/.test(await page.textContent('body')), 'no JS, past the ceiling: the page does not say why');
  await context.close();
}

async function main() {
  const { chromium } = await import('playwright-core');
  const { readFile } = await import('node:fs/promises');
  const { createRequire } = await import('node:module');
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: STEP_MS });
  try {
    await withJsErrorInPlace(browser);
    const fields = await withJsKeyboardOnly(browser);
    await withoutJs(browser);
    await withoutJsSizes(browser);
    return { ok: true, keyboard_fields_visited: fields };
  } finally {
    await browser.close().catch(() => {});
  }
}

const watchdog = setTimeout(() => {
  process.stderr.write('apply_browser.mjs: timed out\n');
  process.exit(2);
}, STEP_MS * 10);
watchdog.unref();

main().then(
  (summary) => {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    process.exit(0);
  },
  (err) => {
    if (err instanceof Failure) {
      process.stderr.write(`FAIL: ${err.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`apply_browser.mjs: tool failure: ${err?.stack || err}\n`);
    process.exit(2);
  },
);
