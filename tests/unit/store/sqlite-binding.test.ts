// Which build of better-sqlite3's native module is loaded (core/store/sqlite-binding.ts): the one
// IMS_SQLITE_BINDING names, in the appliance's connections and in the store worker, as `npm start` sets it
// for Electron; and a start that cannot load it says why and what to do (core/cli/startup-fault.ts).
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startupFault } from '../../../core/cli/startup-fault';
import { SILENT_LOG } from '../../../core/observe/log';
import { openDatabase } from '../../../core/store/database';
import { lockDataFolder } from '../../../core/store/folder-lock';
import { SQLITE_BINDING_VARIABLE } from '../../../core/store/sqlite-binding';
import { StoreWorker } from '../../../core/store/store-worker';
import { makeDataDir, open, useDataDirs } from './data-dir';

useDataDirs();
afterEach(() => {
  delete process.env[SQLITE_BINDING_VARIABLE];
});

const require = createRequire(import.meta.url);
const OWN_BUILD = join(require.resolve('better-sqlite3'), '../../build/Release/better_sqlite3.node');

/** The shared objects this process has mapped (Linux). */
const mapped = (): string => readFileSync('/proc/self/maps', 'utf8');

/** What opening a data folder throws, or undefined. */
function openFails(dir: string): unknown {
  try {
    open(dir);
    return undefined;
  } catch (err) {
    return err;
  }
}

describe('better-sqlite3 native module (IMS_SQLITE_BINDING)', () => {
  it('loads the build it names, in the appliance and in the store worker', async () => {
    const copy = join(makeDataDir(), 'better_sqlite3.node');
    copyFileSync(OWN_BUILD, copy);
    expect(mapped()).not.toContain(copy);
    process.env[SQLITE_BINDING_VARIABLE] = copy;
    const db = open(makeDataDir());
    expect(mapped()).toContain(copy);
    lockDataFolder(makeDataDir()).release();
    const worker = new StoreWorker(db, SILENT_LOG, { intervalMs: 50 });
    await worker.start();
    expect(worker.available()).toBe(true);
    db.exec('CREATE TABLE t (v INTEGER)');
    await worker.write([{ sql: 'INSERT INTO t (v) VALUES (?)', rows: [[7]] }]);
    expect(db.prepare('SELECT v FROM t').pluck().all()).toEqual([7]);
    await worker.stop();
  });

  it('the store worker loads the build it names too (one it cannot load: the loop commits itself)', async () => {
    const db = open(makeDataDir());
    const bogus = join(makeDataDir(), 'better_sqlite3.node');
    writeFileSync(bogus, 'not a shared object');
    process.env[SQLITE_BINDING_VARIABLE] = bogus;
    const warnings: string[] = [];
    const worker = new StoreWorker(db, { ...SILENT_LOG, warning: (m: string) => warnings.push(m) }, {});
    await worker.start();
    expect(worker.available()).toBe(false);
    expect(warnings.join('\n')).toContain(bogus);
    await worker.stop();
  });

  it('a file that is not a native module stops the start with a line naming the variable', () => {
    const bogus = join(makeDataDir(), 'better_sqlite3.node');
    writeFileSync(bogus, 'not a shared object');
    process.env[SQLITE_BINDING_VARIABLE] = bogus;
    const dir = makeDataDir();
    const err = openFails(dir);
    expect((err as NodeJS.ErrnoException).code).toBe('ERR_DLOPEN_FAILED');
    const line = startupFault(err, dir);
    expect(line).toMatch(/^SQLite's native module cannot be loaded: /);
    expect(line).toContain(`${SQLITE_BINDING_VARIABLE}=${bogus}`);
    expect(line).toContain('npm start');
  });

  it('a file that is not there is named', () => {
    const missing = join(makeDataDir(), 'gone', 'better_sqlite3.node');
    process.env[SQLITE_BINDING_VARIABLE] = missing;
    const dir = makeDataDir();
    expect(startupFault(openFails(dir), dir)).toBe(
      `${SQLITE_BINDING_VARIABLE}=${missing}: no such file (the launcher's build of better-sqlite3 for Electron)`,
    );
  });

  it("better-sqlite3's own build made for Electron (npm run dist) says to rebuild it for Node", () => {
    // Node's own words for an addon of another ABI (ERR_DLOPEN_FAILED), which this machine cannot make.
    const err = Object.assign(
      new Error(
        `The module '${OWN_BUILD}'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 140. This version of Node.js requires\nNODE_MODULE_VERSION 115. Please try re-compiling or re-installing\nthe module (for instance, using \`npm rebuild\` or \`npm install\`).`,
      ),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    expect(startupFault(err, makeDataDir())).toBe(
      `SQLite's native module cannot be loaded: The module '${OWN_BUILD}' was compiled against a different Node.js version using NODE_MODULE_VERSION 140. This version of Node.js requires NODE_MODULE_VERSION 115. (it was built for another Node.js or for Electron, as npm run dist does: run npm rebuild better-sqlite3)`,
    );
  });

  it('unset, better-sqlite3 loads its own build', () => {
    const db = openDatabase(makeDataDir());
    expect(mapped()).toContain(OWN_BUILD);
    db.close();
  });
});
