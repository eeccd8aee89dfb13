// An appliance built in the test's process on a data folder, its SIP on loopback and a free port, no
// other listener and no rehearsal unless asked: for the tests of what a start does with the data folder,
// and of the appliance itself in the test's process.
import { Appliance } from '../../../core/appliance';
import { Settings, type SettingValue } from '../../../core/config/settings';

/**
 * `extra` settings go after these, and win (a rehearsal, a forking mode, a log level). `tls`: SIP over TLS
 * on too, on a free port (SIP.TLS_PORT left at its default takes one when SIP.PORT is 0).
 */
export function loopbackAppliance(
  dataDir: string,
  extra: [string, SettingValue][] = [],
  { tls = false }: { tls?: boolean } = {},
): Appliance {
  return new Appliance({
    dataDir,
    console: false,
    settings: new Settings([
      ['SIP.HOST', '127.0.0.1'],
      ['SIP.PORT', 0],
      ['SIP.TCP', false],
      ...(tls ? [] : ([['SIP.TLS_PORT', 0]] as [string, SettingValue][])),
      ['SIP.WS_PORT', 0],
      ['SIP.WSS_PORT', 0],
      ['SIP.WARMUP_CALLS', 0],
      ...extra,
    ]),
  });
}
