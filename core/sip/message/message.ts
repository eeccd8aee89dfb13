// A SIP message (RFC 3261 §7) kept as the bytes it arrived in. Header fields are located at parse time
// and decoded on first use (then cached); edits touch only the lines they change, so serializing an
// unchanged message gives back its exact bytes and a proxy's edits leave every other byte as it was.
import { SipParseError, headerError } from './errors';
import {
  canonicalName,
  displayName,
  headerSpelling,
  presenceBit,
  singleValuedName,
  type HeaderSpelling,
} from './header-names';
import { parseNameAddr, parseNameAddrList, type NameAddr } from './name-addr';
import {
  isCallId,
  parseCSeq,
  parseContentLength,
  parseDeltaSeconds,
  parseMaxForwards,
  parseMediaType,
  parseSipDate,
  parseTokenList,
  type CSeq,
  type MediaType,
} from './scalar-headers';
import { parseUri, type Uri } from './uri';
import { latin1Bytes } from './chars';
import { writeOut } from './out-buffer';
import { parseViaList, type Via } from './via';

/**
 * One header line (with its folded continuation lines). Offsets point into the message head; a field
 * that was added or edited carries its whole new line in `text` instead.
 */
export class HeaderField {
  constructor(
    /** Canonical lower-case long name ('via', 'call-id', 'x-custom'). */
    readonly name: string,
    /** The line's first char; -1 for an added field. */
    readonly start: number,
    /** The char after the field's last line terminator (continuation lines included). */
    public lineEnd: number,
    /** The value: after the colon and LWS, up to the last non-blank char before the terminator. */
    readonly valueStart: number,
    public valueEnd: number,
    /** Does the value continue on folded lines (§7.3.1)? */
    public folded: boolean,
    /** For added or edited fields, the whole line without its terminator. */
    readonly text: string | undefined,
  ) {}

  static added(name: string, text: string): HeaderField {
    return new HeaderField(name, -1, -1, -1, -1, false, text);
  }

  withText(text: string): HeaderField {
    return new HeaderField(
      this.name,
      this.start,
      this.lineEnd,
      this.valueStart,
      this.valueEnd,
      this.folded,
      text,
    );
  }
}

/** SP / HT only: String#trim would also eat U+00A0, a byte that UTF-8 text carries in latin1 form. */
export function trimWs(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 0x20 || s.charCodeAt(a) === 0x09)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 0x20 || s.charCodeAt(b - 1) === 0x09)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Header text that IMS Lab writes is UTF-8; the message keeps bytes as latin1 chars. */
export function toWire(text: string): string {
  if (text.length > 24) {
    // Long text is usually a fresh concatenation (a cons string), where charCodeAt() is slow: its UTF-8
    // length, counted natively, equals its length only when every char is ASCII.
    return Buffer.byteLength(text, 'utf8') === text.length
      ? text
      : Buffer.from(text, 'utf8').toString('latin1');
  }
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return Buffer.from(text, 'utf8').toString('latin1');
  }
  return text;
}

/**
 * Header text as a person reads it: the bytes (latin1 chars) decoded as UTF-8, as RFC 3261 §25.1 has
 * TEXT-UTF8 in display names, User-Agent and Server, and a Reason's text; ASCII comes back as it is.
 */
export function fromWire(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return Buffer.from(text, 'latin1').toString('utf8');
  }
  return text;
}

const FOLD = /\r?\n[ \t]+/g;
const ROUTE = presenceBit('route');
const RECORD_ROUTE = presenceBit('record-route');
const DATE = presenceBit('date');
const CONTENT_LENGTH = headerSpelling('content-length');
const MAX_FORWARDS = headerSpelling('max-forwards');
/** Marks a cache slot not yet filled (undefined is a valid decoded value: header absent). */
const UNSET: unique symbol = Symbol('unset');
type Slot<T> = T | typeof UNSET;

export abstract class SipMessage {
  abstract readonly isRequest: boolean;

