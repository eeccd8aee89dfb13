// Which domains are ours: the one notion the registrar (§10.3 step 1) and the proxy (§16.4 route
// preprocessing, §16.5 "the domain(s) the proxy is responsible for") share, so that a phone that
// registers somewhere can also be called there. Ours are:
//  - every address of this host: the advertised one (SERVER_IP), every local interface address
//    (os.networkInterfaces()), 127.0.0.1, ::1, localhost and this computer's own name (os.hostname(), as
//    Kamailio's auto_aliases takes it; the generated certificate names it), whatever port a URI names with them (a
//    phone configured with domain = the server's IP and no port still means us when we listen on 35061);
//  - the names in SIP.DOMAIN and SIP.DOMAINS;
//  - when SIP.DOMAINS is empty, any host name (a single-domain lab: every name maps to the same users);
//    an IP address that is not one of ours is never our domain.
// "Is this very server" (a Route or Request-URI naming us, §16.4) is stricter: one of our addresses or
// names *and* our port.
import { hostname, networkInterfaces } from 'node:os';
import { hostAddress, isIpHost } from '../message/index';
import { canonicalIp } from '../transport/ip-text';

export interface DomainNames {
  /** SIP.DOMAIN: the domain of canonical AORs. */
  domain: string;
  /** SIP.DOMAINS; empty: any host name is ours. */
  domains: readonly string[];
}

/** Every address of this host's interfaces (IPv6 without a zone index), lower-case. */
export function interfaceAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) out.push(a.address);
  }
  return out;
}

/** Lower-case, without IPv6 brackets, zone index or a name's trailing dot. */
function bare(host: string): string {
  return hostAddress(host).replace(/%.*$/, '').replace(/\.$/, '');
}

/**
 * An address as compared (RFC 5954 §4 compares IPv6 references as addresses, not as text): IPv6 in its
 * one written form ([0:0:0:0:0:0:0:1] and [::0001] are [::1]), an IPv4-mapped one (RFC 4291 §2.5.5.2,
 * [::ffff:127.0.0.1]) as its IPv4 address (ip-text.ts); anything without a colon as it is, at no cost.
 */
function addressKey(h: string): string {
  return h.includes(':') ? canonicalIp(h) : h;
}

export class ServedDomains {
  private readonly addresses = new Set<string>(['127.0.0.1', '::1', 'localhost', bare(hostname())]);
  private names = new Set<string>();
  private anyName = true;
  /** Our SIP port (UDP and TCP); 0 until the listeners are bound. */
  port = 0;
  /** The ports of our other listeners (TLS, WS, WSS). */
  private readonly otherPorts = new Set<number>();

  constructor(names: DomainNames, addresses: readonly string[] = []) {
    this.setNames(names);
    for (const a of addresses) this.addAddress(a);
  }

  /** SIP.DOMAIN / SIP.DOMAINS changed (SET CFG). */
  setNames(names: DomainNames): void {
    const list = names.domains.map((d) => bare(d)).filter((d) => d !== '');
    this.names = new Set([bare(names.domain), ...list].filter((d) => d !== ''));
    this.anyName = list.length === 0;
  }

  /** One more address of ours (the advertised one, an interface). */
  addAddress(address: string): void {
    if (address === '' || address === '0.0.0.0' || address === '::') return;
    this.addresses.add(addressKey(bare(address)));
  }

  /**
   * One of our addresses, as written or as an address: an IPv6 one written another way, or one of our
   * IPv4 addresses written IPv4-mapped ([::ffff:127.0.0.1]), which named another host: a From of ours
   * so written was not challenged, and a Request-URI or Route so written was relayed to ourselves.
   */
  private hasAddress(h: string): boolean {
    return this.addresses.has(h) || this.addresses.has(addressKey(h));
  }

  /** One more listener port of ours (TLS, WS, WSS). */
  addPort(port: number): void {
    this.otherPorts.add(port);
  }

  /** SIP.DOMAINS is empty: any host name is ours (a single-domain lab). */
  get anyHostName(): boolean {
    return this.anyName;
  }

  /** Is this host one of our addresses (any port)? */
  isOurAddress(host: string): boolean {
    return this.hasAddress(bare(host));
  }

  /** Is this host one of our addresses or configured names (not "any name": SIP.DOMAINS empty)? */
  isOwnHost(host: string): boolean {
    const h = bare(host);
    return this.names.has(h) || this.hasAddress(h);
  }

  /** Is a URI with this host ours, whatever its port? */
  isOurs(host: string): boolean {
    const h = bare(host);
    if (this.names.has(h) || this.hasAddress(h)) return true;
    return this.anyName && !isIpHost(host);
  }

  /** Does host[:port] name this very server: an address or configured name of ours, at one of our ports? */
  isMe(host: string, port: number | undefined): boolean {
    if (!this.isOwnHost(host)) return false;
    // No port: 5060, or 5061 for sips/TLS (§19.1.2); either names us when we listen there.
    if (port === undefined) return this.listensOn(5060) || this.listensOn(5061);
    return this.listensOn(port);
  }

  /**
   * Does a user's URI at host[:port] name the AOR that user is filed under, as routing reads a
   * Request-URI (target-set.ts)? A host of ours with no port or one of our ports: the registrar takes any
   * of these forms in To for the one canonical AOR (RFC 3261 §10.3 step 5), and §16.5 makes them the one
   * place the proxy is responsible for; another port on a host of ours names an element or a contact there.
   */
  namesAor(host: string, port: number | undefined): boolean {
    return this.isOurs(host) && (port === undefined || this.isMe(host, port));
  }

  private listensOn(port: number): boolean {
    return port === this.port || this.otherPorts.has(port);
  }

  /** For the log and DSP SRVSTAT: the addresses and names we answer for. */
  describe(): string {
    return [...this.addresses, ...this.names].join(', ') + (this.anyName ? ' (and any host name)' : '');
  }
}
