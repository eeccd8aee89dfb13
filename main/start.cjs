// Launcher behind `npm start` (after `npm run build`): opens the desktop app when it can, and otherwise
// runs the same core headless. Plain CommonJS on purpose: it runs before and outside any bundle.
//
//   Linux with no DISPLAY / WAYLAND_DISPLAY  → headless: out/core/server.js in this process
//   Electron's binary present                → spawn it on the project root (package.json "main")
//   binary missing                           → fetch it (electron-fetch.cjs: node_modules/electron/install.js,
//                                              given up after 20 s without a byte), then as above;
//                                              if it cannot be fetched, headless
//   before Electron starts                   → better-sqlite3 built for Electron's ABI, once (electron-sqlite.cjs),
//                                              named to the core in IMS_SQLITE_BINDING; if it cannot be built,
//                                              headless
//   Electron killed by a signal as it starts → headless (a sandbox the system refuses, an unusable display)
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { fetchElectron } = require('./electron-fetch.cjs');
const { prepareElectronSqlite } = require('./electron-sqlite.cjs');

const ROOT = path.resolve(__dirname, '..');
const SERVER = path.join(ROOT, 'out', 'core', 'server.js');
const ELECTRON_DIR = path.join(ROOT, 'node_modules', 'electron');
/** An Electron killed by a signal within this long of its start did not start at all. */
const START_CRASH_MS = 15_000;

function hasDisplay() {
  if (process.platform !== 'linux') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/** The Electron executable named by node_modules/electron/path.txt, or null if it is not on disk. */
function electronBinary() {
  try {
    const relative = fs.readFileSync(path.join(ELECTRON_DIR, 'path.txt'), 'utf8').trim();
    const binary = path.join(ELECTRON_DIR, 'dist', relative);
    return relative && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** The headless home, in this process: the server handles SIGINT/SIGTERM itself and sets the exit code. */
function startHeadless() {
  if (!fs.existsSync(SERVER)) {
    console.error(`IMS Lab: ${path.relative(ROOT, SERVER)} is missing; run \`npm run build\` first.`);
    process.exit(1);
  }
  require(SERVER);
}

/** The desktop home: Electron as a child with our stdio; signals are passed on once, its exit code is ours. */
function startDesktop(binary, sqliteBinding) {
  const env = { ...process.env, IMS_SQLITE_BINDING: sqliteBinding };
  delete env.ELECTRON_RUN_AS_NODE; // would make Electron behave as plain Node instead of opening the app
  // V8's own young generation: PERF.GC_HEADROOM_MB paces the full collections (README, Performance).
  const child = spawn(binary, [ROOT], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  });
  child.on('error', (err) => {
    console.error(`IMS Lab: could not start Electron: ${err.message}`);
    process.exit(1);
  });
  const startedAt = Date.now();
  let passedOn = false;
  child.on('exit', (code, signal) => {
    // Killed by a signal of its own within its first seconds: Electron could not start here (Ubuntu
    // 24.04's AppArmor refuses its sandbox: SIGTRAP; a display that is set but unusable; no GPU
    // library). The core runs headless instead, saying why, as when Electron cannot be fetched.
    if (signal !== null && !passedOn && Date.now() - startedAt < START_CRASH_MS) {
      console.log(
        `IMS Lab: Electron stopped as it started (${signal}; its own message is above) — starting headless (node out/core/server.js).`,
      );
      startHeadless();
      return;
    }
    process.exit(code ?? 128 + (os.constants.signals[signal] ?? 0));
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      passedOn = true;
      if (!child.killed) child.kill(signal);
    });
  }
  // Under `npm start`, npm passes its SIGTERM only to the script's shell, which dies of it without passing
  // it on: its end is taken as that SIGTERM (the headless server does the same, core/npm-script-shell.ts).
  if (process.env.npm_lifecycle_event === 'start') {
    const shell = process.ppid;
    const watch = setInterval(() => {
      if (process.ppid === shell) return;
      clearInterval(watch);
      process.kill(process.pid, 'SIGTERM');
    }, 250);
    watch.unref();
  }
}

async function main() {
  if (!hasDisplay()) {
    console.log(
      'IMS Lab: no display here, so Electron cannot open a window — starting headless (node out/core/server.js).',
    );
    startHeadless();
    return;
  }
  let binary = electronBinary();
  if (!binary) {
    const failure = await fetchElectron(ELECTRON_DIR);
    if (failure || !electronBinary()) {
      console.log(
        `IMS Lab: Electron's binary could not be fetched (${failure ?? 'the installer finished but the binary is not there'}) — starting headless (node out/core/server.js).`,
      );
      startHeadless();
      return;
    }
    binary = electronBinary();
  }
  const electronVersion = JSON.parse(
    fs.readFileSync(path.join(ELECTRON_DIR, 'package.json'), 'utf8'),
  ).version;
  const sqlite = await prepareElectronSqlite(ROOT, electronVersion, (what) =>
    console.log(`IMS Lab: ${what}...`),
  );
  if (sqlite.failure) {
    console.log(
      `IMS Lab: SQLite could not be built for Electron (${sqlite.failure}) — starting headless (node out/core/server.js).`,
    );
    startHeadless();
    return;
  }
  startDesktop(binary, sqlite.binding);
}

void main();
