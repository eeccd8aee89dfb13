// A HEP collector given by name (TRACE.HEP_COLLECTOR=localhost:9060): looked up once, the packets sent
// in the order the trace took them (Node's per-datagram lookup sent them in any order); a name with no
// address loses the packets of the moment, counted and told, and is looked up again RELOOKUP_MS later.
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { HepSender, RELOOKUP_MS } from '../../../core/trace/hep';
import type { PcapPacket } from '../../../core/trace/pcap';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

function packet(n: number): PcapPacket {
  return {
    timeUs: 1_700_000_000_000_000 + n,
    transport: 'UDP',
    src: { address: '127.0.0.1', port: 5060 },
    dst: { address: '127.0.0.1', port: 5070 },
    data: Buffer.from(`OPTIONS sip:x SIP/2.0\r\nX-N: ${n}\r\n\r\n`, 'latin1'),
  };
}

const until = async (done: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('a HEP collector given by name', () => {
  it('gets every packet, in order, the name looked up once', async () => {
    // Room for the burst (the kernel's default receive buffer drops part of 500 datagrams sent at once).
    const socket = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    const got: number[] = [];
    socket.on('message', (m) => got.push(Number(/X-N: (\d+)/.exec(m.toString('latin1'))![1])));
    const port = await new Promise<number>((r) =>
      socket.bind(0, '127.0.0.1', () => r(socket.address().port)),
    );
    cleanup.push(() => socket.close());
    const hep = new HepSender({ host: 'localhost', port }, { captureId: 1 });
    cleanup.push(() => hep.close());
    for (let n = 0; n < 300; n++) hep.send(packet(n));
    await until(() => got.length === 300);
    expect(got).toEqual(Array.from({ length: 300 }, (_, n) => n));
    expect(hep.sent).toBe(300);
    // Later ones too (the address is known now).
    for (let n = 300; n < 400; n++) hep.send(packet(n));
    await until(() => got.length === 400);
    expect(got.slice(300)).toEqual(Array.from({ length: 100 }, (_, n) => 300 + n));
  });

  it('a name with no address: the packets of the moment are counted lost and told, and the name tried again later', async () => {
    const clock = { now: 0 };
    const lost: string[] = [];
    const hep = new HepSender(
      { host: 'no-such-collector.invalid', port: 9060 },
      { captureId: 1 },
      (why) => lost.push(why),
      () => clock.now,
    );
    cleanup.push(() => hep.close());
    hep.send(packet(1), 'call-1');
    await until(() => lost.length === 1);
    expect(lost[0]).toMatch(/no-such-collector\.invalid/);
    hep.send(packet(2)); // within RELOOKUP_MS: lost at once, no lookup
    expect(lost).toHaveLength(2);
    expect(lost[1]).toMatch(/not known/);
    clock.now = RELOOKUP_MS;
    hep.send(packet(3)); // looked up again: waits for the answer
    expect(lost).toHaveLength(2);
    await until(() => lost.length === 3);
    expect(hep.failed).toBe(3);
    expect(hep.sent).toBe(0);
  });
});
