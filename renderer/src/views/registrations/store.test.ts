import { describe, expect, it } from 'vitest';
import type { BindingData } from '../../../../core/control/contract';
import { applyRegistrationEvents, keyOf, useRegistrations } from './store';

const b = (aor: string, contact: string, expiresAt = 1): BindingData => ({
  aor,
  contact,
  expiresAt,
  q: undefined,
  callId: 'c',
  cseq: 1,
  sourceAddress: '127.0.0.1',
  sourcePort: 5060,
  transport: 'UDP',
  userAgent: 'ua',
  createdAt: 0,
  updatedAt: 0,
});

describe('registrations store', () => {
  it('applies bound, refreshed, expired and removed in order', () => {
    const m = applyRegistrationEvents(new Map(), [
      { type: 'bound', binding: b('sip:1@x', 'sip:a'), at: 1 },
      { type: 'bound', binding: b('sip:2@x', 'sip:b'), at: 1 },
      { type: 'refreshed', binding: b('sip:1@x', 'sip:a', 99), at: 2 },
      { type: 'expired', binding: b('sip:2@x', 'sip:b'), at: 3 },
    ]);
    expect([...m.keys()]).toEqual([keyOf(b('sip:1@x', 'sip:a'))]);
    expect(m.get(keyOf(b('sip:1@x', 'sip:a')))!.expiresAt).toBe(99);
  });

  it('a device that registered a new contact (RFC 5626 §6) is listed once, at its new contact', () => {
    const m = applyRegistrationEvents(new Map(), [
      { type: 'bound', binding: b('sip:1@x', 'sip:a'), at: 1 },
      { type: 'refreshed', binding: b('sip:1@x', 'sip:new'), previous: b('sip:1@x', 'sip:a'), at: 2 },
    ]);
    expect([...m.keys()]).toEqual([keyOf(b('sip:1@x', 'sip:new'))]);
  });

  it('a snapshot replaces everything; events move the total', () => {
    const s = useRegistrations.getState();
    s.reset({ bindings: [b('sip:1@x', 'sip:a')], total: 1, offset: 0, limit: 500, seq: 4 });
    useRegistrations.getState().apply([{ type: 'bound', binding: b('sip:3@x', 'sip:c'), at: 1 }]);
    expect(useRegistrations.getState().total).toBe(2);
    useRegistrations.getState().apply([{ type: 'removed', binding: b('sip:1@x', 'sip:a'), at: 1 }]);
    expect(useRegistrations.getState().total).toBe(1);
  });
});
