// The launcher's fetch of Electron's binary (`npm start` with a display, the binary not there yet):
// Electron's own installer (node_modules/electron/install.js, @electron/get) run as a child, watched.
// A firewall or proxy that accepts the connection and never answers would leave it silent for minutes on
// every start; so the bytes it writes (the download in a temporary folder of its own, then the unpacked
// dist/) are looked at every second: progress is said every few seconds, and with no new byte for
// STALL_MS it is stopped and the launcher starts headless. Plain CommonJS, as start.cjs.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** No new byte for this long: the fetch is given up. */
const STALL_MS = 20_000;
const POLL_MS = 1_000;
/** Progress is said this often while bytes arrive. */
const PROGRESS_MS = 5_000;

/** Bytes of the files under a folder (0 when it does not exist). */
function bytesUnder(dir) {
  let total = 0;
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) total += bytesUnder(file);
    else if (e.isFile()) total += fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  }
  return total;
}

const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * Runs electronDir/install.js; settles with null once it succeeded, or with why it did not. `say` is
 * told what goes on (one line each); `env` is the installer's environment (ELECTRON_MIRROR and the
 * other @electron/get variables apply).
 */
function fetchElectron(electronDir, say = console.log, env = process.env) {
  const installer = path.join(electronDir, 'install.js');
  if (!fs.existsSync(installer)) return Promise.resolve('electron is not installed (npm install)');
  say("IMS Lab: fetching Electron's binary (once; until it is here each start tries again)...");
  // The installer downloads into os.tmpdir(): a folder of its own shows what has arrived.
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'ims-lab-electron-fetch-'));
  const dist = path.join(electronDir, 'dist');
  const child = spawn(process.execPath, [installer], {
    cwd: electronDir,
    stdio: ['ignore', 'inherit', 'pipe'],
    // Its own progress bar would go to the stderr kept for the failure's reason.
    env: { ...env, TMPDIR: temp, TMP: temp, TEMP: temp, ELECTRON_GET_NO_PROGRESS: '1' },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text) => (stderr += text));
  return new Promise((resolve) => {
    let settled = false;
    const settle = (failure) => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      fs.rmSync(temp, { recursive: true, force: true });
      resolve(failure);
    };
    let seen = bytesUnder(temp) + bytesUnder(dist);
    let quiet = 0;
    let sinceSaid = 0;
    let said = seen;
    const watch = setInterval(() => {
      const now = bytesUnder(temp) + bytesUnder(dist);
      quiet = now > seen ? 0 : quiet + POLL_MS;
      seen = Math.max(seen, now);
      sinceSaid += POLL_MS;
      if (sinceSaid >= PROGRESS_MS && seen > said) {
        say(`IMS Lab: fetching Electron's binary: ${megabytes(seen)} so far...`);
        sinceSaid = 0;
        said = seen;
      }
      if (quiet >= STALL_MS) {
        child.kill();
        settle(
          `nothing arrived for ${STALL_MS / 1000} s: a firewall or proxy in the way? ELECTRON_MIRROR can name another server`,
        );
      }
    }, POLL_MS);
    child.on('error', (err) => settle(err.message));
    child.on('exit', (code) => {
      if (code === 0) return settle(null);
      const firstLine = stderr.split('\n').find((line) => line.trim() !== '');
      settle(firstLine ? firstLine.trim() : `installer exited with code ${code}`);
    });
  });
}

module.exports = { fetchElectron, STALL_MS };
