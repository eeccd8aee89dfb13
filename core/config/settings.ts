// Every setting of the appliance, in one table: key (the MML name, e.g. REG.MIN_EXPIRES), type, default,
// bounds, help, whether a change needs a restart, and the environment variable that overrides it.
// Sources, weakest first: the defaults here, <dataDir>/config.json, the environment.
import { unadvertisable } from './advertised-address';
import { closest } from './closest';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { ringHeapProblem } from './ring-heap';
import { utf8Text } from './text-file';
import { FORMATS, type SettingFormat } from './setting-formats';
import { INTEGER_TEXT } from './setting-text';
import { acceptedForm, atLeastOne, cannotBe, mustBe, type SettingUnit } from './setting-refusal';

export type SettingType = 'string' | 'integer' | 'boolean' | 'enum' | 'list' | 'ip' | 'ip6' | 'cidr' | 'host';

export interface SettingDefinition {
  key: string;
  type: SettingType;
  default: string | number | boolean | string[];
  help: string;
  min?: number;
  max?: number;
  /** What an integer counts, said in its refusals ("a whole number of seconds from 1 to 86400"). */
  unit?: SettingUnit;
  /** Allowed values for enum, or for each item of a list. */
  options?: readonly string[];
  /** The form a string's value, or each item of a list, must take (setting-formats.ts). */
  format?: SettingFormat;
  /** true: takes effect after a restart only. */
  restart: boolean;
  /** The command it waits for instead (the dialer's account and socket: 'STR DIALSVC'). */
  appliesAt?: string;
  /** What a change at run time applies to, when not to everything at once (SET CFG says it). */
  appliesTo?: string;
  env?: string;
  /** A password: never shown or logged (DSP CFG, SET CFG's answer and its echo show *****). */
  secret?: boolean;
}

