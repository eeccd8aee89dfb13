// SIP.TLS_CERT and SIP.TLS_KEY are set together (the next start refuses one without the other, and a
// key must match its certificate): the Configuration view edits them as a pair and runs the command the
// terminal takes for it, SET CFG KEY=SIP.TLS_CERT VALUE=<certificate> TLS_KEY=<key>
// (core/mml/commands/tls-pair.ts), which checks both files together before either changes.
import { quote } from '../../api/mml-text';

export const TLS_CERT = 'SIP.TLS_CERT';
export const TLS_KEY = 'SIP.TLS_KEY';

/** A setting edited in the pair dialog. */
export const isTlsPair = (key: string): boolean => key === TLS_CERT || key === TLS_KEY;

/** One of the pair's two fields. */
export type PairField = 'cert' | 'key';

/**
 * The SET CFG command setting both (both given, or both empty for the data folder's certificate), or the
 * field left empty beside the other.
 */
export function tlsPairCommand(cert: string, key: string): { command: string } | { fault: PairField } {
  const c = cert.trim();
  const k = key.trim();
  if (c === '' && k !== '') return { fault: 'cert' };
  if (k === '' && c !== '') return { fault: 'key' };
  // Empty values are written ("" for both): mml() would leave them out.
  return { command: `SET CFG:KEY=${TLS_CERT},VALUE=${quote(c)},TLS_KEY=${quote(k)}` };
}

/**
 * The file a refusal of that command is about: SET CFG names the parameter (TLS_KEY for the key file,
 * VALUE for the certificate), in English or in Chinese ("Parameter TLS_KEY: ...", "参数 TLS_KEY 错误: ...").
 */
export function faultOf(message: string): PairField {
  return /(?:Parameter|参数) TLS_KEY\b/.test(message) ? 'key' : 'cert';
}
