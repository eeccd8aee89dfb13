// Header field names: case-insensitive (RFC 3261 §7.3.1), with compact forms (§7.3.3 and the RFCs that
// defined further ones). Internally every header is known by its lower-case long name.

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
 * Headers that are usually absent but looked for on every request a proxy handles (§16.3, §16.4), each
 * with a bit: a message records the ones it may hold, and its accessors skip the search for the others.
 */
const PRESENCE_BIT: ReadonlyMap<string, number> = new Map([
  ['route', 1],
  ['record-route', 2],
  ['require', 4],
  ['proxy-require', 8],
  ['date', 16],
]);

/** The presence bit of a canonical name, 0 for headers that are not tracked. */
export function presenceBit(canonical: string): number {
  return PRESENCE_BIT.get(canonical) ?? 0;
}

/** Canonical lower-case long name of a raw header name as it appeared on the wire. */
export function canonicalName(raw: string): string {
  const known = NAME_OF.get(raw);
  if (known !== undefined) return known;
  const lower = raw.toLowerCase();
  return lower.length === 1 ? (COMPACT[lower] ?? lower) : lower;
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

/** A usual wire spelling of a header name, with what the parser needs to know about it. */
export interface KnownSpelling {
  readonly spelling: string;
  /** Canonical lower-case long name. */
  readonly name: string;
  /** SINGLE_VALUED_BIT of the header, 0 for list headers. */
  readonly bit: number;
  /** presenceBit() of the header. */
  readonly presence: number;
  /** The spelling's bytes, for matching in a message's bytes. */
  readonly bytes: Uint8Array;
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

/**
 * Spellings by length and first char, so the parser maps a name with one or two startsWith() and no
 * allocation. Index: length * 128 + first char code, lengths up to MAX_KNOWN.
 */
const MAX_KNOWN = 24;
const BY_KEY: (KnownSpelling[] | undefined)[] = new Array<KnownSpelling[] | undefined>(
  (MAX_KNOWN + 1) * 128,
).fill(undefined);
/** Compact forms by char code, both cases. */
const BY_LETTER: (KnownSpelling | undefined)[] = new Array<KnownSpelling | undefined>(128).fill(undefined);

/** Canonical name by usual spelling: names written in code ('Via', 'Record-Route') found by one lookup. */
const NAME_OF = new Map<string, string>();

function addSpelling(spelling: string, name: string): void {
  const k: KnownSpelling = {
    spelling,
    name,
    bit: SINGLE_VALUED_BIT[name] ?? 0,
    presence: presenceBit(name),
    bytes: Uint8Array.from(spelling, (ch) => ch.charCodeAt(0)),
  };
  NAME_OF.set(spelling, name);
  if (spelling.length === 1) {
    BY_LETTER[spelling.charCodeAt(0)] = k;
    return;
  }
  if (spelling.length > MAX_KNOWN) return;
  const key = spelling.length * 128 + spelling.charCodeAt(0);
  const list = (BY_KEY[key] ??= []);
  if (!list.some((x) => x.spelling === spelling)) list.push(k);
}

for (const n of KNOWN_NAMES) {
  // Written often (Via, Route, Record-Route...): spelled once here rather than on every write.
  if (!DISPLAY.has(n)) DISPLAY.set(n, titleCase(n));
  addSpelling(displayName(n), n);
  addSpelling(n, n);
}
for (const [short, long] of Object.entries(COMPACT)) {
  addSpelling(short, long);
  addSpelling(short.toUpperCase(), long);
}
for (const [alt, n] of [
  ['Call-Id', 'call-id'],
  ['Cseq', 'cseq'],
  ['CSEQ', 'cseq'],
  ['VIA', 'via'],
  ['Www-Authenticate', 'www-authenticate'],
  ['Max-forwards', 'max-forwards'],
  ['Content-length', 'content-length'],
  ['Content-type', 'content-type'],
] as const) {
  addSpelling(alt, n);
}

/**
 * The known spelling at b[pos, pos+len), or undefined (then use canonicalName on a copy): the parser
 * reads header names from the message's bytes, where a byte load costs less than charCodeAt().
 */
export function knownSpellingIn(b: Uint8Array, pos: number, len: number): KnownSpelling | undefined {
  const c = b[pos]!;
  if (len === 1) return c < 128 ? BY_LETTER[c] : undefined;
  if (len > MAX_KNOWN || len < 1 || c >= 128) return undefined;
  const list = BY_KEY[len * 128 + c];
  if (list === undefined) return undefined;
  for (let i = 0; i < list.length; i++) {
    const k = list[i]!;
    const want = k.bytes;
    let j = 1;
    while (j < len && b[pos + j] === want[j]) j++;
    if (j === len) return k;
  }
  return undefined;
}
