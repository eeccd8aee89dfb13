// The TCP listener and the connections: incoming ones are kept for responses and for requests towards a
// UA that registered over them (RFC 3261 §18.2.2, RFC 5626 §3.5.1 keep-alive answered); outgoing ones
// are opened on demand and reused. Framing by Content-Length; a connection whose framing breaks is
// closed after a 400 (where one can be built). The TLS listener (tls.ts) is this one over TLS sockets.
// Limits (RFC 5626 §4.4, RFC 3261 §18.3): at most maxConnections accepted at once (beyond it a new
// connection is closed as it arrives) and as many opened by us, so that peers holding every slot cannot
// keep IMS Lab from reaching a phone registered over TCP; an idle connection closed after idleTimeoutMs
// unless keepIdle says a live registration or call needs it (then it is closed once none does);
// a message begun must arrive whole within messageTimeoutMs of the last whole one (a peer dripping a
// byte now and then, a slowloris, would otherwise hold its connection for ever: each byte resets idle),
// and an accepted connection's first message (or RFC 5626 §4.4.1 CRLF keep-alive) within messageTimeoutMs
// of its accept (TLS: of its handshake): one host's connections that never sent a byte held every slot
// for idleTimeoutMs (15 min), refusing every other phone.
import { createConnection, createServer, isIP, type Server, type Socket } from 'node:net';
import { SipStreamFramer, type StreamItem } from '../message/index';
import type { TapEndpoint } from './message-tap';
import { unmapped, type Peer, type TransportName } from './peer';
import type { SendFailureSink } from './send-failure';
import { overUnsentLimit, readNoMoreThanSent } from './back-pressure';
import { httpOnSipPort, type ConsoleAddress } from './http-on-sip-port';
import { SENT_NOTHING } from './refusal-log';

/** `local`: our end of the connection the item came on. */
export type StreamHandler = (item: StreamItem, source: Peer, local: TapEndpoint | undefined) => void;

/**
 * Told when a message sent over a connection leaves: our end of it (an outgoing connection's is an
 * ephemeral port, not the listener's; undefined when it never connected) and the peer it went to.
 */
export type WireHandler = (local: TapEndpoint | undefined, address: string, port: number) => void;

export interface TcpOptions {
  /** Close a connection after this long without traffic (ms). */
  idleTimeoutMs: number;
  connectTimeoutMs: number;
  maxMessageSize: number;
  /** Connections accepted at once, and connections opened at once (0: no limit). */
  maxConnections: number;
  /** Close a connection holding part of a message this long after its last whole one (ms; 0: never). */
  messageTimeoutMs: number;
}

const DEFAULTS: TcpOptions = {
  idleTimeoutMs: 15 * 60_000,
  connectTimeoutMs: 5_000,
  maxMessageSize: 65535,
  maxConnections: 0,
  messageTimeoutMs: 20_000,
};

function key(address: string, port: number): string {
  return `${address}|${port}`;
}

/** A socket's own end, as a capture of it shows (undefined before it is bound). */
function localEnd(socket: Socket): TapEndpoint | undefined {
  const port = socket.localPort;
  return port === undefined ? undefined : { address: unmapped(socket.localAddress ?? ''), port };
}

/** Tells `onWire` our end of the socket once it is connected (at once when it already is). */
function whenConnected(socket: Socket, onWire: WireHandler, address: string, port: number): void {
  const end = socket.connecting ? undefined : localEnd(socket);
  if (end !== undefined) {
    onWire(end, address, port);
    return;
  }
  let told = false;
  const tell = (local: TapEndpoint | undefined): void => {
    if (told) return;
    told = true;
    onWire(local, address, port);
  };
  socket.once('connect', () => tell(localEnd(socket)));
  socket.once('close', () => tell(undefined));
}

const isLoopback = (address: string): boolean => address.startsWith('127.') || address === '::1';

export class TcpListener {
  protected server: Server | undefined;
  /** The address SIP_HOST names when it names one (not any): outgoing connections leave from it. */
  private boundHost: string | undefined;
  private readonly connections = new Map<string, Socket>();
  /** Every accepted socket, also those still in a handshake (closed at once by close()). */
  private readonly accepted = new Set<Socket>();
  /** Connections we opened that are not closed yet. */
  private outgoing = 0;
  protected readonly options: TcpOptions;
  /** The transport name in the peers this listener reports. */
  protected readonly transport: TransportName = 'TCP';
  /** Told when a connection ends (a binding made over it may end with it: RFC 7118, RFC 5626). */
  onClosed: ((peer: Peer) => void) | undefined;
  /** Told of a connection refused before any SIP (over maxConnections; TLS: a failed handshake). */
  onRefused: ((address: string, why: string) => void) | undefined;
  /** Where the console is, for the answer to an HTTP request on this port (http-on-sip-port.ts). */
  console: ConsoleAddress | undefined;
  /**
   * Asked when a connection has been idle for idleTimeoutMs: true keeps it open, because a live binding
   * or call depends on it (a phone behind a NAT is reachable over it alone, RFC 5626 §3, RFC 5923).
   */
  keepIdle: ((peer: Peer) => boolean) | undefined;
  /** Connections kept past their idle time by keepIdle, silent since: closed once nothing needs them. */
  private readonly keptIdle = new Set<string>();

