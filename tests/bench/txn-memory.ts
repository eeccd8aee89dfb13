// What an answered call leaves in the heap while its transactions wait out Timers L and M (RFC 6026,
// 64*T1 = 32 s): drives CALLS calls through the transaction layer, dispatcher, proxy and call tracker
// in-process (no sockets; the fake transport hands each datagram a fresh source address string, as
// rinfo does), each INVITE → 100 → 180 → 200, then BYE → 200, CALLS_PER_S of them per second of a fake
// clock, then prints heapUsed after a forced GC with every call still inside Timers L/M, less the heap
// before the calls, per call. Bounded by CALLS (default 20,000: 20 s of fake time at 1,000 calls/s).
// Runs against any build of core/ (udp-peers.ts is used when it exists). Run:
//   node --expose-gc --import tsx tests/bench/txn-memory.ts
import { CounterSet } from '../../core/observe/counters';
import { SILENT_LOG } from '../../core/observe/log';
import { DigestAuthenticator, ha1 } from '../../core/sip/auth/index';
import { Dispatcher } from '../../core/sip/dispatcher';
import { buildResponse, parseMessage, SipRequest, type SipResponse } from '../../core/sip/message/index';
import { CallTracker } from '../../core/sip/proxy/call-tracker';
import { LocalIdentity } from '../../core/sip/proxy/local-identity';
import { Proxy } from '../../core/sip/proxy/proxy';
import type { ProxyConfig } from '../../core/sip/proxy/proxy-config';
import { LocationService } from '../../core/sip/registrar/location';
import { DEFAULT_REGISTRAR, Registrar } from '../../core/sip/registrar/registrar';
import { TransactionLayer } from '../../core/sip/transaction/layer';
import { DEFAULT_TIMERS } from '../../core/sip/transaction/timer-values';
import { TimerWheel } from '../../core/sip/transaction/timer-wheel';
import type { Peer } from '../../core/sip/transport/peer';

const CALLS = Number(process.env.CALLS ?? 20_000);
const CALLS_PER_S = Number(process.env.CALLS_PER_S ?? 1_000);
const ADDRESS = Buffer.from('127.0.0.1', 'latin1');
const CALLER_PORT = 5062;
const CALLEE_PORT = 5064;
const PROXY = '127.0.0.1:5060';

const gc: () => void =
  (globalThis as { gc?: () => void }).gc ??
  ((): void => {
    throw new Error('run with node --expose-gc');
  });

/** The source Peer of a datagram, as the UDP listener makes it (shared where udp-peers.ts exists). */
async function sourcePeers(): Promise<(port: number) => Peer> {
  try {
    const path = '../../core/sip/transport/udp-peers';
    const m = (await import(path)) as { UdpPeers: new () => { peer(a: string, p: number): Peer } };
    const peers = new m.UdpPeers();
    console.log('source peers: udp-peers.ts');
    return (port) => peers.peer(ADDRESS.toString('latin1'), port);
  } catch {
    console.log('source peers: one per datagram');
    return (port) => ({ transport: 'UDP', address: ADDRESS.toString('latin1'), port });
  }
}

