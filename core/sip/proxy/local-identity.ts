// Who "we" are on the wire: the addresses and port IMS Lab answers on and advertises, and the domains it
// serves (registrar/served-domains.ts, shared with the registrar). Route pre-processing (§16.4) pops
// Route values that point at us; target determination (§16.5) looks up the location service for
// Request-URIs in our domain (whatever port they name); our Via and Record-Route use these.
import type { SipUri } from '../message/index';
import { escapeUser } from '../message/uri';
import { ServedDomains } from '../registrar/served-domains';
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
  /** The domains the registrar serves too (the appliance shares one); made from the above when absent. */
  served?: ServedDomains;
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
  readonly served: ServedDomains;

  constructor(readonly options: LocalIdentityOptions) {
    this.served = options.served ?? new ServedDomains(options);
    this.served.addAddress(options.advertised);
    this.served.addAddress(options.bindHost);
    this.served.port = options.port;
    for (const p of Object.values(options.ports ?? {})) if (p !== undefined && p > 0) this.served.addPort(p);
  }

  get port(): number {
    return this.options.port;
  }

  /** Also answer to this address (e.g. every local interface when bound to all). */
  addAddress(address: string): void {
    this.served.addAddress(address);
  }

  /** Is host[:port] this very server (an address of ours at one of our ports)? */
  isMe(host: string, port: number | undefined): boolean {
    return this.served.isMe(host, port);
  }

  /**
   * Is this one of the URIs we put in Record-Route? (§16.4 strict-router detection.) Ours is
   * sip:<us>;lr, and a parameter in one URI only is ignored when comparing (§19.1.4): a strict router
   * that drops lr still names us.
   */
  isRecordRouted(uri: SipUri): boolean {
    return this.isMe(uri.host, uri.port);
  }

  /** Is this URI's host a domain we serve, whatever its port (§16.4/§16.5)? */
  isOurDomain(uri: SipUri): boolean {
    return this.served.isOurs(uri.host);
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

  /**
   * A telephone number as a SIP URI of ours (RFC 3261 §19.1.6: user=phone), the visual separators of
   * RFC 3966 §5.1.1 dropped: tel:+1-555-0100 → sip:+15550100@<us>;user=phone.
   */
  numberUri(number: string): string {
    return `sip:${escapeUser(number.replace(/[-.()]/g, ''))}@${this.hostPort()};user=phone`;
  }

  private hostPort(transport: TransportName = 'UDP'): string {
    const a = this.options.advertised;
    return `${a.includes(':') ? `[${a}]` : a}:${this.portFor(transport)}`;
  }
}