export const SETTINGS: readonly SettingDefinition[] = [
  {
    key: 'SIP.SERVER_IP',
    type: 'ip',
    default: '',
    help: 'Address advertised in Via and Record-Route (empty: detected)',
    restart: true,
    env: 'SERVER_IP',
  },
  {
    key: 'SIP.SERVER_IP6',
    type: 'ip6',
    default: '',
    help:
      'IPv6 address advertised to IPv6 peers when SIP.HOST is :: (both families) and SERVER_IP is not IPv6 ' +
      '(empty: detected)',
    restart: true,
    env: 'SERVER_IP6',
  },
  {
    key: 'SIP.LOCAL_NETWORK_CIDR',
    type: 'cidr',
    default: '192.168.0.0/16',
    help: 'Networks treated as local for NAT handling (comma list)',
    restart: false,
    env: 'LOCAL_NETWORK_CIDR',
  },
  {
    key: 'SIP.HOST',
    type: 'string',
    format: 'listen',
    default: '0.0.0.0',
    help: 'Address the SIP listeners bind',
    restart: true,
    env: 'SIP_HOST',
  },
  {
    key: 'SIP.PORT',
    type: 'integer',
    unit: 'port',
    default: 5060,
    min: 0,
    max: 65535,
    help: 'SIP port, UDP and TCP (0: a free port)',
    restart: true,
    env: 'SIP_PORT',
  },
  { key: 'SIP.TCP', type: 'boolean', default: true, help: 'Also listen on TCP', restart: true },
  {
    key: 'SIP.TLS_PORT',
    type: 'integer',
    unit: 'port',
    default: 5061,
    min: 0,
    max: 65535,
    help: 'SIP over TLS port (0: off; a free port when SIP.PORT is 0)',
    restart: true,
    env: 'SIP_TLS_PORT',
  },
  {
    key: 'SIP.TLS_CERT',
    type: 'string',
    default: '',
    help: 'TLS certificate chain, PEM file (empty: <data>/tls/cert.pem, generated self-signed)',
    restart: true,
    env: 'SIP_TLS_CERT',
  },
  {
    key: 'SIP.TLS_KEY',
    type: 'string',
    default: '',
    help: 'TLS private key, PEM file (with SIP.TLS_CERT)',
    restart: true,
    env: 'SIP_TLS_KEY',
  },
  {
    key: 'SIP.TLS_CA',
    type: 'string',
    default: '',
    help: 'CA bundle, PEM file: when set, TLS clients must present a certificate it signed',
    restart: true,
    env: 'SIP_TLS_CA',
  },
  {
    key: 'SIP.WS_PORT',
    type: 'integer',
    unit: 'port',
    default: 5066,
    min: 0,
    max: 65535,
    help: 'SIP over WebSocket port, RFC 7118 (0: off; a free port when SIP.PORT is 0)',
    restart: true,
    env: 'SIP_WS_PORT',
  },
  {
    key: 'SIP.WSS_PORT',
    type: 'integer',
    unit: 'port',
    default: 7443,
    min: 0,
    max: 65535,
    help: 'SIP over secure WebSocket port (0: off; a free port when SIP.PORT is 0)',
    restart: true,
    env: 'SIP_WSS_PORT',
  },
  {
    key: 'SIP.WS_ORIGINS',
    type: 'list',
    format: 'origin',
    default: [],
    help: 'Origins a WebSocket may come from, e.g. https://lab.example (empty: any)',
    restart: true,
    env: 'SIP_WS_ORIGINS',
  },
  {
    key: 'SIP.TCP_MAX_CONNECTIONS',
    type: 'integer',
    unit: 'connections',
    default: 1000,
    min: 0,
    max: 1000000,
    help: 'TCP connections at once (0: no limit)',
    restart: true,
  },
  {
    key: 'SIP.TLS_MAX_CONNECTIONS',
    type: 'integer',
    unit: 'connections',
    default: 1000,
    min: 0,
    max: 1000000,
    help: 'TLS connections at once, handshaking ones included (0: no limit)',
    restart: true,
  },
  {
    key: 'SIP.WS_MAX_CONNECTIONS',
    type: 'integer',
    unit: 'connections',
    default: 1000,
    min: 0,
    max: 1000000,
    help: 'WebSocket connections at once, per listener (0: no limit)',
    restart: true,
  },
  {
    key: 'SIP.TCP_IDLE_TIMEOUT',
    type: 'integer',
    unit: 'seconds',
    default: 900,
    min: 1,
    max: 86400,
    help: 'Seconds a TCP connection may stay silent before it is closed (kept while a binding registered over it, or a call through it, lives)',
    restart: true,
  },
  {
    key: 'SIP.TLS_IDLE_TIMEOUT',
    type: 'integer',
    unit: 'seconds',
    default: 900,
    min: 1,
    max: 86400,
    help: 'Seconds a TLS connection may stay silent before it is closed (kept while a binding registered over it, or a call through it, lives)',
    restart: true,
  },
  {
    key: 'SIP.WS_IDLE_TIMEOUT',
    type: 'integer',
    unit: 'seconds',
    default: 3600,
    min: 1,
    max: 86400,
    help: 'Seconds a WebSocket may stay silent before it gets a Ping; closed (its bindings end) if it does not answer within 30 s',
    restart: true,
  },
  {
    key: 'SIP.HANDSHAKE_TIMEOUT',
    type: 'integer',
    unit: 'seconds',
    default: 10,
    min: 1,
    max: 300,
    help: 'Seconds a TLS handshake or WebSocket upgrade may take',
    restart: true,
  },
  {
    key: 'SIP.MESSAGE_TIMEOUT',
    type: 'integer',
    unit: 'seconds',
    default: 20,
    min: 0,
    max: 3600,
    help:
      'Seconds a message begun on a TCP, TLS or WebSocket connection may take to arrive whole, from the last whole ' +
      'one; a peer that drips bytes is closed, and a TCP or TLS connection that sends nothing this long after ' +
      'it opens (0: no limit)',
    restart: true,
  },
  {
    key: 'SIP.DOMAIN',
    type: 'host',
    default: 'ims.lab',
    help: 'Domain of the canonical AORs (sip:user@domain)',
    restart: false,
  },
  {
    key: 'SIP.DOMAINS',
    type: 'list',
    format: 'host',
    default: [],
    help: 'Domains served besides our addresses (empty: any host name maps to the same users)',
    restart: false,
    env: 'SIP_DOMAINS',
  },
  {
    key: 'SIP.MAX_MESSAGE_SIZE',
    type: 'integer',
    unit: 'bytes',
    default: 65535,
    min: 1024,
    max: 1_048_576,
    help: 'Largest SIP message accepted (bytes)',
    restart: true,
  },
  {
    key: 'SIP.WARMUP_CALLS',
    type: 'integer',
    unit: 'calls',
    default: 2000,
    min: 0,
    max: 100_000,
    help:
      'Calls rehearsed at start-up through a throwaway copy of IMS Lab on loopback (at most 4 s), so that ' +
      'the first real calls do not wait for cold code; 0: none',
    restart: true,
    env: 'SIP_WARMUP_CALLS',
  },
  {
    key: 'AUTH.REALM',
    type: 'string',
    format: 'realm',
    default: 'ims.lab',
    help: 'Digest realm; changing it re-derives every HA1',
    restart: false,
  },
  {
    key: 'AUTH.ALGORITHMS',
    type: 'list',
    default: ['MD5', 'SHA-256'],
    options: ['MD5', 'SHA-256'],
    help: 'Digest algorithms offered, most preferred first (RFC 8760)',
    restart: false,
  },
  { key: 'AUTH.REGISTER', type: 'boolean', default: true, help: 'Challenge REGISTER (401)', restart: false },
  {
    key: 'AUTH.RFC2069',
    type: 'boolean',
    default: true,
    help:
      'Accept digest answers without qop (RFC 2069 form, RFC 3261 §22.4), as the original and older ' +
      'phones send; such a nonce is then good for one use only',
    restart: false,
  },
  {
    key: 'AUTH.NONCE_LIFETIME',
    type: 'integer',
    unit: 'seconds',
    default: 300,
    min: 10,
    max: 86_400,
    help: 'Seconds a nonce stays valid (then stale=true)',
    restart: false,
  },
  {
    key: 'AUTH.LOCKOUT_FAILURES',
    type: 'integer',
    unit: 'failures',
    default: 5,
    min: 0,
    max: 1_000_000,
    help: 'Failed authentications of one user name from one address before that pair is locked out (0: never)',
    restart: false,
  },
  {
    key: 'AUTH.LOCKOUT_SOURCE_FAILURES',
    type: 'integer',
    unit: 'failures',
    default: 30,
    min: 0,
    max: 1_000_000,
    help: 'Failed authentications from one address, across user names, before the address is locked out (0: never)',
    restart: false,
  },
  {
    key: 'AUTH.LOCKOUT_WINDOW',
    type: 'integer',
    unit: 'seconds',
    default: 60,
    min: 1,
    max: 86_400,
    help: 'Seconds over which failures are counted',
    restart: false,
  },
  {
    key: 'AUTH.LOCKOUT_SECONDS',
    type: 'integer',
    unit: 'seconds',
    default: 120,
    min: 1,
    max: 86_400,
    help: 'Seconds a locked-out address (or address and user name) is refused',
    restart: false,
  },
  {
    key: 'REG.MIN_EXPIRES',
    type: 'integer',
    unit: 'seconds',
    default: 60,
    min: 1,
    // RFC 3261 §10.3 step 7: 423 only for an interval shorter than one hour.
    max: 3600,
    help: 'Shortest registration accepted (423 below it; at most an hour, RFC 3261 §10.3)',
    restart: false,
  },
  {
    key: 'REG.MAX_EXPIRES',
    type: 'integer',
    unit: 'seconds',
    default: 7200,
    min: 1,
    max: 604_800,
    help: 'Longest registration granted',
    restart: false,
  },
  {
    key: 'REG.DEFAULT_EXPIRES',
    type: 'integer',
    unit: 'seconds',
    default: 3600,
    min: 1,
    max: 604_800,
    help: 'Expiry when the REGISTER gives none',
    restart: false,
  },
  {
    key: 'REG.MAX_CONTACTS',
    type: 'integer',
    unit: 'bindings',
    default: 10,
    min: 1,
    max: 1000,
    help: 'Bindings per address-of-record',
    restart: false,
  },
  {
    key: 'REG.FLOW_TIMER',
    type: 'integer',
    unit: 'seconds',
    default: 0,
    min: 0,
    max: 3600,
    help: 'Flow-Timer (s) in the 200 of a SIP Outbound registration: how often its keep-alives are asked for (RFC 5626 §5.4); 0 sends none',
    restart: false,
  },
  {
    key: 'REG.NAT_KEEPALIVE',
    type: 'integer',
    unit: 'seconds',
    default: 0,
    min: 0,
    max: 3600,
    help: 'Seconds between keep-alives (CRLF CRLF) to phones registered over UDP behind a NAT, so that the NAT keeps their door open for calls (as Kamailio natping); 0 sends none',
    restart: false,
  },
  {
    key: 'TIMER.T1',
    type: 'integer',
    unit: 'milliseconds',
    default: 500,
    min: 50,
    max: 10_000,
    help: 'RFC 3261 T1 (ms): RTT estimate',
    restart: false,
  },
  {
    key: 'TIMER.T2',
    type: 'integer',
    unit: 'milliseconds',
    default: 4000,
    min: 500,
    max: 60_000,
    help: 'RFC 3261 T2 (ms): longest retransmit interval',
    restart: false,
  },
  {
    key: 'TIMER.T4',
    type: 'integer',
    unit: 'milliseconds',
    default: 5000,
    min: 500,
    max: 60_000,
    help: 'RFC 3261 T4 (ms): longest time a message lives in the network',
    restart: false,
  },
  {
    key: 'PROXY.AUTH_METHODS',
    type: 'list',
    format: 'method',
    default: ['INVITE', 'MESSAGE', 'OPTIONS', 'SUBSCRIBE', 'REFER', 'PUBLISH', 'NOTIFY'],
    help: 'Out-of-dialog methods from our users that must authenticate (407); empty for none',
    restart: false,
  },
  {
    key: 'PROXY.RELAY_FOREIGN',
    type: 'boolean',
    default: false,
    help: 'Forward requests for domains that are not ours (an open relay)',
    restart: false,
  },
  {
    key: 'PROXY.ASSERT_IDENTITY',
    type: 'boolean',
    default: false,
    help:
      'Act as a trust-domain edge to the phones (RFC 3325, as a P-CSCF): a request IMS Lab authenticated ' +
      'goes on with P-Asserted-Identity sip:user@SIP.DOMAIN (or the identity of that user its ' +
      'P-Preferred-Identity names); every other P-Asserted-Identity and every P-Preferred-Identity, in ' +
      'requests and responses, is removed; with Privacy: id none goes on (NO: all three relayed as sent)',
    restart: false,
  },
  {
    key: 'PROXY.FORKING',
    type: 'enum',
    default: 'PARALLEL',
    options: ['PARALLEL', 'SEQUENTIAL'],
    help: 'Several contacts of a user: ring all at once, or one after another by q',
    restart: false,
  },
  {
    key: 'PROXY.TIMER_C',
    type: 'integer',
    unit: 'seconds',
    default: 180,
    min: 1,
    max: 3600,
    help: 'Timer C (s): an INVITE branch without a final answer is cancelled after this long',
    restart: false,
  },
  {
    key: 'CALL.MAX_DURATION',
    type: 'integer',
    unit: 'seconds',
    default: 14_400,
    min: 0,
    max: 604_800,
    help: 'An answered call is ended by IMS Lab (BYE both ways) after this many seconds; 0: never',
    restart: false,
    appliesTo: 'calls answered from now on (a call up keeps the maximum it was answered with)',
  },
  {
    key: 'CDR.OPTIONS',
    type: 'boolean',
    default: true,
    help:
      'Write an OPTIONS row for every OPTIONS IMS Lab answers, as the original did (keepalives make ' +
      'many: turn off to keep the CDR to calls, registrations and messages)',
    restart: false,
  },
  {
    key: 'CDR.REGISTER',
    type: 'boolean',
    default: true,
    help:
      'Write a REGISTER row for every registration, refresh, removal and expiry, as the original did ' +
      '(a registration load test makes millions: turn off to keep the CDR to calls, messages and OPTIONS)',
    restart: false,
  },
  {
    key: 'LOG.LEVEL',
    type: 'enum',
    default: 'INFO',
    options: ['DEBUG', 'INFO', 'WARNING', 'ERROR'],
    help: 'Log level',
    restart: false,
    env: 'LOG_LEVEL',
  },
  {
    key: 'LOG.KEEP_DAYS',
    type: 'integer',
    unit: 'days',
    default: 0,
    min: 0,
    max: 36_500,
    help:
      'Days of logs/ kept: day folders older are removed at start and after midnight, logged ' +
      '(0: keep all, as the original; CDR/ is never removed)',
    restart: false,
  },
  {
    key: 'HTTP.HOST',
    type: 'string',
    format: 'listen',
    default: '0.0.0.0',
    help: 'Address the web console binds',
    restart: true,
    env: 'HTTP_HOST',
  },
  {
    key: 'HTTP.ALLOWED_HOSTS',
    type: 'list',
    format: 'host',
    default: [],
    help: "Names a browser may reach the console by besides IP addresses, one-label names, localhost, .local and this computer's name (others are refused: DNS rebinding)",
    restart: false,
    env: 'HTTP_ALLOWED_HOSTS',
  },
  {
    key: 'HTTP.PORT',
    type: 'integer',
    unit: 'port',
    default: 8888,
    min: 0,
    max: 65535,
    help: 'Web console port (0: a free port)',
    restart: true,
    env: 'HTTP_PORT',
  },
  {
    key: 'PERF.GC_HEADROOM_MB',
    type: 'integer',
    unit: 'MB',
    default: 32,
    min: 0,
    max: 4096,
    help:
      'Garbage the JavaScript heap may gather between two full collections (MB): more makes their pauses, ' +
      'which delay every message in flight, rarer, for that much more memory; 0: V8 decides',
    restart: false,
  },
  {
    key: 'TRACE.RING_MESSAGES',
    type: 'integer',
    unit: 'messages',
    default: 20_000,
    min: 0,
    max: 10_000_000,
    help: 'SIP trace: messages kept in memory, the oldest let go first (0: the trace is off)',
    restart: false,
  },
  {
    key: 'TRACE.RING_MB',
    type: 'integer',
    unit: 'MB',
    default: 64,
    min: 1,
    max: 65_536,
    help: 'SIP trace: memory the kept messages may take (MB)',
    restart: false,
  },
  {
    key: 'TRACE.PERSIST',
    type: 'boolean',
    default: false,
    help: 'SIP trace: also keep every message in <data>/trace.db (SET TRACE STATE=ON)',
    restart: false,
  },
  {
    key: 'TRACE.RETENTION_DAYS',
    type: 'integer',
    unit: 'days',
    default: 7,
    min: 1,
    max: 3650,
    help: 'SIP trace: days trace.db keeps a message',
    restart: false,
  },
  {
    key: 'TRACE.DB_MB',
    type: 'integer',
    unit: 'MB',
    default: 1024,
    min: 1,
    max: 1_048_576,
    help: 'SIP trace: largest size of the messages in trace.db (MB); the oldest go first',
    restart: false,
  },
  {
    key: 'TRACE.HEP_COLLECTOR',
    type: 'string',
    format: 'collector',
    default: '',
    help: 'SIP trace: host:port of a HEPv3 collector (Homer, heplify-server) sent every message over UDP; empty: none',
    restart: false,
  },
  {
    key: 'TRACE.HEP_CAPTURE_ID',
    type: 'integer',
    unit: 'id',
    default: 2001,
    min: 0,
    max: 4_294_967_295,
    help: 'SIP trace: capture agent ID in the HEP packets',
    restart: false,
  },
  {
    key: 'TRACE.HEP_AUTH_KEY',
    type: 'string',
    default: '',
    help: 'SIP trace: the auth key in the HEP packets, for a collector that asks for one (heplify-server HEPAuthKey); empty: none',
    restart: false,
    secret: true,
  },
  // The auto dialer (core/dialer/; reference §5.5 sip_client_config.json). Changes apply at the next
  // STR DIALSVC (account, address, port) or the next campaign (media, concurrency, rate, ring timeout).
  {
    key: 'DIALER.USERNAME',
    type: 'string',
    format: 'user',
    default: '0000',
    help: 'Account the dialer registers and calls from (created at STR DIALSVC if missing)',
    restart: false,
    appliesAt: 'STR DIALSVC',
  },
  {
    key: 'DIALER.PASSWORD',
    type: 'string',
    format: 'password',
    default: '0000',
    help: "Password of the dialer's account (default 0000, the original's: set your own on a shared network)",
    restart: false,
    appliesAt: 'STR DIALSVC',
    secret: true,
  },
  {
    key: 'DIALER.LOCAL_IP',
    type: 'ip',
    default: '',
    help: "Address of the dialer's SIP and RTP sockets (empty: the server's address)",
    restart: false,
    appliesAt: 'STR DIALSVC',
  },
  {
    key: 'DIALER.LOCAL_PORT',
    type: 'integer',
    unit: 'port',
    default: 10000,
    min: 0,
    max: 65535,
    help: "The dialer's SIP UDP port (0: a free port)",
    restart: false,
    appliesAt: 'STR DIALSVC',
  },
  {
    key: 'DIALER.RTP_PORT_MIN',
    type: 'integer',
    unit: 'port',
    default: 20000,
    min: 1024,
    max: 65534,
    help: 'Lowest RTP port of dialer calls (each call takes an even port and the next for RTCP)',
    restart: false,
  },
  {
    key: 'DIALER.RTP_PORT_MAX',
    type: 'integer',
    unit: 'port',
    default: 30000,
    min: 1025,
    max: 65535,
    help: 'Highest RTP port of dialer calls',
    restart: false,
  },
  {
    key: 'DIALER.MEDIA_FILE',
    type: 'string',
    default: 'media/default.wav',
    help: 'WAV prompt played when a campaign names none',
    restart: false,
  },
  {
    key: 'DIALER.CONCURRENCY',
    type: 'integer',
    unit: 'calls',
    default: 10,
    min: 1,
    max: 5000,
    help: 'Default simultaneous calls of a campaign (CONCURRENCY)',
    restart: false,
  },
  {
    key: 'DIALER.RATE',
    type: 'integer',
    unit: 'calls a second',
    default: 10,
    min: 1,
    max: 1000,
    help: 'Default new calls per second of a campaign (RATE)',
    restart: false,
  },
  {
    key: 'DIALER.RING_TIMEOUT',
    type: 'integer',
    unit: 'seconds',
    default: 60,
    min: 1,
    max: 3600,
    help: 'Seconds a dialer call may ring before it is cancelled',
    restart: false,
  },
  {
    key: 'DIALER.REG_LIFETIME',
    type: 'integer',
    unit: 'seconds',
    default: 3600,
    min: 60,
    max: 86_400,
    help: 'Registration lifetime the dialer asks for (refreshed at half)',
    restart: false,
    appliesAt: 'STR DIALSVC',
  },
];

