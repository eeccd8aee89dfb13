// The dialer's ports set in one SET CFG: KEY=DIALER.RTP_PORT_MIN VALUE=44472 RTP_PORT_MAX=44479 (and
// LOCAL_PORT=). One key at a time, moving the RTP range across DIALER.LOCAL_PORT went round in a circle:
// MIN above MAX was refused ("set MAX first") and MAX first put LOCAL_PORT inside the range ("move
// LOCAL_PORT first"). Together, each is checked against the others' new values (Settings.checkTogether:
// MIN below MAX, an even port with the next one above it, RFC 3550 §11, LOCAL_PORT outside the range)
// before any changes; then each is changed, and when one is refused those changed before it are put back.
import { DIALER_PORTS, SettingError, type SettingValue } from '../../config/settings';
import { MmlError, ok, RETCODE } from '../command';
import type { MmlArgs, MmlContext, MmlParam, MmlResult } from '../command';

/** The parameter naming a dialer port key: RTP_PORT_MIN for DIALER.RTP_PORT_MIN. */
const paramOf = (key: string): string => key.slice('DIALER.'.length);

/** SET CFG's parameters for the dialer's other ports, given with KEY= one of them. */
export const DIALER_PORT_PARAMS: MmlParam[] = DIALER_PORTS.map((key) => ({
  name: paramOf(key),
  type: 'string',
  help: `With KEY= another of the dialer's ports: ${key}, set in the same command, the ports checked together`,
}));

/**
 * The dialer's ports a SET CFG sets (KEY's first, as [key, value]), or undefined when it names none of
 * the other ports. Refused: one of them with a KEY that is no dialer port, or the KEY's own given again.
 */
export function dialerPortsGiven(args: MmlArgs, key: string): [string, string][] | undefined {
  const others = DIALER_PORTS.filter((k) => args.has(paramOf(k)));
  if (others.length === 0) return undefined;
  const named = others.map(paramOf).join(', ');
  if (!(DIALER_PORTS as readonly string[]).includes(key))
    throw new MmlError(
      RETCODE.PARAMETER_ERROR,
      `Parameter ${named}: goes with KEY=${DIALER_PORTS.join(', KEY=')} only (the dialer's ports set in one command)`,
    );
  if (others.includes(key as (typeof DIALER_PORTS)[number]))
    throw new MmlError(
      RETCODE.PARAMETER_ERROR,
      `Parameter ${paramOf(key)}: ${key} is KEY= already (VALUE= gives it)`,
    );
  return [[key, args.str('VALUE')], ...others.map((k): [string, string] => [k, args.str(paramOf(k))])];
}

/**
 * Sets the dialer's ports together: checked as the combination they make, then each changed by
 * `change` (config.ts changeSetting, reading the others at their new values); one refused on the way
 * puts back those changed before it. One answer: each key's line, the notes once, one table.
 */
export function changeDialerPorts(
  ctx: MmlContext,
  given: readonly [string, string][],
  change: (
    ctx: MmlContext,
    key: string,
    value: string,
    together: ReadonlyMap<string, SettingValue>,
  ) => MmlResult,
): MmlResult {
  const s = ctx.settings;
  let together: Map<string, SettingValue>;
  try {
    together = s.checkTogether(given);
  } catch (err) {
    if (!(err instanceof SettingError)) throw err;
    const param = err.key === given[0]![0] ? 'VALUE' : paramOf(err.key);
    const reason = err.message.startsWith(`${err.key}: `)
      ? err.message.slice(err.key.length + 2)
      : err.message;
    throw new MmlError(RETCODE.PARAMETER_ERROR, `Parameter ${param}: ${err.key} ${reason}`);
  }
  const results: MmlResult[] = [];
  const before: [string, SettingValue][] = [];
  try {
    for (const [key, value] of given) {
      const previous = s.get(key);
      results.push(change(ctx, key, value, together));
      before.push([key, previous]);
    }
  } catch (err) {
    const back = new Map(before);
    for (const [key, previous] of before.reverse()) s.change(key, previous, back);
    throw err;
  }
  const lines = results.map((r) => r.message.split('; ')[0]!);
  const notes = results.flatMap((r) => r.message.split('; ').slice(1));
  const table = results[0]!.tables[0]!;
  return {
    ...ok([...new Set([...lines, ...notes])].join('; '), [
      { ...table, rows: results.flatMap((r) => r.tables[0]!.rows) },
    ]),
    restartNeeded: results.some((r) => r.restartNeeded === true),
  };
}
