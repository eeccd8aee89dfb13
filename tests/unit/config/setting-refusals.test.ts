// Every setting's refusal as SET CFG says it after "Parameter VALUE: <KEY> " (and the start after "<KEY>: "):
// a sentence whose verb follows the key, saying what is wrong and what is accepted, in English and 中文
// (setting-refusal.ts). Before, most read "<KEY> expected an integer 1..3600, got ..." or, for a clash,
// "<KEY> the address 192.0.2.1 is not one of this machine's".
import { describe, expect, it } from 'vitest';
import { SETTINGS, Settings } from '../../../core/config/settings';
import { zhMessage } from '../../../core/mml/lang';

/** [key, a bad value, what change() answers after "<key>: "]: one row per setting. */
const WRONG_FORM: readonly [string, unknown, string][] = [
  [
    'SIP.SERVER_IP',
    '0.0.0.0',
    'must be an IP address others can reach (not 0.0.0.0 or ::), or empty (got "0.0.0.0")',
  ],
  [
    'SIP.SERVER_IP6',
    '0.0.0.0',
    'must be an IPv6 address others can reach (not ::), or empty (got "0.0.0.0")',
  ],
  [
    'SIP.LOCAL_NETWORK_CIDR',
    '10.0.0.0/8,10.0.0.0/33',
    'must be a CIDR list like 192.168.0.0/16, fd00::/8 (got "10.0.0.0/33")',
  ],
  [
    'SIP.HOST',
    'a b',
    'must be an IP address of this machine (IPv4 or IPv6), or 0.0.0.0 or :: for all of them (got "a b")',
  ],
  ['SIP.PORT', 'abc', 'must be a port number from 0 to 65535 (got "abc")'],
  ['SIP.TCP', 'maybe', 'must be YES or NO (or TRUE/FALSE, ON/OFF, 1/0) (got "maybe")'],
  ['SIP.TLS_PORT', 'abc', 'must be a port number from 0 to 65535 (got "abc")'],
  ['SIP.TLS_CERT', 5, 'must be a string (got 5)'],
  ['SIP.TLS_KEY', 5, 'must be a string (got 5)'],
  ['SIP.TLS_CA', 5, 'must be a string (got 5)'],
  ['SIP.WS_PORT', 'abc', 'must be a port number from 0 to 65535 (got "abc")'],
  ['SIP.WSS_PORT', 'abc', 'must be a port number from 0 to 65535 (got "abc")'],
  [
    'SIP.WS_ORIGINS',
    'a b',
    'must be a comma list of origins like https://lab.example:8443 (scheme://host[:port], no path, RFC 6454 §6.2) (got "a b")',
  ],
  ['SIP.TCP_MAX_CONNECTIONS', 'abc', 'must be a whole number of connections from 0 to 1000000 (got "abc")'],
  ['SIP.TLS_MAX_CONNECTIONS', 'abc', 'must be a whole number of connections from 0 to 1000000 (got "abc")'],
  ['SIP.WS_MAX_CONNECTIONS', 'abc', 'must be a whole number of connections from 0 to 1000000 (got "abc")'],
  ['SIP.TCP_IDLE_TIMEOUT', 'abc', 'must be a whole number of seconds from 1 to 86400 (got "abc")'],
  ['SIP.TLS_IDLE_TIMEOUT', 'abc', 'must be a whole number of seconds from 1 to 86400 (got "abc")'],
  ['SIP.WS_IDLE_TIMEOUT', 'abc', 'must be a whole number of seconds from 1 to 86400 (got "abc")'],
  ['SIP.HANDSHAKE_TIMEOUT', 'abc', 'must be a whole number of seconds from 1 to 300 (got "abc")'],
  ['SIP.MESSAGE_TIMEOUT', 'abc', 'must be a whole number of seconds from 0 to 3600 (got "abc")'],
  ['SIP.DOMAIN', 'a b', 'must be a host name like ims.lab, or an IPv4 address (got "a b")'],
  ['SIP.DOMAINS', 'a b', 'must be a comma list of host names like ims.lab, or IPv4 addresses (got "a b")'],
  ['SIP.MAX_MESSAGE_SIZE', 'abc', 'must be a whole number of bytes from 1024 to 1048576 (got "abc")'],
  ['SIP.WARMUP_CALLS', 'abc', 'must be a whole number of calls from 0 to 100000 (got "abc")'],
  ['AUTH.REALM', '', 'must be 1..128 characters'],
  ['AUTH.ALGORITHMS', 'MD5,MD4', 'must be a comma list of MD5, SHA-256 (got "MD4")'],
  ['AUTH.REGISTER', 'maybe', 'must be YES or NO (or TRUE/FALSE, ON/OFF, 1/0) (got "maybe")'],
  ['AUTH.RFC2069', 'maybe', 'must be YES or NO (or TRUE/FALSE, ON/OFF, 1/0) (got "maybe")'],
  ['AUTH.NONCE_LIFETIME', 'abc', 'must be a whole number of seconds from 10 to 86400 (got "abc")'],
  ['AUTH.LOCKOUT_FAILURES', 'abc', 'must be a whole number of failures from 0 to 1000000 (got "abc")'],
  ['AUTH.LOCKOUT_SOURCE_FAILURES', 'abc', 'must be a whole number of failures from 0 to 1000000 (got "abc")'],
  ['AUTH.LOCKOUT_WINDOW', 'abc', 'must be a whole number of seconds from 1 to 86400 (got "abc")'],
  ['AUTH.LOCKOUT_SECONDS', 'abc', 'must be a whole number of seconds from 1 to 86400 (got "abc")'],
  ['REG.MIN_EXPIRES', 'abc', 'must be a whole number of seconds from 1 to 3600 (got "abc")'],
  ['REG.MAX_EXPIRES', 'abc', 'must be a whole number of seconds from 1 to 604800 (got "abc")'],
  ['REG.DEFAULT_EXPIRES', 'abc', 'must be a whole number of seconds from 1 to 604800 (got "abc")'],
  ['REG.MAX_CONTACTS', 'abc', 'must be a whole number of bindings from 1 to 1000 (got "abc")'],
  ['REG.FLOW_TIMER', 'abc', 'must be a whole number of seconds from 0 to 3600 (got "abc")'],
  ['REG.NAT_KEEPALIVE', 'abc', 'must be a whole number of seconds from 0 to 3600 (got "abc")'],
  ['TIMER.T1', 'abc', 'must be a whole number of milliseconds from 50 to 10000 (got "abc")'],
  ['TIMER.T2', 'abc', 'must be a whole number of milliseconds from 500 to 60000 (got "abc")'],
  ['TIMER.T4', 'abc', 'must be a whole number of milliseconds from 500 to 60000 (got "abc")'],
  [
    'PROXY.AUTH_METHODS',
    'a b',
    'must be a comma list of SIP methods like INVITE, MESSAGE (RFC 3261 §25.1 tokens: no spaces) (got "a b")',
  ],
  ['PROXY.RELAY_FOREIGN', 'maybe', 'must be YES or NO (or TRUE/FALSE, ON/OFF, 1/0) (got "maybe")'],
  ['PROXY.ASSERT_IDENTITY', 'maybe', 'must be YES or NO (or TRUE/FALSE, ON/OFF, 1/0) (got "maybe")'],
  ['PROXY.FORKING', 'BOGUS', 'must be one of PARALLEL, SEQUENTIAL (got "BOGUS")'],
  ['PROXY.TIMER_C', 'abc', 'must be a whole number of seconds from 1 to 3600 (got "abc")'],
  ['CALL.MAX_DURATION', 'abc', 'must be a whole number of seconds from 0 to 604800 (got "abc")'],
  ['CDR.OPTIONS', 'maybe', 'must be YES or NO (or TRUE/FALSE, ON/OFF, 1/0) (got "maybe")'],
  ['CDR.REGISTER', 'maybe', 'must be YES or NO (or TRUE/FALSE, ON/OFF, 1/0) (got "maybe")'],
  ['LOG.LEVEL', 'BOGUS', 'must be one of DEBUG, INFO, WARNING, ERROR (got "BOGUS")'],
  ['LOG.KEEP_DAYS', 'abc', 'must be a whole number of days from 0 to 36500 (got "abc")'],
  [
    'HTTP.HOST',
    'a b',
    'must be an IP address of this machine (IPv4 or IPv6), or 0.0.0.0 or :: for all of them (got "a b")',
  ],
  [
    'HTTP.ALLOWED_HOSTS',
    'a b',
    'must be a comma list of host names like ims.lab, or IPv4 addresses (got "a b")',
  ],
  ['HTTP.PORT', 'abc', 'must be a port number from 0 to 65535 (got "abc")'],
  ['PERF.GC_HEADROOM_MB', 'abc', 'must be a whole number of MB from 0 to 4096 (got "abc")'],
  ['TRACE.RING_MESSAGES', 'abc', 'must be a whole number of messages from 0 to 10000000 (got "abc")'],
  ['TRACE.RING_MB', 'abc', 'must be a whole number of MB from 1 to 65536 (got "abc")'],
  ['TRACE.PERSIST', 'maybe', 'must be YES or NO (or TRUE/FALSE, ON/OFF, 1/0) (got "maybe")'],
  ['TRACE.RETENTION_DAYS', 'abc', 'must be a whole number of days from 1 to 3650 (got "abc")'],
  ['TRACE.DB_MB', 'abc', 'must be a whole number of MB from 1 to 1048576 (got "abc")'],
  [
    'TRACE.HEP_COLLECTOR',
    'a b',
    'must be host:port, like 10.0.0.5:9060, homer.lab:9060 or [2001:db8::5]:9060 (no spaces), or empty (got "a b")',
  ],
  ['TRACE.HEP_CAPTURE_ID', 'abc', 'must be a whole number from 0 to 4294967295 (got "abc")'],
  ['TRACE.HEP_AUTH_KEY', 5, 'must be a string'],
  [
    'DIALER.USERNAME',
    'a b',
    'must be a user name of 1..64 characters of A-Z a-z 0-9 . _ + - (as ADD USER takes) (got "a b")',
  ],
  ['DIALER.PASSWORD', '', 'must be a password of 1..128 characters'],
  [
    'DIALER.LOCAL_IP',
    '0.0.0.0',
    'must be an IP address others can reach (not 0.0.0.0 or ::), or empty (got "0.0.0.0")',
  ],
  ['DIALER.LOCAL_PORT', 'abc', 'must be a port number from 0 to 65535 (got "abc")'],
  ['DIALER.RTP_PORT_MIN', 'abc', 'must be a port number from 1024 to 65534 (got "abc")'],
  ['DIALER.RTP_PORT_MAX', 'abc', 'must be a port number from 1025 to 65535 (got "abc")'],
  ['DIALER.MEDIA_FILE', 5, 'must be a string (got 5)'],
  ['DIALER.CONCURRENCY', 'abc', 'must be a whole number of calls from 1 to 5000 (got "abc")'],
  ['DIALER.RATE', 'abc', 'must be a whole number of calls a second from 1 to 1000 (got "abc")'],
  ['DIALER.RING_TIMEOUT', 'abc', 'must be a whole number of seconds from 1 to 3600 (got "abc")'],
  ['DIALER.REG_LIFETIME', 'abc', 'must be a whole number of seconds from 60 to 86400 (got "abc")'],
];

