// The SIP stack the appliance builds (transactions → dispatcher → registrar / proxy, call tracker,
// location service), wired to a fake clock and a transport that records what is sent: the proxy's and
// registrar's timers (Timer C, maximum call duration, binding expiry) tested without waiting.
import { CounterSet } from '../../../../core/observe/counters';
import { SILENT_LOG, type Log } from '../../../../core/observe/log';
import { DigestAuthenticator, ha1Values } from '../../../../core/sip/auth/index';
import { accountOf } from '../../../../core/sip/auth/private-identity';
import { Dispatcher } from '../../../../core/sip/dispatcher';
import {
  parseMessage,
  SipParseError,
  SipRequest,
  SipResponse,
  type SipMessage,
} from '../../../../core/sip/message/index';
import { CallTracker } from '../../../../core/sip/proxy/call-tracker';
import { LocalIdentity } from '../../../../core/sip/proxy/local-identity';
import { DialogMarks } from '../../../../core/sip/proxy/dialog-token';
import { Proxy } from '../../../../core/sip/proxy/proxy';
import type { ProxyConfig } from '../../../../core/sip/proxy/proxy-config';
import type { HostLookup } from '../../../../core/sip/transport/host-addresses';
import { LocationService } from '../../../../core/sip/registrar/location';
import { RegEventNotifier } from '../../../../core/sip/proxy/reg-event';
import { GruuMaker } from '../../../../core/sip/registrar/gruu';
import {
  DEFAULT_REGISTRAR,
  Registrar,
  registrationsCounter,
  type RegistrarConfig,
} from '../../../../core/sip/registrar/registrar';
import { TransactionLayer } from '../../../../core/sip/transaction/layer';
import { DEFAULT_TIMERS } from '../../../../core/sip/transaction/timer-values';
import { TimerWheel } from '../../../../core/sip/transaction/timer-wheel';
import type { Peer } from '../../../../core/sip/transport/peer';
import type { CallEvent, MessageEvent, OptionsEvent } from '../../../../core/calls/call';
import { sipBytes } from '../../../support/sip-text';

export const SERVER: Peer = { transport: 'UDP', address: '192.0.2.10', port: 5070 };
export const REALM = 'lab.example';
/** The stack's secret.key: the dialog marks it Record-Routes with are markOf's. */
const INSTALLATION_KEY = Buffer.alloc(32, 9);

/**
 * The mark (;dlg=) the stack's proxy puts on the dialog this Call-ID, From and To set up (dialog-token.ts);
 * From and To as call-steps' inviteLines writes them unless given.
 */
export function markOf(
  callId: string,
  from = `<sip:1001@${SERVER.address}>;tag=caller`,
  to = `<sip:1002@${SERVER.address}>`,
): string {
  const invite = parseMessage(
    sipBytes([
      `INVITE sip:x@${SERVER.address} SIP/2.0`,
      'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-mark',
      `From: ${from}`,
      `To: ${to}`,
      `Call-ID: ${callId}`,
      'CSeq: 1 INVITE',
    ]),
  ) as SipRequest;
  return new DialogMarks(INSTALLATION_KEY).of(invite);
}

export interface Sent {
  to: Peer;
  message: SipMessage;
  /** What the sender called it: a status or method, 'stateless' for the proxy's stateless forwarding. */
  kind: string;
}

/**
 * options.ackWaitMs: how long an answered call waits for the caller's ACK (64*T1 by default); the tests
 * of a caller that never ACKs on purpose set it past their clock. options.log: the proxy's log (silent).
 */
