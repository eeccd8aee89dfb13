// A peer's free text kept beyond its message (a binding's User-Agent, a call's User-Agent and Server, a
// BYE's Reason text, a reason phrase) is cut to 256 characters with an ellipsis: a 60,000-character
// User-Agent was kept whole, written into the CDR row of every refresh and padding every DSP REG row.
import { describe, expect, it } from 'vitest';
import { CUT_MARK, KEPT_TEXT_CHARS, keptText } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, answerLines, forwardedTo, inviteLines, register } from './call-steps';
import { REALM, SERVER, stack } from './stack';

const LONG = 20_000;
const long = (prefix: string): string => prefix + 'x'.repeat(LONG - prefix.length);

describe('keptText', () => {
  it('keeps text up to 256 characters as it is; longer, its first 255 and an ellipsis', () => {
    expect(KEPT_TEXT_CHARS).toBe(256);
    expect(keptText('Linphone/5.2')).toBe('Linphone/5.2');
    const full = 'a'.repeat(256);
    expect(keptText(full)).toBe(full);
    const cut = keptText(long('UA/'));
    expect(cut).toHaveLength(256);
    expect(cut).toBe(`UA/${'x'.repeat(252)}${CUT_MARK}`);
  });

  it('never keeps half of a character outside the BMP', () => {
    const text = 'a'.repeat(254) + '😀' + 'b'.repeat(10); // the emoji's pair at 254-255
    const cut = keptText(text);
    expect(cut).toBe(`${'a'.repeat(254)}${CUT_MARK}`);
    expect(Buffer.from(cut, 'utf8').toString('utf8')).toBe(cut); // no lone surrogate (it would be U+FFFD)
  });
});

describe('what the proxy and registrar keep of a long User-Agent, Server and Reason', () => {
  it('a binding keeps 256 characters of its User-Agent', async () => {
    const s = stack();
    await register(s, CALLEE, '1002', 'r', [`User-Agent: ${long('Phone/1.0 ')}`]);
    const [binding] = s.location.lookup(`sip:1002@${REALM}`);
    expect(binding!.userAgent).toHaveLength(256);
    expect(binding!.userAgent.startsWith('Phone/1.0 xxx')).toBe(true);
    expect(binding!.userAgent.endsWith(CUT_MARK)).toBe(true);
  });

  it("a call keeps 256 characters of the caller's User-Agent, the callee's Server and a BYE's Reason text", async () => {
    const s = stack();
    await register(s, CALLEE);
    await s.receive([...inviteLines('long-1'), `User-Agent: ${long('Caller/2 ')}`], CALLER);
    const ok = answerLines(forwardedTo(s, CALLEE), `200 ${long('OK ')}`);
    await s.receive([...ok, `Server: ${long('Callee/3 ')}`], CALLEE);
    const bye = inviteLines('long-1', 'BYE');
    bye[4] = `To: <sip:1002@${SERVER.address}>;tag=callee`;
    bye[6] = 'CSeq: 2 BYE';
    await s.receive([...bye, `Reason: Q.850;cause=16;text="${long('Normal ')}"`], CALLER);
    const ended = s.callEvents.find((e) => e.type === 'ended' && e.call.callId === 'long-1');
    expect(ended).toBeDefined();
    const call = ended!.call;
    expect(call.caller.userAgent).toHaveLength(256);
    expect(call.caller.userAgent.startsWith('Caller/2 x')).toBe(true);
    expect(call.callee.userAgent).toHaveLength(256);
    expect(call.callee.userAgent.startsWith('Callee/3 x')).toBe(true);
    expect(call.statusText).toHaveLength(256);
    expect(call.endReason).toBe(`${keptText(long('Normal '))} (Q.850 16)`);
  });
});
