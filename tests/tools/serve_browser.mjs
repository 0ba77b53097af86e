#!/usr/bin/env node
// Live reload in a real browser: opens a role page served by `openings serve`
// in Debian's Chromium (playwright-core), edits the site's files the way a user
// does, and checks what the page does, without ever navigating:
//   1. the posting's title changes -> the heading changes in place;
//   2. the stylesheet changes -> the new style applies, the page is not reloaded;
//   3. the posting breaks -> the error overlay appears; the fix removes it.
// A marker set on `window` at the start must survive all of it.
//
// Usage: node tests/tools/serve_browser.mjs PAGE_URL SITE_ROOT POSTING_PATH THEME_CSS
// Exit 0 when every step passed, 1 when one failed, 2 when the tool failed.

import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const [pageUrl, root, posting, themeCss] = process.argv.slice(2);
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const STEP_MS = 15000;
const watchdog = setTimeout(() => {
  process.stderr.write('serve_browser.mjs: timed out after 120 s\n');
  process.exit(2);
}, 120000);
watchdog.unref();

const { chromium } = await import('playwright-core');
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  headless: true,
  timeout: STEP_MS,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const failures = [];
const step = async (name, fn) => {
  const started = Date.now();
  try {
    await fn();
    process.stderr.write(`ok   ${name} (${Date.now() - started} ms)\n`);
  } catch (e) {
    failures.push(`${name}: ${e.message}`);
    process.stderr.write(`FAIL ${name}: ${e.message}\n`);
  }
};
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(STEP_MS);
  let navigations = 0;
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations++; });
  await page.goto(pageUrl, { waitUntil: 'load' });
  await page.evaluate(() => { window.__openingsMarker = 'kept'; });
  await page.waitForFunction(() => document.querySelector('script[src="/__openings/live.js"]'));
  // Let the event stream connect before the first edit.
  await page.waitForTimeout(300);
  const startNavigations = navigations;
  const marker = async () => {
    const m = await page.evaluate(() => window.__openingsMarker);
    if (m !== 'kept' || navigations !== startNavigations) throw new Error(`the page was reloaded (marker ${m}, ${navigations - startNavigations} navigations)`);
  };
  const file = path.join(root, posting);
  const original = await readFile(file, 'utf8');

  await step('an edited posting updates the page in place', async () => {
    await writeFile(file, original.replace('title = "Backend Engineer"', 'title = "Backend Engineer (Live)"'));
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Backend Engineer (Live)');
    await marker();
  });

  await step('a stylesheet change applies without a reload', async () => {
    const css = await readFile(themeCss, 'utf8');
    await writeFile(path.join(root, 'static/style.css'), `${css}\nh1 { color: rgb(1, 2, 3) !important; }\n`);
    await page.waitForFunction(() => getComputedStyle(document.querySelector('h1')).color === 'rgb(1, 2, 3)');
    await marker();
  });

  await step('a broken posting shows the overlay and the fix removes it', async () => {
    await writeFile(file, original.replace('department = "Engineering"', 'departmnt = "Engineering"'));
    await page.waitForFunction(() => document.getElementById('openings-overlay')?.textContent.includes('departmnt'));
    const text = await page.evaluate(() => document.getElementById('openings-overlay').textContent);
    if (!text.includes('content/jobs/backend-engineer.md:3:1')) throw new Error(`overlay lacks file:line:col: ${text}`);
    await writeFile(file, original);
    await page.waitForFunction(() => !document.getElementById('openings-overlay') && document.querySelector('h1')?.textContent === 'Backend Engineer');
    await marker();
  });
} finally {
  await browser.close().catch(() => {});
}
process.stderr.write(`serve_browser: ${3 - failures.length} passed, ${failures.length} failed\n`);
process.exit(failures.length ? 1 : 0);
