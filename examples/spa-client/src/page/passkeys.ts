// The passkey part of an SPA, as the page the Chromium run serves uses it: register a
// passkey for the signed-in user, sign in with one (by name, or letting the browser offer
// what it holds), all with fetch against gerbang's one GraphQL endpoint.
import { creationOptions, credentialJson, requestOptions } from './webauthn.js';

type GqlError = { message: string; extensions?: { code?: string } };
type Challenge = { challengeId: string; options: Record<string, unknown> };

/** One GraphQL call; throws an Error whose message starts with the error's code. */
async function gql<T>(endpoint: string, query: string, variables: object, token?: string): Promise<T> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: GqlError[] };
  const error = body.errors?.[0];
  if (error) throw new Error(`${error.extensions?.code}: ${error.message}`);
  return body.data as T;
}

/**
 * Registers a passkey on this device for the user of `accessToken`; its id. The current
 * password proves presence (null does after a recent sign-in of this session).
 */
export async function registerPasskey(
  endpoint: string,
  accessToken: string,
  name: string,
  currentPassword: string | null,
): Promise<string> {
  const begun = await gql<{ beginPasskeyRegistration: Challenge }>(
    endpoint,
    'mutation($p: String) { beginPasskeyRegistration(currentPassword: $p) { challengeId options } }',
    { p: currentPassword },
    accessToken,
  );
  const { challengeId, options } = begun.beginPasskeyRegistration;
  const credential = (await navigator.credentials.create(creationOptions(options))) as PublicKeyCredential;
  const done = await gql<{ finishPasskeyRegistration: { id: string } }>(
    endpoint,
    'mutation($id: String!, $name: String!, $c: JSON!) { finishPasskeyRegistration(challengeId: $id, name: $name, credential: $c) { id } }',
    { id: challengeId, name, c: credentialJson(credential) },
    accessToken,
  );
  return done.finishPasskeyRegistration.id;
}

/** Signs in with a passkey; without a name, the browser offers the passkeys it holds. */
export async function signInWithPasskey(
  endpoint: string,
  usernameOrEmail: string | null,
): Promise<{ accessToken: string; refreshToken: string; user: { email: string } }> {
  const begun = await gql<{ beginPasskeyLogin: Challenge }>(
    endpoint,
    'mutation($n: String) { beginPasskeyLogin(usernameOrEmail: $n) { challengeId options } }',
    { n: usernameOrEmail },
  );
  const { challengeId, options } = begun.beginPasskeyLogin;
  const credential = (await navigator.credentials.get(requestOptions(options))) as PublicKeyCredential;
  const done = await gql<{
    finishPasskeyLogin: { accessToken: string; refreshToken: string; user: { email: string } };
  }>(
    endpoint,
    'mutation($id: String!, $c: JSON!) { finishPasskeyLogin(challengeId: $id, credential: $c) { accessToken refreshToken user { email } } }',
    { id: challengeId, c: credentialJson(credential) },
  );
  return done.finishPasskeyLogin;
}
