// The transaction layer (RFC 3261 §17): sits between the transport and the transaction users (the
// registrar, the proxy core, the user agent). Requests that match a server transaction are
// retransmissions (or the ACK of a non-2xx) and are absorbed there; new ones create a transaction and go
// up. Responses go to the client transaction they match; unmatched ones go up as strays (§17.1.3, a
// proxy forwards a 2xx retransmission statelessly, §16.7).
import type { CounterSet, Counter } from '../../observe/counters';
import {
  buildResponse,
  detached,
  isStatelessTag,
  SIP_PARSE_ERROR_KINDS,
  SipParseError,
  statelessTag,
  type SipRequest,
  type SipResponse,
} from '../message/index';
import { responseTarget } from '../transport/response-target';
import type { Log } from '../../observe/log';
import type { Peer } from '../transport/peer';
import type { TransportUser } from '../transport/sip-transport';
import { InviteClientTransaction } from './client-invite';
import { NonInviteClientTransaction } from './client-non-invite';
import type { ClientTransaction, ClientTransactionUser } from './client-transaction';
import { clientKey, responseKey, serverKey } from './keys';
import { InviteServerTransaction } from './server-invite';
import { NonInviteServerTransaction } from './server-non-invite';
import type { ServerTransaction } from './server-transaction';
import { CompletedNonInvite } from './completed-non-invite';
import { AcceptedInviteClient, AcceptedInviteServer, type Relay2xx } from './accepted-invite';
import { LingerQueue } from './linger-queue';
import type { TimerWheel } from './timer-wheel';
import type { TimerBase } from './timer-values';
import type { Transaction, TransactionHost } from './transaction';
import type { SendFailureSink } from '../transport/send-failure';
import { ANSWERED_METHODS } from '../../observe/reply-counts';

export interface TransactionCore {
  /**
   * A request that is not a retransmission. `tx` is its new server transaction; undefined for an ACK
   * that matched none (the ACK of a 2xx, a request of its own, §13.2.2.4 / §17.2.1).
   */
  onRequest(request: SipRequest, tx: ServerTransaction | undefined, source: Peer): void;
  /** A response no client transaction matches. */
  onStrayResponse?(response: SipResponse, source: Peer): void;
  /**
   * Asked before a server transaction is made: a final response to send statelessly (§8.2.7, e.g. a
   * digest challenge), or undefined for the usual stateful handling.
   */
  statelessAnswer?(
    request: SipRequest,
    source: Peer,
  ): { status: number; headers: [string, string][] } | undefined;
}

export interface MessageSender {
  /** `replyTo`: for a response, its request's method (sip_replies_total). */
  send(data: Buffer, to: Peer, kind: string, onError?: SendFailureSink, replyTo?: string): void;
}

export class TransactionLayer implements TransportUser, TransactionHost {
  /**
   * Live server machines, the Completed non-INVITE ones kept compactly until Timer J, and the Accepted
   * INVITE ones of a settled call until Timer L.
   */
  private readonly servers = new Map<string, ServerTransaction | CompletedNonInvite | AcceptedInviteServer>();
  /** Live client machines, and the Accepted INVITE ones of a settled call kept compactly until Timer M. */
  private readonly clients = new Map<string, ClientTransaction | AcceptedInviteClient>();
  /** The compact records of both tables, waiting out their 64*T1. */
  private readonly lingering: LingerQueue<CompletedNonInvite | AcceptedInviteServer | AcceptedInviteClient>;
  private core: TransactionCore | undefined;
  private readonly retransmissions: Counter;
  private readonly absorbed: Counter;
  private readonly lateParseErrors: Counter;
  /** Where faults of the transaction users are reported. */
  log: Log | undefined;
  /**
   * Told of each request refused (400) or dropped when a rule found a malformed header late (the
   * registrar's, a UAS's): the same WARNING, once per address a minute, as the transport's refusals
   * (SipTransport.onMalformed; README: a message refused as malformed is logged and counted).
   */
  onMalformed:
    | ((transport: Peer['transport'], address: string, port: number, why: string, answered: boolean) => void)
    | undefined;
  /**
   * Told of each request a transaction user answered 400 itself once its handling began (a late parse
   * error above, the registrar's checks of Contact and Expires, credentials that cannot be for it): the
   * SIP trace marks it as it marks those the transport refused.
   */
  onRefused: ((request: SipRequest, why: string) => void) | undefined;

