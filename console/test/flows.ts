// The console as people use it, in Debian's Chromium (playwright-core), against a gerbang
// binary this script starts on its own SQLite file. Every request that leaves loopback is
// blocked; a script error or a CSP violation on any page fails the run. Screenshots of the
// main screens land in console/screenshots/.
//
// Usage: GERBANG_BIN=path/to/gerbang npm run flows
// With CONSOLE_DIST=dist the pages get the console as built here instead of the one the
// binary embeds (gerbang's headers kept): for a binary built before the console last changed.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { totp } from '../../examples/spa-client/src/totp';

const given = process.env.GERBANG_BIN ?? process.argv[2];
if (!given) throw new Error('usage: GERBANG_BIN=path/to/gerbang npm run flows');
const bin: string = given;

const ADMIN = { email: 'console-admin@example.com', password: 'console admin passphrase' };
const AYU = { email: 'ayu.lestari@example.com', password: 'ayu first passphrase 1' };
const PLAIN = { email: 'budi.plain@example.com', password: 'budi plain user passphrase' };
const SHOTS = 'screenshots';

// --- the harness -----------------------------------------------------------------------

let passed = 0;
const pages: Page[] = [];
const serverLines: string[] = [];
const problems: string[] = [];

async function check(title: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    console.error(`\n--- last lines of gerbang ---\n${serverLines.slice(-30).join('\n')}`);
    console.error(`FAIL: check ${passed + 1} (${title}): ${err instanceof Error ? err.stack : err}`);
    if (problems.length > 0) console.error(`problems on the page:\n${problems.join('\n')}`);
    for (const [i, open] of pages.entries()) {
      await open.screenshot({ path: `${SHOTS}/failed-${i}.png`, fullPage: true }).catch(() => undefined);
      console.error(`page ${i} at ${open.url()}: ${SHOTS}/failed-${i}.png`);
    }
    process.exit(1);
  }
  if (problems.length > 0) {
    console.error(`FAIL: check ${passed + 1} (${title}) left problems on the page:\n${problems.join('\n')}`);
    process.exit(1);
  }
  console.log(`ok ${++passed} - ${title}`);
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// --- gerbang ---------------------------------------------------------------------------

const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GERBANG_')));

