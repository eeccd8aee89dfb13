// Which names the console may be reached by, for requests a browser sends (they carry Origin): DNS
// rebinding points a name the attacker owns (evil.example) at this appliance, so that the attacker's page
// is "same origin" with it; its posts then name evil.example in both Origin and Host, and could fail the
// admin's logins into a lock-out or guess the password from the victim's browser. Names an attacker cannot
// point here are taken: IP addresses, a name of one label (a LAN's or Docker's: ims-lab), localhost, the
// names reserved for private networks (.local, RFC 6762; .home.arpa, RFC 8375; .internal, .lan,
// .localdomain), this computer's own name, and those the operator lists in HTTP.ALLOWED_HOSTS.
import { isIP } from 'node:net';
import { hostname } from 'node:os';

const PRIVATE_SUFFIXES = ['.localhost', '.local', '.home.arpa', '.internal', '.lan', '.localdomain'];

/** The host of a Host header, lower-case, without its port, brackets or a trailing dot. */
export function hostOf(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') < 0 ? undefined : h.indexOf(']'));
  return h.replace(/:\d*$/, '').replace(/\.$/, '');
}

/** May a browser page served under this Host drive the console? */
export function consoleHostAllowed(header: string | undefined, allowed: readonly string[]): boolean {
  if (header === undefined) return true; // HTTP/1.0: no Host, and no browser sends none
  const host = hostOf(header);
  if (isIP(host) !== 0 || !host.includes('.')) return true;
  if (PRIVATE_SUFFIXES.some((s) => host.endsWith(s))) return true;
  if (host === hostname().toLowerCase()) return true;
  return allowed.some((name) => name.toLowerCase().replace(/\.$/, '') === host);
}