  constructor(
    private readonly transport: MessageSender,
    readonly timers: TimerWheel,
    /** Read when each transaction starts, so a changed T1/T2/T4 applies to new transactions. */
    readonly timerBase: TimerBase,
    counters: CounterSet,
    /** The Server header of locally built responses. */
    readonly serverName?: string,
  ) {
    this.retransmissions = counters.counter(
      'sip_retransmissions_total',
      'Retransmissions sent, by method or status code',
      'kind',
    );
    this.lateParseErrors = counters.counter(
      'sip_late_parse_errors_total',
      'Messages refused (400) or dropped when a rule found a malformed header, by problem',
      'kind',
      SIP_PARSE_ERROR_KINDS,
    );
    this.absorbed = counters.counter(
      'sip_retransmissions_absorbed_total',
      'Request retransmissions absorbed by server transactions (answered again from the transaction, not passed on), by method',
      'method',
      ANSWERED_METHODS, // at 0 from the start (an ACK's are not counted)
    );
    this.lingering = new LingerQueue(timers, (c) => {
      if (this.servers.get(c.key) === c) this.servers.delete(c.key);
      else if (this.clients.get(c.key) === c) this.clients.delete(c.key);
    });
  }

  /**
   * Forgets every transaction and compact record without answering any of them, and returns one of each
   * kind it held (a class each). For a stopped user agent's layer, whose timer wheel is cleared too: the
   * start-up rehearsal keeps what it returns (rehearsal.ts).
   */
  clear(): object[] {
    const kinds = new Map<unknown, object>();
    for (const table of [this.servers, this.clients])
      for (const t of table.values()) if (!kinds.has(t.constructor)) kinds.set(t.constructor, t);
    this.servers.clear();
    this.clients.clear();
    this.lingering.clear();
    return [...kinds.values()];
  }

  attachCore(core: TransactionCore): void {
    this.core = core;
  }

