// axe-core on every page of the app, signed out and signed in, in the light and the dark colour
// scheme, at the desktop (1280 px) and phone (390 px) sizes of the two projects: no serious or
// critical violation, no sideways overflow, and (through the fixture) no console error or CSP
// violation.
//
// Not checked: the Swagger UI page (/api/docs/). It is vendored third-party UI with its own
// styles and scripts, not part of the app; its known axe findings (contrast of its theme) are
// the vendor's, and it is linked only as the API's reference.
//
// Pages are looped over inside a few tests (not one test per combination) to keep the run
// short: each page is loaded once per test, checked fully in the light scheme, then for colour
// contrast only in the dark one (the scheme changes nothing else).
import AxeBuilder from '@axe-core/playwright';
import { expect, expectNoHorizontalOverflow, moderator, type Page, signInByApi, test } from './fixtures';

type Found = { page: string; scheme: string; rule: string; impact: string; nodes: string[] };

/** The pages to visit, with real ids and slugs from the demo data. */
async function pagesToVisit(page: Page, signedIn: boolean): Promise<string[]> {
  const paper = await (await page.request.get('/api/v1/papers/arxiv:2003.10555')).json();
  const summary = paper.summaries[0];
  const username = summary.author.username;
  return [
    '/',
    '/papers',
    `/papers/${paper.id}`,
    `/papers/${paper.id}/history`,
    `/summaries/${summary.id}`,
    `/summaries/${summary.id}/history`,
    '/venues',
    `/venues/${paper.venue.slug}?year=${paper.year}`,
    '/browse',
    `/keywords/${paper.keywords[0].slug}`,
    `/authors/${paper.authors[0].id}`,
    `/users/${username}`,
    '/search?q=discriminator',
    '/login',
    '/register',
    '/moderation',
    // Signed out, these show the sign-in form (checked above).
    ...(signedIn ? ['/add', '/settings', '/notifications', '/?feed=following', `/papers/${paper.id}/edit`, '/moderation/queue'] : []),
    '/no/such/page',
    '/papers/999999',
  ];
}

/** Waits until the page has loaded what it shows. */
async function settled(page: Page) {
  await expect(page.locator('main h1').first()).toBeVisible();
  await expect(page.locator('main .loading')).toHaveCount(0);
  // Formulas and tables get their scroll regions one frame after they are inserted.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

async function serious(page: Page, path: string, scheme: string, contrastOnly: boolean): Promise<Found[]> {
  // Only violations: collecting passes and incomplete results doubles the time axe takes.
  let builder = new AxeBuilder({ page }).options({ resultTypes: ['violations'] });
  if (contrastOnly) builder = builder.withRules(['color-contrast']);
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      page: path,
      scheme,
      rule: v.id,
      impact: v.impact ?? '',
      nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
    }));
}

for (const signedIn of [false, true]) {
  test(`every page passes axe, ${signedIn ? 'signed in' : 'signed out'}, light and dark, without overflow`, async ({ page, problems }, testInfo) => {
    test.setTimeout(240_000);
    // The two not-found pages: the API's 404 for the missing paper, and the server's 404 status
    // for both documents.
    problems.allow(/status of 404/);
    if (signedIn) await signInByApi(page, `a11y${testInfo.project.name}`);
    const found: Found[] = [];
    for (const path of await pagesToVisit(page, signedIn)) {
      await page.emulateMedia({ colorScheme: 'light' });
      await page.goto(path);
      await settled(page);
      if (signedIn) await expect(page.getByTestId('signed-in-as')).toBeAttached();
      await expectNoHorizontalOverflow(page);
      found.push(...(await serious(page, path, 'light', false)));
      await page.emulateMedia({ colorScheme: 'dark' });
      found.push(...(await serious(page, path, 'dark', true)));
    }
    expect(found, JSON.stringify(found, null, 2)).toEqual([]);
  });
}

test('the moderators\' queue and the open flag and claim forms pass axe', async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  const suffix = `${testInfo.project.name}${Date.now() % 100000}r${testInfo.retry}`;
  // Something in each queue: a paper of this test's own, summarised by one reader and flagged
  // by another, and a pending claim of one of its authors.
  const register = async (name: string) => {
    const response = await request.post('/api/v1/auth/register', {
      data: { username: name, email: `${name}@example.org`, password: 'a long enough passphrase' },
    });
    expect(response.status(), await response.text()).toBe(201);
    return { Authorization: `Bearer ${(await response.json()).access_token}` };
  };
  const writer = await register(`axewriter${suffix}`);
  const reader = await register(`axereader${suffix}`);
  const created = await request.post('/api/v1/papers', {
    headers: writer,
    data: { title: `Accessible Moderation ${suffix}`, authors: ['Ida Axe', 'Otto Axe'], year: 2023 },
  });
  expect(created.status(), await created.text()).toBe(201);
  const paper = await created.json();
  const summary = await request.post(`/api/v1/papers/${paper.id}/summaries`, {
    headers: writer,
    data: { body_markdown: 'A summary for the accessibility check of the queue.' },
  });
  expect(summary.status(), await summary.text()).toBe(201);
  const flagged = await request.post('/api/v1/flags', {
    headers: reader,
    data: { summary_id: (await summary.json()).id, reason: 'off_topic', note: 'Not about the paper.' },
  });
  expect(flagged.status(), await flagged.text()).toBe(201);
  const claimed = await request.post(`/api/v1/papers/${paper.id}/claims`, {
    headers: reader,
    data: { author_id: paper.authors[1].id },
  });
  expect(claimed.status(), await claimed.text()).toBe(201);

  const login = await page.request.post('/api/v1/auth/login', {
    data: { username: moderator.username, password: moderator.password },
  });
  expect(login.ok(), await login.text()).toBeTruthy();
  const found: Found[] = [];
  const check = async (label: string) => {
    await expectNoHorizontalOverflow(page);
    await page.emulateMedia({ colorScheme: 'light' });
    found.push(...(await serious(page, label, 'light', false)));
    await page.emulateMedia({ colorScheme: 'dark' });
    found.push(...(await serious(page, label, 'dark', true)));
  };
  await page.goto('/moderation/queue');
  await settled(page);
  await expect(page.getByTestId('flagged-target').first()).toBeVisible();
  await expect(page.getByTestId('claim').first()).toBeVisible();
  await page.getByLabel('Username').fill(`axewriter${suffix}`);
  await page.getByRole('button', { name: 'Look up' }).click();
  await expect(page.getByTestId('user-admin')).toBeVisible();
  await check('/moderation/queue');

  await page.goto(`/papers/${paper.id}`);
  await settled(page);
  await page.getByRole('button', { name: 'Flag this paper' }).click();
  await page.getByRole('button', { name: 'Flag this summary' }).click();
  await page.getByRole('button', { name: 'Are you an author? Claim authorship' }).click();
  await expect(page.getByLabel('Which author are you?')).toBeVisible();
  await check(`/papers/${paper.id} with its forms open`);
  expect(found, JSON.stringify(found, null, 2)).toEqual([]);
});
