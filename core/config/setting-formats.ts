// The forms a setting's text must take beyond its type (settings.ts, SettingDefinition.format): a host
// name, an address to listen on, a user name, a SIP method, a WebSocket origin, a HEP collector's
// host:port. coerce() checks them, so SET CFG, config.json and the environment refuse the same values
// when they are given, not when the listener, the proxy, the trace or STR DIALSVC first uses them.
import { isIP } from 'node:net';

export type SettingFormat =
  'host' | 'listen' | 'user' | 'password' | 'realm' | 'method' | 'origin' | 'collector';

export interface FormatRule {
  /** What one value must be, for "expected …" (a string setting's value). */
  one: string;
  /** The same for each item of a list setting. */
  items: string;
  test: (text: string) => boolean;
  /** What is wrong with a value `test` refuses, said instead of "expected …" when the rule names it. */
  problem?: (text: string) => string | undefined;
}

/** RFC 3261 §25.1 hostname: labels of letters, digits and inner '-', the last starting with a letter. */
const HOST_NAME =
  /^(?=.{1,253}\.?$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$/;

/** The longest user name: the user store's, so ADD USER's and DSP REG's USERNAME= take the same. */
export const USER_NAME_MAX_LENGTH = 64;

/**
 * A user part that needs no escaping (RFC 3261 §25.1: unreserved and user-unreserved characters): the
 * rule for a user name, of the user store (core/store/user-fields.ts uses it) and so of DIALER.USERNAME,
 * an account of that store.
 */
export const SIP_USER_NAME = new RegExp(`^[A-Za-z0-9._+-]{1,${USER_NAME_MAX_LENGTH}}$`);

/** RFC 3261 §25.1: Method = INVITEm / ACKm / … / extension-method, extension-method = token. */
const TOKEN = /^[A-Za-z0-9.!%*_+`'~-]+$/;

/**
 * What is wrong with a digest realm, or undefined: the rule of the user store (core/store/users.ts) and so
 * of AUTH.REALM. It is sent as a quoted-string (RFC 3261 §25.1, RFC 7616 §3.3): free of quotes, escapes
 * and control characters.
 */
export function realmProblem(v: string): string | undefined {
  if (v.length < 1 || v.length > 128) return 'must be 1..128 characters';
  if (/[\p{Cc}"\\]/u.test(v)) return 'must not contain control characters, " or \\';
  return undefined;
}

/** Characters, not UTF-16 units, as the user store counts a password. */
const length = (s: string): number => [...s].length;

/**
 * An origin as a browser sends it in Origin (RFC 6454 §6.2): scheme://host[:port], lower case, without
 * the default port, a path or a slash. The WebSocket listener compares the header with the list as
 * text, so any other spelling would never match.
 */
function isOrigin(text: string): boolean {
  let origin: string;
  try {
    origin = new URL(text).origin;
  } catch {
    return false;
  }
  return origin !== 'null' && origin === text.toLowerCase();
}

/**
 * A HEP collector's UDP address (TRACE.HEP_COLLECTOR): host:port with nothing else, the host a name (RFC 3261
 * §25.1 hostname), an IPv4 address or an IPv6 one in brackets (RFC 3986 §3.2.2), the port 1..65535; empty
 * for none. `127.0.0.1 :9060` or `my host:9060` were taken, and every packet was then lost to a name
 * lookup of a host with a space in it.
 */
function isCollector(text: string): boolean {
  if (text === '') return true;
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (m === null || Number(m[3]) < 1 || Number(m[3]) > 65535) return false;
  return m[1] !== undefined ? isIP(m[1]) === 6 : HOST_NAME.test(m[2]!) || isIP(m[2]!) === 4;
}

export const FORMATS: Readonly<Record<SettingFormat, FormatRule>> = {
  // The host of a SIP URI (RFC 3261 §25.1): a DNS name whose last label starts with a letter, or an
  // IPv4 address.
  host: {
    one: 'a host name like ims.lab, or an IPv4 address',
    items: 'host names like ims.lab, or IPv4 addresses',
    test: (t) => HOST_NAME.test(t) || isIP(t) === 4,
  },
  // An address a listener binds: a literal, as SERVER_IP must be. A name would be looked up at start-up
  // (getaddrinfo), and SIP.HOST, when specific, is the address advertised in Via and Record-Route
  // (advertised-address.ts). Whether it is this machine's is found at start-up, by binding it
  // (port-probe.ts): an interface may come up after the setting is made.
  listen: {
    one: 'an IP address of this machine (IPv4 or IPv6), or 0.0.0.0 or :: for all of them',
    items: 'IP addresses of this machine (IPv4 or IPv6), or 0.0.0.0 or :: for all of them',
    test: (t) => isIP(t) !== 0,
  },
  user: {
    one: 'a user name of 1..64 characters of A-Z a-z 0-9 . _ + - (as ADD USER takes)',
    items: 'user names of 1..64 characters of A-Z a-z 0-9 . _ + -',
    test: (t) => SIP_USER_NAME.test(t),
  },
  // The user store's rule for a password (1..128 characters).
  password: {
    one: 'a password of 1..128 characters',
    items: 'passwords of 1..128 characters',
    test: (t) => length(t) >= 1 && length(t) <= 128,
  },
  realm: {
    one: 'a realm of 1..128 characters, without control characters, " or \\',
    items: 'realms of 1..128 characters, without control characters, " or \\',
    test: (t) => realmProblem(t) === undefined,
    problem: realmProblem,
  },
  method: {
    one: 'a SIP method like INVITE (an RFC 3261 §25.1 token: no spaces)',
    items: 'SIP methods like INVITE, MESSAGE (RFC 3261 §25.1 tokens: no spaces)',
    test: (t) => TOKEN.test(t),
  },
  origin: {
    one: 'an origin like https://lab.example:8443 (scheme://host[:port], no path, RFC 6454 §6.2)',
    items: 'origins like https://lab.example:8443 (scheme://host[:port], no path, RFC 6454 §6.2)',
    test: isOrigin,
  },
  collector: {
    one: 'host:port, like 10.0.0.5:9060, homer.lab:9060 or [2001:db8::5]:9060 (no spaces), or empty',
    items: 'host:port pairs, like 10.0.0.5:9060 (no spaces)',
    test: isCollector,
  },
};