  protected edited = false;
  /** Replacement start line (with its terminator) after an edit of the start line. */
  protected startLine: string | undefined;
  private bodyBytes: Buffer | undefined;
  /** Has setBody() replaced the body (the head text then no longer holds it)? */
  private bodyReplaced = false;
  private sourceBytes: Buffer | undefined;

  private viaCache: Via[] | undefined;
  private fromCache: NameAddr | undefined;
  private toCache: NameAddr | undefined;
  private callIdCache: string | undefined;
  private cseqCache: CSeq | undefined;
  private routeCache: NameAddr[] | undefined;
  private recordRouteCache: NameAddr[] | undefined;
  private contactCache: NameAddr[] | undefined;
  private maxForwardsCache: Slot<number | undefined> = UNSET;
  private contentTypeCache: Slot<MediaType | undefined> = UNSET;
  private expiresCache: Slot<number | undefined> = UNSET;
  private dateCache: Slot<Date | undefined> = UNSET;
  /** SINGLE_VALUED_BITs of the DUPLICATE_ON_USE headers that came more than once (noteDuplicates). */
  private duplicates = 0;

  constructor(
    /** The buffer the message was parsed from, and where the message and its body lie in it. */
    private readonly input: Buffer,
    private readonly begin: number,
    private readonly bodyStart: number,
    private readonly end: number,
    /** Start line and headers including the blank line, one char per byte (latin1); may go on into the body. */
    protected readonly head: string,
    /** The head's chars as bytes (bytes[i] is head.charCodeAt(i)), which decoders read faster. */
    protected readonly bytes: Uint8Array,
    /** Header fields in order. Edit them through the methods below, never directly. */
    readonly fields: HeaderField[],
    /** presenceBit()s of the headers it holds (or held): a clear bit means the header is absent. */
    private present: number,
    /** Offset after the start line's terminator. */
    protected readonly startLineEnd: number,
    /** Offset of the blank line that ends the header section. */
    protected readonly blankLine: number,
  ) {}

  /** The message's bytes as received: start line through the end of the body. */
  get source(): Buffer {
    return (this.sourceBytes ??= this.input.subarray(this.begin, this.end));
  }

  get body(): Buffer {
    return (this.bodyBytes ??= this.input.subarray(this.bodyStart, this.end));
  }

  // ---------------------------------------------------------------- raw header access

  /** The value of a field: unfolded (§7.3.1: folding is equivalent to one SP) and without outer LWS. */
  fieldValue(f: HeaderField): string {
    if (f.text !== undefined) return trimWs(f.text.slice(f.text.indexOf(':') + 1));
    const raw = this.head.slice(f.valueStart, f.valueEnd);
    return f.folded ? trimWs(raw.replace(FOLD, ' ')) : raw;
  }

  /** Index of the first field named `name` (canonical) at or after `from`, or -1. */
  indexOf(name: string, from = 0): number {
    const fields = this.fields;
    for (let i = from; i < fields.length; i++) if (fields[i]!.name === name) return i;
    return -1;
  }

  /** First value of a header (any spelling or compact form), or undefined. */
  header(name: string): string | undefined {
    const i = this.indexOf(canonicalName(name));
    return i < 0 ? undefined : this.fieldValue(this.fields[i]!);
  }

  /** First value of a header decoded as UTF-8 text (fromWire), for records and display. */
  headerText(name: string): string | undefined {
    const v = this.header(name);
    return v === undefined ? undefined : fromWire(v);
  }

  /** Every line's value of a header, in order. */
  headerValues(name: string): string[] {
    const n = canonicalName(name);
    const out: string[] = [];
    for (const f of this.fields) if (f.name === n) out.push(this.fieldValue(f));
    return out;
  }

  has(name: string): boolean {
    return this.indexOf(canonicalName(name)) >= 0;
  }

  /** The parser's note of single-valued headers it let through twice (header-names.ts DUPLICATE_ON_USE). */
  noteDuplicates(bits: number): void {
    this.duplicates = bits;
  }

