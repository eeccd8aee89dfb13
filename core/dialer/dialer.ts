// The auto dialer (reference §6, fixed): STR DIALSVC starts a user agent on its own SIP port and
// registers the dialer's account with IMS Lab itself (creating the account if it does not exist);
// campaigns then place calls through the proxy like any registered phone, so every call is routed,
// authenticated (407) and recorded (CDR) as usual, the CDR row marked as the dialer's with its RTP
// figures. STP DIALSVC (and the appliance's stop) ends every call with BYE or CANCEL, unregisters, and
// closes the SIP socket, the RTP ports and every timer.
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import type { Call } from '../calls/call';
import { dialerAddressProblem } from '../config/dialer-address';
import { SHUTDOWN_FIELDS, SHUTDOWN_REASON } from '../cdr/from-events';
import { campaignId } from '../cdr/campaign-id';
import type { NewCdrRecord } from '../cdr/record';
import type { CallAnnotation } from '../cdr/recorder';
import type { CounterSet } from '../observe/counters';
import type { Log } from '../observe/log';
import { encodeG711, type G711Law } from '../media/g711';
import { MediaClock } from '../media/media-clock';
import { PACKET_MS } from '../media/packet-schedule';
import { RtpPortPool } from '../media/port-pool';
import { dtmfEndMs, DTMF_START_MS, SAMPLES_PER_PACKET } from '../media/rtp-session';
import { listPrompts, savePrompt } from '../media/prompt-files';
import { PromptError, readPrompt } from '../media/wav';
import { ha1 } from '../sip/auth/ha1';
import { refusalWithAdvice } from '../sip/auth/lockout-advice';
import type { TimerBase } from '../sip/transaction/timer-values';
import { Registration, type RegistrationResult } from '../sip/ua/registration';
import { UserAgent } from '../sip/ua/user-agent';
import { samePeer, unmapped, type Peer } from '../sip/transport/peer';
import type { MessageTap } from '../sip/transport/message-tap';
import type { UserStore } from '../store/types';
import { MEDIA_OUTSIDE, mediaCandidates, mediaRoots } from './media-file';
import { Campaign, type CampaignEvent, type CampaignSnapshot } from './campaign';
import { CAMPAIGNS_KEPT, type CampaignHistory } from './campaign-history';
import type { CallResult, Totals } from './statistics';
import { addressPort } from '../address-port';
import { portCapNote } from './port-cap';

/**
 * The address the dialer's socket binds when DIALER.LOCAL_IP is empty ("the server's address"): a
 * loopback server's own address, else any address of the server's family (an IPv4 socket cannot send to
 * an IPv6 server: its REGISTER never left).
 */
export function socketHostFor(serverAddress: string): string {
  if (serverAddress === '127.0.0.1' || serverAddress === '::1') return serverAddress;
  return serverAddress.includes(':') ? '::' : '0.0.0.0';
}

export interface DialerConfig {
  username: string;
  password: string;
  /** Address the dialer's SIP and RTP sockets bind and advertise; '' = the server's address. */
  localIp: string;
  localPort: number;
  rtpPortMin: number;
  rtpPortMax: number;
  mediaFile: string;
  concurrency: number;
  rate: number;
  registerExpires: number;
  ringTimeoutSeconds: number;
}

export interface DialerDeps {
  config: () => DialerConfig;
  /** The server's SIP address and UDP port, once it has started. */
  /** The SIP server's UDP address and port; address6 its IPv6 address, when it serves IPv6 (SERVER_IP6). */
  server: () => { address: string; port: number; address6?: string } | undefined;
  /** The domain of our AOR and of the numbers called (SIP.DOMAIN). */
  domain: () => string;
  users: UserStore;
  dataDir: string;
  /** Where IMS Lab itself is installed, whose media/ holds the prompts it ships (default.wav). */
  appDirs?: readonly string[];
  counters: CounterSet;
  timerBase: TimerBase;
  product: string;
  log: Log;
  /** The wall clock (default Date.now): the times of day calls and campaigns start at. */
  now?: () => number;
  /** The steady clock their durations are measured on (default: `now` when given, else performance.now). */
  elapsed?: () => number;
  /**
   * Keeps the last campaign number across restarts, so that C0003 is never two campaigns (their
   * recordings share recordings/<id>/); without it, numbering starts at C0001.
   */
  campaignNumbers?: { last(): number; save(n: number): void };
  /** The last campaigns' summaries, kept across restarts (campaign-history.ts). */
  campaignHistory?: CampaignHistory;
  /**
   * The dialer's own account was made INACTIVE (disableOwnAccount): its other bindings go (a phone that
   * registered as it meanwhile), as MOD USER STATUS= does. Returns how many.
   */
  accountDisabled?: (username: string) => number;
  /** Told of each user agent started: the SIP trace follows its socket's tap (agent-trace.ts). */
  agentTap?: (tap: MessageTap) => void;
}

