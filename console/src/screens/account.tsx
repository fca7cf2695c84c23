// The caller's own account: profile, password, sessions, authenticator app, passkeys and
// API keys. Adding a credential takes proof of presence: the current password, or a sign-in
// of this session recent enough for gerbang (GERBANG_SUDO_WINDOW), so the password field is
// there but may stay empty.
import { useState } from 'preact/hooks';
import { request } from '../api';
import {
  BeginPasskeyRegistrationDocument,
  BeginTotpEnrollmentDocument,
  ChangePasswordDocument,
  ConfirmTotpEnrollmentDocument,
  CreateApiKeyDocument,
  DisableTotpDocument,
  FinishPasskeyRegistrationDocument,
  MyAccountDocument,
  RegenerateRecoveryCodesDocument,
  RemovePasskeyDocument,
  RevokeApiKeyDocument,
  RevokeOtherSessionsDocument,
  RevokeSessionDocument,
  type MyAccountQuery,
  type BeginTotpEnrollmentMutation,
  type Permission,
} from '../gql/graphql';
import { t, when } from '../i18n';
import { type FieldErrors, Alert, Choices, Field, Section, Status, Table, Title, useAction, useLoad } from '../ui';
import { passkeyCreation } from '../webauthn';
import { ProfileForm, SessionTable } from './profile';
import { permissionChoices } from './roles';

type Me = MyAccountQuery['me'];

/** The current password that proves presence; empty is sent as null (a recent sign-in may do). */
function PresenceField(p: { value: string; onValue: (v: string) => void; errors: FieldErrors }) {
  return (
    <Field
      label={t.currentPassword}
      name="currentPassword"
      type="password"
      value={p.value}
      onValue={p.onValue}
      errors={p.errors}
      autocomplete="current-password"
      help={t.presenceHelp}
      focusOnError
    />
  );
}

const presence = (password: string) => (password === '' ? null : password);

export function Account() {
  const loaded = useLoad(() => request(MyAccountDocument), 'me');
  const me = loaded.data?.me;
  return (
    <>
      <Title>{t.accountTitle}</Title>
      <Status loaded={loaded} />
      {me && (
        <>
          <ProfileForm user={me} editable readOnly={['email']} onSaved={loaded.reload} />
          <PasswordChange />
          <Sessions me={me} reload={loaded.reload} />
          <Totp me={me} reload={loaded.reload} />
          <Passkeys me={me} reload={loaded.reload} />
          <ApiKeys me={me} reload={loaded.reload} />
        </>
      )}
    </>
  );
}

function PasswordChange() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const action = useAction();
  return (
    <Section title={t.changePassword}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            await request(ChangePasswordDocument, { currentPassword, newPassword });
            setCurrent('');
            setNew('');
            return t.passwordChanged;
          });
        }}
      >
        <Field label={t.currentPassword} name="currentPassword" type="password" value={currentPassword} onValue={setCurrent} errors={action.fields} autocomplete="current-password" required />
        <Field label={t.newPassword} name="newPassword" type="password" value={newPassword} onValue={setNew} errors={action.fields} autocomplete="new-password" required />
        <Alert error={action.error} notice={action.notice} />
        <button type="submit" disabled={action.busy}>{t.changePassword}</button>
      </form>
    </Section>
  );
}

function Sessions({ me, reload }: { me: Me; reload: () => void }) {
  const action = useAction();
  const sessions = me.sessions ?? [];
  return (
    <Section title={t.sessions}>
      <Alert error={action.error} notice={action.notice} />
      <SessionTable
        sessions={sessions}
        busy={action.busy}
        onRevoke={(id) =>
          void action.run(async () => {
            const { revokeSession } = await request(RevokeSessionDocument, { id });
            reload();
            return t.sessionsEnded(revokeSession ? 1 : 0);
          })
        }
      />
      {sessions.length > 1 && (
        <button
          type="button"
          disabled={action.busy}
          onClick={() =>
            void action.run(async () => {
              const { revokeOtherSessions } = await request(RevokeOtherSessionsDocument);
              reload();
              return t.sessionsEnded(revokeOtherSessions);
            })
          }
        >
          {t.revokeOthers}
        </button>
      )}
    </Section>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <div class="secret" role="status">
      <h3>{t.recoveryCodes}</h3>
      <p>{t.recoveryCodesHelp}</p>
      <ul class="codes">
        {codes.map((c) => <li key={c}><code>{c}</code></li>)}
      </ul>
    </div>
  );
}

