// `npm start`'s fetch of Electron's binary (main/electron-fetch.cjs) against a mirror that accepts the
// connection and never answers (a firewall or proxy dropping the traffic): it was left silent for up to
// 180 s on every launch. Electron's real installer (install.js, @electron/get) runs in a project of its
// own with ELECTRON_MIRROR on a local server; the watch's clock is faked.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const ROOT = join(__dirname, '..', '..', '..');
const require = createRequire(import.meta.url);
const { fetchElectron, STALL_MS } = require(join(ROOT, 'main', 'electron-fetch.cjs')) as {
  fetchElectron: (
    electronDir: string,
    say?: (line: string) => void,
    env?: NodeJS.ProcessEnv,
  ) => Promise<string | null>;
  STALL_MS: number;
};

const cleanups: (() => void)[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const c of cleanups.splice(0)) c();
});

/** A folder with node_modules/electron as npm installs it (no binary yet), using the real @electron/get. */
function project(): { electronDir: string; cache: string } {
  const root = mkdtempSync(join(tmpdir(), 'ims-electron-fetch-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const electronDir = join(root, 'node_modules', 'electron');
  mkdirSync(electronDir, { recursive: true });
  for (const file of ['install.js', 'package.json', 'checksums.json'])
    copyFileSync(join(ROOT, 'node_modules', 'electron', file), join(electronDir, file));
  symlinkSync(join(ROOT, 'node_modules', '@electron'), join(root, 'node_modules', '@electron'), 'dir');
  // An empty download cache: a zip cached by an earlier download would need no mirror.
  const cache = join(root, 'cache');
  mkdirSync(cache);
  return { electronDir, cache };
}

/** A mirror that accepts connections and never answers, or sends `bytes` of the file and then nothing. */
async function stallingMirror(bytes = 0): Promise<{ url: string; connected: Promise<void> }> {
  const sockets: Socket[] = [];
  let arrived: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (arrived = resolve));
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    arrived();
    if (bytes > 0) {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: 100000000\r\n\r\n');
        socket.write(Buffer.alloc(bytes));
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, connected };
}

/** The fetch's download folders in the temporary folder. */
const fetchFolders = (): string[] =>
  readdirSync(tmpdir()).filter((f) => f.startsWith('ims-lab-electron-fetch-'));

/** Bytes of the files under a folder. */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, e.name);
    total += e.isDirectory() ? bytesUnder(file) : statSync(file).size;
  }
  return total;
}

describe("Electron's binary fetch (main/electron-fetch.cjs)", () => {
  it(`gives up, saying why, after ${STALL_MS / 1000} s without a byte from a mirror that never answers`, async () => {
    const { electronDir, cache } = project();
    const mirror = await stallingMirror();
    const before = fetchFolders();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const said: string[] = [];
    const env = { PATH: process.env.PATH, ELECTRON_MIRROR: mirror.url, electron_config_cache: cache };
    const result = fetchElectron(electronDir, (line) => said.push(line), env);
    // The installer asked the mirror, which says nothing.
    await mirror.connected;
    let settled = false;
    void result.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(STALL_MS - 1000);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await result).toBe(
      'nothing arrived for 20 s: a firewall or proxy in the way? ELECTRON_MIRROR can name another server',
    );
    expect(said).toEqual([
      "IMS Lab: fetching Electron's binary (once; until it is here each start tries again)...",
    ]);
    // Its download folder is gone, and nothing was unpacked.
    expect(fetchFolders().filter((f) => !before.includes(f))).toEqual([]);
    expect(existsSync(join(electronDir, 'dist'))).toBe(false);
  });

  it('says how much has arrived while it downloads, and gives up when it stops coming', async () => {
    const { electronDir, cache } = project();
    const mirror = await stallingMirror(1_500_000);
    const before = fetchFolders();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const said: string[] = [];
    const env = { PATH: process.env.PATH, ELECTRON_MIRROR: mirror.url, electron_config_cache: cache };
    const result = fetchElectron(electronDir, (line) => said.push(line), env);
    await mirror.connected;
    // The bytes sent land in the installer's download folder (real I/O, not the faked clock).
    const folder = await vi.waitFor(
      () => {
        const made = fetchFolders().filter((f) => !before.includes(f));
        expect(made).toHaveLength(1);
        expect(bytesUnder(join(tmpdir(), made[0]!))).toBe(1_500_000);
        return made[0]!;
      },
      { timeout: 20_000, interval: 20 },
    );
    expect(folder).toMatch(/^ims-lab-electron-fetch-/);
    await vi.advanceTimersByTimeAsync(5000);
    expect(said).toEqual([
      "IMS Lab: fetching Electron's binary (once; until it is here each start tries again)...",
      "IMS Lab: fetching Electron's binary: 1.5 MB so far...",
    ]);
    await vi.advanceTimersByTimeAsync(STALL_MS);
    expect(await result).toMatch(/^nothing arrived for 20 s/);
    // Said once: nothing new came since.
    expect(said).toHaveLength(2);
  });
});
