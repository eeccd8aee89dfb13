// `npm start` with a display (main/start.cjs, main/electron-sqlite.cjs): better-sqlite3 as npm installed
// it is built for Node's ABI, which Electron's main process cannot load; the launcher builds a copy for
// Electron once, beside it, and names it to the core in IMS_SQLITE_BINDING. Electron and its headers
// cannot be fetched here, so @electron/rebuild is replaced by a fake that writes the file it would, and
// the launcher runs in a folder of its own with a fake Electron that reports what it was given.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..', '..');
const require = createRequire(import.meta.url);
const { prepareElectronSqlite } = require(join(ROOT, 'main', 'electron-sqlite.cjs')) as {
  prepareElectronSqlite: (
    root: string,
    electronVersion: string,
    announce?: (what: string) => void,
    rebuild?: (options: { buildPath: string; electronVersion: string }) => Promise<void>,
  ) => Promise<{ binding?: string; failure?: string }>;
};

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** A project folder with better-sqlite3's sources and its Node build, as npm install leaves them. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'ims-electron-sqlite-'));
  roots.push(root);
  const sqlite = join(root, 'node_modules', 'better-sqlite3');
  mkdirSync(join(sqlite, 'build', 'Release'), { recursive: true });
  mkdirSync(join(sqlite, 'src'), { recursive: true });
  writeFileSync(join(sqlite, 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: '12.0.0' }));
  writeFileSync(join(sqlite, 'binding.gyp'), '{}');
  writeFileSync(join(sqlite, 'src', 'better_sqlite3.cpp'), '// sources');
  writeFileSync(join(sqlite, 'build', 'Release', 'better_sqlite3.node'), 'built for Node');
  return root;
}

/** What @electron/rebuild leaves when it succeeds: the module built in the folder it was given. */
const fakeRebuild =
  (calls: string[]) =>
  async (options: { buildPath: string; electronVersion: string }): Promise<void> => {
    calls.push(options.electronVersion);
    const moduleDir = join(options.buildPath, 'node_modules', 'better-sqlite3');
    // The copy has the sources and none of the Node build.
    expect(existsSync(join(moduleDir, 'binding.gyp'))).toBe(true);
    expect(existsSync(join(moduleDir, 'src', 'better_sqlite3.cpp'))).toBe(true);
    expect(existsSync(join(moduleDir, 'build'))).toBe(false);
    mkdirSync(join(moduleDir, 'build', 'Release'), { recursive: true });
    writeFileSync(join(moduleDir, 'build', 'Release', 'better_sqlite3.node'), 'built for Electron');
  };

