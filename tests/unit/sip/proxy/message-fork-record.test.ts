// A MESSAGE forked to several devices of a user (RFC 3428 §7, RFC 3261 §16.6): its record names the
// device that gave the final answer, its address, port and transport, as a call's does. It named the
// first target, whatever answered. Both devices answering 200 make one record, not two; and a record
// starts when the MESSAGE arrived, ends when its answer went back.
import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../../../core/sip/message/index';
import type { Peer } from '../../../../core/sip/transport/peer';
import { answerLines, CALLER, inviteLines } from './call-steps';
import { SERVER, stack } from './stack';

const PHONE_A: Peer = { transport: 'UDP', address: '10.0.0.6', port: 5064 };
const PHONE_B: Peer = { transport: 'TCP', address: '10.0.0.7', port: 5066 };

type Stack = ReturnType<typeof stack>;

/** 1002 registered on both phones. */
async function registerBoth(s: Stack): Promise<void> {
  for (const [i, p] of [PHONE_A, PHONE_B].entries()) {
    await s.receive(
      [
        `REGISTER sip:${SERVER.address}:${SERVER.port} SIP/2.0`,
        `Via: SIP/2.0/${p.transport} ${p.address}:${p.port};branch=z9hG4bK-reg-${i};rport`,
        'Max-Forwards: 70',
        `From: <sip:1002@${SERVER.address}>;tag=r${i}`,
        `To: <sip:1002@${SERVER.address}>`,
        `Call-ID: reg-fork-${i}`,
        'CSeq: 1 REGISTER',
        `Contact: <sip:1002@${p.address}:${p.port}${p.transport === 'TCP' ? ';transport=tcp' : ''}>`,
        'Expires: 3600',
      ],
      p,
    );
  }
}

function to(s: Stack, p: Peer): SipRequest {
  return s.sentTo(p).find((m) => m.toBuffer().toString().startsWith('MESSAGE')) as SipRequest;
}

function reply(s: Stack, p: Peer, status: string): string[] {
  return answerLines(to(s, p), status, `t${p.port}`).filter((l) => !l.startsWith('Contact:'));
}

describe('a forked MESSAGE', () => {
  it('is recorded with the device that answered, not the first one tried', async () => {
    const s = stack({ forking: 'parallel' });
    await registerBoth(s);
    const message = inviteLines('fork-msg', 'MESSAGE').filter((l) => !l.startsWith('Contact:'));
    await s.receive([...message, 'Content-Type: text/plain'], CALLER, 'hello');
    await s.receive([...reply(s, PHONE_B, '200 OK'), 'User-Agent: phone-b'], PHONE_B);
    await s.receive(reply(s, PHONE_A, '486 Busy Here'), PHONE_A);
    expect(
      s.messages.map((e) => [e.statusCode, e.to.address, e.to.port, e.to.transport, e.to.userAgent]),
    ).toEqual([[200, PHONE_B.address, PHONE_B.port, 'TCP', 'phone-b']]);
  });

  it('answered 200 by both devices: one record, from its arrival to the first answer', async () => {
    const s = stack({ forking: 'parallel' });
    await registerBoth(s);
    const message = inviteLines('fork-twice', 'MESSAGE').filter((l) => !l.startsWith('Contact:'));
    const sent = Date.now();
    await s.receive([...message, 'Content-Type: text/plain'], CALLER, 'hello');
    await new Promise((r) => setTimeout(r, 30)); // the phones take a moment
    await s.receive(reply(s, PHONE_A, '200 OK'), PHONE_A);
    await s.receive(reply(s, PHONE_B, '200 OK'), PHONE_B);
    expect(s.messages.map((e) => [e.statusCode, e.to.address])).toEqual([[200, PHONE_A.address]]);
    const [e] = s.messages;
    expect(e!.sentAt).toBeGreaterThanOrEqual(sent);
    expect(e!.at - e!.sentAt).toBeGreaterThanOrEqual(25);
  });
});
