// Who "we" are on the wire: the addresses and port IMS Lab answers on and advertises, and the domains it
// serves (registrar/served-domains.ts, shared with the registrar). Route pre-processing (§16.4) pops
// Route values that point at us; target determination (§16.5) looks up the location service for
// Request-URIs in our domain (whatever port they name); our Via and Record-Route use these. Listening on
// both families, a peer of the other family than the advertised address's gets the alternate address
// (advertised-address.ts), so that an IPv6 phone is never told to reach us at an IPv4 address.
import type { SipUri } from '../message/index';
import { addressPort } from '../../address-port';
import { escapeUser } from '../message/uri';
import { ServedDomains } from '../registrar/served-domains';
import type { TransportName } from '../transport/peer';
import { DIALOG_PARAM, DialogMarks } from './dialog-token';
import { FLOW_PARAM } from './flow-token';

export interface LocalIdentityOptions {
  /** The address in our Via and Record-Route (SERVER_IP, or detected). */
  advertised: string;
  /** Listening on both families: the address for peers of the other family (SIP.SERVER_IP6, or detected). */
  alternate?: string;
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
  /** secret.key: what the dialog marks' key is derived from (a random key of this process without). */
  installationKey?: Buffer;
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
  /** The marks of the dialogs we Record-Route (dialog-token.ts). */
  readonly dialogs: DialogMarks;
  private readonly advertisedV6: boolean;

  constructor(readonly options: LocalIdentityOptions) {
    this.served = options.served ?? new ServedDomains(options);
    this.dialogs = new DialogMarks(options.installationKey);
    this.served.addAddress(options.advertised);
    if (options.alternate !== undefined) this.served.addAddress(options.alternate);
    this.advertisedV6 = options.advertised.includes(':');
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

  /**
   * Is a number with no domain (a tel: URI, RFC 3966) ours? With SIP.DOMAINS empty, yes: any host name is
   * ours (a single-domain lab, whose numbers are its users'). With SIP.DOMAINS naming our domains, no: a
   * tel: From names none of them (a PSTN caller an MGCF or AS delivers, 3GPP TS 24.229 §5.5, §5.7), as a
   * From of another domain does.
   */
  get ownsBareNumbers(): boolean {
    return this.served.anyHostName;
  }

  /**
   * Do peers at these two addresses see us at different addresses (one IPv4, one IPv6, and we listen on
   * both)? Then a dialog between them is Record-Routed once for each side (RFC 5658 §4).
   */
  differs(a: string, b: string): boolean {
    return this.options.alternate !== undefined && a.includes(':') !== b.includes(':');
  }

  /** Our Via for a request leaving on `transport` to `peer` (§16.6 step 8, rport per RFC 3581). */
  via(transport: TransportName, branch: string, peer?: string): string {
    return `SIP/2.0/${transport} ${this.hostPort(transport, peer)};branch=${branch};rport`;
  }

  /**
   * The Record-Route value (§16.6 step 4): loose routing, the transport when it is not UDP, at the port
   * of that transport's listener; `flow` (flow-token.ts) names the connection this side of the dialog
   * is reached over (RFC 5626 §5.3), `dialog` marks the dialog as one through us (dialog-token.ts). For
   * a sips: request (`secure`) the entry of a TLS or WSS side is a sips: URI, as step 4 requires, and TLS
   * goes without transport=tls (RFC 5630 §3.1.3: sips: is TLS).
   */
  recordRoute(
    transport: TransportName,
    flow?: string,
    peer?: string,
    secure = false,
    dialog?: string,
  ): string {
    const token =
      (dialog === undefined ? '' : `;${DIALOG_PARAM}=${dialog}`) +
      (flow === undefined ? '' : `;${FLOW_PARAM}=${flow}`);
    const hostPort = this.hostPort(transport, peer);
    if (secure && (transport === 'TLS' || transport === 'WSS'))
      return `<sips:${hostPort};lr${transport === 'TLS' ? '' : TRANSPORT_PARAM[transport]}${token}>`;
    return `<sip:${hostPort};lr${TRANSPORT_PARAM[transport]}${token}>`;
  }

  /** Our Contact where IMS Lab is itself a party to a dialog (a reg event subscription's notifier). */
  contact(transport: TransportName, peer?: string): string {
    return `<sip:${this.hostPort(transport, peer)}${TRANSPORT_PARAM[transport]}>`;
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

  /** The address a peer reaches us at: the advertised one, or the alternate for the other family. */
  addressFor(peer: string | undefined): string {
    const alternate = this.options.alternate;
    return alternate !== undefined && peer !== undefined && peer.includes(':') !== this.advertisedV6
      ? alternate
      : this.options.advertised;
  }

  private hostPort(transport: TransportName = 'UDP', peer?: string): string {
    const a = this.addressFor(peer);
    return addressPort(a, this.portFor(transport));
  }
}
