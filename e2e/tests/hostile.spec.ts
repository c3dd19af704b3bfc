import { expect, test } from './fixtures';

// Hostile Markdown, HTML and TeX in a summary and a comment: the browser must run none of it.
// The server-side corpus test (crates/server/tests/api/summaries.rs) checks the HTML; this one
// checks what a real browser does with it.
const HOSTILE = [
  '<script>window.__xss = "script"</script>',
  '<img src=x onerror="window.__xss = \'img\'">',
  '<svg/onload="window.__xss = \'svg\'">',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=\'mathml\'"></style></mglyph></table></mtext></math>',
  '<a href="javascript:window.__xss=\'link\'" id="js-link">javascript link</a>',
  '[markdown link](javascript:window.__xss=\'md\')',
  '<iframe src="javascript:window.__xss=\'iframe\'"></iframe>',
  '<details open ontoggle="window.__xss=\'details\'">details</details>',
  '<form action="https://evil.example"><input name="password"></form>',
  '<div style="position:fixed;inset:0;background:red">overlay</div>',
  '$\\href{javascript:window.__xss=1}{tex link}$',
  '$x</math><img src=x onerror="window.__xss=\'tex\'">$',
  'Real math survives: $\\sum_{i=1}^n x_i^2$ and \\(a_1 * b_2\\).',
].join('\n\n');

test('a hostile summary and comment render as inert text and real math', async ({ page, request }, testInfo) => {
  const name = `hostile${testInfo.project.name}${Date.now() % 100000}`;
  const registered = await request.post('/api/v1/auth/register', {
    data: { username: name, email: `${name}@example.org`, password: 'a long enough passphrase' },
  });
  expect(registered.status()).toBe(201);
  const { access_token: token } = await registered.json();
  const auth = { Authorization: `Bearer ${token}` };
  const paper = await request.post('/api/v1/papers', {
    headers: auth,
    data: { title: `Hostile Paper ${name}`, authors: ['Mallory Example'], year: 2024 },
  });
  expect(paper.status()).toBe(201);
  const paperId = (await paper.json()).id;
  const summary = await request.post(`/api/v1/papers/${paperId}/summaries`, {
    headers: auth,
    data: { body_markdown: HOSTILE },
  });
  expect(summary.status()).toBe(201);
  const summaryId = (await summary.json()).id;
  const comment = await request.post(`/api/v1/summaries/${summaryId}/comments`, {
    headers: auth,
    data: { body_markdown: HOSTILE },
  });
  expect(comment.status()).toBe(201);

  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  for (const path of [`/summaries/${summaryId}`, `/papers/${paperId}`, '/?sort=new']) {
    await page.goto(path);
    await expect(page.locator('math:visible').first()).toBeVisible();
    // Open every "more" expander and click the links the payload tried to plant.
    for (const more of await page.getByRole('button', { name: /^(show )?more$/i }).all()) {
      await more.click({ timeout: 1000 }).catch(() => {});
    }
    const planted = page.locator('#js-link, a:has-text("javascript link"), a:has-text("markdown link")');
    for (const link of await planted.all()) {
      await link.click({ timeout: 2000 }).catch(() => {});
    }
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
    const main = page.locator('main');
    await expect(main.locator('script, iframe, object, embed, form, svg, style')).toHaveCount(0);
    await expect(main.locator('[onerror], [onload], [ontoggle], [style*="position"]')).toHaveCount(0);
    await expect(main.locator('a[href^="javascript:"]')).toHaveCount(0);
  }
  expect(dialogs).toEqual([]);
});
