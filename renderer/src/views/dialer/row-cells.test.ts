import { describe, expect, it } from 'vitest';
import { codeText, pddText, talkText, type DialerRow } from './row-cells';
import type { FinishedCall, LiveCall } from './store';

const live = (over: Partial<LiveCall>): DialerRow => ({
  kind: 'live',
  call: {
    campaignId: 'C0001',
    number: '2002',
    callId: 'x',
    state: 'dialing',
    startedAt: 0,
    rtpSent: 0,
    rtpReceived: 0,
    ...over,
  },
});
const done = (over: Partial<FinishedCall>): DialerRow => ({
  kind: 'done',
  call: {
    campaignId: 'C0001',
    number: '2002',
    callId: 'x',
    startedAt: 0,
    endedAt: 5_000,
    status: 200,
    reason: 'OK',
    answered: true,
    talkMs: 4_670,
    rtpSent: 0,
    rtpReceived: 0,
    rtpLost: 0,
    jitterMs: 0,
    ...over,
  } as FinishedCall,
});

describe('the Dialer table’s code, talk time and PDD', () => {
  it('cuts whole seconds as Calls and the CDR do: 4.67 s is 00:04, not 00:05', () => {
    expect(talkText(done({ talkMs: 4_670 }), 0, 0)).toBe('00:04');
    const up = live({ state: 'answered', answeredAt: 1_000, clockAt: 5_999 });
    expect(talkText({ ...up, call: { ...up.call, seenAt: 0 } } as DialerRow, 0, 0)).toBe('00:04');
    expect(talkText(live({ state: 'ringing' }), 0, 0)).toBe('');
  });

  it('shows an answered call’s 200 and PDD while it is up, blank until known', () => {
    const up = live({ state: 'answered', answeredAt: 1_000, status: 200, pddMs: 6 });
    expect([codeText(up), pddText(up)]).toEqual(['200', '6']);
    const ringing = live({ state: 'ringing', pddMs: 12 });
    expect([codeText(ringing), pddText(ringing)]).toEqual(['', '12']);
    expect([codeText(live({})), pddText(live({}))]).toEqual(['', '']);
    expect([codeText(done({ status: 0 })), pddText(done({}))]).toEqual(['—', '—']);
  });
});
