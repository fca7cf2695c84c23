// The signed-in session. The access token lives in this module's memory only; the refresh
// token is kept in sessionStorage (this tab, until it closes) so a reload stays signed in.
// Refresh runs ahead of expiry, one at a time: gerbang treats a refresh token sent twice as
// stolen and ends the session.
import { ApiError, anonymous, request, useAuth } from './api';
import { LogoutDocument, MeDocument, RefreshDocument, type MeQuery, type TokensFragment } from './gql/graphql';

export type Me = MeQuery['me'];

export type State = { status: 'loading' } | { status: 'signedOut'; reason?: 'expired' } | { status: 'signedIn'; me: Me };

const REFRESH_KEY = 'gerbang.console.refresh';

let state: State = { status: 'loading' };
let accessToken: string | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let renewing: Promise<boolean> | null = null;
const listeners = new Set<() => void>();

function set(next: State): void {
  state = next;
  for (const l of listeners) l();
}

export function current(): State {
  return state;
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function keep(tokens: TokensFragment): void {
  accessToken = tokens.accessToken;
  sessionStorage.setItem(REFRESH_KEY, tokens.refreshToken);
  clearTimeout(timer);
  // A minute ahead of expiry, or at four fifths of a short lifetime.
  const ahead = Math.min(60, tokens.expiresIn / 5);
  timer = setTimeout(() => void renew(), Math.max(1, tokens.expiresIn - ahead) * 1000);
}

function forget(): void {
  accessToken = null;
  clearTimeout(timer);
  sessionStorage.removeItem(REFRESH_KEY);
}

/** Tokens from a sign-in: keep them and load who signed in. */
export async function signedIn(tokens: TokensFragment): Promise<void> {
  keep(tokens);
  const { me } = await request(MeDocument);
  set({ status: 'signedIn', me });
}

async function refreshOnce(): Promise<boolean> {
  const refreshToken = sessionStorage.getItem(REFRESH_KEY);
  if (!refreshToken) return false;
  try {
    const { refreshToken: tokens } = await anonymous(RefreshDocument, { refreshToken });
    keep(tokens);
    return true;
  } catch (e) {
    // Only gerbang's refusal ends the session; a network failure keeps the token to try again.
    if (e instanceof ApiError && e.code !== 'NETWORK') {
      forget();
      set({ status: 'signedOut', reason: 'expired' });
    }
    return false;
  }
}

/** Renews the access token; concurrent callers share one refresh. */
export function renew(): Promise<boolean> {
  renewing ??= refreshOnce().finally(() => {
    renewing = null;
  });
  return renewing;
}

/** Permissions of the signed-in user decide what the console shows (gerbang still decides). */
export function can(permission: string): boolean {
  return state.status === 'signedIn' && state.me.permissions.includes(permission as never);
}

type Holding = { permissions: readonly string[]; appPermissions: readonly string[] };

/**
 * Whether `caller` (as the screen's own query read it: the developer role's application
 * permissions grow with every new name) holds every permission of these roles, and their
 * application permissions unless `app` is false: gerbang lets nobody change a user or role
 * that holds more than oneself.
 */
export function holdsAllOf(caller: Holding, roles: readonly Holding[], app = true): boolean {
  return roles.every(
    (r) => r.permissions.every((p) => caller.permissions.includes(p)) && (!app || r.appPermissions.every((a) => caller.appPermissions.includes(a))),
  );
}

export async function signOut(): Promise<void> {
  try {
    if (accessToken) await request(LogoutDocument);
  } catch {
    // Signed out here either way; an ended session is what the user asked for.
  } finally {
    forget();
    set({ status: 'signedOut' });
  }
}

/** On start: a reload in a signed-in tab renews its access token. */
export async function restore(): Promise<void> {
  if (await renew()) {
    try {
      const { me } = await request(MeDocument);
      set({ status: 'signedIn', me });
      return;
    } catch {
      forget();
    }
  }
  set({ status: 'signedOut' });
}

useAuth({ token: () => accessToken, renew });
