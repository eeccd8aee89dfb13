// IMS Lab's own SIP user agent (RFC 3261 §8, §12-15), used by the auto dialer: a UAC/UAS core on the
// same transport and transaction layers as the server (its own UDP socket, its own transaction table),
// registering an account with a registrar (registration.ts) and placing calls (outbound-call.ts). It
// answers digest challenges (401/407, MD5 and SHA-256) and in-dialog requests from the far end (BYE,
// re-INVITE, OPTIONS); anything outside its dialogs gets 481 (§12.2.2).
import type { CounterSet } from '../../observe/counters';
import type { Log } from '../../observe/log';
import { addressPort } from '../../address-port';
import { answerChallenge } from '../auth/digest';
import {
  buildRequest,
  escapeUser,
  newBranch,
  newCallId,
  newTag,
  type BuiltRequest,
  type RequestFields,
  type SipRequest,
  type SipResponse,
} from '../message/index';
import { TransactionLayer, type TransactionCore } from '../transaction/layer';
import type { ClientTransaction } from '../transaction/client-transaction';
import type { ServerTransaction } from '../transaction/server-transaction';
import { TimerWheel } from '../transaction/timer-wheel';
import type { TimerBase } from '../transaction/timer-values';
import type { Peer } from '../transport/peer';
import { SipTransport } from '../transport/sip-transport';
import { ALLOW, OutboundCall, type CallRequest } from './outbound-call';

export interface UserAgentOptions {
  /** Address the UA's socket binds, and its port (0: a free one). */
  host: string;
  port: number;
  /** Address written in Via and Contact. */
  advertised: string;
  /** Where every out-of-dialog request goes (the outbound proxy: IMS Lab itself). */
  server: Peer;
  /** Host part of our AOR and of the numbers we call, e.g. the server's address or domain. */
  domain: string;
  username: string;
  password: string;
  /** User-Agent header. */
  product: string;
  counters: CounterSet;
  timerBase: TimerBase;
  log: Log;
  /** The wheel its transactions' and its calls' timers run on (tests give a manual one); a new one by default. */
  timers?: TimerWheel;
}

/** The methods this UA takes (its Allow). */
const ALLOWED: ReadonlySet<string> = new Set(ALLOW.split(', '));
/** SIP's methods (RFC 3261 and its extensions' registry): one of these it does not take is 405, not 501. */
const STANDARD_METHODS: ReadonlySet<string> = new Set([
  ...ALLOWED,
  'REGISTER',
  'INFO',
  'PRACK',
  'SUBSCRIBE',
  'NOTIFY',
  'UPDATE',
  'MESSAGE',
  'REFER',
  'PUBLISH',
]);

/**
 * What sendWithAuth resolves with: the final response, or a status made up for none (408, 503); for a
 * request our own transport could not send, `unsent` says so and why (no bare 503 nobody sent).
 */
export interface SendResult {
  response?: SipResponse;
  status: number;
  unsent?: string;
}

/** What a request sent with sendWithAuth may need rebuilt for its retry. */
export type RequestTemplate = Omit<RequestFields, 'via' | 'cseq'>;

export class UserAgent implements TransactionCore {
  readonly transport: SipTransport;
  readonly layer: TransactionLayer;
  readonly timers: TimerWheel;
  private readonly calls = new Map<string, OutboundCall>();
  private started = false;

  constructor(readonly options: UserAgentOptions) {
    this.timers = options.timers ?? new TimerWheel();
    this.transport = new SipTransport(
      { host: options.host, port: options.port, tcp: false },
      options.counters,
    );
    this.layer = new TransactionLayer(
      this.transport,
      this.timers,
      options.timerBase,
      options.counters,
      options.product,
    );
    this.layer.log = options.log;
    this.transport.attach(this.layer);
    this.layer.attachCore(this);
  }

  async start(): Promise<void> {
    await this.transport.start();
    this.started = true;
  }

