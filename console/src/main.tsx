import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { t, lang } from './i18n';
import * as session from './session';
import { SignIn } from './screens/signin';
import { UserList } from './screens/users';
import { UserPage, NewUser } from './screens/user';
import { RoleList, RolePage, NewRole } from './screens/roles';
import { Account } from './screens/account';
import { AuditLog } from './screens/audit';
import { Title } from './ui';

function useSession(): session.State {
  const [state, setState] = useState(session.current());
  useEffect(() => {
    const unsubscribe = session.subscribe(() => setState(session.current()));
    // The state may have moved on between the first render and this effect.
    setState(session.current());
    return unsubscribe;
  }, []);
  return state;
}

function Nav({ me }: { me: session.Me }) {
  const { path } = useLocation();
  const links: [string, string, boolean][] = [
    ['/admin/users', t.navUsers, session.can('USER_READ')],
    ['/admin/roles', t.navRoles, session.can('ROLE_READ')],
    ['/admin/audit', t.navAudit, session.can('AUDIT_READ')],
    ['/admin/account', t.navAccount, true],
  ];
  return (
    <header class="top">
      <a class="brand" href="/admin">{t.appName}</a>
      <nav aria-label={t.nav}>
        <ul>
          {links
            .filter(([, , shown]) => shown)
            .map(([href, label]) => (
              <li key={href}>
                <a href={href} aria-current={path.startsWith(href) ? 'page' : undefined}>{label}</a>
              </li>
            ))}
        </ul>
      </nav>
      <span class="who">{t.signedInAs(me.email ?? me.username ?? me.id)}</span>
      <button type="button" onClick={() => void session.signOut()}>{t.signOut}</button>
    </header>
  );
}

/** `/admin`: the first screen the caller may use. */
function Home() {
  const { route } = useLocation();
  useEffect(() => route(session.can('USER_READ') ? '/admin/users' : '/admin/account', true), []);
  return null;
}

function NotFound() {
  return (
    <>
      <Title>{t.notFound}</Title>
      <p><a href="/admin">{t.appName}</a></p>
    </>
  );
}

function App() {
  const state = useSession();
  if (state.status === 'loading') return <p role="status">{t.loading}</p>;
  if (state.status === 'signedOut') return <SignIn expired={state.reason === 'expired'} />;
  return (
    <>
      <a class="skip" href="#main">{t.skipToContent}</a>
      <Nav me={state.me} />
      <main id="main">
        <Router>
          <Route path="/admin" component={Home} />
          <Route path="/admin/" component={Home} />
          <Route path="/admin/users" component={UserList} />
          <Route path="/admin/users/new" component={NewUser} />
          <Route path="/admin/users/:id" component={UserPage} />
          <Route path="/admin/roles" component={RoleList} />
          <Route path="/admin/roles/new" component={NewRole} />
          <Route path="/admin/roles/:id" component={RolePage} />
          <Route path="/admin/account" component={Account} />
          <Route path="/admin/audit" component={AuditLog} />
          <Route default component={NotFound} />
        </Router>
      </main>
    </>
  );
}

document.documentElement.lang = lang;
const root = document.getElementById('app');
if (root) {
  render(
    <LocationProvider scope="/admin">
      <App />
    </LocationProvider>,
    root,
  );
}
void session.restore();
