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
    ]).bindings;
    expect([...m.keys()]).toEqual([keyOf(b('sip:1@x', 'sip:a'))]);
    expect(m.get(keyOf(b('sip:1@x', 'sip:a')))!.expiresAt).toBe(99);
  });

  it('a device that registered a new contact (RFC 5626 §6) is listed once, at its new contact', () => {
    const m = applyRegistrationEvents(new Map(), [
      { type: 'bound', binding: b('sip:1@x', 'sip:a'), at: 1 },
      { type: 'refreshed', binding: b('sip:1@x', 'sip:new'), previous: b('sip:1@x', 'sip:a'), at: 2 },
    ]).bindings;
    expect([...m.keys()]).toEqual([keyOf(b('sip:1@x', 'sip:new'))]);
  });

  it('a snapshot replaces everything; events move the total', () => {
    const s = useRegistrations.getState();
    s.reset({ bindings: [b('sip:1@x', 'sip:a')], total: 1, all: 1, offset: 0, limit: 500, seq: 4 });
    useRegistrations.getState().apply([{ type: 'bound', binding: b('sip:3@x', 'sip:c'), at: 1 }]);
    expect(useRegistrations.getState().total).toBe(2);
    useRegistrations.getState().apply([{ type: 'removed', binding: b('sip:1@x', 'sip:a'), at: 1 }]);
    expect(useRegistrations.getState().total).toBe(1);
  });

  it('a page of part of the bindings: refreshes outside it neither add rows nor move the total (it grew by each)', () => {
    const s = useRegistrations.getState();
    s.reset({ bindings: [b('sip:1@x', 'sip:a')], total: 5000, all: 5000, offset: 0, limit: 1, seq: 1 });
    useRegistrations.getState().apply([
      { type: 'refreshed', binding: b('sip:2@x', 'sip:b', 7), at: 1 },
      { type: 'refreshed', binding: b('sip:1@x', 'sip:a', 9), at: 1 },
      { type: 'bound', binding: b('sip:3@x', 'sip:c'), at: 2 },
    ]);
    const after = useRegistrations.getState();
    expect([...after.bindings.keys()]).toEqual([keyOf(b('sip:1@x', 'sip:a'))]);
    expect(after.bindings.get(keyOf(b('sip:1@x', 'sip:a')))!.expiresAt).toBe(9);
    expect(after.total).toBe(5001); // the new binding counted, not shown
  });

  it("a searched page: the events count and add only the bindings the search finds (the server's words)", () => {
    const s = useRegistrations.getState();
    s.reset({ bindings: [], total: 0, all: 22, offset: 0, limit: 1000, seq: 1 }, '104999');
    useRegistrations.getState().apply([
      { type: 'bound', binding: b('sip:100001@x', 'sip:a'), at: 1 },
      { type: 'bound', binding: b('sip:104999@x', 'sip:b'), at: 1 },
    ]);
    const after = useRegistrations.getState();
    expect([...after.bindings.keys()]).toEqual([keyOf(b('sip:104999@x', 'sip:b'))]);
    expect(after.total).toBe(1);
    // Every binding, found or not, is what Remove all (CLR REG) removes: 22 and the two new ones.
    expect(after.all).toBe(24);
    useRegistrations.getState().apply([{ type: 'expired', binding: b('sip:100001@x', 'sip:a'), at: 3 }]);
    expect(useRegistrations.getState().all).toBe(23);
    expect(useRegistrations.getState().total).toBe(1);
  });
});
