import { expect, openMenu, type Page, test } from './fixtures';

async function signUp(page: Page, name: string) {
  await page.goto('/register');
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Email').fill(`${name}@example.org`);
  await page.getByLabel('Password').fill('a long enough passphrase');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).not.toHaveURL(/\/register/);
  await openMenu(page);
  await expect(page.getByTestId('signed-in-as')).toBeVisible();
}

test('add a paper from arXiv with a preview, then browse its author, keyword, venue and BibTeX', async ({ page }, testInfo) => {
  await signUp(page, `adder${testInfo.project.name}${Date.now() % 100000}`);
  await openMenu(page);
  await page.getByRole('link', { name: 'Add paper' }).click();
  await page.getByLabel('arXiv id, arXiv link or DOI').fill('https://arxiv.org/abs/2104.00001v2');
  await page.getByRole('button', { name: 'Look up' }).click();
  const preview = page.getByTestId('import-preview');
  await expect(preview).toContainText('Summaries All the Way Down: A Study of Short Explanations');
  await expect(preview).toContainText('Ada Example, Bob Placeholder');

  // Both projects add the same paper: the second finds it already there.
  const add = preview.getByRole('button', { name: 'Add this paper' });
  if (await add.isVisible()) {
    await add.click();
  } else {
    await preview.getByRole('link', { name: 'open it' }).click();
  }
  await expect(page).toHaveURL(/\/papers\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Summaries All the Way Down: A Study of Short Explanations');
  await expect(page.getByRole('link', { name: 'arXiv', exact: true })).toHaveAttribute('href', 'https://arxiv.org/abs/2104.00001');

  await page.getByTestId('copy-bibtex').click();
  await expect(page.getByTestId('bibtex')).toContainText('@misc{example2021summaries,');
  await expect(page.getByTestId('bibtex')).toContainText('eprint = {2104.00001}');

  await page.getByRole('link', { name: 'cs.DL' }).click();
  await expect(page).toHaveURL(/\/keywords\/cs\.dl$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('cs.DL');
  await expect(page.getByTestId('paper-card')).toHaveCount(1);

  await page.getByTestId('paper-card').getByRole('link', { name: /Summaries All the Way Down/ }).click();
  await page.getByRole('link', { name: 'Bob Placeholder' }).click();
  await expect(page).toHaveURL(/\/authors\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bob Placeholder');
  await expect(page.getByTestId('paper-card')).toContainText('Summaries All the Way Down');

  await page.goto('/venues/arxiv?year=2021');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('arXiv');
  await expect(page.getByTestId('paper-card').first()).toContainText('Summaries All the Way Down');
  await page.screenshot({ path: testInfo.outputPath('venue-year.png'), fullPage: true });
});

test('a paper can be entered by hand; lists sort four ways', async ({ page, problems }, testInfo) => {
  // The invalid link is refused with a 422, which the browser logs.
  problems.allow(/status of 422/);
  await signUp(page, `manual${testInfo.project.name}${Date.now() % 100000}`);
  await page.goto('/add');
  await page.getByRole('button', { name: 'Enter it by hand' }).click();
  const title = `A Hand-Entered Note ${testInfo.project.name}`;
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Authors, one per line, in order').fill('Grace Example\nAlan Placeholder');
  await page.getByLabel('Year').fill('1999');
  await page.getByLabel('Link (optional)').fill('not a url');
  await page.getByRole('button', { name: 'Add paper', exact: true }).click();
  await expect(page.locator('#field-url-error')).toContainText('http or https');
  await page.getByLabel('Link (optional)').fill('https://example.org/note');
  await page.getByRole('button', { name: 'Add paper', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);

  // Whoever added it corrects it; the change is in the paper's public history.
  await page.getByRole('link', { name: 'Edit details' }).click();
  await expect(page.getByLabel('Year')).toHaveValue('1999');
  await page.getByLabel('Year').fill('2001');
  await page.getByLabel('Keywords, comma-separated').fill('typesetting');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByTestId('paper')).toContainText('2001');
  await expect(page.getByTestId('paper').getByRole('link', { name: 'typesetting' })).toBeVisible();
  await page.getByRole('link', { name: 'History', exact: true }).click();
  const history = page.getByTestId('paper-history');
  await expect(history.locator('li').first()).toContainText('edited');
  await expect(history.locator('li').first()).toContainText('1999');
  await expect(history.locator('li').first()).toContainText('2001');
  await expect(history.locator('li').last()).toContainText('added by hand');

  await page.goto('/papers');
  await page.getByRole('link', { name: 'Most summaries' }).click();
  await expect(page).toHaveURL(/\?sort=summaries$/);
  await expect(page.getByTestId('paper-card').first()).toContainText('ELECTRA');
  await page.getByRole('link', { name: 'Newest papers' }).click();
  await expect(page.getByTestId('paper-card').first()).toContainText('Hand-Entered Note');
});
