// A number dialled as a tel: URI (RFC 3966; IMS and VoLTE phones do) in the call record: request_uri is
// what the caller dialled, phone-context and all, not the SIP URI of ours IMS Lab routes it as
// (Proxy.telToSip: sip:1002@<us>;user=phone).
import { describe, expect, it } from 'vitest';
import { callRecord } from '../../../../core/cdr/from-events';
import { CALLEE, CALLER, forwardedTo, inviteLines, register } from './call-steps';
import { SERVER, stack } from './stack';

/** 1001's INVITE to `uri`, its To naming the same. */
function inviteTo(uri: string, callId: string): string[] {
  return inviteLines(callId).map((l) =>
    l.startsWith('INVITE ') ? `INVITE ${uri} SIP/2.0` : l.startsWith('To:') ? `To: <${uri}>` : l,
  );
}

describe('the call record of a dialled number', () => {
  it('request_uri is the tel: URI as the caller dialled it, not the SIP URI it is routed as', async () => {
    for (const [i, dialled] of ['tel:1002;phone-context=ims.lab', 'tel:10-02'].entries()) {
      const s = stack();
      await register(s, CALLEE);
      await s.receive(inviteTo(dialled, `dialled-${i}`), CALLER);
      // Routed as ever: to 1002's contact.
      expect(forwardedTo(s, CALLEE)?.uri).toBe(`sip:1002@${CALLEE.address}:${CALLEE.port}`);
      const started = s.callEvents.find((e) => e.type === 'started')!.call;
      expect(callRecord(started).request_uri).toBe(dialled);
    }
  });

  it('a SIP Request-URI is recorded as it came, as before', async () => {
    const s = stack();
    await register(s, CALLEE);
    const dialled = `sip:1002;phone-context=ims.lab@${SERVER.address};user=phone`;
    await s.receive(inviteTo(dialled, 'dialled-sip'), CALLER);
    const started = s.callEvents.find((e) => e.type === 'started')!.call;
    expect(callRecord(started).request_uri).toBe(dialled);
  });
});
