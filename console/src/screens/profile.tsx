// The profile form shared by a user's page and the caller's own account: only changed
// fields are sent, and an emptied field is sent as null, which clears it.
import { request } from '../api';
import { UpdateUserDocument, type ProfileFragment, type SessionRowFragment, type UpdateUserInput } from '../gql/graphql';
import { t, when } from '../i18n';
import { Alert, Field, Section, Table, useAction, useSynced } from '../ui';

const FIELDS = ['email', 'username', 'displayName', 'firstName', 'lastName', 'phoneNumber', 'address', 'avatarUrl', 'locale'] as const;
type ProfileField = (typeof FIELDS)[number];

const AUTOCOMPLETE: Partial<Record<ProfileField, string>> = {
  email: 'off',
  firstName: 'off',
  lastName: 'off',
  phoneNumber: 'off',
  address: 'off',
};

export function ProfileForm(p: {
  user: ProfileFragment;
  editable: boolean;
  /** Fields the caller may not change here (an own email changes through a mailed link). */
  readOnly?: ProfileField[];
  onSaved: (user: ProfileFragment) => void;
}) {
  const initial = Object.fromEntries(FIELDS.map((f) => [f, p.user[f] ?? ''])) as Record<ProfileField, string>;
  const [values, setValues] = useSynced(initial, p.user.updatedAt);
  const action = useAction();

  const save = (e: Event) => {
    e.preventDefault();
    const input: UpdateUserInput = {};
    for (const f of FIELDS) {
      if (values[f] !== initial[f]) input[f] = values[f].trim() === '' ? null : values[f].trim();
    }
    void action.run(async () => {
      if (Object.keys(input).length > 0) {
        const { updateUser } = await request(UpdateUserDocument, { id: p.user.id, input });
        p.onSaved(updateUser);
      }
      return t.saved;
    });
  };

  return (
    <Section title={t.profile}>
      <form onSubmit={save}>
        <p class="hint">{t.clearHint}</p>
        <div class="grid">
          {FIELDS.map((f) => (
            <Field
              key={f}
              label={t[f]}
              name={f}
              type={f === 'email' ? 'email' : f === 'avatarUrl' ? 'url' : 'text'}
              value={values[f]}
              onValue={(v) => setValues({ ...values, [f]: v })}
              errors={action.fields}
              disabled={!p.editable || p.readOnly?.includes(f)}
              autocomplete={AUTOCOMPLETE[f]}
              multiline={f === 'address'}
              help={f === 'locale' ? t.localeHelp : undefined}
            />
          ))}
        </div>
        <Alert error={action.error} notice={action.notice} />
        {p.editable && <button type="submit" class="primary" disabled={action.busy}>{t.save}</button>}
      </form>
    </Section>
  );
}

/** Live sessions, with a revoke button each when `onRevoke` is given. */
export function SessionTable(p: { sessions: SessionRowFragment[]; onRevoke?: (id: string) => void; busy?: boolean }) {
  const revoke = p.onRevoke;
  return (
    <Table
      headers={[t.device, t.ipAddress, t.created, t.lastUsed, t.expires]}
      rows={p.sessions}
      cells={(s) => [
        <>
          {s.userAgent ?? '—'}
          {s.current && <strong> ({t.thisSession})</strong>}
        </>,
        s.ipAddress ?? '—',
        when(s.createdAt),
        when(s.lastUsedAt),
        when(s.expiresAt),
      ]}
      empty={t.noSessions}
      action={revoke && { label: t.revoke, name: (s) => s.userAgent ?? s.id, disabled: p.busy, run: (s) => revoke(s.id) }}
    />
  );
}