export type SettingValue = string | number | boolean | string[];

export class SettingError extends Error {
  constructor(
    /** The setting key, or the environment variable / file it came from. */
    readonly key: string,
    message: string,
    /** What failed while applying it (a listener's error: a file, the database), for the caller to class. */
    cause?: unknown,
  ) {
    super(`${key}: ${message}`, cause === undefined ? undefined : { cause });
    this.name = 'SettingError';
  }
}

const BY_KEY = new Map(SETTINGS.map((d) => [d.key, d]));

export function definition(key: string): SettingDefinition | undefined {
  return BY_KEY.get(key.toUpperCase());
}

/**
 * A list's items, each once, in the order first given: AUTH.ALGORITHMS=MD5,MD5,SHA-256 sent the same
 * challenge twice in one 401, and SIP.DOMAINS=a.lab,A.LAB kept one domain twice.
 */
function withoutRepeats(items: string[], same: (item: string) => string): string[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = same(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** An address others are told (a zone, an IPv4-mapped one refused: advertised-address.ts), or throws. */
function advertisable(ip: string, source: string): string {
  const why = unadvertisable(ip);
  if (why !== undefined) throw new SettingError(source, cannotBe(ip, why));
  return ip;
}

/** Converts a text or JSON value to the setting's type, or throws SettingError naming `source`. */
export function coerce(def: SettingDefinition, raw: unknown, source = def.key): SettingValue {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  // A secret's value is never echoed (DSP CFG and SET CFG's answer show *****, and so must this).
  const fail = (what: string, got: unknown = raw): never => {
    throw new SettingError(source, mustBe(what, got, def.secret === true));
  };
  const rule = def.format === undefined ? undefined : FORMATS[def.format];
  switch (def.type) {
    case 'integer': {
      const n =
        typeof text === 'number'
          ? text
          : typeof text === 'string' && INTEGER_TEXT.test(text)
            ? Number(text)
            : NaN;
      if (!Number.isInteger(n) || n < (def.min ?? -Infinity) || n > (def.max ?? Infinity)) {
        fail(acceptedForm(def)!);
      }
      return n;
    }
    case 'boolean':
      if (typeof text === 'boolean') return text;
      if (typeof text === 'string' && /^(true|yes|on|1)$/i.test(text)) return true;
      if (typeof text === 'string' && /^(false|no|off|0)$/i.test(text)) return false;
      return fail(acceptedForm(def)!);
    case 'enum': {
      const v = typeof text === 'string' ? text.toUpperCase() : '';
      if (!def.options!.includes(v)) fail(acceptedForm(def)!);
      return v;
    }
    case 'list': {
      // A JSON array (what SAVE CFG writes for a list) holds strings: [1, null] is no list of names.
      const items = Array.isArray(text)
        ? text.every((item) => typeof item === 'string')
          ? text
          : fail('a comma list, or a JSON array of strings')
        : typeof text === 'string'
          ? text.split(',')
          : fail('a comma list');
      const list = items.map((s) => s.trim()).filter((s) => s !== '');
      // The item at fault is named: in a long list the whole value says little.
      for (const item of list)
        if (rule !== undefined && !rule.test(item)) fail(`a comma list of ${rule.items}`, item);
      if (def.options) {
        const up = list.map((s) => s.toUpperCase());
        const of = acceptedForm(def)!;
        for (const [i, v] of up.entries()) if (!def.options.includes(v)) fail(of, list[i]);
        if (up.length === 0) fail(atLeastOne(of));
        return withoutRepeats(up, (v) => v);
      }
      // A host name in any case is one name (RFC 3261 §19.1.4); a method token is case-sensitive (§7.1).
      return withoutRepeats(list, def.format === 'host' ? (v) => v.toLowerCase() : (v) => v);
    }
    case 'ip': {
      // An address others reach us at: a literal IPv4 or IPv6 address, never the unspecified one
      // (0.0.0.0 in an SDP c= line means hold, RFC 3264 §8.4); empty for "detected".
      const wanted = 'an IP address others can reach (not 0.0.0.0 or ::), or empty';
      if (typeof text !== 'string') return fail(wanted);
      if (text === '') return text;
      if (isIP(text) === 0 || text === '0.0.0.0' || /^[0:]+$/.test(text)) return fail(wanted);
      return advertisable(text, source);
    }
    case 'ip6': {
      const wanted = 'an IPv6 address others can reach (not ::), or empty';
      if (typeof text !== 'string') return fail(wanted);
      if (text === '') return text;
      if (isIP(text) !== 6 || /^[0:]+$/.test(text)) return fail(wanted);
      return advertisable(text, source);
    }
    case 'host': {
      // The host of a SIP URI (setting-formats.ts); it becomes every canonical AOR's (sip:user@<host>).
      if (typeof text !== 'string' || !FORMATS.host.test(text)) return fail(FORMATS.host.one);
      return text;
    }
    case 'cidr': {
      const wanted = 'a CIDR list like 192.168.0.0/16, fd00::/8';
      if (typeof text !== 'string') return fail(wanted);
      // Empty items (a trailing comma) are skipped, as in the other comma lists (SIP.DOMAINS).
      const parts = text.split(',').filter((part) => part.trim() !== '');
      if (parts.length === 0) fail(wanted);
      for (const part of parts) {
        const m = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(part.trim());
        const family = m ? isIP(m[1]!) : 0;
        // The item at fault is named, as in the other lists.
        if (family === 0 || Number(m![2]) > (family === 4 ? 32 : 128)) fail(wanted, part.trim());
      }
      return text;
    }
    default: {
      if (typeof text !== 'string') return fail('a string');
      if (rule === undefined || rule.test(text)) return text;
      // Named by its fault, not echoed: a realm of 100,000 characters or with a NUL is no help in a message.
      const problem = rule.problem?.(text);
      if (problem !== undefined) throw new SettingError(source, problem);
      return fail(rule.one);
    }
  }
}

/** Where a setting's current value comes from. */
export type SettingSource = 'default' | 'file' | 'env' | 'mml';

/** A change made at run time (Settings.change), as its listeners see it. */
export interface SettingChange {
  key: string;
  value: SettingValue;
  previous: SettingValue;
  /** The setting takes effect only after a restart (its definition's restart flag). */
  restart: boolean;
}

/** What onUpdate listeners are told: a change in force, or the keys a save wrote to config.json. */
export interface SettingsUpdate {
  type: 'changed' | 'saved';
  keys: string[];
}

const sameValue = (a: SettingValue, b: SettingValue): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Settings that only make sense in order, low ≤ high (< when strict): a registration range whose
 * minimum is above its maximum (RFC 3261 §10.3 step 7 would refuse every expiry with 423, or grant one
 * below the minimum), T1 above T2 (§17.1.2.2: T2 caps intervals that start at T1), an RTP range with no
 * port pair in it.
 */
const ORDERED: readonly { low: string; high: string; strict?: boolean }[] = [
  { low: 'REG.MIN_EXPIRES', high: 'REG.MAX_EXPIRES' },
  { low: 'REG.MIN_EXPIRES', high: 'REG.DEFAULT_EXPIRES' },
  { low: 'REG.DEFAULT_EXPIRES', high: 'REG.MAX_EXPIRES' },
  { low: 'TIMER.T1', high: 'TIMER.T2' },
  { low: 'DIALER.RTP_PORT_MIN', high: 'DIALER.RTP_PORT_MAX', strict: true },
];

/**
 * The first order `value(key)` breaks, said from `key`'s side (any key when undefined: `side` picks one of
 * the pair, else the low one), or undefined. `name` gives the name the problem is reported under and
 * `shown` what is said of the other key's value (its default). A change of `key` (SET CFG, one key at a
 * time) is told which key to set first to move the pair past the other's value: moving the RTP range
 * above DIALER.RTP_PORT_MAX takes MAX before MIN; not when `together` (changed in the same command)
 * holds that key too.
 */
function orderProblem(
  value: (key: string) => number,
  key?: string,
  side?: (low: string, high: string) => string,
  name: (key: string) => string = (k) => k,
  shown: (key: string) => string = (k) => String(value(k)),
  together?: ReadonlyMap<string, SettingValue>,
): SettingError | undefined {
  for (const { low, high, strict } of ORDERED) {
    if (key !== undefined && key !== low && key !== high) continue;
    const [a, b] = [value(low), value(high)];
    if (strict ? a < b : a <= b) continue;
    const at = key ?? side?.(low, high) ?? low;
    const other = at === low ? high : low;
    const relation = at === low ? (strict ? 'below' : 'at most') : strict ? 'above' : 'at least';
    const first =
      key === undefined || together?.has(other) === true
        ? ''
        : `: to move both ${at === low ? 'above' : 'below'} it, set ${other} first`;
    return new SettingError(
      name(at),
      `must be ${relation} ${other} (${shown(other)}), got ${value(at)}${first}`,
    );
  }
  return undefined;
}

/**
 * A dialer call takes an even RTP port and the next one for RTCP (RFC 3550 §11): a range with no such
 * pair inside it (29999..30000) was taken, and every call then failed "no free RTP port pair".
 */
function rtpPairProblem(min: number, max: number, key: string): SettingError | undefined {
  const even = min + (min % 2);
  if (even + 1 <= max) return undefined;
  // Said of the key ("Parameter VALUE: DIALER.RTP_PORT_MAX leaves ...", "DIALER.RTP_PORT_MIN: leaves ...").
  return new SettingError(
    key,
    `leaves the RTP range DIALER.RTP_PORT_MIN..DIALER.RTP_PORT_MAX (${min}..${max}) no even port with the next one above it: each call takes such a pair (RTP, RTCP)`,
  );
}

/** The dialer's socket settings checked against each other and the machine (dialerSocketProblem). */
const DIALER_SOCKET = ['DIALER.LOCAL_IP', 'DIALER.LOCAL_PORT', 'DIALER.RTP_PORT_MIN', 'DIALER.RTP_PORT_MAX'];

/**
 * The dialer's SIP socket as STR DIALSVC will open it: DIALER.LOCAL_PORT inside DIALER.RTP_PORT_MIN..MAX is
 * a port its calls' RTP takes pairs from (both were taken, and each got in the other's way), and a
 * DIALER.LOCAL_IP that is no address of this machine cannot be bound (STR DIALSVC failed EADDRNOTAVAIL).
 * `value` reads a key; `at` is the key being set (its side of the clash is said), else the range clash is
 * said of `side` (what the start names: the key the user gave). Port 0 (a free one) clashes with nothing.
 */
function dialerSocketProblem(
  value: (key: string) => SettingValue,
  at?: string,
  side = 'DIALER.LOCAL_PORT',
  together?: ReadonlyMap<string, SettingValue>,
): { key: string; reason: string } | undefined {
  if (at === undefined || at === 'DIALER.LOCAL_IP') {
    const ip = String(value('DIALER.LOCAL_IP'));
    // fe80::/10 (RFC 4291 §2.5.6): bound only with its interface (bind EINVAL without one), and a zone
    // has no place in SIP (advertised-address.ts): STR DIALSVC failed, blaming DIALER.LOCAL_PORT.
    if (/^fe[89ab][0-9a-f]:/i.test(ip))
      return {
        key: 'DIALER.LOCAL_IP',
        reason: `${ip} is link-local: the dialer's sockets cannot bind it without an interface, and SIP cannot name one: give a global or unique-local (fd00::/8) address, or empty (the server's address)`,
      };
    const foreign = ip === '' ? undefined : foreignAddress(ip);
    if (foreign !== undefined)
      return {
        key: 'DIALER.LOCAL_IP',
        reason: `the address ${ip} is not one of this machine's: the dialer's SIP and RTP sockets cannot bind it (empty: the server's address)`,
      };
  }
  const [port, min, max] = ['DIALER.LOCAL_PORT', 'DIALER.RTP_PORT_MIN', 'DIALER.RTP_PORT_MAX'].map((k) =>
    Number(value(k)),
  ) as [number, number, number];
  if (at === 'DIALER.LOCAL_IP' || port === 0 || port < min || port > max) return undefined;
  const key = at ?? side;
  const range = `DIALER.RTP_PORT_MIN..DIALER.RTP_PORT_MAX (${min}..${max})`;
  return key === 'DIALER.LOCAL_PORT'
    ? {
        key,
        reason: `${port} is inside the dialer's RTP range ${range}: give the dialer's SIP port one outside it, or 0 for a free one`,
      }
    : {
        key,
        // Said of the key, as every reason is ("Parameter VALUE: DIALER.RTP_PORT_MAX puts ...").
        reason: `puts DIALER.LOCAL_PORT (${port}), the dialer's SIP port, inside the RTP range ${range}: keep the range clear of it${
          DIALER_PORTS.every((k) => together?.has(k) === true)
            ? ''
            : `, or set the dialer's ports in one command, checked together: ${dialerPortsAtOnce(key, value(key), together)}`
        }`,
      };
}

/** The dialer's port settings SET CFG sets in one command (one as KEY= and VALUE=, the others by name). */
export const DIALER_PORTS = ['DIALER.RTP_PORT_MIN', 'DIALER.RTP_PORT_MAX', 'DIALER.LOCAL_PORT'] as const;

/** What SET CFG's command below writes for a dialer port not given. */
const PORT_PLACEHOLDER: Readonly<Record<string, string>> = {
  'DIALER.RTP_PORT_MIN': '<min>',
  'DIALER.RTP_PORT_MAX': '<max>',
  'DIALER.LOCAL_PORT': '<port>',
};

/**
 * SET CFG's command that sets the dialer's ports together (MML dialer-ports.ts), `key` with `value` and
 * the others as `given` (placeholders when not): moving the RTP range across DIALER.LOCAL_PORT one key at
 * a time passes a state one check refuses (MIN above MAX, or the port inside the range), whatever the order.
 */
function dialerPortsAtOnce(
  key: string,
  value: SettingValue,
  given?: ReadonlyMap<string, SettingValue>,
): string {
  const others = DIALER_PORTS.filter((k) => k !== key).map(
    (k) =>
      `${k.slice('DIALER.'.length)}=${given?.has(k) === true ? String(given.get(k)) : PORT_PLACEHOLDER[k]}`,
  );
  return `SET CFG KEY=${key} VALUE=${String(value)} ${others.join(' ')}`;
}

/**
 * The address put in Via and Record-Route must be one the SIP listeners can be reached at: of the family
 * they bind (RFC 3261 §18.2.1, §16.6 step 4: responses and in-dialog requests go to it). SIP_HOST=::1
 * with SERVER_IP=127.0.0.1 started and advertised an IPv4 address nothing listened on. SIP.HOST `::`
 * takes both families (an IPv6 peer is given SERVER_IP6); `0.0.0.0` IPv4 only. `key` says which of the
 * two is being set, to name it; else SERVER_IP is named.
 */
function familyClash(s: Settings, key?: string): { key: string; reason: string } | undefined {
  const advertised = s.str('SIP.SERVER_IP');
  const host = s.str('SIP.HOST');
  if (advertised === '' || host === '' || host === '::') return undefined;
  const family = (a: string): 4 | 6 => (isIP(a) === 6 ? 6 : 4);
  if (family(advertised) === family(host)) return undefined;
  const at = key === 'SIP.HOST' ? 'SIP.HOST' : 'SIP.SERVER_IP';
  const other = at === 'SIP.HOST' ? 'SIP.SERVER_IP' : 'SIP.HOST';
  return {
    key: at,
    reason:
      `it is IPv${family(s.str(at))} while ${settingName(s, other)} is IPv${family(s.str(other))} (${s.str(other)}): ` +
      'the SIP listeners would be advertised at an address of a family they do not listen on ' +
      '(SIP.HOST :: listens on both)',
  };
}

/** What the listener checks read of the settings: Settings itself, or the settings the next start will have. */
export type SettingsView = Pick<Settings, 'int' | 'str' | 'source'>;

/** The name a problem with a setting is reported under: its environment variable when set there. */
export function settingName(s: SettingsView, key: string): string {
  const env = definition(key)?.env;
  return s.source(key) === 'env' && env !== undefined ? env : key;
}

/**
 * A SIP listener's port (TLS, WS, WSS) left at its default while SIP.PORT is 0 takes a free port too
 * (tests, several instances on one host).
 */
export function takesFreePort(s: SettingsView, key: string): boolean {
  return key !== 'SIP.PORT' && s.int('SIP.PORT') === 0 && s.source(key) === 'default';
}

/** The listeners' ports, their kinds and the address each binds (SIP.PORT takes UDP, and TCP with SIP.TCP). */
const LISTENERS: readonly { key: string; kinds: readonly ('UDP' | 'TCP')[]; host: string }[] = [
  { key: 'SIP.PORT', kinds: ['UDP', 'TCP'], host: 'SIP.HOST' },
  { key: 'SIP.TLS_PORT', kinds: ['TCP'], host: 'SIP.HOST' },
  { key: 'SIP.WS_PORT', kinds: ['TCP'], host: 'SIP.HOST' },
  { key: 'SIP.WSS_PORT', kinds: ['TCP'], host: 'SIP.HOST' },
  { key: 'HTTP.PORT', kinds: ['TCP'], host: 'HTTP.HOST' },
];

const ANY_ADDRESS = new Set(['', '0.0.0.0', '::']);

/**
 * The kinds a listener binds: SIP.PORT's TCP only with SIP.TCP (the transport binds no TCP listener without
 * it, and a TCP port then free was said to be SIP.PORT's, refused to HTTP.PORT at start and by SET CFG).
 */
function listenerKinds(s: SettingsView, l: (typeof LISTENERS)[number]): readonly ('UDP' | 'TCP')[] {
  return l.key === 'SIP.PORT' && s.str('SIP.TCP') !== 'true' ? ['UDP'] : l.kinds;
}

/**
 * Two listeners given one port and one address: the second could never bind it, and the start failed
 * half-way with a bare EADDRINUSE. Port 0 (a free one) never collides; with SIP.PORT 0 the SIP
 * listeners left at their defaults take free ports too (listener-settings.ts).
 */
function portProblem(s: SettingsView): SettingError | undefined {
  const clash = listenerClash(s);
  return clash === undefined ? undefined : new SettingError(settingName(s, clash.key), clash.reason);
}

/**
 * The first two listeners on one port and address: the key said to be at fault (`of` when it is one of
 * them, else the later of the two) and why, naming the other.
 */
function listenerClash(s: SettingsView, of?: string): { key: string; reason: string } | undefined {
  const port = (key: string): number => (key.startsWith('SIP.') && takesFreePort(s, key) ? 0 : s.int(key));
  for (let i = 1; i < LISTENERS.length; i++) {
    const b = LISTENERS[i]!;
    for (const a of LISTENERS.slice(0, i)) {
      const p = port(b.key);
      const kind = listenerKinds(s, b).find((k) => listenerKinds(s, a).includes(k));
      const [ha, hb] = [s.str(a.host), s.str(b.host)];
      if (p === 0 || p !== port(a.key) || kind === undefined) continue;
      if (ha !== hb && !ANY_ADDRESS.has(ha) && !ANY_ADDRESS.has(hb)) continue;
      // Set by its address (SIP.HOST, HTTP.HOST) or by SIP.TCP, the clash names the later listener.
      const [mine, other] = of === a.key ? [a, b] : of === undefined || of === b.key ? [b, a] : [b, b];
      return {
        key: mine.key,
        reason: `${kind} port ${p} is ${settingName(s, other.key)}'s too: give each listener its own port`,
      };
    }
  }
  return undefined;
}

