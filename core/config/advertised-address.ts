// An address IMS Lab writes into SIP (Via, Record-Route, Contact, SDP: SIP.SERVER_IP, SIP.SERVER_IP6,
// DIALER.LOCAL_IP) must be one a peer can use as it stands. Node's isIP takes two forms that are not:
// - a zone ("fe80::1%lo"): the name of one of this machine's interfaces, nothing to a peer; SIP's
//   IPv6reference (RFC 3261 §25.1, RFC 5118) has no zone (RFC 6874's "%25" form is for URIs a browser
//   resolves, not for SIP), and `%` is not even allowed in a Via's sent-by;
// - an IPv4-mapped address ("::ffff:127.0.0.1", RFC 4291 §2.5.5.2): an IPv4 address written as IPv6,
//   which no IPv6 peer can reach over IPv6.

/** ::ffff:a.b.c.d (or its hex tail), with the zero groups written any way. */
const MAPPED = /^(?:(?:0{1,4}:){5}|::(?:0{1,4}:){0,4})ffff:/i;

/** Why `ip` (a literal address) cannot be advertised, after "cannot be <ip>: ", or undefined. */
export function unadvertisable(ip: string): string | undefined {
  const zone = ip.indexOf('%');
  if (zone >= 0)
    return (
      `a zone (${ip.slice(zone)}) names an interface of this machine, nothing to a peer, and an address ` +
      `in SIP has none (RFC 3261 §25.1): give the address alone (${ip.slice(0, zone)})`
    );
  if (MAPPED.test(ip))
    return 'an IPv4-mapped address is an IPv4 one, which IPv6 peers cannot reach: write the IPv4 address as IPv4, or give an IPv6 one';
  return undefined;
}
