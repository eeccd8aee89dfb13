// The composition root (DESIGN.md): from settings and a data folder it builds the store, the SIP stack
// (transport → transactions → dispatcher → registrar) and starts and stops them in order. The headless
// server and the Electron main process each create one Appliance; neither holds logic of its own.
import { mkdirSync } from 'node:fs';
import { CounterSet } from './observe/counters';
import { serverStatus, trackCallOutcomes } from './observe/metrics';
import { PerfSampler } from './observe/perf-sampler';
import { Logger } from './observe/logger';
import type { LogLevel } from './observe/log';
import { type Settings } from './config/settings';
import { DigestAuthenticator, type AuthConfig, type DigestAlgorithm } from './sip/auth/index';
import type { CallEvent, MessageEvent } from './calls/call';
import { CdrRecorder } from './cdr/recorder';
import { Dialer, type DialerConfig } from './dialer/dialer';
import { SqliteCdrStore } from './cdr/cdr-store';
import { createRegistry, MmlEngine, SqliteMmlHistory } from './mml/index';
import { Dispatcher } from './sip/dispatcher';
import { CallTracker } from './sip/proxy/call-tracker';
import { LocalIdentity } from './sip/proxy/local-identity';
import { Proxy } from './sip/proxy/proxy';
import type { ProxyConfig } from './sip/proxy/proxy-config';
import { LocationService } from './sip/registrar/location';
import { Registrar, type RegistrarConfig } from './sip/registrar/registrar';
import { TransactionLayer } from './sip/transaction/layer';
import { TimerWheel } from './sip/transaction/timer-wheel';
import type { TimerBase } from './sip/transaction/timer-values';
import { advertisedAddress } from './sip/transport/advertised-address';
import { SipTransport } from './sip/transport/sip-transport';
import { closeDatabase, openDatabase } from './store/database';
import { SqliteBindingStore } from './store/bindings';
import { SqliteUserStore } from './store/users';
import type { UserStore } from './store/types';
import type { Database } from 'better-sqlite3';
import { IMS_VERSION } from './version';

export interface ApplianceOptions {
  dataDir: string;
  settings: Settings;
  /** Console output of the log (default true). */
  console?: boolean;
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
    },
  };
}

