// The console: the login page in a browser without a session; otherwise the shell (header, navigation,
// the selected view). The desktop window is always in session.
import { Component, Suspense, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { Header } from './components/Header';
import { Login } from './components/Login';
import { Navigation } from './components/Navigation';
import { Loading } from './components/common';
import { focusViewHeading, keepFocus } from './components/focus-rescue';
import { useShell, useT } from './store/shell';
import { retryFailedViews, viewById } from './views/registry';
import { StalePageError } from './views/stale-page';

export function App({ onToken, onLogout }: { onToken: (token: string) => void; onLogout?: () => void }) {
  const session = useShell((s) => s.session);
  const theme = useShell((s) => s.theme);
  const lang = useShell((s) => s.lang);
  // A layout effect: the theme's colours are in place before any view's effects read them (charts).
  useLayoutEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [theme, lang]);
  // A control removed or disabled by its own action hands the focus on (WCAG 2.4.3), in every view.
  useEffect(() => keepFocus(document), []);
  const t = useT();
  const view = useShell((s) => s.view);
  // The window's (and the tab's) title says where the console is (WCAG 2.4.2), in its language.
  useEffect(() => {
    const where = session.kind === 'login' ? t('login.submit') : t(viewById(view).label);
    document.title = `${where} — ${t('app.title')}`;
  }, [session.kind, view, t]);
  if (session.kind === 'login') {
    return (
      <div className="shell shell-login">
        <Header />
        <Login onToken={onToken} />
      </div>
    );
  }
  return (
    <div className="shell">
      {/* The first Tab stop: past the header and the eleven views of the navigation (WCAG 2.4.1). */}
      <a
        className="skip-link"
        href="#panel-title"
        onClick={(e) => {
          e.preventDefault();
          focusViewHeading();
        }}
      >
        {t('app.skip')}
      </a>
      <Header onLogout={onLogout} />
      <Navigation />
      <ViewPanel />
    </div>
  );
}

function ViewPanel() {
  const t = useT();
  const id = useShell((s) => s.view);
  // Times are shown on the server's clock: the view draws them again once its zone is known.
  useShell((s) => s.clockZone);
  const [tries, setTries] = useState(0);
  const view = viewById(id);
  const View = view.component;
  return (
    <main className="panel" aria-label={t(view.label)}>
      <ViewBoundary
        key={`${view.id}:${tries}`}
        fallback={(error) => (
          <ViewFailed
            error={error}
            onRetry={() => {
              retryFailedViews();
              setTries((n) => n + 1);
            }}
          />
        )}
      >
        <Suspense fallback={<Loading />}>
          <View key={view.id} />
        </Suspense>
      </ViewBoundary>
    </main>
  );
}

/**
 * A view that could not be opened (its chunk not fetched while the server is away, or an error while
 * rendering) says so in its panel; the header and the navigation stay, and the other views open.
 */
class ViewBoundary extends Component<
  { fallback: (error: unknown) => ReactNode; children: ReactNode },
  { failed: boolean; error: unknown }
> {
  override state = { failed: false, error: undefined as unknown };

  static getDerivedStateFromError(error: unknown) {
    return { failed: true, error };
  }

  override render() {
    return this.state.failed ? this.props.fallback(this.state.error) : this.props.children;
  }
}

/** The failed view's message, with Retry; tried again by itself when the connection comes back. */
function ViewFailed({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const t = useT();
  const connected = useShell((s) => s.connection === 'connected');
  const wasConnected = useRef(connected);
  useEffect(() => {
    if (connected && !wasConnected.current) onRetry();
    wasConnected.current = connected;
  }, [connected, onRetry]);
  const stale = error instanceof StalePageError;
  return (
    <div className="banner banner-error" role="alert">
      <div>
        {t(stale ? 'view.stale' : 'view.failed')}
        <div className="banner-detail">{error instanceof Error ? error.message : String(error)}</div>
      </div>
      <button type="button" className="btn" onClick={stale ? () => window.location.reload() : onRetry}>
        {t(stale ? 'view.reload' : 'common.retry')}
      </button>
    </div>
  );
}