  constructor(
    private readonly onItem: StreamHandler,
    options: Partial<TcpOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Is there an open connection to this peer? */
  connectedTo(address: string, port: number): boolean {
    const s = this.connections.get(key(address, port));
    return s !== undefined && !s.destroyed;
  }

  /** The server; `adopt` is called with each accepted (for TLS: handshaken) connection. */
  protected createServer(adopt: (socket: Socket) => void): Server {
    return createServer(adopt);
  }

  /**
   * An outgoing connection; `ready` is the event that says it can carry data. `name`: the host name the
   * address was resolved from, if any (TLS sends it as SNI).
   */
  protected connect(address: string, port: number, _name?: string): { socket: Socket; ready: string } {
    return {
      socket: createConnection({
        host: address,
        port,
        timeout: this.options.connectTimeoutMs,
        ...this.localAddressFor(address),
      }),
      ready: 'connect',
    };
  }

  /**
   * The address an outgoing connection leaves from: the one SIP_HOST names, when it names one and is of
   * the far end's family (a peer that trusts or filters by source saw 127.0.0.1 for a server on
   * 127.0.0.2, and a two-NIC bench PC could send from the other card than its Via names). Any address
   * lets the system choose.
   */
  protected localAddressFor(address: string): { localAddress?: string } {
    const mine = this.boundHost;
    if (mine === undefined || isIP(mine) !== isIP(address)) return {};
    // A loopback address cannot reach another host: there the system's choice is kept, as before.
    if (isLoopback(mine) && !isLoopback(address)) return {};
    return { localAddress: mine };
  }

  async listen(host: string, port: number): Promise<number> {
    this.boundHost = host === '0.0.0.0' || host === '::' || host === '' ? undefined : host;
    const server = this.createServer((socket) => this.adopt(socket));
    if (this.options.maxConnections > 0) {
      server.maxConnections = this.options.maxConnections;
      // Node closes a connection over the limit as it arrives and says so with 'drop' (it was silent).
      server.on('drop', (d) =>
        this.onRefused?.(
          unmapped(d?.remoteAddress ?? ''),
          `${this.options.maxConnections} connections already (SIP.${this.transport}_MAX_CONNECTIONS)`,
        ),
      );
    }
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => undefined);
    server.on('connection', (raw: Socket) => {
      this.accepted.add(raw);
      raw.once('close', () => this.accepted.delete(raw));
    });
    this.server = server;
    const addr = server.address();
    return typeof addr === 'object' && addr !== null ? addr.port : port;
  }

  /** An accepted connection: known by the peer's address and port. */
  private adopt(socket: Socket): void {
    socket.setNoDelay(true);
    socket.setTimeout(this.options.idleTimeoutMs);
    this.attach(socket, unmapped(socket.remoteAddress ?? ''), socket.remotePort ?? 0, true);
  }

