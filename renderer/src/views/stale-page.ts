// A console tab left open across an upgrade of the headless server: the page is the older build's, and a
// view it had not opened yet asks for that build's chunk, gone from the server now (404). Retry and the
// reconnect never helped (the same chunk again); the page is reloaded instead, once for a given build of
// the server (its index.html's entry script): if the view still fails after that, the failure is shown
// with a Reload button, not reloaded again (no loop). The login (sessionStorage) and the view chosen
// (localStorage) outlast the reload. The desktop window's page comes with the app: never stale.
import { isDesktop } from '../api/transport';

/** sessionStorage: the server's entry script the page was last reloaded for. */
const RELOADED_FOR = 'ims.reloadedFor';

/** The page's own build no longer is the server's, and it was reloaded once for it already. */
export class StalePageError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'StalePageError';
  }
}

/** The entry script of an index.html (Vite's `<script type="module" src=...>`), as an absolute URL. */
export function entryOf(html: string, base: string): string | undefined {
  const tag = /<script\b[^>]*\btype="module"[^>]*>/i.exec(html)?.[0];
  const src = tag === undefined ? undefined : /\bsrc="([^"]+)"/i.exec(tag)?.[1];
  return src === undefined ? undefined : new URL(src, base).href;
}

export interface PageEnv {
  /** The entry script this page runs (absolute URL), undefined when unknown. */
  readonly ownEntry: string | undefined;
  /** index.html as the server has it now; undefined when it cannot be asked (the server away). */
  serverPage(): Promise<string | undefined>;
  readonly base: string;
  readonly storage: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  reload(): void;
}

function browserPage(): PageEnv | undefined {
  if (typeof window === 'undefined' || isDesktop()) return undefined;
  const script = document.querySelector<HTMLScriptElement>('script[type="module"][src]');
  let storage: Storage | undefined;
  try {
    storage = window.sessionStorage;
  } catch {
    storage = undefined; // storage disabled: never reloaded by itself (no way to know it did once)
  }
  return {
    ownEntry: script?.src,
    base: window.location.href,
    storage,
    reload: () => window.location.reload(),
    serverPage: async () => {
      try {
        const res = await fetch(new URL('./', window.location.href).href, { cache: 'no-store' });
        return res.ok ? await res.text() : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * After a view's chunk failed to load: 'reloading' when the server runs another build than the page's
 * (the page reloads, once for that build), 'stale' when it does and the page was reloaded for it already,
 * 'current' otherwise (the same build, or the server cannot be asked: the connection's own retry then).
 */
export async function reloadIfStale(
  env: PageEnv | undefined = browserPage(),
): Promise<'reloading' | 'stale' | 'current'> {
  if (env?.ownEntry === undefined || env.storage === undefined) return 'current';
  const html = await env.serverPage();
  const server = html === undefined ? undefined : entryOf(html, env.base);
  if (server === undefined || server === env.ownEntry) return 'current';
  if (env.storage.getItem(RELOADED_FOR) === server) return 'stale';
  env.storage.setItem(RELOADED_FOR, server);
  env.reload();
  return 'reloading';
}
