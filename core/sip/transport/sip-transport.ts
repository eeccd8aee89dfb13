// The transport layer (RFC 3261 §18): UDP and TCP listeners on one address (and TLS, WS and WSS ones
// on their own ports: tls.ts, ws.ts), each message parsed and
// checked before anything acts on it, server-side received/rport stamping (§18.2.1, RFC 3581 §4), and
// the answer to what cannot be understood: a malformed request gets a 400 (505, 513) with the reason
// when enough of it parsed to answer; otherwise, and for responses, it is dropped and counted. The
// listeners never stop on bad input.
import { OTHER_LABEL, type CounterSet } from '../../observe/counters';
import {
  SIP_PARSE_ERROR_KINDS,
  SipParseError,
  SipRequest,
  SipResponse,
  checkMessage,
  parseMessage,
  type SipMessage,
  type StreamItem,
} from '../message/index';
import { MessageTap, type TapEndpoint } from './message-tap';
import { unmapped, type Peer, type TransportName } from './peer';
import { refusalFor, refusalTarget } from './refusal';
import { TcpListener, type WireHandler } from './tcp';
import { TlsListener, type TlsCredentials } from './tls';
import { UdpListener } from './udp';
import { WsListener } from './ws';
import { bytesAfterMessage } from './ws-frame';
import type { SendFailureSink } from './send-failure';
import { isStun, stunBindingResponse } from './stun';
import type { ConsoleAddress } from './http-on-sip-port';
import { addressPort } from '../../address-port';
import { ReplyCounts } from '../../observe/reply-counts';

/** What the transport refuses itself besides a message that does not parse (sip_parse_errors_total's kind). */
const TRANSPORT_REFUSAL_KINDS = [
  'bad-destination',
  'ws-bytes-after-message',
  'stun-not-binding-request',
  'http-request',
  'internal',
];

/** Free UDP ports tried, with port 0, before giving up on one free for TCP too. */
const PICK_ATTEMPTS = 20;

/** The fault of a message whose connection never opened (tapSent). */
export const NOT_SENT = 'not sent: the connection could not be opened';
export interface TransportUser {
  onRequest(request: SipRequest, source: Peer): void;
  onResponse(response: SipResponse, source: Peer): void;
}

export interface TransportOptions {
  host: string;
  /** UDP and TCP port; 0 picks a free one (the same number for both when it can). */
  port: number;
  tcp: boolean;
  maxMessageSize?: number;
  /** TLS (RFC 3261 §26) on its own port; off when undefined. */
  tls?: { port: number; credentials: TlsCredentials };
  /** SIP over WebSocket (RFC 7118), plain and secure, each on its own port; off when undefined. */
  ws?: { port: number };
  wss?: { port: number; credentials: TlsCredentials };
  /** Connection limits and idle timeouts per connection-oriented transport (WS covers WSS). */
  limits?: Partial<Record<'TCP' | 'TLS' | 'WS', ConnectionLimits>>;
  /** A TLS handshake or WebSocket upgrade must be done within this (ms). */
  handshakeTimeoutMs?: number;
  /** A message begun on a TCP, TLS or WebSocket connection must arrive whole within this of the last whole one (ms). */
  messageTimeoutMs?: number;
  /** Origins a WebSocket upgrade may come from (lower-case); empty: any. */
  wsOrigins?: readonly string[];
}

export interface ConnectionLimits {
  /** Connections at once (0: no limit). */
  maxConnections: number;
  idleTimeoutMs: number;
}

/** A datagram of only CR, LF and spaces: a NAT keep-alive (RFC 5626 §4.4.1), not an error. */
function isKeepAlive(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c !== 0x0d && c !== 0x0a && c !== 0x20 && c !== 0x00) return false;
  }
  return true;
}

const EMPTY = Buffer.alloc(0);

const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '';

const TRANSPORTS: readonly TransportName[] = ['UDP', 'TCP', 'TLS', 'WS', 'WSS'];

