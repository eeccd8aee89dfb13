// Top bar: product name, version, the connection indicator, the clock's time zone, language and theme
// switches, and in a browser's session Change password and Log out.
import { useState } from 'react';
import { UNKNOWN_VERSION } from '../api/transport';
import { useShell, useT } from '../store/shell';
import { useTick } from './common';
import { clockZoneName, utcOffset } from './local-time';
import { PasswordDialog } from './PasswordDialog';

/**
 * The clock every view's times are on (the server's zone, from the status) and its UTC offset now, read
 * again each minute (the offset changes on a DST day): a browser elsewhere knows whose 01:30 it reads.
 */
function ClockZone() {
  const t = useT();
  const known = useShell((s) => s.clockZone !== null);
  useShell((s) => s.clockZone);
  const now = useTick(60_000);
  if (!known) return null;
  return (
    <span className="header-zone" data-testid="clock-zone" title={t('header.zone.title')}>
      {t('header.zone', { zone: clockZoneName(), offset: utcOffset(now) })}
    </span>
  );
}

export function Header({ onLogout }: { onLogout?: () => void }) {
  const t = useT();
  const version = useShell((s) => s.version);
  const transport = useShell((s) => s.transport);
  const connection = useShell((s) => s.connection);
  const session = useShell((s) => s.session);
  const lang = useShell((s) => s.lang);
  const theme = useShell((s) => s.theme);
  const setLang = useShell((s) => s.setLang);
  const setTheme = useShell((s) => s.setTheme);
  const [changing, setChanging] = useState(false);
  // The browser's session (the desktop window has no login, hence no password to change).
  const token = session.kind === 'open' ? session.token : null;
  return (
    <header className="header">
      <h1 className="header-title">{t('app.title')}</h1>
      <span className="header-version" data-testid="version">
        {version === null ? '…' : version === UNKNOWN_VERSION ? t('header.versionUnknown') : `v${version}`}
      </span>
      <span className="header-spacer" />
      {session.kind === 'open' && (
        <span
          className={`conn conn-${connection}`}
          role="status"
          aria-label={`${t(`transport.${transport}`)}: ${t(`conn.${connection}`)}`}
          data-testid="connection"
        >
          <span className="conn-dot" aria-hidden="true" />
          <span data-testid="transport">{t(`transport.${transport}`)}</span>
          <span className="conn-state">{t(`conn.${connection}`)}</span>
        </span>
      )}
      {session.kind === 'open' && <ClockZone />}
      <label className="header-control">
        <span className="visually-hidden">{t('header.language')}</span>
        <select aria-label="Language" value={lang} onChange={(e) => setLang(e.target.value as 'en' | 'zh')}>
          <option value="en">English</option>
          <option value="zh">中文</option>
        </select>
      </label>
      <button
        type="button"
        className="btn btn-ghost"
        aria-label="Theme"
        aria-describedby="theme-now"
        title={t('header.theme')}
        onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
      >
        {theme === 'dark' ? '☾ ' + t('header.theme.dark') : '☀ ' + t('header.theme.light')}
      </button>
      {/* The button's name stays "Theme" (the browser tests find it by it); the theme it shows is its
          description, and a switch is said as this status changes (WCAG 4.1.2). */}
      <span id="theme-now" className="visually-hidden" role="status">
        {t('header.theme.now', { theme: t(theme === 'dark' ? 'header.theme.dark' : 'header.theme.light') })}
      </span>
      {onLogout && token !== null && (
        <button type="button" className="btn btn-ghost" onClick={() => setChanging(true)}>
          {t('header.password')}
        </button>
      )}
      {changing && token !== null && <PasswordDialog token={token} onClose={() => setChanging(false)} />}
      {onLogout && (
        <button type="button" className="btn btn-ghost" onClick={onLogout}>
          {t('header.logout')}
        </button>
      )}
    </header>
  );
}
