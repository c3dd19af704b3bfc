// Follows and notifications in the web app: a reader follows a paper from its page, someone
// else summarises it, and the reader's bell and notifications page say so until they are marked
// read. And the public moderation log, signed out.
import { expect, signInByApi, test } from './fixtures';

test('follow a paper; a new summary of it rings the bell; mark all as read', async ({ page, request }, testInfo) => {
  test.setTimeout(60_000);
  const suffix = `${testInfo.project.name}${Date.now() % 100000}`;
  const reader = `follower${suffix}`;
  const writer = `writer${suffix}`;
  await signInByApi(page, reader);

  // A paper of this test's own (a new summary of a demo paper would change the counts and
  // orders other specs check), added by someone else through the API (its own cookie jar:
  // `request`, not `page.request`, which would sign the reader's browser in as the writer).
  const registered = await request.post('/api/v1/auth/register', {
    data: { username: writer, email: `${writer}@example.org`, password: 'a long enough passphrase' },
  });
  expect(registered.status(), await registered.text()).toBe(201);
  const { access_token: token } = await registered.json();
  const title = `Funnel Pooling Revisited ${suffix}`;
  const created = await request.post('/api/v1/papers', {
    headers: { Authorization: `Bearer ${token}` },
    data: { title, authors: ['Zihang Example'], year: 2020 },
  });
  expect(created.status(), await created.text()).toBe(201);
  const paper = await created.json();

  // The reader follows the paper from its page (the state survives a reload).
  await page.goto(`/papers/${paper.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  const follow = page.getByTestId('follow-button');
  await expect(follow).toHaveText('Follow');
  await expect(follow).toHaveAttribute('aria-pressed', 'false');
  await expect(follow).toBeEnabled();
  await follow.click();
  await expect(follow).toHaveText('Following');
  await expect(follow).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('bell')).toHaveAttribute('aria-label', 'Notifications');
  await page.reload();
  await expect(page.getByTestId('follow-button')).toHaveAttribute('aria-pressed', 'true');

  // The writer summarises it.
  const summary = await request.post(`/api/v1/papers/${paper.id}/summaries`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { body_markdown: 'Pool the sequence as it goes up the stack, and decode it back for token-level tasks.' },
  });
  expect(summary.status(), await summary.text()).toBe(201);

  // The bell asks on each page load.
  await page.reload();
  const bell = page.getByTestId('bell');
  await expect(bell).toHaveAttribute('aria-label', 'Notifications, 1 unread');
  await expect(bell).toContainText('1');
  await bell.click();
  await expect(page).toHaveURL(/\/notifications$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Notifications');
  const item = page.getByTestId('notification');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText(`${writer} wrote a summary of`);
  await expect(item).toContainText('a paper you follow');
  await expect(item).toContainText('New');
  await expect(item.getByRole('link', { name: title })).toHaveAttribute('href', /^\/(papers|summaries)\//);

  await page.getByRole('button', { name: 'Mark all as read' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'All read.' })).toBeVisible();
  await expect(bell).toHaveAttribute('aria-label', 'Notifications');
  await expect(bell.locator('.bell-count')).toHaveCount(0);
  await expect(item).toHaveCount(1);
  await expect(item).not.toContainText('New');
  await expect(page.getByTestId('unread-summary')).toHaveText('Nothing unread.');

  // The paper's summaries now reach the reader's Following tab too.
  await page.goto('/?feed=following');
  await expect(page.getByRole('link', { name: 'Following', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('feed-item').filter({ hasText: title }).first()).toBeVisible();
});

test("a profile counts follows and pages through the user's comments", async ({ page, request }, testInfo) => {
  test.setTimeout(60_000);
  const suffix = `${testInfo.project.name}${Date.now() % 100000}`;
  const register = async (username: string) => {
    const response = await request.post('/api/v1/auth/register', {
      data: { username, email: `${username}@example.org`, password: 'a long enough passphrase' },
    });
    expect(response.status(), await response.text()).toBe(201);
    return { Authorization: `Bearer ${(await response.json()).access_token}` };
  };
  const writer = await register(`author${suffix}`);
  const commenter = `talker${suffix}`;
  const talker = await register(commenter);
  const title = `Comment Paging Considered ${suffix}`;
  const created = await request.post('/api/v1/papers', { headers: writer, data: { title, authors: ['Pat Example'], year: 2021 } });
  expect(created.status(), await created.text()).toBe(201);
  const paper = await created.json();
  const written = await request.post(`/api/v1/papers/${paper.id}/summaries`, {
    headers: writer,
    data: { body_markdown: 'A summary to talk about.' },
  });
  expect(written.status(), await written.text()).toBe(201);
  const summaryId = (await written.json()).id;
  // One more comment than a page holds.
  for (let i = 1; i <= 21; i++) {
    const comment = await request.post(`/api/v1/summaries/${summaryId}/comments`, {
      headers: talker,
      data: { body_markdown: `Remark number ${i}.` },
    });
    expect(comment.status(), await comment.text()).toBe(201);
  }
  for (const [headers, path] of [[writer, `user/${commenter}`], [talker, `paper/${paper.id}`]] as const) {
    const followed = await request.put(`/api/v1/me/follows/${path}`, { headers });
    expect(followed.status(), await followed.text()).toBe(201);
  }

  await page.goto(`/users/${commenter}`);
  await expect(page.getByTestId('profile')).toContainText('21 comments');
  await expect(page.getByTestId('follow-counts')).toHaveText('1 follower · follows 1 paper');
  await expect(page.getByRole('link', { name: 'Summaries (0)' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText('No summaries yet.')).toBeVisible();

  await page.getByRole('link', { name: 'Comments (21)' }).click();
  await expect(page).toHaveURL(/\?tab=comments$/);
  const items = page.getByTestId('user-comment');
  await expect(items).toHaveCount(20);
  // Newest first, each linking to itself in its summary's thread.
  await expect(items.first()).toContainText('Remark number 21.');
  await expect(items.first().getByRole('link', { name: new RegExp(title) })).toHaveAttribute('href', new RegExp(`^/summaries/${summaryId}#comment-\\d+$`));
  await page.getByRole('button', { name: 'Load more comments' }).click();
  await expect(items).toHaveCount(21);
  await expect(items.last()).toContainText('Remark number 1.');
  await expect(page.getByRole('button', { name: 'Load more comments' })).toHaveCount(0);
  await items.last().getByRole('link').first().click();
  await expect(page).toHaveURL(new RegExp(`/summaries/${summaryId}#comment-\\d+$`));
  await expect(page.getByTestId('comment').filter({ hasText: 'Remark number 1.' })).toBeVisible();
});

test('the moderation log is public', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('contentinfo').getByRole('link', { name: 'Moderation log' }).click();
  await expect(page).toHaveURL(/\/moderation$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Moderation log');
  await expect(page.locator('main .loading')).toHaveCount(0);
  await expect(page.getByText('Nothing yet.').or(page.getByTestId('log-entry').first())).toBeVisible();
});
