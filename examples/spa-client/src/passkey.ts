// Passkeys in a real browser: Debian's Chromium (through playwright-core) with a virtual
// authenticator from the DevTools protocol (WebAuthn.addVirtualAuthenticator), on a page
// this script serves at PASSKEY_PAGE_ORIGIN (http://localhost:port; WebAuthn needs a
// domain, and gerbang runs with GERBANG_WEBAUTHN_ORIGINS and GERBANG_CORS_ORIGINS naming
// it). The page registers a passkey and signs in with it, by name and without one, calling
// gerbang from the browser; every request that leaves loopback is blocked.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { GraphQLClient } from 'graphql-request';

import { CreateUserDocument, LoginDocument, MyPasskeysDocument, RemovePasskeyDocument } from './gql/graphql.js';
import { offlinePage } from './chromium.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, ENDPOINT, check } from './env.js';

const PAGE_ORIGIN = process.env.PASSKEY_PAGE_ORIGIN;
if (!PAGE_ORIGIN) {
  throw new Error('PASSKEY_PAGE_ORIGIN must name the origin (http://localhost:port) gerbang accepts passkeys from');
}
const pageUrl = new URL(PAGE_ORIGIN);

const client = (token?: string) =>
  new GraphQLClient(ENDPOINT, { headers: token ? { authorization: `Bearer ${token}` } : {} });

// A user of the SPA, signed in with a password as it would be before adding a passkey.
const run = Date.now().toString(36);
const email = `passkey-${run}@example.com`;
const password = 'a long enough passphrase';
const adminToken = (await client().request(LoginDocument, { usernameOrEmail: ADMIN_EMAIL, password: ADMIN_PASSWORD }))
  .login.accessToken;
await client(adminToken).request(CreateUserDocument, { input: { email, password } });
const token = (await client().request(LoginDocument, { usernameOrEmail: email, password })).login.accessToken;

// The page: a module that loads the SPA's passkey code.
const here = dirname(fileURLToPath(import.meta.url));
const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Passkeys</title></head>
<body><h1>Passkeys</h1><p id="status">loading</p>
<script type="module">
import * as passkeys from '/page/passkeys.js';
window.passkeys = passkeys;
document.getElementById('status').textContent = 'ready';
</script></body></html>`;
const server = createServer((req, res) => {
  const path = req.url ?? '/';
  if (path === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  } else if (/^\/page\/[a-z]+\.js$/.test(path)) {
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(join(here, path)));
  } else {
    res.writeHead(404).end();
  }
});
await new Promise<void>((ready) => server.listen(Number(pageUrl.port), '127.0.0.1', ready));

type Passkeys = typeof import('./page/passkeys.js');
type Signed = Awaited<ReturnType<Passkeys['signInWithPasskey']>>;

const { browser, page, blocked, pageErrors } = await offlinePage();
try {
  await page.goto(`${PAGE_ORIGIN}/`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');

  // A platform authenticator that keeps discoverable credentials and verifies its user.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
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
  const stored = async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;

  const passkeyId = await page.evaluate(
    ([endpoint, accessToken, current]) =>
      (window as unknown as { passkeys: Passkeys }).passkeys.registerPasskey(endpoint!, accessToken!, 'This browser', current!),
    [ENDPOINT, token, password],
  );
  const mine = (await client(token).request(MyPasskeysDocument)).me;
  check(mine.passkeys?.length === 1 && mine.passkeys[0]?.id === passkeyId, 'the passkey registered in Chromium is listed');
  check(mine.passkeys?.[0]?.name === 'This browser' && mine.passkeys[0].lastUsedAt === null, 'under its name, unused');
  check(mine.mfaMethods?.includes('PASSKEY') === true, 'mfaMethods names PASSKEY');
  const [credential] = await stored();
  check(credential?.isResidentCredential === true, 'the authenticator keeps it as a discoverable credential');

  const signIn = (name: string | null) =>
    page.evaluate(
      ([endpoint, n]) => (window as unknown as { passkeys: Passkeys }).passkeys.signInWithPasskey(endpoint!, n ?? null),
      [ENDPOINT, name] as const,
    ) as Promise<Signed>;
  const byName = await signIn(email);
  check(byName.user.email === email && byName.accessToken.length > 0, 'signs in with the passkey, by email');
  const me = await client(byName.accessToken).request(MyPasskeysDocument);
  check(me.me.id === mine.id, 'the access token is the user\'s');
  const discovered = await signIn(null);
  check(discovered.user.email === email, 'signs in without a name: the browser offers the passkey it holds');
  const after = (await client(token).request(MyPasskeysDocument)).me.passkeys?.[0];
  check(after?.lastUsedAt != null, 'lastUsedAt is set');
  const [used] = await stored();
  check((used?.signCount ?? 0) >= 2, `the authenticator counted both signatures (${used?.signCount})`);

  // Removed on the server, the passkey the browser still holds signs no one in.
  await client(token).request(RemovePasskeyDocument, { id: passkeyId });
  const refused = await signIn(null).then(
    () => 'signed in',
    (e: Error) => e.message,
  );
  check(refused.includes('Error: UNAUTHENTICATED:'), `a removed passkey is refused (${refused.split('\n')[0]})`);

  check(pageErrors.length === 0, `no script errors (${pageErrors.join('; ')})`);
  check(blocked.length === 0, `nothing left loopback (${blocked.join(', ')})`);
  console.log('passkey: all checks passed');
} finally {
  await browser.close();
  server.close();
}
