// One user's page (profile, status, roles, password, sessions, MFA, deletion) and the
// form for a new user.
import { useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { request } from '../api';
import {
  CreateUserDocument,
  DeleteUserDocument,
  ResetUserMfaDocument,
  RevokeSessionDocument,
  RevokeUserSessionsDocument,
  RoleChoicesDocument,
  SetUserPasswordDocument,
  UpdateUserDocument,
  UserDocument,
  type UserQuery,
} from '../gql/graphql';
import { t, when } from '../i18n';
import { can, holdsAllOf } from '../session';
import { type InputType, Alert, Button, Choices, ConfirmButton, Field, Section, Status, Title, Reason, type Why, useAction, useLoad, useSynced } from '../ui';
import { ProfileForm, SessionTable } from './profile';

type Shown = NonNullable<UserQuery['user']>;

/** The id of the line saying the user is out of the caller's reach. */
const OUT_OF_REACH = 'user-out-of-reach';

export function UserPage() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const loaded = useLoad(() => request(UserDocument, { id }), id);
  const user = loaded.data?.user;
  if (loaded.data && !user) {
    return (
      <>
        <Title>{t.usersTitle}</Title>
        <p class="alert error" role="alert">{t.notFound}</p>
      </>
    );
  }
  return (
    <>
      <Title>{user ? user.displayName || user.email || user.username || user.id : t.usersTitle}</Title>
      <Status loaded={loaded} />
      {user && loaded.data && <UserDetails user={user} caller={loaded.data.me} roles={loaded.data.roles} reload={loaded.reload} />}
    </>
  );
}

function UserDetails({ user, caller, roles, reload }: { user: Shown; caller: UserQuery['me']; roles: UserQuery['roles']; reload: () => void }) {
  const { route } = useLocation();
  const writable = can('USER_WRITE');
  // What gerbang would refuse, disabled with the reason: one's own roles and active flag
  // (NOT_FOR_SELF), anything about a user holding permissions the caller lacks (OUT_OF_REACH).
  const self = caller.id === user.id;
  const reachable = self || holdsAllOf(caller, roles.filter((r) => user.roles.some((held) => held.id === r.id)));
  const locked: Why | undefined = reachable ? undefined : { text: t.whyOutOfReach, at: OUT_OF_REACH };
  const activeFixed = self ? t.whyNotForSelfActive : locked;
  const rolesFixed = self ? t.whyNotForSelfRoles : locked;
  const [roleIds, setRoleIds] = useSynced(user.roles.map((r) => r.id), user.updatedAt);
  const [password, setPassword] = useState('');
  const status = useAction();
  const roleAction = useAction();
  const passwordAction = useAction();
  const sessionsAction = useAction();
  const mfaAction = useAction();
  const deleteAction = useAction();
  const who = user.email ?? user.username ?? user.id;

  return (
    <>
      <p class="meta">
        {t.created}: {when(user.createdAt)} · {t.lastLogin}: {when(user.lastLoginAt)} · {t.emailVerified}: {user.emailVerified ? t.yes : t.no}
      </p>
      {writable && !reachable && <Reason id={OUT_OF_REACH} text={t.whyOutOfReach} />}
      <ProfileForm user={user} editable={writable && reachable} onSaved={reload} />

      <Section title={t.status}>
        <p>{user.isActive ? t.accountActive : t.accountInactive}</p>
        <Alert error={status.error} notice={status.notice} />
        {writable && (
          <Button
            label={user.isActive ? t.deactivate : t.activate}
            disabled={status.busy || !!activeFixed}
            why={activeFixed}
            onClick={() =>
              void status.run(async () => {
                await request(UpdateUserDocument, { id: user.id, input: { isActive: !user.isActive } });
                reload();
              })
            }
          />
        )}
      </Section>

      <Section title={t.roles}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void roleAction.run(async () => {
              await request(UpdateUserDocument, { id: user.id, input: { roleIds } });
              reload();
              return t.saved;
            });
          }}
        >
          <Choices
            legend={t.roles}
            name="roleIds"
            choices={roles.map((r) => [r.id, r.name])}
            chosen={roleIds}
            onChosen={setRoleIds}
            disabled={!writable || !!rolesFixed}
            why={writable ? rolesFixed : undefined}
            fixed={{ values: roles.filter((r) => !holdsAllOf(caller, [r])).map((r) => r.id), why: t.whyRoleNotHeldGiven }}
            errors={roleAction.fields}
          />
          <Alert error={roleAction.error} notice={roleAction.notice} />
          {writable && !rolesFixed && <button type="submit" disabled={roleAction.busy}>{t.saveRoles}</button>}
        </form>
      </Section>

      {writable && (
        <Section title={t.setPassword}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void passwordAction.run(async () => {
                await request(SetUserPasswordDocument, { id: user.id, password });
                setPassword('');
                reload();
                return t.passwordSet;
              });
            }}
          >
            <Field
              label={t.newPassword}
              name="password"
              type="password"
              value={password}
              onValue={setPassword}
              errors={passwordAction.fields}
              autocomplete="new-password"
              disabled={!!locked}
              why={locked}
              required
            />
            <Alert error={passwordAction.error} notice={passwordAction.notice} />
            <button type="submit" disabled={passwordAction.busy || !!locked}>{t.setPassword}</button>
          </form>
        </Section>
      )}

      <Section title={t.sessions}>
        <Alert error={sessionsAction.error} notice={sessionsAction.notice} />
        <SessionTable
          sessions={user.sessions ?? []}
          busy={sessionsAction.busy}
          onRevoke={
            writable && reachable
              ? (id) =>
                  void sessionsAction.run(async () => {
                    const { revokeSession } = await request(RevokeSessionDocument, { id });
                    reload();
                    return t.sessionsEnded(revokeSession ? 1 : 0);
                  })
              : undefined
          }
        />
        {writable && (user.sessions?.length ?? 0) > 0 && (
          <ConfirmButton
            label={t.revokeAll}
            question={`${t.revokeAll}: ${who}?`}
            disabled={!!locked}
            why={locked}
            onConfirm={() =>
              void sessionsAction.run(async () => {
                const { revokeUserSessions } = await request(RevokeUserSessionsDocument, { userId: user.id });
                reload();
                return t.sessionsEnded(revokeUserSessions);
              })
            }
          />
        )}
      </Section>

      <Section title={t.mfa}>
        <p>{user.mfaMethods?.length ? user.mfaMethods.join(', ') : t.mfaNone}</p>
        <Alert error={mfaAction.error} notice={mfaAction.notice} />
        {writable && (
          <ConfirmButton
            label={t.mfaReset}
            question={t.confirmMfaReset}
            danger
            disabled={!!locked}
            why={locked}
            onConfirm={() =>
              void mfaAction.run(async () => {
                await request(ResetUserMfaDocument, { userId: user.id });
                reload();
                return t.mfaResetDone;
              })
            }
          />
        )}
      </Section>

      {writable && (
        <Section title={t.deleteUser}>
          <Alert error={deleteAction.error} />
          <ConfirmButton
            label={t.deleteUser}
            question={t.confirmDeleteUser(who)}
            danger
            disabled={deleteAction.busy || !!locked}
            why={locked}
            onConfirm={() =>
              void deleteAction.run(async () => {
                await request(DeleteUserDocument, { id: user.id });
                route('/admin/users');
              })
            }
          />
        </Section>
      )}
    </>
  );
}