  /**
   * The first header (canonical name) that came twice though it may appear once, of those the parser
   * leaves to the element that uses them (Content-Type, Expires, Min-Expires); undefined when none did.
   * Of the message as received.
   */
  get duplicatedHeader(): string | undefined {
    const bits = this.duplicates;
    return bits === 0 ? undefined : singleValuedName(bits & -bits);
  }

  // ---------------------------------------------------------------- typed access (lazy, cached)

  /** Every Via value, top first. Throws SipParseError when one is malformed. */
  get via(): readonly Via[] {
    if (this.viaCache === undefined) {
      const out: Via[] = [];
      for (const f of this.fields) {
        if (f.name !== 'via') continue;
        const ok = this.inPlace(f)
          ? parseViaList(this.head, out, f.valueStart, f.valueEnd, this.bytes)
          : parseViaList(this.fieldValue(f), out);
        if (!ok) throw headerError('via', 'Via');
      }
      this.viaCache = out;
    }
    return this.viaCache;
  }

  /** The top Via (§8.2.6.2, §16.7); throws when there is none. */
  get topVia(): Via {
    const v = this.via[0];
    if (v === undefined) throw new SipParseError('missing-header', 'Missing Via header', 400, 'via');
    return v;
  }

  get from(): NameAddr {
    return (this.fromCache ??= this.nameAddr('from', 'From'));
  }

  get to(): NameAddr {
    return (this.toCache ??= this.nameAddr('to', 'To'));
  }

  get callId(): string {
    if (this.callIdCache === undefined) {
      const i = this.indexOf('call-id');
      const f = i < 0 ? undefined : this.fields[i]!;
      if (f !== undefined && this.inPlace(f)) {
        if (!isCallId(this.bytes, f.valueStart, f.valueEnd)) throw headerError('call-id', 'Call-ID');
        this.callIdCache = this.head.slice(f.valueStart, f.valueEnd);
      } else {
        const v = this.required('call-id', 'Call-ID');
        if (!isCallId(latin1Bytes(v), 0, v.length)) throw headerError('call-id', 'Call-ID');
        this.callIdCache = v;
      }
    }
    return this.callIdCache;
  }

  get cseq(): CSeq {
    if (this.cseqCache === undefined) {
      const i = this.indexOf('cseq');
      const f = i < 0 ? undefined : this.fields[i]!;
      const c =
        f !== undefined && this.inPlace(f)
          ? parseCSeq(this.head, f.valueStart, f.valueEnd, this.bytes)
          : parseCSeq(this.required('cseq', 'CSeq'));
      if (c === undefined) throw headerError('cseq', 'CSeq', 'a sequence number below 2^32 and a method');
      this.cseqCache = c;
    }
    return this.cseqCache;
  }

  /** Max-Forwards, or undefined when absent (RFC 2543 peers may omit it). */
  get maxForwards(): number | undefined {
    if (this.maxForwardsCache === UNSET) {
      this.maxForwardsCache = this.scalar('max-forwards', 'Max-Forwards', parseMaxForwards, '0-255');
    }
    return this.maxForwardsCache;
  }

  /** The Content-Length header's value, or undefined when absent (the parser already checked it). */
  get contentLength(): number | undefined {
    return this.scalar('content-length', 'Content-Length', parseContentLength);
  }

  get contentType(): MediaType | undefined {
    if (this.contentTypeCache === UNSET) {
      this.contentTypeCache = this.scalar('content-type', 'Content-Type', parseMediaType);
    }
    return this.contentTypeCache;
  }

  get expires(): number | undefined {
    if (this.expiresCache === UNSET) {
      this.expiresCache = this.scalar('expires', 'Expires', parseDeltaSeconds, 'seconds below 2^32');
    }
    return this.expiresCache;
  }

  get minExpires(): number | undefined {
    return this.scalar('min-expires', 'Min-Expires', parseDeltaSeconds);
  }

