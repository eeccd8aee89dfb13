// A console that sends requests and never reads the answers (its socket paused) is closed once more than
// MAX_BUFFERED waits for it, where every answer was queued and the server's memory grew without bound;
// and one console runs at most MAX_IN_FLIGHT requests at once, the rest left unread until one ends.
import { once } from 'node:events';
import { setImmediate as turn } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, type WebSocketServer } from 'ws';
import { MAX_BUFFERED, MAX_IN_FLIGHT, UNREAD_CLOSE } from '../../../core/http/web-server';
import { rawConsole, readUntilClose, textFrame } from '../../support/raw-console';
import { startWeb, type WebFixture } from './web-fixture';

let f: WebFixture;
let token: string;

beforeEach(async () => {
  f = await startWeb();
  token = f.headers.authorization.slice('Bearer '.length);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await f.stop();
});

/** The server's side of the one console open. */
function serverSide(): WebSocket {
  const clients = (f.web as unknown as { wss: WebSocketServer }).wss.clients;
  expect(clients.size).toBe(1);
  return [...clients][0]!;
}

describe('a console that does not read its answers', () => {
  it('is closed (1008) once more than MAX_BUFFERED waits, and is answered nothing more', async () => {
    const paused = await rawConsole(f.port, token);
    const ws = serverSide();
    // The config snapshot's answer is about 17 KB: 1,500 of them are 25 MB, more than the limit and
    // the loopback's socket buffers hold together.
    const ask = textFrame(JSON.stringify({ op: 'snapshot', name: 'config' }));
    const requests = 1500;
    paused.write(Buffer.concat(Array.from({ length: requests }, () => ask)));
    // The server reads them all: it stops answering (closing) or, without a limit, queues them all.
    while (ws.readyState === WebSocket.OPEN && ws.bufferedAmount < 2 * MAX_BUFFERED) await turn();
    expect(ws.readyState).toBe(WebSocket.CLOSING);
    expect(ws.bufferedAmount).toBeLessThan(MAX_BUFFERED + 64 * 1024);
    // Reading again, the console finds the answers queued before the limit, then why it was closed.
    const read = await readUntilClose(paused);
    expect(read.texts.length).toBeLessThan(requests);
    expect([read.code, read.reason]).toEqual([UNREAD_CLOSE, 'answers not read: more than 8 MB waiting']);
    paused.destroy();
  });

  it('is closed (1008) too when its answers are large: more than MAX_BUFFERED behind the one being written', async () => {
    const big = 12 * 1024 * 1024;
    vi.spyOn(f.appliance.mml, 'execute').mockResolvedValue([
      { retcode: 0, message: 'x'.repeat(big), tables: [] },
    ]);
    const paused = await rawConsole(f.port, token);
    const ask = (id: number): Buffer => textFrame(JSON.stringify({ id, op: 'execute', mml: 'DSP USER ALL' }));
    paused.write(Buffer.concat([ask(1), ask(2), ask(3), ask(4)]));
    const ws = serverSide();
    while (ws.readyState === WebSocket.OPEN) await turn(); // read nothing until then
    const read = await readUntilClose(paused);
    // The first is being written; the second waits behind it (12 MB: the next one is not queued).
    expect(read.texts.length).toBe(2);
    expect([read.code, read.reason]).toEqual([UNREAD_CLOSE, 'answers not read: more than 8 MB waiting']);
    paused.destroy();
  });
});

describe('a console that reads its answers', () => {
  it('is sent a large answer while another is still being written to it (it was closed 1008)', async () => {
    // Two answers of 12 MB each (DSP USER ALL of 86,000 users is 15.5 MB), the second ready while the
    // first is still mostly in the server's queue: more than MAX_BUFFERED, though the console reads.
    const big = 12 * 1024 * 1024;
    const ends: (() => void)[] = [];
    vi.spyOn(f.appliance.mml, 'execute').mockImplementation(
      () =>
        new Promise((resolve) =>
          ends.push(() => resolve([{ retcode: 0, message: 'x'.repeat(big), tables: [] }])),
        ),
    );
    const client = new WebSocket(`ws://127.0.0.1:${f.port}/ws?token=${token}`);
    await once(client, 'open');
    const ws = serverSide();
    const answers: number[] = [];
    let closed: number | undefined;
    client.on('message', (d) => answers.push((JSON.parse(String(d)) as { id: number }).id));
    client.on('close', (code) => (closed = code));
    client.send(JSON.stringify({ id: 1, op: 'execute', mml: 'DSP USER ALL' }));
    client.send(JSON.stringify({ id: 2, op: 'execute', mml: 'DSP USER ALL' }));
    while (ends.length < 2) await turn();
    ends[0]!();
    while (ws.bufferedAmount <= MAX_BUFFERED) await turn();
    ends[1]!();
    while (answers.length < 2 && closed === undefined) await turn();
    expect(closed).toBeUndefined();
    expect(answers).toEqual([1, 2]);
    client.close();
  });
});

describe('requests of one console at once', () => {
  it(`runs at most ${MAX_IN_FLIGHT}, reading no more of its socket until one ends`, async () => {
    // MML that ends when the test says, as a long EXP CDR.
    const ends: (() => void)[] = [];
    vi.spyOn(f.appliance.mml, 'execute').mockImplementation(
      () => new Promise((resolve) => ends.push(() => resolve([]))),
    );
    const client = new WebSocket(`ws://127.0.0.1:${f.port}/ws?token=${token}`);
    await once(client, 'open');
    const ws = serverSide();
    const answers: number[] = [];
    client.on('message', (d) => answers.push((JSON.parse(String(d)) as { id: number }).id));
    const requests = MAX_IN_FLIGHT + 8;
    for (let id = 1; id <= requests; id++)
      client.send(JSON.stringify({ id, op: 'execute', mml: 'DSP USER' }));
    while (!ws.isPaused) await turn();
    expect(ends.length).toBe(MAX_IN_FLIGHT);
    // One ends: the next waiting one runs in its place.
    ends[0]!();
    while (ends.length === MAX_IN_FLIGHT) await turn();
    expect(ends.length).toBe(MAX_IN_FLIGHT + 1);
    for (let i = 1; i < requests; i++) {
      while (ends.length <= i) await turn();
      ends[i]!();
    }
    while (answers.length < requests) await turn();
    expect(answers).toEqual(Array.from({ length: requests }, (_, i) => i + 1));
    expect(ws.isPaused).toBe(false);
    client.close();
  });
});
