// One GraphQL endpoint, same origin, the access token from memory. Errors keep gerbang's
// `extensions` so screens can tell FORBIDDEN from BAD_USER_INPUT and map `fields` onto forms.
import type { TypedDocumentString } from './gql/graphql';

type Extensions = {
  code?: string;
  fields?: Record<string, string[]>;
  retryAfter?: number;
  mfaRequired?: boolean;
  mfaToken?: string;
  methods?: string[];
  /** Which rule refused a FORBIDDEN other than a missing permission (RECENT_SIGN_IN_REQUIRED, SYSTEM_ROLE, ...). */
  reason?: string;
  [key: string]: unknown;
};

type GraphQLErrorBody = { message: string; extensions?: Extensions };

export class ApiError extends Error {
  readonly code: string;
  readonly extensions: Extensions;

  constructor(body: GraphQLErrorBody) {
    super(body.message);
    this.extensions = body.extensions ?? {};
    this.code = this.extensions.code ?? 'INTERNAL_SERVER_ERROR';
  }

  /** The messages for each input field (BAD_USER_INPUT), empty otherwise. */
  get fields(): Record<string, string[]> {
    return this.code === 'BAD_USER_INPUT' ? (this.extensions.fields ?? {}) : {};
  }

  /** The rule behind a FORBIDDEN, when it is not a missing permission. */
  get reason(): string | undefined {
    return this.code === 'FORBIDDEN' ? this.extensions.reason : undefined;
  }
}

/** Where the access token comes from and what happens when gerbang refuses it. */
type Auth = { token: () => string | null; renew: () => Promise<boolean> };

let auth: Auth = { token: () => null, renew: async () => false };

export function useAuth(a: Auth): void {
  auth = a;
}

async function send<R, V>(doc: TypedDocumentString<R, V>, variables: V | undefined, token: string | null): Promise<R> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: doc.toString(), variables }),
      credentials: 'omit',
    });
  } catch {
    throw new ApiError({ message: '', extensions: { code: 'NETWORK' } });
  }
  let body: { data?: R | null; errors?: GraphQLErrorBody[] };
  try {
    body = await response.json();
  } catch {
    throw new ApiError({ message: `HTTP ${response.status}`, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  }
  const first = body.errors?.[0];
  if (first) throw new ApiError(first);
  if (body.data == null) throw new ApiError({ message: `HTTP ${response.status}` });
  return body.data;
}

/**
 * Runs an operation. An access token that expired meanwhile (the laptop slept through the
 * scheduled refresh) is renewed once and the operation sent again.
 */
export async function request<R, V>(doc: TypedDocumentString<R, V>, variables?: V): Promise<R> {
  const token = auth.token();
  try {
    return await send(doc, variables, token);
  } catch (e) {
    if (token && e instanceof ApiError && e.code === 'UNAUTHENTICATED' && (await auth.renew())) {
      return send(doc, variables, auth.token());
    }
    throw e;
  }
}

/** A request without the caller's token (sign-in operations). */
export function anonymous<R, V>(doc: TypedDocumentString<R, V>, variables?: V): Promise<R> {
  return send(doc, variables, null);
}
