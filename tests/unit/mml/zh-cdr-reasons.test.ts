// DSP CDR's Reason column in Chinese: every end reason IMS Lab writes itself has a translation (the
// constants the writers use, so a new or renamed one is caught); what peers said stays as it came.
import { describe, expect, it } from 'vitest';
import { OPERATOR_CLEAR_ALL_REASON, OPERATOR_END_REASON, type HangupBy } from '../../../core/calls/call';
import { registrationRecord, SHUTDOWN_REASON, UNCLEAN_STOP_REASON } from '../../../core/cdr/from-events';
import { zhCdrReason, zhCdrResult, zhCdrState, zhParty } from '../../../core/mml/zh-cdr-reasons';
import { CDR_CALL_STATES } from '../../../core/cdr/record';
import { CONNECTION_CLOSED_REASON, NO_ACK_REASON } from '../../../core/sip/proxy/call-tracker';
import { SESSION_EXPIRED_REASON } from '../../../core/sip/proxy/session-expires';
import type { RegistrationEvent } from '../../../core/sip/registrar/binding';
import { binding, registration } from '../cdr/events';

const CAUSES: NonNullable<RegistrationEvent['cause']>[] = [
  'unregister',
  'operator',
  'user-deleted',
  'user-disabled',
  'connection-closed',
];

describe('zhCdrReason', () => {
  it("translates IMS Lab's note after the reason phrase of a response the proxy made, not the phrase", () => {
    // It read "408 Request Timeout (no final answer)" in the 中文 CDR view and DSP CDR.
    expect(zhCdrReason('408 Request Timeout (no final answer)')).toBe('408 Request Timeout（无最终应答）');
    expect(zhCdrReason('408 Request Timeout (no answer)')).toBe('408 Request Timeout（无应答）');
    expect(zhCdrReason('500 Server Internal Error (next hop unreachable: sip:10.0.0.9:5060)')).toBe(
      '500 Server Internal Error（下一跳不可达：sip:10.0.0.9:5060）',
    );
    expect(zhCdrReason('486 Busy Here (in a meeting)')).toBe('486 Busy Here (in a meeting)');
  });

  it("translates every registration row's end reason", () => {
    const reasons = [
      ...CAUSES.map((cause) => registrationRecord(registration('removed', binding(), 0, cause)).end_reason),
      registrationRecord(registration('expired', binding(), 0)).end_reason,
    ];
    expect(reasons).toHaveLength(6);
    for (const reason of reasons) expect(zhCdrReason(reason), reason).not.toBe(reason);
    expect(zhCdrReason('Unregistered')).toBe('已注销');
  });

  it('translates the reasons of calls IMS Lab ended itself', () => {
    const own = [
      'Normal',
      OPERATOR_END_REASON,
      OPERATOR_CLEAR_ALL_REASON,
      SHUTDOWN_REASON,
      UNCLEAN_STOP_REASON,
      NO_ACK_REASON,
      CONNECTION_CLOSED_REASON,
      'Maximum call duration',
      'No answer (Timer C)',
      SESSION_EXPIRED_REASON,
    ];
    for (const reason of own) expect(zhCdrReason(reason), reason).not.toBe(reason);
  });

  it("keeps what a peer said and the original's own words", () => {
    for (const data of ['486 Busy Here', 'Normal call clearing (Q.850 16)', 'User Cancelled', 'constructor'])
      expect(zhCdrReason(data)).toBe(data);
  });
});

describe('zhCdrState', () => {
  it("translates every call_state a CDR row can hold, in the words of DSP CDR's Result", () => {
    for (const state of CDR_CALL_STATES) expect(zhCdrState(state), state).toMatch(/\p{Script=Han}/u);
    expect(zhCdrState('CANCELLED')).toBe(zhCdrResult('Cancelled'));
    expect(zhCdrState('FAILED')).toBe('失败');
    expect(zhCdrResult('Answered (200)')).toBe('已接听 (200)');
    expect(zhCdrResult('200 OK')).toBe('200 OK');
  });
});

describe('zhParty', () => {
  it('names every party that can end a call in Chinese (the CDR panel, DSP CALL On hold by)', () => {
    const parties: HangupBy[] = ['caller', 'callee', 'operator', 'timeout', 'system'];
    for (const party of parties) expect(zhParty(party), party).toMatch(/\p{Script=Han}/u);
    expect(new Set(parties.map(zhParty)).size).toBe(parties.length);
    expect(zhParty('caller')).toBe('主叫');
    expect(zhParty('')).toBe('');
  });
});
