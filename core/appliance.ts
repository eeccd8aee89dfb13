// The composition root (DESIGN.md): from settings and a data folder it builds the store, the SIP stack
// (transport → transactions → dispatcher → registrar) and starts and stops them in order. The headless
// server and the Electron main process each create one Appliance; neither holds logic of its own.
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { CounterSet } from './observe/counters';
import { counterTotal, serverStatus, trackCallOutcomes } from './observe/metrics';
import { writerFigures } from './observe/writer-figures';
import { GcHeadroom } from './observe/gc-headroom';
import { ResourceWatch, type HeapFigures } from './observe/resource-watch';
import { PerfSampler } from './observe/perf-sampler';
import { LogRetention } from './observe/log-retention';
import { Logger, type LogRecord } from './observe/logger';
import { rememberToday } from './observe/log-file';
import { EventHub } from './observe/event-hub';
import { tellChanges, type ChangeEvents } from './change-events';
import type { PerfSample } from './observe/perf-sampler';
import type { RegistrationEvent } from './sip/registrar/binding';
import { byeUnansweredLine, logActivity, REMOVED } from './activity/activity-log';
import { malformedLogger, refusalLogger } from './sip/transport/refusal-log';
import type { LogLevel } from './observe/log';
import { CONFIG_FILE, SettingError, type Settings } from './config/settings';
import { DigestAuthenticator, type AuthConfig, type DigestAlgorithm } from './sip/auth/index';
import type { CallEvent, MessageEvent } from './calls/call';
import { SHUTDOWN_REASON, type ServerAddress } from './cdr/from-events';
import { CdrRecorder } from './cdr/recorder';
import { SqliteLiveCallJournal } from './cdr/live-calls';
import { CdrSpill } from './cdr/spill';
import { CDR_DIR, EXPORTS_DIR } from './cdr/csv';
import { Dialer, type DialerConfig, type DialerEvent } from './dialer/dialer';
import { campaignHistory } from './dialer/campaign-history';
import { relayAgentMessages, type ProxyEnd } from './dialer/agent-trace';
import { tellDirectRequests } from './dialer/direct-requests';
import { MEDIA_OUTSIDE, mediaCandidates, mediaRoots } from './dialer/media-file';
import { campaignNumbers } from './dialer/campaign-numbers';
import { SqliteCdrStore } from './cdr/cdr-store';
import { originalFoldersBesideText } from './cdr/original-beside';
import { originalConfigFileText } from './config/original-config-file';
import { originalDialerConfigText } from './config/original-dialer-config';
import { dialerAddressProblem } from './config/dialer-address';
import { importOriginalCdr, type OriginalImportResult } from './cdr/original-import';
import { createRegistry, MmlEngine, SqliteMmlHistory } from './mml/index';
import type { MmlExecution } from './mml/engine';
import { IMPORTS_FOLDER } from './mml/commands/export-file';
import { Dispatcher } from './sip/dispatcher';
import { optionsEvent } from './sip/proxy/options-record';
import { CallTracker } from './sip/proxy/call-tracker';
import { LocalIdentity } from './sip/proxy/local-identity';
import { Proxy } from './sip/proxy/proxy';
import { NatKeepalive } from './sip/proxy/nat-keepalive';
import { loadPerfHistory, savePerfHistory } from './observe/perf-history-file';
import type { ProxyConfig } from './sip/proxy/proxy-config';
import { GruuMaker } from './sip/registrar/gruu';
import { LocationService } from './sip/registrar/location';
import { endsWithConnection, isFlow } from './sip/registrar/outbound';
import { RegEventNotifier } from './sip/proxy/reg-event';
import { Registrar, registrationsCounter, type RegistrarConfig } from './sip/registrar/registrar';
import { interfaceAddresses, ServedDomains } from './sip/registrar/served-domains';
import { TransactionLayer } from './sip/transaction/layer';
import { TimerWheel } from './sip/transaction/timer-wheel';
import type { TimerBase } from './sip/transaction/timer-values';
import { advertisedAddress, alternateAddress } from './sip/transport/advertised-address';
import { SipTransport } from './sip/transport/sip-transport';
import { systemLookup } from './sip/transport/host-addresses';
import { HostCache } from './sip/transport/host-cache';
import { releaseConnections } from './sip/registrar/connection-release';
import { watchCertificateExpiry } from './sip/transport/certificate-expiry';
import { transportNamed } from './sip/transport/peer';
import { listenerPlan, type ListenerPlan } from './sip/transport/listener-settings';
import { probePorts, type PortCheck } from './sip/transport/port-probe';
import {
  checkTlsFileSetting,
  DATA_FOLDER_TLS_KEY,
  type LoadedCredentials,
} from './sip/transport/tls-credentials';
import { checkPrompt } from './media/wav';
import { logMessages } from './sip/transport/log-tap';
import {
  closeDatabase,
  DATABASE_FILE,
  failFastOnTheLoop,
  openDatabase,
  schemaFoundAtOpen,
} from './store/database';
import { StoreWorker } from './store/store-worker';
import { DatabaseDamagedError } from './store/database-damage';
import { elapsedText } from './observe/amounts';
import { checkSubfolders } from './store/subfolders';
import { checkWritable } from './store/writable';
import { removeLeftoverTemporaries } from './store/leftover-temporaries';
import { makeFolder } from './store/make-folder';
import { SqliteBindingStore } from './store/bindings';
import { loadSecretKey, SECRET_KEY_FILE } from './store/secret';
import { tightenDataFolder, tightenPrivateFiles, withSqliteSidecars } from './store/private-modes';
import { SqliteUserStore } from './store/users';
import { OneAtATime } from './store/one-at-a-time';
import { utf8Text } from './config/text-file';
import {
  fileMark,
  ORIGINAL_USERS_READ,
  originalUsersLeft,
  originalUsersTakenAsRead,
  READ_MARKED_SINCE_SCHEMA,
} from './store/original-users-left';
import { settingsTable } from './store/settings-table';
import type { UserStore } from './store/types';
import type { Database } from 'better-sqlite3';
import { IMS_VERSION } from './version';
import { rehearse } from './rehearsal/rehearsal';
import {
  SipTrace,
  TRACE_DATABASE_FILE,
  TRACE_FEED_MS,
  TraceFeed,
  traceConfig,
  type TraceDialogSummary,
} from './trace/index';

/** The data folder's files with secrets, made private at start if an older IMS Lab left them 0644. */
const PRIVATE_FILES = [
  ...withSqliteSidecars(DATABASE_FILE),
  ...withSqliteSidecars(TRACE_DATABASE_FILE),
  CONFIG_FILE,
  SECRET_KEY_FILE,
  DATA_FOLDER_TLS_KEY,
];

