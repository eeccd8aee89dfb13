// The dialer's words in Chinese (DSP DIALSVC in 中文, the console's Dialer view); a far end's reason
// phrase is data and comes back as it is, whatever it says.
import { describe, expect, it } from 'vitest';
import { zhDialerEnd, zhDialerReason, zhPromptSource } from '../../../core/dialer/reason-zh';
import { noAckNote } from '../../../core/sip/ua/outbound-call';

describe('zhDialerReason / zhDialerEnd', () => {
  it("translates the dialer's own words", () => {
    expect(zhDialerReason('No answer')).toBe('无应答');
    expect(zhDialerReason('No answer; no final answer to the INVITE')).toBe(
      '无应答；未收到 INVITE 的最终应答',
    );
    expect(zhDialerReason("the answer's SDP is malformed: no m= line")).toBe(
      '应答的 SDP 格式错误: no m= line',
    );
    expect(zhDialerEnd('remote')).toBe('对端');
    expect(zhDialerReason('No ACK')).toBe('未收到 ACK');
    expect(zhDialerReason(noAckNote(32))).toBe(
      '对端 re-INVITE 的 200 在 32 秒（64*T1）内未收到 ACK: 已用 BYE 结束',
    );
    expect(zhDialerReason('no free RTP port pair in 23200-23199 (0 in use)')).toBe(
      '23200-23199 中没有空闲的 RTP 端口对（0 对在用）',
    );
  });

  it("translates a campaign's Notes: cut by the appliance's stop, stopped for refused credentials", () => {
    expect(zhDialerReason('Interrupted by shutdown: 10 of 40 placed')).toBe(
      '因系统停止而中断: 已发起 10 / 40',
    );
    expect(
      zhDialerReason(
        "Stopped: the account 0000's credentials were refused (407 Proxy Authentication Required); 3 of 40 placed",
      ),
    ).toBe('已停止: 账号 0000 的凭据被拒绝（407 Proxy Authentication Required）；已发起 3 / 40');
    // After the port cap's Note, each still whole (dialer F4's cap joined with '; ').
    const cap =
      'CONCURRENCY=10, but DIALER.RTP_PORT_MIN..DIALER.RTP_PORT_MAX give 3 RTP port pairs: at most 3 calls at once';
    const zhCap =
      'CONCURRENCY=10，但 DIALER.RTP_PORT_MIN..DIALER.RTP_PORT_MAX 只有 3 对 RTP 端口：同时最多 3 个呼叫';
    expect(zhDialerReason(cap)).toBe(zhCap);
    expect(
      zhDialerReason(
        `${cap}; Stopped: the account 0000's credentials were refused (403 Forbidden); 3 of 40 placed`,
      ),
    ).toBe(`${zhCap}；已停止: 账号 0000 的凭据被拒绝（403 Forbidden）；已发起 3 / 40`);
    expect(zhDialerReason(`${cap}; Interrupted by shutdown: 10 of 40 placed`)).toBe(
      `${zhCap}；因系统停止而中断: 已发起 10 / 40`,
    );
    expect(zhDialerReason('no free RTP port pair in 21498-21507 (3 in use, 2 held by another program)')).toBe(
      '21498-21507 中没有空闲的 RTP 端口对（3 对在用，2 对被其他程序占用）',
    );
  });

  it("says what an uploaded prompt held (media/wav.ts's words)", () => {
    expect(zhPromptSource('PCM 16-bit 44100 Hz stereo')).toBe('16 位 PCM 44100 Hz 立体声');
    expect(zhPromptSource('µ-law 8000 Hz mono')).toBe('µ-law 8000 Hz 单声道');
    expect(zhPromptSource('something else')).toBe('something else');
  });

  it("keeps a far end's reason phrase, even one named like an Object member", () => {
    for (const phrase of ['Busy Here', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(zhDialerReason(phrase)).toBe(phrase);
      expect(zhDialerEnd(phrase)).toBe(phrase);
    }
  });
});
