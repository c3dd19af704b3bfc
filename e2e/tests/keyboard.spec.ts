// The app with a keyboard and on a phone: skip link, focus after navigation, shortcuts, wide
// formulas in their own scroll regions with a math font, the collapsed abstract, broken LaTeX
// named in the editor, old revisions read rendered, anonymous authors in their threads, and
// not-found pages with a way on.
import { expect, openMenu, test } from './fixtures';

test('skip link, focus on the new heading, and the j / k / ? shortcuts', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('feed-item').first()).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();

  // After a navigation, focus is on the new page's heading.
  await openMenu(page);
  await page.getByRole('link', { name: 'Papers', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Papers' })).toBeFocused();

  // j and k move between cards.
  const cards = page.locator('main [data-card]');
  await expect(cards.nth(1)).toBeVisible();
  await page.keyboard.press('j');
  await expect(cards.nth(0)).toBeFocused();
  await page.keyboard.press('j');
  await expect(cards.nth(1)).toBeFocused();
  await page.keyboard.press('k');
  await expect(cards.nth(0)).toBeFocused();

  // ? lists the shortcuts; Escape closes the list.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  // Shortcuts never fire while typing.
  await page.locator('#site-search').fill('');
  await page.locator('#site-search').pressSequentially('j?k');
  await expect(page.locator('#site-search')).toHaveValue('j?k');
  await expect(help).toBeHidden();
});

test('formulas scroll in their own labelled regions in a math font; the abstract is collapsed', async ({ page }) => {
  await page.goto('/papers/arxiv:2003.10555');
  const region = page.getByTestId('summary').first().locator('.math-scroll');
  await expect(region.first()).toHaveAttribute('role', 'region');
  await expect(region.first()).toHaveAttribute('aria-label', 'Formula');
  await expect(region.first()).toHaveAttribute('tabindex', '0');
  await expect(region.first().locator('math[display="block"]')).toHaveCount(1);
  expect(await page.evaluate(async () => {
    await document.fonts.ready;
    return document.fonts.check('16px "STIX Two Math"');
  })).toBe(true);

  const abstract = page.locator('#abstract-text');
  await expect(abstract).toHaveClass(/clamped/);
  const more = page.locator('button[aria-controls="abstract-text"]');
  await more.click();
  await expect(abstract).not.toHaveClass(/clamped/);
  await expect(more).toHaveAttribute('aria-expanded', 'true');
});

test('the editor names broken formulas; old revisions open rendered', async ({ page }, testInfo) => {
  const name = `writer${testInfo.project.name}${Date.now() % 100000}`;
  const registered = await page.request.post('/api/v1/auth/register', {
    data: { username: name, email: `${name}@example.org`, password: 'a long enough passphrase' },
  });
  const { access_token: token } = await registered.json();
  const paper = await page.request.post('/api/v1/papers', {
    headers: { Authorization: `Bearer ${token}` },
    data: { title: `Broken Formulas ${testInfo.project.name} ${Date.now() % 100000}`, authors: ['Ada Example'], year: 2022 },
  });
  const paperId = (await paper.json()).id;
  await page.goto(`/papers/${paperId}`);
  await page.getByRole('link', { name: 'Write a summary' }).click();
  const text = page.getByLabel('Your summary (Markdown with math)');
  await text.fill('Fine: $x^2$. Broken:\n\n$$\\frac{1}$$\n\nAnd $\\notacommand{x}$');
  const errors = page.getByTestId('math-errors');
  await expect(errors).toBeVisible();
  await expect(errors).toContainText('2 formulas have errors');
  await expect(errors).toContainText('\\frac{1}');
  await expect(errors).toContainText('unknown primitive command');
  if (testInfo.project.name === 'desktop') {
    // At 1280 px the preview sits beside the text.
    const textBox = await text.boundingBox();
    const previewBox = await page.locator('.preview-pane').boundingBox();
    expect(previewBox!.x).toBeGreaterThan(textBox!.x + textBox!.width - 1);
  }

  await text.fill('First version with $a + b$.');
  await expect(page.getByTestId('preview').locator('math')).toBeVisible();
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page).toHaveURL(/\/summaries\/\d+$/);
  await page.getByTestId('summary').getByRole('link', { name: 'Edit' }).click();
  await page.getByLabel('Your summary (Markdown with math)').fill('Second version.');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('summary')).toContainText('Second version.');
  await page.getByTestId('summary').getByRole('link', { name: 'History' }).click();
  await page.getByRole('button', { name: 'Read revision 1' }).click();
  const revision = page.getByTestId('revision');
  await expect(revision.getByRole('heading', { name: 'Revision 1' })).toBeVisible();
  await expect(revision.locator('math')).toBeVisible();
  await expect(revision).toContainText('First version');
});

test("an anonymous summary's author is 'the summary's author' in its thread", async ({ page, request }, testInfo) => {
  const name = `anon${testInfo.project.name}${Date.now() % 100000}`;
  const registered = await request.post('/api/v1/auth/register', {
    data: { username: name, email: `${name}@example.org`, password: 'a long enough passphrase' },
  });
  const auth = { Authorization: `Bearer ${(await registered.json()).access_token}` };
  const paper = await request.post('/api/v1/papers', { headers: auth, data: { title: `Anonymous Thread ${name}`, authors: ['Ada Example'] } });
  const paperId = (await paper.json()).id;
  const summary = await request.post(`/api/v1/papers/${paperId}/summaries`, {
    headers: auth,
    data: { body_markdown: 'A summary whose author stays unnamed.', anonymous: true },
  });
  const summaryId = (await summary.json()).id;
  const comment = await request.post(`/api/v1/summaries/${summaryId}/comments`, {
    headers: auth,
    data: { body_markdown: 'A word from the author.' },
  });
  expect(comment.status()).toBe(201);

  await page.goto(`/summaries/${summaryId}`);
  const reply = page.getByTestId('comment').filter({ hasText: 'A word from the author.' });
  await expect(reply.getByTestId('summary-author')).toHaveText("the summary's author");
  await expect(reply).not.toContainText(name);
  await expect(reply).not.toContainText('[deleted]');
});

test('not-found pages say what is missing and offer search and the home page', async ({ page, problems }) => {
  problems.allow(/status of 404/);
  for (const path of ['/no/such/page', '/papers/999999']) {
    await page.goto(path);
    const notFound = page.getByTestId('not-found');
    await expect(notFound.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(notFound).not.toContainText('`');
    await expect(notFound.getByRole('searchbox')).toBeVisible();
    await expect(notFound.getByRole('link', { name: 'Go to the home page' })).toBeVisible();
  }
  await page.getByTestId('not-found').getByRole('searchbox').fill('nerf');
  await page.getByTestId('not-found').getByRole('searchbox').press('Enter');
  await expect(page).toHaveURL(/\/search\?q=nerf$/);
});
