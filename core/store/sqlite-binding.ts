// Which build of better-sqlite3's native module the appliance loads. Under Node, its own
// (node_modules/better-sqlite3/build). Under Electron started by `npm start`, that build is for Node's
// ABI and does not load ("compiled against a different Node.js version"): the launcher builds one for
// Electron's ABI beside it (main/electron-sqlite.cjs) and names it in IMS_SQLITE_BINDING. A packaged app
// has better-sqlite3 rebuilt for Electron by electron-builder and sets nothing.
import type { Options } from 'better-sqlite3';

export const SQLITE_BINDING_VARIABLE = 'IMS_SQLITE_BINDING';

/** The native module to load (a better_sqlite3.node path), or undefined for better-sqlite3's own. */
export function sqliteBinding(): string | undefined {
  const path = process.env[SQLITE_BINDING_VARIABLE];
  return path === undefined || path === '' ? undefined : path;
}

/** better-sqlite3's options with the native module to load. */
export function sqliteOptions(options: Options = {}): Options {
  const nativeBinding = sqliteBinding();
  return nativeBinding === undefined ? options : { ...options, nativeBinding };
}
