// RFC 3261 §13.3.1.4: the dialer's 200 to the far end's re-INVITE is retransmitted at T1, doubling up
// to T2, until the ACK comes; with none in 64*T1 (32 s) the call is ended with a BYE, its note saying
// why. Before, the 200 went once: lost on UDP, the far end's re-INVITE was never answered (it had the
// proxy's 100 and stopped retransmitting) and the call hung until the far end's Timer B. A real user
// agent on loopback; its SIP timers on a manual wheel the test moves.
import { describe, expect, it } from 'vitest';
import { TimerWheel } from '../../../core/sip/transaction/timer-wheel';
import { noAckNote } from '../../../core/sip/ua/outbound-call';
import { callOneCallee, reInvite, testSocket, until } from './one-callee';

const sdp = (port: number) =>
  'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n' +
  `m=audio ${port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n`;

/** When the 200's retransmissions are due, ms after it first went: 500, 1500, 3500, then every 4 s. */
const DUE = [500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500];

async function reInvited(ports: [number, number], onOk?: (count: number, ack: () => void) => void) {
  let clock = 1_000_000;
  const timers = new TimerWheel({ manual: true, now: () => clock });
  const rx = await testSocket();
  const c = await callOneCallee(sdp(rx.address().port), { rtpPorts: ports, timers });
  const result = c.call.run();
  await until(() => c.call.state === 'answered');
  const oks: string[] = [];
  const byes: string[] = [];
  const answer = await reInvite(c, 2, sdp(rx.address().port), (text, ack) => {
    if (text.startsWith('BYE ')) byes.push(text);
    if (!text.startsWith('SIP/2.0 200')) return;
    oks.push(text);
    onOk?.(oks.length, ack);
  });
  expect(answer).toMatch(/^SIP\/2\.0 200 /);
  const t0 = clock;
  const advance = (ms: number) => timers.advanceTo((clock = t0 + ms));
  return { c, result, oks, byes, timers, advance };
}

describe("the dialer's 200 to a re-INVITE", () => {
  it('goes again at T1 doubling to T2 until 64*T1, then the call is ended with BYE saying why', async () => {
    const { result, oks, byes, advance } = await reInvited([47190, 47199]);
    for (const [i, due] of DUE.entries()) {
      advance(due - 10);
      advance(due);
      await until(() => oks.length >= i + 2);
      expect(oks.length).toBe(i + 2);
    }
    expect(new Set(oks).size).toBe(1); // the same bytes each time
    advance(31_990);
    expect(byes).toEqual([]);
    advance(32_000);
    await until(() => byes.length > 0);
    expect(byes[0]).toContain('\r\nReason: SIP;cause=408;text="No ACK"\r\n');
    const r = await result;
    expect(r).toMatchObject({ answered: true, end: 'local', reason: 'No ACK' });
    expect(r.note?.split('; ')).toContain(noAckNote(32));
    expect(oks.length).toBe(11);
  });

  it('stops at its ACK: the call goes on', async () => {
    const { c, result, oks, byes, timers, advance } = await reInvited([47190, 47199], (count, ack) => {
      if (count === 2) ack();
    });
    const pending = timers.pending;
    advance(DUE[0]!);
    await until(() => oks.length === 2 && timers.pending < pending);
    expect(timers.pending).toBe(pending - 1); // the retransmission timer, cancelled by the ACK
    for (let ms = 1000; ms <= 40_000; ms += 500) advance(ms);
    expect(byes).toEqual([]);
    c.call.hangup('Normal');
    const r = await result;
    expect(oks.length).toBe(2);
    expect(r).toMatchObject({ answered: true, reason: 'Normal' });
    expect(r.note ?? '').not.toMatch(/ACK/);
  });
});
