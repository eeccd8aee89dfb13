// SET CFG of a listener's port checked as the start checks it (port-probe.ts): a port another program
// holds (another IMS Lab, a SIP server) was taken, saved, and the next start stopped on it. Bound and
// released at once on the address the next start will bind (an environment variable wins); a port of
// this IMS Lab's own listeners, or 0 (a free one; off for TLS, WS and WSS), is not probed. SIP.TLS_PORT and
// SIP.WSS_PORT are TCP listeners on SIP.HOST as SIP.WS_PORT is: probed the same way (they were taken, and the
// next start stopped on a port another program held).
import { coerce, definition, SettingError, type Settings } from '../../config/settings';
import { probePorts, type PortCheck } from '../../sip/transport/port-probe';

/** The listeners whose port SET CFG probes, their kinds and the setting of their address. */
const PROBED: Readonly<Record<string, { host: string; kinds: (s: Settings) => PortCheck['kind'][] }>> = {
  'SIP.PORT': {
    host: 'SIP.HOST',
    kinds: (s) => ((s.envValue('SIP.TCP') ?? s.bool('SIP.TCP')) === true ? ['UDP', 'TCP'] : ['UDP']),
  },
  'SIP.TLS_PORT': { host: 'SIP.HOST', kinds: () => ['TCP'] },
  'SIP.WS_PORT': { host: 'SIP.HOST', kinds: () => ['TCP'] },
  'SIP.WSS_PORT': { host: 'SIP.HOST', kinds: () => ['TCP'] },
  'HTTP.PORT': { host: 'HTTP.HOST', kinds: () => ['TCP'] },
};

/** The ports this IMS Lab's listeners run on (what it holds itself). */
const OWN = ['SIP.PORT', 'SIP.TLS_PORT', 'SIP.WS_PORT', 'SIP.WSS_PORT', 'HTTP.PORT'];

/**
 * SET CFG SIP.TCP YES while the SIP listeners run without TCP: the next start binds TCP on SIP.PORT too,
 * probed as SET CFG of SIP.PORT probes it (a TCP listener of another program there stopped that start).
 * A port number of IMS Lab's other listeners is left to the listener check (settings.ts), which names it.
 */
async function tcpTakenElsewhere(
  s: Settings,
  raw: string,
): Promise<{ key: string; reason: string } | undefined> {
  let on: boolean;
  try {
    on = coerce(definition('SIP.TCP')!, raw) === true;
  } catch {
    return undefined; // answered by the change itself
  }
  if (!on || s.runningValue('SIP.TCP') === true) return undefined;
  const port = Number(s.envValue('SIP.PORT') ?? s.get('SIP.PORT'));
  if (port === 0 || OWN.some((k) => k !== 'SIP.PORT' && Number(s.runningValue(k)) === port)) return undefined;
  const host = String(s.envValue('SIP.HOST') ?? s.get('SIP.HOST'));
  try {
    await probePorts([{ setting: 'SIP.TCP', kind: 'TCP', host, hostSetting: 'SIP.HOST', port }]);
    return undefined;
  } catch (err) {
    if (!(err instanceof SettingError)) throw err;
    return { key: 'SIP.TCP', reason: err.message.slice(err.key.length + 2) };
  }
}

/** Why `raw` as `key`'s port would stop the next start (another program holds it), or undefined. */
export async function portTakenElsewhere(
  s: Settings,
  key: string,
  raw: string,
): Promise<{ key: string; reason: string } | undefined> {
  const def = definition(key);
  if (def?.key === 'SIP.TCP') return tcpTakenElsewhere(s, raw);
  const probed = def === undefined ? undefined : PROBED[def.key];
  if (def === undefined || probed === undefined || !s.usedHere(def.key)) return undefined;
  // The environment's value is what the next start binds: nothing to probe for this one.
  if (s.envOverride(def.key) !== undefined) return undefined;
  let port: number;
  try {
    port = Number(coerce(def, raw));
  } catch {
    return undefined; // answered by the change itself
  }
  if (port === 0 || OWN.some((k) => Number(s.runningValue(k)) === port)) return undefined;
  const host = String(s.envValue(probed.host) ?? s.get(probed.host));
  try {
    await probePorts(
      probed.kinds(s).map((kind) => ({ setting: def.key, kind, host, hostSetting: probed.host, port })),
    );
    return undefined;
  } catch (err) {
    if (!(err instanceof SettingError)) throw err;
    return { key: def.key, reason: err.message.slice(err.key.length + 2) };
  }
}
