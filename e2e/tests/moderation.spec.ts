// Moderation in the web app: a reader flags a summary, the moderator hides it from the queue
// with a reason, and the public log (signed out) says so without the hidden text; a reader
// claims authorship with an ORCID iD, the moderator approves, and the paper page shows the
// verified author. Each test adds a paper of its own (demo papers are counted by other specs);
// the moderator is the admin playwright.config.ts creates before the server starts.
import { type APIRequestContext } from '@playwright/test';
import { expect, moderator, openMenu, signInAsModerator, signInByApi, test } from './fixtures';

/** Registers `name` through `request` (its own cookie jar) and returns the access token. */
async function register(request: APIRequestContext, name: string): Promise<string> {
  const response = await request.post('/api/v1/auth/register', {
    data: { username: name, email: `${name}@example.org`, password: 'a long enough passphrase' },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()).access_token;
}

/** A valid ORCID iD of its own (ISO 7064 mod 11-2 check character): an approved claim sets
 * the author's ORCID, and one ORCID belongs to one author. */
function uniqueOrcid(): string {
  const digits = `0000000${Date.now() % 1e7}${Math.floor(Math.random() * 1e8)}`.slice(-15).padStart(15, '0');
  let total = 0;
  for (const d of digits) total = (total + Number(d)) * 2;
  const check = (12 - (total % 11)) % 11;
  const all = digits + (check === 10 ? 'X' : String(check));
  return all.match(/.{4}/g)!.join('-');
}

test('a reader flags a summary, the moderator hides it with a reason, the public log says so', async ({ page, request, problems }, testInfo) => {
  test.setTimeout(90_000);
  // The second flag's answer.
  problems.allow(/status of 409/);
  const suffix = `${testInfo.project.name}${Date.now() % 100000}r${testInfo.retry}`;
  const writer = `modwriter${suffix}`;
  const flagger = `flagger${suffix}`;
  const secret = `Spammy text that must not reach the log ${suffix}`;
  const reason = `Advertising, not a summary (${suffix})`;

  const token = await register(request, writer);
  const created = await request.post('/api/v1/papers', {
    headers: { Authorization: `Bearer ${token}` },
    data: { title: `Flaggable Findings ${suffix}`, authors: ['Fay Example'], year: 2021 },
  });
  expect(created.status(), await created.text()).toBe(201);
  const paper = await created.json();
  const written = await request.post(`/api/v1/papers/${paper.id}/summaries`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { body_markdown: secret },
  });
  expect(written.status(), await written.text()).toBe(201);
  const id = (await written.json()).id;

  // The reader flags it from the summary's page; a second flag is refused politely.
  await signInByApi(page, flagger);
  await page.goto(`/summaries/${id}`);
  const flag = page.getByRole('button', { name: 'Flag this summary' });
  await expect(flag).toHaveAttribute('aria-expanded', 'false');
  await flag.click();
  await expect(flag).toHaveAttribute('aria-expanded', 'true');
  const form = page.getByRole('form', { name: 'Flag this summary' });
  await expect(form.getByLabel('Reason')).toBeFocused();
  await form.getByLabel('Reason').selectOption('spam');
  await form.getByLabel('Note for the moderators (optional)').fill('Links to a shop.');
  await form.getByRole('button', { name: 'Send flag' }).click();
  const said = page.getByTestId('summary').locator('.flag').getByRole('status');
  await expect(said).toHaveText('Flagged — moderators will review it');
  await expect(form).toHaveCount(0);
  await flag.click();
  await form.getByRole('button', { name: 'Send flag' }).click();
  await expect(said).toHaveText('You already flagged this');

  // The moderator finds it in the queue (linked from the header) and hides it with a reason.
  await page.context().clearCookies();
  await signInAsModerator(page);
  await page.goto('/');
  await openMenu(page);
  await page.getByRole('link', { name: 'Moderation', exact: true }).click();
  await expect(page).toHaveURL(/\/moderation\/queue$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Moderators' queue");
  const card = page.getByTestId('flagged-target').filter({ hasText: `Summary ${id}` });
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('1 flag');
  await expect(card).toContainText('Spam ×1');
  await expect(card).toContainText('Links to a shop.');
  await expect(card).toContainText(flagger);
  await expect(card.getByRole('link', { name: `Summary ${id}` })).toHaveAttribute('href', new RegExp(`/summaries/${id}`));
  await card.getByLabel('Reason (shown in the public moderation log)').fill(reason);
  await card.getByRole('button', { name: 'Hide', exact: true }).click();
  // Hiding resolves its flags: it leaves the queue.
  await expect(card).toHaveCount(0);

  // Signed out, the public log shows the action and the reason, never the hidden text.
  await page.context().clearCookies();
  await page.goto('/moderation');
  const entry = page.getByTestId('log-entry').filter({ hasText: `summary ${id}` }).first();
  await expect(entry).toContainText(`${moderator.username} hid summary ${id}`);
  await expect(entry).toContainText(`Reason: ${reason}`);
  await expect(page.locator('main')).not.toContainText(secret);
  // And the summary is gone for readers.
  await page.goto(`/papers/${paper.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Flaggable Findings ${suffix}`);
  await expect(page.locator('main')).not.toContainText(secret);
});

test('a reader claims authorship with an ORCID iD, the moderator approves, the paper shows it', async ({ page, request, problems }, testInfo) => {
  test.setTimeout(90_000);
  // The wrong ORCID check character's answer.
  problems.allow(/status of 422/);
  const suffix = `${testInfo.project.name}${Date.now() % 100000}r${testInfo.retry}`;
  const claimer = `claimer${suffix}`;
  const author = `Grace Claimant ${suffix}`;
  const orcid = uniqueOrcid();

  const token = await register(request, `adder${suffix}`);
  const created = await request.post('/api/v1/papers', {
    headers: { Authorization: `Bearer ${token}` },
    data: { title: `Claimable Contributions ${suffix}`, authors: ['Ada Coauthor', author], year: 2022 },
  });
  expect(created.status(), await created.text()).toBe(201);
  const paper = await created.json();

  await signInByApi(page, claimer);
  await page.goto(`/papers/${paper.id}`);
  const open = page.getByRole('button', { name: 'Are you an author? Claim authorship' });
  await open.click();
  await expect(open).toHaveAttribute('aria-expanded', 'true');
  await page.getByLabel('Which author are you?').selectOption({ label: author });
  // A wrong check character is refused on the field.
  const field = page.getByLabel('Your ORCID iD (optional)');
  await field.fill('0000-0002-1825-0098');
  await page.getByRole('button', { name: 'Send claim' }).click();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#claim-orcid-error')).not.toBeEmpty();
  await field.fill(orcid);
  await page.getByRole('button', { name: 'Send claim' }).click();
  await expect(page.getByTestId('claim-status')).toHaveText('Claim sent to moderators');

  // The moderator approves it.
  await page.context().clearCookies();
  await signInAsModerator(page);
  await page.goto('/moderation/queue');
  const card = page.getByTestId('claim').filter({ hasText: claimer });
  await expect(card).toHaveCount(1);
  await expect(card).toContainText(`claims to be ${author}`);
  await expect(card.getByRole('link', { name: orcid })).toHaveAttribute('href', `https://orcid.org/${orcid}`);
  await card.getByLabel('Reason (shown in the public moderation log)').fill('ORCID record matches.');
  await card.getByRole('button', { name: 'Approve' }).click();
  await expect(card).toHaveCount(0);

  // Everyone sees the verified author with the ORCID link.
  await page.context().clearCookies();
  await page.goto(`/papers/${paper.id}`);
  const verified = page.getByTestId('verified-author');
  await expect(verified).toHaveCount(1);
  await expect(verified).toHaveAttribute('href', `/users/${claimer}`);
  await expect(page.getByRole('link', { name: `ORCID ${orcid}` })).toHaveAttribute('href', `https://orcid.org/${orcid}`);
});

test('the moderators\' queue says "Moderators only" to everyone else', async ({ page }, testInfo) => {
  await signInByApi(page, `notmod${testInfo.project.name}`);
  await page.goto('/moderation/queue');
  await expect(page.getByTestId('moderators-only')).toContainText('Moderators only');
  await openMenu(page);
  await expect(page.getByRole('link', { name: 'Moderation', exact: true })).toHaveCount(0);
});