export function stack(
  proxyConfig: Partial<ProxyConfig> = {},
  options: {
    ackWaitMs?: number;
    registrar?: Partial<RegistrarConfig>;
    log?: Log;
    /** How the proxy looks a next hop's host name up (next-hop.ts); the system resolver when absent. */
    lookup?: HostLookup;
  } = {},
) {
  let clock = 1_700_000_000_000;
  const now = (): number => clock;
  /** The wall clock's step from the monotonic one (stepWallClock): the call tracker reads both. */
  let wallStep = 0;
  const timers = new TimerWheel({ manual: true, now });
  const bindingWheel = new TimerWheel({ manual: true, now, tickMs: 1000, slots: 3600 });
  const sent: Sent[] = [];
  /** Peers a send to fails at once, as to a closed WebSocket (the transport's error, synchronously). */
  const unreachable = new Set<string>();
  /** Peers whose connection has closed (the proxy's isConnected says no). */
  const closed = new Set<string>();
  const counters = new CounterSet();
  const layer = new TransactionLayer(
    {
      send(data, to, kind, onError) {
        if (unreachable.has(`${to.address}:${to.port}`)) {
          onError?.transportError();
          return;
        }
        const message = parseMessage(data);
        if (message instanceof SipParseError)
          throw new Error(`sent bytes do not parse: ${message.toString()}`);
        sent.push({ to, message, kind });
      },
    },
    timers,
    { ...DEFAULT_TIMERS },
    counters,
  );
  const passwords: Record<string, string> = { '1001': 'pw1', '1002': 'pw2' };
  /** Account statuses other than ACTIVE, set by a test (MOD USER STATUS=). */
  const statuses: Record<string, string> = {};
  /** When each account was made (a test deleting and adding a user again changes it). */
  const created: Record<string, string> = {};
  const users = {
    credentials(username: string) {
      const pw = passwords[username];
      if (pw === undefined) return undefined;
      return {
        status: statuses[username] ?? 'ACTIVE',
        realm: REALM,
        ha1: ha1Values(username, REALM, pw),
      };
    },
    exists(username: string): boolean {
      const account = accountOf(username);
      return account !== undefined && passwords[account] !== undefined;
    },
  };
  const auth = new DigestAuthenticator(
    {
      realm: REALM,
      algorithms: ['MD5'],
      nonceLifetimeSeconds: 300,
      lockout: { failures: 5, windowSeconds: 60, lockSeconds: 120 },
    },
    users,
    undefined,
    now,
  );
  const location = new LocationService({ log: SILENT_LOG, now, wheel: bindingWheel });
  const identity = new LocalIdentity({
    advertised: SERVER.address,
    bindHost: '0.0.0.0',
    port: SERVER.port,
    domain: REALM,
    domains: [],
    installationKey: INSTALLATION_KEY,
  });
  const registrar = new Registrar(
    {
      ...DEFAULT_REGISTRAR,
      domain: REALM,
      authenticate: false,
      served: identity.served,
      ...options.registrar,
    },
    location,
    auth,
    users,
    now,
  );
  // As the appliance wires it (appliance.ts): the Service-Route a UA behind an edge proxy is given.
  registrar.serviceRoute = (source) => identity.recordRoute(source.transport, undefined, source.address);
  const gruus = new GruuMaker(Buffer.alloc(32, 7));
  registrar.gruus = gruus;
  registrar.registrations = registrationsCounter(counters);
  const config: ProxyConfig = {
    authMethods: [],
    relayForeign: false,
    forking: 'parallel',
    timerCSeconds: 180,
    maxCallSeconds: 0,
    localNetworks: '10.0.0.0/8',
    assertIdentity: false,
    ...proxyConfig,
  };
  const calls = new CallTracker({
    layer,
    timers,
    identity: () => identity,
    maxCallMs: () => config.maxCallSeconds * 1000,
    ...(options.ackWaitMs === undefined ? {} : { ackWaitMs: () => options.ackWaitMs! }),
    gruuUser: (user) => gruus.readTemporary(user)?.user,
    now: () => clock + wallStep,
    elapsed: now,
    byeUnanswered: (call, by) => unansweredByes.push({ callId: call.callId, by }),
  });
  /** BYEs the other party never answered (Timer F), by the Call-ID and who sent them. */
  const unansweredByes: { callId: string; by: 'caller' | 'callee' }[] = [];
  const callEvents: CallEvent[] = [];
  calls.on((e) => callEvents.push(e));
  const messages: MessageEvent[] = [];
  const optionsEvents: OptionsEvent[] = [];
  /** The Call-IDs of BYEs of a marked dialog no call is of (a call set up before a restart). */
  const unknownDialogByes: string[] = [];
  const regEvents = new RegEventNotifier({
    layer,
    timers,
    location,
    identity: () => identity,
    aorOf: (u) => registrar.aorOf(u),
    account: (u) =>
      passwords[u] === undefined
        ? undefined
        : { active: (statuses[u] ?? 'ACTIVE') === 'ACTIVE', created: created[u] ?? '2026-01-01T00:00:00' },
    gruus: { maker: gruus, domain: () => REALM },
    log: SILENT_LOG,
    now,
  });
  const proxy = new Proxy(config, {
    layer,
    timers,
    location,
    users,
    auth,
    aorOf: (u) => registrar.aorOf(u),
    calls,
    log: options.log ?? SILENT_LOG,
    send: (data, to) => layer.send(data, to, 'stateless'),
    isConnected: (p) => !closed.has(`${p.address}:${p.port}`),
    onMessage: (e) => messages.push(e),
    onOptions: (e) => optionsEvents.push(e),
    onUnknownDialogBye: (req) => unknownDialogByes.push(req.callId),
    gruus,
    regEvents,
    counters,
    ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
  });
  proxy.identity = identity;
  const dispatcher = new Dispatcher(registrar, now);
  dispatcher.router = proxy;
  layer.attachCore(dispatcher);

  return {
    layer,
    /** The transaction layer's and proxy's counters (sip_retransmissions_total, sip_unroutable_total...). */
    counters,
    proxy,
    location,
    regEvents,
    statuses,
    /** The users and their passwords: a test may add one (ADD USER). */
    passwords,
    /** The user store as the proxy, registrar and authenticator read it. */
    users,
    /** The digest authenticator (a test may give it a log to read). */
    auth,
    created,
    /** From now on, a send to `peer` fails at once. */
    unreachable(peer: Peer): void {
      unreachable.add(`${peer.address}:${peer.port}`);
    },
    /** From now on, the connection to `peer` has closed. */
    close(peer: Peer): void {
      closed.add(`${peer.address}:${peer.port}`);
    },
    calls,
    callEvents,
    unansweredByes,
    messages,
    optionsEvents,
    unknownDialogByes,
    sent,
    now,
    /** Feeds bytes from `from` as the transport would (received/rport stamped on requests). */
    async receive(lines: string[], from: Peer, body = ''): Promise<void> {
      await this.receiveBytes(sipBytes(lines, body), from);
    },
    /** The same for bytes as they are (a datagram without Content-Length, say). */
    async receiveBytes(data: Buffer, from: Peer): Promise<void> {
      const m = parseMessage(data);
      if (m instanceof SipParseError) throw new Error(`test message does not parse: ${m.toString()}`);
      if (m instanceof SipRequest) {
        const stamped = m.topVia.stamped(from.address, from.port);
        if (stamped !== m.topVia.raw) m.replaceTopVia(stamped);
        layer.onRequest(m, from);
      } else layer.onResponse(m as SipResponse, from);
      // Routing resolves its targets asynchronously: let it run.
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    },
    /** Steps the call tracker's wall clock by `ms` (NTP, an operator), time itself going on as before. */
    stepWallClock(ms: number): void {
      wallStep += ms;
    },
    /** Moves the clock in steps of at most 100 ms (timers fire at their own times). */
    advance(ms: number): void {
      for (let t = 0; t < ms; t += 100) {
        clock += Math.min(100, ms - t);
        timers.advanceTo(clock);
        bindingWheel.advanceTo(clock);
      }
    },
    /** What was sent to `to` since `from` (an index into sent). */
    sentTo(to: Peer, from = 0): SipMessage[] {
      return sent
        .slice(from)
        .filter((s) => s.to.address === to.address && s.to.port === to.port)
        .map((s) => s.message);
    },
  };
}

/** An INVITE from 1001 at `caller` to `uri` (1002's AOR or one of its GRUUs), its branch of the Call-ID. */
export function inviteFrom(caller: Peer, uri: string, callId: string): string[] {
  return [
    `INVITE ${uri} SIP/2.0`,
    `Via: SIP/2.0/UDP ${caller.address}:${caller.port};branch=z9hG4bK-${callId};rport`,
    'Max-Forwards: 70',
    `From: <sip:1001@${SERVER.address}>;tag=caller`,
    `To: <sip:1002@${SERVER.address}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:1001@${caller.address}:${caller.port}>`,
  ];
}

/** A short description of messages: "INVITE", "180", ... */
export function kinds(messages: SipMessage[]): string[] {
  return messages.map((m) => (m instanceof SipRequest ? m.method : String((m as SipResponse).status)));
}
