// A resource server that trusts gerbang's access tokens, in two ways side by side:
//
//   POST /notes       checks the token itself against gerbang's published keys: no call to
//                     gerbang per request, but the token's claims are a snapshot taken when
//                     it was issued (a logout or a removed permission shows only once the
//                     token expires).
//   POST /notes/live  asks gerbang (token introspection, RFC 7662) on every request: one
//                     round trip more, and the answer is live.
//
// Configuration (environment):
//   GERBANG_URL        gerbang's base URL, e.g. https://id.example.com
//   AUDIENCE           the `aud` tokens must be issued for (gerbang's GERBANG_JWT_AUDIENCE)
//   INTROSPECTION_KEY  a gerbang API key secret holding the application permission
//                      gerbang:introspect (only the live route needs it)
//   HOST, PORT         where to listen (default 127.0.0.1:3000)
//   JWKS_COOLDOWN_MS   least time between two JWKS fetches (default: jose's, 30 s)
import http from 'node:http';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';

const GERBANG_URL = required('GERBANG_URL').replace(/\/+$/, '');
const AUDIENCE = process.env.AUDIENCE || 'gerbang';
const INTROSPECTION_KEY = process.env.INTROSPECTION_KEY;
const HOST = process.env.HOST || '127.0.0.1';
const PORT = Number(process.env.PORT || 3000);
const COOLDOWN = process.env.JWKS_COOLDOWN_MS ? Number(process.env.JWKS_COOLDOWN_MS) : undefined;
const PERMISSION = 'notes:write';

// Discover the endpoints instead of hard-coding paths: the document names the issuer the
// tokens carry, which may differ from GERBANG_URL when gerbang sits behind a proxy.
const metadataUrl = `${GERBANG_URL}/.well-known/oauth-authorization-server`;
const metadataResponse = await fetch(metadataUrl);
if (!metadataResponse.ok) throw new Error(`${metadataUrl}: HTTP ${metadataResponse.status}`);
const { issuer, jwks_uri, introspection_endpoint } = await metadataResponse.json();
if (!issuer || !jwks_uri) throw new Error(`${metadataUrl} names no issuer or jwks_uri`);

// jose caches the key set and fetches it again when a token names a kid it does not know
// (after `gerbang keys rotate`), at most once per cooldown, so forged kids cannot make us
// hammer gerbang.
const JWKS = createRemoteJWKSet(new URL(jwks_uri), COOLDOWN === undefined ? {} : { cooldownDuration: COOLDOWN });

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
}

function bearer(req) {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

// Thrown to answer with an error status; the WWW-Authenticate values follow RFC 6750 §3.
class Refusal extends Error {
  constructor(status, challenge, message) {
    super(message);
    Object.assign(this, { status, challenge });
  }
}
const noToken = () => new Refusal(401, 'Bearer', 'a bearer token is required');
const invalidToken = (why) => new Refusal(401, 'Bearer error="invalid_token"', why);
// Exactly this permission in a list: a string claim would `includes` a mere substring.
const holds = (permissions) => Array.isArray(permissions) && permissions.includes(PERMISSION);
const forbidden = () =>
  new Refusal(403, `Bearer error="insufficient_scope", scope="${PERMISSION}"`, `${PERMISSION} is required`);

// Claims route: verify signature, issuer, audience, times, type and algorithm locally.
async function authorizeByClaims(req) {
  const token = bearer(req);
  if (!token) throw noToken();
  let payload;
  try {
    ({ payload } = await jwtVerify(token, JWKS, {
      issuer,
      audience: AUDIENCE,
      typ: 'at+jwt', // an access token, not some other JWT signed by the same keys
      algorithms: ['EdDSA'], // never let the token pick the algorithm
    }));
  } catch (err) {
    // Failing to reach gerbang's JWKS is our problem, not the caller's.
    if (!(err instanceof errors.JOSEError) || err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) {
      throw err;
    }
    throw invalidToken(err.code);
  }
  // `permissions` holds the application permissions as of issue time.
  if (!holds(payload.permissions)) throw forbidden();
  return payload.sub;
}

// Live route: gerbang says whether the token is live now (not logged out, not revoked,
// user still active) and which permissions its user holds now.
async function authorizeLive(req) {
  const token = bearer(req);
  if (!token) throw noToken();
  if (!introspection_endpoint || !INTROSPECTION_KEY) throw new Error('introspection is not configured');
  const response = await fetch(introspection_endpoint, {
    method: 'POST',
    headers: { authorization: `Bearer ${INTROSPECTION_KEY}`, accept: 'application/json' },
    body: new URLSearchParams({ token }), // sent as application/x-www-form-urlencoded
  });
  // A refused API key is a misconfiguration here, not the caller's fault.
  if (!response.ok) throw new Error(`introspection: HTTP ${response.status}`);
  const answer = await response.json();
  if (answer.active !== true) throw invalidToken('token is not active');
  // gerbang also answers for its API keys (as the key's owner, with the key's permissions),
  // so this route accepts a key holding notes:write as well; the claims route does not.
  // "active" means gerbang would accept it; whether it was issued for us is still ours to check.
  const audiences = [answer.aud].flat();
  if (answer.iss !== issuer || !audiences.includes(AUDIENCE)) throw invalidToken('token is not for this API');
  if (!holds(answer.permissions)) throw forbidden();
  return answer.sub;
}

async function readJson(req, limit = 64 * 1024) {
  let body = '';
  req.setEncoding('utf8'); // so a character split between chunks stays whole
  for await (const chunk of req) {
    body += chunk;
    if (body.length > limit) throw new Refusal(413, undefined, 'body too large');
  }
  try {
    return body ? JSON.parse(body) : {};
  } catch {
    throw new Refusal(400, undefined, 'body is not JSON');
  }
}

function send(res, status, body, challenge) {
  const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  if (challenge) headers['www-authenticate'] = challenge;
  res.writeHead(status, headers).end(JSON.stringify(body));
}

const routes = { '/notes': authorizeByClaims, '/notes/live': authorizeLive };

const server = http.createServer(async (req, res) => {
  const authorize = routes[new URL(req.url, 'http://localhost').pathname];
  if (!authorize) return send(res, 404, { error: 'not found' });
  if (req.method !== 'POST') return send(res, 405, { error: 'use POST' });
  try {
    // Authorize before reading the body: a caller without a token should not cost us more.
    const author = await authorize(req);
    const { note = '' } = await readJson(req);
    send(res, 201, { note: String(note), author });
  } catch (err) {
    if (err instanceof Refusal) return send(res, err.status, { error: err.message }, err.challenge);
    console.error(err);
    send(res, 503, { error: 'authorization is unavailable' });
  }
});

server.listen(PORT, HOST, () => console.log(`resource server on ${HOST}:${PORT}, trusting ${issuer} for audience ${AUDIENCE}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
