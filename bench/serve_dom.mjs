#!/usr/bin/env node
// Save -> browser DOM updated, for any dev server with live reload: opens PAGE_URL
// in Debian's Chromium, then N times appends a unique marker paragraph to FILE and
// times until the marker is in the open page's DOM. Prints one JSON line of ms.
// Usage: node bench/serve_dom.mjs PAGE_URL FILE N
import { readFile, writeFile } from 'node:fs/promises';

const [url, file, n] = [process.argv[2], process.argv[3], Number(process.argv[4] || 30)];
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const times = [];
let missed = 0;
try {
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: 'load', timeout: 60000 });
  await page.waitForTimeout(1000);
  const original = await readFile(file, 'utf8');
  for (let i = 0; i < n; i++) {
    const marker = `dommarker${Date.now()}x${i}`;
    const started = performance.now();
    await writeFile(file, `${original}\n\n${marker}\n`);
    // Polled every 5 ms rather than on animation frames: a headless page that
    // is not painting may run no frames at all, which left edits never seen.
    try {
      await page.waitForFunction((m) => document.body && document.body.innerHTML.includes(m), marker, { timeout: 30000, polling: 5 });
      times.push(performance.now() - started);
    } catch (e) {
      process.stderr.write(`edit ${i}: marker not in the DOM within 30 s (${e.message.split('\n')[0]})\n`);
      missed += 1;
    }
    await page.waitForTimeout(300);
  }
  await writeFile(file, original);
} finally {
  await browser.close();
}
if (missed) process.stderr.write(`${missed} of ${n} edits never reached the DOM\n`);
process.stdout.write(`${JSON.stringify(times)}\n`);