export interface ApplianceOptions {
  dataDir: string;
  settings: Settings;
  /** Where IMS Lab is installed (the shipped media/ prompts are looked for there too). */
  appDirs?: readonly string[];
  /** Console output of the log (default true). */
  console?: boolean;
  /**
   * Sets the process's full-collection headroom from PERF.GC_HEADROOM_MB (default true). V8's flags are the
   * whole process's: a throwaway copy (the start-up rehearsal) leaves them to the appliance that runs.
   */
  tuneGc?: boolean;
  /** The JavaScript heap's figures the resource watch judges (default V8's; tests give fake ones). */
  heap?: () => HeapFigures;
}

function authConfig(s: Settings): AuthConfig {
  return {
    realm: s.str('AUTH.REALM'),
    algorithms: s.list('AUTH.ALGORITHMS') as DigestAlgorithm[],
    nonceLifetimeSeconds: s.int('AUTH.NONCE_LIFETIME'),
    lockout: {
      failures: s.int('AUTH.LOCKOUT_FAILURES'),
      windowSeconds: s.int('AUTH.LOCKOUT_WINDOW'),
      lockSeconds: s.int('AUTH.LOCKOUT_SECONDS'),
      sourceFailures: s.int('AUTH.LOCKOUT_SOURCE_FAILURES'),
    },
    rfc2069: s.bool('AUTH.RFC2069'),
  };
}

function registrarConfig(s: Settings, served?: ServedDomains): RegistrarConfig {
  return {
    domain: s.str('SIP.DOMAIN'),
    domains: s.list('SIP.DOMAINS').map((d) => d.toLowerCase()),
    served,
    minExpires: s.int('REG.MIN_EXPIRES'),
    maxExpires: s.int('REG.MAX_EXPIRES'),
    defaultExpires: s.int('REG.DEFAULT_EXPIRES'),
    maxContacts: s.int('REG.MAX_CONTACTS'),
    authenticate: s.bool('AUTH.REGISTER'),
    flowTimer: s.int('REG.FLOW_TIMER'),
  };
}

function proxyConfig(s: Settings): ProxyConfig {
  return {
    authMethods: s.list('PROXY.AUTH_METHODS').map((m) => m.toUpperCase()),
    relayForeign: s.bool('PROXY.RELAY_FOREIGN'),
    forking: s.str('PROXY.FORKING') === 'SEQUENTIAL' ? 'sequential' : 'parallel',
    timerCSeconds: s.int('PROXY.TIMER_C'),
    maxCallSeconds: s.int('CALL.MAX_DURATION'),
    localNetworks: s.str('SIP.LOCAL_NETWORK_CIDR'),
    assertIdentity: s.bool('PROXY.ASSERT_IDENTITY'),
  };
}

/** The appliance's event topics and what each carries (the control contract's topics follow them). */
export interface ApplianceEvents extends ChangeEvents {
  log: LogRecord;
  registration: RegistrationEvent;
  call: CallEvent;
  message: MessageEvent;
  perf: PerfSample;
  mml: MmlExecution;
  /** A dialog of the SIP trace changed (coalesced per dialog: TraceFeed). */
  trace: TraceDialogSummary;
  dialer: DialerEvent;
}

function dialerConfig(s: Settings): DialerConfig {
  return {
    username: s.str('DIALER.USERNAME'),
    password: s.str('DIALER.PASSWORD'),
    localIp: s.str('DIALER.LOCAL_IP'),
    localPort: s.int('DIALER.LOCAL_PORT'),
    rtpPortMin: s.int('DIALER.RTP_PORT_MIN'),
    rtpPortMax: s.int('DIALER.RTP_PORT_MAX'),
    mediaFile: s.str('DIALER.MEDIA_FILE'),
    concurrency: s.int('DIALER.CONCURRENCY'),
    rate: s.int('DIALER.RATE'),
    registerExpires: s.int('DIALER.REG_LIFETIME'),
    ringTimeoutSeconds: s.int('DIALER.RING_TIMEOUT'),
  };
}

/** The folders the appliance writes in its data folder: each must be a folder if it exists. */
const DATA_SUBFOLDERS = ['logs', CDR_DIR, EXPORTS_DIR, IMPORTS_FOLDER, 'media', 'recordings', 'tls'];
/** Those written as it runs: the day's log and CDR archive, exports, recordings. */
const WRITTEN_SUBFOLDERS = ['logs', CDR_DIR, EXPORTS_DIR, 'recordings'];

/** The original's users file, in its data folder (original-server.md §4.1). */
const ORIGINAL_USERS_FILE = 'users.json';

export class Appliance {
  readonly logger: Logger;
  readonly counters = new CounterSet();
  readonly users: UserStore;
  readonly location: LocationService;
  readonly transport: SipTransport;
  /** The TLS/WSS certificate (undefined when both are off). */
  readonly tlsCredentials: LoadedCredentials | undefined;
  readonly transactions: TransactionLayer;
  readonly registrar: Registrar;
  /** Our domains, one notion for the registrar and the proxy (addresses known after start()). */
  readonly served: ServedDomains;
  /** secret.key: the GRUUs and the dialog marks are sealed under keys derived from it. */
  private readonly installationKey: Buffer;
  readonly auth: DigestAuthenticator;
  readonly proxy: Proxy;
  readonly calls: CallTracker;
  /** Keep-alives to phones behind a NAT (REG.NAT_KEEPALIVE), ticked once a second from start(). */
  readonly natKeepalive: NatKeepalive;
  private natKeepaliveTimer: NodeJS.Timeout | undefined;
  private readonly logRetention: LogRetention;
  /** Stops the daily check of the TLS certificate's expiry (certificate-expiry.ts). */
  private stopCertificateWatch: (() => void) | undefined;
  readonly cdr: SqliteCdrStore;
  readonly cdrRecorder: CdrRecorder;
  /** Every SIP message in and out (core/trace): ring, trace.db, HEP; DSP TRACE and the Trace view read it. */
  readonly trace: SipTrace;
  private readonly traceFeed: TraceFeed;
  /** The auto dialer: a user agent of its own that registers here and places campaigns of calls. */
  readonly dialer: Dialer;
  /** CPU, memory, network and SIP message rates, sampled once a second (DSP PERF, the perf topic). */
  readonly perf = new PerfSampler({
    counters: this.counters,
    onListenerError: (err) => this.log.error(`a perf listener failed: ${String(err)}`),
    // Read at each sample, once the appliance is built (the first comes an interval after this).
    live: () => ({
      calls: this.calls?.size ?? 0,
      aors: this.location?.aorCount ?? 0,
      bindings: this.location?.bindingCount ?? 0,
      authFailures: counterTotal(this.counters, 'sip_auth_failures_total'),
    }),
  });
  /** The operator's command language: every change an operator makes goes through it (DESIGN.md). */
  readonly mml: MmlEngine;
  /** Every MML statement run (DSP HISTORY, the terminal's ↑/↓). */
  readonly mmlHistory: SqliteMmlHistory;
  /** Every domain event, numbered per topic; listeners are isolated from each other (event-hub.ts). */
  readonly events: EventHub<ApplianceEvents> = new EventHub((topic, err) => {
    const why = err instanceof Error ? (err.stack ?? err.message) : String(err);
    // A failing log listener is not logged on the log topic (it would fail again).
    if (topic === 'log') process.stderr.write(`appliance: a log listener failed: ${why}\n`);
    else this.log.error(`a ${String(topic)} listener failed: ${why}`);
  });
  readonly timerBase: TimerBase;
  /** Address in our Via / Record-Route; known after start(). */
  serverIp = '';