/**
 * Why a listener's address (SIP.HOST, HTTP.HOST) is not one this machine can bind, or undefined: the start
 * refuses it (port-probe.ts: EADDRNOTAVAIL), and SET CFG took it, to stop an unattended restart.
 * Loopback's whole 127.0.0.0/8 binds on Linux; the unspecified addresses are every interface.
 */
export function foreignAddress(
  host: string,
  interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces(),
): string | undefined {
  if (ANY_ADDRESS.has(host) || (isIP(host) === 4 && host.startsWith('127.'))) return undefined;
  const bare = host.replace(/%.*$/, '').toLowerCase();
  for (const list of Object.values(interfaces))
    for (const a of list ?? []) if (a.address.replace(/%.*$/, '').toLowerCase() === bare) return undefined;
  return `the address ${host} is not one of this machine's (the next start would refuse it)`;
}

/** All settings, typed by key through get(). */
export class Settings {
  private readonly values = new Map<string, SettingValue>();
  readonly #sources = new Map<string, SettingSource>();
  readonly #listeners = new Set<(change: SettingChange) => void>();
  /** Told once a change is in force, or a save written (what a console shows moved: onUpdate). */
  readonly #updated = new Set<(update: SettingsUpdate) => void>();
  /** Keys changed at run time and not yet saved to config.json. */
  readonly #unsaved = new Set<string>();
  /**
   * The value and source a key had before its first run-time change since the start or its last save:
   * a change back to that value is no change to save (SET CFG to the value in force, or undoing one, left
   * the key "Not saved" with source mml, and SAVE CFG would pin a default or an environment's value).
   */
  readonly #baseline = new Map<string, { value: SettingValue; source: SettingSource | undefined }>();
  /** The value a key had before its first run-time change (what the running appliance uses). */
  readonly #started = new Map<string, SettingValue>();
  /** Whether the home running these settings serves HTTP (the desktop app talks to its window over IPC). */
  #servesHttp = true;
  /** The environment the settings were loaded with (loadSettings): the next start's too, for save(). */
  #env: NodeJS.ProcessEnv = {};
  /** V8's heap_size_limit, bytes: what TRACE.RING_MB is checked against (ring-heap.ts). */
  heapSizeLimit: number = getHeapStatistics().heap_size_limit;

