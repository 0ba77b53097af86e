#!/usr/bin/env node
// A German candidate on a German role page, in Debian's Chromium (through
// playwright-core), against a running `openings serve`:
//
//   1. JavaScript off: a résumé of the wrong type comes back as a German 422
//      page (<html lang="de">, the German error summary and field error) with
//      every answer kept, the translated option still chosen; attaching a PDF
//      and sending again shows the German "received" page.
//   2. JavaScript off: a résumé over the size limit comes back as the German
//      422 page with the German size error at the résumé field, answers kept.
//   3. JavaScript on: the wrong type is answered in place, in German.
//
// Usage: node tests/tools/languages_browser.mjs ROLE_URL GOOD_PDF BAD_FILE OVER_LIMIT_PDF
// Exit 0 when every step passed, 1 when one failed (the message says which),
// 2 when the tool itself failed. Environment: CHROMIUM_PATH (default
// /usr/bin/chromium), APPLY_TIMEOUT_MS (per step, default 20000).

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const STEP_MS = Number(process.env.APPLY_TIMEOUT_MS || 20000);
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'];

class Failure extends Error {}

function check(condition, what) {
  if (!condition) throw new Failure(what);
}

const [roleUrl, goodPdf, badFile, overLimitPdf] = process.argv.slice(2);
if (!roleUrl || !goodPdf || !badFile || !overLimitPdf) {
  process.stderr.write('usage: node tests/tools/languages_browser.mjs ROLE_URL GOOD_PDF BAD_FILE OVER_LIMIT_PDF\n');
  process.exit(2);
}

// Theme strings of themes/default/i18n/de.toml the pages must show.
const GERMAN = {
  summary: 'Bei Ihrer Bewerbung gibt es ein Problem',
  fileType: 'Hängen Sie eine PDF-, DOC-, DOCX- oder ODT-Datei an',
  received: 'Ihre Bewerbung ist bei uns eingegangen',
  tooLarge: 'Die Datei ist größer als 10 MB.',
};

async function fill(page, email, file) {
  await page.fill('#f-name', 'Ada Lovelace');
  await page.fill('#f-email', email);
  await page.fill('#f-q_rust_years', '4');
  // The German label, whose value is the original's answer.
  await page.selectOption('#f-q_notice', { label: 'Ein Monat' });
  await page.check('#f-consent');
  await page.setInputFiles('#f-resume', file);
}

async function expectKept(page, email, where) {
  check((await page.inputValue('#f-name')) === 'Ada Lovelace', `${where}: the name was not kept`);
  check((await page.inputValue('#f-email')) === email, `${where}: the email was not kept`);
  check((await page.inputValue('#f-q_rust_years')) === '4', `${where}: the number was not kept`);
  check((await page.inputValue('#f-q_notice')) === 'One month', `${where}: the choice was not kept`);
  check(await page.isChecked('#f-consent'), `${where}: consent was not kept`);
}

async function withoutJs(browser) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(roleUrl);
  check((await page.getAttribute('html', 'lang')) === 'de', 'no JS: the role page is not German');
  await fill(page, 'ada.nojs@example.com', badFile);
  const [error] = await Promise.all([page.waitForNavigation({ timeout: STEP_MS }), page.click('.apply-form button[type=submit]')]);
  check(error.status() === 422, `no JS: expected 422, got ${error.status()}`);
  check((await page.getAttribute('html', 'lang')) === 'de', 'no JS: the error page is not German');
  const summary = await page.textContent('#error-summary');
  check(summary.includes(GERMAN.summary), `no JS: the error summary is not German: ${summary}`);
  const field = await page.textContent('#f-resume-error');
  check(field.includes(GERMAN.fileType), `no JS: the résumé error is not German: ${field}`);
  check((await page.textContent('h1')).includes('Backend-Entwickler*in'), 'no JS: the error page is not the German role page');
  await expectKept(page, 'ada.nojs@example.com', 'no JS');
  await page.setInputFiles('#f-resume', goodPdf);
  const [received] = await Promise.all([page.waitForNavigation({ timeout: STEP_MS }), page.click('.apply-form button[type=submit]')]);
  check(received.status() === 200, `no JS: expected 200, got ${received.status()}`);
  check((await page.getAttribute('html', 'lang')) === 'de', 'no JS: the received page is not German');
  const heading = await page.textContent('h1');
  check(heading.includes(GERMAN.received), `no JS: no German "received" page: ${heading}`);
  await context.close();
}

async function withoutJsOverTheLimit(browser) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(roleUrl);
  await fill(page, 'ada.big@example.com', overLimitPdf);
  const [error] = await Promise.all([page.waitForNavigation({ timeout: STEP_MS }), page.click('.apply-form button[type=submit]')]);
  check(error.status() === 422, `no JS, over the limit: expected 422, got ${error.status()}`);
  check((await page.getAttribute('html', 'lang')) === 'de', 'no JS, over the limit: the page is not German');
  const field = await page.textContent('#f-resume-error');
  check(field.includes(GERMAN.tooLarge), `no JS, over the limit: no German size error: ${field}`);
  await expectKept(page, 'ada.big@example.com', 'no JS, over the limit');
  await context.close();
}

async function withJs(browser) {
  const page = await browser.newPage();
  await page.goto(roleUrl);
  await fill(page, 'ada.js@example.com', badFile);
  await page.click('.apply-form button[type=submit]');
  await page.waitForSelector('#f-resume-error', { timeout: STEP_MS });
  const field = await page.textContent('#f-resume-error');
  check(field.includes(GERMAN.fileType), `JS: the résumé error is not German: ${field}`);
  check(page.url() === roleUrl, 'JS: the page navigated away on an error');
  await expectKept(page, 'ada.js@example.com', 'JS');
  await page.close();
}

async function main() {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: STEP_MS });
  try {
    await withoutJs(browser);
    await withoutJsOverTheLimit(browser);
    await withJs(browser);
    return { ok: true };
  } finally {
    await browser.close().catch(() => {});
  }
}

const watchdog = setTimeout(() => {
  process.stderr.write('languages_browser.mjs: timed out\n');
  process.exit(2);
}, STEP_MS * 6);
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
    process.stderr.write(`languages_browser.mjs: tool failure: ${err?.stack || err}\n`);
    process.exit(2);
  },
);
