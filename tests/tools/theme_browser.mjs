#!/usr/bin/env node
// The default theme in Debian's Chromium (via playwright-core), as a candidate
// on a phone and on a laptop sees it, against a built site served over HTTP:
//
//   1. At 390x844, with and without JavaScript: the first role is on the first
//      screen (the filters wait behind a "Filters" button) and the navigation
//      is one line. At 1280x900 the filters stand beside the list.
//   2. The filter status line always says what the list shows, at every key;
//      the live region speaks once per pause, not per key.
//   3. The "Filters" button counts the active filters; "Newest first" lists
//      the roles by date in one list, lives in the URL and can be undone.
//   4. The résumé drop zone takes a dropped file, shows its name and size,
//      removes it again; a file dropped beside it does not leave the page.
//      Without JavaScript the field is the plain file input.
//   5. Footnotes link to their note and back.
//
// Usage: node tests/tools/theme_browser.mjs BASE_URL ROLE_PATH
//   (ROLE_PATH: a role with footnotes and an application form, e.g. jobs/x/)
// Exit 0 when every step passed, 1 when one failed (each failure is printed),
// 2 when the tool itself failed. Environment: CHROMIUM_PATH (default
// /usr/bin/chromium), THEME_TIMEOUT_MS (per step, default 20000).

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const STEP_MS = Number(process.env.THEME_TIMEOUT_MS || 20000);
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 900 };

const [base, rolePath] = process.argv.slice(2);
if (!base || !rolePath) {
  process.stderr.write('usage: node tests/tools/theme_browser.mjs BASE_URL ROLE_PATH\n');
  process.exit(2);
}
const roleUrl = new URL(rolePath, base).href;

class Failure extends Error {}
function check(condition, what) {
  if (!condition) throw new Failure(what);
}

const watchdog = setTimeout(() => {
  process.stderr.write('theme_browser.mjs: timed out\n');
  process.exit(2);
}, STEP_MS * 12);
watchdog.unref();

const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: STEP_MS });
const failures = [];

async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    process.stderr.write(`ok   ${name} (${Date.now() - started} ms)\n`);
  } catch (e) {
    if (!(e instanceof Failure)) throw e;
    failures.push(`${name}: ${e.message}`);
    process.stderr.write(`FAIL ${name}: ${e.message}\n`);
  }
}

async function open(url, viewport, javaScriptEnabled = true) {
  const context = await browser.newContext({ viewport, javaScriptEnabled });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url, { waitUntil: 'load' });
  return { page, context, errors };
}

// What the listing shows: the visible cards' titles and the status line.
const seen = (page) =>
  page.evaluate(() => ({
    titles: [...document.querySelectorAll('[data-job]')]
      .filter((job) => job.getClientRects().length > 0)
      .map((job) => job.querySelector('.job-card__title a').textContent.trim()),
    status: document.querySelector('[data-filter-status]').textContent.trim(),
    empty: !document.querySelector('[data-filter-empty]').hidden,
  }));

function statusFor(n, filtered) {
  if (!filtered && n !== 1) return `Showing all ${n} roles`;
  if (n === 0) return 'No roles match';
  return n === 1 ? '1 role matches' : `${n} roles match`;
}

