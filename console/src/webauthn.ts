// The browser's WebAuthn API between gerbang's passkey mutations: gerbang's options are
// WebAuthn's JSON form and the credential goes back the same way, so the browser's own
// JSON conversions do all the work (PublicKeyCredential.parse…FromJSON and toJSON).
import { t } from './i18n';

type Json = Record<string, unknown>;

type JsonCredential = PublicKeyCredential & { toJSON(): Json };
type WithJsonParsing = typeof PublicKeyCredential & {
  parseCreationOptionsFromJSON(options: unknown): PublicKeyCredentialCreationOptions;
  parseRequestOptionsFromJSON(options: unknown): PublicKeyCredentialRequestOptions;
};

/** Passkeys cannot work at this page's address; the message says so in words. */
export class PasskeyUnusableError extends Error {
  constructor() {
    super(t.passkeyNeedsDomain(domainExample()));
    this.name = 'PasskeyUnusableError';
  }
}

const ipAddress = (host: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');

/** This page at localhost when it was opened at a loopback address, else the usual example. */
function domainExample(): string {
  const { protocol, hostname, port } = location;
  const loopback = hostname === '127.0.0.1' || hostname === '[::1]';
  return loopback ? `${protocol}//localhost${port ? `:${port}` : ''}/admin` : 'http://localhost:8000/admin';
}

/**
 * WebAuthn wants a domain name: at an IP address the browser refuses with a SecurityError
 * (or, in some browsers, a NotAllowedError that would read as a closed prompt), and outside
 * a secure context there is no PublicKeyCredential at all.
 */
function api(): WithJsonParsing {
  if (typeof PublicKeyCredential === 'undefined') throw new PasskeyUnusableError();
  return PublicKeyCredential as WithJsonParsing;
}

/** Null when the person closed the prompt. */
async function ask<T>(prompt: () => Promise<Credential | null>): Promise<T | null> {
  try {
    const credential = (await prompt()) as JsonCredential | null;
    return credential ? (credential.toJSON() as T) : null;
  } catch (e) {
    if (e instanceof DOMException && e.name === 'SecurityError') throw new PasskeyUnusableError();
    if (e instanceof DOMException && e.name === 'NotAllowedError') {
      if (ipAddress(location.hostname)) throw new PasskeyUnusableError();
      return null;
    }
    throw e;
  }
}

/** `beginPasskeyRegistration.options` → a new credential as gerbang takes it. */
export function passkeyCreation(options: unknown): Promise<Json | null> {
  const publicKey = api().parseCreationOptionsFromJSON((options as Json).publicKey);
  return ask(() => navigator.credentials.create({ publicKey }));
}

/** `beginPasskeyLogin.options` → an assertion as gerbang takes it. */
export function passkeyAssertion(options: unknown): Promise<Json | null> {
  const publicKey = api().parseRequestOptionsFromJSON((options as Json).publicKey);
  return ask(() => navigator.credentials.get({ publicKey }));
}
