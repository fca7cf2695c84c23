// The browser's WebAuthn API between gerbang's passkey mutations: gerbang's options are
// WebAuthn's JSON form and the credential goes back the same way, so the browser's own
// JSON conversions do all the work (PublicKeyCredential.parse…FromJSON and toJSON).

type Json = Record<string, unknown>;

type JsonCredential = PublicKeyCredential & { toJSON(): Json };
type WithJsonParsing = typeof PublicKeyCredential & {
  parseCreationOptionsFromJSON(options: unknown): PublicKeyCredentialCreationOptions;
  parseRequestOptionsFromJSON(options: unknown): PublicKeyCredentialRequestOptions;
};

const api = () => PublicKeyCredential as WithJsonParsing;

/** Null when the person closed the prompt. */
async function ask<T>(prompt: () => Promise<Credential | null>): Promise<T | null> {
  try {
    const credential = (await prompt()) as JsonCredential | null;
    return credential ? (credential.toJSON() as T) : null;
  } catch (e) {
    if (e instanceof DOMException && e.name === 'NotAllowedError') return null;
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
