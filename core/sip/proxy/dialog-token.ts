// A mark of the dialogs that went through IMS Lab, in its own Record-Route entries: `dlg`, a MAC of the
// dialog's Call-ID, its caller's From tag and the two parties' URIs (user and host of From and To). A
// proxy may put what it likes in the URI it Record-Routes with (RFC 3261 §16.6 step 4), and the UAs copy
// the route set verbatim into every request of the dialog (§12.1.1, §12.1.2), so the mark comes back on
// each of them. A request with a To tag and a Route naming us is taken as one of a dialog through us
// (§16.12: no challenge, not held to PROXY.RELAY_FOREIGN) only when that Route carries the mark of its
// own Call-ID, tags and parties: anyone can write a To tag and a Route naming us, which made IMS Lab an
// open relay; nobody else can write the mark. Every request of a dialog carries its From and To URIs
// and the caller's tag unchanged, one way or the other (§12.2.1.1: local URI and tag in From, remote in
// To), so the mark holds for both parties' requests; a party that wrote another From (a Call-ID mark
// alone let the callee send "in the dialog" as anyone, unchallenged) no longer matches it.
// The key comes from the data folder's secret.key (process-mac.ts): the BYE of a call set up before a
// restart still carries a mark IMS Lab knows for its own.
import { uriParam, type NameAddr, type SipRequest, type SipUri, type Uri } from '../message/index';
import type { LocalIdentity } from './local-identity';
import { UriMac } from './process-mac';

export const DIALOG_PARAM = 'dlg';

export class DialogMarks {
  private readonly mac: UriMac;

  /** Under a key derived from `installationKey` (secret.key); a random one of this process without. */
  constructor(installationKey?: Buffer) {
    this.mac = new UriMac('dialog marks', installationKey);
  }

  /**
   * The mark for the dialog this dialog-creating request sets up. A NOTIFY's is its SUBSCRIBE's (the
   * subscriber, its To, the caller: RFC 6665 §4.3), so that both route sets carry the same entries.
   */
  of(req: SipRequest): string {
    if (req.method === 'NOTIFY') return this.mac.of(payload(req.callId, req.to, req.from));
    return this.mac.of(payload(req.callId, req.from, req.to));
  }

  /**
   * Does this URI of ours carry the mark of the dialog of this request: sent by its caller (From as the
   * dialog-creating request had it) or by its callee (From and To the other way round)?
   */
  on(uri: SipUri, req: SipRequest): boolean {
    const given = uriParam(uri, DIALOG_PARAM);
    if (typeof given !== 'string') return false;
    const callId = req.callId;
    return (
      this.mac.matches(given, payload(callId, req.from, req.to)) ||
      this.mac.matches(given, payload(callId, req.to, req.from))
    );
  }
}

/** What a mark signs: the Call-ID, the caller's tag, and caller and callee by user and host. */
function payload(callId: string, caller: NameAddr, callee: NameAddr): string {
  return `dialog ${callId} ${caller.tag ?? ''} ${party(caller.uri)} ${party(callee.uri)}`;
}

/**
 * A party of a dialog as its From or To names it: user and host (host in any case, §19.1.4), as written,
 * which no white space can be part of; a tel: or other URI as written.
 */
function party(uri: Uri): string {
  return uri.kind === 'sip' ? `${uri.user ?? ''}@${uri.host.toLowerCase()}` : uri.raw;
}

/**
 * Does a request carry the mark of its dialog where IMS Lab put it: its top Route (`top`) ours, or, from
 * a strict router (§16.4), its Request-URI one we Record-Routed? Both as the request arrived.
 */
export function carriesDialogMark(
  top: Uri | undefined,
  ruri: Uri,
  req: SipRequest,
  me: LocalIdentity,
): boolean {
  if (top !== undefined && top.kind === 'sip' && me.isMe(top.host, top.port) && me.dialogs.on(top, req))
    return true;
  return (
    ruri.kind === 'sip' && ruri.user === undefined && me.isRecordRouted(ruri) && me.dialogs.on(ruri, req)
  );
}
