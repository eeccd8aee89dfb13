// The transport layer (RFC 3261 §18): UDP and TCP listeners on one address, each message parsed and
// checked before anything acts on it, server-side received/rport stamping (§18.2.1, RFC 3581 §4), and
// the answer to what cannot be understood: a malformed request gets a 400 (505, 513) with the reason
// when enough of it parsed to answer; otherwise, and for responses, it is dropped and counted. The
// listeners never stop on bad input.
import type { CounterSet } from '../../observe/counters';
import {
  SipParseError,
  SipRequest,
  SipResponse,
  buildResponse,
  checkMessage,
  newTag,
  parseMessage,
  type SipMessage,
  type StreamItem,
} from '../message/index';
import { MessageTap, type TapEndpoint } from './message-tap';
import type { Peer, TransportName } from './peer';
import { TcpListener } from './tcp';
import { UdpListener } from './udp';

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

/** Can a 400 be built and routed from what was parsed (§8.2.6: Via, From, To, Call-ID, CSeq copied)? */
function answerable(m: SipMessage): m is SipRequest {
  if (!(m instanceof SipRequest) || m.method === 'ACK') return false;
  for (const n of ['via', 'from', 'to', 'call-id', 'cseq']) if (m.indexOf(n) < 0) return false;
  return true;
}

export class SipTransport {
  private readonly udp: UdpListener;
  private readonly tcp: TcpListener | undefined;
  private user: TransportUser | undefined;
  udpPort = 0;
  tcpPort = 0;
  /**
   * Every message in and out, raw, for the SIP trace, the log's DEBUG lines and HEP (message-tap.ts).
   * Received messages are tapped once parsed and checked (with the fault when they failed), before
   * anything acts on them, so a message always comes before the answers it causes.
   */
  readonly tap = new MessageTap();
  /** Our end of each message, per transport; a wildcard bind is reported as the advertised address. */
  private readonly localUdp: TapEndpoint = { address: '', port: 0 };
  private readonly localTcp: TapEndpoint = { address: '', port: 0 };
  private readonly loopbackUdp: TapEndpoint = { address: '127.0.0.1', port: 0 };
  private readonly loopbackTcp: TapEndpoint = { address: '127.0.0.1', port: 0 };

  private readonly inRequests;
  private readonly inResponses;
  private readonly outMessages;
  private readonly parseErrors;
  private readonly keepAlives;

  constructor(
    private readonly options: TransportOptions,
    counters: CounterSet,
  ) {
    this.udp = new UdpListener((data, source) => this.onDatagram(data, source));
    if (options.tcp) {
      this.tcp = new TcpListener((item, source) => this.onStreamItem(item, source), {
        maxMessageSize: options.maxMessageSize ?? 65535,
      });
    }
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
    );
    this.keepAlives = counters.counter('sip_keepalives_total', 'CRLF keep-alives received');
  }

  /** The layer above: the transaction layer. */
  attach(user: TransportUser): void {
    this.user = user;
  }

  async start(): Promise<void> {
    this.udpPort = await this.udp.bind(this.options.host, this.options.port);
    if (this.tcp) this.tcpPort = await this.tcp.listen(this.options.host, this.udpPort);
    this.localUdp.port = this.loopbackUdp.port = this.udpPort;
    this.localTcp.port = this.loopbackTcp.port = this.tcpPort;
    if (!isWildcard(this.options.host)) this.advertise(this.options.host);
  }

  /** The address the tap reports as ours when the listeners are bound to every interface. */
  advertise(address: string): void {
    if (!isWildcard(this.options.host)) address = this.options.host;
    this.localUdp.address = this.localTcp.address = address;
    const v6 = address.includes(':');
    this.loopbackUdp.address = this.loopbackTcp.address = v6 ? '::1' : '127.0.0.1';
  }

  /** Our end of a message to or from `remote` (a loopback peer is reached from loopback). */
  private localFor(transport: TransportName, remote: string): TapEndpoint {
    const loop =
      isWildcard(this.options.host) &&
      (remote.startsWith('127.') || remote === '::1' || this.localUdp.address === '');
    if (transport === 'UDP') return loop ? this.loopbackUdp : this.localUdp;
    return loop ? this.loopbackTcp : this.localTcp;
  }

  async stop(): Promise<void> {
    await Promise.all([this.udp.close(), this.tcp?.close()]);
  }

  /**
   * Sends bytes to a peer; `kind` (method or status code) is what the out-counter records; `onError`
   * hears of a transport failure (§18.4).
   */
  send(data: Buffer, to: Peer, kind: string, onError?: () => void): void {
    // A Via or Contact can name any port (even 0, from a peer that sent garbage): nothing is sent
    // to a port that cannot exist, and the sender hears of it as a transport error.
    if (!(to.port >= 1 && to.port <= 65535)) {
      this.parseErrors.inc('bad-destination');
      onError?.();
      return;
    }
    this.outMessages.inc(kind);
    if (this.tap.active)
      this.tap.emit('out', data, to.transport, this.localFor(to.transport, to.address), to.address, to.port);
    if (to.transport === 'TCP' && this.tcp !== undefined) this.tcp.send(data, to.address, to.port, onError);
    else this.udp.send(data, to.address, to.port, onError);
  }

  private onDatagram(data: Buffer, source: Peer): void {
    if (isKeepAlive(data)) {
      this.keepAlives.inc();
      return;
    }
    this.safely(() =>
      this.receive(parseMessage(data, { maxSize: this.options.maxMessageSize }), source, data),
    );
  }

  private onStreamItem(item: StreamItem, source: Peer): void {
    if (item.kind === 'message') this.safely(() => this.receive(item.message, source, undefined));
    else if (item.kind === 'invalid' || item.kind === 'fatal')
      this.safely(() => this.receive(item.error, source, undefined));
  }

  /** The listener never stops: whatever a message makes go wrong is counted and the message dropped. */
  private safely(run: () => void): void {
    try {
      run();
    } catch (err) {
      this.parseErrors.inc(err instanceof SipParseError ? err.kind : 'internal');
    }
  }

  /** `raw`: the datagram (a stream message's bytes are its source; a broken stream's, what parsed). */
  private receive(parsed: SipMessage | SipParseError, source: Peer, raw: Buffer | undefined): void {
    const problem = parsed instanceof SipParseError ? parsed : checkMessage(parsed, 'routing');
    if (this.tap.active) this.tapReceived(parsed, problem, source, raw);
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
      this.inResponses.inc(String((msg as SipResponse).status));
      this.user?.onResponse(msg as SipResponse, source);
    }
  }

  private tapReceived(
    parsed: SipMessage | SipParseError,
    problem: SipParseError | null,
    source: Peer,
    raw: Buffer | undefined,
  ): void {
    const message = parsed instanceof SipParseError ? parsed.partial : parsed;
    const data = raw ?? message?.source ?? EMPTY;
    const local = this.localFor(source.transport, source.address);
    const error = problem === null ? undefined : `${problem.status} ${problem.reason}`;
    this.tap.emit('in', data, source.transport, local, source.address, source.port, message, error);
  }

  private reject(error: SipParseError, source: Peer): void {
    this.parseErrors.inc(error.kind);
    const partial = error.partial;
    if (partial === undefined || !answerable(partial)) return;
    const response = buildResponse(partial, error.status, { reason: error.reason, toTag: newTag() });
    this.send(response, source, String(error.status));
  }
}
