// SIP.TLS_CERT and SIP.TLS_KEY go together: the start refuses one without the other ("SIP.TLS_KEY: needed
// with SIP.TLS_CERT", exit 2). SET CFG took a certificate alone, SAVE CFG wrote it, and the next start
// stopped. A change that would leave the pair half set (as the next start will read it: an environment
// variable wins) is refused, naming the other key; both are set in one command instead,
// SET CFG KEY=SIP.TLS_CERT VALUE=<certificate> TLS_KEY=<key> (a rotation to a new pair, or both "" for the
// data folder's certificate), checked together before either changes.
import type { Settings } from '../../config/settings';
import { settingText } from '../../config/setting-text';
import { checkTlsFileSetting, TlsCredentialError } from '../../sip/transport/tls-credentials';
import { MmlError, ok, RETCODE } from '../command';
import type { MmlContext, MmlResult } from '../command';

export const CERT = 'SIP.TLS_CERT';
export const KEY = 'SIP.TLS_KEY';

/** SET CFG's command that sets both at once, with `cert` and `key` as given (placeholders when not). */
export const BOTH_AT_ONCE = (cert = '<certificate file>', key = '<key file>'): string =>
  `SET CFG KEY=${CERT} VALUE=${JSON.stringify(cert)} TLS_KEY=${JSON.stringify(key)}`;

/** The value a key will have at the next start: the environment's, else `value` (or the current one). */
const nextStart = (s: Settings, key: string, value?: string): string =>
  String(s.envValue(key) ?? value ?? s.get(key)).trim();

/**
 * Why setting `key` (SIP.TLS_CERT or SIP.TLS_KEY) alone to `value` leaves the pair half set for the next
 * start, or undefined (another key, or a consistent pair: both set, checked against each other by the
 * appliance, or both empty).
 */
export function halfPairProblem(s: Settings, key: string, value: string): string | undefined {
  if (key !== CERT && key !== KEY) return undefined;
  const other = key === CERT ? KEY : CERT;
  const mine = nextStart(s, key, value);
  const theirs = nextStart(s, other);
  if ((mine === '') === (theirs === '')) return undefined;
  const refused = 'the next start refuses one without the other';
  if (mine !== '') {
    const what = key === CERT ? 'its private key' : 'its certificate';
    const given = value.trim();
    return (
      `${key} needs ${what}, and ${other} is empty (${refused}): set both in one command, ` +
      (key === CERT ? BOTH_AT_ONCE(given) : BOTH_AT_ONCE(undefined, given))
    );
  }
  return (
    `${key} "" would leave ${other} (${theirs}) alone (${refused}): to use the data folder's certificate ` +
    `(tls/), empty both in one command, ${BOTH_AT_ONCE('', '')}`
  );
}

/**
 * SET CFG KEY=SIP.TLS_CERT VALUE=`cert` TLS_KEY=`key`: both files checked together as the next start
 * will read them, then set (the key emptied first, so that the appliance checks the certificate alone and
 * then the key against it); anything refused on the way puts both back. `change` is SET CFG's change of
 * one setting (config.ts changeSetting).
 */
export function changeTlsPair(
  ctx: MmlContext,
  cert: string,
  key: string,
  change: (ctx: MmlContext, key: string, value: string) => MmlResult,
): MmlResult {
  const s = ctx.settings;
  if ((cert.trim() === '') !== (key.trim() === '')) {
    const half = cert.trim() === '' ? 'VALUE' : 'TLS_KEY';
    throw new MmlError(
      RETCODE.PARAMETER_ERROR,
      `Parameter ${half}: ${CERT} and ${KEY} are both set or both empty (the next start refuses one without the other)`,
    );
  }
  try {
    checkTlsFileSetting(KEY, { cert, key, ca: s.str('SIP.TLS_CA') }, ctx.dataDir);
    checkTlsFileSetting(CERT, { cert, key, ca: s.str('SIP.TLS_CA') }, ctx.dataDir);
  } catch (err) {
    if (!(err instanceof TlsCredentialError)) throw err;
    const param = err.setting === KEY ? 'TLS_KEY' : 'VALUE';
    // Worded as a change of one of them refused by the appliance (config.ts changeSetting).
    throw new MmlError(
      RETCODE.PARAMETER_ERROR,
      `Parameter ${param}: ${err.setting} cannot be applied: ${err.problem}`,
    );
  }
  const before = { cert: s.get(CERT), key: s.get(KEY) };
  let first: MmlResult;
  let second: MmlResult;
  try {
    s.change(KEY, '');
    first = change(ctx, CERT, cert);
    second = change(ctx, KEY, key);
  } catch (err) {
    try {
      s.change(KEY, '');
      s.change(CERT, before.cert);
      s.change(KEY, before.key);
    } catch {
      // as far as it goes: the answer says what was refused
    }
    throw err;
  }
  const [certNote, ...certRest] = first.message.split('; ');
  const keyRest = second.message.split('; ').slice(1);
  const keyNote = `${KEY} = ${s.str(KEY)} (was ${settingText(before.key)})`;
  const table = first.tables[0]!;
  const keyRow = [KEY, s.str(KEY), settingText(before.key), second.restartNeeded === true];
  return {
    ...ok([...new Set([certNote!, keyNote, ...certRest, ...keyRest])].join('; '), [
      { ...table, rows: [...table.rows, keyRow] },
    ]),
    restartNeeded: first.restartNeeded === true || second.restartNeeded === true,
  };
}
