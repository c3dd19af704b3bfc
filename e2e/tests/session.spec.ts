// Browsing fast never ends in 429s or a signed-out flicker: the app asks /auth/refresh only when
// the server's `ss_signed_in` hint cookie is there, and a new tab takes the access token of an
// open one (BroadcastChannel) instead of spending the refresh cookie. Signed-out browsing makes
// no failing request at all (the fixture fails a test on any console error).
import { expect, openMenu, type Page, signInByApi, test } from './fixtures';

const PAGES = ['/', '/papers', '/venues', '/browse', '/papers/arxiv:2003.10555', '/search?q=nerf', '/venues/iclr', '/users/mira'];

function countRequests(page: Page) {
  const counts = { refresh: 0, throttled: 0 };
  page.on('request', (request) => {
    if (request.url().endsWith('/api/v1/auth/refresh')) counts.refresh += 1;
  });
  page.on('response', (response) => {
    if (response.status() === 429) counts.throttled += 1;
  });
  return counts;
}

test('40 quick page loads signed in: never throttled, never signed out; a new tab reuses the token', async ({ page, context }, testInfo) => {
  // The session code is the same at every size: the desktop run covers it.
  test.skip(testInfo.project.name !== 'desktop', 'desktop only');
  test.setTimeout(120_000);
  await signInByApi(page, `fast${testInfo.project.name}`);
  const counts = countRequests(page);
  for (let i = 0; i < 40; i += 1) {
    await page.goto(PAGES[i % PAGES.length]);
    await expect(page.getByTestId('signed-in-as')).toBeAttached();
    await expect(page.locator('#site-nav a[href="/login"]')).toHaveCount(0);
  }
  expect(counts.throttled).toBe(0);
  // One refresh per full page load at most (the token is in memory only).
  expect(counts.refresh).toBeLessThanOrEqual(40);

  // A second tab asks the first for its token: no refresh of its own.
  const second = await context.newPage();
  const secondCounts = countRequests(second);
  await second.goto('/settings');
  await expect(second.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(second.getByTestId('signed-in-as')).toBeAttached();
  expect(secondCounts.refresh).toBe(0);

  // Signing out in one tab signs the other out too.
  await page.bringToFront();
  await openMenu(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByTestId('signed-in-as')).toHaveCount(0);
  await expect(second.getByTestId('signed-in-as')).toHaveCount(0);
});

test('signed-out browsing asks for no session and logs no error', async ({ page }) => {
  const counts = countRequests(page);
  for (const path of PAGES) {
    await page.goto(path);
    await expect(page.locator('main h1').first()).toBeVisible();
    await expect(page.locator('#site-nav a[href="/login"]')).toBeAttached();
  }
  expect(counts.refresh).toBe(0);
  expect(counts.throttled).toBe(0);
});