/** Values of the right form that clash with another setting or the machine: "cannot be <value>: why". */
const CLASHES: readonly [string, unknown, RegExp][] = [
  ['HTTP.PORT', 5060, /^cannot be 5060: TCP port 5060 is SIP\.PORT's too: give each listener its own port$/],
  ['SIP.HOST', '192.0.2.1', /^cannot be 192\.0\.2\.1: the address 192\.0\.2\.1 is not one of this machine's/],
  ['SIP.SERVER_IP', '::1', /^cannot be ::1: it is IPv6 while SIP\.HOST is IPv4 \(127\.0\.0\.1\): /],
  ['DIALER.LOCAL_PORT', 5060, /^cannot be 5060: it is SIP\.PORT, IMS Lab's own SIP port: /],
  ['DIALER.LOCAL_PORT', 25000, /^cannot be 25000: 25000 is inside the dialer's RTP range /],
  [
    'DIALER.LOCAL_IP',
    '192.0.2.1',
    /^cannot be 192\.0\.2\.1: the address 192\.0\.2\.1 is not one of this machine's/,
  ],
  // RFC 3261 §25.1: an IPv6reference has no zone; an IPv4-mapped address no IPv6 peer reaches.
  [
    'SIP.SERVER_IP6',
    'fe80::1%lo',
    /^cannot be fe80::1%lo: a zone \(%lo\) names an interface .+ \(fe80::1\)$/,
  ],
  [
    'SIP.SERVER_IP6',
    '::ffff:127.0.0.1',
    /^cannot be ::ffff:127\.0\.0\.1: an IPv4-mapped address is an IPv4 one/,
  ],
  ['SIP.SERVER_IP', '::FFFF:7f00:1', /^cannot be ::FFFF:7f00:1: an IPv4-mapped address/],
  // RFC 4291 §2.5.6: a link-local address is bound with its interface only (bind EINVAL).
  [
    'DIALER.LOCAL_IP',
    'fe80::fc:ff:fe00:1',
    /^cannot be fe80::fc:ff:fe00:1: fe80::fc:ff:fe00:1 is link-local: /,
  ],
  ['TRACE.RING_MB', 2000, /^cannot be 2000: 2000 MB is more than the JavaScript heap can spare/],
];

/** The refusal of `value` for `key` by SET CFG's check (Settings.change), after "<key>: ". */
function refusal(s: Settings, key: string, value: unknown): string {
  try {
    s.change(key, value);
  } catch (err) {
    const message = (err as Error).message;
    expect(message.startsWith(`${key}: `), message).toBe(true);
    return message.slice(key.length + 2);
  }
  throw new Error(`${key}=${JSON.stringify(value)} was taken`);
}

/** SET CFG's answer in 中文: every word of the reason translated, the key kept. */
function expectChinese(key: string, reason: string, verb: RegExp): void {
  const zh = zhMessage(`Parameter VALUE: ${key} ${reason}`);
  expect(zh.startsWith(`参数 VALUE 错误: ${key} `), zh).toBe(true);
  expect(zh, zh).toMatch(verb);
  expect(zh, zh).not.toMatch(/\b(must|cannot|expected|got|while|inside|is)\b/);
}

describe("SET CFG's refusals name the key and say what is wrong and what is accepted", () => {
  it('has a row for every setting', () => {
    expect(new Set(WRONG_FORM.map(([key]) => key))).toEqual(new Set(SETTINGS.map((d) => d.key)));
  });

  it.each(WRONG_FORM)('%s=%j: "%s", and in 中文', (key, value, reason) => {
    expect(refusal(new Settings(), key, value)).toBe(reason);
    expectChinese(key, reason, /应为/);
  });

  it('says the unit of every whole-number setting, or that it is a port', () => {
    for (const d of SETTINGS.filter((s) => s.type === 'integer')) expect(d.unit, d.key).toBeDefined();
  });

  it('says in 中文 that a value could not be applied, the file named (a WAV prompt that is a folder)', () => {
    expect(zhMessage('Parameter VALUE: DIALER.MEDIA_FILE cannot be applied: /data: not a file')).toBe(
      '参数 VALUE 错误: DIALER.MEDIA_FILE 无法生效: /data: 不是文件',
    );
  });

  it.each(CLASHES)('%s=%j clashing: "cannot be <value>: why", and in 中文', (key, value, reason) => {
    const s = new Settings([['SIP.HOST', '127.0.0.1']]);
    s.heapSizeLimit = 1024 * 2 ** 20;
    const said = refusal(s, key, value);
    expect(said).toMatch(reason);
    expectChinese(key, said, /不能为/);
  });
});
