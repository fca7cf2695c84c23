// End to end: real gerbang instances on one SQLite file, the resource server in front of
// them, and the promises its README makes checked one by one.
// Usage: GERBANG_BIN=path/to/gerbang node e2e.mjs   (or: node e2e.mjs path/to/gerbang)
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';

const binArg = process.env.GERBANG_BIN || process.argv[2];
if (!binArg) throw new Error('usage: GERBANG_BIN=path/to/gerbang node e2e.mjs');
const bin = path.resolve(binArg);
const here = path.dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(path.join(os.tmpdir(), 'gerbang-resource-server-'));
const AUDIENCE = 'notes-api';
const ADMIN = { email: 'admin@example.com', password: 'resource server admin passphrase' };
const WRITER = { email: 'writer@example.com', password: 'writer of many notes passphrase' };
const READER = { email: 'reader@example.com', password: 'reader of many notes passphrase' };

// Children and the last lines each printed, for the failure report; whatever still runs
// when this script exits, passing or failing, is killed.
const children = [];
const running = (c) => c.proc.exitCode === null && c.proc.signalCode === null;
process.on('exit', () => children.filter(running).forEach((c) => c.proc.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => fail(`interrupted by ${signal}`));

let passed = 0;
function fail(message) {
  for (const c of children) {
    console.error(`\n--- last lines of ${c.name} (${running(c) ? 'running' : `exited ${c.proc.exitCode ?? c.proc.signalCode}`}) ---`);
    console.error(c.lines.slice(-25).join('\n'));
  }
  console.error(`\nfiles kept in ${work}\nFAIL: ${message}\n${passed} passed, 1 failed`);
  process.exit(1);
}

async function check(title, body) {
  try {
    await body();
  } catch (err) {
    fail(`check ${passed + 1} (${title}): ${err.message}`);
  }
  console.log(`ok ${++passed} - ${title}`);
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function start(name, command, args, env) {
  const proc = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const child = { name, proc, lines: [] };
  const keep = (data) => {
    child.lines.push(...String(data).split('\n').filter(Boolean));
    child.lines.splice(0, child.lines.length - 100);
  };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  proc.on('error', (err) => child.lines.push(`spawn failed: ${err.message}`));
  children.push(child);
  return child;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Polls `probe` until it returns something truthy; gives up after `ms` or when `child` died.
async function until(what, probe, { ms = 10_000, child } = {}) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (child && !running(child)) throw new Error(`${child.name} exited while waiting for ${what}`);
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

// gerbang's settings come only from here, never from the caller's GERBANG_* variables.
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GERBANG_')));
const portA = await freePort();
const ISSUER = `http://127.0.0.1:${portA}`;
const sharedEnv = {
  ...baseEnv,
  GERBANG_DATABASE_URL: `sqlite://${work}/gerbang.db`,
  GERBANG_ADMIN_EMAIL: ADMIN.email,
  GERBANG_ADMIN_PASSWORD: ADMIN.password,
  GERBANG_JWT_ISSUER: ISSUER,
  GERBANG_JWT_AUDIENCE: AUDIENCE,
};

async function startGerbang(name, port, extra = {}) {
  const env = { ...sharedEnv, GERBANG_LISTEN: `127.0.0.1:${port}`, ...extra };
  const child = start(name, bin, ['serve'], env);
  const base = `http://127.0.0.1:${port}`;
  await until(`${name} to be ready`, async () => (await fetch(`${base}/readyz`)).ok, { ms: 30_000, child });
  return { base, env };
}

async function gql(base, query, variables, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = await response.json().catch(() => ({}));
  if (body.errors?.length || !body.data) {
    const errors = (body.errors ?? []).map((e) => `${e.extensions?.code ?? '?'}: ${e.message}`).join('; ');
    throw new Error(`GraphQL at ${base} failed (HTTP ${response.status}): ${errors || JSON.stringify(body)}`);
  }
  return body.data;
}

const LOGIN = 'mutation($i: LoginInput!){ login(input:$i){ accessToken refreshToken user { id } } }';
const login = async (base, { email, password }) =>
  (await gql(base, LOGIN, { i: { usernameOrEmail: email, password } })).login;
const kids = async (base) => (await (await fetch(`${base}/.well-known/jwks.json`)).json()).keys.map((k) => k.kid);

let rsBase;
async function call(route, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${rsBase}${route}`, { method: 'POST', headers, body: '{"note":"hello"}' });
  const body = await response.json().catch(() => null);
  return { status: response.status, body, challenge: response.headers.get('www-authenticate') };
}
// One request to the resource server; `want` is a status or a list of them.
async function expectStatus(route, token, want, why) {
  const got = await call(route, token);
  assert([want].flat().includes(got.status), `POST ${route} ${why}: want ${want}, got ${got.status} ${JSON.stringify(got.body)}`);
  return got;
}
const OK = [200, 201];

// --- set-up: instance A, the accounts, the API key, the resource server ---
let A, writerId, writerToken, readerToken, introspectionKey;
try {
  A = await startGerbang('gerbang A', portA);
  const admin = await login(A.base, ADMIN);
  const { createRole: role } = await gql(
    A.base,
    'mutation($i: CreateRoleInput!){ createRole(input:$i){ id name appPermissions } }',
    { i: { name: 'note-writers', appPermissions: ['notes:write'] } },
    admin.accessToken,
  );
  const CREATE_USER = 'mutation($i: CreateUserInput!){ createUser(input:$i){ id } }';
  writerId = (await gql(A.base, CREATE_USER, { i: { ...WRITER, roleIds: [role.id] } }, admin.accessToken)).createUser.id;
  await gql(A.base, CREATE_USER, { i: READER }, admin.accessToken);
  const { createApiKey } = await gql(
    A.base,
    'mutation($i: CreateApiKeyInput!){ createApiKey(input:$i){ secret apiKey { id prefix } } }',
    { i: { name: 'notes-api', appPermissions: ['gerbang:introspect'] } },
    admin.accessToken,
  );
  introspectionKey = createApiKey.secret;
  assert(introspectionKey?.startsWith('gbk_'), `API key secret does not start with gbk_: ${introspectionKey}`);

  const rsPort = await freePort();
  rsBase = `http://127.0.0.1:${rsPort}`;
  const rsEnv = { ...baseEnv, GERBANG_URL: A.base, AUDIENCE, INTROSPECTION_KEY: introspectionKey };
  const rs = start('resource server', process.execPath, [path.join(here, 'server.mjs')], {
    ...rsEnv, HOST: '127.0.0.1', PORT: String(rsPort), JWKS_COOLDOWN_MS: '500',
  });
  await until('the resource server to listen', async () => (await fetch(rsBase)).status === 404, { child: rs });
  writerToken = (await login(A.base, WRITER)).accessToken;
  readerToken = (await login(A.base, READER)).accessToken;
} catch (err) {
  fail(`set-up: ${err.message}`);
}

await check('a user with notes:write may post, by claims and live', async () => {
  const { body } = await expectStatus('/notes', writerToken, OK, 'as the writer');
  assert(body.author === writerId, `author is ${body.author}, not the writer ${writerId}`);
  await expectStatus('/notes/live', writerToken, OK, 'as the writer');
});

await check('a user without notes:write is refused (403), by claims and live', async () => {
  await expectStatus('/notes', readerToken, 403, 'as the reader');
  await expectStatus('/notes/live', readerToken, 403, 'as the reader');
});

await check('after logout the claims route still accepts the token, the live route does not', async () => {
  const session = await login(A.base, WRITER);
  await expectStatus('/notes/live', session.accessToken, OK, 'before logout');
  const { logout } = await gql(A.base, 'mutation($r: String){ logout(refreshToken:$r) }', { r: session.refreshToken }, session.accessToken);
  assert(logout === true, `logout answered ${logout}`);
  // Documented trade-off: the claims are a snapshot until the token expires.
  await expectStatus('/notes', session.accessToken, OK, 'after logout (claims route)');
  await expectStatus('/notes/live', session.accessToken, 401, 'after logout (live route)');
});

await check('no token, or a token signed by another key, is refused (401)', async () => {
  const missing = await expectStatus('/notes', undefined, 401, 'without a token');
  assert(missing.challenge?.startsWith('Bearer'), `WWW-Authenticate is ${missing.challenge}`);
  const claims = decodeJwt(writerToken);
  const { kid } = decodeProtectedHeader(writerToken);
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  for (const header of [{ alg: 'EdDSA', typ: 'at+jwt', kid }, { alg: 'EdDSA', typ: 'at+jwt' }]) {
    const forged = await new SignJWT(claims).setProtectedHeader(header).sign(privateKey);
    const why = `with a forged token ${header.kid ? 'naming the real kid' : 'without a kid'}`;
    const got = await expectStatus('/notes', forged, 401, why);
    assert(got.challenge?.includes('error="invalid_token"'), `WWW-Authenticate is ${got.challenge}`);
    await expectStatus('/notes/live', forged, 401, why);
  }
});

await check('an expired token is refused (401), though accepted before it expired', async () => {
  // Instance B shares the database (so the keys) and the issuer, but issues 2-second tokens.
  // Two, not one: `exp` counts whole seconds, so a 1 s token may have almost no life left.
  const B = await startGerbang('gerbang B', await freePort(), { GERBANG_ACCESS_TOKEN_TTL: '2s' });
  const { accessToken } = await login(B.base, WRITER);
  const { iat, exp } = decodeJwt(accessToken);
  assert(exp - iat <= 2, `B's token lives ${exp - iat} s, not 2`);
  await expectStatus('/notes', accessToken, OK, 'right after login at B');
  await expectStatus('/notes/live', accessToken, OK, 'right after login at B');
  await sleep(Math.max(0, exp * 1000 + 500 - Date.now()));
  await expectStatus('/notes', accessToken, 401, 'after expiry');
  await expectStatus('/notes/live', accessToken, 401, 'after expiry');
});

await check('a token for another audience is refused (401)', async () => {
  const C = await startGerbang('gerbang C', await freePort(), { GERBANG_JWT_AUDIENCE: 'some-other-api' });
  const { accessToken } = await login(C.base, WRITER);
  assert(decodeJwt(accessToken).aud === 'some-other-api', `C's token has aud ${decodeJwt(accessToken).aud}`);
  await expectStatus('/notes', accessToken, 401, 'with aud some-other-api');
  await expectStatus('/notes/live', accessToken, 401, 'with aud some-other-api');
});

await check('after `keys rotate` new tokens carry the new kid and verify, old ones still verify', async () => {
  const before = await kids(A.base);
  const { stdout } = await promisify(execFile)(bin, ['keys', 'rotate'], { env: A.env });
  const fresh = await until("A's JWKS to show a new kid", async () => (await kids(A.base)).find((k) => !before.includes(k)));
  assert(stdout.includes(fresh), `keys rotate printed "${stdout.trim()}", the JWKS shows ${fresh}`);
  const now = await kids(A.base);
  assert(now.includes(decodeProtectedHeader(writerToken).kid), `the JWKS dropped the previous key: ${now}`);
  const { accessToken } = await login(A.base, WRITER);
  const { kid } = decodeProtectedHeader(accessToken);
  assert(kid === fresh, `a token issued after rotation has kid ${kid}, not ${fresh}`);
  // The resource server fetches the JWKS again when it meets the unknown kid (cooldown 500 ms).
  await until('the claims route to accept the new key', async () => OK.includes((await call('/notes', accessToken)).status), { ms: 5_000 });
  await expectStatus('/notes/live', accessToken, OK, 'with a token signed by the new key');
  await expectStatus('/notes', writerToken, OK, 'with a token issued before rotation');
  await expectStatus('/notes/live', writerToken, OK, 'with a token issued before rotation');
});

await check('the introspection endpoint refuses callers without a valid key (401)', async () => {
  const metadata = await (await fetch(`${A.base}/.well-known/oauth-authorization-server`)).json();
  assert(metadata.issuer === ISSUER, `metadata issuer is ${metadata.issuer}, not ${ISSUER}`);
  assert(metadata.introspection_endpoint, 'the metadata names no introspection_endpoint');
  for (const authorization of [undefined, 'Bearer gbk_not-a-key']) {
    const headers = { 'content-type': 'application/x-www-form-urlencoded', ...(authorization && { authorization }) };
    const body = new URLSearchParams({ token: writerToken });
    const response = await fetch(metadata.introspection_endpoint, { method: 'POST', headers, body });
    const what = authorization ? 'with a made-up key' : 'without a key';
    assert(response.status === 401, `introspection ${what}: want 401, got ${response.status}`);
    assert(response.headers.get('www-authenticate'), `introspection ${what}: no WWW-Authenticate header`);
  }
});

children.filter(running).forEach((c) => c.proc.kill('SIGKILL'));
rmSync(work, { recursive: true, force: true });
console.log(`\n${passed} passed, 0 failed`);
process.exit(0);
