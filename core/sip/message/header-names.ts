// Header field names: case-insensitive (RFC 3261 §7.3.1), with compact forms (§7.3.3 and the RFCs that
// defined further ones). Internally every header is known by its lower-case long name.
import { TOKEN } from './chars';

/** Compact form → lower-case long name. */
const COMPACT: Record<string, string> = {
  a: 'accept-contact', // RFC 3841
  b: 'referred-by', // RFC 3892
  c: 'content-type',
  d: 'request-disposition', // RFC 3841
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact', // RFC 3841
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  o: 'event', // RFC 6665
  r: 'refer-to', // RFC 3515
  s: 'subject',
  t: 'to',
  u: 'allow-events', // RFC 6665
  v: 'via',
  x: 'session-expires', // RFC 4028
  y: 'identity', // RFC 8224
};

/** Lower-case long name → the spelling used when IMS Lab writes the header. */
const DISPLAY = new Map<string, string>(
  Object.entries({
    'accept-contact': 'Accept-Contact',
    'allow-events': 'Allow-Events',
    'authentication-info': 'Authentication-Info',
    'call-id': 'Call-ID',
    'content-encoding': 'Content-Encoding',
    'content-length': 'Content-Length',
    'content-type': 'Content-Type',
    cseq: 'CSeq',
    'max-forwards': 'Max-Forwards',
    'min-expires': 'Min-Expires',
    'mime-version': 'MIME-Version',
    'proxy-authenticate': 'Proxy-Authenticate',
    'proxy-authorization': 'Proxy-Authorization',
    'proxy-require': 'Proxy-Require',
    'record-route': 'Record-Route',
    'refer-to': 'Refer-To',
    'referred-by': 'Referred-By',
    'reject-contact': 'Reject-Contact',
    'request-disposition': 'Request-Disposition',
    'retry-after': 'Retry-After',
    'session-expires': 'Session-Expires',
    'user-agent': 'User-Agent',
    'www-authenticate': 'WWW-Authenticate',
  }),
);

/**
 * Header fields that may appear only once (RFC 3261 §7.3.1: only headers defined as comma-separated
 * lists may repeat), each with its bit for the parser's duplicate check (RFC 4475 §3.3.8, §3.3.9).
 */
export const SINGLE_VALUED_BIT: Readonly<Record<string, number>> = {
  to: 1,
  from: 2,
  'call-id': 4,
  cseq: 8,
  'max-forwards': 16,
  'content-length': 32,
  'content-type': 64,
  expires: 128,
  'min-expires': 256,
};

/**
 * The single-valued headers whose duplicate is refused only where IMS Lab acts on the header (the
 * registrar, checkMessage 'full'; the reg event notifier), not by the parser: a proxy validates only what
 * it uses to route (RFC 3261 §16.3 step 1) and forwards the rest unchanged. The others (To, From,
 * Call-ID, CSeq, Max-Forwards, Content-Length) are the transaction's and the framing's: the parser
 * refuses a second one whatever the request is for.
 */
export const DUPLICATE_ON_USE =
  SINGLE_VALUED_BIT['content-type']! | SINGLE_VALUED_BIT.expires! | SINGLE_VALUED_BIT['min-expires']!;

/** The canonical name of a SINGLE_VALUED_BIT. */
export function singleValuedName(bit: number): string | undefined {
  for (const name in SINGLE_VALUED_BIT) if (SINGLE_VALUED_BIT[name] === bit) return name;
  return undefined;
}

/**
 * Headers that are usually absent but looked for on every request a proxy handles (§16.3, §16.4), each
 * with a bit: a message records the ones it may hold, and its accessors skip the search for the others.
 */
const PRESENCE_BIT: ReadonlyMap<string, number> = new Map([
  ['route', 1],
  ['record-route', 2],
  ['require', 4],
  ['proxy-require', 8],
  ['date', 16],
  ['proxy-authorization', 32], // our realm's are removed from every request forwarded (§22.3)
]);

/** The presence bit of a canonical name, 0 for headers that are not tracked. */
export function presenceBit(canonical: string): number {
  return PRESENCE_BIT.get(canonical) ?? 0;
}

/** Canonical lower-case long name of a raw header name as it appeared on the wire. */
export function canonicalName(raw: string): string {
  const known = SPELLED.get(raw);
  if (known !== undefined) return known.name;
  const lower = raw.toLowerCase();
  return lower.length === 1 ? (COMPACT[lower] ?? lower) : lower;
}

/** What writing a header takes: its canonical name, the spelling IMS Lab writes, its presence bit. */
export interface HeaderSpelling {
  readonly name: string;
  readonly display: string;
  readonly presence: number;
}

/** The HeaderSpelling of a header name in any spelling: one lookup for the usual ones. */
export function headerSpelling(raw: string): HeaderSpelling {
  const known = SPELLED.get(raw);
  if (known !== undefined) return known;
  const name = canonicalName(raw);
  return { name, display: displayName(name), presence: presenceBit(name) };
}

/** The spelling IMS Lab writes for a canonical name: known special cases, else Title-Case per dash part. */
export function displayName(canonical: string): string {
  const known = DISPLAY.get(canonical);
  return known !== undefined ? known : titleCase(canonical);
}

