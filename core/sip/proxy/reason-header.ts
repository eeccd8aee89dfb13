// RFC 3326: the Reason header a BYE or CANCEL may carry says why the session ended, e.g.
// `Reason: SIP ;cause=200 ;text="Call completed elsewhere"` or `Reason: Q.850;cause=16;text="Normal"`.
// The call's end_reason reads it, so that a CDR says what the party that hung up said.
import { keptText } from '../message/kept-text';

/** The first Reason value as words: its text, with the protocol and cause, e.g. "No answer (SIP 480)". */
export function reasonWords(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*([A-Za-z0-9.!%*_+`'~-]+)\s*((?:;[^;"]*(?:"(?:[^"\\]|\\.)*")?)*)/.exec(value);
  if (m === null) return undefined;
  const protocol = m[1]!;
  const params = m[2] ?? '';
  const cause = /;\s*cause\s*=\s*(\d+)/i.exec(params)?.[1];
  const text = /;\s*text\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(params)?.[1]?.replace(/\\(.)/g, '$1').trim();
  const code = cause === undefined ? protocol : `${protocol} ${cause}`;
  if (text !== undefined && text !== '') return `${keptText(text)} (${code})`;
  return cause === undefined ? undefined : code;
}

/**
 * A Reason value of protocol SIP (RFC 3326 §2), as the proxy writes it on its CANCELs: the text a
 * quoted-string (RFC 3261 §25.1: `"` and `\` escaped), e.g. `SIP;cause=603;text="Decline"`.
 */
export function sipReason(cause: number, text: string): string {
  return `SIP;cause=${cause};text="${text.replace(/["\\]/g, '\\$&')}"`;
}
