import { describe, expect, it } from 'vitest';
import type { CallData } from '../../../../core/control/contract';
import { applyCallEvents, callNow, durationText, LINGER_MS, pruneCalls } from './store';

const party = { header: '', uri: 'sip:1@x', number: '1', address: '', port: 0, userAgent: '', contact: '' };
const call = (id: string, state: CallData['state'], endedAt?: number): CallData => ({
  id,
  callId: id,
  state,
  caller: party,
  callee: party,
  requestUri: '',
  media: { kinds: [], codecs: [], direction: '' },
  startedAt: 0,
  statusCode: 0,
  statusText: '',
  endReason: '',
  ...(endedAt !== undefined ? { endedAt } : {}),
});

describe('calls store', () => {
  it('updates a call through its states; an ended one lingers, then goes', () => {
    let m = applyCallEvents(
      new Map(),
      [
        { type: 'started', call: call('a', 'calling'), at: 0 },
        { type: 'answered', call: call('a', 'answered'), at: 1 },
        { type: 'ended', call: call('a', 'ended', 1000), at: 1000 },
      ],
      1000,
      200, // this browser's steady clock when they came
    );
    expect(m.get('a')).toMatchObject({ call: { state: 'ended' }, endedAt: 1000 });
    expect(pruneCalls(m, 200 + LINGER_MS - 1)).toBeNull();
    m = pruneCalls(m, 200 + LINGER_MS)!;
    expect(m.size).toBe(0);
  });

  it('an ended call lingers its time on the steady clock, the server clock stepped back an hour or not', () => {
    const m = applyCallEvents(
      new Map(),
      [{ type: 'ended', call: call('a', 'ended', 3_600_000), at: 0 }],
      0,
      500,
    );
    expect(pruneCalls(m, 500 + LINGER_MS)?.size).toBe(0);
  });

  it("a live call's duration counts on its own clock plus this browser's steady time since", () => {
    const m = applyCallEvents(
      new Map(),
      [{ type: 'answered', call: { ...call('a', 'answered'), clockAt: 61_000 }, at: 0 }],
      0,
      1_000,
    );
    const row = m.get('a')!;
    // 4 s later on the steady clock, whatever the server's wall clock reads (an hour back here)
    expect(callNow(row, 5_000, 61_000 - 3_600_000)).toBe(65_000);
    expect(callNow({ ...row, call: call('a', 'answered') }, 5_000, 42)).toBe(42); // an older server: its wall clock
  });
});

describe('the Duration column', () => {
  it('is the talk time in whole seconds, cut as the Dialer and CDR count it; blank while ringing', () => {
    const ringing = { call: { ...call('r', 'ringing'), clockAt: 14_000 }, seenAt: 0 };
    expect(durationText(ringing, 0, 14_000)).toBe(''); // read 00:14, counted from the INVITE
    const ended = {
      call: { ...call('a', 'ended', 9_670), answeredAt: 5_000 },
      endedAt: 9_670,
      seenAt: 0,
    };
    expect(durationText(ended, 0, 20_000)).toBe('00:04'); // 4.67 s in the CDR; not 00:05
    expect(durationText({ call: call('n', 'ended', 9_000), endedAt: 9_000, seenAt: 0 }, 0, 9_000)).toBe('');
  });
});