  get date(): Date | undefined {
    if (this.dateCache === UNSET)
      this.dateCache = this.absent(DATE)
        ? undefined
        : this.scalar('date', 'Date', parseSipDate, 'RFC 1123 date in GMT');
    return this.dateCache;
  }

  /** Contact values; `Contact: *` is reported by isContactStar instead (§10.2.2). */
  get contacts(): readonly NameAddr[] {
    if (this.contactCache === undefined) {
      const out: NameAddr[] = [];
      for (const f of this.fields) {
        if (f.name !== 'contact') continue;
        if (this.isStar(f)) continue;
        const list = this.inPlace(f)
          ? parseNameAddrList(this.head, 'Contact', out, f.valueStart, f.valueEnd, this.bytes)
          : parseNameAddrList(this.fieldValue(f), 'Contact', out);
        if (list === null) throw headerError('contact', 'Contact');
      }
      this.contactCache = out;
    }
    return this.contactCache;
  }

  /** Is there a `Contact: *` (the wildcard that removes every binding, §10.2.2)? */
  get isContactStar(): boolean {
    return this.contactStars > 0;
  }

  /** How many `Contact: *` fields there are (more than one is as invalid as one beside a URI, §10.3). */
  get contactStars(): number {
    let n = 0;
    for (const f of this.fields) if (f.name === 'contact' && this.isStar(f)) n++;
    return n;
  }

  private isStar(f: HeaderField): boolean {
    return this.inPlace(f)
      ? f.valueEnd === f.valueStart + 1 && this.bytes[f.valueStart] === 0x2a
      : this.fieldValue(f) === '*';
  }

  get routes(): readonly NameAddr[] {
    return (this.routeCache ??= this.absent(ROUTE) ? [] : this.nameAddrList('route', 'Route'));
  }

  get recordRoutes(): readonly NameAddr[] {
    return (this.recordRouteCache ??= this.absent(RECORD_ROUTE)
      ? []
      : this.nameAddrList('record-route', 'Record-Route'));
  }

  /** Option tags of Require, Proxy-Require, Supported, Unsupported; Allow's methods. Not cached. */
  tokens(name: 'require' | 'proxy-require' | 'supported' | 'unsupported' | 'allow'): string[] {
    const out: string[] = [];
    if (this.absent(presenceBit(name))) return out;
    for (const f of this.fields) {
      if (f.name !== name) continue;
      const list = parseTokenList(this.fieldValue(f), name === 'supported' || name === 'allow');
      if (list === undefined) throw headerError(name, displayName(name));
      for (const t of list) out.push(t);
    }
    return out;
  }

  // ---------------------------------------------------------------- edits

  /** Inserts a header line at field index `index` (0 = first header). */
  insertHeader(index: number, name: string, value: string): void {
    this.insertField(index, headerSpelling(name), value);
  }

  /** Adds a header line after the last one. */
  appendHeader(name: string, value: string): void {
    this.insertField(this.fields.length, headerSpelling(name), value);
  }

  /**
   * Adds a value on top of a header's list: a new line placed before the first line of that header, or
   * first of all headers when there is none (a proxy's Via, §16.6 step 8; Record-Route, step 4).
   */
  prependHeader(name: string, value: string): void {
    const h = headerSpelling(name);
    const i = this.indexOf(h.name);
    this.insertField(i < 0 ? 0 : i, h, value);
  }

  private insertField(index: number, h: HeaderSpelling, value: string): void {
    // A hand shift rather than splice(), which allocates an array of the (no) removed elements.
    const fields = this.fields;
    const added = HeaderField.added(h.name, `${h.display}: ${toWire(value)}`);
    this.present |= h.presence;
    let i = fields.length;
    fields.push(added);
    for (; i > index; i--) fields[i] = fields[i - 1]!;
    fields[index] = added;
    this.changed(h.name);
  }

  /** Sets a header to one line with `value`: replaces the first line in place and drops the others. */
  setHeader(name: string, value: string): void {
    this.setField(headerSpelling(name), value);
  }