export type DialerState = 'stopped' | 'starting' | 'running' | 'stopping';

/** The operator who stopped campaigns (an MML user, `admin@192.0.2.6`) and the command (STP CALL). */
export interface StoppedBy {
  who: string;
  command: string;
}

export interface CampaignRequest {
  numbers: string[];
  mediaFile?: string;
  durationSeconds: number;
  concurrency?: number;
  rate?: number;
  dtmf?: string;
  record?: boolean;
}

export type DialerEvent =
  CampaignEvent | { type: 'service'; state: DialerState; registered: boolean; message?: string };

export interface DialerSnapshot {
  state: DialerState;
  registered: boolean;
  account: string;
  local?: { address: string; port: number };
  server?: { address: string; port: number };
  startedAt?: number;
  /** Seconds since STR DIALSVC, on the monotonic clock (a wall clock stepped back made it negative). */
  uptimeSeconds?: number;
  registration?: RegistrationResult;
  rtpPortsInUse: number;
  campaigns: CampaignSnapshot[];
  totals: Totals;
  /** The prompts offered for MEDIA_FILE (media/*.wav where resolveMedia looks). */
  mediaFiles: string[];
}

function plus(a: Totals, b: Totals): Totals {
  return {
    placed: a.placed + b.placed,
    answered: a.answered + b.answered,
    failed: a.failed + b.failed,
    cancelled: a.cancelled + b.cancelled,
  };
}

export class DialerError extends Error {
  override name = 'DialerError';
}

/** DTMF that cannot be sent within the call's media (STR CALL names the parameter DTMF). */
export class DtmfFitError extends DialerError {
  override name = 'DtmfFitError';
}

/** Campaigns kept for DSP DIALSVC once finished. */
const KEPT_CAMPAIGNS = 20;

/** The display name of the account the dialer creates (and so may set the password of). */
const DIALER_DISPLAY_NAME = 'Auto dialer';

export class Dialer {
  state: DialerState = 'stopped';
  private ua: UserAgent | undefined;
  private registration: Registration | undefined;
  private readonly clock = new MediaClock();
  private readonly pool: RtpPortPool;
  private readonly campaigns = new Map<string, Campaign>();
  private readonly listeners = new Set<(e: DialerEvent) => void>();
  private startedAt: number | undefined;
  /** performance.now() at STR DIALSVC: the uptime. */
  private startedElapsed = 0;
  private nextId: number;
  private readonly now: () => number;
  /** The steady clock a call's and a campaign's durations are measured on (anchored-clock.ts). */
  private readonly elapsed: () => number;
  /** What campaigns trimmed from the list had counted. */
  private retired: Totals = { placed: 0, answered: 0, failed: 0, cancelled: 0 };
  private advertised = '';
  /** Where the user agent's socket sends from, while it is open (sendsFrom). */
  private socket: Peer | undefined;
  /** The configuration STR DIALSVC started with. */
  private inEffect: DialerConfig | undefined;
  /** The start under way (state starting): a stop meanwhile waits for it to end (stop). */
  private starting: Promise<unknown> | undefined;
  /** The stop under way (state stopping): another stop meanwhile answers when it has ended. */
  private stopping: Promise<void> | undefined;
  /** Set by the benchmark: hears each RTP packet's send lateness (ms) of campaigns started afterwards. */
  sendProbe: ((latenessMs: number) => void) | undefined;

  constructor(private readonly deps: DialerDeps) {
    const c = deps.config();
    this.pool = new RtpPortPool(c.rtpPortMin, c.rtpPortMax);
    // A pair given back lets a call waiting for one go, whichever campaign's it is (the pairs are shared).
    this.pool.onRelease(() => {
      for (const campaign of this.campaigns.values()) campaign.wake();
    });
    // Said once a port: a range shared with phones or SIPp on the host makes calls wait, not fail.
    this.pool.onHeld = (port, why, usable) =>
      deps.log.warning(
        `dialer: RTP port ${port} is held by another program (${why}): its pair is left out, ` +
          `${usable} of the ${this.pool.capacity} pairs of DIALER.RTP_PORT_MIN-MAX usable; calls beyond them wait`,
      );
    this.now = deps.now ?? Date.now;
    // A test's fake wall clock drives both (as the call tracker's do); else the steady clock.
    this.elapsed = deps.elapsed ?? deps.now ?? (() => performance.now());
    this.clock.onError = (err) => deps.log.error(`media: ${String(err)}`);
    this.nextId = (deps.campaignNumbers?.last() ?? 0) + 1;
    this.history = deps.campaignHistory?.load() ?? [];
  }

