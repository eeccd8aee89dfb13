// SIP.TLS_CERT and SIP.TLS_KEY are set together (the next start refuses one without the other, and a
// key must match its certificate): the Configuration view edits them as a pair and runs the command the
// terminal takes for it, SET CFG KEY=SIP.TLS_CERT VALUE=<certificate> TLS_KEY=<key>
// (core/mml/commands/tls-pair.ts), which checks both files together before either changes. As a single
// setting's Edit dialog (if-value.ts), it is based on the pair it read: IF_VALUE= the certificate and
// IF_TLS_KEY= the key, refused if another operator changed either since (RFC 9110 §13.1.1 If-Match).
import type { SettingData } from '../../../../core/control/contract';
import { quote } from '../../api/mml-text';
import { valueText } from './validate';

export const TLS_CERT = 'SIP.TLS_CERT';
export const TLS_KEY = 'SIP.TLS_KEY';

/** A setting edited in the pair dialog. */
export const isTlsPair = (key: string): boolean => key === TLS_CERT || key === TLS_KEY;

/** One of the pair's two fields. */
export type PairField = 'cert' | 'key';

/** The pair's two values, as DSP CFG shows them. */
export type PairValues = Record<PairField, string>;

/** The pair's values among the view's settings. */
export function pairValues(settings: readonly SettingData[]): PairValues {
  const value = (key: string) => valueText(settings.find((s) => s.key === key)?.value ?? '');
  return { cert: value(TLS_CERT), key: value(TLS_KEY) };
}

/**
 * What another operator changed the pair to since `read` ("SIP.TLS_KEY = /etc/ims/new.key"), for the
 * dialog's "Changed by another operator to ..." line; null while both are as read.
 */
export function pairChangedUnder(read: PairValues, latest: PairValues): string | null {
  const changed = (['cert', 'key'] as const)
    .filter((f) => latest[f] !== read[f])
    .map((f) => `${f === 'cert' ? TLS_CERT : TLS_KEY} = ${latest[f] || '""'}`);
  return changed.length === 0 ? null : changed.join(', ');
}

/**
 * The SET CFG command setting both (both given, or both empty for the data folder's certificate), only if
 * the pair is still as `read`, or the field left empty beside the other.
 */
export function tlsPairCommand(
  cert: string,
  key: string,
  read: PairValues,
): { command: string } | { fault: PairField } {
  const c = cert.trim();
  const k = key.trim();
  if (c === '' && k !== '') return { fault: 'cert' };
  if (k === '' && c !== '') return { fault: 'key' };
  // Empty values are written ("" for both): mml() would leave them out.
  return {
    command:
      `SET CFG:KEY=${TLS_CERT},VALUE=${quote(c)},TLS_KEY=${quote(k)},` +
      `IF_VALUE=${quote(read.cert)},IF_TLS_KEY=${quote(read.key)}`,
  };
}

/**
 * The file a refusal of that command is about: SET CFG names the parameter (TLS_KEY for the key file,
 * VALUE for the certificate), in English or in Chinese ("Parameter TLS_KEY: ...", "参数 TLS_KEY 错误: ...").
 */
export function faultOf(message: string): PairField {
  return /(?:Parameter|参数) TLS_KEY\b/.test(message) ? 'key' : 'cert';
}
