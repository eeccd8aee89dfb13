// Dialog state (RFC 3261 §12): Call-ID, local and remote tags (inside the From/To values kept whole),
// local and remote CSeq, the remote target and the route set. A UAC makes one from the 2xx (or a
// tagged 1xx) to its INVITE (§12.1.2: route set = Record-Route reversed, remote target = Contact); a
// third party on the route (the proxy ending a call) makes one from what it saw. Requests within the
// dialog (§12.2.1.1) get their Request-URI and Route headers from it, loose or strict routing.
import {
  buildRequest,
  parseNameAddr,
  uriParam,
  type BuiltRequest,
  type SipRequest,
  type SipResponse,
} from '../message/index';

export interface DialogState {
  callId: string;
  /** Our From value (with our tag) and the peer's To value (with its tag), as sent and received. */
  local: string;
  remote: string;
  /** The last CSeq number we used; the next request takes localSeq + 1 (ACK and CANCEL excepted). */
  localSeq: number;
  /** The highest CSeq number received from the peer; 0 when none. */
  remoteSeq: number;
  /** The peer's Contact URI. */
  remoteTarget: string;
  /** Route values in the order the requests carry them. */
  routeSet: string[];
}

export interface InDialogOptions {
  via: string;
  contact?: string;
  headers?: ReadonlyArray<readonly [string, string]>;
  body?: Buffer;
  contentType?: string;
  /** For ACK (§13.2.2.4: the INVITE's CSeq number) and CANCEL; otherwise the next local CSeq. */
  cseq?: number;
}

function uriOf(nameAddr: string): string {
  try {
    return parseNameAddr(nameAddr, 'Route')?.uriText ?? nameAddr;
  } catch {
    return nameAddr;
  }
}

/** Is this route entry a loose router (;lr in its URI, §19.1.1)? */
function isLoose(route: string): boolean {
  try {
    const uri = parseNameAddr(route, 'Route')?.uri;
    return uri !== undefined && uri.kind !== 'other' && uriParam(uri, 'lr') !== undefined;
  } catch {
    return false;
  }
}

export class Dialog implements DialogState {
  callId: string;
  local: string;
  remote: string;
  localSeq: number;
  remoteSeq: number;
  remoteTarget: string;
  routeSet: string[];

  constructor(s: DialogState) {
    this.callId = s.callId;
    this.local = s.local;
    this.remote = s.remote;
    this.localSeq = s.localSeq;
    this.remoteSeq = s.remoteSeq;
    this.remoteTarget = s.remoteTarget;
    this.routeSet = [...s.routeSet];
  }

  /** §12.1.2: the UAC's dialog from its INVITE and a response with a To tag and a Contact. */
  static fromUac(invite: SipRequest, response: SipResponse): Dialog {
    return new Dialog({
      callId: invite.callId,
      local: invite.header('from')!,
      remote: response.header('to')!,
      localSeq: invite.cseq.seq,
      remoteSeq: 0,
      remoteTarget: response.contacts[0]?.uriText ?? invite.uri,
      routeSet: response.recordRoutes.map((r) => r.raw).reverse(),
    });
  }

  get localTag(): string | undefined {
    return tagOf(this.local);
  }

  get remoteTag(): string | undefined {
    return tagOf(this.remote);
  }

  /** Updates the remote target from a target refresh (§12.2.1.2 / §12.2.2: re-INVITE, its 2xx). */
  refreshTarget(msg: SipRequest | SipResponse): void {
    const contact = msg.contacts[0]?.uriText;
    if (contact !== undefined) this.remoteTarget = contact;
  }

  /** Does this request from the peer belong here (§12.2.2: Call-ID, tags)? Records its CSeq. */
  accepts(req: SipRequest): boolean {
    if (req.callId !== this.callId || req.from.tag !== this.remoteTag || req.to.tag !== this.localTag)
      return false;
    if (req.method !== 'ACK' && req.method !== 'CANCEL')
      this.remoteSeq = Math.max(this.remoteSeq, req.cseq.seq);
    return true;
  }

  /** A request within the dialog (§12.2.1.1) and the URI of its next hop (first Route, else the target). */
  request(method: string, o: InDialogOptions): BuiltRequest & { nextHop: string } {
    const cseq = o.cseq ?? ++this.localSeq;
    let uri = this.remoteTarget;
    let routes = this.routeSet;
    if (routes.length > 0 && !isLoose(routes[0]!)) {
      // Strict routing (§12.2.1.1): the first route becomes the Request-URI, the target goes last.
      uri = uriOf(routes[0]!);
      routes = [...routes.slice(1), `<${this.remoteTarget}>`];
    }
    const built = buildRequest({
      method,
      uri,
      via: o.via,
      from: this.local,
      to: this.remote,
      callId: this.callId,
      cseq,
      routes,
      contact: o.contact,
      headers: o.headers,
      body: o.body,
      contentType: o.contentType,
    });
    return { ...built, nextHop: routes.length > 0 ? uriOf(routes[0]!) : uri };
  }
}

function tagOf(value: string): string | undefined {
  try {
    return parseNameAddr(value, 'From')?.tag;
  } catch {
    return undefined;
  }
}
