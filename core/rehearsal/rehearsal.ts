// The start-up rehearsal: before IMS Lab opens its own SIP port, it places a few thousand calls through a
// throwaway copy of itself, on loopback, so that the first real calls run code V8 has already optimised.
// Cold, the first second of a 250 calls/s load queued behind interpreted code (p99 of that step 150-290 ms
// against 16 ms once warm; README, Performance). The copy has its own temporary data folder (database,
// CDR, logs), deleted afterwards: nothing of the rehearsal reaches the real users, bindings, CDR, trace or
// counters. Two of IMS Lab's own user agents play the phones: 1001 calls 1002 (the default users of a
// fresh database), with the registrations (401; refreshed beside the calls, one for every two calls) and
// calls (407, 180, 200, ACK, BYE) a bench sends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Appliance, ApplianceOptions } from '../appliance';
import { loadSettings } from '../config/settings';
import { CounterSet } from '../observe/counters';
import { SILENT_LOG } from '../observe/log';
import { Registration } from '../sip/ua/registration';
import { UserAgent, type UserAgentOptions } from '../sip/ua/user-agent';
import { AnsweringAgent } from './answering-agent';

export interface RehearsalResult {
  /** Calls answered and ended. */
  calls: number;
  /** Calls and registrations that failed (the rehearsal goes on; the real start does not depend on it). */
  failed: number;
  /** Registrations refreshed beside the calls (REGISTER, 401, REGISTER with credentials, 200). */
  registrations: number;
  ms: number;
  /** Why the rehearsal could not run at all (no temporary folder, no loopback...); IMS Lab starts anyway. */
  error?: string;
}

/** Calls in flight at once: enough to keep the copy busy, few enough for a loaded start-up. */
const CONCURRENCY = 20;
/** The rehearsal stops at this, whatever it has done (slow machine, something wrong). */
const TIME_LIMIT_MS = 4000;
const LOOPBACK = '127.0.0.1';

/**
 * One transaction of each kind from the last rehearsal's user agents, kept for the life of the process.
 * V8's optimised code checks the hidden classes ("maps") of the objects it met and holds them weakly:
 * when the last object of a map dies, the code that checked it is thrown away ("weak objects" in
 * --trace-deopt). The agents' objects go through the same transaction and message code as the server's.
 * Measured at 1,000 calls/s from a fresh start (README, Performance, eighth round): the step's p99 went
 * from 172-232 to 80-108 ms with these few kept (the agents' tables emptied: TransactionLayer.clear),
 * and idle RSS stayed at 201-203 MB; keeping the agents' whole tables did as well but held 15-19 MB.
 */
const specimens: object[] = [];

const SDP = Buffer.from(
  'v=0\r\no=rehearsal 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n' +
    'm=audio 9 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n',
);

/**
 * Runs the rehearsal with a new appliance made by `make` (the caller's constructor, so this module does
 * not depend on the appliance's at run time), then stops it and deletes its folder.
 */
export async function rehearse(
  make: (options: ApplianceOptions) => Appliance,
  calls: number,
  /** Aborted when IMS Lab is told to stop while it starts: the rehearsal ends after the calls in flight. */
  signal?: AbortSignal,
  now: () => number = Date.now,
): Promise<RehearsalResult> {
  const started = now();
  let result: RehearsalResult;
  try {
    result = await run(make, calls, signal, now);
  } catch (err) {
    result = {
      calls: 0,
      failed: 0,
      registrations: 0,
      ms: now() - started,
      error: err instanceof Error ? err.message : String(err),
    };
  }
  // Out here the copy is no longer in any scope.
  collectGarbage();
  return result;
}

async function run(
  make: (options: ApplianceOptions) => Appliance,
  calls: number,
  signal: AbortSignal | undefined,
  now: () => number,
): Promise<RehearsalResult> {
  const started = now();
  const dataDir = mkdtempSync(join(tmpdir(), 'ims-rehearsal-'));
  let copy: Appliance | undefined;
  const agents: UserAgent[] = [];
  const registrations: Registration[] = [];
  try {
    const settings = loadSettings(dataDir, {
      SIP_HOST: LOOPBACK,
      SIP_PORT: '0',
      SERVER_IP: LOOPBACK,
      LOG_LEVEL: 'ERROR',
      SIP_WARMUP_CALLS: '0',
      // UDP only: no TLS certificate to make, and none of the real listeners' ports taken meanwhile.
      SIP_TLS_PORT: '0',
      SIP_WS_PORT: '0',
      SIP_WSS_PORT: '0',
    });
    settings.set('SIP.TCP', false);
    copy = make({ dataDir, settings, console: false, tuneGc: false });
    await copy.start();
    const timerBase = copy.timerBase;
    const server = { transport: 'UDP' as const, address: LOOPBACK, port: copy.transport.udpPort };
    const agent = (username: string): UserAgentOptions => ({
      host: LOOPBACK,
      port: 0,
      advertised: LOOPBACK,
      server,
      domain: LOOPBACK,
      username,
      password: username,
      product: 'IMS Lab rehearsal',
      counters: new CounterSet(),
      timerBase,
      log: SILENT_LOG,
    });
    const caller = new UserAgent(agent('1001'));
    const callee = new AnsweringAgent(agent('1002'));
    callee.answer = SDP;
    agents.push(caller, callee);
    await Promise.all(agents.map((a) => a.start()));
    for (const a of agents) {
      const registration = new Registration(a, 3600);
      registrations.push(registration);
      const r = await registration.register();
      if (!r.ok) throw new Error(`rehearsal: ${a.options.username} not registered (${r.status} ${r.reason})`);
    }
    let placed = 0;
    let answered = 0;
    let failed = 0;
    const one = async (): Promise<void> => {
      while (placed < calls && now() - started < TIME_LIMIT_MS && signal?.aborted !== true) {
        placed++;
        const call = caller.call({ number: '1002', sdp: SDP });
        call.events = { answered: () => call.hangup() };
        const outcome = await call.outcome;
        if (outcome.answered) answered++;
        else failed++;
      }
    };
    // Registrations too, beside the calls: a REGISTER load (or a bench's first REGISTER) would otherwise
    // reach code optimised on calls alone, which V8 throws away at the first REGISTER it was not
    // specialised for (--trace-deopt: checkMessage "insufficient type feedback"), and a load that
    // follows waits for it to be optimised again.
    let refreshed = 0;
    const refresh = async (): Promise<void> => {
      const target = Math.floor(calls / 2);
      while (refreshed < target && now() - started < TIME_LIMIT_MS && signal?.aborted !== true)
        if ((await registrations[refreshed % registrations.length]!.register()).ok) refreshed++;
        else failed++;
    };
    await Promise.all([...Array.from({ length: CONCURRENCY }, one), refresh()]);
    return { calls: answered, failed, registrations: refreshed, ms: now() - started };
  } finally {
    // A registration's refresh timer would keep its agent, and every call it made, for 30 minutes.
    for (const r of registrations) r.stopRefresh();
    await Promise.all(agents.map((a) => a.stop().catch(() => undefined)));
    specimens.splice(0, specimens.length, ...agents.flatMap((a) => a.layer.clear()));
    await copy?.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The copy and its thousands of calls are garbage now, with their buffers (about 130 MB of heap and
 * external memory): one full collection hands it back before IMS Lab serves, instead of whenever V8 next
 * needs one (measured: RSS idle after start-up 206 MB without it). V8 exposes gc() only behind a flag,
 * which is set for this call and has no other effect.
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