function titleCase(canonical: string): string {
  let out = '';
  let upper = true;
  for (let i = 0; i < canonical.length; i++) {
    const ch = canonical[i]!;
    out += upper ? ch.toUpperCase() : ch;
    upper = ch === '-';
  }
  return out;
}

/** A known header name as the parser matches it, with what the parser needs to know about it. */
export interface KnownName {
  /** Canonical lower-case long name. */
  readonly name: string;
  /** SINGLE_VALUED_BIT of the header, 0 for list headers. */
  readonly bit: number;
  /** presenceBit() of the header. */
  readonly presence: number;
  /** The long or compact form's bytes, lower-case. */
  readonly lower: Uint8Array;
  /** Where the form has "-". */
  readonly dashes: readonly number[];
}

const KNOWN_NAMES = [
  'via',
  'from',
  'to',
  'call-id',
  'cseq',
  'max-forwards',
  'contact',
  'content-length',
  'content-type',
  'route',
  'record-route',
  'expires',
  'min-expires',
  'allow',
  'supported',
  'require',
  'proxy-require',
  'user-agent',
  'server',
  'date',
  'authorization',
  'proxy-authorization',
  'www-authenticate',
  'proxy-authenticate',
  'allow-events',
  'event',
  'subscription-state',
  'accept',
  'content-disposition',
  'session-expires',
  'min-se',
  'p-asserted-identity',
  'refer-to',
  'referred-by',
  'timestamp',
  'organization',
  'subject',
  'unsupported',
  'retry-after',
  'reason',
  'path',
  'rseq',
  'rack',
  'privacy',
];

/** Headers by usual spelling: names written in code ('Via', 'Record-Route') found by one lookup. */
const SPELLED = new Map<string, HeaderSpelling>();

function addSpelled(spellings: readonly string[], name: string): void {
  const h: HeaderSpelling = { name, display: displayName(name), presence: presenceBit(name) };
  for (const spelling of spellings) SPELLED.set(spelling, h);
}

/** Every byte with ASCII letters folded to lower case: header names are case-insensitive (§7.3.1). */
const FOLD = Uint8Array.from({ length: 256 }, (_, c) => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c));

/**
 * Long forms by their first two chars, lower-case (index: first * 128 + second), in KNOWN_NAMES' order;
 * compact forms by their char. Filled arrays: assigning far beyond the end of an empty array would turn
 * it into a slow dictionary.
 */
const BY_TWO = new Array<KnownName[] | undefined>(128 * 128).fill(undefined);
const COMPACT_FORM = new Array<KnownName | undefined>(128).fill(undefined);

function addKnown(form: string, name: string): void {
  const k: KnownName = {
    name,
    bit: SINGLE_VALUED_BIT[name] ?? 0,
    presence: presenceBit(name),
    lower: Uint8Array.from(form, (ch) => ch.charCodeAt(0)),
    dashes: [...form].flatMap((ch, i) => (ch === '-' ? [i] : [])),
  };
  if (form.length === 1) COMPACT_FORM[form.charCodeAt(0)] = k;
  else (BY_TWO[form.charCodeAt(0) * 128 + form.charCodeAt(1)] ??= []).push(k);
}

for (const n of KNOWN_NAMES) {
  // Written often (Via, Route, Record-Route...): spelled once here rather than on every write.
  if (!DISPLAY.has(n)) DISPLAY.set(n, titleCase(n));
  addSpelled([displayName(n), n], n);
  addKnown(n, n);
}
for (const [short, long] of Object.entries(COMPACT)) {
  addSpelled([short, short.toUpperCase()], long);
  addKnown(short, long);
}

/**
 * The known header name (long or compact form, any case) that b[pos, end) starts with, when no token
 * char follows it; undefined when none (then use canonicalName on a copy). Matching the name while
 * reading it saves the parser a second pass over its bytes.
 */
export function knownNameAt(b: Uint8Array, pos: number, end: number): KnownName | undefined {
  const c0 = FOLD[b[pos]!]!;
  const c1 = pos + 1 < end ? b[pos + 1]! : 0;
  if (c1 >= 128 || TOKEN[c1] === 0) return c0 < 128 ? COMPACT_FORM[c0] : undefined;
  if (c0 >= 128) return undefined;
  const list = BY_TWO[c0 * 128 + FOLD[c1]!];
  if (list === undefined) return undefined;
  for (let i = 0; i < list.length; i++) {
    const k = list[i]!;
    const lower = k.lower;
    const after = pos + lower.length;
    if (after > end) continue;
    // Known names hold letters and "-" only (never in their first two chars): c | 0x20 matches a letter
    // in either case, and "-" or a CR (0x0d | 0x20), told apart after.
    let j = 2;
    while (j < lower.length && (b[pos + j]! | 0x20) === lower[j]) j++;
    if (j < lower.length) continue;
    const next = after < end ? b[after]! : 0;
    if (next < 128 && TOKEN[next] === 1) continue;
    const dashes = k.dashes;
    for (let d = 0; d < dashes.length; d++) if (b[pos + dashes[d]!] !== 0x2d) return undefined;
    return k;
  }
  return undefined;
}