describe('better-sqlite3 for Electron (main/electron-sqlite.cjs)', () => {
  it('is built once per Electron version, beside the Node build, which stays', async () => {
    const root = project();
    const calls: string[] = [];
    const told: string[] = [];
    const first = await prepareElectronSqlite(root, '45.4.1', (w) => told.push(w), fakeRebuild(calls));
    expect(first.binding).toBe(
      join(
        root,
        'node_modules/.ims-lab-electron',
        `better-sqlite3-12.0.0-electron-45.4.1-${process.platform}-${process.arch}`,
        'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      ),
    );
    expect(told).toEqual(['building SQLite (better-sqlite3 12.0.0) for Electron 45.4.1, first launch only']);
    expect(existsSync(join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(
      true,
    );
    const again = await prepareElectronSqlite(root, '45.4.1', (w) => told.push(w), fakeRebuild(calls));
    expect(again.binding).toBe(first.binding);
    expect(calls).toEqual(['45.4.1']);
    expect(told).toHaveLength(1);
    await prepareElectronSqlite(root, '46.0.0', undefined, fakeRebuild(calls));
    expect(calls).toEqual(['45.4.1', '46.0.0']);
  });

  it('copies the real folder when node_modules/better-sqlite3 is a symlink (pnpm, linked installs)', async () => {
    const root = project();
    // The package lives elsewhere (pnpm's store); node_modules holds a link to it.
    const store = join(
      root,
      'node_modules',
      '.pnpm',
      'better-sqlite3@12.0.0',
      'node_modules',
      'better-sqlite3',
    );
    mkdirSync(dirname(store), { recursive: true });
    renameSync(join(root, 'node_modules', 'better-sqlite3'), store);
    symlinkSync(store, join(root, 'node_modules', 'better-sqlite3'), 'dir');
    // node-gyp rebuild starts by cleaning build/ in the folder it is given.
    const linked: boolean[] = [];
    const cleaningRebuild = async (options: {
      buildPath: string;
      electronVersion: string;
    }): Promise<void> => {
      const moduleDir = join(options.buildPath, 'node_modules', 'better-sqlite3');
      linked.push(lstatSync(moduleDir).isSymbolicLink());
      rmSync(join(moduleDir, 'build'), { recursive: true, force: true });
      await fakeRebuild([])(options);
    };
    const built = await prepareElectronSqlite(root, '45.4.1', undefined, cleaningRebuild);
    expect(built.failure).toBeUndefined();
    expect(linked).toEqual([false]);
    // The Node build, in the real package, is untouched.
    expect(readFileSync(join(store, 'build', 'Release', 'better_sqlite3.node'), 'utf8')).toBe(
      'built for Node',
    );
  });

  it('a failed build says why and leaves nothing: the next start tries again', async () => {
    const root = project();
    const failed = await prepareElectronSqlite(root, '45.4.1', undefined, () =>
      Promise.reject(new Error("\nnode-gyp failed to rebuild 'better-sqlite3'\n  at stack")),
    );
    expect(failed).toEqual({ failure: "node-gyp failed to rebuild 'better-sqlite3'" });
    expect(readdirSync(join(root, 'node_modules', '.ims-lab-electron'))).toEqual([]);
    // A build that ends without the module is a failure too.
    expect(await prepareElectronSqlite(root, '45.4.1', undefined, () => Promise.resolve())).toEqual({
      failure: 'the build finished without a better_sqlite3.node',
    });
  });
});

describe('npm start with a display (main/start.cjs)', () => {
  /** The launcher in a project of its own: a fake Electron binary and a fake headless server. */
  function launcherProject(): string {
    const root = project();
    cpSync(join(ROOT, 'main', 'start.cjs'), join(root, 'main', 'start.cjs'));
    for (const file of ['electron-sqlite.cjs', 'electron-fetch.cjs'])
      cpSync(join(ROOT, 'main', file), join(root, 'main', file));
    const electron = join(root, 'node_modules', 'electron');
    mkdirSync(join(electron, 'dist'), { recursive: true });
    writeFileSync(join(electron, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }));
    writeFileSync(join(electron, 'path.txt'), 'electron');
    writeFileSync(
      join(electron, 'dist', 'electron'),
      `#!${process.execPath}\nconsole.log('electron started with IMS_SQLITE_BINDING=' + process.env.IMS_SQLITE_BINDING);\n`,
      { mode: 0o755 },
    );
    mkdirSync(join(root, 'out', 'core'), { recursive: true });
    writeFileSync(join(root, 'out', 'core', 'server.js'), "console.log('headless server started');\n");
    return root;
  }

  /** The build for Electron a first launch left (so that this one only opens Electron); its path. */
  function electronBuild(root: string): string {
    const built = join(
      root,
      'node_modules/.ims-lab-electron',
      `better-sqlite3-12.0.0-electron-45.4.1-${process.platform}-${process.arch}`,
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    );
    mkdirSync(dirname(built), { recursive: true });
    writeFileSync(built, 'built for Electron');
    return built;
  }

  const launch = (root: string): string => {
    const r = spawnSync(process.execPath, [join(root, 'main', 'start.cjs')], {
      env: { PATH: process.env.PATH, DISPLAY: ':99' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(0);
    return r.stdout;
  };

  it('opens Electron with the build for Electron named in IMS_SQLITE_BINDING', () => {
    const root = launcherProject();
    const built = electronBuild(root);
    expect(launch(root)).toBe(`electron started with IMS_SQLITE_BINDING=${built}\n`);
  });

  it('starts headless, saying why, when Electron is killed as it starts (a sandbox the system refuses)', () => {
    const root = launcherProject();
    electronBuild(root);
    // What Electron does on Ubuntu 24.04 without its SUID sandbox: a FATAL line, then SIGTRAP.
    writeFileSync(
      join(root, 'node_modules', 'electron', 'dist', 'electron'),
      `#!${process.execPath}\nconsole.log('FATAL: the SUID sandbox helper binary is not configured correctly');\nprocess.kill(process.pid, 'SIGTRAP');\n`,
      { mode: 0o755 },
    );
    expect(launch(root)).toBe(
      'FATAL: the SUID sandbox helper binary is not configured correctly\n' +
        'IMS Lab: Electron stopped as it started (SIGTRAP; its own message is above) — starting headless (node out/core/server.js).\n' +
        'headless server started\n',
    );
  });

  // npm runs `sh -c "npm run build && node main/start.cjs"` and passes SIGTERM to that shell only, which
  // dies of it: Electron was left running, re-parented.
  it("passes a SIGTERM on to Electron when `npm start`'s shell is killed", async () => {
    const root = launcherProject();
    electronBuild(root);
    const stopped = join(root, 'electron-stopped');
    const pidFile = join(root, 'electron-pid');
    writeFileSync(
      join(root, 'node_modules', 'electron', 'dist', 'electron'),
      `#!${process.execPath}\nconst fs = require('fs');\nfs.writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));\n` +
        `process.on('SIGTERM', () => { fs.writeFileSync(${JSON.stringify(stopped)}, 'SIGTERM'); process.exit(0); });\n` +
        `console.log('electron up');\nsetInterval(() => {}, 1000);\n`,
      { mode: 0o755 },
    );
    const shell = spawn('sh', ['-c', `"${process.execPath}" "${join(root, 'main', 'start.cjs')}"`], {
      env: { PATH: process.env.PATH, DISPLAY: ':99', npm_lifecycle_event: 'start' },
    });
    let out = '';
    shell.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      for (let i = 0; i < 400 && !out.includes('electron up'); i++)
        await new Promise((r) => setTimeout(r, 25));
      expect(out).toContain('electron up');
      shell.kill('SIGTERM');
      await once(shell, 'exit');
      for (let i = 0; i < 200 && !existsSync(stopped); i++) await new Promise((r) => setTimeout(r, 25));
      expect(existsSync(stopped) && readFileSync(stopped, 'utf8')).toBe('SIGTERM');
    } finally {
      if (!existsSync(stopped) && existsSync(pidFile))
        process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    }
  });

  it('starts headless, saying why, when SQLite cannot be built for Electron', () => {
    // No @electron/rebuild in this project: the build fails at once.
    const out = launch(launcherProject());
    expect(out).toMatch(
      /^IMS Lab: building SQLite \(better-sqlite3 12\.0\.0\) for Electron 45\.4\.1, first launch only\.\.\.\nIMS Lab: SQLite could not be built for Electron \(.*@electron\/rebuild.*\) — starting headless \(node out\/core\/server\.js\)\.\nheadless server started\n$/,
    );
  });
});
