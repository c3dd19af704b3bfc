import { expect, expectNoHorizontalOverflow, openMenu, Problems, type Page, test, watch } from './fixtures';

const password = 'a long enough passphrase';

/**
 * Signs `name` in through the API, creating the account the first time, in the page's browser
 * context: the app picks the session up from the refresh cookie on its next page load.
 *
 * Both projects (desktop, phone) share the two accounts of this file: registrations are limited
 * to 10 per address and the other specs use 8 of them. The database is new on every run.
 */
async function signInAs(page: Page, name: string) {
  const exists = (await page.request.get(`/api/v1/users/${name}`)).ok();
  const response = exists
    ? await page.request.post('/api/v1/auth/login', { data: { username: name, password } })
    : await page.request.post('/api/v1/auth/register', {
        data: { username: name, email: `${name}@example.org`, password },
      });
  expect(response.ok(), await response.text()).toBeTruthy();
}

async function signOut(page: Page) {
  await openMenu(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await openMenu(page);
  await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
}

test('write a summary with math, vote it up, discuss it, edit it; share a private one', async ({ browser, page }, testInfo) => {
  test.setTimeout(120_000);
  // Papers are new in each project and attempt; the two accounts are shared (see signInAs).
  const run = `${testInfo.project.name}${Date.now() % 100000}`;
  const author = 'summary-writer';
  const reader = 'summary-reader';

  await signInAs(page, author);
  await page.goto('/');
  await expect(page.getByTestId('signed-in-as')).toHaveText(author);

  // A paper of our own, so the demo papers keep the summary counts other tests expect.
  await openMenu(page);
  await page.getByRole('link', { name: 'Add paper' }).click();
  await page.getByRole('button', { name: 'Enter it by hand' }).click();
  const title = `Squared Losses Explained ${run}`;
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Authors, one per line, in order').fill('Ada Example');
  await page.getByLabel('Year').fill('2021');
  await page.getByRole('button', { name: 'Add paper', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByRole('heading', { name: 'No summaries yet' })).toBeVisible();

  // The editor previews Markdown and math as the published summary will look.
  await page.getByRole('link', { name: 'Write a summary' }).click();
  await expect(page).toHaveURL(/\/papers\/\d+\/write$/);
  await page.getByText('Markdown and math help').click();
  await expect(page.locator('.cheatsheet')).toContainText('\\cite{arxiv:2003.10555}');
  await page
    .getByLabel('Your summary (Markdown with math)')
    .fill(
      'The loss $\\mathcal{L} = \\sum_i x_i^2$ is **small** when the fit is good.\n\n' +
        '$$\\mathcal{L}(\\theta) = \\frac{1}{n} \\sum_{i=1}^{n} (y_i - f_\\theta(x_i))^2$$\n\n' +
        'Minimising it is least squares.',
    );
  const preview = page.getByTestId('preview');
  await expect(preview.locator('math').first()).toBeVisible();
  await expect(preview.locator('math[display="block"]')).toHaveCount(1);
  await expect(preview.locator('strong')).toHaveText('small');
  await expect(page.getByLabel('Post anonymously')).not.toBeChecked();
  await expect(page.getByLabel('Private (only people with the link)')).not.toBeChecked();
  await expectNoHorizontalOverflow(page);
  await page.screenshot({ path: testInfo.outputPath('editor.png'), fullPage: true });
  await page.getByRole('button', { name: 'Publish' }).click();

  // Its own page shows the rendered summary; the author cannot vote on it.
  await expect(page).toHaveURL(/\/summaries\/\d+$/);
  const permalink = new URL(page.url()).pathname;
  const summary = page.getByTestId('summary');
  await expect(summary.locator('math').first()).toBeVisible();
  const display = summary.locator('math[display="block"]');
  await expect(display).toBeVisible();
  expect((await display.boundingBox())?.height ?? 0).toBeGreaterThan(20);
  await expect(summary).not.toContainText('$$');
  await expect(summary.getByRole('link', { name: author })).toBeVisible();
  await expect(summary.getByRole('button', { name: 'Upvote' })).toBeDisabled();
  await expect(summary.getByTestId('score')).toHaveText('0');
  await expect(summary.getByRole('link', { name: 'Edit' })).toBeVisible();

  // The paper page lists it and offers to edit it rather than write a second one.
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { name: '1 summary' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Edit your summary' })).toBeVisible();
  await expect(page.getByTestId('summary').locator('math').first()).toBeVisible();

  // A second reader votes it up.
  await signInAs(page, reader);
  await page.goto(permalink);
  await expect(page.getByTestId('signed-in-as')).toHaveText(reader);
  const up = page.getByTestId('summary').getByRole('button', { name: 'Upvote' });
  const score = page.getByTestId('summary').getByTestId('score');
  await expect(up).toBeEnabled();
  await expect(up).toHaveAttribute('aria-pressed', 'false');
  const voted = page.waitForResponse((r) => r.url().endsWith('/vote') && r.request().method() === 'PUT');
  await up.click();
  await expect(score).toHaveText('1');
  await expect(up).toHaveAttribute('aria-pressed', 'true');
  expect((await voted).ok()).toBeTruthy();
  await page.reload();
  await expect(score).toHaveText('1');
  await expect(up).toHaveAttribute('aria-pressed', 'true');

  // … and comments on it, with math.
  await page.getByLabel('Add a comment').fill('Why squared? Is $x_i$ the residual?');
  await page.getByRole('button', { name: 'Post comment' }).click();
  const question = page.getByTestId('comment').filter({ hasText: 'Why squared?' });
  await expect(question).toBeVisible();
  await expect(question.locator('math').first()).toBeVisible();
  await expect(question.getByRole('link', { name: reader })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Comments (1)' })).toBeVisible();

  // The feed shows it too, with the reader's vote, and expands to the whole text.
  await page.goto('/?sort=new');
  const item = page.getByTestId('feed-item').filter({ hasText: title });
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId('score')).toHaveText('1');
  await expect(item.getByRole('button', { name: 'Upvote' })).toHaveAttribute('aria-pressed', 'true');
  await expect(item.getByRole('link', { name: '1 comment' })).toBeVisible();
  await item.getByRole('button', { name: 'more', exact: true }).click();
  await expect(item.locator('math[display="block"]')).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await page.screenshot({ path: testInfo.outputPath('feed.png'), fullPage: true });
  await page.getByRole('link', { name: 'Top', exact: true }).click();
  await expect(page).toHaveURL(/\/\?sort=top$/);
  await page.getByLabel('Period').selectOption('week');
  await expect(page).toHaveURL(/\/\?sort=top&period=week$/);
  await expect(page.getByTestId('feed-item').filter({ hasText: title }).getByTestId('score')).toHaveText('1');

  // The author answers in the thread.
  await signOut(page);
  await page.getByRole('link', { name: 'Sign in', exact: true }).click();
  await page.getByLabel('Username or email').fill(author);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-as')).toHaveText(author);
  await page.goto(permalink);
  await expect(page.getByTestId('summary').getByTestId('score')).toHaveText('1');
  await question.getByRole('button', { name: /^Reply/ }).click();
  await page.getByLabel('Your reply').fill('Squares punish big errors more: $(2e)^2 = 4e^2$.');
  await page.getByRole('button', { name: 'Post reply' }).click();
  const reply = question.locator('.replies').getByTestId('comment');
  await expect(reply).toContainText('Squares punish big errors more');
  await expect(reply.getByRole('link', { name: author })).toBeVisible();
  await expect(reply.locator('math').first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Comments (2)' })).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await page.screenshot({ path: testInfo.outputPath('summary.png'), fullPage: true });

  // The author edits it; its history shows what changed.
  await page.getByTestId('summary').getByRole('link', { name: 'Edit' }).click();
  const editor = page.getByLabel('Your summary (Markdown with math)');
  await expect(editor).toHaveValue(/Minimising it is least squares\./);
  const edited = (await editor.inputValue()).replace('it is least squares', 'it is ordinary least squares');
  await editor.fill(edited);
  await expect(page.getByTestId('preview')).toContainText('ordinary least squares');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(new RegExp(`${permalink}$`));
  await expect(page.getByTestId('summary')).toContainText('ordinary least squares');
  await expect(page.getByTestId('summary').getByText(/^edited/)).toBeVisible();
  await page.getByTestId('summary').getByRole('link', { name: 'History' }).click();
  await expect(page).toHaveURL(new RegExp(`${permalink}/history$`));
  await expect(page.getByLabel('From', { exact: true })).toHaveValue('1');
  await expect(page.getByLabel('To', { exact: true })).toHaveValue('2');
  await expect(page.locator('.diff-delete')).toHaveText(/Minimising it is least squares\./);
  await expect(page.locator('.diff-insert')).toHaveText(/Minimising it is ordinary least squares\./);
  await expectNoHorizontalOverflow(page);
  await page.screenshot({ path: testInfo.outputPath('history.png'), fullPage: true });

  // A private summary is readable only through its share link (the token is in the fragment).
  await openMenu(page);
  await page.getByRole('link', { name: 'Add paper' }).click();
  await page.getByRole('button', { name: 'Enter it by hand' }).click();
  const secret = `A Private Reading ${run}`;
  await page.getByLabel('Title').fill(secret);
  await page.getByLabel('Authors, one per line, in order').fill('Ada Example');
  await page.getByRole('button', { name: 'Add paper', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(secret);
  await page.getByRole('link', { name: 'Write a summary' }).click();
  await page.getByLabel('Your summary (Markdown with math)').fill('For my reading group: $e^{i\\pi} + 1 = 0$.');
  await page.getByLabel('Private (only people with the link)').check();
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page).toHaveURL(/\/summaries\/\d+$/);
  const privatePath = new URL(page.url()).pathname;
  await expect(page.getByTestId('summary')).toContainText('private');
  const shareLink = await page.getByLabel('Share link').inputValue();
  expect(shareLink).toMatch(new RegExp(`${privatePath}#share=.+`));

  const stranger = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  // A stranger's 404 for the private summary is expected; nothing else may go wrong there.
  const strangerProblems = new Problems();
  strangerProblems.allow(/status of 404/);
  await watch(stranger, strangerProblems);
  const other = await stranger.newPage();
  await other.goto(privatePath);
  await expect(other.getByRole('alert')).toContainText('Not found');
  const shared = await stranger.newPage();
  await shared.goto(shareLink);
  await expect(shared.getByTestId('summary')).toContainText('For my reading group');
  await expect(shared.getByTestId('summary').locator('math').first()).toBeVisible();
  await expect(shared.getByRole('heading', { level: 1 })).toHaveText(secret);
  await expect(shared.getByLabel('Share link')).toHaveCount(0);
  await stranger.close();
  expect(strangerProblems.seen).toEqual([]);
});