  constructor(initial?: Iterable<[string, SettingValue]>) {
    for (const d of SETTINGS) this.values.set(d.key, d.default);
    if (initial) for (const [k, v] of initial) this.set(k, v);
  }

  /**
   * The desktop app serves no HTTP (no browser console, /metrics or `mml` scripting): its HTTP.* settings
   * are kept for the headless server on the same data folder, and no restart ever applies them here.
   */
  servesNoHttp(): void {
    this.#servesHttp = false;
  }

  /** Whether this home serves HTTP: the headless server (true), not the desktop app (false). */
  get servesHttp(): boolean {
    return this.#servesHttp;
  }

  /**
   * The value the environment gives a key at every start (its variable set and not empty, as loadSettings
   * reads it), whatever config.json or SET CFG say; undefined when it gives none.
   */
  envValue(key: string): SettingValue | undefined {
    const def = definition(key);
    const raw = def?.env === undefined ? undefined : this.#env[def.env];
    if (def === undefined || raw === undefined || raw === '') return undefined;
    try {
      return coerce(def, raw, def.env);
    } catch {
      return undefined; // the start refused it: not running with it
    }
  }

  /** The environment variable that sets `key` at every start, overriding config.json, or undefined. */
  envOverride(key: string): string | undefined {
    return this.envValue(key) === undefined ? undefined : definition(key)!.env;
  }