async function main(): Promise<void> {
  const source = await sourcePeers();
  let clock = 1_700_000_000_000;
  const now = (): number => clock;
  const timers = new TimerWheel({ manual: true, now });
  const bindingWheel = new TimerWheel({ manual: true, now, tickMs: 1000, slots: 3600 });
  /** The last request the proxy sent to the callee, which the callee answers. */
  let toCallee: Buffer | undefined;
  const layer = new TransactionLayer(
    {
      send(data, to) {
        if (to.port === CALLEE_PORT && data[0] !== 0x53 /* 'S': a response */) toCallee = data;
      },
    },
    timers,
    { ...DEFAULT_TIMERS },
    new CounterSet(),
  );
  const users = {
    credentials(username: string) {
      return {
        status: 'ACTIVE',
        realm: 'lab',
        ha1: { MD5: ha1('MD5', username, 'lab', 'pw'), 'SHA-256': ha1('SHA-256', username, 'lab', 'pw') },
      };
    },
    exists: () => true,
  };
  const auth = new DigestAuthenticator(
    {
      realm: 'lab',
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
    advertised: '127.0.0.1',
    bindHost: '0.0.0.0',
    port: 5060,
    domain: '127.0.0.1',
    domains: [],
  });
  const registrar = new Registrar(
    { ...DEFAULT_REGISTRAR, domain: '127.0.0.1', authenticate: false, served: identity.served },
    location,
    auth,
    users,
    now,
  );
  const config: ProxyConfig = {
    authMethods: [],
    relayForeign: false,
    forking: 'parallel',
    timerCSeconds: 180,
    maxCallSeconds: 0,
    localNetworks: '10.0.0.0/8',
    assertIdentity: false,
  };
  const calls = new CallTracker({ layer, timers, identity: () => identity, maxCallMs: () => 0, now });
  const proxy = new Proxy(config, {
    layer,
    timers,
    location,
    users,
    auth,
    aorOf: (u) => registrar.aorOf(u),
    calls,
    log: SILENT_LOG,
    send: (data, to) => layer.send(data, to, 'stateless'),
  });
  proxy.identity = identity;
  const dispatcher = new Dispatcher(registrar);
  dispatcher.router = proxy;
  layer.attachCore(dispatcher);

  const settle = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  };
  const request = async (text: string, port: number): Promise<void> => {
    const m = parseMessage(Buffer.from(text, 'latin1')) as SipRequest;
    const from = source(port);
    const stamped = m.topVia.stamped(from.address, from.port);
    if (stamped !== m.topVia.raw) m.replaceTopVia(stamped);
    layer.onRequest(m, from);
    await settle();
  };
  const answer = (status: number, headers: [string, string][] = []): void => {
    const req = parseMessage(toCallee!) as SipRequest;
    const bytes = buildResponse(req, status, { toTag: 'callee', headers });
    layer.onResponse(parseMessage(bytes) as SipResponse, source(CALLEE_PORT));
  };
  const lines = (l: string[]): string => `${l.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`;

  await request(
    lines([
      `REGISTER sip:${PROXY} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${CALLEE_PORT};branch=z9hG4bK-reg;rport`,
      'Max-Forwards: 70',
      'From: <sip:1002@127.0.0.1>;tag=r',
      'To: <sip:1002@127.0.0.1>',
      'Call-ID: reg-1002',
      'CSeq: 1 REGISTER',
      `Contact: <sip:1002@127.0.0.1:${CALLEE_PORT}>`,
      'Expires: 3600',
    ]),
    CALLEE_PORT,
  );
  const step = 1000 / CALLS_PER_S;
  const call = async (i: number): Promise<void> => {
    const dialog = [
      `From: <sip:1001@127.0.0.1>;tag=${i}SIPpTag00`,
      `Call-ID: ${i}-call@127.0.0.1`,
      `Contact: <sip:1001@127.0.0.1:${CALLER_PORT}>`,
      'Max-Forwards: 70',
    ];
    await request(
      lines([
        `INVITE sip:1002@${PROXY} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${CALLER_PORT};branch=z9hG4bK-${i}-1;rport`,
        ...dialog,
        'To: <sip:1002@127.0.0.1>',
        'CSeq: 1 INVITE',
      ]),
      CALLER_PORT,
    );
    const contact: [string, string][] = [['Contact', `<sip:1002@127.0.0.1:${CALLEE_PORT}>`]];
    answer(100);
    answer(180, contact);
    answer(200, contact);
    await request(
      lines([
        `BYE sip:1002@${PROXY} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${CALLER_PORT};branch=z9hG4bK-${i}-2;rport`,
        ...dialog,
        'To: <sip:1002@127.0.0.1>;tag=callee',
        'CSeq: 2 BYE',
      ]),
      CALLER_PORT,
    );
    answer(200);
  };

  // Warm up (code, maps' first growth), then let it all expire, then measure from there.
  for (let i = 0; i < 2_000; i++) {
    await call(-1 - i);
    clock += step;
    timers.advanceTo(clock);
  }
  clock += 40_000;
  timers.advanceTo(clock);
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const start = clock;
  for (let i = 0; i < CALLS; i++) {
    await call(i);
    clock += step;
    timers.advanceTo(clock);
  }
  if (clock - start >= 32_000) console.log('warning: the first calls are past Timers L and M');
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  const perCall = (after - before) / CALLS;
  console.log(
    `calls ${CALLS} over ${((clock - start) / 1000).toFixed(1)} s (fake clock); layer: ${layer.serverCount} server, ` +
      `${layer.clientCount} client entries; live calls ${calls.list().length}`,
  );
  console.log(
    `heapUsed before ${(before / 1e6).toFixed(1)} MB, after ${(after / 1e6).toFixed(1)} MB: ` +
      `${Math.round(perCall)} bytes per lingering call`,
  );
  timers.clear();
  bindingWheel.clear();
}

void main();
