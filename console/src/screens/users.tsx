// Users: the keyset-paged list with search, filters and sort.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { request } from '../api';
import { RoleChoicesDocument, UsersDocument, type UsersQueryVariables, type UserSortField, type SortDirection } from '../gql/graphql';
import { t, when } from '../i18n';
import { can } from '../session';
import { Field, Select, Status, Title, useLoad } from '../ui';

const PAGE = 20;

const SORTS: Record<string, [UserSortField, SortDirection, string]> = {
  newest: ['CREATED_AT', 'DESC', t.sortNewest],
  oldest: ['CREATED_AT', 'ASC', t.sortOldest],
  email: ['EMAIL', 'ASC', t.sortEmail],
  username: ['USERNAME', 'ASC', t.sortUsername],
  name: ['DISPLAY_NAME', 'ASC', t.sortName],
};

/** The list's state lives in the URL, so a reload or a shared link shows the same page. */
function variables(query: Record<string, string>): UsersQueryVariables {
  const [field, direction] = SORTS[query.sort ?? 'newest'] ?? SORTS.newest!;
  const filter = {
    search: query.q || null,
    roleId: query.role || null,
    isActive: query.active === 'true' ? true : query.active === 'false' ? false : null,
  };
  const page = query.before ? { last: PAGE, before: query.before } : { first: PAGE, after: query.after || null };
  return { ...page, filter, sort: { field, direction } };
}

export function UserList() {
  const { query, path, route } = useLocation();
  const [search, setSearch] = useState(query.q ?? '');
  const vars = variables(query);
  const users = useLoad(() => request(UsersDocument, vars), JSON.stringify(vars));
  const roles = useLoad(() => request(RoleChoicesDocument), 'roles');

  const go = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams();
    const merged = { ...query, after: undefined, before: undefined, ...changes };
    for (const [k, v] of Object.entries(merged)) if (v) next.set(k, v);
    const qs = next.toString();
    route(qs ? `${path}?${qs}` : path);
  };

  const page = users.data?.users;
  return (
    <>
      <Title>{t.usersTitle}</Title>
      {can('USER_WRITE') && <p><a class="button primary" href="/admin/users/new">{t.newUser}</a></p>}
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: search.trim() || undefined });
        }}
      >
        <Field label={t.search} name="search" type="search" value={search} onValue={setSearch} placeholder={t.searchPlaceholder} />
        <button type="submit">{t.search}</button>
        <Select
          label={t.role}
          value={query.role ?? ''}
          onValue={(role) => go({ role })}
          options={[['', t.any], ...(roles.data?.roles ?? []).map((r): [string, string] => [r.id, r.name])]}
        />
        <Select
          label={t.status}
          value={query.active ?? ''}
          onValue={(active) => go({ active })}
          options={[['', t.any], ['true', t.active], ['false', t.inactive]]}
        />
        <Select
          label={t.sortBy}
          value={query.sort ?? 'newest'}
          onValue={(sort) => go({ sort })}
          options={Object.entries(SORTS).map(([k, [, , label]]) => [k, label])}
        />
      </form>
      <Status loaded={users} />
      {page && (
        <>
          <p role="status" class="count">{t.usersCount(page.totalCount)}</p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.email}</th>
                <th scope="col">{t.username}</th>
                <th scope="col">{t.displayName}</th>
                <th scope="col">{t.roles}</th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.lastLogin}</th>
              </tr>
            </thead>
            <tbody>
              {page.nodes.map((u) => (
                <tr key={u.id}>
                  <td><a href={`/admin/users/${u.id}`}>{u.email ?? u.id}</a></td>
                  <td>{u.username}</td>
                  <td>{u.displayName}</td>
                  <td>{u.roles.map((r) => r.name).join(', ')}</td>
                  <td>{u.isActive ? t.active : t.inactive}</td>
                  <td>{when(u.lastLoginAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="pager">
            <button type="button" disabled={!page.pageInfo.hasPreviousPage} onClick={() => go({ ...query, before: page.pageInfo.startCursor ?? undefined, after: undefined })}>
              {t.previous}
            </button>
            <button type="button" disabled={!page.pageInfo.hasNextPage} onClick={() => go({ ...query, after: page.pageInfo.endCursor ?? undefined, before: undefined })}>
              {t.next}
            </button>
          </div>
        </>
      )}
    </>
  );
}