  on(listener: (e: DialerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: DialerEvent): void {
    if (e.type === 'call') this.rememberEnded(e.campaignId, e.result);
    if (e.type === 'progress' && (e.campaign.state === 'finished' || e.campaign.state === 'stopped'))
      this.keepSummary(e.campaign);
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.deps.log.error(`a dialer listener failed: ${String(err)}`);
      }
    }
  }

  /** RTP port pairs the range DIALER.RTP_PORT_MIN..MAX gives: calls at once, at most. */
  get rtpPortPairs(): number {
    return this.pool.capacity;
  }

  get registered(): boolean {
    return this.registration?.registered ?? false;
  }

  /**
   * Did this request come from the dialer's own SIP socket (open now, starting or running)? Its UDP
   * port at the address it sends from (DIALER.LOCAL_IP, else the server's own address, which the kernel
   * gives a socket bound to any address for a packet to that address). Only this process holds that
   * socket; a packet from elsewhere claiming a local source address is dropped by the kernel (Linux
   * accept_local 0, reverse-path filtering), and the answers would go to the dialer's socket, not the
   * forger's. Any other port of the address (a SIPp run beside it, or the port once the dialer stops) is
   * not it. The lock-out leaves the dialer alone on this (authenticator.ts ownAgent).
   */
  sendsFrom(source: Peer): boolean {
    const own = this.socket;
    return own !== undefined && samePeer(own, { ...source, address: unmapped(source.address) });
  }

  /** Campaigns still placing calls (the desktop asks before a quit would end them). */
  get runningCampaigns(): number {
    let running = 0;
    for (const c of this.campaigns.values()) if (c.state === 'running') running++;
    return running;
  }

  /**
   * DIALER.RTP_PORT_MIN/MAX changed: new calls take ports in the new range (calls up keep theirs). A
   * range left empty by one of the two changes waits for the other (STR DIALSVC names it if it stays).
   */
  applyPortRange(): void {
    const c = this.deps.config();
    if (c.rtpPortMin < c.rtpPortMax) this.pool.reconfigure(c.rtpPortMin, c.rtpPortMax);
  }

  /**
   * The settings changed since STR DIALSVC that wait for the next one (the account and the SIP socket
   * it registered), as KEY=value; none while stopped.
   */
  pendingSettings(): string[] {
    const was = this.inEffect;
    if (was === undefined || this.ua === undefined) return [];
    const now = this.deps.config();
    const out: string[] = [];
    const differs = (key: string, a: unknown, b: unknown, shown = String(b)): void => {
      if (a !== b) out.push(`${key}=${shown}`);
    };
    differs('DIALER.USERNAME', was.username, now.username);
    differs('DIALER.PASSWORD', was.password, now.password, '*****');
    differs('DIALER.LOCAL_IP', was.localIp, now.localIp);
    differs('DIALER.LOCAL_PORT', was.localPort, now.localPort);
    differs('DIALER.REG_LIFETIME', was.registerExpires, now.registerExpires);
    return out;
  }

  /** The appliance's stop is ending the dialer's calls (their CDR rows say so: rememberEnded). */
  private shuttingDown = false;

  /**
   * The account of the last start: created by it, the dialer's own from an earlier one (both named "Auto
   * dialer", INACTIVE while the dialer is stopped), or a user of the operator's (STR DIALSVC says which).
   */
  account: 'created' | 'own' | 'user' | undefined;

  /** The last start created the dialer's account (a user of its own: STR DIALSVC says so). */
  get accountCreated(): boolean {
    return this.account === 'created';
  }

  /** Starts the user agent and registers; throws DialerError saying why it could not. */
  async start(): Promise<RegistrationResult> {
    if (this.state !== 'stopped') throw new DialerError(`The auto dialer is already ${this.state}`);
    let server = this.deps.server();
    if (server === undefined) throw new DialerError('The SIP server is not running');
    const c = this.deps.config();
    // An address of an interface down (or gone) since it was set: named, with the fix.
    const away = dialerAddressProblem(c.localIp);
    if (away !== undefined) throw new DialerError(away);
    // The dialer reaches the server in DIALER.LOCAL_IP's address family: an IPv6 one needs our IPv6
    // address (its REGISTER to our IPv4 one could not leave: a "503" made up by its own transport).
    if (c.localIp.includes(':')) {
      if (server.address6 === undefined)
        throw new DialerError(
          `DIALER.LOCAL_IP ${c.localIp} is an IPv6 address and the server has none (SIP.HOST, SIP.SERVER_IP6): give DIALER.LOCAL_IP an IPv4 address, or serve IPv6 (SIP.HOST ::, SIP.SERVER_IP6)`,
        );
      server = { address: server.address6, port: server.port };
    }
    if (c.rtpPortMin >= c.rtpPortMax)
      throw new DialerError(
        `DIALER.RTP_PORT_MIN (${c.rtpPortMin}) must be below DIALER.RTP_PORT_MAX (${c.rtpPortMax})`,
      );
    try {
      this.account = this.ensureAccount(c);
    } catch (err) {
      if (err instanceof DialerError) throw err;
      throw new DialerError(`cannot create the dialer's account ${c.username}: ${(err as Error).message}`);
    }
    this.state = 'starting';
    const starting = this.startAgent(c, server);
    this.starting = starting;
    try {
      return await starting;
    } catch (err) {
      this.disableOwnAccount(c.username); // it did not start: its account is not left ACTIVE
      throw err;
    } finally {
      this.starting = undefined;
    }
  }

  /** The user agent on its port, registered (state starting until it is). */
  private async startAgent(
    c: DialerConfig,
    server: { address: string; port: number },
  ): Promise<RegistrationResult> {
    const serverAddress =
      server.address === '0.0.0.0' || server.address === '' ? '127.0.0.1' : server.address;
    this.advertised = c.localIp !== '' ? c.localIp : serverAddress;
    this.pool.reconfigure(c.rtpPortMin, c.rtpPortMax);
    const ua = new UserAgent({
      host: c.localIp !== '' ? c.localIp : socketHostFor(serverAddress),
      port: c.localPort,
      advertised: this.advertised,
      server: { transport: 'UDP', address: serverAddress, port: server.port },
      domain: this.deps.domain(),
      username: c.username,
      password: c.password,
      product: this.deps.product,
      counters: this.deps.counters,
      timerBase: this.deps.timerBase,
      log: this.deps.log,
    });
    this.deps.agentTap?.(ua.transport.tap);
    try {
      await ua.start();
    } catch (err) {
      this.state = 'stopped';
      // Named by its settings: a bare EADDRINUSE or EADDRNOTAVAIL left the operator to guess which (EINVAL:
      // an address that cannot be bound as it is, a link-local one from an older setting).
      const e = err as NodeJS.ErrnoException;
      const setting =
        (e.code === 'EADDRNOTAVAIL' || e.code === 'EINVAL') && c.localIp !== ''
          ? 'DIALER.LOCAL_IP'
          : 'DIALER.LOCAL_PORT';
      throw new DialerError(`cannot open the dialer's SIP port ${c.localPort} (${setting}): ${e.message}`);
    }
    this.socket = { transport: 'UDP', address: this.advertised, port: ua.port };
    const registration = new Registration(ua, c.registerExpires);
    const result = await registration.register();
    if (!result.ok) {
      registration.stopRefresh();
      await ua.stop();
      this.socket = undefined;
      this.state = 'stopped';
      throw new DialerError(`registering ${c.username} failed: ${this.failure(result)}`);
    }
    registration.onRegained = () => {
      this.deps.log.info(`dialer: registered ${ua.aor} again`);
      if (this.registration === registration)
        this.emit({ type: 'service', state: this.state, registered: true });
    };
    registration.onLost = (r) => {
      this.deps.log.warning(`dialer: registration refresh failed: ${this.failure(r)}`);
      this.emit({
        type: 'service',
        state: this.state,
        registered: false,
        message: `${r.status} ${r.reason}`,
      });
    };
    this.ua = ua;
    this.inEffect = c;
    this.registration = registration;
    this.state = 'running';
    this.startedAt = this.now();
    this.startedElapsed = performance.now();
    this.deps.log.info(`dialer: registered ${ua.aor} from ${addressPort(this.advertised, ua.port)}`);
    this.emit({ type: 'service', state: 'running', registered: true });
    return result;
  }

  /** A failed REGISTER: the registrar's answer (with what lifts a lock-out), or why it never left. */
  private failure(r: RegistrationResult): string {
    return r.unsent ?? refusalWithAdvice(r.status, r.reason, this.advertised);
  }

  /**
   * A binding left the location service (removed or expired). When it is the dialer's own (CLR REG, RMV
   * REG), the dialer says it is no longer registered and registers again at once: it is a service IMS
   * Lab keeps up, and calls to its number would fail with 480 until its next refresh.
   */
  bindingGone(contact: string, why: string): void {
    const registration = this.registration;
    const ua = this.ua;
    if (this.state !== 'running' || registration === undefined || ua === undefined) return;
    if (!registration.registered || `<${contact}>` !== ua.contact) return;
    this.deps.log.info(`dialer: its registration ${ua.aor} was ${why}; registering again`);
    this.emit({ type: 'service', state: this.state, registered: false, message: why });
    void registration.lost(); // onRegained tells when it took
  }

  /**
   * The dialer's account: created when missing; its own (named "Auto dialer", as created here) follows
   * DIALER.PASSWORD and is made ACTIVE (disableOwnAccount made it INACTIVE at the last stop). Another
   * user's password and status are never changed (its phones would stop registering): the dialer may use
   * that account only with its password.
   */
  private ensureAccount(c: DialerConfig): 'created' | 'own' | 'user' {
    const existing = this.deps.users.get(c.username);
    if (existing?.displayName === DIALER_DISPLAY_NAME) {
      this.deps.users.update(c.username, { password: c.password, status: 'ACTIVE' });
      return 'own';
    }
    if (existing !== undefined) {
      const known = this.deps.users.credentials(c.username)!;
      if (ha1('MD5', c.username, known.realm, c.password) !== known.ha1.MD5) {
        throw new DialerError(
          `DIALER.USERNAME ${c.username} is a user whose password is not DIALER.PASSWORD: set DIALER.PASSWORD ` +
            `to it, or choose another DIALER.USERNAME (the dialer does not change a user's password)`,
        );
      }
      return 'user';
    }
    this.deps.users.add({ username: c.username, password: c.password, displayName: DIALER_DISPLAY_NAME });
    this.deps.log.info(`dialer: created the account ${c.username} for the auto dialer`);
    return 'created';
  }

  /**
   * The account the dialer created (named "Auto dialer") is INACTIVE while the dialer is stopped: its
   * password is DIALER.PASSWORD, by default the original's well-known 0000, and an ACTIVE account left
   * behind let anyone register and call as it. Called at STP DIALSVC, after a failed STR DIALSVC, and at
   * the appliance's start (a folder an older IMS Lab left it ACTIVE in). A user of the operator's own is
   * left as it is. Never throws (a stop goes on); a store that refuses the write is logged.
   */
  disableOwnAccount(username = this.inEffect?.username ?? this.deps.config().username): void {
    try {
      const u = this.deps.users.get(username);
      if (u === undefined || u.displayName !== DIALER_DISPLAY_NAME) return;
      if (u.status === 'ACTIVE') this.deps.users.update(username, { status: 'INACTIVE' });
      const removed = this.deps.accountDisabled?.(username) ?? 0;
      if (u.status === 'ACTIVE')
        this.deps.log.info(
          `dialer: its account ${username} is INACTIVE while the dialer is stopped (STR DIALSVC makes it ACTIVE again)` +
            (removed > 0 ? `; its ${removed} other registration(s) removed` : ''),
        );
    } catch (err) {
      this.deps.log.warning(
        `dialer: its account ${username} could not be disabled: ${(err as Error).message}`,
      );
    }
  }

  /**
   * Ends every call (BYE/CANCEL), unregisters, closes everything; resolves once it is all done.
   * Idempotent. STP DIALSVC during STR DIALSVC (two consoles) waits for the start to end, then stops
   * what it started: it found no user agent yet, said stopped, and the start went on to register and
   * run.
   */
  async stop(reason = 'Dialer stopped', by?: StoppedBy): Promise<void> {
    if (this.starting !== undefined) await this.starting.catch(() => undefined); // its failure is STR's
    if (this.state === 'stopping') return this.stopping;
    if (this.state === 'stopped') return;
    this.state = 'stopping';
    this.shuttingDown = reason === SHUTDOWN_REASON;
    this.stopping = this.stopAgent(reason, by);
    try {
      await this.stopping;
    } finally {
      this.stopping = undefined;
    }
  }

  private async stopAgent(reason: string, by?: StoppedBy): Promise<void> {
    // Bounded: a far end that never answers our BYE (Timer F is 32 s), or answers our CANCEL 200 and
    // never sends the INVITE's 487 (RFC 3261 §9.1: 64*T1), must not hold up a shutdown.
    await this.stopCampaigns(undefined, reason, by);
    await within(
      STOP_SIGNALLING_MS,
      Promise.all([...this.campaigns.values()].map((c) => c.signallingDone())),
    );
    if (this.registration !== undefined) await within(STOP_UNREGISTER_MS, this.registration.unregister());
    this.registration?.stopRefresh();
    await this.ua?.stop();
    this.socket = undefined;
    this.clock.stop();
    this.ua = undefined;
    this.registration = undefined;
    this.state = 'stopped';
    this.startedAt = undefined;
    this.disableOwnAccount(); // unregistered above: no one else may use it while stopped
    this.emit({ type: 'service', state: 'stopped', registered: false });
  }

  /**
   * Starts a campaign in the background once its prompt is decoded (the loop free meanwhile); rejects
   * with a DialerError or PromptError before any call when something is wrong.
   */
  async startCampaign(req: CampaignRequest): Promise<CampaignSnapshot> {
    const notStarted = (): boolean => this.state !== 'running' || this.ua === undefined;
    if (notStarted()) throw new DialerError('The auto dialer is not started: run STR DIALSVC first');
    if (req.numbers.length === 0) throw new DialerError('No numbers to call');
    const c = this.deps.config();
    const mediaFile = this.resolveMedia(req.mediaFile ?? c.mediaFile);
    const prompt = await readPrompt(mediaFile); // a bad file fails here, before any call
    // STP DIALSVC may have come while the prompt was resampled.
    if (notStarted()) throw new DialerError('The auto dialer was stopped while the prompt was read');
    const ua = this.ua!;
    const durationMs = Math.round(req.durationSeconds * 1000);
    if (req.dtmf !== undefined) dtmfFits(req.dtmf, durationMs, prompt.samples.length);
    const encoded = new Map<G711Law, Buffer>();
    const audio = (law: G711Law): Buffer => {
      let b = encoded.get(law);
      if (b === undefined) encoded.set(law, (b = encodeG711(prompt.samples, law)));
      return b;
    };
    this.deps.campaignNumbers?.save(this.nextId);
    const id = campaignId(this.nextId++);
    const recordDir = join(this.deps.dataDir, 'recordings');
    const campaign = new Campaign(
      id,
      {
        numbers: req.numbers,
        audio,
        mediaFile,
        durationMs,
        concurrency: req.concurrency ?? c.concurrency,
        rate: req.rate ?? c.rate,
        dtmf: req.dtmf,
        recordTo: req.record
          ? (number, callId) => join(recordDir, id, `${number}-${safe(callId)}.wav`)
          : undefined,
        ringTimeoutMs: c.ringTimeoutSeconds * 1000,
      },
      {
        ua,
        pool: this.pool,
        clock: this.clock,
        bindHost: ua.options.host,
        advertised: this.advertised,
        now: this.now,
        elapsed: this.elapsed,
        probe: this.sendProbe,
        warn: (text) => this.deps.log.warning(text),
        placed: (callId) => this.placedCalls.set(callId, id),
        // DSP DIALSVC then says whether the registrar still takes the account (Registered NO, 401/403).
        credentialsRefused: () => void this.registration?.recheck(),
      },
      (e) => this.emit(e),
    );
    // Each call holds an RTP port pair: more at once than the range gives is not what runs.
    campaign.capNote = portCapNote(campaign.spec.concurrency, req.numbers.length, this.rtpPortPairs);
    this.campaigns.set(id, campaign);
    this.trimCampaigns();
    campaign.start();
    const snap = campaign.snapshot(false);
    this.emit({ type: 'progress', campaign: snap });
    return snap;
  }

  /**
   * Stops one campaign, or all; resolves once their calls are ended (BYE / CANCEL sent, results
   * recorded), not waiting for the far ends' answers. Returns how many were stopped. The Note of each
   * says why: the appliance's stop, or the operator `by` (who, with which command) and how far it got.
   */
  async stopCampaigns(id?: string, reason = 'Ended by operator', by?: StoppedBy): Promise<number> {
    const targets = [...this.campaigns.values()].filter(
      (c) => (id === undefined || c.id === id) && c.state === 'running',
    );
    await Promise.all(targets.map((c) => c.stop(reason)));
    for (const c of targets) {
      if (reason === SHUTDOWN_REASON)
        c.note = `Interrupted by shutdown: ${c.stats.placed} of ${c.spec.numbers.length} placed`;
      else if (by !== undefined)
        c.note = `Stopped by ${by.who} (${by.command}): ${c.stats.placed} of ${c.spec.numbers.length} placed`;
      this.emit({ type: 'progress', campaign: c.snapshot(false) });
    }
    return targets.length;
  }

  campaign(id: string): CampaignSnapshot | undefined {
    return this.campaigns.get(id)?.snapshot() ?? this.history.find((c) => c.id === id);
  }

  /** The summaries of the last campaigns that ended, this run's and earlier runs' (oldest first). */
  private history: CampaignSnapshot[];

  /** Keeps an ended campaign's summary (its latest: a shutdown's note comes after its end). */
  private keepSummary(summary: CampaignSnapshot): void {
    if (this.deps.campaignHistory === undefined) return;
    const kept = { ...summary, live: [], recent: [] };
    const at = this.history.findIndex((c) => c.id === summary.id);
    if (at >= 0) this.history[at] = kept;
    else this.history.push(kept);
    if (this.history.length > CAMPAIGNS_KEPT) this.history.splice(0, this.history.length - CAMPAIGNS_KEPT);
    try {
      this.deps.campaignHistory.save(this.history);
    } catch (err) {
      this.deps.log.warning(`dialer: the summary of campaign ${summary.id} was not kept: ${String(err)}`);
    }
  }

  /**
   * Resolves MEDIA_FILE: absolute, or relative to the data folder, the installed app (so media/default.wav
   * is found whatever folder the server was started from), the packaged app's resources (media-file.ts).
   */
  resolveMedia(file: string): string {
    // Inside one of the roots only: MEDIA_FILE comes over MML, which must not open the host's files.
    const candidates = mediaCandidates(file, this.mediaRoots());
    if (candidates.length === 0) throw new PromptError(file, MEDIA_OUTSIDE, false, true);
    const found = candidates.find((p) => existsSync(p));
    if (found !== undefined) return found;
    // Named by the folders looked in (the data folder's first), not by the last of them alone.
    const folders = [...new Set(candidates.map((p) => dirname(p)))];
    throw new PromptError(
      file,
      `no such file in ${folders.join(', ')}; prompts belong in ${join(this.deps.dataDir, 'media')}`,
      true,
    );
  }

  /**
   * Saves an uploaded prompt in the data folder's media/ (where resolveMedia looks first), under a name no
   * prompt of any root has (name_2.wav...: it would hide that one).
   */
  savePrompt(name: string, bytes: Uint8Array): { file: string; source: string; seconds: number } {
    return savePrompt(this.deps.dataDir, name, bytes, this.mediaRoots());
  }

  /** Where a relative MEDIA_FILE is looked for, in order. */
  private mediaRoots(): string[] {
    return mediaRoots(this.deps.dataDir, this.deps.appDirs);
  }

  snapshot(): DialerSnapshot {
    const c = this.deps.config();
    const ua = this.ua;
    const server = ua?.options.server;
    return {
      state: this.state,
      registered: this.registered,
      // While it runs, the account it registered (a DIALER.USERNAME changed since applies at the next start).
      account: ua?.options.username ?? c.username,
      local: ua === undefined ? undefined : { address: this.advertised, port: ua.port },
      server: server === undefined ? undefined : { address: server.address, port: server.port },
      startedAt: this.startedAt,
      ...(this.startedAt === undefined
        ? {}
        : { uptimeSeconds: Math.round((performance.now() - this.startedElapsed) / 1000) }),
      registration: this.registration?.last,
      rtpPortsInUse: this.pool.inUse,
      // Earlier campaigns (kept across restarts) first, then this run's, oldest first.
      campaigns: [
        ...this.history.filter((h) => !this.campaigns.has(h.id)),
        ...[...this.campaigns.values()].map((x) => x.snapshot()),
      ],
      // Of every campaign since the appliance started, kept across STP/STR DIALSVC as the campaigns
      // listed are (the original reset them on stop: reference §6.4, BUG 48).
      totals: this.allTotals(),
      mediaFiles: listPrompts(this.mediaRoots()),
    };
  }

  /**
   * What the CDR row of a dialer call adds: extra_info, "dialer", its campaign and its RTP figures
   * (`dialer campaign=C0001 rtp_sent=…`: exports tell two campaigns calling the same numbers apart). call_type stays the
   * media's (AUDIO), as the original wrote it for its dialer's calls. The proxy writes the row when the
   * BYE that ends the call passes it; a BYE from the far end (or the proxy's own) reaches the dialer's
   * session a moment later, and its last packets with it: the row waits for the call's final figures,
   * the ones DSP DIALSVC shows (at most FINAL_FIGURES_WAIT_MS, then the live ones).
   */
  readonly annotateCdr = (call: Readonly<Call>): CallAnnotation | undefined => {
    // A call the dialer has let go of before the proxy wrote its row (its CANCEL given up on a callee
    // that never sends 487, the proxy's own 64*T1 ending later): still the dialer's, with its figures.
    const ended = this.endedCalls.get(call.callId);
    if (ended !== undefined) return { fields: ended };
    for (const c of this.campaigns.values())
      for (const dc of c.calls()) {
        if (dc.callId !== call.callId) continue;
        const m = dc.media();
        const fields: Partial<NewCdrRecord> = {
          extra_info: cdrWords(
            c.id,
            m === undefined
              ? undefined
              : {
                  sent: m.sent.packets,
                  received: m.received.received,
                  lost: m.received.lost,
                  jitterMs: m.received.jitterMs,
                  maxJitterMs: m.received.maxJitterMs,
                },
          ),
        };
        return { fields, final: this.finalFigures(call.callId).then((f) => f ?? fields) };
      }
    return undefined;
  };

  /** The campaign of each call placed and without a result yet, by Call-ID (cdrStartInfo). */
  private readonly placedCalls = new Map<string, string>();

  /**
   * What a dialer call's CDR row carries from its start (`dialer campaign=C0001`), for the journal of
   * calls in progress: a call cut by kill -9 is still found by DSP CDR CAMPAIGN= after the restart.
   */
  readonly cdrStartInfo = (callId: string): string | undefined => {
    const campaign = this.placedCalls.get(callId);
    // Its result came a moment before the proxy saw its end: the row's extra_info as it will be.
    return campaign === undefined ? this.endedCalls.get(callId)?.extra_info : cdrWords(campaign);
  };

  /** The CDR annotation of each call with a result, kept a while for annotateCdr (bounded). */
  private readonly endedCalls = new Map<string, Partial<NewCdrRecord>>();
  /** CDR rows waiting for a live call's result, by Call-ID. */
  private readonly awaitedCalls = new Map<string, (fields: Partial<NewCdrRecord>) => void>();

  /** The call's annotation once it has its result; undefined after FINAL_FIGURES_WAIT_MS. */
  private finalFigures(callId: string): Promise<Partial<NewCdrRecord> | undefined> {
    const result = new Promise<Partial<NewCdrRecord>>((resolve) => this.awaitedCalls.set(callId, resolve));
    return within(FINAL_FIGURES_WAIT_MS, result).finally(() => this.awaitedCalls.delete(callId));
  }

  private rememberEnded(campaign: string, r: CallResult): void {
    this.placedCalls.delete(r.callId);
    const media = r.rtpSent + r.rtpReceived > 0;
    const extra = cdrWords(
      campaign,
      media
        ? {
            sent: r.rtpSent,
            received: r.rtpReceived,
            lost: r.rtpLost,
            jitterMs: r.jitterMs,
            maxJitterMs: r.maxJitterMs,
          }
        : undefined,
    );
    // Ended by the appliance's stop: its row says so, as the rows of the calls the proxy ends then do
    // (README); the proxy saw only our BYE or CANCEL, whose Reason it would record as an ordinary end.
    const fields: Partial<NewCdrRecord> = {
      extra_info: extra,
      ...(this.shuttingDown && r.reason.startsWith(SHUTDOWN_REASON) ? SHUTDOWN_FIELDS : {}),
    };
    this.endedCalls.set(r.callId, fields);
    if (this.endedCalls.size > ENDED_CALLS_KEPT) this.endedCalls.delete(this.endedCalls.keys().next().value!);
    this.awaitedCalls.get(r.callId)?.(fields);
  }

  private trimCampaigns(): void {
    for (const [id, c] of this.campaigns) {
      if (this.campaigns.size <= KEPT_CAMPAIGNS) break;
      if (c.state === 'finished' || c.state === 'stopped') {
        this.retired = plus(this.retired, c.counts());
        this.campaigns.delete(id);
      }
    }
  }

  /** Calls placed, answered (counted at the answer) and failed by every campaign so far. */
  private allTotals(): Totals {
    let t = this.retired;
    for (const c of this.campaigns.values()) t = plus(t, c.counts());
    return t;
  }
}

