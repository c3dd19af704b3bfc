import { expect, openMenu, test } from './fixtures';

const password = 'a long enough passphrase';

test('register, sign out, sign in, reload: still signed in', async ({ page, context, problems }, testInfo) => {
  // The form errors below are the server's 422 and 401 answers, which the browser logs.
  problems.allow(/status of (401|422)/);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const username = `reader${testInfo.project.name}${Date.now() % 100000}`;

  // A protected page sends us to sign in, and back afterwards.
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings$/);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page).toHaveURL(/\/register\?next=%2Fsettings$/);

  // Inline errors name the field.
  await page.getByLabel('Username').fill('x');
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#field-username-error')).toContainText('3 to 30');
  await expect(page.locator('#field-email-error')).toContainText('valid email');
  await expect(page.locator('#field-password-error')).toContainText('at least 10');

  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Email').fill(`${username}@example.org`);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Display name (optional)').fill('Test Reader');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByTestId('signed-in-as')).toHaveText('Test Reader');
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();

  await openMenu(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  // Signing out of a page that needs a session goes home (not back to sign in).
  await expect(page).toHaveURL(/\/$/);
  await openMenu(page);
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByTestId('signed-in-as')).toHaveCount(0);

  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Username or email').fill(username);
  await page.getByLabel('Password').fill('the wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'wrong username or password' })).toBeVisible();
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-as')).toHaveText('Test Reader');

  // The access token is only in memory: a reload signs back in through the refresh cookie.
  await page.reload();
  await expect(page.getByTestId('signed-in-as')).toHaveText('Test Reader');
  await page.goto('/settings');
  await expect(page.getByRole('heading', { name: 'API tokens' })).toBeVisible();

  // An API token is shown once, then listed by its prefix.
  await page.getByLabel('Token name').fill('my script');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = await page.getByTestId('new-token').textContent();
  expect(token).toMatch(/^ss_[0-9a-f]{16}/);
  await page.getByRole('button', { name: 'Copy token' }).click();
  await expect(page.getByTestId('new-token').locator('..')).toContainText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  await expect(page.locator('.token-list')).toContainText('my script');
  await page.screenshot({ path: testInfo.outputPath('settings.png'), fullPage: true });

  // The profile page is public.
  await openMenu(page);
  await page.getByTestId('signed-in-as').click();
  await expect(page.getByTestId('profile')).toContainText(`@${username}`);
});
