// Who "we" are on the wire: the addresses and port IMS Lab answers on and advertises, and the domains it
// serves. Route pre-processing (§16.4) pops Route values that point at us; target determination (§16.5)
// looks up the location service for Request-URIs in our domain; our Via and Record-Route use these.
import { hostAddress, isIpHost, uriParam, type SipUri } from '../message/index';
import type { TransportName } from '../transport/peer';
import { FLOW_PARAM } from './flow-token';

export interface LocalIdentityOptions {
  /** The address in our Via and Record-Route (SERVER_IP, or detected). */
  advertised: string;
  /** The bind address (0.0.0.0 for all). */
  bindHost: string;
  port: number;
  /** SIP.DOMAIN: the domain of canonical AORs. */
  domain: string;
  /** SIP.DOMAINS; empty means any host name is one of ours (a single-domain lab). */
  domains: readonly string[];
  /** The ports of the other listeners (TLS, WS, WSS) when they differ from `port`; absent when off. */
  ports?: Partial<Record<TransportName, number>>;
}

/** The transport= parameter our Record-Route carries for each transport (RFC 3261 §19.1.1, RFC 7118 §5). */
const TRANSPORT_PARAM: Record<TransportName, string> = {
  UDP: '',
  TCP: ';transport=tcp',
  TLS: ';transport=tls',
  WS: ';transport=ws',
  WSS: ';transport=wss',
};

export class LocalIdentity {
  private readonly addresses = new Set<string>();
  /** Every port we listen on (UDP/TCP, TLS, WS, WSS). */
  private readonly ports = new Set<number>();

  constructor(readonly options: LocalIdentityOptions) {
    this.ports.add(options.port);
    for (const p of Object.values(options.ports ?? {})) if (p !== undefined && p > 0) this.ports.add(p);
    this.addresses.add(options.advertised.toLowerCase());
    if (options.bindHost !== '0.0.0.0' && options.bindHost !== '::') this.addresses.add(options.bindHost);
    else for (const a of ['127.0.0.1', '::1', 'localhost']) this.addresses.add(a);
  }

  get port(): number {
    return this.options.port;
  }

  /** Also answer to this address (e.g. every local interface when bound to all). */
  addAddress(address: string): void {
    this.addresses.add(address.toLowerCase());
  }

  /** Is host[:port] this very server (an address of ours at one of our ports)? */
  isMe(host: string, port: number | undefined): boolean {
    if (!this.addresses.has(hostAddress(host))) return false;
    // No port: 5060, or 5061 for sips/TLS (§19.1.2); either names us when we listen there.
    return port === undefined ? this.ports.has(5060) || this.ports.has(5061) : this.ports.has(port);
  }

  /** Is this one of the URIs we put in Record-Route (ours, with lr)? (§16.4 strict-router detection) */
  isRecordRouted(uri: SipUri): boolean {
    return this.isMe(uri.host, uri.port) && uriParam(uri, 'lr') !== undefined;
  }

  /** Is this URI's host a domain we serve (§16.4/§16.5 "the domain(s) the proxy is responsible for")? */
  isOurDomain(uri: SipUri): boolean {
    const host = hostAddress(uri.host);
    if (this.isMe(uri.host, uri.port)) return true;
    if (host === this.options.domain.toLowerCase()) return true;
    if (this.options.domains.length > 0) return this.options.domains.includes(host);
    return !isIpHost(uri.host);
  }

  /** Our Via for a request leaving on `transport` (§16.6 step 8, rport per RFC 3581). */
  via(transport: TransportName, branch: string): string {
    return `SIP/2.0/${transport} ${this.hostPort(transport)};branch=${branch};rport`;
  }

  /**
   * The Record-Route value (§16.6 step 4): loose routing, the transport when it is not UDP, at the port
   * of that transport's listener; `flow` (flow-token.ts) names the connection this side of the dialog
   * is reached over (RFC 5626 §5.3).
   */
  recordRoute(transport: TransportName, flow?: string): string {
    const token = flow === undefined ? '' : `;${FLOW_PARAM}=${flow}`;
    return `<sip:${this.hostPort(transport)};lr${TRANSPORT_PARAM[transport]}${token}>`;
  }

  /** The port our listener for `transport` has (the UDP/TCP port when it has none of its own). */
  portFor(transport: TransportName): number {
    return this.options.ports?.[transport] ?? this.options.port;
  }

  private hostPort(transport: TransportName = 'UDP'): string {
    const a = this.options.advertised;
    return `${a.includes(':') ? `[${a}]` : a}:${this.portFor(transport)}`;
  }
}
