// An idle TCP connection that something depends on (tcp.ts keepIdle: a binding registered over it, a
// call through it) is kept past idleTimeoutMs; once released (the binding ended) it is closed at once if
// it has stayed idle, and one nothing depends on is closed at its idle time as before. Real loopback
// sockets, a short idle time.
import { afterEach, describe, expect, it } from 'vitest';
import { TcpListener } from '../../../../core/sip/transport/tcp';
import type { Peer } from '../../../../core/sip/transport/peer';
import { useTcpPeers } from '../../../support/tcp-peers';

let tcp: TcpListener | undefined;
afterEach(async () => {
  await tcp?.close();
  tcp = undefined;
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const client = useTcpPeers();

describe('an idle TCP connection something depends on', () => {
  it('is kept past idleTimeoutMs while keepIdle says so, and closed once released', async () => {
    tcp = new TcpListener(() => undefined, { idleTimeoutMs: 200 });
    const kept = new Set<number>();
    const asked: Peer[] = [];
    tcp.keepIdle = (peer) => {
      asked.push(peer);
      return kept.has(peer.port);
    };
    const port = await tcp.listen('127.0.0.1', 0);
    const phone = await client(port);
    const other = await client(port);
    kept.add(phone.localPort!);
    let phoneClosed = false;
    let otherClosed = false;
    phone.once('close', () => (phoneClosed = true));
    other.once('close', () => (otherClosed = true));
    await sleep(600); // three idle periods
    expect(otherClosed).toBe(true);
    expect(phoneClosed).toBe(false);
    expect(asked.some((p) => p.transport === 'TCP' && p.port === phone.localPort)).toBe(true);
    // Released while something still depends on it: kept.
    tcp.released('127.0.0.1', phone.localPort!);
    await sleep(50);
    expect(phoneClosed).toBe(false);
    // Nothing depends on it any more: closed now, not an idle period later (its timer has fired).
    kept.delete(phone.localPort!);
    tcp.released('127.0.0.1', phone.localPort!);
    for (let i = 0; i < 20 && !phoneClosed; i++) await sleep(10);
    expect(phoneClosed).toBe(true);
  });
});
