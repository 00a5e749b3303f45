import { useEffect } from 'preact/hooks';
import { canDispatch, homeRouteFor, logout, session } from '../auth/session';
import { CrewView } from '../features/crew/crew-view.page';
import { KpiCockpit } from '../features/kpi/kpi-cockpit.page';
import { LoginPage } from '../features/login/login.page';
import { RoutesPage } from '../features/routes/routes.page';
import { OpsPage } from './ops.page';
import { useT } from '../i18n/i18n';
import { LanguageSelect } from '../i18n/language-select';
import { live } from '../live/live-connection';
import { useStore } from '../state/store';
import { navigate, route, type Route } from './router';

function Header({ current }: { current: Route }) {
  const t = useT('common');
  const s = useStore(session)!;
  const status = useStore(live.status);
  const links: Route[] = s.role === 'crew' ? ['/crew'] : ['/ops', '/routes', '/kpi'];
  return (
    <header class="app-header">
      <strong class="app-title">{t('appTitle')}</strong>
      <nav>
        {links.map((r) => (
          <a key={r} href={`#${r}`} class={r === current ? 'active' : ''} data-testid={`nav-${r.slice(1)}`}>
            {t(`nav.${r.slice(1)}`)}
          </a>
        ))}
      </nav>
      <span class={`live-status live-${status}`} data-testid="live-status">
        {t(`live.${status}`)}
      </span>
      <LanguageSelect />
      <span class="user">{s.username}</span>
      <button type="button" data-testid="logout" onClick={() => logout()}>
        {t('nav.logout')}
      </button>
    </header>
  );
}

/** Picks the page: login without a session, the crew view for crew accounts, else the ops screen or the cockpit. */
export function App() {
  const s = useStore(session);
  const current = useStore(route);

  useEffect(() => {
    if (!s) {
      live.disconnect();
      return;
    }
    live.connect(s.token);
    return () => live.disconnect();
  }, [s?.token]);

  if (!s) return <LoginPage />;
  const home = homeRouteFor(s.role);
  const allowed: Route = current === null || current === '/login' || (current === '/crew') !== (s.role === 'crew') ? home : current;
  if (allowed !== current) queueMicrotask(() => navigate(allowed));
  return (
    <div class={`app app-${allowed.slice(1)}`}>
      <Header current={allowed} />
      <main>
        {allowed === '/crew' && <CrewView />}
        {allowed === '/kpi' && <KpiCockpit />}
        {allowed === '/ops' && <OpsPage canDispatch={canDispatch(s.role)} />}
        {allowed === '/routes' && <RoutesPage canDispatch={canDispatch(s.role)} />}
      </main>
    </div>
  );
}
