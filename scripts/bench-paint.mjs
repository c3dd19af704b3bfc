#!/usr/bin/env node
// Paint timing of the web app in Chromium, for scripts/bench: First Contentful Paint and Largest
// Contentful Paint of some pages, unthrottled and on a slow phone (CPU 4x slower, "slow 4G": 150 ms
// latency, 1.6 Mbps down, 750 kbps up), each the median of fresh-context loads (empty cache).
//
//   node scripts/bench-paint.mjs --base http://127.0.0.1:18100 --path / --path '/papers/12=h1' [--runs 3]
//
// A path may carry `=<CSS selector>`: the element whose appearance means the page has its
// content (defaults below). The result is one JSON document on stdout; progress goes to stderr.
// Uses the Playwright package of e2e/ (never downloads a browser) and Debian's Chromium.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function usage(message) {
  if (message) console.error(`bench-paint: ${message}`);
  console.error(
    'usage: bench-paint.mjs --base URL --path PATH[=SELECTOR] [--path …] [--runs N] ' +
      '[--profiles unthrottled,throttled] [--timeout MS] [--chromium PATH]',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const options = {
    base: null,
    paths: [],
    runs: 3,
    profiles: ['unthrottled', 'throttled'],
    timeout: 60_000,
    chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${flag} needs a value`);
      return argv[++i];
    };
    if (flag === '--base') options.base = value().replace(/\/+$/, '');
    else if (flag === '--path') options.paths.push(value());
    else if (flag === '--runs') options.runs = Number(value());
    else if (flag === '--profiles') options.profiles = value().split(',').filter(Boolean);
    else if (flag === '--timeout') options.timeout = Number(value());
    else if (flag === '--chromium') options.chromium = value();
    else if (flag === '--help' || flag === '-h') usage();
    else usage(`unknown argument ${flag}`);
  }
  if (!options.base) usage('--base is required');
  if (options.paths.length === 0) options.paths.push('/');
  if (!(options.runs >= 1)) usage('--runs must be at least 1');
  for (const p of options.profiles) if (!(p in PROFILES)) usage(`unknown profile ${p}`);
  return options;
}

// What "the page has its content" means, by route, when the caller names no selector.
function defaultSelector(route) {
  if (route === '/') return '[data-testid="feed-item"], [data-testid="summary"]';
  return 'h1';
}

const PROFILES = {
  unthrottled: null,
  // Lighthouse's "slow 4G" on a mid-range phone.
  throttled: {
    cpu: 4,
    network: { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 93_750 },
  },
};

function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

// Runs in the page: the paint entries (buffered, so those from before this call count too),
// navigation timing and bytes transferred.
function collectInPage() {
  return new Promise((resolve) => {
    const out = { fcp: null, lcp: null, lcpSize: null, lcpElement: null };
    const describe = (el) => {
      if (!el) return null;
      let s = el.tagName.toLowerCase();
      if (el.id) s += `#${el.id}`;
      const testId = el.getAttribute && el.getAttribute('data-testid');
      if (testId) s += `[data-testid="${testId}"]`;
      else if (el.classList && el.classList.length) s += `.${[...el.classList].slice(0, 2).join('.')}`;
      return s;
    };
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') out.fcp = e.startTime;
      }).observe({ type: 'paint', buffered: true });
    } catch (e) {
      out.error = `paint observer: ${e}`;
    }
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          out.lcp = e.startTime;
          out.lcpSize = e.size;
          out.lcpElement = describe(e.element) ?? (e.url || null);
        }
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    } catch (e) {
      out.error = `lcp observer: ${e}`;
    }
    const nav = performance.getEntriesByType('navigation')[0];
    if (nav) {
      out.ttfb = nav.responseStart;
      out.domContentLoaded = nav.domContentLoadedEventEnd;
      out.load = nav.loadEventEnd;
    }
    let transferred = nav ? nav.transferSize || 0 : 0;
    for (const r of performance.getEntriesByType('resource')) transferred += r.transferSize || 0;
    out.transferred = transferred;
    // Buffered entries are delivered in a task of their own.
    setTimeout(() => resolve(out), 50);
  });
}

async function loadOnce(browser, url, selector, profile, timeout) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    const cdp = await context.newCDPSession(page);
    const throttle = PROFILES[profile];
    if (throttle) {
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', throttle.network);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle.cpu });
    }
    const started = Date.now();
    const response = await page.goto(url, { waitUntil: 'load', timeout });
    let ready = null;
    try {
      await page.waitForSelector(selector, { state: 'visible', timeout });
      ready = await page.evaluate(() => performance.now());
    } catch {
      errors.push(`the page never showed ${selector}`);
    }
    // Late fonts and images may still move the LCP: let the network settle first.
    await page.waitForLoadState('networkidle', { timeout: 15_000 }).catch(() => {});
    await page.waitForTimeout(250);
    const m = await page.evaluate(collectInPage);
    return { status: response ? response.status() : null, ready, wall: Date.now() - started, errors, ...m };
  } finally {
    await context.close();
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const require = createRequire(path.join(root, 'e2e', 'package.json'));
  let chromium;
  try {
    ({ chromium } = require('playwright'));
  } catch {
    console.error('bench-paint: the playwright package is not installed in e2e/ (cd e2e && npm ci)');
    process.exit(3);
  }
  const browser = await chromium.launch({
    executablePath: options.chromium,
    headless: true,
    args: [
      '--no-sandbox',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const version = browser.version();
  const results = [];
  try {
    for (const spec of options.paths) {
      const eq = spec.indexOf('=');
      const route = eq >= 0 ? spec.slice(0, eq) : spec;
      const selector = eq >= 0 ? spec.slice(eq + 1) : defaultSelector(route);
      for (const profile of options.profiles) {
        const runs = [];
        for (let i = 0; i < options.runs; i++) {
          const run = await loadOnce(browser, options.base + route, selector, profile, options.timeout);
          console.error(
            `bench-paint: ${route} ${profile} #${i + 1}: FCP ${fmt(run.fcp)} LCP ${fmt(run.lcp)} ` +
              `(ready ${fmt(run.ready)}, ${run.transferred} bytes)${run.errors.length ? ` ${run.errors.join('; ')}` : ''}`,
          );
          runs.push(run);
        }
        results.push({
          path: route,
          selector,
          profile,
          fcp_ms: median(runs.map((r) => r.fcp)),
          lcp_ms: median(runs.map((r) => r.lcp)),
          ready_ms: median(runs.map((r) => r.ready)),
          transferred_bytes: median(runs.map((r) => r.transferred)),
          runs,
        });
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(
    `${JSON.stringify({ browser: version, runs: options.runs, profiles: PROFILES, results }, null, 1)}\n`,
  );
}

function fmt(ms) {
  return typeof ms === 'number' ? `${Math.round(ms)} ms` : 'n/a';
}

main().catch((e) => {
  console.error(`bench-paint: ${e.stack || e}`);
  process.exit(1);
});