  /** Closes the socket and every timer; calls must have been ended first (they are dropped here). */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const call of this.calls.values()) call.abandon('User agent stopped');
    this.calls.clear();
    await this.transport.stop();
    this.timers.clear();
  }

  get port(): number {
    return this.transport.udpPort;
  }

  get aor(): string {
    return `sip:${this.options.username}@${this.options.domain}`;
  }

  get contact(): string {
    return `<sip:${this.options.username}@${addressPort(this.options.advertised, this.port)}>`;
  }

  /** Our top Via for a new client transaction (§8.1.1.7, rport per RFC 3581). */
  via(): string {
    return `SIP/2.0/UDP ${addressPort(this.options.advertised, this.port)};branch=${newBranch()};rport`;
  }

  uriOf(number: string): string {
    return `sip:${escapeUser(number)}@${this.options.domain}`;
  }

  get liveCalls(): number {
    return this.calls.size;
  }

  /**
   * Sends an out-of-dialog non-INVITE request and resolves with its final response, answering one
   * 401/407 challenge with our credentials (§22.2, same Call-ID, CSeq + 1). Timeouts resolve as 408,
   * transport errors as 503 (§8.1.3.1), named and logged.
   */
  sendWithAuth(t: RequestTemplate, cseq: number): Promise<SendResult> {
    return new Promise((resolve) => {
      const attempt = (seq: number, authHeader?: [string, string]): void => {
        const built = buildRequest({
          ...t,
          via: this.via(),
          cseq: seq,
          headers: [...(t.headers ?? []), ...(authHeader ? [authHeader] : [])],
        });
        this.layer.sendRequest(
          built.request,
          this.options.server,
          {
            onResponse: (response) => {
              if (response.status < 200) return;
              const retry =
                authHeader === undefined ? this.authorization(response, t.method, t.uri) : undefined;
              if (retry !== undefined) attempt(seq + 1, retry);
              else resolve({ response, status: response.status });
            },
            onTimeout: () => resolve({ status: 408 }),
            onTransportError: (_tx, err) => {
              const unsent = this.unsent(t.method, err);
              this.options.log.warning(`user agent: ${unsent}`);
              resolve({ status: 503, unsent });
            },
          },
          built.bytes,
        );
      };
      attempt(cseq);
    });
  }

  /** "REGISTER to [::1]:5060 could not be sent from 0.0.0.0:5062: EINVAL": the request our socket refused. */
  private unsent(method: string, err: Error | undefined): string {
    const to = this.options.server;
    const why =
      err === undefined ? 'no transport for it' : ((err as NodeJS.ErrnoException).code ?? err.message);
    return `${method} to ${addressPort(to.address, to.port)} could not be sent from ${addressPort(this.options.host, this.port)}: ${why}`;
  }

  /** The Authorization / Proxy-Authorization answering a 401/407, or undefined. */
  authorization(response: SipResponse, method: string, uri: string, nc = 1): [string, string] | undefined {
    const proxy = response.status === 407;
    if (!proxy && response.status !== 401) return undefined;
    const challenges = response.headerValues(proxy ? 'proxy-authenticate' : 'www-authenticate');
    const value = answerChallenge(
      challenges,
      { username: this.options.username, password: this.options.password },
      method,
      uri,
      nc,
    );
    return value === undefined ? undefined : [proxy ? 'Proxy-Authorization' : 'Authorization', value];
  }

  /** Places a call; its `outcome` resolves when it is over. */
  call(req: CallRequest): OutboundCall {
    const call = new OutboundCall(this, req, {
      callId: newCallId(this.options.advertised),
      fromTag: newTag(),
    });
    this.calls.set(call.callId, call);
    void call.outcome.then(() => this.calls.delete(call.callId));
    call.start();
    return call;
  }

  /** Sends a request into a transaction towards `target`. */
  send(
    built: BuiltRequest,
    target: Peer,
    user: Parameters<TransactionLayer['sendRequest']>[2],
  ): ClientTransaction {
    return this.layer.sendRequest(built.request, target, user, built.bytes);
  }

  /** Sends bytes outside any transaction (the ACK of a 2xx, §13.2.2.4). */
  sendRaw(bytes: Buffer, target: Peer, kind: string): void {
    this.transport.send(bytes, target, kind);
  }

  // ---------------------------------------------------------------- TransactionCore

  onRequest(req: SipRequest, tx: ServerTransaction | undefined, _source: unknown): void {
    const call = this.calls.get(req.callId);
    if (tx === undefined) {
      call?.onAck(req);
      return;
    }
    if (req.method === 'OPTIONS' && call === undefined) {
      tx.reply(200, { headers: [['Allow', ALLOW]] });
      return;
    }
    if (call !== undefined && call.onRequest(req, tx)) return;
    if (req.method === 'INVITE' && req.to.tag === undefined) tx.reply(486);
    // RFC 3261 §8.2.1, before the dialog's 481 (§12.2.2): a method this UA does not take gets 405 with
    // Allow, one it does not know 501 (§21.5.2). A MESSAGE or SUBSCRIBE to the dialer got 481.
    else if (!ALLOWED.has(req.method))
      tx.reply(STANDARD_METHODS.has(req.method) ? 405 : 501, { headers: [['Allow', ALLOW]] });
    else tx.reply(481);
  }

  onStrayResponse(response: SipResponse): void {
    // A 2xx retransmission after the INVITE transaction ended: the call re-sends its ACK.
    if (response.status >= 200 && response.status < 300)
      this.calls.get(response.callId)?.onStray2xx(response);
  }
}
