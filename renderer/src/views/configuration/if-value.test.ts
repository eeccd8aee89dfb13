import { describe, expect, it } from 'vitest';
import type { SettingData } from '../../../../core/control/contract';
import { changedUnder, setIfValueCommand } from './if-value';

const timerC = (value: unknown): SettingData => ({
  key: 'PROXY.TIMER_C',
  type: 'integer',
  value,
  default: 180,
  source: 'default',
  help: '',
  allowed: '',
  restart: false,
});

describe('the Edit dialog of a setting another operator changes', () => {
  it('saves only if the value read is still the one in force (IF_VALUE=), as MOD USER IF_UPDATED=', () => {
    expect(setIfValueCommand('PROXY.TIMER_C', '240', timerC(180))).toBe(
      'SET CFG:KEY=PROXY.TIMER_C,VALUE=240,IF_VALUE=180',
    );
    expect(setIfValueCommand('TRACE.HEP_COLLECTOR', '10.0.0.1:9060', { ...timerC(''), key: 'x' })).toBe(
      'SET CFG:KEY=TRACE.HEP_COLLECTOR,VALUE=10.0.0.1:9060,IF_VALUE=""',
    );
  });

  it('says the value it was changed to while the dialog is open', () => {
    expect(changedUnder(timerC(180), timerC(90))).toBe('90');
    expect(changedUnder(timerC(180), timerC(180))).toBeNull();
    expect(changedUnder(timerC(180), undefined)).toBeNull();
    expect(changedUnder({ ...timerC(true), type: 'boolean' }, { ...timerC(false), type: 'boolean' })).toBe(
      'NO',
    );
  });
});
