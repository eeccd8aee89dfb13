// sip_replies_total's counts: by direction, CSeq method and class, every series at 0 from the start, a
// fixed label set whatever methods arrive (a fuzzer's are "other").
import { describe, expect, it } from 'vitest';
import {
  REPLY_CLASSES,
  REPLY_DIRECTIONS,
  REPLY_METHODS,
  ReplyCounts,
  replyMethodIndex,
} from '../../../core/observe/reply-counts';

describe('ReplyCounts', () => {
  it('has every series at 0 from the start: 2 directions x 14 methods x 6 classes', () => {
    const series = new ReplyCounts().series();
    expect(series).toHaveLength(REPLY_DIRECTIONS.length * REPLY_METHODS.length * REPLY_CLASSES.length);
    expect(series).toHaveLength(168);
    expect(series.every((s) => s.value === 0)).toBe(true);
    expect(series[0]).toEqual({ direction: 'received', method: 'INVITE', class: '1xx', value: 0 });
  });

  it('counts received and sent by method and class', () => {
    const r = new ReplyCounts();
    r.received('INVITE', 180);
    r.received('INVITE', 183);
    r.received('INVITE', 200);
    r.received('BYE', 481);
    r.sent('REGISTER', '401');
    r.sent('REGISTER', '200');
    r.sent('REGISTER', '200');
    r.sent('OPTIONS', '603');
    expect(r.get('received', 'INVITE', '1xx')).toBe(2);
    expect(r.get('received', 'INVITE', '2xx')).toBe(1);
    expect(r.get('received', 'BYE', '4xx')).toBe(1);
    expect(r.get('sent', 'REGISTER', '4xx')).toBe(1);
    expect(r.get('sent', 'REGISTER', '2xx')).toBe(2);
    expect(r.get('sent', 'OPTIONS', '6xx')).toBe(1);
    expect(r.get('sent', 'INVITE', '1xx')).toBe(0);
    expect(r.series().reduce((n, s) => n + s.value, 0)).toBe(8);
  });

  it('folds methods outside the list (and lower-case ones: methods are case-sensitive) into "other"', () => {
    const r = new ReplyCounts();
    for (let i = 0; i < 1000; i++) r.received(`FUZZ${i}`, 200);
    r.sent('invite', '500');
    expect(r.get('received', 'other', '2xx')).toBe(1000);
    expect(r.get('sent', 'other', '5xx')).toBe(1);
    expect(r.series()).toHaveLength(168);
  });

  it('knows every listed method by its own index', () => {
    for (const [i, m] of REPLY_METHODS.entries()) expect(replyMethodIndex(m), m).toBe(i);
  });

  it('counts no status outside 100-699', () => {
    const r = new ReplyCounts();
    r.received('INVITE', 99);
    r.received('INVITE', 700);
    r.sent('INVITE', 'INVITE');
    expect(r.series().every((s) => s.value === 0)).toBe(true);
  });
});
