// The console server's sessions over time (a fake clock): a console that only watches, sending nothing,
// is closed with SESSION_ENDED_CLOSE when its session expires, as a logout closes it; until then it
// stays open.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { Appliance } from '../../../core/appliance';
import { Settings } from '../../../core/config/settings';
import { SESSION_ENDED_CLOSE } from '../../../core/control/contract';
import { AdminAuth } from '../../../core/http/admin-auth';
import { SESSION_SWEEP_MS, WebServer } from '../../../core/http/web-server';

let dataDir: string;
let appliance: Appliance;
let web: WebServer;
let auth: AdminAuth;
let port: number;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ims-web-server-'));
  appliance = new Appliance({ dataDir, console: false, settings: new Settings([['LOG.LEVEL', 'INFO']]) });
  // The session clock is the (faked) Date; the sockets keep real time.
  auth = new AdminAuth(appliance.db, 'right-password', () => Date.now());
  web = new WebServer(
    appliance,
    auth,
    // Hours pass at once here, no pong read between two pings: the heartbeat would cut every console.
    { host: '127.0.0.1', port: 0, rendererDir: dataDir, metrics: () => '', heartbeatMs: 86_400_000 },
    appliance.logger.for('http'),
  );
  port = await web.start();
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
});

afterEach(async () => {
  vi.useRealTimers();
  await web.stop();
  await appliance.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A console on the WebSocket: its close code (once closed) and a request/answer round trip. */
async function openConsole(token: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let next = 1;
  const ask = (msg: object) =>
    new Promise<unknown>((resolve) => {
      const id = next++;
      const onMessage = (data: Buffer) => {
        const answer = JSON.parse(String(data)) as { id?: number };
        if (answer.id !== id) return;
        ws.off('message', onMessage);
        resolve(answer);
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id, ...msg }));
    });
  return { ws, closed, ask };
}

/** Resolves with what settles first: the close code, or 'open' after a real half second. */
const closeOrOpen = (closed: Promise<number>) =>
  Promise.race([closed, new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), 500))]);

describe('WebServer sessions', () => {
  it('closes a console that only watches when its session expires, and not before', async () => {
    const login = await auth.login('right-password', '127.0.0.1');
    if (!login.ok) throw new Error('login refused');
    const c = await openConsole(login.token);
    // It watches the log, then sends nothing more.
    expect(await c.ask({ op: 'subscribe', topics: ['log'] })).toMatchObject({ ok: true });
    vi.advanceTimersByTime(login.expiresAt - Date.now() - 5 * SESSION_SWEEP_MS);
    expect(await closeOrOpen(c.closed)).toBe('open');
    vi.advanceTimersByTime(6 * SESSION_SWEEP_MS);
    expect(await closeOrOpen(c.closed)).toBe(SESSION_ENDED_CLOSE);
    // And the token opens nothing any more.
    expect(auth.session(login.token)).toBeUndefined();
  });

  it('keeps a console whose session is still valid, beside one that expired', async () => {
    const first = await auth.login('right-password', '127.0.0.1');
    if (!first.ok) throw new Error('login refused');
    const a = await openConsole(first.token);
    vi.advanceTimersByTime(3_600_000); // an hour later, another login
    const second = await auth.login('right-password', '127.0.0.1');
    if (!second.ok) throw new Error('login refused');
    const b = await openConsole(second.token);
    vi.advanceTimersByTime(first.expiresAt - Date.now() + 2 * SESSION_SWEEP_MS);
    expect(await closeOrOpen(a.closed)).toBe(SESSION_ENDED_CLOSE);
    expect(await closeOrOpen(b.closed)).toBe('open');
    expect(await b.ask({ op: 'subscribe', topics: ['log'] })).toMatchObject({ ok: true });
    b.ws.close();
    await b.closed;
  });
});

describe('WebServer errors once listening', () => {
  it('logs an error of its server (EMFILE on accept, say) instead of ending the process', async () => {
    const server = (web as unknown as { server: import('node:http').Server }).server;
    expect(server.listenerCount('error')).toBeGreaterThan(0);
    server.emit('error', Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' }));
    server.emit('error', Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' }));
    const lines = appliance.logger.recent(10).map((r) => `${r.level} ${r.text}`);
    expect(lines.filter((l) => l === 'ERROR console server: Error: accept EMFILE')).toHaveLength(2);
  });
});
