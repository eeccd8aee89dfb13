// Consoles that stop reading (a paused socket, a stopped browser or process): the server's stop does not
// wait for them to answer its close frame, and the heartbeat cuts one that does not answer its ping by
// the next, while a console that answers stays.
import { once } from 'node:events';
import { setImmediate as turn } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, type WebSocketServer } from 'ws';
import { HEARTBEAT_MS, MAX_IN_FLIGHT } from '../../../core/http/web-server';
import { rawConsole } from '../../support/raw-console';
import { startWeb, type WebFixture } from './web-fixture';

let f: WebFixture;
let token: string;

beforeEach(async () => {
  f = await startWeb();
  token = f.headers.authorization.slice('Bearer '.length);
});

afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await f.stop();
});

/** A console that reads (ws answers pings by itself), and one request/answer round trip over it. */
async function liveConsole(): Promise<{ ws: WebSocket; roundTrip: () => Promise<void> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${f.port}/ws?token=${token}`);
  await once(ws, 'open');
  let id = 0;
  const roundTrip = async (): Promise<void> => {
    const mine = ++id;
    const answered = new Promise<void>((resolve) => {
      const onMessage = (data: Buffer): void => {
        if ((JSON.parse(String(data)) as { id?: number }).id !== mine) return;
        ws.off('message', onMessage);
        resolve();
      };
      ws.on('message', onMessage);
    });
    ws.send(JSON.stringify({ id: mine, op: 'complete', text: 'DSP' }));
    await answered;
  };
  return { ws, roundTrip };
}

describe('WebServer.stop', () => {
  it('ends while a console that does not answer its close frame is still connected', async () => {
    const paused = await rawConsole(f.port, token);
    const live = await liveConsole();
    const liveClosed = once(live.ws, 'close');
    // ws would wait 30 s for the paused one's answer (past the vitest timeout, and the 5 s failsafe).
    await f.web.stop();
    expect(paused.isPaused()).toBe(true);
    expect((await liveClosed)[0]).toBe(1001);
    paused.destroy();
  });
});

describe('WebServer heartbeat', () => {
  it('cuts a console that has not answered a ping by the next one; one that answers stays', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const paused = await rawConsole(f.port, token);
    const live = await liveConsole();
    const pinged = once(live.ws, 'ping');
    vi.advanceTimersByTime(HEARTBEAT_MS);
    await pinged;
    // ws sent its pong before the 'ping' event: the server has read it once this request is answered.
    await live.roundTrip();
    vi.advanceTimersByTime(HEARTBEAT_MS);
    // The paused one was cut: reading again, it finds its socket closed.
    const cut = once(paused, 'close');
    paused.on('error', () => undefined);
    paused.resume();
    await cut;
    await live.roundTrip();
    expect(live.ws.readyState).toBe(WebSocket.OPEN);
    live.ws.close();
  });

  it(`keeps a console whose socket it stopped reading (${MAX_IN_FLIGHT} of its requests running)`, async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const ends: (() => void)[] = [];
    vi.spyOn(f.appliance.mml, 'execute').mockImplementation(
      () => new Promise((resolve) => ends.push(() => resolve([]))),
    );
    const live = await liveConsole();
    const server = [...(f.web as unknown as { wss: WebSocketServer }).wss.clients][0]!;
    for (let id = 100; id < 100 + MAX_IN_FLIGHT + 1; id++)
      live.ws.send(JSON.stringify({ id, op: 'execute', mml: 'DSP USER' }));
    while (!server.isPaused) await turn();
    // Its pongs are not read meanwhile: that is no sign of a console gone.
    vi.advanceTimersByTime(3 * HEARTBEAT_MS);
    for (let i = 0; i <= MAX_IN_FLIGHT; i++) {
      while (ends.length <= i) await turn();
      ends[i]!();
    }
    await live.roundTrip();
    expect(live.ws.readyState).toBe(WebSocket.OPEN);
    live.ws.close();
  });
});
