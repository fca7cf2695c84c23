// The audit log, newest first: filter by action, actor, subject and time; a page at a time.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { request } from '../api';
import { AuditEventsDocument, type AuditAction, type AuditEventsQueryVariables } from '../gql/graphql';
import { t, when } from '../i18n';
import { Field, Select, Status, Title, useLoad } from '../ui';

const PAGE = 25;

// Every AuditAction; `satisfies` makes a new action in the schema a type error here.
const ACTIONS = [
  'USER_REGISTERED', 'LOGIN_SUCCEEDED', 'LOGIN_FAILED', 'ACCOUNT_LOCKED', 'LOGOUT', 'SESSION_REVOKED',
  'REFRESH_TOKEN_REUSED', 'PASSWORD_CHANGED', 'PASSWORD_SET', 'PASSWORD_RESET_REQUESTED', 'PASSWORD_RESET',
  'EMAIL_VERIFIED', 'EMAIL_CHANGED', 'USER_CREATED', 'USER_UPDATED', 'USER_DELETED', 'ROLE_CREATED',
  'ROLE_UPDATED', 'ROLE_DELETED', 'MFA_ENABLED', 'MFA_DISABLED', 'PASSKEY_ADDED', 'PASSKEY_REMOVED',
  'RECOVERY_CODES_REGENERATED', 'API_KEY_CREATED', 'API_KEY_REVOKED', 'SIGNING_KEY_ROTATED',
] as const satisfies readonly AuditAction[];
type Missing = Exclude<AuditAction, (typeof ACTIONS)[number]>;
const everyAction: Missing extends never ? true : Missing = true;
void everyAction;

/** A datetime-local value (the browser's time zone) as an instant. */
const instant = (local: string | undefined) => (local ? new Date(local).toISOString() : null);

function variables(q: Record<string, string>): AuditEventsQueryVariables {
  const filter = {
    actions: q.action ? [q.action as AuditAction] : null,
    actorId: q.actor || null,
    subjectUserId: q.subject || null,
    since: instant(q.since),
    until: instant(q.until),
  };
  const page = q.before ? { last: PAGE, before: q.before } : { first: PAGE, after: q.after || null };
  return { ...page, filter };
}

export function AuditLog() {
  const { query, path, route } = useLocation();
  const [form, setForm] = useState({ actor: query.actor ?? '', subject: query.subject ?? '', since: query.since ?? '', until: query.until ?? '' });
  const vars = variables(query);
  const events = useLoad(() => request(AuditEventsDocument, vars), JSON.stringify(vars));
  const go = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...query, after: undefined, before: undefined, ...changes })) if (v) next.set(k, v);
    const qs = next.toString();
    route(qs ? `${path}?${qs}` : path);
  };
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });
  const page = events.data?.auditEvents;
  return (
    <>
      <Title>{t.auditTitle}</Title>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go({ actor: form.actor.trim(), subject: form.subject.trim(), since: form.since, until: form.until });
        }}
      >
        <Select label={t.action} value={query.action ?? ''} onValue={(action) => go({ action })} options={[['', t.any], ...ACTIONS.map((a): [string, string] => [a, a])]} />
        <Field label={t.actorId} name="actorId" value={form.actor} onValue={set('actor')} />
        <Field label={t.subjectUserId} name="subjectUserId" value={form.subject} onValue={set('subject')} />
        <Field label={t.since} name="since" type="datetime-local" value={form.since} onValue={set('since')} />
        <Field label={t.until} name="until" type="datetime-local" value={form.until} onValue={set('until')} />
        <button type="submit">{t.filter}</button>
      </form>
      <Status loaded={events} />
      {page && (
        <>
          <p role="status" class="count">{t.eventsCount(page.totalCount)}</p>
          {page.nodes.length === 0 ? (
            <p>{t.noEvents}</p>
          ) : (
            <table class="audit">
              <thead>
                <tr>
                  <th scope="col">{t.at}</th>
                  <th scope="col">{t.action}</th>
                  <th scope="col">{t.actor}</th>
                  <th scope="col">{t.subject}</th>
                  <th scope="col">{t.ipAddress}</th>
                  <th scope="col">{t.details}</th>
                </tr>
              </thead>
              <tbody>
                {page.nodes.map((e) => (
                  <tr key={e.id}>
                    <td>{when(e.at)}</td>
                    <td><code>{e.action}</code></td>
                    <td>
                      {e.actor ? (
                        <a href={`/admin/users/${e.actor.id}`}>{e.actor.email ?? e.actor.displayName ?? e.actor.id}</a>
                      ) : (
                        e.actorId ?? t.anonymousActor
                      )}
                    </td>
                    <td>
                      {e.subjectUserId && <a href={`/admin/users/${e.subjectUserId}`}>{e.subjectUserId}</a>}
                      {e.subjectRoleId && <a href={`/admin/roles/${e.subjectRoleId}`}>{e.subjectRoleId}</a>}
                    </td>
                    <td>{e.ipAddress ?? ''}</td>
                    <td><code class="details">{JSON.stringify(e.details)}</code></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div class="pager">
            <button type="button" disabled={!page.pageInfo.hasPreviousPage} onClick={() => go({ before: page.pageInfo.startCursor ?? undefined })}>{t.previous}</button>
            <button type="button" disabled={!page.pageInfo.hasNextPage} onClick={() => go({ after: page.pageInfo.endCursor ?? undefined })}>{t.next}</button>
          </div>
        </>
      )}
    </>
  );
}
