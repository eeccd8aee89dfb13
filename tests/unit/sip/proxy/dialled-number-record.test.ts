// A number dialled as a tel: URI (RFC 3966; IMS and VoLTE phones do) in the call record: request_uri is
// what the caller dialled, phone-context and all, not the SIP URI of ours IMS Lab routes it as
// (Proxy.telToSip: sip:1002@<us>;user=phone). callee_number (and caller_number) is the number as routing
// reads it, visual separators (RFC 3966 §5.1.1) and parameters dropped, so that DSP CDR CALLEE=+4930123
// finds the call +4930123 answered, dialled as tel:+49-30-123; the trace lists the same number.
import { describe, expect, it } from 'vitest';
import { callRecord, messageRecord } from '../../../../core/cdr/from-events';
import { partiesOfData } from '../../../../core/trace/trace-message';
import type { SipRequest } from '../../../../core/sip/message/index';
import { answerLines, CALLEE, CALLER, forwardedTo, inviteLines, register } from './call-steps';
import { REALM, SERVER, stack } from './stack';

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

describe('the number of a dialled number', () => {
  const cases = [
    ['tel:+49-30-123', '+4930123'],
    ['tel:10-02;phone-context=+1', '1002'],
    [`sip:1002;phone-context=${REALM}@${REALM};user=phone`, '1002'],
    [`sip:+49.30.123;isub=1@${REALM};user=phone`, '+4930123'],
  ] as const;

  it('callee_number is the number routing reached, the dialled form kept in request_uri', async () => {
    for (const [i, [dialled, number]] of cases.entries()) {
      const s = stack();
      s.passwords['+4930123'] = 'pw3';
      await register(s, CALLEE, number);
      await s.receive(inviteTo(dialled, `number-${i}`), CALLER);
      expect([dialled, forwardedTo(s, CALLEE) !== undefined]).toEqual([dialled, true]);
      const row = callRecord(s.callEvents.find((e) => e.type === 'started')!.call);
      expect([row.callee_number, row.request_uri, row.to_uri]).toEqual([number, dialled, dialled]);
    }
  });

  it('caller_number too: From tel:10-01 is 1001', async () => {
    const s = stack();
    await register(s, CALLEE);
    const lines = inviteLines('number-from').map((l) =>
      l.startsWith('From:') ? 'From: <tel:10-01>;tag=caller' : l,
    );
    await s.receive(lines, CALLER);
    const row = callRecord(s.callEvents.find((e) => e.type === 'started')!.call);
    expect([row.caller_number, row.callee_number]).toEqual(['1001', '1002']);
  });

  it('a MESSAGE row and the trace name the same number', async () => {
    for (const [i, [dialled, number]] of cases.entries()) {
      const s = stack();
      s.passwords['+4930123'] = 'pw3';
      await register(s, CALLEE, number);
      const lines = inviteTo(dialled, `number-msg-${i}`).map((l) => l.replace('INVITE', 'MESSAGE'));
      await s.receive(lines, CALLER);
      const sent = s.sentTo(CALLEE).findLast((m) => m.toBuffer().toString().startsWith('MESSAGE'));
      const ok = answerLines(sent as SipRequest, '200 OK').filter((l) => !l.startsWith('Contact:'));
      await s.receive(ok, CALLEE);
      expect([dialled, messageRecord(s.messages.at(-1)!).callee_number]).toEqual([dialled, number]);
      const traced = partiesOfData(Buffer.from([...lines, 'Content-Length: 0', '', ''].join('\r\n')));
      expect([dialled, traced.uri, traced.to]).toEqual([dialled, number, number]);
    }
  });
});