  /**
   * Frames what arrives, answers keep-alive pings, and forgets the connection when it closes. `accepted`:
   * the peer opened it, and must send something within messageTimeoutMs (a peer speaks first in SIP).
   */
  private attach(socket: Socket, address: string, port: number, accepted = false): void {
    const k = key(address, port);
    const peer: Peer = { transport: this.transport, address, port };
    const framer = new SipStreamFramer(this.options.maxMessageSize);
    // Known once connected, and nothing arrives before that.
    let local: TapEndpoint | undefined;
    this.connections.set(k, socket);
    // RFC 3261 §18 leaves it to the server when to close a connection: IMS Lab closed a quiet phone's
    // while its registration lasted, and the phone (behind a NAT, or with ;alias) was unreachable until
    // it registered again (500 next hop unreachable). One a binding or call depends on is kept (as
    // Kamailio's tcp_persistent_flag does); the socket's timer fires again after the next traffic.
    let kept = false;
    socket.on('timeout', () => {
      if (this.keepIdle?.(peer) !== true) {
        socket.destroy();
        return;
      }
      kept = true;
      this.keptIdle.add(k);
    });
    const messageMs = this.options.messageTimeoutMs;
    let partial: NodeJS.Timeout | undefined;
    // The accept as the last whole message: nothing whole by then closes it (and it is said, as a
    // connection over the limit is: the log names the host that holds them).
    if (accepted && messageMs > 0) {
      partial = setTimeout(() => {
        if (framer.buffered === 0)
          this.onRefused?.(address, `${SENT_NOTHING} ${messageMs / 1000} s (SIP.MESSAGE_TIMEOUT)`);
        socket.destroy();
      }, messageMs);
      partial.unref();
    }
    socket.on('data', (chunk: Buffer) => {
      if (kept) {
        kept = false;
        this.keptIdle.delete(k);
      }
      const items = framer.push(chunk);
      // RFC 5626 §4.4.1: a pong for the pings of a read, not one each (a peer waits for the pong of its
      // ping before the next; thousands in one read are a flood).
      let pong = false;
      for (const item of items) {
        if (item.kind === 'ping') {
          pong = true;
          this.onItem(item, peer, local); // counted, as a UDP or WebSocket ping is
          continue;
        }
        local ??= localEnd(socket);
        this.onItem(item, peer, local);
        if (item.kind === 'fatal') socket.end();
        // No SIP: answered in HTTP, then closed (the framer reads nothing after it).
        else if (item.kind === 'http')
          socket.end(httpOnSipPort(this.transport, this.console, local?.address));
      }
      if (pong && !socket.destroyed) socket.write('\r\n');
      readNoMoreThanSent(socket);
      // The clock of a message begun runs from the last whole one (a busy stream often ends a read
      // mid-message, and goes on).
      if (items.length > 0 && partial !== undefined) {
        clearTimeout(partial);
        partial = undefined;
      }
      if (framer.buffered > 0 && partial === undefined && messageMs > 0) {
        partial = setTimeout(() => socket.destroy(), messageMs);
        partial.unref();
      }
    });
    let forgotten = false;
    const forget = (): void => {
      clearTimeout(partial);
      if (forgotten) return;
      forgotten = true;
      if (kept) this.keptIdle.delete(k);
      if (this.connections.get(k) === socket) {
        this.connections.delete(k);
        this.onClosed?.(peer);
      }
    };
    socket.on('close', forget);
    socket.on('error', forget);
  }

  /**
   * What kept the connection to address:port open past its idle time (a binding, a call) has ended: it
   * is closed now unless keepIdle still says otherwise. A connection not idle that long is left alone.
   */
  released(address: string, port: number): void {
    const k = key(address, port);
    if (!this.keptIdle.has(k)) return;
    if (this.keepIdle?.({ transport: this.transport, address, port }) === true) return;
    this.keptIdle.delete(k);
    this.connections.get(k)?.destroy();
  }

  /**
   * Sends over the connection to address:port, opening one if there is none. `onError` hears of a
   * connection that cannot be opened or a write that fails (RFC 3261 §18.4: the transaction is told).
   * `onWire` hears where it went from (see WireHandler). `name`: the host name the address was resolved
   * from (a connection opened for it over TLS names it in its SNI).
   */
  send(
    data: Buffer,
    address: string,
    port: number,
    onError?: SendFailureSink,
    reconnect?: { address: string; port: number },
    onWire?: WireHandler,
    name?: string,
  ): void {
    const failed = (err?: Error | null): void => {
      if (err) onError?.transportError();
    };
    const existing = this.connections.get(key(address, port));
    if (existing !== undefined && !existing.destroyed) {
      if (overUnsentLimit(existing)) {
        // A peer that has read nothing of 16 MB: it is gone in all but name (back-pressure.ts).
        existing.destroy();
        onWire?.(undefined, address, port);
        onError?.transportError();
        return;
      }
      if (onWire !== undefined) whenConnected(existing, onWire, address, port);
      existing.write(data, failed);
      readNoMoreThanSent(existing);
      return;
    }
    // A response whose request's connection has closed: a new one where the Via says (§18.2.2).
    if (reconnect !== undefined && (reconnect.address !== address || reconnect.port !== port)) {
      this.send(data, reconnect.address, reconnect.port, onError, undefined, onWire);
      return;
    }
    if (this.options.maxConnections > 0 && this.outgoing >= this.options.maxConnections) {
      onWire?.(undefined, address, port);
      onError?.transportError();
      return;
    }
    const { socket, ready } = this.connect(address, port, name);
    this.outgoing++;
    socket.once('close', () => this.outgoing--);
    if (onWire !== undefined) whenConnected(socket, onWire, address, port);
    let connected = false;
    socket.once(ready, () => {
      connected = true;
      socket.setTimeout(this.options.idleTimeoutMs);
    });
    // Refused, unreachable, or timed out before connecting: the data never left.
    socket.once('close', () => {
      if (!connected) onError?.transportError();
    });
    socket.setNoDelay(true);
    socket.write(data);
    this.attach(socket, address, port);
  }

  async close(): Promise<void> {
    for (const s of this.connections.values()) s.destroy();
    for (const s of this.accepted) s.destroy();
    this.connections.clear();
    this.accepted.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
