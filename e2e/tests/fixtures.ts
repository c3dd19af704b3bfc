// What every spec shares: a `test` that fails on any Content-Security-Policy violation, console
// error or uncaught exception in the pages it opened (the server sends its real CSP, so this
// runs the app under the policy), and small helpers for the phone menu and overflow checks.
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { moderator } from '../moderator';

/** What went wrong in the browser during a test. */
export class Problems {
  readonly seen: string[] = [];
  private readonly allowed: RegExp[] = [];

  /** Expected errors (e.g. the 401 of a wrong password) that must not fail the test. */
  allow(pattern: RegExp) {
    this.allowed.push(pattern);
  }

  add(problem: string) {
    if (!this.allowed.some((pattern) => pattern.test(problem))) this.seen.push(problem);
  }
}

/**
 * Reports CSP violations (as console errors with a `[csp]` prefix), console errors and
 * uncaught exceptions of every page of `context` to `problems`.
 */
export async function watch(context: BrowserContext, problems: Problems) {
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(
        `[csp] ${e.effectiveDirective} blocked ${e.blockedURI || 'inline code'} (${e.sourceFile}:${e.lineNumber})`,
      );
    });
  });
  context.on('console', (message) => {
    if (message.type() === 'error') {
      const where = message.location().url;
      problems.add(`console error: ${message.text()}${where ? ` (${where})` : ''}`);
    }
  });
  context.on('weberror', (error) => problems.add(`uncaught: ${error.error().message}`));
}

export const test = base.extend<{ problems: Problems }>({
  problems: [
    async ({ context }, use) => {
      const problems = new Problems();
      await watch(context, problems);
      await use(problems);
      expect(problems.seen, 'CSP violations, console errors and uncaught exceptions').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Nothing may stick out sideways: the page never scrolls horizontally, on a phone either. */
export async function expectNoHorizontalOverflow(page: Page) {
  const [scrollWidth, innerWidth] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    window.innerWidth,
  ]);
  expect(scrollWidth, `page is ${scrollWidth}px wide in a ${innerWidth}px window`).toBeLessThanOrEqual(innerWidth);
}

/** On phones the navigation folds behind the menu button: opens it (no-op on desktops). */
export async function openMenu(page: Page) {
  // The app's header stays hidden behind the server's first paint until the page's own module
  // has loaded (frontend/src/routes.rs): wait for that before asking whether there is a menu.
  await expect(page.locator('#ssr')).toHaveCount(0);
  const button = page.getByRole('button', { name: 'Menu', exact: true });
  if ((await button.isVisible()) && (await button.getAttribute('aria-expanded')) !== 'true') {
    await button.click();
  }
}

/** Signs `name` in (registering the first time) through the API, in the page's context. */
export async function signInByApi(page: Page, name: string, password = 'a long enough passphrase') {
  const exists = (await page.request.get(`/api/v1/users/${name}`)).ok();
  const response = exists
    ? await page.request.post('/api/v1/auth/login', { data: { username: name, password } })
    : await page.request.post('/api/v1/auth/register', {
        data: { username: name, email: `${name}@example.org`, password },
      });
  expect(response.ok(), await response.text()).toBeTruthy();
}

export { moderator };

/** Signs the page in as the e2e server's moderator (an admin; see playwright.config.ts). */
export async function signInAsModerator(page: Page) {
  const response = await page.request.post('/api/v1/auth/login', {
    data: { username: moderator.username, password: moderator.password },
  });
  expect(response.ok(), await response.text()).toBeTruthy();
}
