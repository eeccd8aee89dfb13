import { describe, expect, it } from 'vitest';
import type { CallData } from '../../../../core/control/contract';
import { applyCallEvents, LINGER_MS, pruneCalls } from './store';

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
    );
    expect(m.get('a')).toMatchObject({ call: { state: 'ended' }, endedAt: 1000 });
    expect(pruneCalls(m, 1000 + LINGER_MS - 1)).toBeNull();
    m = pruneCalls(m, 1000 + LINGER_MS)!;
    expect(m.size).toBe(0);
  });
});
