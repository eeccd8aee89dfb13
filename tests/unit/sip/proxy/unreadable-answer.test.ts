// A callee's 2xx whose Contact, Record-Route or Content-Type cannot be read: the proxy relays it as any
// 2xx (RFC 3261 §16.7 step 5; the caller's UA is the one to fail on it), and the call is tracked whole,
// answered with its ACK timer (§13.3.1.4) and maximum duration. Those headers were read after the call was
// marked answered: the read threw, and the call stayed ANSWERED with no timer, no event, no record.
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, answerLines, forwardedTo, inviteLines, register } from './call-steps';
import { kinds, stack } from './stack';

/** The callee's 200 with `bad` put in place of its Contact line (or added, for other headers). */
async function answeredWith(s: ReturnType<typeof stack>, callId: string, bad: string[]): Promise<void> {
  await register(s, CALLEE);
  await s.receive(inviteLines(callId), CALLER);
  const forwarded = forwardedTo(s, CALLEE);
  const ok = answerLines(forwarded, '200 OK');
  const contact = ok.findIndex((l) => l.startsWith('Contact:'));
  await s.receive([...ok.slice(0, contact), ...bad, ...ok.slice(contact + 1)], CALLEE);
}

describe('a 2xx the proxy cannot fully read (RFC 3261 §16.7: relayed; the call tracked all the same)', () => {
  it('a malformed Contact: relayed, answered, ended at 64*T1 "No ACK for the 2xx" with BYE both ways', async () => {
    const s = stack();
    await answeredWith(s, 'bad-contact', [`Contact: <sip:1002@${CALLEE.address}:${CALLEE.port}`]);
    expect((s.sentTo(CALLER).at(-1) as SipResponse).status).toBe(200);
    expect(s.callEvents.map((e) => e.type)).toEqual(['started', 'answered']);
    expect(s.calls.list()[0]?.callee.contact).toBe('');
    const before = s.sent.length;
    s.advance(32_500);
    const ended = s.callEvents.at(-1)!;
    expect([ended.type, ended.call.state, ended.call.endReason]).toEqual([
      'ended',
      'ended',
      'No ACK for the 2xx',
    ]);
    expect(s.calls.size).toBe(0);
    // The callee is sent its BYE at the contact the INVITE went to, the caller at its own.
    expect(kinds(s.sentTo(CALLEE, before))).toContain('BYE');
    expect(kinds(s.sentTo(CALLER, before))).toContain('BYE');
  });

  it('a malformed Contact: the maximum call duration still ends it', async () => {
    const s = stack({ maxCallSeconds: 60 }, { ackWaitMs: 3_600_000 });
    await answeredWith(s, 'bad-contact-max', ['Contact: sip:1002@10.0.0.6:5064>;x=<']);
    expect(s.callEvents.map((e) => e.type)).toEqual(['started', 'answered']);
    s.advance(61_000);
    const ended = s.callEvents.at(-1)!;
    expect([ended.type, ended.call.endReason, ended.call.hangupBy]).toEqual([
      'ended',
      'Maximum call duration',
      'timeout',
    ]);
  });

  it('a malformed Record-Route or Content-Type: answered, and its timers run', async () => {
    for (const bad of ['Record-Route: <sip:10.9.9.9;lr', 'Content-Type: application/']) {
      const s = stack();
      await answeredWith(s, 'bad-header', [`Contact: <sip:1002@${CALLEE.address}:${CALLEE.port}>`, bad]);
      expect((s.sentTo(CALLER).at(-1) as SipResponse).status).toBe(200);
      expect(s.callEvents.map((e) => e.type)).toEqual(['started', 'answered']);
      expect(s.calls.list()[0]?.callee.contact).toBe(`sip:1002@${CALLEE.address}:${CALLEE.port}`);
      s.advance(32_500);
      expect(s.callEvents.at(-1)?.call.endReason).toBe('No ACK for the 2xx');
    }
  });
});