/** One tap endpoint per transport, all at `address` (ports filled in once the listeners are bound). */
function endpoints(address: string): Record<TransportName, TapEndpoint> {
  const out = {} as Record<TransportName, TapEndpoint>;
  for (const t of TRANSPORTS) out[t] = { address, port: 0 };
  return out;
}

export class SipTransport {
  private readonly udp: UdpListener;
  private readonly tcp: TcpListener | undefined;
  private readonly tls: TlsListener | undefined;
  private readonly ws: WsListener | undefined;
  private readonly wss: WsListener | undefined;
  private user: TransportUser | undefined;
  /**
   * Every message in and out, raw, for the SIP trace, the log's DEBUG lines and HEP (message-tap.ts).
   * Received messages are tapped once parsed and checked (with the fault when they failed), before
   * anything acts on them, so a message always comes before the answers it causes.
   */
  readonly tap = new MessageTap();
  /** Our end of each message, per transport; a wildcard bind is reported as the advertised address. */
  private readonly local = endpoints('');
  /** Listening on both families: our end as peers of the other family than `local`'s see it. */
  private readonly alternate = endpoints('');
  private readonly loopback = endpoints('127.0.0.1');
  private readonly loopback6 = endpoints('::1');
  udpPort = 0;
  tcpPort = 0;
  /** 0 when the listener is off. */
  tlsPort = 0;
  wsPort = 0;
  wssPort = 0;
  /**
   * Told when a connection (TCP, TLS, WS, WSS) closes; the appliance ends the WebSocket bindings made
   * over it (RFC 7118 §5: a browser's `.invalid` Contact is reachable over that connection only).
   */
  onConnectionClosed: ((peer: Peer) => void) | undefined;

  private readonly inRequests;
  private readonly inResponses;
  private readonly outMessages;
  /** sip_replies_total: responses received and sent, by CSeq method and class (reply-counts.ts). */
  readonly replies = new ReplyCounts();
  private readonly parseErrors;
  private readonly keepAlives;
  private readonly stunKeepAlives;
  private readonly refusedConnections;
  /** A connection refused before any SIP (a failed TLS handshake, a refused WebSocket upgrade). */
  onRefused: ((transport: TransportName, address: string, why: string) => void) | undefined;
  /** Told of each message refused as malformed (answered 400, or dropped when it cannot be). */
  onMalformed:
    | ((transport: TransportName, address: string, port: number, why: string, answered: boolean) => void)
    | undefined;

  private refused(transport: TransportName, address: string, why: string): void {
    this.refusedConnections.inc(transport);
    // As every other line names an IPv4 peer: a.b.c.d, not the dual-stack socket's ::ffff:a.b.c.d.
    this.onRefused?.(transport, unmapped(address), why);
  }

