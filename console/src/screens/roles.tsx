// Roles: the list, a role's page (edit, members, delete) and the form for a new role.
import { useLocation, useRoute } from 'preact-iso';
import { request } from '../api';
import {
  CreateRoleDocument,
  DeleteRoleDocument,
  RoleDocument,
  RolesDocument,
  UpdateRoleDocument,
  type Permission,
  type RoleFieldsFragment,
} from '../gql/graphql';
import { t } from '../i18n';
import { can, holdsAllOf } from '../session';
import { Alert, Choices, ConfirmButton, Field, Section, Reason, Status, Title, useAction, useLoad, useSynced } from '../ui';

export const PERMISSIONS: Permission[] = ['USER_READ', 'USER_WRITE', 'ROLE_READ', 'ROLE_WRITE', 'AUDIT_READ'];

export const permissionChoices = (among: readonly string[] = PERMISSIONS): [string, string][] =>
  PERMISSIONS.filter((p) => among.includes(p)).map((p) => [p, t.permissionNames[p] ?? p]);

export function RoleList() {
  const roles = useLoad(() => request(RolesDocument), 'roles');
  return (
    <>
      <Title>{t.rolesTitle}</Title>
      {can('ROLE_WRITE') && <p><a class="button primary" href="/admin/roles/new">{t.newRole}</a></p>}
      <Status loaded={roles} />
      {roles.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t.name}</th>
              <th scope="col">{t.roleCode}</th>
              <th scope="col">{t.description}</th>
              <th scope="col">{t.permissions}</th>
              <th scope="col">{t.members}</th>
            </tr>
          </thead>
          <tbody>
            {roles.data.roles.map((r) => (
              <tr key={r.id}>
                <td>
                  <a href={`/admin/roles/${r.id}`}>{r.name}</a>
                  {r.isSystem && <span class="tag"> {t.system}</span>}
                </td>
                <td>{r.code ?? ''}</td>
                <td>{r.description ?? ''}</td>
                <td>{[...r.permissions, ...r.appPermissions].join(', ')}</td>
                <td>{r.userCount ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

type RoleValues = { name: string; code: string; description: string; permissions: string[]; appPermissions: string };

const valuesOf = (r?: RoleFieldsFragment): RoleValues => ({
  name: r?.name ?? '',
  code: r?.code?.toString() ?? '',
  description: r?.description ?? '',
  permissions: r?.permissions ?? [],
  appPermissions: r?.appPermissions.join('\n') ?? '',
});

/** The form's values as gerbang's input; a code that is not a number is gerbang's to refuse. */
function inputOf(v: RoleValues) {
  const code = v.code.trim();
  return {
    name: v.name.trim(),
    code: code === '' ? null : Number(code),
    description: v.description.trim() || null,
    permissions: v.permissions as Permission[],
    appPermissions: v.appPermissions.split('\n').map((s) => s.trim()).filter(Boolean),
  };
}

function RoleForm(p: { role?: RoleFieldsFragment; editable: boolean; submit: string; onSubmit: (v: RoleValues) => Promise<string | void> }) {
  const [values, setValues] = useSynced(valuesOf(p.role), p.role?.updatedAt ?? '');
  const action = useAction();
  const set = (k: keyof RoleValues) => (v: string) => setValues({ ...values, [k]: v });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(() => p.onSubmit(values));
      }}
    >
      <Field
        label={t.name}
        name="name"
        value={values.name}
        onValue={set('name')}
        errors={action.fields}
        disabled={!p.editable || p.role?.isSystem}
        why={p.editable && p.role?.isSystem ? t.whySystemRoleName : undefined}
        required
      />
      <Field label={t.roleCode} name="code" type="number" value={values.code} onValue={set('code')} errors={action.fields} disabled={!p.editable} />
      <Field label={t.description} name="description" value={values.description} onValue={set('description')} errors={action.fields} disabled={!p.editable} multiline />
      <Choices
        legend={t.permissions}
        name="permissions"
        choices={permissionChoices()}
        chosen={values.permissions}
        onChosen={(permissions) => setValues({ ...values, permissions })}
        disabled={!p.editable}
        errors={action.fields}
      />
      <Field
        label={t.appPermissions}
        name="appPermissions"
        value={values.appPermissions}
        onValue={set('appPermissions')}
        errors={action.fields}
        disabled={!p.editable}
        help={t.appPermissionsHelp}
        multiline
      />
      <Alert error={action.error} notice={action.notice} />
      {p.editable && <button type="submit" class="primary" disabled={action.busy}>{p.submit}</button>}
    </form>
  );
}

/** The id of the line saying the role holds more than the caller. */
const NOT_HELD = 'role-not-held';

export function RolePage() {
  const { params } = useRoute();
  const { route } = useLocation();
  const id = params.id ?? '';
  const loaded = useLoad(() => request(RoleDocument, { id }), id);
  const deleteAction = useAction();
  const role = loaded.data?.role;
  const writable = can('ROLE_WRITE');
  // gerbang refuses changes to a role holding permissions the caller does not, and its
  // deletion when the caller lacks any of its application permissions too (NOT_HELD).
  const caller = loaded.data?.me;
  const editable = !role || !caller || holdsAllOf(caller, [role], false);
  const held = !role || !caller || holdsAllOf(caller, [role]);
  if (loaded.data && !role) {
    return (
      <>
        <Title>{t.rolesTitle}</Title>
        <p class="alert error" role="alert">{t.notFound}</p>
      </>
    );
  }
  return (
    <>
      <Title>{role?.name ?? t.rolesTitle}</Title>
      <Status loaded={loaded} />
      {role && (
        <>
          {role.createdBy && <p class="meta">{t.createdBy}: {role.createdBy.displayName ?? role.createdBy.email ?? role.createdBy.id}</p>}
          {writable && !editable && <Reason id={NOT_HELD} text={t.whyRoleNotHeld} />}
          <RoleForm
            role={role}
            editable={writable && editable}
            submit={t.save}
            onSubmit={async (v) => {
              await request(UpdateRoleDocument, { id: role.id, input: inputOf(v) });
              loaded.reload();
              return t.saved;
            }}
          />
          <Section title={t.members}>
            {role.users && role.users.totalCount > 0 ? (
              <>
                <p>{t.memberCount(role.users.totalCount)}</p>
                <ul>
                  {role.users.nodes.map((u) => (
                    <li key={u.id}><a href={`/admin/users/${u.id}`}>{u.displayName ?? u.email ?? u.username ?? u.id}</a></li>
                  ))}
                </ul>
              </>
            ) : (
              <p>{role.users ? t.noMembers : ''}</p>
            )}
          </Section>
          {writable && (
            <Section title={t.deleteRole}>
              <Alert error={deleteAction.error} />
              <ConfirmButton
                label={t.deleteRole}
                question={t.confirmDeleteRole(role.name)}
                danger
                disabled={deleteAction.busy || role.isSystem || !held}
                why={role.isSystem ? t.whySystemRoleDelete : held ? undefined : editable ? t.whyRoleNotHeldDelete : { text: t.whyRoleNotHeld, at: NOT_HELD }}
                onConfirm={() =>
                  void deleteAction.run(async () => {
                    await request(DeleteRoleDocument, { id: role.id });
                    route('/admin/roles');
                  })
                }
              />
            </Section>
          )}
        </>
      )}
    </>
  );
}

export function NewRole() {
  const { route } = useLocation();
  return (
    <>
      <Title>{t.createRoleTitle}</Title>
      <RoleForm
        editable
        submit={t.create}
        onSubmit={async (v) => {
          const { createRole } = await request(CreateRoleDocument, { input: inputOf(v) });
          route(`/admin/roles/${createRole.id}`);
        }}
      />
    </>
  );
}
