// What an SPA needs between gerbang's passkey mutations and the browser's WebAuthn API:
// gerbang sends the options as JSON with binary members as base64url strings, and takes the
// credential back the same way. No library; these run in the browser as they are.

type Json = Record<string, unknown>;

function fromB64url(s: string): ArrayBuffer {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(s.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return bytes.buffer;
}

function toB64url(buf: ArrayBuffer | null): string | null {
  if (buf === null) return null;
  let s = '';
  for (const b of new Uint8Array(buf)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function withIds(list: unknown): Json[] | undefined {
  return (list as Json[] | undefined)?.map((c) => ({ ...c, id: fromB64url(c.id as string) }));
}

/** `beginPasskeyRegistration.options` → what `navigator.credentials.create()` takes. */
export function creationOptions(options: Json): CredentialCreationOptions {
  const pk = options.publicKey as Json;
  const user = pk.user as Json;
  return {
    publicKey: {
      ...pk,
      challenge: fromB64url(pk.challenge as string),
      user: { ...user, id: fromB64url(user.id as string) },
      excludeCredentials: withIds(pk.excludeCredentials),
    } as unknown as PublicKeyCredentialCreationOptions,
  };
}

/**
 * `beginPasskeyLogin.options` → what `navigator.credentials.get()` takes. Pass
 * `mediation: 'conditional'` to offer passkeys in the username field's autofill instead
 * of a dialog.
 */
export function requestOptions(options: Json, mediation?: CredentialMediationRequirement): CredentialRequestOptions {
  const pk = options.publicKey as Json;
  return {
    mediation,
    publicKey: {
      ...pk,
      challenge: fromB64url(pk.challenge as string),
      allowCredentials: withIds(pk.allowCredentials),
    } as unknown as PublicKeyCredentialRequestOptions,
  };
}

/** A credential from `create()` or `get()` → the `credential` argument gerbang takes. */
export function credentialJson(credential: PublicKeyCredential): Json {
  const r = credential.response;
  const response: Json = { clientDataJSON: toB64url(r.clientDataJSON) };
  if (r instanceof AuthenticatorAttestationResponse) {
    response.attestationObject = toB64url(r.attestationObject);
    response.transports = r.getTransports?.() ?? [];
  } else {
    const a = r as AuthenticatorAssertionResponse;
    response.authenticatorData = toB64url(a.authenticatorData);
    response.signature = toB64url(a.signature);
    response.userHandle = toB64url(a.userHandle);
  }
  return {
    id: credential.id,
    rawId: toB64url(credential.rawId),
    type: credential.type,
    response,
    clientExtensionResults: credential.getClientExtensionResults(),
  };
}
