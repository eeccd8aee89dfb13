// Parameter values: turning the text an operator typed into the declared type, and saying what is
// allowed when it does not fit (the message names the parameter; see registry.ts).
import { isIP } from 'node:net';
import type { MmlParam, MmlValue } from './command';
import { LONE_SURROGATE, LONE_SURROGATE_PROBLEM } from '../store/user-fields';

const pad = (n: number): string => String(n).padStart(2, '0');

/** The local calendar date of an instant, YYYY-MM-DD. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * The longest text any parameter takes when it declares no max of its own: a value longer than this is
 * refused before it reaches the store (a 100 KB SEARCH= once reached SQLite and failed there).
 */
export const MAX_TEXT_LENGTH = 1024;

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

const TRUE = ['YES', 'TRUE', 'ON', '1'];
const FALSE = ['NO', 'FALSE', 'OFF', '0'];

/** What a parameter accepts, in words: "an integer 1..1000", "one of ACTIVE, INACTIVE". */
export function allowed(p: MmlParam): string {
  switch (p.type) {
    case 'integer':
      if (p.min !== undefined && p.max !== undefined) return `an integer ${p.min}..${p.max}`;
      if (p.min !== undefined) return `an integer ≥ ${p.min}`;
      if (p.max !== undefined) return `an integer ≤ ${p.max}`;
      return 'an integer';
    case 'number':
      if (p.min !== undefined && p.max !== undefined) return `a number ${p.min}..${p.max} (e.g. 2.5)`;
      if (p.min !== undefined) return `a number ≥ ${p.min} (e.g. 2.5)`;
      return 'a number (e.g. 2.5)';
    case 'enum':
      return `one of ${(p.values ?? []).join(', ')}`;
    case 'date':
      return 'a date YYYY-MM-DD, TODAY or YESTERDAY';
    case 'ip':
      return p.prefix64 === true ? 'an IPv4 or IPv6 address, or an IPv6 /64' : 'an IPv4 or IPv6 address';
    case 'boolean':
      return 'YES or NO';
    case 'string': {
      // Every text has a most (MAX_TEXT_LENGTH unless the parameter says less): HELP said "at least 1
      // characters" of text refused past 1,024, and "at least 0" of any.
      const max = p.max ?? MAX_TEXT_LENGTH;
      return p.min !== undefined && p.min > 0
        ? `text of ${p.min}..${max} characters`
        : `text of at most ${max} characters`;
    }
  }
}

/** The outcome of coercing one value: the typed value, or what is wrong with the text. */
export type Coerced = { ok: true; value: MmlValue } | { ok: false; problem: string };

/**
 * Coerces the text of a parameter to its type. `now` resolves TODAY and YESTERDAY for dates. The
 * problem text says what is allowed and quotes what was given (never for secret parameters).
 */
export function coerceParam(p: MmlParam, raw: string, now: number): Coerced {
  const bad = (): Coerced => ({
    ok: false,
    problem: p.secret ? `expected ${allowed(p)}` : `expected ${allowed(p)}, got ${JSON.stringify(raw)}`,
  });
  const text = raw.trim();
  switch (p.type) {
    case 'number': {
      if (!DECIMAL.test(text)) return bad();
      const n = Number(text);
      if (!Number.isFinite(n)) return bad();
      if ((p.min !== undefined && n < p.min) || (p.max !== undefined && n > p.max)) return bad();
      return { ok: true, value: n };
    }
    case 'integer': {
      if (!/^[+-]?\d+$/.test(text)) return bad();
      const n = Number(text);
      if (!Number.isSafeInteger(n)) return bad();
      if ((p.min !== undefined && n < p.min) || (p.max !== undefined && n > p.max)) return bad();
      return { ok: true, value: n };
    }
    case 'enum': {
      const v = text.toUpperCase();
      if ((p.values ?? []).includes(v)) return { ok: true, value: v };
      const renamed = p.renamed?.(v);
      if (renamed !== undefined && (p.values ?? []).includes(renamed)) return { ok: true, value: renamed };
      return p.unknown !== undefined ? { ok: false, problem: p.unknown(v) } : bad();
    }
    case 'date': {
      const v = text.toUpperCase();
      if (v === 'TODAY') return { ok: true, value: localDate(now) };
      if (v === 'YESTERDAY') {
        const d = new Date(now);
        d.setDate(d.getDate() - 1);
        return { ok: true, value: localDate(d.getTime()) };
      }
      return isCalendarDate(text) ? { ok: true, value: text } : bad();
    }
    case 'ip': {
      const prefix = p.prefix64 === true && text.endsWith('/64') && isIP(text.slice(0, -3)) === 6;
      return isIP(text) === 0 && !prefix ? bad() : { ok: true, value: text };
    }
    case 'boolean': {
      const v = text.toUpperCase();
      if (TRUE.includes(v)) return { ok: true, value: true };
      if (FALSE.includes(v)) return { ok: true, value: false };
      return bad();
    }
    case 'string': {
      const length = [...raw].length;
      const max = p.max ?? MAX_TEXT_LENGTH;
      if (length > max) {
        // A long value is not echoed back (a 100 KB SEARCH= would fill the answer and the history).
        if (length <= 64) return bad();
        return {
          ok: false,
          problem: `expected text of at most ${max} characters, got ${length} characters (the limit is ${max})`,
        };
      }
      if (p.min !== undefined && length < p.min) return bad();
      if (/\p{Cc}/u.test(raw)) {
        return { ok: false, problem: 'must not contain control characters' };
      }
      // JSON's "\ud800" (over /api/mml or the WebSocket) is no character: stored, it became U+FFFD.
      if (LONE_SURROGATE.test(raw)) return { ok: false, problem: LONE_SURROGATE_PROBLEM };
      return { ok: true, value: raw };
    }
  }
}