/** How long a dialer call's CDR row waits for the call's final figures (its result comes in ms). */
const FINAL_FIGURES_WAIT_MS = 2000;

/** Ended calls whose CDR annotation is kept for a row written late (a few minutes of a busy campaign). */
const ENDED_CALLS_KEPT = 10_000;

/** The CDR extra_info of a dialer call: its campaign and, when it had media, its RTP figures. */
function cdrWords(
  campaign: string,
  rtp?: { sent: number; received: number; lost: number; jitterMs: number; maxJitterMs: number },
): string {
  const words = `dialer campaign=${campaign}`;
  if (rtp === undefined) return words;
  return (
    `${words} rtp_sent=${rtp.sent} rtp_received=${rtp.received} rtp_lost=${rtp.lost} ` +
    `jitter_ms=${rtp.jitterMs.toFixed(3)} max_jitter_ms=${rtp.maxJitterMs.toFixed(3)}`
  );
}

/**
 * How long stop() waits for the BYE/CANCEL answers (and 487s), then for the unregistration's answer. Both
 * together fit the appliance's 5 s to exit (core/server.ts, README "Running headless"), which after the
 * dialer still ends the proxy's calls (up to 1 s), the transport, the trace and the CDR writer; on a LAN a
 * BYE's 200 takes milliseconds, and a call still waiting is recorded as ended by the stop all the same.
 */