/** A gerbang on its own SQLite file and port, ready; `settings` add to or override the usual. */
async function startGerbang(settings: Record<string, string> = {}) {
  const work = mkdtempSync(join(tmpdir(), 'gerbang-console-'));
  const port = await freePort();
  // WebAuthn wants a domain: the console is opened at localhost, which gerbang serves.
  const base = `http://localhost:${port}`;
  const server = spawn(bin, ['serve'], {
    env: {
      ...env,
      GERBANG_LISTEN: `127.0.0.1:${port}`,
      GERBANG_DATABASE_URL: `sqlite://${work}/gerbang.db`,
      GERBANG_ADMIN_EMAIL: ADMIN.email,
      GERBANG_ADMIN_PASSWORD: ADMIN.password,
      // Short enough that the console's silent refresh happens during the run.
      GERBANG_ACCESS_TOKEN_TTL: '20s',
      GERBANG_WEBAUTHN_RP_ID: 'localhost',
      GERBANG_WEBAUTHN_ORIGINS: base,
      GERBANG_APP_URL: base,
      ...settings,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (data: Buffer) => serverLines.push(...String(data).split('\n').filter(Boolean));
  server.stdout.on('data', keep);
  server.stderr.on('data', keep);
  process.on('exit', () => server.kill('SIGKILL'));
  for (let i = 0; ; i++) {
    if (server.exitCode !== null) throw new Error(`gerbang exited:\n${serverLines.join('\n')}`);
    if (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false)) break;
    if (i > 300) throw new Error('gerbang did not become ready');
    await sleep(100);
  }
  return { server, port, base };
}

const { server, port, base: BASE } = await startGerbang();
const API = `http://127.0.0.1:${port}/graphql`;

type Gql = { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
async function gql(query: string, variables: object = {}, token?: string): Promise<Gql> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(API, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as Gql;
}
async function ok(query: string, variables: object = {}, token?: string): Promise<any> {
  const body = await gql(query, variables, token);
  assert(!body.errors, `${query}: ${JSON.stringify(body.errors)}`);
  return body.data;
}
const LOGIN = 'mutation($u: String!, $p: String!) { login(input: { usernameOrEmail: $u, password: $p }) { accessToken refreshToken } }';
const login = async (who: { email: string; password: string }) => (await ok(LOGIN, { u: who.email, p: who.password })).login;

// --- the browser -----------------------------------------------------------------------

const browser: Browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
process.on('exit', () => void browser.close());

const localDist = process.env.CONSOLE_DIST;
const TYPES: Record<string, string> = { 'index.html': 'text/html; charset=utf-8', 'app.js': 'text/javascript; charset=utf-8', 'app.css': 'text/css; charset=utf-8' };

async function newPage(locale = 'en-US'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 860 } });
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
    const asset = url.pathname.startsWith('/admin/assets/') ? url.pathname.slice('/admin/assets/'.length) : null;
    const file = asset ?? (route.request().resourceType() === 'document' && url.pathname.startsWith('/admin') ? 'index.html' : null);
    if (loopback && localDist && file && TYPES[file]) {
      const response = await route.fetch();
      const headers: Record<string, string> = { ...response.headers(), 'content-type': TYPES[file] };
      delete headers['content-length'];
      return route.fulfill({ status: 200, headers, body: readFileSync(join(localDist, file)) });
    }
    if (loopback) return route.continue();
    problems.push(`a request left loopback: ${url.href}`);
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  pages.push(page);
  page.on('pageerror', (e) => problems.push(`script error: ${e}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(`CSP: ${m.text()}`);
    else if (process.env.CONSOLE_LOG) console.log(`  [page ${m.type()}] ${m.text()}`);
  });
  return { context, page };
}

mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

/** Form controls without an accessible name, on the page as it is now. */
async function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => {
        const labels = (el as HTMLInputElement).labels;
        const named = el.getAttribute('aria-label') || (labels && labels.length > 0) || (el.tagName === 'BUTTON' && el.textContent?.trim());
        return !named && (el as HTMLInputElement).type !== 'hidden';
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}
async function everyControlLabelled(page: Page, screen: string): Promise<void> {
  const missing = await unlabelled(page);
  assert(missing.length === 0, `${screen}: controls without a label:\n${missing.join('\n')}`);
}

async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.getByLabel('Username or email').fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

const alert = (page: Page) => page.locator('.alert');
const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
/** The text of the elements that describe `control` (aria-describedby). */
async function description(control: ReturnType<Page['locator']>): Promise<string> {
  const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const page = control.page();
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
  return texts.join(' ');
}
const focused = (control: ReturnType<Page['locator']>) => control.evaluate((el) => el === document.activeElement);
const PRESENCE = 'You signed in a while ago: enter your current password to confirm it is you.';
async function expectNotice(page: Page, text: string): Promise<void> {
  await page.getByRole('status').filter({ hasText: text }).first().waitFor({ timeout: 5000 });
}

// --- the flows -------------------------------------------------------------------------

// The script's own administrator token, renewed as it nears the short lifetime set above.
let adminToken = { token: '', at: 0 };
async function admin(): Promise<string> {
  if (Date.now() - adminToken.at > 15_000) adminToken = { token: (await login(ADMIN)).accessToken, at: Date.now() };
  return adminToken.token;
}

await check('the console\'s JavaScript is within its budget of 150 KB gzipped', async () => {
  const gz = gzipSync(readFileSync('dist/app.js'), { level: 9 }).length;
  console.log(`  app.js: ${readFileSync('dist/app.js').length} bytes, ${gz} gzipped`);
  assert(gz <= 150 * 1024, `app.js is ${gz} bytes gzipped`);
});

const { page } = await newPage();

await check('the first page is interactive in under a second on loopback', async () => {
  await page.goto(`${BASE}/admin`);
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  const ms = await page.evaluate(() => performance.now());
  console.log(`  sign-in form ready ${ms.toFixed(0)} ms after navigation began`);
  assert(ms < 1000, `the sign-in form took ${ms} ms`);
  assert((await page.title()).includes('Sign in'), 'the title names the screen');
  await everyControlLabelled(page, 'sign-in');
  await shot(page, '01-sign-in');
});

await check('a wrong password is refused with gerbang\'s message', async () => {
  await page.getByLabel('Username or email').fill(ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await alert(page).filter({ hasText: /invalid|wrong|incorrect/i }).waitFor();
});

await check('the administrator signs in with the keyboard alone', async () => {
  await page.goto(`${BASE}/admin`);
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.type(ADMIN.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(ADMIN.password);
  await page.keyboard.press('Enter');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).waitFor();
  assert(page.url().endsWith('/admin/users'), `lands on the users list, not ${page.url()}`);
  const stored = await page.evaluate(() => Object.keys(localStorage).length);
  assert(stored === 0, 'nothing is kept in localStorage');
});

// Some people to find among.
for (const [email, displayName] of [
  ['citra@example.com', 'Citra Dewi'],
  ['dimas@example.com', 'Dimas Pratama'],
  ['eka@example.com', 'Eka Putri'],
]) {
  await ok('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { email, displayName } }, await admin());
}
// A plain user: no permission of gerbang's, one application permission of the deployment's.
const reporting = (await ok('mutation { createRole(input: { name: "reporting", appPermissions: ["report:read"] }) { id } }', {}, await admin())).createRole.id as string;
await ok('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { email: PLAIN.email, password: PLAIN.password, roleIds: [reporting] } }, await admin());

let ayuId = '';
await check('creates a user from the New user form', async () => {
  await page.getByRole('link', { name: 'New user' }).click();
  await page.getByLabel('Email', { exact: true }).fill(AYU.email);
  await page.getByLabel(/^Password/).fill(AYU.password);
  await page.getByLabel('Display name').fill('Ayu Lestari');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { level: 1, name: 'Ayu Lestari' }).waitFor();
  ayuId = page.url().split('/').pop() ?? '';
  await ok('mutation($id: ID!) { updateUser(id: $id, input: { phoneNumber: "+62 812 0000 1111" }) { id } }', { id: ayuId }, await admin());
});

await check('finds a user by search, with the total count', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await page.getByText('6 users').waitFor();
  await everyControlLabelled(page, 'users');
  await shot(page, '02-users');
  await page.getByLabel('Search', { exact: true }).fill('ayu');
  await page.keyboard.press('Enter');
  await page.getByText('1 user', { exact: true }).waitFor();
  assert((await page.locator('tbody tr').count()) === 1, 'one row');
  await page.getByRole('link', { name: AYU.email }).click();
  await page.getByRole('heading', { level: 1, name: 'Ayu Lestari' }).waitFor();
});

await check('edits a field and clears another (only what changed is sent; emptied is null)', async () => {
  await page.getByLabel('Phone number').waitFor();
  assert((await page.getByLabel('Phone number').inputValue()) === '+62 812 0000 1111', 'the phone number is shown');
  await page.getByLabel('Display name').fill('Ayu L.');
  await page.getByLabel('Phone number').fill('');
  const sent = page.waitForRequest((r) => r.url().endsWith('/graphql') && (r.postData() ?? '').includes('UpdateUser'));
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const input = JSON.parse((await sent).postData() ?? '{}').variables.input;
  assert(JSON.stringify(input) === JSON.stringify({ displayName: 'Ayu L.', phoneNumber: null }), `sent ${JSON.stringify(input)}`);
  await page.getByRole('heading', { level: 1, name: 'Ayu L.' }).waitFor();
  await expectNotice(page, 'Saved.');
  const { user } = await ok('query($id: ID!) { user(id: $id) { displayName phoneNumber } }', { id: ayuId }, await admin());
  assert(user.displayName === 'Ayu L.' && user.phoneNumber === null, JSON.stringify(user));
  await everyControlLabelled(page, 'user');
});

let roleId = '';
await check('creates a role with a permission and an application permission', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Roles' }).click();
  await page.getByRole('link', { name: 'New role' }).click();
  await page.getByLabel('Name', { exact: true }).fill('auditors');
  await page.getByLabel('Code').fill('42');
  await page.getByLabel('Read the audit log').check();
  await page.getByLabel('Application permissions').fill('report:read');
  await everyControlLabelled(page, 'new role');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { level: 1, name: 'auditors' }).waitFor();
  roleId = page.url().split('/').pop() ?? '';
  const { role } = await ok('query($id: ID!) { role(id: $id) { code permissions appPermissions } }', { id: roleId }, await admin());
  assert(role.code === 42 && role.permissions.join() === 'AUDIT_READ' && role.appPermissions.join() === 'report:read', JSON.stringify(role));
});

await check('edits a role: a description and one more permission', async () => {
  await page.getByLabel('Description').fill('Read the log for the quarterly review');
  await page.getByLabel('Read users').check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expectNotice(page, 'Saved.');
  assert((await page.getByLabel('Description').inputValue()) === 'Read the log for the quarterly review', 'kept on the form');
  const { role } = await ok('query($id: ID!) { role(id: $id) { description permissions } }', { id: roleId }, await admin());
  assert(role.description === 'Read the log for the quarterly review' && role.permissions.join() === 'USER_READ,AUDIT_READ', JSON.stringify(role));
});

await check('a taken role name lands on the name field (CONFLICT) and a bad code on the code field', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Roles' }).click();
  await page.getByRole('link', { name: 'New role' }).click();
  await page.getByLabel('Name', { exact: true }).fill('auditors');
  await page.getByRole('button', { name: 'Create' }).click();
  await alert(page).first().waitFor();
  await page.getByLabel('Name', { exact: true }).fill('reviewers');
  await page.getByLabel('Code').fill('-3');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.locator('[aria-invalid="true"]').first().waitFor();
  assert((await page.getByLabel('Code').getAttribute('aria-invalid')) === 'true', 'the code field is marked invalid');
});

await check('gives a user a role', async () => {
  await page.goto(`${BASE}/admin/users/${ayuId}`);
  await page.getByRole('group', { name: 'Roles' }).getByLabel('auditors').check();
  await page.getByRole('button', { name: 'Save roles' }).click();
  await expectNotice(page, 'Saved.');
  const { user } = await ok('query($id: ID!) { user(id: $id) { roles { name } } }', { id: ayuId }, await admin());
  assert(user.roles.map((r: { name: string }) => r.name).includes('auditors'), JSON.stringify(user));
  await page.goto(`${BASE}/admin/roles/${roleId}`);
  await page.getByRole('link', { name: 'Ayu L.' }).waitFor();
  await shot(page, '04-role');
});

await check('deactivates a user, finds it by the filters, activates it again', async () => {
  await page.goto(`${BASE}/admin/users/${ayuId}`);
  await page.getByRole('button', { name: 'Deactivate' }).click();
  await page.getByText('This account is deactivated: it cannot sign in.').waitFor();
  const refused = await gql(LOGIN, { u: AYU.email, p: AYU.password });
  assert(refused.errors?.[0]?.extensions?.code, 'a deactivated account cannot sign in');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await page.getByText('6 users').waitFor();
  await page.getByLabel('Status').selectOption('false');
  await page.getByText('1 user', { exact: true }).waitFor();
  await page.getByLabel('Status').selectOption('');
  await page.getByLabel('Role').selectOption({ label: 'auditors' });
  await page.getByText('1 user', { exact: true }).waitFor();
  assert(page.url().includes(`role=${roleId}`), `the filter is in the URL: ${page.url()}`);
  await page.getByLabel('Sort by').selectOption('email');
  await page.getByLabel('Role').selectOption('');
  await page.getByText('6 users').waitFor();
  const emails = await page.locator('tbody tr td:first-child').allTextContents();
  assert(JSON.stringify(emails) === JSON.stringify([...emails].sort()), `sorted by email: ${emails.join()}`);
  await page.getByRole('link', { name: AYU.email }).click();
  await page.getByRole('button', { name: 'Activate' }).click();
  await page.getByText('This account is active.').waitFor();
});

await check('a password gerbang refuses is shown on the password field (BAD_USER_INPUT)', async () => {
  await page.goto(`${BASE}/admin/users/${ayuId}`);
  await page.getByLabel('New password').fill('short');
  await page.getByRole('button', { name: 'Set password' }).click();
  await page.locator('input[name="password"][aria-invalid="true"]').waitFor();
  const describedBy = await page.getByLabel('New password').getAttribute('aria-describedby');
  const message = await page.locator(`#${describedBy}`).textContent();
  assert(message && /characters|short/i.test(message), `the field's message: ${message}`);
});

AYU.password = 'ayu second passphrase 2';
await check('resets a user\'s password', async () => {
  await page.getByLabel('New password').fill(AYU.password);
  await page.getByRole('button', { name: 'Set password' }).click();
  await expectNotice(page, 'Password set');
  await login(AYU);
});

await check('revokes a user\'s session', async () => {
  const tokens = await login(AYU);
  await page.reload();
  const revoke = page.getByRole('button', { name: /^Revoke:/ });
  await revoke.first().waitFor();
  const before = await revoke.count();
  await revoke.first().click();
  await expectNotice(page, '1 session ended.');
  await page.waitForFunction((n) => document.querySelectorAll('button[aria-label^="Revoke:"]').length === n - 1, before);
  await shot(page, '03-user');
  // One of the two sessions ended; both ending shows gerbang refusing the revoked one.
  await page.getByRole('button', { name: 'Revoke all sessions' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await expectNotice(page, '1 session ended.');
  const refused = await gql('mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }', { t: tokens.refreshToken });
  assert(refused.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED', JSON.stringify(refused));
});

await check('refreshes the access token silently before it expires', async () => {
  const refreshed = await page.waitForRequest((r) => (r.postData() ?? '').includes('mutation Refresh'), { timeout: 25_000 });
  const answer = await refreshed.response();
  assert(answer?.ok(), 'the refresh succeeded');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await page.getByText('6 users').waitFor();
});

await check('reads the audit log, filtered and paged', async () => {
  for (let i = 0; i < 12; i++) await login(ADMIN); // enough events for a second page
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await page.getByText(/\d+ events/).waitFor();
  await everyControlLabelled(page, 'audit');
  await shot(page, '05-audit');
  await page.getByLabel('Action').selectOption('PASSWORD_SET');
  await page.getByText('1 event', { exact: true }).waitFor();
  await page.locator('tbody').getByRole('link', { name: ayuId }).waitFor();
  await page.getByLabel('Action').selectOption('');
  const total = Number((await page.getByText(/\d+ events/).textContent())?.split(' ')[0]);
  assert(total > 25, `enough events for two pages (${total})`);
  const firstRow = () => page.locator('tbody tr').first().textContent();
  const top = await firstRow();
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.waitForURL(/after=/);
  await page.waitForFunction((row) => document.querySelector('tbody tr')?.textContent !== row, top);
  const second = await page.locator('tbody tr').count();
  assert(second === Math.min(25, total - 25), `the second page has ${second} rows`);
  await page.getByRole('button', { name: 'Previous page' }).click();
  await page.waitForURL(/before=/);
  await page.waitForFunction((row) => document.querySelector('tbody tr')?.textContent === row, top);
  assert((await page.locator('tbody tr').count()) === 25, 'back to the first page');
});

await check('a wrong current password for a new API key is one message, on its field, which takes the focus', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My account' }).click();
  const keys = region(page, 'API keys');
  await keys.getByLabel('Key name', { exact: true }).fill('ci reports');
  await keys.getByRole('group', { name: 'Permissions', exact: true }).getByLabel('Read users').check();
  await keys.getByLabel('Current password').fill('not my password');
  await keys.getByRole('button', { name: 'Create key' }).click();
  const field = keys.locator('input[name="currentPassword"][aria-invalid="true"]');
  await field.waitFor();
  assert(await focused(field), 'the current-password field has the focus');
  const said = await description(field);
  assert(/password/i.test(said), `the field's message: ${said}`);
  assert((await keys.locator('.alert').count()) === 0, 'no second message in a banner');
});

await check('an API key\'s secret is shown once', async () => {
  await page.getByLabel('Key name', { exact: true }).fill('ci reports');
  await region(page, 'API keys').getByLabel('Current password').fill(ADMIN.password);
  const sent = page.waitForRequest((r) => (r.postData() ?? '').includes('mutation CreateApiKey'));
  await page.getByRole('button', { name: 'Create key' }).click();
  const input = JSON.parse((await sent).postData() ?? '{}').variables.input;
  assert(input.currentPassword === ADMIN.password, 'the current password is sent with the key');
  const secret = (await page.locator('.secret code').textContent()) ?? '';
  assert(secret.startsWith('gbk_'), `the secret: ${secret}`);
  const { me } = await ok('{ me { email apiKeys { name permissions } } }', {}, secret);
  assert(me.email === ADMIN.email, 'the key works');
  const key = me.apiKeys.find((k: { name: string }) => k.name === 'ci reports');
  assert(key?.permissions.join() === 'USER_READ', JSON.stringify(key));
  await everyControlLabelled(page, 'account');
  await shot(page, '06-account');
  await page.reload();
  await page.getByRole('cell', { name: 'ci reports', exact: true }).waitFor();
  assert((await page.locator('.secret').count()) === 0, 'not shown again');
});

await check('deletes a role, after a confirmation', async () => {
  await page.goto(`${BASE}/admin/roles/${roleId}`);
  await page.getByRole('button', { name: 'Delete role' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Delete role' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await page.waitForURL(`${BASE}/admin/roles`);
  await page.getByRole('cell', { name: /developer/i }).first().waitFor();
  assert((await page.getByRole('link', { name: 'auditors' }).count()) === 0, 'gone from the list');
});

await check('a system role keeps its name and cannot be deleted: both disabled, saying why', async () => {
  await page.goto(`${BASE}/admin/roles`);
  await page.getByRole('link', { name: 'developer', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'developer' }).waitFor();
  const name = page.getByLabel('Name', { exact: true });
  assert(await name.isDisabled(), 'the name field is disabled');
  assert((await description(name)).includes('A system role keeps its name.'), `the name field says why: ${await description(name)}`);
  const del = page.getByRole('button', { name: 'Delete role' });
  assert(await del.isDisabled(), 'the delete button is disabled');
  assert((await del.getAttribute('title')) === 'A system role cannot be deleted.', 'its title says why');
  assert((await description(del)) === 'A system role cannot be deleted.', 'and so does its description');
  assert(await page.getByLabel('Description').isEnabled(), 'the rest of the role stays editable');
  await shot(page, '08-system-role');
});

await check('on one\'s own user page, one\'s roles and active status are disabled, saying why', async () => {
  const { me } = await ok('{ me { id } }', {}, await admin());
  await page.goto(`${BASE}/admin/users/${me.id}`);
  const deactivate = page.getByRole('button', { name: 'Deactivate' });
  await deactivate.waitFor();
  assert(await deactivate.isDisabled(), 'Deactivate is disabled');
  assert((await description(deactivate)).includes('another administrator'), `it says why: ${await description(deactivate)}`);
  const roles = page.getByRole('group', { name: 'Roles' });
  assert(await roles.getByRole('checkbox').first().isDisabled(), 'the role choices are disabled');
  assert((await description(roles)).includes('another administrator'), 'the roles say why');
  assert((await page.getByRole('button', { name: 'Save roles' }).count()) === 0, 'no Save roles button');
  assert(await page.getByRole('button', { name: 'Set password' }).isEnabled(), 'what one may change stays enabled');
});

await check('deletes a user, after a confirmation', async () => {
  const { createUser } = await ok('mutation { createUser(input: { email: "leaving@example.com" }) { id } }', {}, await admin());
  await page.goto(`${BASE}/admin/users/${createUser.id}`);
  await page.getByRole('button', { name: 'Delete user' }).click();
  await page.keyboard.press('Escape');
  assert((await page.getByRole('dialog').count()) === 0, 'Escape closes the dialog');
  await page.getByRole('button', { name: 'Delete user' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await page.waitForURL(`${BASE}/admin/users`);
  const { user } = await ok('query($id: ID!) { user(id: $id) { id } }', { id: createUser.id }, await admin());
  assert(user === null, 'deleted');
});

await check('signs out: back to the sign-in form, the session ended', async () => {
  const refresh = await page.evaluate(() => sessionStorage.getItem('gerbang.console.refresh'));
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  assert((await page.evaluate(() => sessionStorage.length)) === 0, 'nothing kept');
  const refused = await gql('mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }', { t: refresh });
  assert(refused.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED', 'the session ended');
});

const { context: plainContext, page: plainPage } = await newPage();

await check('a plain user sees no admin screens, and gerbang refuses a forced URL', async () => {
  await plainPage.goto(`${BASE}/admin/users`);
  await signIn(plainPage, PLAIN);
  const nav = plainPage.getByRole('navigation', { name: 'Main' });
  const links = await nav.getByRole('link').allTextContents();
  assert(links.join() === 'My account', `the navigation shows ${links.join()}`);
  for (const path of ['/admin/users', '/admin/audit', `/admin/users/${ayuId}`]) {
    await plainPage.goto(`${BASE}${path}`);
    await plainPage.locator('[data-code="FORBIDDEN"]').waitFor();
  }
  await plainPage.goto(`${BASE}/admin/users/new`);
  await plainPage.getByLabel('Email', { exact: true }).fill('sneaky@example.com');
  await plainPage.getByRole('button', { name: 'Create' }).click();
  await alert(plainPage).first().waitFor();
  const plainToken = (await login(PLAIN)).accessToken;
  const refusal = (await gql('mutation { createUser(input: { email: "sneaky@example.com" }) { id } }', {}, plainToken)).errors?.[0];
  await ok('mutation { logout }', {}, plainToken); // the plain user keeps one session, as before
  assert(refusal?.extensions?.code === 'FORBIDDEN', JSON.stringify(refusal));
  const shown = await alert(plainPage).allTextContents();
  assert(shown.length === 1 && shown[0] === refusal.message, `one message, gerbang's (${refusal.message}): ${JSON.stringify(shown)}`);
});

await check('sets up an authenticator app from the QR code, then signs in with a recovery code', async () => {
  await plainPage.goto(`${BASE}/admin/account`);
  const app = region(plainPage, 'Authenticator app');
  await app.getByLabel('Current password').waitFor();
  // Signed in a moment ago: the password may stay empty, and is sent as null.
  const sent = plainPage.waitForRequest((r) => (r.postData() ?? '').includes('mutation BeginTotpEnrollment'));
  await app.getByRole('button', { name: 'Set up an authenticator app' }).click();
  assert(JSON.parse((await sent).postData() ?? '{}').variables.currentPassword === null, 'an empty password is sent as null');
  await plainPage.getByRole('img', { name: 'QR code for the authenticator app' }).waitFor();
  const secret = (await plainPage.locator('p:has-text("Key") code').textContent()) ?? '';
  await plainPage.getByLabel('Code').fill(totp(secret));
  await plainPage.getByRole('button', { name: 'Turn on' }).click();
  const codes = await plainPage.locator('.codes code').allTextContents();
  assert(codes.length === 10, `ten recovery codes, got ${codes.length}`);
  await plainPage.getByText('An authenticator app is set up.').waitFor();
  await plainPage.getByRole('button', { name: 'Sign out' }).click();
  await plainPage.getByLabel('Username or email').fill(PLAIN.email);
  await plainPage.getByLabel('Password', { exact: true }).fill(PLAIN.password);
  await plainPage.getByRole('button', { name: 'Sign in', exact: true }).click();
  await plainPage.getByRole('heading', { name: 'Second step' }).waitFor();
  await plainPage.getByLabel('Code').fill('0000-0000-0000');
  await plainPage.getByRole('button', { name: 'Verify' }).click();
  await alert(plainPage).first().waitFor();
  await plainPage.getByLabel('Code').fill(codes[0] ?? '');
  await plainPage.getByRole('button', { name: 'Verify' }).click();
  await plainPage.getByRole('button', { name: 'Sign out' }).waitFor();
});

await check('adds a passkey and signs in with it (a virtual authenticator)', async () => {
  const cdp = await plainContext.newCDPSession(plainPage);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await plainPage.goto(`${BASE}/admin/account`);
  await plainPage.getByLabel('Passkey name').fill('this laptop');
  await region(plainPage, 'Passkeys').getByLabel('Current password').fill(PLAIN.password);
  await plainPage.getByRole('button', { name: 'Add a passkey' }).click();
  await expectNotice(plainPage, 'Passkey added.');
  await plainPage.getByRole('cell', { name: 'this laptop', exact: true }).waitFor();
  await plainPage.getByRole('button', { name: 'Sign out' }).click();
  await plainPage.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await plainPage.getByRole('button', { name: 'Sign out' }).waitFor();
  await plainPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My account' }).click();
  const used = await plainPage.getByRole('row', { name: /this laptop/ }).textContent();
  assert(!used?.includes('Never'), `the passkey's last use is shown: ${used}`);
});

await check('a plain user\'s API key carries the application permission it was given', async () => {
  await plainPage.goto(`${BASE}/admin/account`);
  await plainPage.getByLabel('Key name', { exact: true }).fill('reports job');
  assert((await plainPage.getByRole('group', { name: 'Permissions', exact: true }).count()) === 0, 'no gerbang permission to offer');
  await plainPage.getByRole('group', { name: 'Application permissions' }).getByLabel('report:read').check();
  await plainPage.getByRole('button', { name: 'Create key' }).click();
  const secret = (await plainPage.locator('.secret code').textContent()) ?? '';
  // A key is no self-service for its owner: with no gerbang permission it reads only the
  // public fields of `me`; an administrator sees what it carries.
  const { me } = await ok('{ me { id } }', {}, secret);
  const refused = await gql('{ me { apiKeys { name } } }', {}, secret);
  assert(refused.errors?.[0]?.extensions?.code === 'FORBIDDEN', `a key reads no private field: ${JSON.stringify(refused)}`);
  const { user } = await ok('query($id: ID!) { user(id: $id) { apiKeys { name permissions appPermissions } } }', { id: me.id }, await admin());
  const key = user.apiKeys.find((k: { name: string }) => k.name === 'reports job');
  assert(key?.permissions.length === 0 && key.appPermissions.join() === 'report:read', JSON.stringify(key));
});

await check('Indonesian follows the browser\'s language, gerbang\'s messages too', async () => {
  const { page: id } = await newPage('id-ID');
  await id.goto(`${BASE}/admin`);
  await id.getByRole('heading', { name: 'Masuk' }).waitFor();
  assert((await id.getAttribute('html', 'lang')) === 'id', 'html lang is id');
  await id.getByLabel('Nama pengguna atau email').fill(PLAIN.email);
  await id.getByLabel('Kata sandi').fill('bukan kata sandinya');
  await id.getByRole('button', { name: 'Masuk', exact: true }).click();
  const message = (await alert(id).first().textContent()) ?? '';
  const english = (await gql(LOGIN, { u: PLAIN.email, p: 'bukan kata sandinya' })).errors?.[0]?.message;
  assert(message && message !== english, `an Indonesian message (${message}), not the English one (${english})`);
  await shot(id, '07-sign-in-id');
});

await check('a user holding more than the caller: its page only shows, saying why; such roles cannot be given', async () => {
  const MANAGER = { email: 'manager@example.com', password: 'user manager passphrase' };
  const managers = (await ok('mutation { createRole(input: { name: "user managers", permissions: [USER_READ, USER_WRITE] }) { id } }', {}, await admin())).createRole.id;
  await ok('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { ...MANAGER, roleIds: [managers] } }, await admin());
  const { me } = await ok('{ me { id } }', {}, await admin());
  const { page: manager } = await newPage();
  await manager.goto(`${BASE}/admin/users/${me.id}`);
  await signIn(manager, MANAGER);
  const del = manager.getByRole('button', { name: 'Delete user' });
  await del.waitFor();
  assert(await del.isDisabled(), 'Delete user is disabled');
  const why = 'This user holds permissions you do not have: you can look, not change.';
  assert((await description(del)) === why, `it says why: ${await description(del)}`);
  assert((await manager.getByText(why).count()) === 1, 'the reason is shown once for the page');
  assert(await manager.getByLabel('Display name').isDisabled(), 'the profile is read-only');
  assert(await manager.getByRole('button', { name: 'Set password' }).isDisabled(), 'Set password is disabled');
  await shot(manager, '11-out-of-reach');
  await manager.goto(`${BASE}/admin/users/new`);
  const roles = manager.getByRole('group', { name: 'Roles' });
  await roles.getByLabel('developer').waitFor();
  assert(await roles.getByLabel('developer').isDisabled(), 'the developer role cannot be given');
  assert(await roles.getByLabel('user managers').isEnabled(), 'the caller\'s own role can');
});

await check('a passkey at an IP address says in words to open the console at a domain name', async () => {
  const { page: ip } = await newPage();
  const at = `http://127.0.0.1:${port}/admin`;
  const sentence = `Passkeys need the console opened at a domain name, such as http://localhost:${port}/admin, not at an IP address.`;
  await ip.goto(at);
  await ip.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await alert(ip).first().waitFor();
  let shown = await alert(ip).allTextContents();
  assert(shown.length === 1 && shown[0] === sentence && !shown[0].includes('SecurityError'), `signing in: ${JSON.stringify(shown)}`);
  await signIn(ip, ADMIN);
  await ip.goto(`${at}/account`);
  const passkeys = region(ip, 'Passkeys');
  await passkeys.getByLabel('Passkey name').fill('at an address');
  await passkeys.getByLabel('Current password').fill(ADMIN.password);
  await passkeys.getByRole('button', { name: 'Add a passkey' }).click();
  await passkeys.locator('.alert').first().waitFor();
  shown = await passkeys.locator('.alert').allTextContents();
  assert(shown.length === 1 && shown[0] === sentence, `adding one: ${JSON.stringify(shown)}`);
  await shot(ip, '09-passkey-at-an-ip-address');
  const { page: id } = await newPage('id-ID');
  await id.goto(at);
  await id.getByRole('button', { name: 'Masuk dengan passkey' }).click();
  const said = (await alert(id).first().textContent()) ?? '';
  assert(said.includes('nama domain') && !said.includes('SecurityError'), `in Indonesian: ${said}`);
});

// A gerbang whose sign-ins stop proving presence after a second.
const strict = await startGerbang({ GERBANG_SUDO_WINDOW: '1s' });

await check('a sign-in older than GERBANG_SUDO_WINDOW is asked for the current password, once, at its field', async () => {
  const { page: late } = await newPage();
  await late.goto(`${strict.base}/admin`);
  await signIn(late, ADMIN);
  await late.goto(`${strict.base}/admin/account`);
  const keys = region(late, 'API keys');
  await keys.getByLabel('Key name', { exact: true }).fill('later');
  await sleep(1500);
  await keys.getByRole('button', { name: 'Create key' }).click();
  const field = keys.locator('input[name="currentPassword"][aria-invalid="true"]');
  await field.waitFor();
  assert((await description(field)).includes(PRESENCE), `the field asks for the password: ${await description(field)}`);
  assert(await focused(field), 'and has the focus');
  assert((await late.locator('.alert').count()) === 0, 'no second message in a banner');
  await shot(late, '10-current-password-asked');
  const app = region(late, 'Authenticator app');
  await app.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const appField = app.locator('input[name="currentPassword"][aria-invalid="true"]');
  await appField.waitFor();
  assert((await description(appField)).includes(PRESENCE), 'TOTP asks for it too');
  await keys.getByLabel('Current password').fill(ADMIN.password);
  await keys.getByRole('button', { name: 'Create key' }).click();
  const secret = (await keys.locator('.secret code').textContent()) ?? '';
  assert(secret.startsWith('gbk_'), `with the password the key is made: ${secret}`);
});

await browser.close();
strict.server.kill('SIGTERM');
server.kill('SIGTERM');
console.log(`${passed} passed; screenshots in console/${SHOTS}/`);
process.exit(0);
