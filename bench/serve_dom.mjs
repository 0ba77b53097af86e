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
try {
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: 'load', timeout: 60000 });
  await page.waitForTimeout(1000);
  const original = await readFile(file, 'utf8');
  for (let i = 0; i < n; i++) {
    const marker = `dommarker${Date.now()}x${i}`;
    const started = performance.now();
    await writeFile(file, `${original}\n\n${marker}\n`);
    await page.waitForFunction((m) => document.body && document.body.innerHTML.includes(m), marker, { timeout: 30000, polling: 'raf' });
    times.push(performance.now() - started);
    await page.waitForTimeout(300);
  }
  await writeFile(file, original);
} finally {
  await browser.close();
}
process.stdout.write(`${JSON.stringify(times)}\n`);
