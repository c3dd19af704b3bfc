import { defineConfig } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { moderator } from './moderator';

// The release server binary, serving the release web app (dist/) with the demo data, on a
// temporary SQLite file and a port of its own. Build both first: ./scripts/test does.
const root = path.resolve(__dirname, '..');
const server = path.join(root, 'target', 'release', 'shortscience');
const port = Number(process.env.E2E_PORT ?? 18080);
const upstreamPort = Number(process.env.FAKE_UPSTREAM_PORT ?? 18081);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shortscience-e2e-'));

// Debian's Chromium; Playwright never downloads a browser here.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './tests',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  timeout: 30_000,
  // Two cores shared by the server and the browsers: give pages a little more time to load.
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: './test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'desktop', use: { viewport: { width: 1280, height: 900 } } },
    { name: 'phone', use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
  ],
  webServer: [
    {
      // arXiv and Crossref stand-ins, so adding a paper never leaves the machine.
      command: `node fake-upstream.mjs`,
      url: `http://127.0.0.1:${upstreamPort}/health`,
      reuseExistingServer: false,
      timeout: 10_000,
      env: { FAKE_UPSTREAM_PORT: String(upstreamPort) },
    },
    {
      // The moderator first (an admin, on the same database), then the site.
      command:
        `"${server}" create-admin --username ${moderator.username} --email ${moderator.email}` +
        ` && "${server}" serve --demo --port ${port} --static-dir "${path.join(root, 'dist')}"`,
      url: `http://127.0.0.1:${port}/api/v1/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        DATABASE_URL: `sqlite://${path.join(dataDir, 'e2e.db')}`,
        RUST_LOG: 'warn',
        SHORTSCIENCE_ADMIN_PASSWORD: moderator.password,
        // Every spec registers its own users (both projects, retries): more than the default 10.
        SHORTSCIENCE_REGISTRATIONS_PER_ADDRESS: '200',
        SHORTSCIENCE_ARXIV_API_URL: `http://127.0.0.1:${upstreamPort}/api/query`,
        SHORTSCIENCE_CROSSREF_API_URL: `http://127.0.0.1:${upstreamPort}`,
      },
    },
  ],
});
