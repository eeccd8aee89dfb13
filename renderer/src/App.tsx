// The console: the login page in a browser without a session; otherwise the shell (header, navigation,
// the selected view). The desktop window is always in session.
import { Suspense, useLayoutEffect } from 'react';
import { Header } from './components/Header';
import { Login } from './components/Login';
import { Navigation } from './components/Navigation';
import { Loading } from './components/common';
import { useShell, useT } from './store/shell';
import { viewById } from './views/registry';

export function App({ onToken, onLogout }: { onToken: (token: string) => void; onLogout?: () => void }) {
  const session = useShell((s) => s.session);
  const theme = useShell((s) => s.theme);
  const lang = useShell((s) => s.lang);
  // A layout effect: the theme's colours are in place before any view's effects read them (charts).
  useLayoutEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [theme, lang]);
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
      <Header onLogout={onLogout} />
      <Navigation />
      <ViewPanel />
    </div>
  );
}

function ViewPanel() {
  const t = useT();
  const id = useShell((s) => s.view);
  const view = viewById(id);
  const View = view.component;
  return (
    <main className="panel" aria-label={t(view.label)}>
      <Suspense fallback={<Loading />}>
        <View key={view.id} />
      </Suspense>
    </main>
  );
}
