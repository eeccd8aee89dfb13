// A mark of the dialogs that went through IMS Lab, in its own Record-Route entries: `dlg`, a MAC of the
// dialog's Call-ID. A proxy may put what it likes in the URI it Record-Routes with (RFC 3261 §16.6 step
// 4), and the UAs copy the route set verbatim into every request of the dialog (§12.1.1, §12.1.2), so
// the mark comes back on each of them. A request with a To tag and a Route naming us is taken as one of
// a dialog through us (§16.12: no challenge, not held to PROXY.RELAY_FOREIGN) only when that Route
// carries the mark for its Call-ID: anyone can write a To tag and a Route naming us, which made IMS Lab
// an open relay; nobody else can write the mark.
// The key comes from the data folder's secret.key (process-mac.ts): the BYE of a call set up before a
// restart still carries a mark IMS Lab knows for its own.
import { uriParam, type SipUri, type Uri } from '../message/index';
import type { LocalIdentity } from './local-identity';
import { UriMac } from './process-mac';

export const DIALOG_PARAM = 'dlg';

export class DialogMarks {
  private readonly mac: UriMac;

  /** Under a key derived from `installationKey` (secret.key); a random one of this process without. */
  constructor(installationKey?: Buffer) {
    this.mac = new UriMac('dialog marks', installationKey);
  }

  /** The mark for the dialog of this Call-ID. */
  of(callId: string): string {
    return this.mac.of(`dialog ${callId}`);
  }

  /** Does this URI of ours carry the mark of the dialog with this Call-ID? */
  on(uri: SipUri, callId: string): boolean {
    const given = uriParam(uri, DIALOG_PARAM);
    return typeof given === 'string' && this.mac.matches(given, `dialog ${callId}`);
  }
}

/**
 * Does a request carry the mark of its dialog where IMS Lab put it: its top Route (`top`) ours, or, from
 * a strict router (§16.4), its Request-URI one we Record-Routed? Both as the request arrived.
 */
export function carriesDialogMark(
  top: Uri | undefined,
  ruri: Uri,
  callId: string,
  me: LocalIdentity,
): boolean {
  if (top !== undefined && top.kind === 'sip' && me.isMe(top.host, top.port) && me.dialogs.on(top, callId))
    return true;
  return (
    ruri.kind === 'sip' && ruri.user === undefined && me.isRecordRouted(ruri) && me.dialogs.on(ruri, callId)
  );
}
