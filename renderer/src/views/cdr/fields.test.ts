import { describe, expect, it } from 'vitest';
import { CDR_COLUMNS } from '../../../../core/cdr/record';
import type { CdrRecordData } from '../../../../core/control/contract';
import { fieldLabel, fieldValue, reasonOf, reasonTitle, stateOf } from './fields';

describe('the CDR record panel', () => {
  it('labels every column of a record in both languages (a new column needs its label)', () => {
    const unlabelled = (lang: 'en' | 'zh') =>
      ['record_id', ...CDR_COLUMNS].filter((c) => fieldLabel(c, lang) === c);
    expect(unlabelled('en')).toEqual([]);
    expect(unlabelled('zh')).toEqual([]);
  });

  it('names no two columns alike in either language (setup_time and setup_ms were both "Setup time")', () => {
    for (const lang of ['en', 'zh'] as const) {
      const labels = [...new Set(['record_id', ...CDR_COLUMNS])].map((c) => fieldLabel(c, lang));
      expect(labels.filter((l, i) => labels.indexOf(l) !== i)).toEqual([]);
    }
  });

  it('shows times in local time with their UTC offset, units after numbers, a dash for nothing', () => {
    const at = new Date(2026, 11, 4, 9, 5, 7, 42).getTime();
    expect(fieldValue('started_at', at)).toMatch(/^2026-12-04 09:05:07\.042 UTC[+-]\d{2}:\d{2}$/);
    expect(fieldValue('pdd_ms', 250)).toBe('250 ms');
    expect(fieldValue('duration', 10.01)).toBe('10.01 s');
    expect(fieldValue('setup_time', '0.50s')).toBe('0.50s');
    expect(fieldValue('answered_at', null)).toBe('—');
    expect(fieldValue('codec', '')).toBe('—');
  });

  it('gives the Reason DSP CDR gives: why the call ended, the original’s word when that is all there is', () => {
    const row = (end_reason: string, termination_reason: string): CdrRecordData => ({
      record_id: '20261206144500000001',
      started_at: 0,
      end_reason,
      termination_reason,
    });
    // A call the longest duration ended: the original's vocabulary says Normal.
    const capped = row('Maximum call duration', 'Normal');
    expect(reasonOf(capped, 'en')).toBe('Maximum call duration');
    expect(reasonTitle(capped, 'en')).toBe(
      'End reason: Maximum call duration\nTermination reason (as the original wrote it): Normal',
    );
    expect(reasonOf(row('Dialer stopped', 'Normal'), 'en')).toBe('Dialer stopped');
    // An imported row of the original has its termination_reason alone.
    expect(reasonOf(row('', 'User Cancelled'), 'en')).toBe('User Cancelled');
    expect(reasonTitle(row('', 'User Cancelled'), 'en')).toBeUndefined();
    expect(reasonTitle(row('486 Busy Here', '486 Busy Here'), 'en')).toBeUndefined();
  });

  it('gives the Reason, its tooltip and the state in Chinese as DSP CDR in Chinese does; the stored words stay', () => {
    const r: CdrRecordData = {
      record_id: '20261206144500000002',
      started_at: 0,
      record_type: 'CALL',
      call_state: 'ENDED',
      end_reason: 'No ACK for the 2xx',
      termination_reason: 'Normal',
    };
    expect(reasonOf(r, 'zh')).toBe('未收到 2xx 响应的 ACK');
    expect(reasonTitle(r, 'zh')).toBe('结束原因: 未收到 2xx 响应的 ACK\n终止原因（原系统格式）: 正常结束');
    expect(reasonOf({ ...r, end_reason: '' }, 'zh')).toBe('正常结束');
    expect(stateOf(r, 'zh')).toBe('已结束');
    expect(stateOf({ ...r, call_state: 'CANCELLED' }, 'zh')).toBe('已取消');
    expect(fieldValue('end_reason', 'No ACK for the 2xx', 'zh')).toBe('未收到 2xx 响应的 ACK');
    expect(fieldValue('call_state', 'FAILED', 'zh')).toBe('失败');
    expect(fieldValue('hangup_by', 'callee', 'zh')).toBe('被叫');
    expect(fieldValue('hangup_by', 'callee', 'en')).toBe('callee');
    // What a peer said is data, in every language; English is untouched.
    expect(reasonOf({ ...r, end_reason: '486 Busy Here' }, 'zh')).toBe('486 Busy Here');
    expect(reasonOf(r, 'en')).toBe('No ACK for the 2xx');
    expect(stateOf(r, 'en')).toBe('ENDED');
    expect(fieldValue('end_reason', 'No ACK for the 2xx', 'en')).toBe('No ACK for the 2xx');
  });
});