  constructor(
    private readonly options: TransportOptions,
    counters: CounterSet,
  ) {
    this.udp = new UdpListener((data, source) => this.onDatagram(data, source));
    if (options.tcp) {
      this.tcp = new TcpListener((item, source, local) => this.onStreamItem(item, source, local), {
        maxMessageSize: options.maxMessageSize ?? 65535,
        ...(options.messageTimeoutMs === undefined ? {} : { messageTimeoutMs: options.messageTimeoutMs }),
        ...options.limits?.TCP,
      });
      this.tcp.onClosed = (peer) => this.onConnectionClosed?.(peer);
      this.tcp.onRefused = (address, why) => this.refused('TCP', address, why);
    }
    const handshakeTimeoutMs = options.handshakeTimeoutMs ?? 10_000;
    const maxMessageSize = options.maxMessageSize ?? 65535;
    if (options.tls !== undefined) {
      this.tls = new TlsListener(
        (item, source, local) => this.onStreamItem(item, source, local),
        options.tls.credentials,
        {
          maxMessageSize,
          handshakeTimeoutMs,
          ...(options.messageTimeoutMs === undefined ? {} : { messageTimeoutMs: options.messageTimeoutMs }),
          ...options.limits?.TLS,
        },
      );
      this.tls.onClosed = (peer) => this.onConnectionClosed?.(peer);
      this.tls.onRefused = (address, why) => this.refused('TLS', address, why);
    }
    const ws = (credentials: TlsCredentials | undefined): WsListener => {
      const l = new WsListener((data, source) => this.onDatagram(data, source), {
        credentials,
        maxConnections: options.limits?.WS?.maxConnections ?? 0,
        idleTimeoutMs: options.limits?.WS?.idleTimeoutMs ?? 3600_000,
        handshakeTimeoutMs,
        maxMessageSize,
        ...(options.messageTimeoutMs === undefined ? {} : { messageTimeoutMs: options.messageTimeoutMs }),
        origins: options.wsOrigins ?? [],
      });
      l.onClosed = (peer) => this.onConnectionClosed?.(peer);
      l.onRefused = (address, why) => this.refused(l.transport, address, why);
      l.onHandshakeFailed = (address, why) => this.refused('TLS', address, why);
      return l;
    };
    if (options.ws !== undefined) this.ws = ws(undefined);
    if (options.wss !== undefined) this.wss = ws(options.wss.credentials);
    this.inRequests = counters.counter('sip_requests_in_total', 'SIP requests received, by method', 'method');
    this.inResponses = counters.counter(
      'sip_responses_in_total',
      'SIP responses received, by status code',
      'code',
    );
    this.outMessages = counters.counter(
      'sip_messages_out_total',
      'SIP messages sent, by method or status code',
      'kind',
    );
    this.parseErrors = counters.counter(
      'sip_parse_errors_total',
      'Messages that did not parse or check, by problem',
      'kind',
      [...SIP_PARSE_ERROR_KINDS, ...TRANSPORT_REFUSAL_KINDS],
    );
    this.keepAlives = counters.counter('sip_keepalives_total', 'CRLF keep-alives received');
    this.stunKeepAlives = counters.counter(
      'sip_stun_keepalives_total',
      'STUN Binding requests answered on the SIP UDP port (RFC 5626 §4.4.2 keep-alives)',
    );
    this.refusedConnections = counters.counter(
      'sip_connections_refused_total',
      'TLS handshakes failed and WebSocket upgrades refused, by transport',
      'transport',
      ['TLS', 'WS', 'WSS'],
    );
  }

  /** The layer above: the transaction layer. */
  attach(user: TransportUser): void {
    this.user = user;
  }

