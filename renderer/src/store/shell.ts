// Shell state: which view is open, the language and theme (remembered in localStorage), the connection
// to the appliance and whether a login is needed.
import { create } from 'zustand';
import type { Lang } from '../../../core/control/contract';
import type { ControlClient } from '../api/client';
import type { ConnectionState, TransportKind } from '../api/transport';
import { translate, type MessageKey } from '../i18n/i18n';
import type { ViewId } from '../views/registry';
import { serverNow, setClockZone } from '../components/local-time';
import { browserLanguages, firstLang } from '../i18n/first-lang';

export type Theme = 'dark' | 'light';

function remembered<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  try {
    const v = localStorage.getItem(key);
    return allowed.includes(v as T) ? (v as T) : fallback;
  } catch {
    return fallback;
  }
}

function remember(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}

export type Session = { kind: 'login'; notice?: 'expired' } | { kind: 'open'; token: string | null };

interface ShellState {
  view: ViewId;
  lang: Lang;
  theme: Theme;
  transport: TransportKind;
  connection: ConnectionState;
  /**
   * When the data shown was last live (the last word from the appliance before the connection was lost or
   * stalled), on the server's clock; null while connected.
   */
  lostAt: number | null;
  version: string | null;
  /**
   * The server's time zone, in which times are shown: null until the server said (times are the
   * browser's meanwhile), '' when it has none to give or could not be asked (the browser's own).
   */
  clockZone: string | null;
  session: Session;
  client: ControlClient | null;
  selectView(view: ViewId): void;
  setLang(lang: Lang): void;
  setTheme(theme: Theme): void;
  /** `heardAt`: when the appliance last said anything, on the server's clock (now if not given). */
  setConnection(state: ConnectionState, heardAt?: number): void;
  setVersion(version: string): void;
  setClockZone(zone: string): void;
  setSession(session: Session, client?: ControlClient | null): void;
  setTransport(kind: TransportKind): void;
}

const VIEW_IDS = [
  'overview',
  'mml',
  'users',
  'registrations',
  'calls',
  'cdr',
  'dialer',
  'trace',
  'performance',
  'configuration',
  'logs',
] as const satisfies readonly ViewId[];

export const useShell = create<ShellState>()((set) => ({
  view: remembered<ViewId>('ims.view', VIEW_IDS, 'overview'),
  // A first visit follows the browser's language; a choice made since is remembered and wins.
  lang: remembered<Lang>('ims.lang', ['en', 'zh'], firstLang(browserLanguages())),
  theme: remembered<Theme>('ims.theme', ['dark', 'light'], 'dark'),
  transport: 'headless',
  connection: 'connecting',
  lostAt: null,
  version: null,
  clockZone: null,
  session: { kind: 'login' },
  client: null,
  selectView: (view) => {
    remember('ims.view', view);
    set({ view });
  },
  setLang: (lang) => {
    remember('ims.lang', lang);
    set((s) => {
      if (s.client) s.client.lang = lang;
      return { lang };
    });
  },
  setTheme: (theme) => {
    remember('ims.theme', theme);
    set({ theme });
  },
  // Stamped with the last word heard, not when the loss was noticed: "not answering" is said only after 10 s
  // of silence, and the data shown is from before them.
  setConnection: (connection, heardAt) =>
    set((s) => ({
      connection,
      lostAt:
        connection === 'connected'
          ? null
          : (s.lostAt ?? (s.connection === 'connected' ? (heardAt ?? serverNow()) : null)),
    })),
  setVersion: (version) => set({ version }),
  setClockZone: (clockZone) => {
    setClockZone(clockZone);
    set({ clockZone });
  },
  setSession: (session, client = null) =>
    set((s) => {
      if (client) client.lang = s.lang;
      return { session, client, connection: client ? client.state : 'connecting', lostAt: null };
    }),
  setTransport: (transport) => set({ transport }),
}));

/** The translation function of the current language. */
export function useT(): (key: MessageKey, vars?: Record<string, string | number>) => string {
  const lang = useShell((s) => s.lang);
  return (key, vars) => translate(lang, key, vars);
}

/** The connected client; views render only inside an open session, where it exists. */
export function useClient(): ControlClient {
  const client = useShell((s) => s.client);
  if (client === null) throw new Error('no console session');
  return client;
}

/** True when the data on screen is live. */
export function useLive(): boolean {
  return useShell((s) => s.connection === 'connected');
}
