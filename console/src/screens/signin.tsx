// Sign-in: a password, then a second step when gerbang asks for one; or a passkey.
import { useState } from 'preact/hooks';
import { ApiError, anonymous } from '../api';
import {
  BeginPasskeyLoginDocument,
  CompleteLoginDocument,
  FinishPasskeyLoginDocument,
  LoginDocument,
} from '../gql/graphql';
import { t } from '../i18n';
import * as session from '../session';
import { Alert, Field, Title, useAction } from '../ui';
import { passkeyAssertion } from '../webauthn';

export function SignIn({ expired }: { expired: boolean }) {
  const [identifier, setIdentifier] = useState('');
  const [password, setPassword] = useState('');
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const action = useAction();

  const signIn = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      try {
        const { login } = await anonymous(LoginDocument, { input: { usernameOrEmail: identifier, password } });
        await session.signedIn(login);
      } catch (err) {
        if (err instanceof ApiError && err.extensions.mfaRequired && typeof err.extensions.mfaToken === 'string') {
          setMfaToken(err.extensions.mfaToken);
          setPassword('');
          return;
        }
        throw err;
      }
    });
  };

  const complete = (e: Event) => {
    e.preventDefault();
    if (!mfaToken) return;
    void action.run(async () => {
      const { completeLogin } = await anonymous(CompleteLoginDocument, { mfaToken, code });
      await session.signedIn(completeLogin);
    });
  };

  const withPasskey = () =>
    void action.run(async () => {
      const { beginPasskeyLogin } = await anonymous(BeginPasskeyLoginDocument, {
        usernameOrEmail: identifier.trim() || null,
      });
      const credential = await passkeyAssertion(beginPasskeyLogin.options);
      if (!credential) return t.passkeyCancelled;
      const { finishPasskeyLogin } = await anonymous(FinishPasskeyLoginDocument, {
        challengeId: beginPasskeyLogin.challengeId,
        credential,
      });
      await session.signedIn(finishPasskeyLogin);
    });

  if (mfaToken) {
    return (
      <main id="main" class="signin">
        <Title>{t.secondStepTitle}</Title>
        <p>{t.secondStepHelp}</p>
        <form onSubmit={complete}>
          <Field label={t.code} name="code" value={code} onValue={setCode} errors={action.fields} autocomplete="one-time-code" required />
          <Alert error={action.error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={action.busy}>{t.verify}</button>
            <button type="button" onClick={() => (setMfaToken(null), setCode(''))}>{t.backToSignIn}</button>
          </div>
        </form>
      </main>
    );
  }

  return (
    <main id="main" class="signin">
      <Title>{t.signInTitle}</Title>
      {expired && <p class="alert notice" role="status">{t.sessionExpired}</p>}
      <form onSubmit={signIn}>
        <Field
          label={t.usernameOrEmail}
          name="usernameOrEmail"
          value={identifier}
          onValue={setIdentifier}
          errors={action.fields}
          autocomplete="username webauthn"
          required
        />
        <Field label={t.password} name="password" type="password" value={password} onValue={setPassword} errors={action.fields} autocomplete="current-password" required />
        <Alert error={action.error} notice={action.notice} />
        <div class="actions">
          <button type="submit" class="primary" disabled={action.busy}>{t.signIn}</button>
          {'PublicKeyCredential' in window && (
            <button type="button" onClick={withPasskey} disabled={action.busy}>{t.signInWithPasskey}</button>
          )}
        </div>
      </form>
    </main>
  );
}