function Totp({ me, reload }: { me: Me; reload: () => void }) {
  const on = me.mfaMethods?.includes('TOTP') ?? false;
  const [enrollment, setEnrollment] = useState<BeginTotpEnrollmentMutation['beginTotpEnrollment'] | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [proof, setProof] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const action = useAction();
  const withPassword = (e: Event, work: () => Promise<void>) => {
    e.preventDefault();
    void action.run(async () => {
      await work();
      setPassword('');
      reload();
    });
  };
  return (
    <Section title={t.totp}>
      <p>{on ? t.totpOn : t.totpOff}</p>
      {codes && <RecoveryCodes codes={codes} />}
      <Alert error={action.error} notice={action.notice} />
      {!on && !enrollment && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void action.run(async () => {
              const { beginTotpEnrollment } = await request(BeginTotpEnrollmentDocument, { currentPassword: presence(proof) });
              setProof('');
              setEnrollment(beginTotpEnrollment);
            });
          }}
        >
          <PresenceField value={proof} onValue={setProof} errors={action.fields} />
          <button type="submit" disabled={action.busy}>{t.totpBegin}</button>
        </form>
      )}
      {!on && enrollment && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void action.run(async () => {
              const { confirmTotpEnrollment } = await request(ConfirmTotpEnrollmentDocument, { code });
              setCodes(confirmTotpEnrollment);
              setEnrollment(null);
              setCode('');
              reload();
            });
          }}
        >
          <p>{t.totpScan}</p>
          <img class="qr" alt={t.totpQr} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrollment.qrSvg)}`} />
          <p>{t.totpKey}: <code>{enrollment.secret}</code></p>
          <Field label={t.code} name="code" value={code} onValue={setCode} errors={action.fields} autocomplete="one-time-code" required />
          <button type="submit" class="primary" disabled={action.busy}>{t.totpConfirm}</button>
        </form>
      )}
      {on && (
        <form onSubmit={(e) => e.preventDefault()}>
          <Field label={t.currentPassword} name="currentPassword" type="password" value={password} onValue={setPassword} errors={action.fields} autocomplete="current-password" required />
          <div class="actions">
            <button
              type="submit"
              disabled={action.busy}
              onClick={(e) => withPassword(e, async () => setCodes((await request(RegenerateRecoveryCodesDocument, { currentPassword: password })).regenerateRecoveryCodes))}
            >
              {t.recoveryCodesRegenerate}
            </button>
            <button
              type="submit"
              class="danger"
              disabled={action.busy}
              onClick={(e) =>
                withPassword(e, async () => {
                  await request(DisableTotpDocument, { currentPassword: password });
                  setCodes(null);
                })
              }
            >
              {t.totpDisable}
            </button>
          </div>
        </form>
      )}
    </Section>
  );
}

function Passkeys({ me, reload }: { me: Me; reload: () => void }) {
  const [name, setName] = useState('');
  const [proof, setProof] = useState('');
  const action = useAction();
  const passkeys = me.passkeys ?? [];
  return (
    <Section title={t.passkeys}>
      <Table
        headers={[t.name, t.created, t.lastUsed]}
        rows={passkeys}
        cells={(p) => [p.name, when(p.createdAt), when(p.lastUsedAt)]}
        empty={t.noPasskeys}
        action={{
          label: t.remove,
          name: (p) => p.name,
          disabled: action.busy,
          run: (p) =>
            void action.run(async () => {
              await request(RemovePasskeyDocument, { id: p.id });
              reload();
            }),
        }}
      />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            const { beginPasskeyRegistration: begun } = await request(BeginPasskeyRegistrationDocument, { currentPassword: presence(proof) });
            setProof('');
            const credential = await passkeyCreation(begun.options);
            if (!credential) return t.passkeyCancelled;
            await request(FinishPasskeyRegistrationDocument, { challengeId: begun.challengeId, name, credential });
            setName('');
            reload();
            return t.passkeyAdded;
          });
        }}
      >
        <Field label={t.passkeyName} name="name" value={name} onValue={setName} errors={action.fields} required />
        <PresenceField value={proof} onValue={setProof} errors={action.fields} />
        <Alert error={action.error} notice={action.notice} />
        <button type="submit" disabled={action.busy}>{t.addPasskey}</button>
      </form>
    </Section>
  );
}

function ApiKeys({ me, reload }: { me: Me; reload: () => void }) {
  const [name, setName] = useState('');
  const [permissions, setPermissions] = useState<string[]>([]);
  const [appPermissions, setAppPermissions] = useState<string[]>([]);
  const [expiresAt, setExpiresAt] = useState('');
  const [proof, setProof] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const action = useAction();
  const keys = me.apiKeys ?? [];
  return (
    <Section title={t.apiKeys}>
      {secret && (
        <div class="secret" role="status">
          <p>{t.keySecret}</p>
          <code>{secret}</code>
        </div>
      )}
      <Alert error={action.error} notice={action.notice} />
      <Table
        headers={[t.name, t.prefix, t.permissions, t.expires, t.lastUsed]}
        rows={keys}
        cells={(k) => [k.name, <code>{k.prefix}</code>, [...k.permissions, ...k.appPermissions].join(', ') || t.none, when(k.expiresAt), when(k.lastUsedAt)]}
        empty={t.noApiKeys}
        action={{
          label: t.revoke,
          name: (k) => k.name,
          disabled: action.busy,
          run: (k) =>
            void action.run(async () => {
              await request(RevokeApiKeyDocument, { id: k.id });
              reload();
            }),
        }}
      />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            const { createApiKey } = await request(CreateApiKeyDocument, {
              input: {
                name: name.trim(),
                permissions: permissions as Permission[],
                appPermissions,
                expiresAt: expiresAt ? new Date(expiresAt).toISOString() : null,
                currentPassword: presence(proof),
              },
            });
            setProof('');
            setSecret(createApiKey.secret);
            setName('');
            setPermissions([]);
            setAppPermissions([]);
            setExpiresAt('');
            reload();
          });
        }}
      >
        <Field label={t.keyName} name="name" value={name} onValue={setName} errors={action.fields} required />
        {me.permissions.length > 0 && (
          <Choices legend={t.permissions} name="permissions" choices={permissionChoices(me.permissions)} chosen={permissions} onChosen={setPermissions} errors={action.fields} />
        )}
        {me.appPermissions.length > 0 && (
          <Choices
            legend={t.appPermissions}
            name="appPermissions"
            choices={me.appPermissions.map((p) => [p, p])}
            chosen={appPermissions}
            onChosen={setAppPermissions}
            errors={action.fields}
          />
        )}
        <Field label={t.expiresAt} name="expiresAt" type="datetime-local" value={expiresAt} onValue={setExpiresAt} errors={action.fields} />
        <PresenceField value={proof} onValue={setProof} errors={action.fields} />
        <button type="submit" disabled={action.busy}>{t.createKey}</button>
      </form>
    </Section>
  );
}