export function NewUser() {
  const { route } = useLocation();
  const roles = useLoad(() => request(RoleChoicesDocument), 'roles');
  const [values, setValues] = useState({ email: '', password: '', username: '', displayName: '' });
  const [roleIds, setRoleIds] = useState<string[]>([]);
  const action = useAction();
  const caller = roles.data?.me;
  const notHeld = caller ? (roles.data?.roles ?? []).filter((r) => !holdsAllOf(caller, [r])).map((r) => r.id) : [];
  const field = (name: keyof typeof values, label: string, type: InputType = 'text', autocomplete?: string) => (
    <Field label={label} name={name} type={type} value={values[name]} onValue={(v) => setValues({ ...values, [name]: v })} errors={action.fields} autocomplete={autocomplete} required={name === 'email'} />
  );
  return (
    <>
      <Title>{t.createUserTitle}</Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            const optional = (v: string) => v.trim() || null;
            const { createUser } = await request(CreateUserDocument, {
              input: {
                email: values.email.trim(),
                password: values.password || null,
                username: optional(values.username),
                displayName: optional(values.displayName),
                roleIds,
              },
            });
            route(`/admin/users/${createUser.id}`);
          });
        }}
      >
        {field('email', t.email, 'email', 'off')}
        {field('password', t.passwordOptional, 'password', 'new-password')}
        {field('username', t.username, 'text', 'off')}
        {field('displayName', t.displayName)}
        <Status loaded={roles} />
        <Choices
          legend={t.roles}
          name="roleIds"
          choices={(roles.data?.roles ?? []).map((r) => [r.id, r.name])}
          chosen={roleIds}
          onChosen={setRoleIds}
          fixed={{ values: notHeld, why: t.whyRoleNotHeldGiven }}
          errors={action.fields}
        />
        <Alert error={action.error} />
        <button type="submit" class="primary" disabled={action.busy}>{t.create}</button>
      </form>
    </>
  );
}
