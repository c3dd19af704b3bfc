import { expect, expectNoHorizontalOverflow, openMenu, test } from './fixtures';

test('home shows the summary feed; papers lists papers; a paper shows its summaries with rendered math', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page).toHaveTitle('ShortScience');
  // The home page is the feed of summaries; the paper list is a click away.
  await expect(page.getByTestId('feed-item').first()).toBeVisible();
  await expect(page.getByTestId('feed-item').filter({ hasText: 'ELECTRA' }).first()).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await openMenu(page);
  await page.getByRole('link', { name: 'Papers', exact: true }).click();
  await expect(page).toHaveURL(/\/papers$/);
  await expect(page).toHaveTitle('Papers · ShortScience');
  const cards = page.getByTestId('paper-card');
  // The five demo papers (other tests may have added more).
  for (const title of ['Nerfies', 'Perceiver', 'Funnel-Transformer', 'ELECTRA', 'NeRF: Representing']) {
    await expect(cards.filter({ hasText: title })).toHaveCount(1);
  }
  const electra = cards.filter({ hasText: 'ELECTRA' });
  await expect(electra).toContainText('Kevin Clark');
  await expect(electra).toContainText('ICLR 2020');
  await expect(electra).toContainText('2 summaries');
  // Excerpts show inline formulas as MathML, not TeX source.
  await expect(cards.filter({ hasText: 'Perceiver' }).locator('.excerpt math').first()).toBeVisible();
  await expect(cards.filter({ hasText: 'Nerfies' })).not.toContainText('\\mathbf', { useInnerText: true });
  await expectNoHorizontalOverflow(page);
  await page.screenshot({ path: testInfo.outputPath('home.png'), fullPage: true });

  await electra.getByRole('link', { name: /ELECTRA: Pre-training Text Encoders/ }).click();
  await expect(page).toHaveURL(/\/papers\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators',
  );
  await expect(page).toHaveTitle(/ELECTRA/);
  await expect(page.getByRole('link', { name: 'arXiv' })).toHaveAttribute('href', 'https://arxiv.org/abs/2003.10555');

  const summaries = page.getByTestId('summary');
  await expect(summaries).toHaveCount(2);
  const best = summaries.first();
  await expect(best).toContainText('Mira Chen');
  // Markdown became HTML and the formulas became MathML the browser lays out.
  await expect(best.locator('strong', { hasText: 'ELECTRA' })).toBeVisible();
  const formula = best.locator('math[display="block"]').first();
  await expect(formula).toBeVisible();
  const box = await formula.boundingBox();
  expect(box?.height ?? 0).toBeGreaterThan(20);
  await expect(best).not.toContainText('$$');
  await expectNoHorizontalOverflow(page);
  await page.screenshot({ path: testInfo.outputPath('paper.png'), fullPage: true });
});

test('deep links, venues and the not-found page work', async ({ page, problems }) => {
  // The missing paper is the API's 404, which the browser logs.
  problems.allow(/status of 404/);
  await page.goto('/papers/arxiv:2003.08934');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('NeRF');
  await expect(page.getByTestId('summary').locator('table')).toBeVisible();

  await page.getByRole('link', { name: 'ECCV 2020' }).first().click();
  await expect(page).toHaveURL(/\/venues\/eccv\?year=2020$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('ECCV');
  await expect(page.getByTestId('paper-card')).toHaveCount(1);

  await page.goto('/venues');
  await expect(page.getByRole('link', { name: 'NeurIPS' })).toBeVisible();

  await page.goto('/papers/999999');
  await expect(page.getByRole('alert')).toContainText(/no paper/i);

  await page.goto('/no/such/page');
  await expect(page.getByTestId('not-found')).toBeVisible();
});

test("a page's code arrives on its first visit: the home fetches the lists' module only, signing in the writing one", async ({ page }) => {
  // Every page is a lazy route (frontend/src/routes.rs, scripts/split-wasm): the main module is the
  // shell, and each group of pages is a module of its own with the chunks it shares.
  const fetched: string[] = [];
  page.on('request', (request) => {
    const name = new URL(request.url()).pathname.match(/^\/(split_[a-z]+)-[0-9a-f]{16}\.wasm$/);
    if (name) fetched.push(name[1]);
  });
  await page.goto('/');
  await expect(page.getByTestId('feed-item').first()).toBeVisible();
  // The server's first paint gave way to the app's page.
  await expect(page.locator('#ssr')).toHaveCount(0);
  expect(fetched).toEqual(['split_lists']);

  await openMenu(page);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Username or email')).toBeVisible();
  expect(fetched).toEqual(['split_lists', 'split_write']);

  // Split modules are named by their content, so they are cached like the main one.
  const module = await page.request.get(
    (await page.evaluate(() =>
      performance.getEntriesByType('resource').map((entry) => entry.name).find((url) => /\/split_write-/.test(url)),
    )) ?? '/missing',
  );
  expect(module.status()).toBe(200);
  expect(module.headers()['content-type']).toBe('application/wasm');
  expect(module.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
});

test("a page module that cannot be fetched: the page says so, and reloading brings the page", async ({ page, problems }) => {
  // The browser and the loader log the failed fetch; that is the point of this test.
  problems.allow(/^console error: TypeError: Failed to fetch[\s\S]*\/__wasm_split-[0-9a-f]{16}\.js/);
  problems.allow(/^console error: Failed to load resource: net::ERR_FAILED \(\S+\/split_write-[0-9a-f]{16}\.wasm\)$/);
  await page.route(/\/split_write-[0-9a-f]{16}\.wasm$/, (route) => route.abort());
  await page.goto('/');
  await expect(page.getByTestId('feed-item').first()).toBeVisible();
  await openMenu(page);
  await page.getByRole('link', { name: 'Sign in' }).click();
  const unavailable = page.getByTestId('module-unavailable');
  await expect(unavailable.getByRole('heading', { level: 1 })).toHaveText('This page could not be loaded');

  await page.unroute(/\/split_write-[0-9a-f]{16}\.wasm$/);
  await unavailable.getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByLabel('Username or email')).toBeVisible();
});