const STOP_SIGNALLING_MS = 1500;
const STOP_UNREGISTER_MS = 1000;

function within<T>(ms: number, p: Promise<T>): Promise<T | undefined> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(undefined), ms);
    void p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      () => {
        clearTimeout(t);
        resolve(undefined);
      },
    );
  });
}

/**
 * Refuses DTMF whose last digit would not have gone before the media ends (the call ends with it): the
 * digits start 1 s after the answer, 200 ms each (rtp-session.ts, dtmf.ts).
 */
function dtmfFits(digits: string, durationMs: number, promptSamples: number): void {
  const mediaMs =
    durationMs > 0
      ? Math.round(durationMs / PACKET_MS) * PACKET_MS
      : Math.max(1, Math.ceil(promptSamples / SAMPLES_PER_PACKET)) * PACKET_MS;
  const needMs = dtmfEndMs(digits);
  if (needMs <= mediaMs) return;
  const s = (ms: number): string => String(ms / 1000);
  const media = durationMs > 0 ? `DURATION=${s(durationMs)}` : `the prompt's ${s(mediaMs)} s (DURATION=0)`;
  throw new DtmfFitError(
    `the digits ${digits} need ${s(needMs)} s of media (from ${s(DTMF_START_MS)} s after the answer, ` +
      `0.2 s a digit), more than ${media}: give DURATION=${s(needMs)} or more`,
  );
}

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_');
}