  async start(): Promise<void> {
    await this.bindUdpAndTcp();
    const o = this.options;
    // A port in use names the listener (SIP_TLS_PORT, SIP_WS_PORT, SIP_WSS_PORT turn them off with 0).
    const listen = async (
      name: string,
      l: { listen(h: string, p: number): Promise<number> },
      port: number,
    ) => {
      try {
        return await l.listen(o.host, port);
      } catch (err) {
        throw new Error(
          `the ${name} listener cannot bind ${addressPort(o.host, port)}: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
      }
    };
    if (this.tls) this.tlsPort = await listen('TLS', this.tls, o.tls!.port);
    if (this.ws) this.wsPort = await listen('WS', this.ws, o.ws!.port);
    if (this.wss) this.wssPort = await listen('WSS', this.wss, o.wss!.port);
    const ports: Record<TransportName, number> = {
      UDP: this.udpPort,
      TCP: this.tcpPort,
      TLS: this.tlsPort,
      WS: this.wsPort,
      WSS: this.wssPort,
    };
    for (const t of TRANSPORTS)
      this.local[t].port = this.alternate[t].port = this.loopback[t].port = this.loopback6[t].port = ports[t];
    if (!isWildcard(o.host)) this.advertise(o.host);
  }

  /**
   * UDP and TCP on one port number. With port 0 the kernel picks a free UDP port, which some TCP socket
   * may hold (an outgoing connection's ephemeral port): then UDP is released and another pair is tried.
   */
  private async bindUdpAndTcp(): Promise<void> {
    const { host, port } = this.options;
    for (let attempt = 1; ; attempt++) {
      this.udpPort = await this.udp.bind(host, port);
      if (!this.tcp) return;
      try {
        this.tcpPort = await this.tcp.listen(host, this.udpPort);
        return;
      } catch (err) {
        const taken = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
        if (port !== 0 || !taken || attempt === PICK_ATTEMPTS) throw err;
        await this.udp.close();
      }
    }
  }

  /**
   * The address the tap reports as ours when the listeners are bound to every interface, and, bound to
   * both families, the one peers of the other family reach (LocalIdentity's alternate).
   */
  advertise(address: string, alternate?: string): void {
    if (!isWildcard(this.options.host)) address = this.options.host;
    for (const t of TRANSPORTS) {
      this.local[t].address = address;
      this.alternate[t].address = alternate ?? '';
    }
  }

  /** Our end of a message to or from `remote` (a loopback peer is reached from loopback). */
  private localFor(transport: TransportName, remote: string): TapEndpoint {
    const v6 = remote.includes(':');
    if (
      isWildcard(this.options.host) &&
      (remote.startsWith('127.') || remote === '::1' || this.local.UDP.address === '')
    )
      return v6 ? this.loopback6[transport] : this.loopback[transport];
    const other = this.alternate[transport];
    return other.address !== '' && v6 !== this.local.UDP.address.includes(':')
      ? other
      : this.local[transport];
  }

  async stop(): Promise<void> {
    await Promise.all([
      this.udp.close(),
      this.tcp?.close(),
      this.tls?.close(),
      this.ws?.close(),
      this.wss?.close(),
    ]);
  }

  /** Open connections by transport (TCP, TLS, WS, WSS; in and out). */
  connectionCounts(): Record<'TCP' | 'TLS' | 'WS' | 'WSS', number> {
    return {
      TCP: this.tcp?.connectionCount ?? 0,
      TLS: this.tls?.connectionCount ?? 0,
      WS: this.ws?.connectionCount ?? 0,
      WSS: this.wss?.connectionCount ?? 0,
    };
  }

  /**
   * Asked when a TCP or TLS connection has been idle for its SIP.*_IDLE_TIMEOUT: true keeps it open (a
   * live binding or call is reached over it). A WebSocket is kept by its Ping instead (ws.ts).
   */
  set keepIdle(keep: ((peer: Peer) => boolean) | undefined) {
    if (this.tcp !== undefined) this.tcp.keepIdle = keep;
    if (this.tls !== undefined) this.tls.keepIdle = keep;
  }

  /** What kept an idle TCP or TLS connection to `peer` open has ended: closed unless keepIdle still says. */
  connectionReleased(peer: Peer): void {
    if (peer.transport === 'TCP') this.tcp?.released(peer.address, peer.port);
    else if (peer.transport === 'TLS') this.tls?.released(peer.address, peer.port);
  }

  /** Is there a live connection to this peer (always true for UDP: there is nothing to lose)? */
  isConnected(peer: Peer): boolean {
    switch (peer.transport) {
      case 'UDP':
        return true;
      case 'TCP':
        return this.tcp?.connectedTo(peer.address, peer.port) ?? false;
      case 'TLS':
        return this.tls?.connectedTo(peer.address, peer.port) ?? false;
      case 'WS':
        return this.ws?.connectedTo(peer.address, peer.port) ?? false;
      case 'WSS':
        return this.wss?.connectedTo(peer.address, peer.port) ?? false;
    }
  }

  /**
   * A NAT keep-alive (nat-keepalive.ts) to a peer reached over UDP: counted as `keepalive`, not given to
   * the trace (it is no SIP message; sngrep does not list one either).
   */
  sendKeepalive(data: Buffer, to: Peer): void {
    if (to.transport !== 'UDP' || !(to.port >= 1 && to.port <= 65535)) return;
    this.outMessages.inc('keepalive');
    this.udp.send(data, to.address, to.port);
  }

  /**
   * Sends bytes to a peer; `kind` (method or status code) is what the out-counter records; `onError`
   * hears of a transport failure (§18.4); `replyTo`: for a response, its CSeq method (sip_replies_total).
   */
  send(data: Buffer, to: Peer, kind: string, onError?: SendFailureSink, replyTo?: string): void {
    // A Via or Contact can name any port (even 0, from a peer that sent garbage): nothing is sent
    // to a port that cannot exist, and the sender hears of it as a transport error.
    if (!(to.port >= 1 && to.port <= 65535)) {
      this.parseErrors.inc('bad-destination');
      onError?.transportError();
      return;
    }
    this.outMessages.inc(kind);
    if (replyTo !== undefined) this.replies.sent(replyTo, kind);
    // A connection we open has an ephemeral port of ours: the tap hears of the message once the
    // connection says which, so the trace, pcap and HEP show the real ends.
    const stream = to.transport === 'TCP' ? this.tcp : to.transport === 'TLS' ? this.tls : undefined;
    if (stream !== undefined) {
      const onWire = this.tap.active ? this.tapSent(data, to) : undefined;
      stream.send(data, to.address, to.port, onError, to.reconnect, onWire, to.name);
      return;
    }
    // A datagram is tapped as it leaves, at the end of the turn (udp-outbox.ts), a WebSocket message now.
    const onWire = this.tap.active ? this.tapOnWire(data, to) : undefined;
    switch (to.transport) {
      case 'TCP':
        this.udp.send(data, to.address, to.port, onError, onWire); // TCP is off here
        return;
      case 'TLS':
      case 'WS':
      case 'WSS': {
        onWire?.();
        if (to.transport === 'TLS') {
          onError?.transportError(); // TLS is off here
          return;
        }
        const listener = to.transport === 'WS' ? this.ws : this.wss;
        if (listener !== undefined) listener.send(data, to.address, to.port, onError);
        else onError?.transportError(); // that transport is off here
        return;
      }
      default:
        this.udp.send(data, to.address, to.port, onError, onWire);
    }
  }

  /** Taps a message when it leaves (the tap may have gone idle meanwhile). */
  private tapOnWire(data: Buffer, to: Peer): () => void {
    return () => {
      if (this.tap.active)
        this.tap.emit(
          'out',
          data,
          to.transport,
          this.localFor(to.transport, to.address),
          to.address,
          to.port,
        );
    };
  }

  /**
   * Taps a message sent over a connection when it leaves; one whose connection never opened (refused,
   * unreachable, the limit reached) is tapped with that fault: it never left, and the trace says so
   * (pcap and HEP leave it out).
   */
  private tapSent(data: Buffer, to: Peer): WireHandler {
    return (local, address, port) => {
      if (!this.tap.active) return;
      if (local !== undefined) this.tap.emit('out', data, to.transport, local, address, port);
      else {
        const end = this.localFor(to.transport, address);
        this.tap.emit('out', data, to.transport, end, address, port, undefined, NOT_SENT);
      }
    };
  }

  private onDatagram(data: Buffer, source: Peer): void {
    if (isKeepAlive(data)) {
      this.keepAlives.inc();
      return;
    }
    // SIP starts with a letter; a first byte below 0x40 is STUN (RFC 7983 §7) or garbage.
    if (data[0]! < 0x40 && source.transport === 'UDP' && isStun(data)) {
      this.onStun(data, source);
      return;
    }
    this.safely(() => {
      const parsed = parseMessage(data, { maxSize: this.options.maxMessageSize });
      if ((source.transport === 'WS' || source.transport === 'WSS') && !(parsed instanceof SipParseError))
        this.checkOneMessage(data, parsed, source);
      this.receive(parsed, source, data);
    });
  }

  /** RFC 7118 §5.1: one SIP message per WebSocket frame; what follows it is dropped, counted and logged. */
  private checkOneMessage(frame: Buffer, msg: SipMessage, source: Peer): void {
    const extra = bytesAfterMessage(frame, msg);
    if (extra === 0) return;
    this.parseErrors.inc('ws-bytes-after-message');
    this.onMalformed?.(
      source.transport,
      source.address,
      source.port,
      `${extra} bytes after the first message's body in one WebSocket frame (RFC 7118 §5.1: one SIP message per frame; the first was taken)`,
      false,
    );
  }

  /** RFC 5626 §8: a STUN keep-alive on the SIP UDP port is answered there; other STUN is dropped. */
  private onStun(data: Buffer, source: Peer): void {
    const answer = stunBindingResponse(data, source);
    if (answer === undefined) {
      this.parseErrors.inc('stun-not-binding-request');
      return;
    }
    this.stunKeepAlives.inc();
    this.udp.send(answer, source.address, source.port);
  }

  private onStreamItem(item: StreamItem, source: Peer, local: TapEndpoint | undefined): void {
    // RFC 5626 §4.4.1: a CRLFCRLF ping over TCP or TLS (the listener pongs it), counted as one over UDP.
    if (item.kind === 'ping') this.keepAlives.inc();
    else if (item.kind === 'message') this.safely(() => this.receive(item.message, source, undefined, local));
    else if (item.kind === 'invalid' || item.kind === 'fatal')
      this.safely(() => this.receive(item.error, source, item.data, local));
    else if (item.kind === 'http') {
      // No SIP message: not in the trace; counted and said (the listener answers it in HTTP and closes).
      this.parseErrors.inc('http-request');
      this.onMalformed?.(
        source.transport,
        source.address,
        source.port,
        `an HTTP request (${item.requestLine.slice(0, 80)}) on the SIP port: answered HTTP 400 and closed (the console is on HTTP_PORT)`,
        true,
      );
    }
  }

  /** The console's HTTP listener (the headless server sets it once up): told to an HTTP request on a SIP port. */
  set console(c: ConsoleAddress | undefined) {
    if (this.tcp !== undefined) this.tcp.console = c;
    if (this.tls !== undefined) this.tls.console = c;
  }

  /** The listener never stops: whatever a message makes go wrong is counted and the message dropped. */
  private safely(run: () => void): void {
    try {
      run();
    } catch (err) {
      this.parseErrors.inc(err instanceof SipParseError ? err.kind : 'internal');
    }
  }

  /**
   * `raw`: the datagram (a stream message's bytes are its source; a broken stream's, what parsed);
   * `local`: our end of the connection it came on.
   */
  private receive(
    parsed: SipMessage | SipParseError,
    source: Peer,
    raw: Buffer | undefined,
    local?: TapEndpoint,
  ): void {
    const problem = parsed instanceof SipParseError ? parsed : checkMessage(parsed, 'routing');
    if (this.tap.active) this.tapReceived(parsed, problem, source, raw, local);
    if (problem !== null) {
      this.reject(problem, source);
      return;
    }
    const msg = parsed as SipMessage;
    if (msg instanceof SipRequest) {
      this.inRequests.inc(msg.method);
      // §18.2.1 / RFC 3581 §4: record where the request really came from in its top Via.
      const top = msg.topVia;
      const stamped = top.stamped(source.address, source.port);
      if (stamped !== top.raw) msg.replaceTopVia(stamped);
      this.user?.onRequest(msg, source);
    } else {
      const response = msg as SipResponse;
      this.inResponses.inc(String(response.status));
      this.replies.received(response.cseq.method, response.status);
      this.user?.onResponse(response, source);
    }
  }

  private tapReceived(
    parsed: SipMessage | SipParseError,
    problem: SipParseError | null,
    source: Peer,
    raw: Buffer | undefined,
    connection: TapEndpoint | undefined,
  ): void {
    const message = parsed instanceof SipParseError ? parsed.partial : parsed;
    const data = raw ?? message?.source ?? EMPTY;
    const local = connection ?? this.localFor(source.transport, source.address);
    const error = problem === null ? undefined : `${problem.status} ${problem.reason}`;
    this.tap.emit('in', data, source.transport, local, source.address, source.port, message, error);
  }

  private reject(error: SipParseError, source: Peer): void {
    this.parseErrors.inc(error.kind);
    const response = refusalFor(error, source);
    if (response !== undefined) {
      const method = error.partial instanceof SipRequest ? error.partial.method : OTHER_LABEL;
      this.send(response, refusalTarget(error, source), String(error.status), undefined, method);
    }
    this.onMalformed?.(
      source.transport,
      source.address,
      source.port,
      `${error.status} ${error.reason}`,
      response !== undefined,
    );
  }
}