  /** The value the running appliance took at start (before any SET CFG of it). */
  runningValue(key: string): SettingValue {
    const def = definition(key);
    if (def === undefined) throw new SettingError(key, 'unknown setting');
    return this.#started.has(def.key) ? this.#started.get(def.key)! : this.get(def.key);
  }

  /**
   * The settings the next start would have with `key` set to `value`: the others' environment values win
   * over theirs, as at a start.
   */
  nextStart(key: string, value: SettingValue): SettingsView {
    const at = (k: string): SettingValue => (k === key ? value : (this.envValue(k) ?? this.get(k)));
    return {
      int: (k) => Number(at(k)),
      str: (k) => String(at(k)),
      source: (k) => (k !== key && this.envValue(k) !== undefined ? 'env' : this.source(k)),
    };
  }

  /** Records the environment the settings were loaded with (loadSettings). */
  startedWith(env: NodeJS.ProcessEnv): void {
    // Only the settings' variables: nothing else of the environment (a password) is kept here.
    this.#env = Object.fromEntries(
      SETTINGS.flatMap((d) => (d.env !== undefined && env[d.env] !== undefined ? [[d.env, env[d.env]]] : [])),
    );
  }

  /** Whether a setting is used by the home running (every one but HTTP.* on the desktop). */
  usedHere(key: string): boolean {
    return this.#servesHttp || !key.toUpperCase().startsWith('HTTP.');
  }

  get(key: string): SettingValue {
    const v = this.values.get(key);
    if (v === undefined) throw new SettingError(key, 'unknown setting');
    return v;
  }

  str(key: string): string {
    return String(this.get(key));
  }

  int(key: string): number {
    return Number(this.get(key));
  }

  bool(key: string): boolean {
    return this.get(key) === true;
  }

  list(key: string): string[] {
    const v = this.get(key);
    return Array.isArray(v) ? v : [];
  }

  /** Sets a value after coercion and validation; throws SettingError. */
  set(key: string, raw: unknown): SettingValue {
    const def = definition(key);
    if (def === undefined) throw new SettingError(key, 'unknown setting');
    const v = coerce(def, raw);
    this.values.set(def.key, v);
    return v;
  }

  entries(): [string, SettingValue][] {
    return [...this.values.entries()];
  }

  /** Every value by key, e.g. for an export. */
  toJSON(): Record<string, SettingValue> {
    return Object.fromEntries(this.values);
  }

  /** Where the current value of a key comes from. */
  source(key: string): SettingSource {
    const def = definition(key);
    if (def === undefined) throw new SettingError(key, 'unknown setting');
    return this.#sources.get(def.key) ?? 'default';
  }

  /** Records where a value came from (loadSettings: the file or the environment). */
  noteSource(key: string, source: SettingSource): void {
    const def = definition(key);
    if (def === undefined) throw new SettingError(key, 'unknown setting');
    this.#sources.set(def.key, source);
  }

  /**
   * A change at run time (MML SET CFG): validates and sets the value, then tells the onChange listeners,
   * which apply it to the running appliance. When a listener throws, the previous value is restored and
   * a SettingError says why (listeners should check before they change anything). The change is kept in
   * memory until save().
   */
  change(key: string, raw: unknown, together?: ReadonlyMap<string, SettingValue>): SettingChange {
    const def = definition(key);
    if (def === undefined) throw new SettingError(key, 'unknown setting');
    const previous = this.get(def.key);
    const value = coerce(def, raw);
    const heap = def.key === 'TRACE.RING_MB' ? ringHeapProblem(Number(value), this.heapSizeLimit) : undefined;
    if (heap !== undefined) throw new SettingError(def.key, cannotBe(value, heap));
    this.#checkAgainstOthers(def.key, value, together);
    // A restart is needed only to change what runs: setting the value it started with needs none.
    const running = this.#started.has(def.key) ? this.#started.get(def.key)! : previous;
    // Two listeners on one port: refused now, as at start-up (SET CFG took it, SAVE CFG wrote it, and the
    // next start stopped on it).
    if (def.key === 'SIP.TCP' || LISTENERS.some((l) => l.key === def.key || l.host === def.key)) {
      // Said of the key being set: the other listener is the one named. The others as the next start will
      // have them: an environment variable wins over a pending value (SIP_PORT=22200 with SIP.PORT 22230
      // pending let HTTP.PORT 22200 through, and the next start stopped on it).
      const clash = listenerClash(this.nextStart(def.key, value), def.key);
      if (clash !== undefined) throw new SettingError(def.key, cannotBe(value, clash.reason));
    }
    if (def.key === 'SIP.SERVER_IP' || def.key === 'SIP.HOST') {
      const before = this.values.get(def.key)!;
      this.values.set(def.key, value);
      const families = familyClash(this, def.key);
      this.values.set(def.key, before);
      if (families !== undefined) throw new SettingError(def.key, cannotBe(value, families.reason));
    }
    if ((def.key === 'SIP.HOST' || def.key === 'HTTP.HOST') && this.usedHere(def.key)) {
      const foreign = foreignAddress(String(value));
      if (foreign !== undefined) throw new SettingError(def.key, cannotBe(value, foreign));
    }
    const change: SettingChange = {
      key: def.key,
      value,
      previous,
      restart: def.restart && this.usedHere(def.key) && !sameValue(running, value),
    };
    const hadSource = this.#sources.get(def.key);
    const wasUnsaved = this.#unsaved.has(def.key);
    const hadBaseline = this.#baseline.has(def.key);
    if (!hadBaseline) this.#baseline.set(def.key, { value: previous, source: hadSource });
    const baseline = this.#baseline.get(def.key)!;
    this.values.set(def.key, value);
    if (sameValue(baseline.value, value)) {
      // Back to what config.json, the environment or the default gives: nothing to save.
      if (baseline.source === undefined) this.#sources.delete(def.key);
      else this.#sources.set(def.key, baseline.source);
      this.#unsaved.delete(def.key);
      this.#baseline.delete(def.key);
    } else {
      this.#sources.set(def.key, 'mml');
      this.#unsaved.add(def.key);
    }
    if (!this.#started.has(def.key)) this.#started.set(def.key, previous);
    try {
      for (const l of this.#listeners) l(change);
    } catch (err) {
      this.values.set(def.key, previous);
      if (hadSource === undefined) this.#sources.delete(def.key);
      else this.#sources.set(def.key, hadSource);
      if (wasUnsaved) this.#unsaved.add(def.key);
      else this.#unsaved.delete(def.key);
      if (hadBaseline) this.#baseline.set(def.key, baseline);
      else this.#baseline.delete(def.key);
      throw new SettingError(
        def.key,
        `cannot be applied: ${err instanceof Error ? err.message : String(err)}`,
        err,
      );
    }
    this.#tellUpdated({ type: 'changed', keys: [def.key] });
    return change;
  }

  /**
   * The checks of `key` = `value` against other settings (SIP.PORT, the orders, the RTP pair, the
   * dialer's socket), those in `together` read at their new values: a change of several keys
   * (checkTogether) is checked as the combination it makes, not through the states between.
   */
  #checkAgainstOthers(key: string, value: SettingValue, together?: ReadonlyMap<string, SettingValue>): void {
    // The dialer's SIP socket on the SIP listeners' UDP port: STR DIALSVC failed on EADDRINUSE.
    const sipPort = Number(this.runningValue('SIP.PORT'));
    if (key === 'DIALER.LOCAL_PORT' && value !== 0 && (value === sipPort || value === this.int('SIP.PORT')))
      throw new SettingError(
        key,
        cannotBe(
          value,
          "it is SIP.PORT, IMS Lab's own SIP port: give the dialer another port, or 0 for a free one",
        ),
      );
    const other = (k: string): SettingValue => (k === key ? value : (together?.get(k) ?? this.get(k)));
    const disorder = orderProblem((k) => Number(other(k)), key, undefined, undefined, undefined, together);
    if (disorder !== undefined) throw disorder;
    if (key === 'DIALER.RTP_PORT_MIN' || key === 'DIALER.RTP_PORT_MAX') {
      const pairs = rtpPairProblem(
        Number(other('DIALER.RTP_PORT_MIN')),
        Number(other('DIALER.RTP_PORT_MAX')),
        key,
      );
      if (pairs !== undefined) throw pairs;
    }
    if (DIALER_SOCKET.includes(key)) {
      const dialer = dialerSocketProblem(other, key, undefined, together);
      // The range's keys say what they do ("puts DIALER.LOCAL_PORT ..."); the socket's say their value.
      if (dialer !== undefined)
        throw new SettingError(
          key,
          key.startsWith('DIALER.RTP_') ? dialer.reason : cannotBe(value, dialer.reason),
        );
    }
  }

  /**
   * Several keys to be changed as one (SET CFG of the dialer's ports): their values coerced, and each
   * checked against the others' new values, so that a range moved across DIALER.LOCAL_PORT need not pass
   * through a state that one-at-a-time checks refuse. Throws the first SettingError; returns the values,
   * each then changed with change(key, raw, together).
   */
  checkTogether(values: readonly (readonly [string, unknown])[]): Map<string, SettingValue> {
    const together = new Map<string, SettingValue>();
    for (const [key, raw] of values) {
      const def = definition(key);
      if (def === undefined) throw new SettingError(key, 'unknown setting');
      together.set(def.key, coerce(def, raw));
    }
    for (const [key, value] of together) this.#checkAgainstOthers(key, value, together);
    return together;
  }

  /** Called after every change(); returns the unsubscribe function. */
  onChange(listener: (change: SettingChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Called after a change is in force (every onChange listener took it) and after save() wrote keys: the
   * values, their sources or the unsaved keys moved, whoever asked (SET CFG, SET TRACE, SET LOG, SAVE CFG
   * from any console or `mml`). Returns the unsubscribe function.
   */
  onUpdate(listener: (update: SettingsUpdate) => void): () => void {
    this.#updated.add(listener);
    return () => this.#updated.delete(listener);
  }

  #tellUpdated(update: SettingsUpdate): void {
    // Listeners only show what changed and must not throw: the change is in force already.
    for (const l of this.#updated) l(update);
  }

  /** Keys changed at run time and not saved yet. */
  unsaved(): string[] {
    return SETTINGS.map((d) => d.key).filter((k) => this.#unsaved.has(k));
  }

  /** Keys changed at run time that need a restart to take effect (and differ from the running value). */
  pendingRestart(): string[] {
    // What the next start takes: the environment's value wins over a SET CFG of its key (then nothing of
    // it waits for a restart, whatever DSP CFG's Value shows).
    return SETTINGS.filter((d) => {
      const started = this.#started.get(d.key);
      const next = this.envValue(d.key) ?? this.get(d.key);
      return d.restart && this.usedHere(d.key) && started !== undefined && !sameValue(started, next);
    }).map((d) => d.key);
  }

  /** Keys set by SET CFG or config.json that the environment overrides at every start. */
  overriddenByEnvironment(): { key: string; env: string }[] {
    return SETTINGS.flatMap((d) => {
      const env = this.envOverride(d.key);
      return env !== undefined && this.source(d.key) !== 'env' ? [{ key: d.key, env }] : [];
    });
  }

  /**
   * Writes the run-time changes into <dataDir>/config.json, keeping the other entries of the file, through
   * a temporary file and a rename (a crash leaves the old or the new file, never half of one). Returns the
   * file and the keys written. Throws SettingError when the existing file is not a JSON object (it is
   * left alone).
   */
  save(dataDir: string): { file: string; keys: string[] } {
    const file = join(dataDir, CONFIG_FILE);
    const keys = this.unsaved();
    if (keys.length === 0) return { file, keys };
    let content: Record<string, unknown> = {};
    if (existsSync(file)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(configText(file));
      } catch (err) {
        if (err instanceof SettingError) throw err;
        throw new SettingError(file, `not valid JSON (${(err as Error).message}); not overwritten`);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new SettingError(file, 'expected a JSON object; not overwritten');
      content = parsed as Record<string, unknown>;
    }
    for (const key of keys) {
      for (const k of Object.keys(content)) if (k.toUpperCase() === key) delete content[k];
      content[key] = this.get(key);
    }
    const refused = nextStartProblem(file, content, this.#env, this.heapSizeLimit);
    if (refused !== undefined) throw refused;
    mkdirSync(dataDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    // Readable by the appliance's user only, as secret.key and users_export are: it may hold
    // DIALER.PASSWORD. The rename gives an older, looser file the new mode; chmod covers a temporary
    // file left by a crash (writeFileSync's mode applies only to a file it creates).
    try {
      writeFileSync(tmp, `${JSON.stringify(content, null, 2)}\n`, { mode: CONFIG_FILE_MODE });
      chmodSync(tmp, CONFIG_FILE_MODE);
      renameSync(tmp, file);
    } catch (err) {
      // Not saved (a full disk): config.json is as it was, and no half-written temporary file stays.
      rmSync(tmp, { force: true });
      throw err;
    }
    for (const key of keys) {
      this.#unsaved.delete(key);
      this.#baseline.delete(key);
    }
    this.#tellUpdated({ type: 'saved', keys });
    return { file, keys };
  }
}

export const CONFIG_FILE = 'config.json';
/** config.json's mode: owner read and write only. */
export const CONFIG_FILE_MODE = 0o600;

/**
 * Why a key of the original's config/config.json (reference §5.2) has no counterpart here (those that
 * have one are in ORIGINAL_NAMES, and USERS): such a file copied into the data folder is refused, naming them.
 */
const ORIGINAL_FILE_KEYS: Readonly<Record<string, string>> = {
  FORCE_LOCAL_ADDR: "the original's setting has no counterpart here: remove it",
  CDR_MERGE_MODE: "the original's setting has no counterpart here (CDR rows are always merged): remove it",
};

/**
 * The original's names of settings that have one here: its config.json keys (reference §5.2) and the
 * keys its DSP CFG showed (§5.3), which scripts written for it use.
 */
const ORIGINAL_NAMES: Readonly<Record<string, string>> = {
  SERVER_PORT: 'SIP.PORT',
  LOCAL_NETWORKS: 'SIP.LOCAL_NETWORK_CIDR',
  'SIP.SERVER_PORT': 'SIP.PORT',
  // Its DSP SYSCFG's and docs' name for the expiry a registration gets when it asks for none.
  REGISTRATION_EXPIRES: 'REG.DEFAULT_EXPIRES',
  'MML.HTTP_PORT': 'HTTP.PORT',
};

/** config.json's largest size: every setting takes a few KB; a bigger file is no config.json. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * config.json's text, without the byte order mark an editor on Windows may put first (it is UTF-8, and
 * a file in another encoding is refused, naming it).
 * Checked first, as IMP USER checks its FILE: a link to /dev/zero was read until the process died.
 */
export function configText(file: string): string {
  const stat = statSync(file);
  if (!stat.isFile()) throw new SettingError(file, 'not a regular file');
  if (stat.size > MAX_CONFIG_BYTES)
    throw new SettingError(
      file,
      `${stat.size} bytes; a config.json is at most ${MAX_CONFIG_BYTES} bytes (1 MB)`,
    );
  // Decoded strictly: a file saved in GBK or Latin-1 was read with U+FFFD in place of its letters, and a
  // realm or password changed without a word (text-file.ts names what it is instead).
  const text = utf8Text(
    readFileSync(file),
    (problem) => new SettingError(file, `${problem}: save it as UTF-8`),
  );
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Our key for a setting given by its environment variable's name (LOG_LEVEL) or by the original's name
 * (SERVER_PORT, SIP.SERVER_PORT, MML.HTTP_PORT); undefined for any other name.
 */
export function renamedSetting(name: string): string | undefined {
  const k = name.trim().toUpperCase();
  return (
    SETTINGS.find((d) => d.env === k)?.key ??
    (Object.hasOwn(ORIGINAL_NAMES, k) ? ORIGINAL_NAMES[k] : undefined)
  );
}

/**
 * Where IMS Lab takes what a config.json key of another name holds: the setting to write when it is an
 * environment variable's or the original's name, IMP USER for the original's USERS; undefined for any other
 * key. Said for such a file copied into the data folder, and for the original's own left beside it.
 */
export function keyElsewhere(k: string): string | undefined {
  const byEnv = SETTINGS.find((d) => d.env === k);
  if (byEnv !== undefined) return `write ${byEnv.key} instead (${k} is its environment variable)`;
  // Own keys only: "toString" or "__proto__" in a file named the object's own ("write function toString()").
  if (Object.hasOwn(ORIGINAL_NAMES, k)) return `write ${ORIGINAL_NAMES[k]} instead`;
  if (k === 'USERS') return 'users are kept in the database: import them with IMP USER';
  return undefined;
}

/** Why a config.json key is unknown, with the key to write when it is an environment variable's or the original's name. */
function unknownFileKey(k: string): string {
  const elsewhere = keyElsewhere(k);
  if (elsewhere !== undefined) return `unknown setting: ${elsewhere}`;
  if (Object.hasOwn(ORIGINAL_FILE_KEYS, k)) return `unknown setting: ${ORIGINAL_FILE_KEYS[k]}`;
  // A typo (LOG.LEVL): the nearest key, as SET CFG suggests it.
  const near = closest(
    k,
    SETTINGS.map((d) => d.key),
  );
  return near === undefined ? 'unknown setting' : `unknown setting (did you mean ${near}?)`;
}

/**
 * Settings from the defaults, then <dataDir>/config.json ({ "REG.MIN_EXPIRES": 30, ... }), then the
 * environment. Throws SettingError naming the key, file or variable at fault.
 */
export function loadSettings(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
  heapSizeLimit?: number,
): Settings {
  const file = join(dataDir, CONFIG_FILE);
  let parsed: Record<string, unknown> = {};
  if (existsSync(file)) {
    let json: unknown;
    try {
      json = JSON.parse(configText(file));
    } catch (err) {
      if (err instanceof SettingError) throw err;
      throw new SettingError(file, `not valid JSON (${(err as Error).message})`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw new SettingError(file, 'expected a JSON object');
    parsed = json as Record<string, unknown>;
  }
  const s = settingsFrom(file, parsed, env, heapSizeLimit);
  s.startedWith(env);
  return s;
}

/**
 * Settings from the defaults, then the entries of config.json (`file`, parsed), then the environment,
 * checked as a start checks them: what loadSettings makes of a file, and what SAVE CFG checks the file
 * it writes against (the next start must take it).
 */
function settingsFrom(
  file: string,
  parsed: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  heapSizeLimit: number | undefined,
): Settings {
  const s = new Settings();
  if (heapSizeLimit !== undefined) s.heapSizeLimit = heapSizeLimit;
  // Every key at fault is named at once: the original's config.json, copied in, has four.
  const problems: SettingError[] = [];
  for (const [k, v] of Object.entries(parsed)) {
    const def = definition(k);
    if (def === undefined) {
      problems.push(new SettingError(`${file} ${k}`, unknownFileKey(k)));
      continue;
    }
    try {
      s.set(def.key, coerce(def, v, `${file} ${k}`));
      s.noteSource(def.key, 'file');
      // A ring the heap cannot hold ended the process once full (ring-heap.ts); the default is capped.
      const heap = def.key === 'TRACE.RING_MB' ? ringHeapProblem(s.int(def.key), s.heapSizeLimit) : undefined;
      if (heap !== undefined) throw new SettingError(`${file} ${k}`, heap);
    } catch (err) {
      if (!(err instanceof SettingError)) throw err;
      problems.push(err);
    }
  }
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) {
    const each = problems.map((p) => p.message.slice(file.length + 1)).join('; ');
    throw new SettingError(file, `${problems.length} settings to fix: ${each}`);
  }
  for (const def of SETTINGS) {
    const raw = def.env === undefined ? undefined : env[def.env];
    if (raw !== undefined && raw !== '') {
      s.set(def.key, coerce(def, raw, def.env));
      s.noteSource(def.key, 'env');
    }
  }
  // Checked once every source is read: a file may raise a maximum after the minimum it exceeds. Said of
  // the key the user wrote, in the file or variable it is in: {"REG.MAX_EXPIRES": 100} was refused as
  // "REG.DEFAULT_EXPIRES: must be at most ..." (a key at its default), the file not named.
  const given = (k: string): boolean => s.source(k) !== 'default';
  const disorder = orderProblem(
    (k) => s.int(k),
    undefined,
    (low, high) => (!given(low) && given(high) ? high : low),
    (k) => (s.source(k) === 'file' ? `${file} ${k}` : settingName(s, k)),
    (k) =>
      given(k)
        ? String(s.int(k))
        : `${s.int(k)}, its default: change both, or set ${k} in ${CONFIG_FILE} too`,
  );
  if (disorder !== undefined) throw disorder;
  const pairs = rtpPairProblem(
    s.int('DIALER.RTP_PORT_MIN'),
    s.int('DIALER.RTP_PORT_MAX'),
    s.source('DIALER.RTP_PORT_MIN') === 'file' ? `${file} DIALER.RTP_PORT_MIN` : 'DIALER.RTP_PORT_MIN',
  );
  if (pairs !== undefined) throw pairs;
  const collision = portProblem(s);
  if (collision !== undefined) throw collision;
  // Said of the key the user gave (a range set in config.json holding the default DIALER.LOCAL_PORT names it).
  const dialerSide =
    given('DIALER.LOCAL_PORT') || !['DIALER.RTP_PORT_MIN', 'DIALER.RTP_PORT_MAX'].some(given)
      ? 'DIALER.LOCAL_PORT'
      : given('DIALER.RTP_PORT_MIN')
        ? 'DIALER.RTP_PORT_MIN'
        : 'DIALER.RTP_PORT_MAX';
  // DIALER.LOCAL_IP's address not on this machine now (its interface down) does not stop the start: only
  // STR DIALSVC binds it (dialer-address.ts; the appliance says so in a WARNING). Its ports are checked.
  const dialer = dialerSocketProblem((k) => (k === 'DIALER.LOCAL_IP' ? '' : s.get(k)), undefined, dialerSide);
  if (dialer !== undefined)
    throw new SettingError(
      s.source(dialer.key) === 'file' ? `${file} ${dialer.key}` : dialer.key,
      dialer.reason,
    );
  const families = familyClash(s);
  if (families !== undefined) throw new SettingError(settingName(s, families.key), families.reason);
  return s;
}

/**
 * SAVE CFG's check of the config.json it is about to write (the run-time changes merged into the file's
 * other entries, hand edits included): the next start must take it. It said "Saved" and kept a
 * LOG.LEVEL=BOGUS or an unknown key written by hand, and the next start stopped on them.
 */
function nextStartProblem(
  file: string,
  content: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  heapSizeLimit: number,
): SettingError | undefined {
  try {
    settingsFrom(file, content, env, heapSizeLimit);
    return undefined;
  } catch (err) {
    if (!(err instanceof SettingError)) throw err;
    return new SettingError(
      err.key,
      `${err.message.slice(err.key.length + 2)}; the next start would refuse it, so ${file} was not ` +
        'overwritten: correct or remove it there (or SET CFG it), then SAVE CFG again',
    );
  }
}