  /** The address IPv6 peers are told ('' when none: an IPv4 server), for DSP SRVSTAT. */
  get serverIp6(): string {
    const v6 = this.proxy.identity?.addressFor('::1');
    return v6 !== undefined && v6.includes(':') ? v6 : '';
  }

  /** The address the SIP listeners bind (SIP.HOST at the start), for DSP SRVSTAT. */
  listenHost = '';

  /** Our address and the port of the listener for `transport` (the CDR's server_ip, server_port). */
  private serverFor(transport?: string, peer?: string): ServerAddress | undefined {
    if (this.serverIp === '') return undefined;
    const named = transport === undefined ? undefined : transportNamed(transport);
    const me = this.proxy.identity;
    const port = named === undefined ? undefined : me?.portFor(named);
    // An IPv6 peer's row names the address it reached (SERVER_IP6), as its Via and Record-Route do.
    return { address: me?.addressFor(peer) ?? this.serverIp, port: port ?? this.transport.udpPort };
  }
  /** The database (users, bindings, CDR, history, settings); the web console keeps its login hash there. */
  readonly db: Database;
  private readonly timers: TimerWheel;
  private readonly rehearsal = new AbortController();
  /** Aborted by stop(): work in the background gives up (importing the original's CDR). */
  private readonly stopping = new AbortController();
  /** The import of the original's CDR day files started by start(), done or given up. */
  originalCdrImport: Promise<OriginalImportResult | undefined> = Promise.resolve(undefined);
  /** Full collections made rarer by a headroom (PERF.GC_HEADROOM_MB), while this appliance runs. */
  readonly gc = new GcHeadroom();
  /** File descriptors used up, the heap near its limit: said once, and by /healthz while they last. */
  readonly resources: ResourceWatch;
  private readonly storeWorker: StoreWorker;
  /** SIP.DOMAIN changes' moves of the bindings, one at a time. */
  private readonly rehomes = new OneAtATime();
  /** The listeners' ports, checked before the rehearsal. */
  private readonly ports: PortCheck[];
  private readonly log;
  /** The data folder's problem was logged (dataFolderProblem). */
  private dataFolderTold = false;
  /** The database file opened (device and inode): another file put in its place is told (databaseGone). */
  private readonly databaseIdentity: string | undefined;
  /** What a command found: the database damaged since the start's check (for /healthz). */
  private databaseDamage: string | undefined;
  /** Ends the change topics' sources (change-events.ts). */
  private readonly stopTellingChanges: () => void;

  /**
   * The appliance that is to serve on options.dataDir (the headless server's, the desktop app's), built
   * once its start is known to be possible: the data folder, its listeners' settings (a TLS file that
   * cannot be used) and every port it is to take, `alsoPorts` too (the web console's), are checked before
   * the database is opened, for opening it brings it to this build's schema, which cannot be undone: an
   * older IMS Lab refuses the folder afterwards, and one still running on it (holding the ports) would go
   * on writing rows of the old form. The caller holds the data folder's lock (folder-lock.ts).
   */
  static async open(options: ApplianceOptions, alsoPorts: readonly PortCheck[] = []): Promise<Appliance> {
    checkMediaFileSetting(options);
    const plan = Appliance.listeners(options);
    await probePorts([...plan.ports, ...alsoPorts]);
    return new Appliance(options, plan);
  }

  /** The data folder made and checked, then the listeners' plan (nothing in the database yet). */
  private static listeners(options: ApplianceOptions): ListenerPlan {
    makeFolder(options.dataDir);
    // Writable, checked now: SQLite opens a database whose -wal and -shm are there (a kill -9, or a stop
    // that could not remove them) without writing to the folder, and a start there went on without a word
    // into exports, trace.db, config.json and tls/ that all failed (EACCES, named by startup-fault.ts).
    accessSync(options.dataDir, constants.W_OK);
    checkSubfolders(options.dataDir, DATA_SUBFOLDERS);
    // What it writes as it runs, writable by this user (a folder restored with another owner).
    checkWritable(options.dataDir, WRITTEN_SUBFOLDERS);
    return listenerPlan(options.settings, options.dataDir);
  }

