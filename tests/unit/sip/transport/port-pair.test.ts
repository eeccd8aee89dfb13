// UDP and TCP on one port number with SIP port 0 (core/sip/transport/sip-transport.ts): when the UDP
// port the kernel picked is held for TCP by another socket, another pair is tried instead of failing
// with EADDRINUSE. The collision is real: a TCP server takes the picked port before the listener does.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CounterSet } from '../../../../core/observe/counters';
import { SipTransport } from '../../../../core/sip/transport/sip-transport';
import { TcpListener } from '../../../../core/sip/transport/tcp';

const held: Server[] = [];
let transport: SipTransport | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await transport?.stop();
  transport = undefined;
  for (const s of held.splice(0)) s.close();
});

function holdTcp(port: number): Promise<void> {
  const s = createServer();
  held.push(s);
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(port, '127.0.0.1', resolve);
  });
}

/** Makes TcpListener.listen find its first `times` ports already taken; returns the ports it was asked. */
function takeFirstPorts(times: number): number[] {
  const asked: number[] = [];
  const listen = TcpListener.prototype.listen;
  vi.spyOn(TcpListener.prototype, 'listen').mockImplementation(async function (
    this: TcpListener,
    host,
    port,
  ) {
    asked.push(port);
    if (asked.length <= times) await holdTcp(port);
    return listen.call(this, host, port);
  });
  return asked;
}

describe('SIP port 0', () => {
  it('tries another UDP port when TCP cannot have the one picked, and ends with both on one number', async () => {
    const asked = takeFirstPorts(2);
    transport = new SipTransport({ host: '127.0.0.1', port: 0, tcp: true }, new CounterSet());
    await transport.start();
    expect(asked).toHaveLength(3);
    expect(transport.tcpPort).toBe(transport.udpPort);
    expect(transport.udpPort).toBe(asked[2]);
    expect(asked.slice(0, 2)).not.toContain(transport.udpPort);
  });

  it('keeps a port that was asked for: a TCP port in use is an error, not another port', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    held.push(probe);
    transport = new SipTransport({ host: '127.0.0.1', port, tcp: true }, new CounterSet());
    await expect(transport.start()).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
