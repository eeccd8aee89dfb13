import { describe, expect, it } from 'vitest';
import { nextRecordId, nextRecordIds } from '../../../core/cdr/record-id';
import { T0, useShanghaiTime } from './fixtures';

useShanghaiTime();

describe('nextRecordId', () => {
  it("starts each second at 000001, in the original's YYYYmmddHHMMSS + 6 digits shape", () => {
    expect(nextRecordId(undefined, T0)).toBe('20261124003805000001');
    expect(nextRecordId('20261124003804000042', T0)).toBe('20261124003805000001');
  });

  it('counts on within a second, and after a clock step back', () => {
    expect(nextRecordId('20261124003805000041', T0)).toBe('20261124003805000042');
    expect(nextRecordId('20261124013805000007', T0)).toBe('20261124013805000008');
  });

  it('carries past 999999 into the seconds digits, staying unique and ordered', () => {
    const next = nextRecordId('20261124003805999999', T0);
    expect(next).toBe('20261124003806000000');
    expect(next > '20261124003805999999').toBe(true);
  });

  it('ignores a stored value that is not a record_id', () => {
    expect(nextRecordId('garbage', T0)).toBe('20261124003805000001');
  });
});

describe('nextRecordIds', () => {
  it('gives what as many calls of nextRecordId give, across a carry and after a step back', () => {
    for (const last of [undefined, '20261124003804000042', '20261124003805999997', '20261124013805000007']) {
      const expected: string[] = [];
      let id = last;
      for (let i = 0; i < 6; i++) expected.push((id = nextRecordId(id, T0)));
      expect(nextRecordIds(last, T0, 6)).toEqual(expected);
    }
    expect(nextRecordIds('20261124003805999997', T0, 4).at(-1)).toBe('20261124003806000001');
    expect(nextRecordIds(undefined, T0, 0)).toEqual([]);
  });
});