  /** setHeader() for a header looked up already. */
  protected setField(h: HeaderSpelling, value: string): void {
    const fields = this.fields;
    const n = h.name;
    const first = this.indexOf(n);
    if (first < 0) {
      this.insertField(fields.length, h, value);
      return;
    }
    fields[first] = fields[first]!.withText(`${h.display}: ${toWire(value)}`);
    for (let i = fields.length - 1; i > first; i--) if (fields[i]!.name === n) fields.splice(i, 1);
    this.changed(n);
  }

  /** Removes every line of a header; returns how many were removed. */
  removeHeader(name: string): number {
    return this.removeHeaderLines(name);
  }

  /** Removes the lines of a header (those whose value `drop` says, when given); returns how many. */
  removeHeaderLines(name: string, drop?: (value: string) => boolean): number {
    const n = canonicalName(name);
    if (this.absent(presenceBit(n))) return 0;
    let removed = 0;
    for (let i = this.fields.length - 1; i >= 0; i--) {
      const f = this.fields[i]!;
      if (f.name === n && (drop === undefined || drop(this.fieldValue(f)))) {
        this.fields.splice(i, 1);
        removed++;
      }
    }
    if (removed > 0) this.changed(n);
    return removed;
  }

  /** The raw values of one list-header field: a single value needs no parsing (no comma in it). */
  private listValues(f: HeaderField): string[] {
    const value = this.fieldValue(f);
    if (value.indexOf(',') < 0) return [value];
    if (f.name === 'via') {
      const list: Via[] = [];
      if (!parseViaList(value, list)) throw headerError('via', 'Via');
      return list.map((v) => v.raw);
    }
    const list = parseNameAddrList(value, displayName(f.name));
    if (list === null) throw headerError(f.name, displayName(f.name));
    return list.map((na) => na.raw);
  }

  /**
   * Removes the first value of a list header (a Route, §16.4 / §16.12; the top Via of a response, §16.7
   * step 3). A line holding several values is rewritten with the rest, each value kept as written.
   */
  removeFirstValue(name: 'via' | 'route' | 'record-route'): boolean {
    const i = this.indexOf(name);
    if (i < 0) return false;
    const f = this.fields[i]!;
    const values = this.listValues(f);
    if (values.length === 1) this.fields.splice(i, 1);
    else this.fields[i] = f.withText(`${displayName(name)}: ${values.slice(1).join(', ')}`);
    this.changed(name);
    return true;
  }

  /** Replaces the top Via value with `via` (e.g. adding received/rport, §18.2.1 and RFC 3581 §4). */
  replaceTopVia(via: string): void {
    const i = this.indexOf('via');
    if (i < 0) throw new SipParseError('missing-header', 'Missing Via header', 400, 'via');
    const f = this.fields[i]!;
    const value = this.fieldValue(f);
    let line: string;
    if (value.indexOf(',') < 0) line = `Via: ${via}`;
    else {
      const values = this.listValues(f);
      values[0] = via;
      line = `Via: ${values.join(', ')}`;
    }
    this.fields[i] = f.withText(line);
    this.changed('via');
  }

  /** Replaces the body; Content-Length follows, and Content-Type when given (or is removed with no body). */
  setBody(body: Buffer, contentType?: string): void {
    this.bodyBytes = body;
    this.bodyReplaced = true;
    this.setHeader('content-length', String(body.length));
    if (contentType !== undefined) this.setHeader('content-type', contentType);
    else if (body.length === 0) this.removeHeader('content-type');
  }

  /** Adds Content-Length when it is missing (mandatory on stream transports, §18.3 / §20.14). */
  ensureContentLength(): void {
    if (this.indexOf('content-length') < 0)
      this.insertField(this.fields.length, CONTENT_LENGTH, String(this.body.length));
  }

  /** Has anything been edited since parsing? */
  get isEdited(): boolean {
    return this.edited;
  }

  // ---------------------------------------------------------------- serialization