  /**
   * Builds the appliance, opening (and migrating) its database. A start that serves goes through open(),
   * which checks the ports first; the start-up rehearsal and the tests build one directly.
   */
  constructor(
    private readonly options: ApplianceOptions,
    listeners: ListenerPlan = Appliance.listeners(options),
  ) {
    const s = options.settings;
    this.logger = new Logger({
      level: s.str('LOG.LEVEL') as LogLevel,
      dataDir: options.dataDir,
      console: options.console,
    });
    // The lines before this start (today's file) first: a console opened after a restart has them.
    const unread = rememberToday(this.logger, options.dataDir);
    this.log = this.logger.for('appliance');
    this.logRetention = new LogRetention(
      options.dataDir,
      () => s.int('LOG.KEEP_DAYS'),
      this.logger.for('logs'),
    );
    this.logger.subscribe((r) => this.events.emit('log', r));
    if (unread !== undefined) this.log.warning(unread);
    for (const note of tightenDataFolder(options.dataDir)) this.log.warning(note);
    for (const note of tightenPrivateFiles(options.dataDir, PRIVATE_FILES)) this.log.warning(note);
    // Said as it happens: an upgrade of the database (or of trace.db) holds the loop for seconds.
    this.logger.writeAtOnce(true);
    this.db = openDatabase(options.dataDir, { log: this.logger.for('store') });
    this.databaseIdentity = fileIdentity(join(options.dataDir, DATABASE_FILE));
    this.storeWorker = new StoreWorker(this.db, this.logger.for('store'));
    const users = new SqliteUserStore(this.db, options.dataDir, {
      realm: s.str('AUTH.REALM'),
      configuredRealm: s.str('AUTH.REALM'),
      // IMP USER's rows go into users by the worker's transaction, off the loop (users-import-write.ts).
      importWriter: {
        available: () => this.storeWorker.available(),
        write: (steps) => this.storeWorker.writeCounted(steps),
      },
    });
    this.users = users;
    this.location = new LocationService({
      persistence: new SqliteBindingStore(this.db, this.storeWorker),
      log: this.logger.for('location'),
    });
    this.auth = new DigestAuthenticator(
      authConfig(s),
      users,
      this.counters.counter('sip_auth_failures_total', 'Failed digest authentications'),
    );
    this.watchLockouts();
    // TLS and WebSocket listeners beside UDP/TCP (a TLS file that cannot be used stopped the start above).
    this.tlsCredentials = listeners.credentials;
    this.ports = listeners.ports;
    this.transport = new SipTransport(listeners.options, this.counters);
    // RFC 7118 §5: a WebSocket binding ends with its connection, and so do the calls ringing over it;
    // RFC 5626 §5.3: a SIP Outbound flow over TCP or TLS too (other TCP bindings are reached anew).
    this.transport.onConnectionClosed = (peer) => {
      if (peer.transport === 'TCP' || peer.transport === 'TLS') {
        this.location.removeConnection(peer.transport, peer.address, peer.port, isFlow);
        return;
      }
      if (peer.transport !== 'WS' && peer.transport !== 'WSS') return;
      this.location.removeConnection(peer.transport, peer.address, peer.port);
      this.proxy.connectionClosed(peer);
    };
    // RFC 3261 §18, RFC 5923: a quiet TCP or TLS phone's connection is how it is reached (a Contact at
    // its ephemeral port, behind a NAT): kept past SIP.TCP/TLS_IDLE_TIMEOUT while a binding registered
    // over it, or a call through it, lives; closed once the last of them ends (connection-release.ts).
    this.transport.keepIdle = (peer) =>
      this.location.reachedOver(peer.transport, peer.address, peer.port) || this.calls.reachedOver(peer);
    this.location.on((e) => releaseConnections(this.transport, e));
    this.transport.onRefused = refusalLogger(this.logger.for('sip'));
    const malformed = malformedLogger(this.logger.for('sip'));
    this.transport.onMalformed = malformed;
    this.trace = new SipTrace(this.transport.tap, options.dataDir, traceConfig(s), this.logger.for('trace'));
    this.transport.tap.onListenerError = (err) =>
      this.log.error(`a SIP trace listener failed: ${String(err)}`);
    this.timers = new TimerWheel();
    const faults = this.logger.for('sip');
    this.timers.onError = (err, timer) =>
      faults.error(`timer ${timer}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    this.timerBase = { t1: s.int('TIMER.T1'), t2: s.int('TIMER.T2'), t4: s.int('TIMER.T4') };
    this.transactions = new TransactionLayer(
      this.transport,
      this.timers,
      this.timerBase,
      this.counters,
      `IMS Lab ${IMS_VERSION}`,
    );
    // A header found malformed late (the registrar's full check): logged as the transport's refusals.
    this.transactions.onMalformed = malformed;
    this.transactions.onRefused = (request, why) => this.trace.refusedLate(request, why);
    this.served = new ServedDomains(registrarConfig(s), interfaceAddresses());
    // A digest-uri naming this server (SIPp's default) is taken as well as the Request-URI.
    this.auth.isServer = (host, port) => this.served.isMe(host, port);
    this.registrar = new Registrar(registrarConfig(s, this.served), this.location, this.auth, users);
    // RFC 5627: temporary GRUUs are sealed under a key derived from secret.key, so they outlive a restart
    // (as the dialog marks do, LocalIdentity).
    this.installationKey = loadSecretKey(options.dataDir);
    const gruus = new GruuMaker(this.installationKey);
    this.registrar.gruus = gruus;
    this.registrar.registrations = registrationsCounter(this.counters);
    this.calls = new CallTracker({
      layer: this.transactions,
      timers: this.timers,
      identity: () => this.proxy.identity!,
      maxCallMs: () => s.int('CALL.MAX_DURATION') * 1000,
      ackWaitMs: () => 64 * s.int('TIMER.T1'),
      gruuUser: (user) => gruus.readTemporary(user)?.user,
      byeUnanswered: (call, by) => this.logger.for('sip').warning(byeUnansweredLine(call, by)),
    });
    const regEvents = new RegEventNotifier({
      layer: this.transactions,
      timers: this.timers,
      location: this.location,
      identity: () => this.proxy.identity,
      aorOf: (user) => this.registrar.aorOf(user),
      account: (user) => {
        const u = users.get(user);
        return u === undefined ? undefined : { active: u.status === 'ACTIVE', created: u.createTime };
      },
      gruus: { maker: gruus, domain: () => s.str('SIP.DOMAIN') },
      log: this.logger.for('registrar'),
    });
    // A user deleted or disabled, with or without bindings, is no longer watched (RFC 6665 §4.2.2).
    this.events.on('users', () => regEvents.usersChanged());
    this.proxy = new Proxy(proxyConfig(s), {
      layer: this.transactions,
      timers: this.timers,
      location: this.location,
      users,
      auth: this.auth,
      aorOf: (user) => this.registrar.aorOf(user),
      calls: this.calls,
      log: this.logger.for('proxy'),
      send: (data, to, kind, onError, replyTo) => this.transport.send(data, to, kind, onError, replyTo),
      isConnected: (peer) => this.transport.isConnected(peer),
      onMessage: (e) => this.events.emit('message', e),
      onOptions: (e) => this.cdrRecorder.onOptions(e),
      onUnknownDialogBye: (req, source) => this.cdrRecorder.onUnknownDialogBye(req, source),
      gruus,
      regEvents,
      // Next hops named by a host: answers kept 30 s, failures 5 s, one lookup per name at a time.
      lookup: new HostCache({ lookup: systemLookup }).lookup,
      counters: this.counters,
    });
    this.natKeepalive = new NatKeepalive({
      bindings: () => this.location.entries(),
      target: (b) => this.proxy.bindingTarget(b),
      send: (data, to) => this.transport.sendKeepalive(data, to),
      intervalS: () => s.int('REG.NAT_KEEPALIVE'),
    });
    // Every call, registration and MESSAGE leaves a CDR row (core/cdr), written behind the SIP path.
    this.cdr = new SqliteCdrStore(this.db, options.dataDir, this.storeWorker);
    this.cdrRecorder = new CdrRecorder({
      store: this.cdr,
      archive: this.cdr.archive,
      log: this.logger.for('cdr'),
      server: (transport, peer) => this.serverFor(transport, peer),
      recordOptions: () => s.bool('CDR.OPTIONS'),
      recordRegistrations: () => s.bool('CDR.REGISTER'),
      writeBehind: {
        available: () => this.storeWorker.available(),
        plan: (records, now) => this.cdr.plan(records, now),
        write: (steps) => this.storeWorker.write(steps),
      },
      // The calls up at each flush: a kill -9 or a power cut leaves them there, and start() records them.
      journal: new SqliteLiveCallJournal(this.db),
      // The rows a stop on a full disk cannot commit: kept beside the database, written at the next start.
      spill: new CdrSpill(options.dataDir),
    });
    // The SIP stack's components each tell the hub; everything else follows the hub.
    this.location.on((e) => this.events.emit('registration', e));
    this.calls.on((e) => this.events.emit('call', e));
    this.perf.on((sample) => this.events.emit('perf', sample));
    this.resources = new ResourceWatch({ log: this.logger.for('resources'), heap: options.heap });
    this.perf.on((sample) => this.resources.check(sample.gc.full.count));
    this.events.on('registration', this.cdrRecorder.onRegistration);
    this.events.on('call', this.cdrRecorder.onCall);
    this.events.on('message', this.cdrRecorder.onMessage);
    // ims_calls_total{class} for the metrics
    trackCallOutcomes(this.counters, { on: (l) => this.events.on('call', l) });
    this.mmlHistory = new SqliteMmlHistory(this.db, { log: this.logger.for('mml') });
    // The log at INFO: one line per registration, call, MESSAGE and auth failure (activity-log.ts).
    this.auth.log = this.logger.for('auth');
    logActivity(
      this.logger.for('sip'),
      {
        onRegistration: (l) => this.events.on('registration', l),
        onCall: (l) => this.events.on('call', l),
        onMessage: (l) => this.events.on('message', l),
      },
      () => this.logger.enabled('DEBUG'),
    );
    const settings = settingsTable(this.db);
    this.dialer = new Dialer({
      config: () => dialerConfig(s),
      server: () => {
        if (this.serverIp === '') return undefined;
        // An IPv6 DIALER.LOCAL_IP registers to our IPv6 address (SERVER_IP6), when there is one.
        const address6 = this.serverIp6 === '' ? undefined : this.serverIp6;
        return { address: this.serverIp, port: this.transport.udpPort, ...(address6 ? { address6 } : {}) };
      },
      domain: () => s.str('SIP.DOMAIN'),
      users,
      dataDir: options.dataDir,
      appDirs: options.appDirs,
      counters: this.counters,
      timerBase: this.timerBase,
      product: `IMS Lab dialer ${IMS_VERSION}`,
      log: this.logger.for('dialer'),
      // Kept in the settings table; a folder from before that has only its recordings/C#### to go on.
      campaignNumbers: campaignNumbers(settings, join(options.dataDir, 'recordings')),
      campaignHistory: campaignHistory(settings),
      // As MOD USER STATUS=INACTIVE.
      accountDisabled: (username) => this.location.removeUser(username, 'user-disabled'),
      // Its messages that do not pass through our SIP port go into the trace too (agent-trace.ts), and
      // its ACK and BYE among them to the call tracker (direct-requests.ts).
      agentTap: (tap) => {
        const isProxy: ProxyEnd = (address, port) =>
          port === this.transport.udpPort && this.served.isOurAddress(address);
        tap.onListenerError = (err) =>
          this.log.error(`a listener of the dialer's messages failed: ${String(err)}`);
        relayAgentMessages(tap, this.transport.tap, isProxy);
        tellDirectRequests(tap, (req) => void this.calls.inDialog(req), isProxy);
      },
    });
    this.location.on((e) => {
      if (e.type === 'removed' || e.type === 'expired')
        this.dialer.bindingGone(
          e.binding.contact,
          e.type === 'expired' ? 'expired' : REMOVED[e.cause ?? 'unregister'],
        );
    });
    this.cdrRecorder.annotateCalls(this.dialer.annotateCdr, this.dialer.cdrStartInfo);
    // The dialer is the appliance: others' failures from its address never lock it out.
    this.auth.ownAgent = (source) => this.dialer.sendsFrom(source);
    this.dialer.on((e) => this.events.emit('dialer', e));
    // The trace's live list: only while a console follows it, and coalesced per dialog.
    this.traceFeed = new TraceFeed(TRACE_FEED_MS, (d) => this.events.emit('trace', d));
    this.trace.on((u) => {
      if (this.events.has('trace')) this.traceFeed.push(u.callId, u.summary);
    });
    this.trace.onGone((callId, summary) => {
      if (!this.events.has('trace')) return;
      const gone = summary();
      this.traceFeed.push(callId, () => gone);
    });
    this.mml = new MmlEngine(
      createRegistry(),
      {
        users,
        location: this.location,
        settings: s,
        log: this.logger,
        history: this.mmlHistory,
        dataDir: options.dataDir,
        databaseGone: () => this.databaseGone(),
        now: Date.now,
        calls: this.calls,
        cdr: this.cdr,
        perf: this.perf,
        status: () => serverStatus(this),
        replies: this.transport.replies,
        writers: () => writerFigures(this.cdrRecorder, this.trace),
        tlsCertificate: () => this.tlsCredentials?.certificate,
        lockouts: this.auth.lockout,
        trace: this.trace,
        dialer: this.dialer,
        aorNamedBy: (uri) => this.registrar.aorNamedBy(uri),
      },
      {
        log: this.logger.for('mml'),
        onDatabaseDamage: (text) => (this.databaseDamage = text),
        onDiskFull: () => this.storeWorker.diskFull(),
        stopping: this.stopping.signal,
      },
    );
    this.mml.onExecuted((e) => this.events.emit('mml', e));
    this.stopTellingChanges = tellChanges(this, this.events);
    this.applySettingChanges();
    const dispatcher = new Dispatcher(this.registrar);
    dispatcher.router = this.proxy;
    dispatcher.onOptions = (req, source, code, text) =>
      this.cdrRecorder.onOptions(optionsEvent(req, source, code, text, Date.now()));
    this.transactions.log = faults;
    this.transport.attach(this.transactions);
    logMessages(this.transport.tap, () => this.logger.enabled('DEBUG'), this.logger.for('sip'));
    this.transactions.attachCore(dispatcher);
    this.logger.writeAtOnce(false);
  }

  /** Locks are logged once each (with the source) and counted, as are the attempts they refuse. */
  private watchLockouts(): void {
    const log = this.logger.for('auth');
    const locks = this.counters.counter('sip_auth_lockouts_total', 'Lockouts imposed, by scope', 'scope', [
      'source',
      'user',
    ]);
    const refused = this.counters.counter(
      'sip_auth_locked_out_total',
      'Requests refused (403) because their source or user name was locked out',
    );
    this.auth.watch = {
      locked: (source, user, scope, seconds) => {
        locks.inc(scope);
        log.warning(
          scope === 'source'
            ? `locked out ${source} for ${seconds} s: too many failed authentications across user names (last: ${user})`
            : `locked out user ${user} from ${source} for ${seconds} s: too many failed authentications`,
        );
      },
      refused: () => refused.inc(),
    };
  }

  /**
   * Bindings filed under another domain's canonical AORs (SIP.DOMAIN changed) are filed under ours, a
   * step a turn (location.ts rehome), one change after another (SET CFG twice); the log says when done.
   */
  private rehomeBindings(): Promise<void> {
    return this.rehomes
      .run(async () => {
        const moved = await this.location.rehome((aor) => this.registrar.canonicalAor(aor));
        if (moved > 0)
          this.log.info(
            `${moved} binding(s) filed under the canonical AORs of SIP.DOMAIN ${this.settings.str('SIP.DOMAIN')}`,
          );
      })
      .catch((err: unknown) => this.log.error(`filing the bindings under SIP.DOMAIN failed: ${String(err)}`));
  }

  /** SET CFG takes effect at once where it can: each component gets its new configuration. */
  private applySettingChanges(): void {
    const s = this.settings;
    s.onChange((change) => {
      const area = change.key.split('.')[0];
      // Checked before anything is applied: a refusal here leaves the setting as it was (Settings.change).
      if (change.key === 'DIALER.MEDIA_FILE')
        checkPrompt(this.dialer.resolveMedia(s.str('DIALER.MEDIA_FILE')));
      checkTlsFileSetting(
        change.key,
        {
          cert: s.str('SIP.TLS_CERT'),
          key: s.str('SIP.TLS_KEY'),
          ca: s.str('SIP.TLS_CA'),
        },
        this.options.dataDir,
      );
      if (change.key === 'LOG.LEVEL') this.logger.setLevel(s.str('LOG.LEVEL') as LogLevel);
      if (change.key === 'LOG.KEEP_DAYS') this.logRetention.prune();
      if (area === 'REG' || change.key === 'AUTH.REGISTER' || change.key.startsWith('SIP.DOMAIN'))
        this.registrar.reconfigure(registrarConfig(s, this.served));
      if (change.key === 'SIP.DOMAIN') void this.rehomeBindings();
      if (area === 'AUTH' && change.key !== 'AUTH.REALM') this.auth.reconfigure(authConfig(s));
      if (change.key === 'AUTH.REALM') {
        this.users.setRealm(s.str('AUTH.REALM'));
        this.auth.reconfigure(authConfig(s));
      }
      if (area === 'PROXY' || change.key === 'SIP.LOCAL_NETWORK_CIDR') this.proxy.reconfigure(proxyConfig(s));
      if (area === 'TRACE') this.trace.reconfigure(traceConfig(s));
      if (change.key === 'DIALER.RTP_PORT_MIN' || change.key === 'DIALER.RTP_PORT_MAX')
        this.dialer.applyPortRange();
      if (change.key === 'PERF.GC_HEADROOM_MB' && this.options.tuneGc !== false)
        this.gc.configure(s.int('PERF.GC_HEADROOM_MB'));
      if (area === 'TIMER') {
        this.timerBase.t1 = s.int('TIMER.T1');
        this.timerBase.t2 = s.int('TIMER.T2');
        this.timerBase.t4 = s.int('TIMER.T4');
      }
    });
  }

  get settings(): Settings {
    return this.options.settings;
  }

  /** The data folder: users, CDR, trace, exports and imports. */
  get dataDir(): string {
    return this.options.dataDir;
  }

  async start(): Promise<void> {
    // The day's log says which IMS Lab wrote what follows (a restart is seen in the file).
    this.log.info(
      `IMS Lab ${IMS_VERSION} starting: pid ${process.pid}, Node ${process.version}, data in ${this.options.dataDir}`,
    );
    // What a process killed mid-write (an export, an upload) left under its temporary name.
    const leftovers = removeLeftoverTemporaries(this.options.dataDir);
    if (leftovers.length > 0)
      this.log.info(
        `removed ${leftovers.length} temporary file(s) a stopped IMS Lab left unfinished (killed while writing them): ${leftovers.join(', ')}`,
      );
    // The charts' minutes before a clean stop (perf-history-file.ts), before the samples of this run.
    const past = loadPerfHistory(this.options.dataDir, Date.now(), this.perf.capacity * this.perf.intervalMs);
    if (past.problem !== undefined) this.log.warning(`performance history: ${past.problem}`);
    this.perf.restore(past.samples);
    // A port in use stops the start now, not after the rehearsal (open() checked them before the database
    // was opened; checked again for an appliance built directly, and for a port taken since).
    await probePorts(this.ports);
    // A stop asked while the database was upgraded (the signal is seen once the migrations let the loop
    // go): no check, no rehearsal, no listener; stop() ends it. It waited for the quick_check and opened
    // the SIP ports after "SIGTERM: stopping". What a start does later (the users file, the journal's
    // calls) is done by the next one.
    if (this.stopAsked) return;
    // The whole database file checked (PRAGMA quick_check) in the store worker while the rehearsal runs:
    // the open reads only its header and schema, so a page damaged elsewhere (a disk fault, a copy cut
    // short) would otherwise be found by the first command that reads it, while the appliance went on
    // writing CDR and history into the damaged file. At every start rather than after an unclean stop
    // only: damage is made while IMS Lab is stopped as well (the disk, a copy, a restore), and the check
    // costs the start little (0.9 s per 224 MB on the second core, beside the rehearsal's up to 4 s).
    await this.storeWorker.start();
    const checked = this.checkDatabase();
    const warmup = this.settings.int('SIP.WARMUP_CALLS');
    if (warmup > 0) {
      const r = await rehearse((o) => new Appliance(o), warmup, this.rehearsal.signal);
      if (r.error !== undefined) this.log.warning(`start-up rehearsal skipped: ${r.error}`);
      else
        this.log.info(
          `start-up rehearsal: ${r.calls} calls and ${r.registrations} registrations on loopback in ${r.ms} ms (${r.failed} failed)`,
        );
    }
    if (this.options.tuneGc !== false) this.gc.configure(this.settings.int('PERF.GC_HEADROOM_MB'));
    const problems = await checked;
    if (problems.length > 0) throw new DatabaseDamagedError(this.db.name, problems);
    if (this.stopAsked) return; // asked during the check or the rehearsal: no listener opened
    // The original's users.json that cannot be imported: no default users meanwhile (1001-1003 with their
    // number as password, where the file's were expected); the next start tries the file again.
    const isNew = this.users.isNew;
    const importFailed = isNew && !this.importOriginalUsers();
    // In a folder used before, the file is read only when it changed since it was last read (imported at
    // the first start, or checked at a later one): said once if it holds users the database lacks.
    const original = join(this.options.dataDir, ORIGINAL_USERS_FILE);
    if (existsSync(original) && !importFailed) {
      const marks = settingsTable(this.db);
      const mark = fileMark(original);
      const before = schemaFoundAtOpen(this.db);
      const unmarked = marks.get(ORIGINAL_USERS_READ) === undefined;
      if (!isNew && unmarked && before > 0 && before < READ_MARKED_SINCE_SCHEMA && this.users.count() > 0)
        this.log.info(originalUsersTakenAsRead(original, ORIGINAL_USERS_FILE, before));
      else if (!isNew && marks.get(ORIGINAL_USERS_READ) !== mark) {
        const left = originalUsersLeft(original, ORIGINAL_USERS_FILE, this.users);
        if (left !== undefined) this.log.warning(left);
      }
      marks.put(ORIGINAL_USERS_READ, mark);
    }
    const seeded = importFailed ? 0 : this.users.seedDefaults();
    // A WARNING, shown whatever LOG_LEVEL: at INFO, a start with LOG_LEVEL=WARNING never said that three
    // accounts with guessable passwords exist.
    if (seeded > 0)
      this.log.warning(
        'created the default users 1001, 1002, 1003 (password = username): on a shared network change ' +
          'their passwords (MOD USER) or remove them (RMV USER)',
      );
    // RFC 7118 §5, RFC 5626 §5.3: a WebSocket binding, or a flow, whose connection closed with the
    // previous run cannot be reached (the phone registers anew over a new one): it ends now.
    const lost = this.location.load(endsWithConnection);
    if (lost > 0)
      this.log.info(
        `${lost} binding(s) made over a WebSocket or an outbound flow (RFC 7118 §5, RFC 5626 §5.3) removed: their connection closed with the previous run`,
      );
    await this.rehomeBindings();
    // The dialer is stopped: the account it created is INACTIVE until STR DIALSVC (an older IMS Lab left
    // it ACTIVE, with DIALER.PASSWORD's default 0000 anyone could register with).
    this.dialer.disableOwnAccount();
    const dialerAway = dialerAddressProblem(this.settings.str('DIALER.LOCAL_IP'));
    if (dialerAway !== undefined) this.log.warning(dialerAway);
    // The calls an unclean stop (kill -9, a power cut) cut: their CDR rows, before any call of this run.
    this.cdrRecorder.importSpilled(); // a stop's rows the database did not take (a full disk), first
    this.cdrRecorder.recoverJournal();
    // From here on a lock another program holds on the database fails a statement at once (MML answers
    // RETCODE 7 naming it, the history waits) instead of holding SIP for 5 s (database.ts).
    failFastOnTheLoop(this.db);
    await this.transport.start();
    this.serverIp = await advertisedAddress(
      this.settings.str('SIP.SERVER_IP'),
      this.settings.str('SIP.HOST'),
    );
    this.listenHost = this.settings.str('SIP.HOST');
    const alternate = await alternateAddress(
      this.serverIp,
      this.settings.str('SIP.SERVER_IP6'),
      this.settings.str('SIP.HOST'),
    );
    const t = this.transport;
    this.transport.advertise(this.serverIp, alternate);
    this.proxy.identity = new LocalIdentity({
      advertised: this.serverIp,
      ...(alternate === undefined ? {} : { alternate }),
      bindHost: this.settings.str('SIP.HOST'),
      port: this.transport.udpPort,
      domain: this.settings.str('SIP.DOMAIN'),
      domains: this.settings.list('SIP.DOMAINS').map((d) => d.toLowerCase()),
      served: this.served,
      ports: { TLS: t.tlsPort || undefined, WS: t.wsPort || undefined, WSS: t.wssPort || undefined },
      installationKey: this.installationKey,
    });
    const identity = this.proxy.identity;
    this.registrar.serviceRoute = (source) =>
      identity.recordRoute(source.transport, undefined, source.address);
    const tls = this.tlsCredentials;
    if (tls !== undefined) {
      const line = `TLS certificate ${tls.origin === 'generated' ? 'generated (self-signed), ' : ''}${tls.certFile}, SHA-256 fingerprint ${tls.fingerprint}`;
      // A certificate made now is said whatever LOG_LEVEL (a WARNING): the fingerprint phones and
      // browsers must be told to trust is printed this once, and at INFO a quiet start never showed it.
      if (tls.origin === 'generated') this.log.warning(line);
      else this.log.info(line);
    }
    for (const w of tls?.warnings ?? []) this.log.warning(w);
    if (tls !== undefined)
      this.stopCertificateWatch = watchCertificateExpiry(tls.certificate, (line) => this.log.warning(line));
    this.log.info(
      `SIP on ${this.settings.str('SIP.HOST')} UDP ${this.transport.udpPort}` +
        (this.transport.tcpPort ? ` TCP ${this.transport.tcpPort}` : '') +
        (t.tlsPort ? ` TLS ${t.tlsPort}` : '') +
        (t.wsPort ? ` WS ${t.wsPort}` : '') +
        (t.wssPort ? ` WSS ${t.wssPort}` : '') +
        `, advertised as ${this.serverIp}${alternate === undefined ? '' : ` and ${alternate}`}; ${this.users.count()} users, ${this.location.bindingCount} bindings loaded`,
    );
    // The original's CDR/ and logs/ beside the data folder (started in its folder): where they belong.
    for (const line of originalFoldersBesideText(this.options.dataDir)) this.log.warning(line);
    // Its config/config.json: the keys IMS Lab takes elsewhere, with what to do.
    for (const line of originalConfigFileText(this.options.dataDir)) this.log.warning(line);
    // And its dialer settings file: the values that differ, with the DIALER.* settings to set.
    for (const line of originalDialerConfigText(this.options.dataDir, (key) => this.settings.get(key)))
      this.log.warning(line);
    // REG.NAT_KEEPALIVE: a share of the NATed phones' keep-alives each second (nat-keepalive.ts).
    this.natKeepaliveTimer = setInterval(() => this.natKeepalive.tick(), 1000);
    this.natKeepaliveTimer.unref();
    // LOG.KEEP_DAYS (0: every day kept): logs/'s old day folders now and after each midnight.
    this.logRetention.start();
    // The original's CDR day files, in the background (SIP is served meanwhile).
    this.originalCdrImport = importOriginalCdr(
      this.cdr,
      settingsTable(this.db),
      this.logger.for('cdr'),
      this.stopping.signal,
    ).catch((err: unknown) => {
      this.log.error(`cdr: the original's day files could not be imported: ${(err as Error).message}`);
      return undefined;
    });
  }

  /** What quick_check found wrong with the database; none when sound, or when it could not run. */
  private async checkDatabase(): Promise<string[]> {
    const started = performance.now();
    try {
      const problems = await this.storeWorker.check();
      if (problems.length === 0)
        this.log.info(
          `database ${this.db.name} checked (quick_check) in ${elapsedText(performance.now() - started)}`,
        );
      return problems;
    } catch (err) {
      this.log.warning(`database ${this.db.name} not checked: ${(err as Error).message}`);
      return [];
    }
  }

  /** Every call change (started, ringing, answered, media, ended). */
  onCall(listener: (e: CallEvent) => void): () => void {
    return this.events.on('call', listener);
  }

  /** Every MESSAGE forwarded, with its final answer. */
  onMessage(listener: (e: MessageEvent) => void): () => void {
    return this.events.on('message', listener);
  }

  /**
   * A stop requested while starting: cuts the start-up rehearsal short, and start() returns before it
   * opens the listeners (stop() then ends what it began).
   */
  stopRehearsal(): void {
    this.rehearsal.abort();
  }

  /** Whether a stop was asked (stopRehearsal() or stop()). */
  private get stopAsked(): boolean {
    return this.rehearsal.signal.aborted;
  }

  /**
   * The original's data/users.json in a new data folder (IMS_DATA_DIR defaults to ./data, the original's
   * folder): its users, by IMP USER's rules, rather than the default ones, so that the phones configured
   * for the original register at once. A file that cannot be imported changes nothing (no default users
   * either); the log says why and how to import it once mended. False when it was there and failed.
   */
  private importOriginalUsers(): boolean {
    const file = join(this.options.dataDir, ORIGINAL_USERS_FILE);
    if (!existsSync(file)) return true;
    try {
      const text = utf8Text(readFileSync(file), (problem) => new Error(`it ${problem}: save it as UTF-8`));
      const r = this.users.importOriginal(text, 'add');
      this.log.info(`imported ${r.added} users from the original's ${file}`);
      for (const note of r.notes ?? []) this.log.warning(`users: ${file}: ${note}`);
      return true;
    } catch (err) {
      this.log.error(
        `users: the original's ${file} was not imported (${(err as Error).message}), and no user was created; mend it, then run IMP USER FILE=${ORIGINAL_USERS_FILE} (or restart)`,
      );
      return false;
    }
  }

  /**
   * What is wrong with the data folder while running, for /healthz: its database gone (the folder deleted
   * or moved: what is written now goes to a file nobody will open again; logged once), or found damaged
   * by a command (a page gone bad since the start's check; the command's answer names the way out), or the CDR's
   * files failing (a full disk: the recorder logs each failure and retries), or the log's.
   */
  dataFolderProblem(): string | undefined {
    const gone = this.databaseGone();
    if (gone === undefined) return this.databaseDamage ?? this.cdrRecorder.problem() ?? this.logger.problem();
    if (!this.dataFolderTold) this.log.error(`data folder: ${gone}`);
    this.dataFolderTold = true;
    return gone;
  }

  /** What /healthz says is wrong ('degraded'): a resource used up (resource-watch.ts), or the data folder's. */
  healthProblem(): string | undefined {
    return this.resources.problem() ?? this.dataFolderProblem();
  }

  /** Why what is written now would be lost: the database file is no longer in the data folder. */
  private databaseGone(): string | undefined {
    const file = join(this.options.dataDir, DATABASE_FILE);
    const now = fileIdentity(file);
    if (now === undefined)
      return `the database ${file} is gone (the data folder was deleted or moved): what is written now is lost at the next start`;
    // Another file renamed into its place (mv, rsync, a restore tool) while the server runs: the server
    // goes on writing the file it opened, no longer there, and nobody would see what it writes.
    if (this.databaseIdentity !== undefined && now !== this.databaseIdentity)
      return (
        `the database ${file} was replaced by another file while IMS Lab runs (a backup put back?): what is ` +
        `written now goes to the file it replaced and is lost; stop IMS Lab (a clean stop leaves the file now ` +
        `in place as it is) and start it again, and restore only with IMS Lab stopped`
      );
    return undefined;
  }

  /** Stops accepting, saves what is pending, closes the database. */
  async stop(): Promise<void> {
    this.rehearsal.abort();
    this.stopping.abort();
    this.perf.stop();
    try {
      savePerfHistory(this.options.dataDir, this.perf.history());
    } catch (err) {
      this.log.warning(`performance history not saved (the charts start empty): ${(err as Error).message}`);
    }
    this.gc.stop();
    clearInterval(this.natKeepaliveTimer);
    this.logRetention.stop();
    this.stopCertificateWatch?.();
    await this.dialer.stop(SHUTDOWN_REASON); // BYE/CANCEL and unregister while the proxy still runs
    // The proxy's calls likewise: BYE both ways, CANCEL what rings; then a second at most for the
    // callees' 487s to reach their callers (the proxy's forwarding contexts to end).
    this.calls.hangUpAll(SHUTDOWN_REASON);
    for (const until = performance.now() + 1000; this.proxy.contextCount > 0 && performance.now() < until;)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await this.transport.stop();
    this.calls.endAll();
    this.trace.stop();
    this.traceFeed.stop();
    this.cdrRecorder.stop();
    this.timers.clear();
    this.location.stop();
    await this.cdrRecorder.settle(); // the batch still with the worker, and any it gave back
    await this.storeWorker.stop();
    await this.originalCdrImport; // its current chunk, before the database closes
    this.stopTellingChanges();
    this.mmlHistory.stop(); // its entries a lock kept waiting: a last try, else named as lost
    closeDatabase(this.db);
    // The day's file ends saying the stop finished (its CDR rows written, the database closed): the
    // "stopped" line on stdout alone left a reader of the file or DSP LOG unsure it had.
    this.log.info('stopped: calls ended, CDR rows written, database closed');
    await this.logger.close();
  }
}

