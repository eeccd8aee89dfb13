// A cursor over one unfolded header value (or a part of it) for the RFC 3261 §25 grammar.
// Folding has already been replaced by a single SP, so LWS here is just SP / HT.
import { TOKEN, isWs } from './chars';

/** A parameter as written: name and value keep their original spelling; value null for a bare flag. */
export interface Param {
  name: string;
  value: string | null;
}

export class Scanner {
  pos: number;

  constructor(
    readonly s: string,
    pos = 0,
    readonly end = s.length,
  ) {
    this.pos = pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Char code at the cursor, or -1 at the end. */
  peek(): number {
    return this.pos < this.end ? this.s.charCodeAt(this.pos) : -1;
  }

  skipWs(): void {
    while (this.pos < this.end && isWs(this.s.charCodeAt(this.pos))) this.pos++;
  }

  /** Consumes `c` (with optional LWS before and after, as SEMI/COMMA/EQUAL/SLASH/COLON allow). */
  eatSep(c: number): boolean {
    const save = this.pos;
    this.skipWs();
    if (this.peek() === c) {
      this.pos++;
      this.skipWs();
      return true;
    }
    this.pos = save;
    return false;
  }

  /** 1*token-char; returns '' when none. */
  token(): string {
    const start = this.pos;
    while (this.pos < this.end) {
      const c = this.s.charCodeAt(this.pos);
      if (c >= 128 || TOKEN[c] === 0) break;
      this.pos++;
    }
    return this.s.slice(start, this.pos);
  }

  /** Reads a run of chars for which `cls` holds; returns '' when none. */
  run(cls: Uint8Array): string {
    const start = this.pos;
    while (this.pos < this.end) {
      const c = this.s.charCodeAt(this.pos);
      if (c >= 128 || cls[c] === 0) break;
      this.pos++;
    }
    return this.s.slice(start, this.pos);
  }

  /**
   * quoted-string = DQUOTE *(qdtext / quoted-pair) DQUOTE, cursor on the opening quote.
   * Returns the raw text including both quotes, or null when unterminated or holding a bare CR/LF.
   */
  quoted(): string | null {
    const start = this.pos;
    if (this.peek() !== 0x22) return null;
    let i = this.pos + 1;
    while (i < this.end) {
      const c = this.s.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        return this.s.slice(start, this.pos);
      }
      if (c === 0x5c) {
        // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
        if (i + 1 >= this.end) return null;
        const q = this.s.charCodeAt(i + 1);
        if (q === 0x0a || q === 0x0d || q > 0x7f) return null;
        i += 2;
        continue;
      }
      if (c === 0x0a || c === 0x0d || (c < 0x20 && c !== 0x09) || c === 0x7f) return null;
      i++;
    }
    return null;
  }

  /**
   * *(SEMI generic-param); generic-param = token [EQUAL gen-value]; gen-value = token / host / quoted-string.
   * `valueChars` is the class of an unquoted value (token chars plus what host needs). Returns null on a
   * syntax error. Stops before a COMMA or at the end.
   */
  params(valueChars: Uint8Array): Param[] | null {
    const out: Param[] = [];
    for (;;) {
      if (!this.eatSep(0x3b)) return out;
      const name = this.token();
      if (name === '') return null;
      let value: string | null = null;
      if (this.eatSep(0x3d)) {
        if (this.peek() === 0x22) {
          value = this.quoted();
          if (value === null) return null;
        } else {
          value = this.run(valueChars);
          if (value === '') return null;
        }
      }
      out.push({ name, value });
    }
  }
}

/** Case-insensitive lookup; undefined when absent, null for a flag without a value. */
export function paramValue(params: readonly Param[], name: string): string | null | undefined {
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    if (p.name.length === name.length && p.name.toLowerCase() === name) return p.value;
  }
  return undefined;
}

/** Text form of a parameter list, each with its leading ";". */
export function formatParams(params: readonly Param[]): string {
  let out = '';
  for (const p of params) out += p.value === null ? `;${p.name}` : `;${p.name}=${p.value}`;
  return out;
}

/** Contents of a quoted-string (without quotes) with quoted-pairs resolved. */
export function unquote(q: string): string {
  if (q.length < 2 || q.charCodeAt(0) !== 0x22) return q;
  const inner = q.slice(1, -1);
  return inner.indexOf('\\') < 0 ? inner : inner.replace(/\\([\s\S])/g, '$1');
}

/** Wraps text in a quoted-string, escaping '"' and '\'. */
export function quote(text: string): string {
  return `"${text.replace(/(["\\])/g, '\\$1')}"`;
}