  /** The message's bytes: the original bytes when unchanged, otherwise the edited lines in place. */
  toBuffer(): Buffer {
    if (!this.edited) return this.source;
    // One string for the head, written once: untouched runs of lines are slices of the head text and
    // edited lines their own text, so nothing is copied before the write (a native copy per run costs
    // more than the characters). The body comes with the head text when it was decoded with it (a
    // datagram under 4 KB) and was not replaced; otherwise from its bytes.
    const endAt = this.end - this.begin;
    if (!this.bodyReplaced && this.head.length >= endAt) return writeOut(this.editedText(endAt), undefined);
    return writeOut(this.editedText(this.bodyStart - this.begin), this.body);
  }

  /** Start line and headers as text (latin1 chars = bytes), through the blank line. */
  headText(): string {
    const bodyAt = this.bodyStart - this.begin;
    if (!this.edited) return this.head.length === bodyAt ? this.head : this.head.slice(0, bodyAt);
    return this.editedText(bodyAt);
  }

  /** The edited start line and header lines, then the head text from the blank line up to `endAt`. */
  private editedText(endAt: number): string {
    const h = this.head;
    const fields = this.fields;
    let out = this.startLine ?? '';
    let runStart = this.startLine === undefined ? 0 : -1;
    let runEnd = this.startLine === undefined ? this.startLineEnd : -1;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (f.text === undefined) {
        if (f.start === runEnd) {
          runEnd = f.lineEnd;
          continue;
        }
        if (runStart >= 0) out += h.slice(runStart, runEnd);
        runStart = f.start;
        runEnd = f.lineEnd;
      } else {
        if (runStart >= 0) out += h.slice(runStart, runEnd);
        runStart = runEnd = -1;
        out += `${f.text}\r\n`;
      }
    }
    if (runStart < 0 || runEnd !== this.blankLine) {
      if (runStart >= 0) out += h.slice(runStart, runEnd);
      runStart = this.blankLine;
    }
    return out + h.slice(runStart, endAt);
  }

  /** The message as text (UTF-8 decoded), for logs and traces. */
  toString(): string {
    return this.toBuffer().toString('utf8');
  }

  // ---------------------------------------------------------------- internals

  protected changed(name: string): void {
    this.edited = true;
    switch (name) {
      case 'via':
        this.viaCache = undefined;
        break;
      case 'from':
        this.fromCache = undefined;
        break;
      case 'to':
        this.toCache = undefined;
        break;
      case 'call-id':
        this.callIdCache = undefined;
        break;
      case 'cseq':
        this.cseqCache = undefined;
        break;
      case 'route':
        this.routeCache = undefined;
        break;
      case 'record-route':
        this.recordRouteCache = undefined;
        break;
      case 'contact':
        this.contactCache = undefined;
        break;
      case 'max-forwards':
        this.maxForwardsCache = UNSET;
        break;
      case 'content-type':
        this.contentTypeCache = UNSET;
        break;
      case 'expires':
        this.expiresCache = UNSET;
        break;
      case 'date':
        this.dateCache = UNSET;
        break;
    }
  }

  /** Is a header with this presence bit surely absent? (0, an untracked header, never is.) */
  private absent(bit: number): boolean {
    return bit !== 0 && (this.present & bit) === 0;
  }

  private required(name: string, display: string): string {
    const i = this.indexOf(name);
    if (i < 0) throw new SipParseError('missing-header', `Missing ${display} header`, 400, name);
    return this.fieldValue(this.fields[i]!);
  }

  /**
   * Can a field's value be decoded where it lies in the head (as received, on one line)? Decoders then
   * read the head itself instead of a slice of it, and copy out only what they keep.
   */
  private inPlace(f: HeaderField): boolean {
    return f.text === undefined && !f.folded;
  }

  private nameAddr(name: string, display: string): NameAddr {
    const i = this.indexOf(name);
    const f = i < 0 ? undefined : this.fields[i]!;
    const na =
      f !== undefined && this.inPlace(f)
        ? parseNameAddr(this.head, display, f.valueStart, f.valueEnd, this.bytes)
        : parseNameAddr(this.required(name, display), display);
    if (na === null) throw headerError(name, display);
    return na;
  }

  private nameAddrList(name: string, display: string): NameAddr[] {
    const out: NameAddr[] = [];
    for (const f of this.fields) {
      if (f.name !== name) continue;
      const list = this.inPlace(f)
        ? parseNameAddrList(this.head, display, out, f.valueStart, f.valueEnd, this.bytes)
        : parseNameAddrList(this.fieldValue(f), display, out);
      if (list === null) {
        throw headerError(name, display);
      }
    }
    return out;
  }

  private scalar<T>(
    name: string,
    display: string,
    parse: (v: string) => T | undefined,
    expected?: string,
  ): T | undefined {
    const i = this.indexOf(name);
    if (i < 0) return undefined;
    const value = parse(this.fieldValue(this.fields[i]!));
    if (value === undefined) throw headerError(name, display, expected);
    return value;
  }
}

