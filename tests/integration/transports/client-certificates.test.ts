// Client-certificate verification (SIP.TLS_CA): a TLS listener given a CA bundle admits only clients
// whose certificate that CA signed; without one, or with another, the handshake fails. In-process
// listener on a free port, real TLS connections.
import { connect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamItem } from '../../../core/sip/message/index';
import type { Peer } from '../../../core/sip/transport/peer';
import { selfSignedCertificate } from '../../../core/sip/transport/self-signed';
import { TlsListener } from '../../../core/sip/transport/tls';

const server = selfSignedCertificate(['127.0.0.1']);
const phone = selfSignedCertificate(['phone.lab']); // its own CA: the bundle the server trusts
const stranger = selfSignedCertificate(['stranger.lab']);

let listener: TlsListener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

async function handshake(port: number, client?: { cert: string; key: string }): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...client });
    // TLS 1.3: a refused client certificate shows after the handshake, on the first read.
    s.once('secureConnect', () => s.write('\r\n\r\n'));
    s.once('data', () => {
      resolve('accepted');
      s.destroy();
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    s.once('close', () => resolve('closed'));
  });
}

describe('TLS client certificates', () => {
  it('with SIP.TLS_CA, admits a client its CA signed and refuses one without or with another', async () => {
    const items: [StreamItem, Peer][] = [];
    listener = new TlsListener((item, peer) => items.push([item, peer]), { ...server, ca: phone.cert });
    const why: string[] = [];
    listener.onRefused = (_address, reason) => why.push(reason);
    const port = await listener.listen('127.0.0.1', 0);
    expect(await handshake(port, phone)).toBe('accepted'); // the CRLF ping is answered (RFC 5626 §4.4.1)
    expect(await handshake(port)).toMatch(/CERTIFICATE_REQUIRED|closed|ECONNRESET/);
    expect(await handshake(port, stranger)).toMatch(/ALERT_UNKNOWN_CA|BAD_CERTIFICATE|closed|ECONNRESET/);
    expect(listener.handshakeFailures).toBe(2);
    // The log says which side is wrong (it said ECONNRESET for the stranger).
    await expect.poll(() => why.length).toBe(2);
    expect(why[0]).toMatch(/PEER_DID_NOT_RETURN_A_CERTIFICATE/);
    expect(why[1]).toMatch(/^the client certificate is not signed by the CA bundle \(SIP_TLS_CA\): [A-Z_]+$/);
  });

  it('without a CA, any client (certificate or none) is admitted', async () => {
    listener = new TlsListener(() => undefined, server);
    const port = await listener.listen('127.0.0.1', 0);
    expect(await handshake(port)).toBe('accepted');
    expect(await handshake(port, stranger)).toBe('accepted');
  });
});