function registrarConfig(s: Settings): RegistrarConfig {
  return {
    domain: s.str('SIP.DOMAIN'),
    domains: s.list('SIP.DOMAINS').map((d) => d.toLowerCase()),
    minExpires: s.int('REG.MIN_EXPIRES'),
    maxExpires: s.int('REG.MAX_EXPIRES'),
    defaultExpires: s.int('REG.DEFAULT_EXPIRES'),
    maxContacts: s.int('REG.MAX_CONTACTS'),
    authenticate: s.bool('AUTH.REGISTER'),
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
  };
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

export class Appliance {
  readonly logger: Logger;
  readonly counters = new CounterSet();
  readonly users: UserStore;
  readonly location: LocationService;
  readonly transport: SipTransport;
  readonly transactions: TransactionLayer;
  readonly registrar: Registrar;
  readonly auth: DigestAuthenticator;
  readonly proxy: Proxy;
  readonly calls: CallTracker;
  readonly cdr: SqliteCdrStore;
  readonly cdrRecorder: CdrRecorder;
  /** The auto dialer: a user agent of its own that registers here and places campaigns of calls. */
  readonly dialer: Dialer;
  /** CPU, memory, network and SIP message rates, sampled once a second (DSP PERF, the perf topic). */
  readonly perf = new PerfSampler({
    counters: this.counters,
    onListenerError: (err) => this.log.error(`a perf listener failed: ${String(err)}`),
  });
  /** The operator's command language: every change an operator makes goes through it (DESIGN.md). */
  readonly mml: MmlEngine;
  private readonly messageListeners = new Set<(e: MessageEvent) => void>();
  readonly timerBase: TimerBase;
  /** Address in our Via / Record-Route; known after start(). */
  serverIp = '';
  /** The database (users, bindings, CDR, history, settings); the web console keeps its login hash there. */
  readonly db: Database;
  private readonly timers: TimerWheel;
  private readonly log;

  constructor(private readonly options: ApplianceOptions) {
    const s = options.settings;
    mkdirSync(options.dataDir, { recursive: true });
    this.logger = new Logger({
      level: s.str('LOG.LEVEL') as LogLevel,
      dataDir: options.dataDir,
      console: options.console,
    });
    this.log = this.logger.for('appliance');
    this.db = openDatabase(options.dataDir);
    const users = new SqliteUserStore(this.db, options.dataDir, { realm: s.str('AUTH.REALM') });
    this.users = users;
    this.location = new LocationService({
      persistence: new SqliteBindingStore(this.db),
      log: this.logger.for('location'),
    });
    this.auth = new DigestAuthenticator(
      authConfig(s),
      users,
      this.counters.counter('sip_auth_failures_total', 'Failed digest authentications'),
    );
    this.transport = new SipTransport(
      {
        host: s.str('SIP.HOST'),
        port: s.int('SIP.PORT'),
        tcp: s.bool('SIP.TCP'),
        maxMessageSize: s.int('SIP.MAX_MESSAGE_SIZE'),
      },
      this.counters,
    );
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
    this.registrar = new Registrar(registrarConfig(s), this.location, this.auth, users);
    this.calls = new CallTracker({
      layer: this.transactions,
      timers: this.timers,
      identity: () => this.proxy.identity!,
      maxCallMs: () => s.int('CALL.MAX_DURATION') * 1000,
    });
    this.proxy = new Proxy(proxyConfig(s), {
      layer: this.transactions,
      timers: this.timers,
      location: this.location,
      users,
      auth: this.auth,
      aorOf: (user) => this.registrar.aorOf(user),
      calls: this.calls,
      log: this.logger.for('proxy'),
      send: (data, to, kind) => this.transport.send(data, to, kind),
      onMessage: (e) => {
        for (const l of this.messageListeners) l(e);
      },
    });
    // Every call, registration and MESSAGE leaves a CDR row (core/cdr), written behind the SIP path.
    this.cdr = new SqliteCdrStore(this.db, options.dataDir);
    this.cdrRecorder = new CdrRecorder({
      store: this.cdr,
      archive: this.cdr.archive,
      log: this.logger.for('cdr'),
      server: () =>
        this.serverIp === '' ? undefined : { address: this.serverIp, port: this.transport.udpPort },
    });
    this.location.on(this.cdrRecorder.onRegistration);
    this.calls.on(this.cdrRecorder.onCall);
    this.messageListeners.add(this.cdrRecorder.onMessage);
    trackCallOutcomes(this.counters, this.calls); // ims_calls_total{class} for the metrics
    this.dialer = new Dialer({
      config: () => dialerConfig(s),
      server: () =>
        this.serverIp === '' ? undefined : { address: this.serverIp, port: this.transport.udpPort },
      domain: () => s.str('SIP.DOMAIN'),
      users,
      dataDir: options.dataDir,
      counters: this.counters,
      timerBase: this.timerBase,
      product: `IMS Lab dialer ${IMS_VERSION}`,
      log: this.logger.for('dialer'),
    });
    this.cdrRecorder.annotateCalls(this.dialer.annotateCdr);
    this.mml = new MmlEngine(
      createRegistry(),
      {
        users,
        location: this.location,
        settings: s,
        log: this.logger,
        history: new SqliteMmlHistory(this.db),
        dataDir: options.dataDir,
        now: Date.now,
        calls: this.calls,
        cdr: this.cdr,
        perf: this.perf,
        status: () => serverStatus(this),
        dialer: this.dialer,
      },
      { log: this.logger.for('mml') },
    );
    this.applySettingChanges();
    const dispatcher = new Dispatcher(this.registrar);
    dispatcher.router = this.proxy;
    this.transactions.log = faults;
    this.transport.attach(this.transactions);
    this.transport.trace = { enabled: () => this.logger.enabled('DEBUG'), log: this.logger.for('sip') };
    this.transactions.attachCore(dispatcher);
  }

  /** SET CFG takes effect at once where it can: each component gets its new configuration. */
  private applySettingChanges(): void {
    const s = this.settings;
    s.onChange((change) => {
      const area = change.key.split('.')[0];
      if (change.key === 'LOG.LEVEL') this.logger.setLevel(s.str('LOG.LEVEL') as LogLevel);
      if (area === 'REG' || change.key === 'AUTH.REGISTER' || change.key.startsWith('SIP.DOMAIN'))
        this.registrar.reconfigure(registrarConfig(s));
      if (area === 'AUTH' && change.key !== 'AUTH.REALM') this.auth.reconfigure(authConfig(s));
      if (change.key === 'AUTH.REALM') {
        this.users.setRealm(s.str('AUTH.REALM'));
        this.auth.reconfigure(authConfig(s));
      }
      if (area === 'PROXY' || change.key === 'SIP.LOCAL_NETWORK_CIDR') this.proxy.reconfigure(proxyConfig(s));
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

  async start(): Promise<void> {
    const seeded = this.users.seedDefaults();
    if (seeded > 0) this.log.info(`created the default users 1001, 1002, 1003 (password = username)`);
    this.location.load();
    await this.transport.start();
    this.serverIp = await advertisedAddress(
      this.settings.str('SIP.SERVER_IP'),
      this.settings.str('SIP.HOST'),
    );
    this.proxy.identity = new LocalIdentity({
      advertised: this.serverIp,
      bindHost: this.settings.str('SIP.HOST'),
      port: this.transport.udpPort,
      domain: this.settings.str('SIP.DOMAIN'),
      domains: this.settings.list('SIP.DOMAINS').map((d) => d.toLowerCase()),
    });
    this.log.info(
      `SIP on ${this.settings.str('SIP.HOST')} UDP ${this.transport.udpPort}` +
        (this.transport.tcpPort ? ` TCP ${this.transport.tcpPort}` : '') +
        `, advertised as ${this.serverIp}; ${this.users.count()} users, ${this.location.bindingCount} bindings loaded`,
    );
  }

  /** Every call change (started, ringing, answered, media, ended). */
  onCall(listener: (e: CallEvent) => void): () => void {
    return this.calls.on(listener);
  }

  /** Every MESSAGE forwarded, with its final answer. */
  onMessage(listener: (e: MessageEvent) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /** Stops accepting, saves what is pending, closes the database. */
  async stop(): Promise<void> {
    this.perf.stop();
    await this.dialer.stop('System shutdown'); // BYE/CANCEL and unregister while the proxy still runs
    await this.transport.stop();
    this.calls.endAll();
    this.cdrRecorder.stop();
    this.timers.clear();
    this.location.stop();
    closeDatabase(this.db);
    this.logger.flush();
  }
}