export class SipRequest extends SipMessage {
  readonly isRequest = true;
  private uriCache: Uri | undefined;
  private uriInHead = true;
  /** The Request-URI as received, once setUri() replaced it (digest's uri is checked against it). */
  private receivedUriText: string | undefined = undefined;

  constructor(
    readonly method: string,
    /** The Request-URI as written. */
    private uriText: string,
    input: Buffer,
    begin: number,
    bodyStart: number,
    end: number,
    head: string,
    bytes: Uint8Array,
    fields: HeaderField[],
    present: number,
    startLineEnd: number,
    blankLine: number,
  ) {
    super(input, begin, bodyStart, end, head, bytes, fields, present, startLineEnd, blankLine);
  }

  /** The Request-URI exactly as written. */
  get uri(): string {
    return this.uriText;
  }

  /** The Request-URI as the request came with it, whatever setUri() did since. */
  get receivedUri(): string {
    return this.receivedUriText ?? this.uriText;
  }

  /** The parsed Request-URI; throws SipParseError when malformed. */
  get requestUri(): Uri {
    if (this.uriCache === undefined) {
      // Until setUri(), the URI is read where it lies in the start line (after the method and SP).
      const at = this.method.length + 1;
      const u = this.uriInHead ? parseUri(this.head, at, at + this.uriText.length) : parseUri(this.uriText);
      if (u === null) throw new SipParseError('start-line', 'Malformed Request-URI');
      this.uriCache = u;
    }
    return this.uriCache;
  }

  /** Replaces the Request-URI (§16.5 target, §16.6 step 2, §16.4 strict-route handling). */
  setUri(uri: string): void {
    this.receivedUriText ??= this.uriText;
    this.uriText = toWire(uri);
    this.uriCache = undefined;
    this.uriInHead = false;
    this.startLine = `${this.method} ${this.uriText} SIP/2.0\r\n`;
    this.edited = true;
  }

  /**
   * Max-Forwards for forwarding (§16.6 step 3): decremented when present, else added with 70.
   * The caller has already refused a request whose Max-Forwards is 0 (§16.3 step 3, 483).
   */
  decrementMaxForwards(): number {
    const mf = this.maxForwards;
    const next = mf === undefined ? 70 : mf - 1;
    this.setField(MAX_FORWARDS, String(next));
    return next;
  }
}

export class SipResponse extends SipMessage {
  readonly isRequest = false;

  constructor(
    readonly status: number,
    /** Reason-Phrase as received (latin1 chars = bytes); see reasonText for the decoded text. */
    readonly reason: string,
    input: Buffer,
    begin: number,
    bodyStart: number,
    end: number,
    head: string,
    bytes: Uint8Array,
    fields: HeaderField[],
    present: number,
    startLineEnd: number,
    blankLine: number,
  ) {
    super(input, begin, bodyStart, end, head, bytes, fields, present, startLineEnd, blankLine);
  }

  /** The reason phrase decoded as UTF-8 (RFC 4475 §3.1.1.12). */
  get reasonText(): string {
    return Buffer.from(this.reason, 'latin1').toString('utf8');
  }
}
