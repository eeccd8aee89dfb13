// TRACE.HEP_COLLECTOR=localhost:PORT with a stock Debian /etc/hosts (`::1 localhost` beside
// `127.0.0.1 localhost`), or any name with A and AAAA records: HEP went to getaddrinfo's first address,
// ::1, and an IPv4 collector (heplify-server's default) got nothing while DSP TRACE counted them sent. The
// IPv4 address is taken when the name has both; a failed send names the collector and its address.
import { createSocket } from 'node:dgram';
import type { LookupAddress } from 'node:dns';
import { afterEach, describe, expect, it } from 'vitest';
import { HepSender } from '../../../core/trace/hep';
import type { PcapPacket } from '../../../core/trace/pcap';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

const packet: PcapPacket = {
  timeUs: 1_700_000_000_000_000,
  transport: 'UDP',
  src: { address: '127.0.0.1', port: 5060 },
  dst: { address: '127.0.0.1', port: 5070 },
  data: Buffer.from('OPTIONS sip:x SIP/2.0\r\n\r\n', 'latin1'),
};

describe('a HEP collector whose name has IPv4 and IPv6 addresses', () => {
  it('gets the packets at its IPv4 address', async () => {
    const socket = createSocket('udp4');
    let got = 0;
    socket.on('message', () => got++);
    const port = await new Promise<number>((r) =>
      socket.bind(0, '127.0.0.1', () => r(socket.address().port)),
    );
    cleanup.push(() => socket.close());
    const both: LookupAddress[] = [
      { address: '::1', family: 6 },
      { address: '127.0.0.1', family: 4 },
    ];
    const hep = new HepSender({ host: 'both.lab', port }, { captureId: 1 }, undefined, Date.now, () =>
      Promise.resolve(both),
    );
    cleanup.push(() => hep.close());
    for (let n = 0; n < 3; n++) hep.send(packet);
    for (let i = 0; i < 200 && got < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(got).toBe(3);
    expect(hep.sent).toBe(3);
  });
});
