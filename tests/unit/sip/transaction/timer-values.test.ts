import { describe, expect, it } from 'vitest';
import { timerValues, type TimerBase } from '../../../../core/sip/transaction/timer-values';

describe('timerValues', () => {
  it('follows a base changed in place, and the transport', () => {
    const base: TimerBase = { t1: 500, t2: 4000, t4: 5000 };
    expect(timerValues(base, 'UDP')).toMatchObject({ A: 500, B: 32_000, D: 32_000 });
    expect(timerValues(base, 'UDP')).toBe(timerValues(base, 'UDP'));
    expect(timerValues(base, 'TCP')).toMatchObject({ A: 500, B: 32_000, D: 0 });
    base.t1 = 1000; // as MOD CFG TIMER.T1 does to the appliance's base
    expect(timerValues(base, 'UDP')).toMatchObject({ A: 1000, B: 64_000, D: 64_000 });
    base.t4 = 2500;
    const other: TimerBase = { t1: 1000, t2: 4000, t4: 2500 };
    expect(timerValues(other, 'UDP')).toBe(timerValues(base, 'UDP'));
    expect(timerValues({ t1: 500, t2: 4000, t4: 5000 }, 'UDP')).toMatchObject({ A: 500, B: 32_000 });
  });
});
