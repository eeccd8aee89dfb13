// RFC 3326: the Reason header a BYE or CANCEL may carry says why the session ended, e.g.
// `Reason: SIP ;cause=200 ;text="Call completed elsewhere"` or `Reason: Q.850;cause=16;text="Normal"`.
// The call's end_reason reads it, so that a CDR says what the party that hung up said; a final failure's
// Q.850 cause (RFC 6432) is added to its status there.
import { keptText } from '../message/kept-text';
import { isQ850Cause, q850Name } from './q850-causes';

interface ReasonValue {
  protocol: string;
  /** The cause as written (digits), undefined when none. */
  cause: string | undefined;
  /** The unquoted text, undefined when none or empty. */
  text: string | undefined;
}

/** The first value of a Reason header (RFC 3326 §2: protocol *(;cause=|;text=|;ext)). */
function readReason(value: string): ReasonValue | undefined {
  const m = /^\s*([A-Za-z0-9.!%*_+`'~-]+)\s*((?:;[^;",]*(?:"(?:[^"\\]|\\.)*")?)*)/.exec(value);
  if (m === null) return undefined;
  const params = m[2] ?? '';
  const cause = /;\s*cause\s*=\s*(\d+)/i.exec(params)?.[1];
  const text = /;\s*text\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(params)?.[1]?.replace(/\\(.)/g, '$1').trim();
  return { protocol: m[1]!, cause, text: text === '' || text === undefined ? undefined : keptText(text) };
}

const isQ850 = (protocol: string): boolean => protocol.toUpperCase() === 'Q.850';

/**
 * The first Reason value as words: its text, with the protocol and cause, e.g. "No answer (SIP 480)".
 * A Q.850 cause without a text gets its standard name ("User busy (Q.850 17)"); a cause outside 1-127
 * is said to be none ("bogus (not a Q.850 cause: 999)"), not presented as one.
 */
export function reasonWords(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const r = readReason(value);
  if (r === undefined) return undefined;
  const { protocol, cause, text } = r;
  if (isQ850(protocol) && cause !== undefined) {
    const n = Number(cause);
    if (!isQ850Cause(n))
      return text === undefined ? `not a Q.850 cause: ${cause}` : `${text} (not a Q.850 cause: ${cause})`;
    const name = text ?? q850Name(n);
    return name === undefined ? `Q.850 ${n}` : `${name} (Q.850 ${n})`;
  }
  const code = cause === undefined ? protocol : `${protocol} ${cause}`;
  if (text !== undefined) return `${text} (${code})`;
  return cause === undefined ? undefined : code;
}

/** The values of Reason header lines, split at the commas outside quoted strings. */
function reasonValues(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    for (const m of line.matchAll(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g)) if (m[0].trim() !== '') out.push(m[0]);
  }
  return out;
}

/**
 * The Q.850 cause a final response carried in a Reason header (RFC 6432: a SIP-ISUP gateway's 486 with
 * `Reason: Q.850;cause=17`), as words to add after its status: "Q.850 17 User busy"; undefined when it
 * carried none, or a cause outside 1-127.
 */
export function responseQ850(lines: readonly string[]): string | undefined {
  for (const value of reasonValues(lines)) {
    const r = readReason(value);
    if (r === undefined || !isQ850(r.protocol) || r.cause === undefined) continue;
    const n = Number(r.cause);
    if (!isQ850Cause(n)) continue;
    const name = r.text ?? q850Name(n);
    return name === undefined ? `Q.850 ${n}` : `Q.850 ${n} ${name}`;
  }
  return undefined;
}

/**
 * A Reason value of protocol SIP (RFC 3326 §2), as the proxy writes it on its CANCELs: the text a
 * quoted-string (RFC 3261 §25.1: `"` and `\` escaped), e.g. `SIP;cause=603;text="Decline"`.
 */
export function sipReason(cause: number, text: string): string {
  return `SIP;cause=${cause};text="${text.replace(/["\\]/g, '\\$&')}"`;
}
