// DIALER.LOCAL_IP names an address of this machine (SET CFG refuses another), but the interface that
// holds it may be down when IMS Lab starts (a USB or VPN interface not up yet, a DHCP lease pending,
// a cable out). Only the auto dialer binds it, and only at STR DIALSVC (the dialer is stopped at every
// start): unlike SIP.HOST, which the listeners bind at start, it does not stop the start. The start
// goes on with a WARNING naming the setting and the fix, and STR DIALSVC refuses with the same words
// until the address is back.
import { networkInterfaces } from 'node:os';
import { foreignAddress } from './settings';

/** Why the dialer cannot start on DIALER.LOCAL_IP `ip` now, or undefined ('' is the server's address). */
export function dialerAddressProblem(
  ip: string,
  interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces(),
): string | undefined {
  if (ip === '' || foreignAddress(ip, interfaces) === undefined) return undefined;
  return (
    `DIALER.LOCAL_IP ${ip} is not an address of this machine now (its interface down, or the address ` +
    'gone): the auto dialer cannot start (STR DIALSVC) until it is, the rest of IMS Lab runs; bring the ' +
    'interface up, or give the dialer another address: SET CFG KEY=DIALER.LOCAL_IP VALUE="" (the ' +
    "server's own), then SAVE CFG"
  );
}
