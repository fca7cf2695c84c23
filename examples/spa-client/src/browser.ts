// GraphiQL in a real browser (Debian's chromium through playwright-core), with every
// request that leaves 127.0.0.1 blocked: the playground must work with no internet.
import { mkdirSync } from 'node:fs';

import { offlinePage } from './chromium.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, BASE_URL, ENDPOINT, check } from './env.js';

// A token to paste into the Headers tab, as a developer would after running login.
const res = await fetch(ENDPOINT, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    query: 'mutation($u: String!, $p: String!) { login(input: { usernameOrEmail: $u, password: $p }) { accessToken } }',
    variables: { u: ADMIN_EMAIL, p: ADMIN_PASSWORD },
  }),
});
const token: string = ((await res.json()) as { data: { login: { accessToken: string } } }).data.login.accessToken;

const { browser, page, blocked, pageErrors } = await offlinePage({ viewport: { width: 1280, height: 800 } });
try {
  await page.goto(`${BASE_URL}/graphql`);
  await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 20_000 });
  check(true, 'GraphiQL rendered from gerbang alone');

  // Type the query like a person: clear the editor, then type.
  await page.click('.graphiql-query-editor .CodeMirror');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type('query Me { me { email displayName } }');
  // GraphiQL re-reads the operation name from the editor after a short debounce.
  await page.waitForTimeout(750);

  // The Headers tab is open by default; put the bearer token in it.
  await page.evaluate((t) => {
    const editors = Array.from(document.querySelectorAll('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror'));
    const cm = (editors[0] as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror;
    cm.setValue(JSON.stringify({ Authorization: `Bearer ${t}` }, null, 2));
  }, token);

  await page.click('.graphiql-execute-button');
  mkdirSync('screenshots', { recursive: true });
  try {
    await page.waitForFunction(
      (email) => document.querySelector('.graphiql-response')?.textContent?.includes(email) ?? false,
      ADMIN_EMAIL,
      { timeout: 20_000 },
    );
  } catch (e) {
    await page.screenshot({ path: 'screenshots/graphiql-failure.png' });
    console.log(`page errors: ${pageErrors.join('; ')}; blocked: ${blocked.join(', ')}`);
    throw e;
  }
  const result = (await page.textContent('.graphiql-response')) ?? '';
  check(result.includes(ADMIN_EMAIL), 'the result panel shows the signed-in user\'s email');
  check(!result.includes('UNAUTHENTICATED'), 'the Authorization header from the Headers tab was sent');

  // The bearer token stays in the tab: nothing of it is written to localStorage.
  const stored = await page.evaluate(() => JSON.stringify(window.localStorage));
  check(!stored.includes(token), 'the Authorization header is not persisted to localStorage');

  // The docs explorer is built from introspection, which must pass the default limits.
  await page.click('button[aria-label="Show Documentation Explorer"]');
  await page.waitForSelector('.graphiql-doc-explorer', { timeout: 20_000 });
  await page.click('.graphiql-doc-explorer a:text-is("Query")');
  try {
    await page.waitForSelector('.graphiql-doc-explorer-field-name:text-is("users")', { timeout: 20_000 });
  } catch (e) {
    await page.screenshot({ path: 'screenshots/graphiql-docs-failure.png' });
    throw e;
  }
  check(true, 'the docs explorer lists Query.users');
  await page.screenshot({ path: 'screenshots/graphiql-docs.png' });
  await page.click('button[aria-label="Hide Documentation Explorer"]');

  await page.screenshot({ path: 'screenshots/graphiql.png' });
  check(pageErrors.length === 0, `no script errors (${pageErrors.join('; ')})`);
  console.log(`blocked outside requests: ${blocked.length === 0 ? 'none were made' : blocked.join(', ')}`);
  console.log('browser: all checks passed');
} finally {
  await browser.close();
}
