// A mark of the dialogs that went through IMS Lab, in its own Record-Route entries: `dlg`, a MAC of the
// dialog's Call-ID. A proxy may put what it likes in the URI it Record-Routes with (RFC 3261 §16.6 step
// 4), and the UAs copy the route set verbatim into every request of the dialog (§12.1.1, §12.1.2), so
// the mark comes back on each of them. A request with a To tag and a Route naming us is taken as one of
// a dialog through us (§16.12: no challenge, not held to PROXY.RELAY_FOREIGN) only when that Route
// carries the mark for its Call-ID: anyone can write a To tag and a Route naming us, which made IMS Lab
// an open relay; nobody else can write the mark.
// The key is the process's own (process-mac.ts), as the flow tokens' are: a dialog from before a restart
// is taken for a new request (challenged when it is from our users, held to the relay rules), as the call
// tracker has forgotten it too.
import { uriParam, type SipUri, type Uri } from '../message/index';
import type { LocalIdentity } from './local-identity';
import { isProcessMac, processMac } from './process-mac';

export const DIALOG_PARAM = 'dlg';

/** The mark for the dialog of this Call-ID. */
export function dialogToken(callId: string): string {
  return processMac(`dialog ${callId}`);
}

/** Does this URI of ours carry the mark of the dialog with this Call-ID? */
export function marksDialog(uri: SipUri, callId: string): boolean {
  const given = uriParam(uri, DIALOG_PARAM);
  return typeof given === 'string' && isProcessMac(given, `dialog ${callId}`);
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
  if (top !== undefined && top.kind === 'sip' && me.isMe(top.host, top.port) && marksDialog(top, callId))
    return true;
  return (
    ruri.kind === 'sip' && ruri.user === undefined && me.isRecordRouted(ruri) && marksDialog(ruri, callId)
  );
}