try {
  for (const js of [true, false]) {
    const how = js ? 'with JavaScript' : 'without JavaScript';
    await step(`phone, ${how}: the first role is on the first screen and the navigation is one line`, async () => {
      const { page, context, errors } = await open(base, PHONE, js);
      const r = await page.evaluate(() => {
        const items = [...document.querySelectorAll('.site-nav li')].filter((li) => li.getClientRects().length);
        return {
          cardTop: document.querySelector('.job-card').getBoundingClientRect().top,
          navLines: new Set(items.map((li) => Math.round(li.getBoundingClientRect().top))).size,
          navItems: items.length,
          pageWidth: document.documentElement.scrollWidth,
          panelOpen: document.querySelector('[data-filter-panel]').open,
          toggle: document.querySelector('.filter-panel__toggle').getBoundingClientRect().height,
        };
      });
      check(r.cardTop >= 0 && r.cardTop < PHONE.height - 120, `the first role card starts at ${Math.round(r.cardTop)} px of ${PHONE.height}`);
      check(r.navItems > 1 && r.navLines === 1, `the navigation takes ${r.navLines} lines`);
      check(r.pageWidth <= PHONE.width, `the page is ${r.pageWidth} px wide, wider than the screen`);
      check(!r.panelOpen && r.toggle >= 44, 'the filters are not behind a closed "Filters" button');
      await page.click('.filter-panel__toggle');
      const shown = await page.isVisible(js ? '[data-filter-form]' : '[data-browse]');
      check(shown, `the "Filters" button does not show the ${js ? 'filter form' : 'department and location links'}`);
      check(errors.length === 0, `errors on the page: ${errors.join('; ')}`);
      await context.close();
    });

    await step(`laptop, ${how}: the filters stand beside the list`, async () => {
      const { page, context } = await open(base, LAPTOP, js);
      const r = await page.evaluate((js) => {
        const box = (sel) => document.querySelector(sel).getBoundingClientRect();
        const filters = box(js ? '[data-filter-form]' : '[data-browse]');
        return {
          toggle: document.querySelector('.filter-panel__toggle').getClientRects().length,
          filters: filters.height,
          beside: filters.right <= box('.board__list').left,
        };
      }, js);
      check(r.toggle === 0, 'the "Filters" button is shown beside the list');
      check(r.filters > 100 && r.beside, 'the filters are not shown beside the list');
      await context.close();
    });
  }

  await step('the status line says what the list shows at every key; the live region speaks once per pause', async () => {
    const { page, context } = await open(base, LAPTOP);
    const all = (await seen(page)).titles.length;
    check((await seen(page)).status === statusFor(all, false), `on load: ${(await seen(page)).status}`);
    await page.evaluate(() => {
      window.__spoken = [];
      const live = document.querySelector('[data-filter-announce]');
      new MutationObserver(() => window.__spoken.push(live.textContent.trim())).observe(live, { childList: true, characterData: true, subtree: true });
    });
    await page.focus('#filter-q');
    for (const key of 'metering') {
      await page.keyboard.type(key);
      const now = await seen(page);
      check(now.status === statusFor(now.titles.length, true), `after "${key}": "${now.status}" beside ${now.titles.length} roles`);
      await page.waitForTimeout(60);
    }
    await page.waitForTimeout(1200);
    let spoken = await page.evaluate(() => window.__spoken);
    const shown = await seen(page);
    check(spoken.length === 1, `typing one word was announced ${spoken.length} times: ${JSON.stringify(spoken)}`);
    check(spoken[0] === shown.status, `announced "${spoken[0]}", the line says "${shown.status}"`);
    await page.keyboard.type('zzz');
    const none = await seen(page);
    check(none.titles.length === 0 && none.empty, 'no role matches "meteringzzz" and the empty state is not shown');
    check(none.status === 'No roles match', `the status line lags the list: "${none.status}" beside "No roles match these filters"`);
    await page.waitForTimeout(1200);
    await page.click('[data-filter-empty] [data-filter-reset]');
    await page.waitForTimeout(600);
    await page.selectOption('#filter-workplace', 'remote');
    await page.waitForTimeout(600);
    spoken = await page.evaluate(() => window.__spoken);
    const remote = await seen(page);
    const want = [shown.status, 'No roles match', statusFor(all, false), remote.status];
    check(spoken.join('|') === want.join('|'), `announced ${JSON.stringify(spoken)}, not once per change ${JSON.stringify(want)}`);
    await context.close();
  });

  await step('the Filters button counts active filters; "Newest first" sorts by date and lives in the URL', async () => {
    const { page, context } = await open(base, PHONE);
    const byDepartment = (await seen(page)).titles;
    const count = () => page.evaluate(() => {
      const c = document.querySelector('[data-filter-count]');
      return c.hidden ? '' : c.textContent.trim();
    });
    check((await count()) === '', 'a count of active filters is shown before any filter is set');
    await page.click('.filter-panel__toggle');
    await page.selectOption('#filter-workplace', 'hybrid');
    await page.fill('#filter-q', 'engineer');
    check((await count()) === '2 active', `the button says "${await count()}" with two filters set`);
    await page.fill('#filter-q', '');
    await page.selectOption('#filter-workplace', '');
    await page.selectOption('#filter-sort', 'newest');
    const dates = await page.evaluate(() => [...document.querySelectorAll('[data-job]')]
      .filter((job) => job.getClientRects().length > 0).map((job) => job.dataset.posted));
    check(dates.length === byDepartment.length, `newest first shows ${dates.length} of ${byDepartment.length} roles`);
    check(dates.every((d, i) => i === 0 || dates[i - 1] >= d), `not newest first: ${dates.join(', ')}`);
    check(new URL(page.url()).searchParams.get('sort') === 'newest', `the sort is not in the URL: ${page.url()}`);
    check((await count()) === '', 'sorting counts as a filter');
    const headings = await page.evaluate(() => [...document.querySelectorAll('.dept')]
      .filter((d) => d.getClientRects().length > 0).map((d) => d.querySelector('h2').textContent.trim()));
    check(headings.length === 1 && headings[0] === 'Roles, newest first', `headings while sorted: ${headings.join(' | ')}`);
    await page.reload({ waitUntil: 'load' });
    const reloaded = await page.evaluate(() => [...document.querySelectorAll('[data-job]')].map((job) => job.dataset.posted));
    check(reloaded.join() === dates.join(), 'the sorted view does not survive a reload');
    await page.click('.filter-panel__toggle');
    await page.selectOption('#filter-sort', '');
    check((await seen(page)).titles.join() === byDepartment.join(), 'the department order does not come back');
    await context.close();
  });

  await step('the résumé drop zone takes a dropped file, shows it and removes it', async () => {
    const { page, context, errors } = await open(roleUrl, PHONE);
    check(await page.isVisible('.dropzone__area'), 'no drop zone on the role page');
    check(await page.evaluate(() => document.querySelector('.dropzone__area #f-resume') !== null), 'the file input is not the drop zone\'s control');
    const dropped = await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['%PDF-1.4\n'.repeat(200)], 'grace-hopper-cv.pdf', { type: 'application/pdf' }));
      const area = document.querySelector('.dropzone__area');
      for (const type of ['dragenter', 'dragover', 'drop']) {
        area.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
      return document.getElementById('f-resume').files.length;
    });
    check(dropped === 1, 'the dropped file did not reach the file input');
    const shown = await page.textContent('.dropzone__name');
    check(/grace-hopper-cv\.pdf\s+2 KB/.test(shown), `the chosen file is shown as "${shown}"`);
    const said = await page.textContent('.dropzone [role=status]');
    check(said === 'grace-hopper-cv.pdf (2 KB) attached', `a screen reader is told "${said}"`);
    check(/Remove\s+grace-hopper-cv\.pdf/.test(await page.textContent('.dropzone__remove')), 'the remove button does not name the file');
    await page.click('.dropzone__remove');
    const after = await page.evaluate(() => ({
      files: document.getElementById('f-resume').files.length,
      row: document.querySelector('.dropzone__file').hidden,
      focus: document.activeElement.id,
      said: document.querySelector('.dropzone [role=status]').textContent,
    }));
    check(after.files === 0 && after.row, 'the file was not removed');
    check(after.focus === 'f-resume', `focus went to #${after.focus}, not back to the file input`);
    check(after.said === 'No file attached', `a screen reader is told "${after.said}" after removing`);
    const kept = await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['x'], 'stray.pdf', { type: 'application/pdf' }));
      const drop = new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true });
      document.querySelector('h1').dispatchEvent(drop);
      return drop.defaultPrevented;
    });
    check(kept, 'a file dropped beside the zone would make the browser leave the form');
    const chooser = page.waitForEvent('filechooser', { timeout: STEP_MS });
    await page.focus('#f-resume');
    await page.keyboard.press('Space');
    await (await chooser).setFiles({ name: 'cv.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n') });
    check(/cv\.pdf/.test(await page.textContent('.dropzone__name')), 'a file chosen with the keyboard is not shown');
    check(errors.length === 0, `errors on the page: ${errors.join('; ')}`);
    await context.close();

    const plain = await open(roleUrl, PHONE, false);
    check(await plain.page.isVisible('input#f-resume[type=file]'), 'without JavaScript the file input is not shown');
    check((await plain.page.$('.dropzone')) === null, 'without JavaScript there is a drop zone');
    await plain.context.close();
  });

  await step('footnotes link to their note and back', async () => {
    const { page, context } = await open(roleUrl, PHONE, false);
    const ref = page.locator('.footnote-ref a').first();
    const target = await ref.getAttribute('href');
    await ref.click();
    check(new URL(page.url()).hash === target, `the reference went to ${page.url()}`);
    await page.locator(`${target} .footnote-back`).first().click();
    check(new URL(page.url()).hash === `#${await ref.getAttribute('id')}`, `the link back went to ${page.url()}`);
    await context.close();
  });
} catch (e) {
  process.stderr.write(`theme_browser.mjs: tool failure: ${e?.stack || e}\n`);
  await browser.close().catch(() => {});
  process.exit(2);
}
await browser.close().catch(() => {});
process.stdout.write(`${JSON.stringify({ ok: failures.length === 0, failures })}\n`);
process.exit(failures.length === 0 ? 0 : 1);
