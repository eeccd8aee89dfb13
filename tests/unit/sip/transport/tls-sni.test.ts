// A TLS connection IMS Lab opens to a next hop named by a host name (a Route or Request-URI such as
// sip:pcscf.lab.test;transport=tls, RFC 3263) names that host in its ClientHello's SNI (RFC 6066 §3;
// RFC 5922 §4: a SIP server on a shared address picks its certificate by it). It sent none: a server
// hosting several SIP domains answered with its default certificate, or refused the handshake. One to an
// address given as such sends none (RFC 6066 §3: no IP literals in HostName). Real loopback sockets.
import { createServer, type TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterSet } from '../../../../core/observe/counters';
import { parseUri, type SipUri } from '../../../../core/sip/message/index';
import { resolveHop } from '../../../../core/sip/proxy/next-hop';
import { selfSignedCertificate } from '../../../../core/sip/transport/self-signed';
import { SipTransport } from '../../../../core/sip/transport/sip-transport';
import type { Peer } from '../../../../core/sip/transport/peer';

const credentials = selfSignedCertificate(['127.0.0.1', 'pcscf.lab.test']);
const OPTIONS = Buffer.from(
  'OPTIONS sip:pcscf.lab.test SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1;branch=z9hG4bKsni\r\n' +
    'Max-Forwards: 70\r\nFrom: <sip:a@ims.lab>;tag=a\r\nTo: <sip:pcscf.lab.test>\r\nCall-ID: sni\r\n' +
    'CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n',
);

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A TLS server on loopback that reports the SNI of each connection (false: none). */
async function sniServer(): Promise<{ port: number; next: () => Promise<string | false> }> {
  const seen: (string | false)[] = [];
  const waiting: ((s: string | false) => void)[] = [];
  const server = createServer(credentials, (s: TLSSocket) => {
    const name = s.servername ?? false;
    const w = waiting.shift();
    if (w !== undefined) w(name);
    else seen.push(name);
    s.destroy();
  });
  const port = await new Promise<number>((r) =>
    server.listen(0, '127.0.0.1', () => r((server.address() as { port: number }).port)),
  );
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  const next = (): Promise<string | false> =>
    seen.length > 0 ? Promise.resolve(seen.shift()!) : new Promise((r) => waiting.push(r));
  return { port, next };
}

async function transport(): Promise<SipTransport> {
  const t = new SipTransport(
    { host: '127.0.0.1', port: 0, tcp: false, tls: { port: 0, credentials } },
    new CounterSet(),
  );
  t.attach({ onRequest: () => undefined, onResponse: () => undefined });
  await t.start();
  cleanup.push(() => t.stop());
  return t;
}

describe('outgoing TLS connections', () => {
  it('a next hop named by a host: its peer carries the name; an address: none', async () => {
    const lookup = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    const resolver = { lookup, families: [4] as const };
    const named = await resolveHop(parseUri('sip:pcscf.lab.test:5071;transport=tls') as SipUri, resolver);
    expect(named).toEqual({ transport: 'TLS', address: '127.0.0.1', port: 5071, name: 'pcscf.lab.test' });
    const literal = await resolveHop(parseUri('sips:127.0.0.1') as SipUri, resolver);
    expect(literal.name).toBeUndefined();
  });

  it('send the host name as SNI, and none to an address given as such', async () => {
    const { port, next } = await sniServer();
    const t = await transport();
    const named: Peer = { transport: 'TLS', address: '127.0.0.1', port, name: 'pcscf.lab.test' };
    t.send(OPTIONS, named, 'OPTIONS');
    expect(await next()).toBe('pcscf.lab.test');
    // The first connection is closed by the server: the next send opens another.
    for (let i = 0; i < 40 && t.isConnected(named); i++) await new Promise((r) => setTimeout(r, 25));
    t.send(OPTIONS, { transport: 'TLS', address: '127.0.0.1', port }, 'OPTIONS');
    expect(await next()).toBe(false);
  });
});