/**
 * DIALER.MEDIA_FILE from config.json held to SET CFG's rule (README: they are checked the same way): a
 * path outside the data folder and the app's folders stops the start naming the file and key, as SET CFG
 * refuses it, rather than being played from wherever it leads.
 */
function checkMediaFileSetting(options: ApplianceOptions): void {
  const s = options.settings;
  if (s.source('DIALER.MEDIA_FILE') !== 'file') return;
  const file = s.str('DIALER.MEDIA_FILE');
  if (mediaCandidates(file, mediaRoots(options.dataDir, options.appDirs)).length === 0) {
    // An absolute path of the folder this one was copied or moved from (SAVE CFG of an older IMS Lab).
    const here = join('media', basename(file));
    const moved = isAbsolute(file) && existsSync(join(options.dataDir, here));
    throw new SettingError(
      `${join(options.dataDir, CONFIG_FILE)} DIALER.MEDIA_FILE`,
      `${file}: ${MEDIA_OUTSIDE}` +
        (moved
          ? ` (this data folder has ${here}: the path of the folder it was copied from? set ${here})`
          : ''),
    );
  }
}

/** A file's device and inode ('dev:ino'); undefined when there is no such file. */
function fileIdentity(file: string): string | undefined {
  try {
    const st = statSync(file);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}
