// The UDP listener's destination lookup (literal-lookup.ts): an address literal is answered inside the
// call, so the datagram leaves within send(); a host name is still resolved, and still arrives.
import { createSocket } from 'node:dgram';
import dns from 'node:dns';
import { once } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { literalLookup } from '../../../../core/sip/transport/literal-lookup';
import { UdpListener } from '../../../../core/sip/transport/udp';

describe('literalLookup', () => {
  it('answers IPv4 and IPv6 literals before it returns', () => {
    const answers: unknown[] = [];
    for (const a of ['127.0.0.1', '::1', '::ffff:10.0.0.5'])
      literalLookup(a, 4, (err, address, family) => answers.push([err, address, family]));
    expect(answers).toEqual([
      [null, '127.0.0.1', 4],
      [null, '::1', 6],
      [null, '::ffff:10.0.0.5', 6],
    ]);
  });

  it('resolves a host name through DNS, later', async () => {
    let answer: [string, number] | undefined;
    const done = new Promise<void>((resolve) =>
      literalLookup('localhost', 4, (err, address, family) => {
        expect(err).toBeNull();
        answer = [address, family];
        resolve();
      }),
    );
    expect(answer).toBeUndefined();
    await done;
    expect(answer).toEqual(['127.0.0.1', 4]);
  });
});

describe('UdpListener sends', () => {
  async function receiver(): Promise<{ port: number; next: Promise<[Buffer]>; close(): void }> {
    const s = createSocket('udp4');
    s.bind(0, '127.0.0.1');
    await once(s, 'listening');
    return { port: s.address().port, next: once(s, 'message') as Promise<[Buffer]>, close: () => s.close() };
  }

  it('to an address literal without asking DNS, and to a host name', async () => {
    const rx = await receiver();
    const asked = vi.spyOn(dns, 'lookup'); // what dgram resolves with by default
    const listener = new UdpListener(() => undefined);
    await listener.bind('127.0.0.1', 0);
    try {
      listener.send(Buffer.from('OPTIONS literal'), '127.0.0.1', rx.port);
      expect((await rx.next)[0].toString()).toBe('OPTIONS literal');
      expect(asked).not.toHaveBeenCalled();
      const rx2 = await receiver();
      listener.send(Buffer.from('OPTIONS named'), 'localhost', rx2.port);
      expect((await rx2.next)[0].toString()).toBe('OPTIONS named');
      rx2.close();
    } finally {
      asked.mockRestore();
      rx.close();
      await listener.close();
    }
  });
});
