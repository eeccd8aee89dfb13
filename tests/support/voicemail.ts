// A voicemail server as the integration tests play it: its unsolicited NOTIFY (RFC 3842 message
// waiting) to a phone, from the server's own address.
import { requestBytes, type SipChannel } from './sip-client';

/**
 * A voicemail server's unsolicited NOTIFY (MWI) to `uri`, from its own address (192.0.2.25): a From of
 * no domain of ours, so it is not challenged (PROXY.AUTH_METHODS challenges a NOTIFY in a user's name).
 */
export function voicemailNotify(ch: SipChannel, uri: string, callId: string): Buffer {
  return requestBytes(ch, {
    method: 'NOTIFY',
    uri,
    user: 'voicemail',
    fromHost: '192.0.2.25',
    callId,
    cseq: 1,
  });
}
