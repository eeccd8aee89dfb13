// The dialer's words in Chinese (DSP DIALSVC in 中文, the console's Dialer view); a far end's reason
// phrase is data and comes back as it is, whatever it says.
import { describe, expect, it } from 'vitest';
import { zhDialerEnd, zhDialerReason } from '../../../core/dialer/reason-zh';

describe('zhDialerReason / zhDialerEnd', () => {
  it("translates the dialer's own words", () => {
    expect(zhDialerReason('No answer')).toBe('无应答');
    expect(zhDialerReason("the answer's SDP is malformed: no m= line")).toBe(
      '应答的 SDP 格式错误: no m= line',
    );
    expect(zhDialerEnd('remote')).toBe('对端');
  });

  it("keeps a far end's reason phrase, even one named like an Object member", () => {
    for (const phrase of ['Busy Here', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(zhDialerReason(phrase)).toBe(phrase);
      expect(zhDialerEnd(phrase)).toBe(phrase);
    }
  });
});
