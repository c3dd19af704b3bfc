// Finding and passing on: the header search and its results page, sharing and citing, the
// site's totals, richer feed cards and the pages' feed links.
import { expect, openMenu, test } from './fixtures';

test('search from the header: results with highlights, kinds, filters, no results, an exact id', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('feed-item').first()).toBeVisible();
  // `/` focuses the search box; Escape leaves it.
  await page.keyboard.press('/');
  const box = page.locator('#site-search');
  await expect(box).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(box).not.toBeFocused();

  await box.fill('discriminator');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/search\?q=discriminator$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Results for “discriminator”');
  const hits = page.getByTestId('search-hit');
  await expect(hits.first()).toBeVisible();
  await expect(hits.filter({ hasText: 'ELECTRA' }).first()).toBeVisible();
  await expect(page.locator('.snippet mark').first()).toBeVisible();
  await expect(page.getByTestId('feed-link')).toHaveAttribute('href', '/feeds/search.rss?q=discriminator');

  // Tabs change the kind of results, in the URL; back and forward work.
  const tabs = page.getByRole('navigation', { name: 'Kind of results' });
  await tabs.getByRole('link', { name: 'Summaries', exact: true }).click();
  await expect(page).toHaveURL(/kind=summaries/);
  await expect(hits.first()).toContainText('Summary of');
  await tabs.getByRole('link', { name: 'Papers', exact: true }).click();
  await expect(page).toHaveURL(/kind=papers/);
  await page.goBack();
  await expect(page).toHaveURL(/kind=summaries/);
  await page.goForward();
  await expect(page).toHaveURL(/kind=papers/);

  // Filters: a year range.
  await page.getByText('Filters', { exact: true }).click();
  await page.getByLabel('Year or range').fill('2019-2020');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/year=2019-2020/);
  await expect(hits.filter({ hasText: 'ELECTRA' }).first()).toBeVisible();

  // Nothing found: says so, with ways on.
  await page.goto('/search?q=zzqqxxnothing');
  await expect(page.getByTestId('no-results')).toContainText('No results for “zzqqxxnothing”');
  await expect(page.getByTestId('no-results').getByRole('link', { name: 'Browse all papers' })).toBeVisible();

  // An arXiv id of a catalogued paper goes straight to it, replacing the search in the history.
  await page.goto('/');
  await box.fill('2003.10555');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/papers\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('ELECTRA');
  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
});

test('share and cite a summary; the paper is shared too', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  // Share targets open in new tabs; nothing may leave the machine.
  await context.route(/^https:\/\//, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'shared' }));
  const paper = await (await page.request.get('/api/v1/papers/arxiv:2003.10555')).json();
  const summary = paper.summaries[0];
  await page.goto(`/summaries/${summary.id}`);
  const card = page.getByTestId('summary');
  const share = card.getByRole('button', { name: 'Share' });
  await expect(share).toHaveAttribute('aria-expanded', 'false');
  await share.click();
  await expect(share).toHaveAttribute('aria-expanded', 'true');

  await card.getByRole('button', { name: 'Copy link' }).click();
  await expect(card.getByTestId('share-status')).toHaveText('Link copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(new RegExp(`/summaries/${summary.id}$`));
  await expect(card.getByRole('link', { name: 'X (Twitter)' })).toHaveAttribute('href', /^https:\/\/twitter\.com\/intent\/tweet\?text=/);
  await expect(card.getByRole('link', { name: 'Bluesky' })).toHaveAttribute('href', /^https:\/\/bsky\.app\/intent\/compose\?text=.*summaries/);
  await expect(card.getByRole('link', { name: 'LinkedIn' })).toHaveAttribute('href', /^https:\/\/www\.linkedin\.com\/sharing\/share-offsite\/\?url=/);
  await expect(card.getByRole('link', { name: 'E-mail' })).toHaveAttribute('href', /^mailto:\?subject=/);

  // Mastodon asks for the server once, then remembers it.
  await card.getByRole('button', { name: 'Mastodon', exact: true }).click();
  await card.getByLabel('Your Mastodon server').fill('https://Mastodon.Example/');
  const [first] = await Promise.all([context.waitForEvent('page'), card.getByRole('button', { name: 'Share', exact: true }).last().click()]);
  await first.waitForLoadState();
  expect(first.url()).toMatch(/^https:\/\/mastodon\.example\/share\?text=/);
  await first.close();
  expect(await page.evaluate(() => localStorage.getItem('shortscience.mastodon'))).toBe('mastodon.example');
  const [again] = await Promise.all([context.waitForEvent('page'), card.getByRole('button', { name: 'Mastodon', exact: true }).click()]);
  await again.waitForLoadState();
  expect(again.url()).toMatch(/^https:\/\/mastodon\.example\/share\?text=/);
  await again.close();

  // Cite: the summary and the paper's BibTeX, each with a copy button.
  await card.getByRole('button', { name: 'Cite' }).click();
  await expect(card.getByTestId('citation')).toContainText('Summary of “ELECTRA');
  await expect(card.getByTestId('citation')).toContainText('ShortScience');
  await expect(card.locator('.cite .bibtex')).toContainText('@');
  await card.getByRole('button', { name: 'Copy citation' }).click();
  await expect(card.getByTestId('share-status')).toHaveText('Citation copied');

  // Escape closes the menu and gives focus back to its button.
  await card.getByRole('button', { name: 'Copy citation' }).focus();
  await page.keyboard.press('Escape');
  await expect(share).toHaveAttribute('aria-expanded', 'false');
  await expect(share).toBeFocused();

  // The paper has a share menu too (and a feed).
  await page.goto(`/papers/${paper.id}`);
  await expect(page.getByTestId('paper').locator('header').getByRole('button', { name: 'Share' })).toBeVisible();
  await expect(page.getByTestId('paper').locator('header').getByTestId('feed-link')).toHaveAttribute('href', `/feeds/papers/${paper.id}.rss`);
});

test('home shows the site totals, feed cards show authors and keywords, pages link their feeds', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('site-stats')).toHaveText(/^[\d,]+ public summar(y|ies) · [\d,]+ papers? · [\d,]+ contributors?$/);
  await expect(page.getByTestId('feed-link')).toHaveAttribute('href', '/feeds/summaries.rss?sort=hot');
  const electra = page.getByTestId('feed-item').filter({ hasText: 'ELECTRA' }).first();
  await expect(electra).toContainText('Kevin Clark');
  await expect(electra.locator('.tags')).toContainText('cs.CL');
  await expect(electra).toContainText('ICLR 2020');

  const feeds: [string, RegExp][] = [
    ['/venues/iclr', /^\/feeds\/venues\/iclr\.rss$/],
    ['/venues/iclr?year=2020', /^\/feeds\/venues\/iclr\/2020\.rss$/],
    ['/users/mira', /^\/feeds\/users\/mira\.rss$/],
    ['/keywords/cs.cl', /^\/feeds\/keywords\/cs\.cl\.rss$/],
  ];
  for (const [path, feed] of feeds) {
    await page.goto(path);
    await expect(page.getByTestId('feed-link')).toHaveAttribute('href', feed);
  }
  // The paper list and the nav still work from a phone's menu.
  await openMenu(page);
  await page.getByRole('link', { name: 'Papers', exact: true }).click();
  await expect(page).toHaveURL(/\/papers$/);
});
