// The dialer's words in Chinese (DSP DIALSVC in 中文, the console's Dialer view); a far end's reason
// phrase is data and comes back as it is, whatever it says.
import { describe, expect, it } from 'vitest';
import { zhDialerEnd, zhDialerReason, zhPromptSource } from '../../../core/dialer/reason-zh';

describe('zhDialerReason / zhDialerEnd', () => {
  it("translates the dialer's own words", () => {
    expect(zhDialerReason('No answer')).toBe('无应答');
    expect(zhDialerReason("the answer's SDP is malformed: no m= line")).toBe(
      '应答的 SDP 格式错误: no m= line',
    );
    expect(zhDialerEnd('remote')).toBe('对端');
    expect(zhDialerReason('no free RTP port pair in 23200-23199 (0 in use)')).toBe(
      '23200-23199 中没有空闲的 RTP 端口对（0 对在用）',
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
