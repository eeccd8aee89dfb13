// The TLS listener (RFC 3261 §26.2, RFC 5630): the TCP listener's connections over TLS 1.2 or 1.3 only
// (older versions are refused in the handshake), with a handshake that must finish within
// handshakeTimeoutMs (a flood of connections that never finish one cannot hold descriptors), and
// optionally a client certificate checked against a CA. Outgoing connections (towards a phone whose
// connection is gone) do not check the phone's certificate: lab phones carry self-signed ones. One
// opened to a next hop named by a host name sends that name as SNI (RFC 6066 §3; RFC 5922 §4: a SIP
// server on a shared address picks its certificate by it); one to an address given as such sends none
// (RFC 6066 §3: literal IPv4 and IPv6 addresses are not permitted in "HostName").
import { isIP, type Server, type Socket } from 'node:net';
import { connect, createServer, type SecureContextOptions, type TLSSocket } from 'node:tls';
import type { TransportName } from './peer';
import { TcpListener, type StreamHandler, type TcpOptions } from './tcp';
import { failedPeerAddress, keepPeerAddresses } from './tls-peer';

export interface TlsCredentials {
  /** PEM certificate chain and private key. */
  cert: string;
  key: string;
  /** PEM CA bundle: when set, clients must present a certificate it signed. */
  ca?: string;
}

export interface TlsOptions extends TcpOptions {
  handshakeTimeoutMs: number;
}

export const TLS_MIN_VERSION = 'TLSv1.2';

/**
 * Why a handshake failed, for the log. A client certificate the CA bundle did not sign is refused by
 * Node after the handshake, with no alert: the client resets and the error says only ECONNRESET, so
 * the certificate's own verdict says which side is wrong.
 */
function handshakeFault(err: Error, socket: TLSSocket): string {
  const verdict = socket.authorizationError;
  if (verdict !== undefined && verdict !== null)
    return `the client certificate is not signed by the CA bundle (SIP_TLS_CA): ${String(verdict)}`;
  return (err as NodeJS.ErrnoException).code ?? err.message;
}

export class TlsListener extends TcpListener {
  protected override readonly transport: TransportName = 'TLS';
  /** Handshakes that failed (wrong version, bad certificate, timeout). */
  handshakeFailures = 0;

  constructor(
    onItem: StreamHandler,
    private readonly credentials: TlsCredentials,
    private readonly tlsOptions: Partial<TlsOptions> = {},
  ) {
    super(onItem, tlsOptions);
  }

  private context(): SecureContextOptions {
    return { cert: this.credentials.cert, key: this.credentials.key, minVersion: TLS_MIN_VERSION };
  }

  protected override createServer(adopt: (socket: Socket) => void): Server {
    const ca = this.credentials.ca;
    const server = createServer(
      {
        ...this.context(),
        handshakeTimeout: this.tlsOptions.handshakeTimeoutMs ?? 10_000,
        ...(ca !== undefined ? { ca, requestCert: true, rejectUnauthorized: true } : {}),
      },
      adopt,
    );
    keepPeerAddresses(server);
    server.on('tlsClientError', (err, socket) => {
      this.handshakeFailures++;
      this.onRefused?.(failedPeerAddress(socket), handshakeFault(err, socket));
      socket.destroy();
    });
    return server;
  }

  protected override connect(
    address: string,
    port: number,
    name?: string,
  ): { socket: Socket; ready: string } {
    const socket = connect({
      host: address,
      port,
      // Node sends no SNI for a host given as an address; a name is sent only when told.
      ...(name !== undefined && isIP(name) === 0 ? { servername: name } : {}),
      timeout: this.options.connectTimeoutMs,
      minVersion: TLS_MIN_VERSION,
      rejectUnauthorized: false,
      ...this.localAddressFor(address),
    });
    return { socket, ready: 'secureConnect' };
  }
}