  get serverCount(): number {
    return this.servers.size;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  // ---------------------------------------------------------------- from the transport

  onRequest(request: SipRequest, source: Peer): void {
    let key = serverKey(request);
    const existing = this.servers.get(key);
    if (existing !== undefined && !(request.method === 'ACK' && isAccepted(existing))) {
      if (request.method !== 'ACK') this.absorbed.inc(request.method);
      existing.receive(request);
      return;
    }
    if (request.method === 'ACK') {
      // An ACK matching no transaction is a 2xx's (§17.1.1.3), and so is one matching an INVITE transaction
      // in Accepted: RFC 6026 §7.1 passes it to the TU (a phone that reused its INVITE's branch for the ACK
      // lost its call at Timer L's 32 s otherwise). Both go end to end.
      this.guard(request, source, undefined, () => {
        // The ACK of a non-2xx final sent without a transaction (§17.1.1.3) was for us: absorbed here.
        if (!isStatelessTag(request.to.tag)) this.core?.onRequest(request, undefined, source);
      });
      return;
    }
    const stateless = this.statelessAnswer(request, source);
    if (stateless) return;
    let tx: ServerTransaction;
    // The key outlives the request by Timer J/L (32 s): a copy, not a slice of the message (detached.ts).
    key = detached(key);
    if (request.method === 'INVITE') {
      const invite = new InviteServerTransaction(key, this, request, source);
      this.servers.set(key, invite);
      invite.trying();
      tx = invite;
    } else {
      tx = new NonInviteServerTransaction(key, this, request, source);
      this.servers.set(key, tx);
    }
    this.guard(request, source, tx, () => this.core?.onRequest(request, tx, source));
  }

  /** §8.2.7: the core may answer without a transaction; true when it did. */
  private statelessAnswer(request: SipRequest, source: Peer): boolean {
    const ask = this.core?.statelessAnswer;
    if (ask === undefined) return false;
    let answer;
    try {
      answer = ask.call(this.core, request, source);
    } catch {
      return false; // the stateful path answers (and reports) whatever is wrong
    }
    if (answer === undefined) return false;
    const headers =
      this.serverName === undefined
        ? answer.headers
        : [...answer.headers, ['Server', this.serverName] as const];
    const bytes = buildResponse(request, answer.status, { toTag: statelessTag(), headers });
    const target = responseTarget(request.topVia, source);
    this.transport.send(bytes, target, String(answer.status), undefined, request.method);
    return true;
  }

  /**
   * A request found malformed late (a header read only by a rule), answered (`answered`: its 400 sent by
   * the caller) or dropped: counted, and told to onMalformed (the transport's WARNING, once per address a
   * minute). The proxy's routing, asynchronous past a name lookup, tells it here too.
   */
  malformedLate(err: SipParseError, source: Peer, answered: boolean): void {
    this.lateParseErrors.inc(err.kind);
    this.onMalformed?.(
      source.transport,
      source.address,
      source.port,
      `${err.status} ${err.reason}`,
      answered,
    );
  }

  /**
   * Runs the core on a request so that nothing it throws escapes: a header found malformed only when a
   * rule read it (headers are decoded lazily) gets the 400 its parse error names; any other fault a 500
   * and an error in the log. Either way the transaction completes and expires as usual.
   */
  private guard(request: SipRequest, source: Peer, tx: ServerTransaction | undefined, run: () => void): void {
    try {
      run();
    } catch (err) {
      if (err instanceof SipParseError) {
        tx?.reply(err.status, { reason: err.reason });
        this.malformedLate(err, source, tx !== undefined);
        return;
      }
      this.log?.error(
        `${request.method} ${request.uri}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      tx?.reply(500, { reason: 'Server Internal Error' });
    }
  }

  refused(request: SipRequest, why: string): void {
    this.onRefused?.(request, why);
  }

  onResponse(response: SipResponse, source: Peer): void {
    const key = responseKey(response);
    const tx = key === undefined ? undefined : this.clients.get(key);
    try {
      if (tx !== undefined) tx.receive(response);
      else this.core?.onStrayResponse?.(response, source);
    } catch (err) {
      // A response that cannot be handled is dropped (§18.1.2), never a crash.
      if (err instanceof SipParseError) this.lateParseErrors.inc(err.kind);
      else
        this.log?.error(
          `response ${response.status}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        );
    }
  }

  // ---------------------------------------------------------------- for transaction users

  /** Starts a client transaction for a request whose top Via carries our unique branch. */
  sendRequest(
    request: SipRequest,
    target: Peer,
    user: ClientTransactionUser,
    bytes: Buffer = request.toBuffer(),
  ): ClientTransaction {
    const key = detached(clientKey(request.topVia.branch ?? '', request.method));
    const tx =
      request.method === 'INVITE'
        ? new InviteClientTransaction(key, this, request, bytes, target, user)
        : new NonInviteClientTransaction(key, this, request, bytes, target, user);
    this.clients.set(key, tx);
    tx.start();
    return tx;
  }

  /** The INVITE server transaction a CANCEL refers to (§9.2), if it is still there. */
  inviteFor(cancel: SipRequest): InviteServerTransaction | undefined {
    const tx = this.servers.get(serverKey(cancel, 'INVITE'));
    return tx instanceof InviteServerTransaction ? tx : undefined;
  }

  /**
   * Does a CANCEL match a server transaction of `method`, live or kept compactly once answered (§9.2)? A
   * CANCEL names no method: its CSeq's is CANCEL, so the caller asks for each it may be.
   */
  hasServerFor(cancel: SipRequest, method: string): boolean {
    return this.servers.has(serverKey(cancel, method));
  }

  /**
   * The TU is done with a server transaction and the client transactions it started (a proxy's response
   * context once every branch is final). INVITE ones in Accepted (RFC 6026 §7.1, §7.2) are swapped for
   * compact records until Timers L and M (accepted-invite.ts): the server's absorbs INVITE
   * retransmissions, each client's passes a further 2xx through `relay` and on to where the server
   * transaction sent its 2xx. Client transactions in Completed (Timers D and K) let go of the TU. Nothing
   * changes while a client transaction still waits for its final response: that must reach the TU itself.
   */
  settle(
    server: ServerTransaction,
    clients: readonly (ClientTransaction | undefined)[],
    relay: Relay2xx,
  ): void {
    const waiting = (tx: ClientTransaction | undefined): boolean =>
      tx !== undefined && (tx.state === 'Calling' || tx.state === 'Trying' || tx.state === 'Proceeding');
    if (clients.some(waiting)) return;
    let upstream: Peer | undefined;
    if (server instanceof InviteServerTransaction && this.servers.get(server.key) === server) {
      const due = server.retireAccepted();
      if (due !== undefined) {
        const record = new AcceptedInviteServer(server.key, due);
        this.servers.set(server.key, record);
        this.lingering.add(record);
        upstream = server.target;
      }
    }
    for (const tx of clients) {
      if (tx === undefined || this.clients.get(tx.key) !== tx) continue;
      if (tx.state === 'Completed') {
        tx.forgetUser();
        continue;
      }
      if (!(tx instanceof InviteClientTransaction)) continue;
      const due = tx.retireAccepted();
      if (due === undefined) continue;
      const record = new AcceptedInviteClient(tx.key, due, upstream, relay, this);
      this.clients.set(tx.key, record);
      this.lingering.add(record);
    }
  }

  // ---------------------------------------------------------------- TransactionHost

  send(data: Buffer, to: Peer, kind: string, onError?: SendFailureSink, replyTo?: string): void {
    this.transport.send(data, to, kind, onError, replyTo);
  }

  completed(key: string, response: Buffer, target: Peer, kind: string, ms: number, method: string): void {
    const c = new CompletedNonInvite(key, response, target, kind, method, this.timers.time + ms, this);
    this.servers.set(key, c);
    this.lingering.add(c);
  }

  forget(tx: Transaction): void {
    if (this.servers.get(tx.key) === tx) this.servers.delete(tx.key);
    else if (this.clients.get(tx.key) === tx) this.clients.delete(tx.key);
  }

  retransmitted(kind: string): void {
    this.retransmissions.inc(kind);
  }
}

/** An INVITE server transaction in Accepted (RFC 6026 §7.1): the live machine, or the record kept in its place. */
function isAccepted(tx: ServerTransaction | CompletedNonInvite | AcceptedInviteServer): boolean {
  return (
    tx instanceof AcceptedInviteServer || (tx instanceof InviteServerTransaction && tx.state === 'Accepted')
  );
}
