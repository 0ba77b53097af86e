#!/usr/bin/env node
// Accessibility check: open pages in Debian's Chromium (via playwright-core),
// inject axe-core, run the WCAG 2.0/2.1/2.2 A and AA rules, print a JSON summary.
//
// Usage:
//   node tests/tools/axe.mjs [--map PREFIX=DIR]... URL|PATH...
//
//   URL      file://, http:// or https:// URL. A plain path is turned into a file:// URL.
//   --map    Serve every request whose URL starts with PREFIX from the local
//            directory DIR (no server needed). Lets a built site be checked
//            under its real base_url, so root-relative and absolute links to
//            CSS, images and pages resolve, e.g.
//              --map https://acme.example/careers/=/tmp/site/public
//
// Output (stdout): JSON array, one entry per page:
//   {url, violations: [{id, impact, help, nodes: [target, ...]}], failed_requests: [...]}
// Exit codes: 0 no serious/critical violation, 1 at least one serious or
// critical violation, 2 the tool itself failed (browser, page load, timeout).
//
// Environment: CHROMIUM_PATH (default /usr/bin/chromium), AXE_TIMEOUT_MS
// (per step, default 30000), AXE_TOTAL_TIMEOUT_MS (whole run, default 300000).

import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const STEP_TIMEOUT_MS = Number(process.env.AXE_TIMEOUT_MS || 30000);
const TOTAL_TIMEOUT_MS = Number(process.env.AXE_TOTAL_TIMEOUT_MS || 300000);
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const FAILING_IMPACTS = new Set(['serious', 'critical']);
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

class ToolError extends Error {}

function usage(message) {
  if (message) process.stderr.write(`axe.mjs: ${message}\n`);
  process.stderr.write('usage: node tests/tools/axe.mjs [--map PREFIX=DIR]... URL|PATH...\n');
  process.exit(2);
}

function parseArgs(argv) {
  const urls = [];
  const maps = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') usage();
    if (arg === '--map' || arg.startsWith('--map=')) {
      const value = arg === '--map' ? argv[++i] : arg.slice('--map='.length);
      const eq = value ? value.indexOf('=', value.indexOf('://') + 3) : -1;
      if (!value || eq < 0) usage(`--map needs PREFIX=DIR, got ${value}`);
      maps.push({ prefix: value.slice(0, eq), dir: path.resolve(value.slice(eq + 1)) });
    } else if (arg.startsWith('--')) {
      usage(`unknown option ${arg}`);
    } else if (/^(file|https?):\/\//.test(arg)) {
      urls.push(arg);
    } else {
      urls.push(pathToFileURL(path.resolve(arg)).href);
    }
  }
  if (urls.length === 0) usage('no URL given');
  return { urls, maps };
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new ToolError(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function serveMapped(route, url, map) {
  let rel = decodeURIComponent(new URL(url).pathname.slice(new URL(map.prefix).pathname.length));
  let file = path.join(map.dir, rel);
  if (!file.startsWith(map.dir)) return route.fulfill({ status: 403, body: 'outside mapped dir' });
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
    const body = await readFile(file);
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
    return route.fulfill({ status: 200, body, headers: { 'content-type': type } });
  } catch {
    return route.fulfill({ status: 404, body: `not found: ${file}`, headers: { 'content-type': 'text/plain' } });
  }
}

function isLocal(url) {
  if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:')) return true;
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
  } catch {
    return false;
  }
}

async function checkPage(context, axeSource, url) {
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  page.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  const failedRequests = [];
  page.on('requestfailed', (req) => failedRequests.push(`${req.url()} (${req.failure()?.errorText ?? 'failed'})`));
  page.on('response', (res) => {
    if (res.status() >= 400 && res.url() !== url) failedRequests.push(`${res.url()} (HTTP ${res.status()})`);
  });
  try {
    const response = await withTimeout(page.goto(url, { waitUntil: 'load' }), STEP_TIMEOUT_MS + 1000, `load ${url}`);
    if (response && response.status() >= 400) throw new ToolError(`HTTP ${response.status()} for ${url}`);
    await withTimeout(page.addScriptTag({ content: axeSource }), STEP_TIMEOUT_MS, `inject axe-core into ${url}`);
    const results = await withTimeout(
      page.evaluate(
        (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
        WCAG_TAGS,
      ),
      STEP_TIMEOUT_MS * 2,
      `axe.run on ${url}`,
    );
    return {
      url,
      violations: results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' ')),
      })),
      failed_requests: failedRequests,
    };
  } finally {
    await page.close().catch(() => {});
  }
}

async function main() {
  const { urls, maps } = parseArgs(process.argv.slice(2));
  let playwright;
  let axeSource;
  try {
    playwright = await import('playwright-core');
    axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  } catch (e) {
    throw new ToolError(`node packages missing (run scripts/test.sh, or npm ci): ${e.message}`);
  }
  try {
    await stat(CHROMIUM_PATH);
  } catch {
    throw new ToolError(`no Chromium at ${CHROMIUM_PATH} (run scripts/test.sh, or apt-get install chromium)`);
  }

  // launch() gives the browser a fresh temporary profile (user data dir) and removes it on close.
  const browser = await withTimeout(
    playwright.chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: STEP_TIMEOUT_MS,
    }),
    STEP_TIMEOUT_MS + 5000,
    `launch ${CHROMIUM_PATH}`,
  );
  try {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    // Serve mapped prefixes from disk; never let a page reach the network.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      const map = maps.find((m) => url.startsWith(m.prefix));
      if (map) return serveMapped(route, url, map);
      if (isLocal(url)) return route.continue();
      return route.abort('blockedbyclient');
    });
    const reports = [];
    for (const url of urls) reports.push(await checkPage(context, axeSource, url));
    return reports;
  } finally {
    await withTimeout(browser.close(), 10000, 'close browser').catch(() => {});
  }
}

const watchdog = setTimeout(() => {
  process.stderr.write(`axe.mjs: whole run timed out after ${TOTAL_TIMEOUT_MS} ms\n`);
  process.exit(2);
}, TOTAL_TIMEOUT_MS);
watchdog.unref();

main().then(
  (reports) => {
    process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
    let failing = 0;
    for (const r of reports) {
      for (const v of r.violations) {
        const bad = FAILING_IMPACTS.has(v.impact);
        if (bad) failing++;
        process.stderr.write(`${bad ? 'FAIL' : 'note'} ${r.url}: ${v.id} (${v.impact}) ${v.help} [${v.nodes.length} node(s)]\n`);
      }
      for (const f of r.failed_requests) process.stderr.write(`warn ${r.url}: request failed: ${f}\n`);
    }
    process.stderr.write(`axe: ${reports.length} page(s), ${failing} serious/critical violation(s)\n`);
    process.exit(failing > 0 ? 1 : 0);
  },
  (err) => {
    process.stderr.write(`axe.mjs: ${err instanceof ToolError ? err.message : `tool failure: ${err?.stack || err}`}\n`);
    process.exit(2);
  },
);
