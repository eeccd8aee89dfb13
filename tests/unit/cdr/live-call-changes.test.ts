// The journal of calls in progress, coalesced in memory between two flushes of the CDR recorder
// (core/cdr/live-call-changes.ts): a call that starts and ends between two flushes never reaches it; a
// call up at a flush is written once with its latest snapshot, and removed with its row.
import { describe, expect, it } from 'vitest';
import type { Call } from '../../../core/calls/call';
import { LiveCallChanges } from '../../../core/cdr/live-call-changes';
import { call } from './events';

const up = (id: string, changes: Partial<Call> = {}): Call =>
  call({ id, callId: id, state: 'calling', answeredAt: undefined, endedAt: undefined, ...changes });

describe('LiveCallChanges', () => {
  it('a call that starts and ends between two flushes costs the journal nothing', () => {
    const j = new LiveCallChanges();
    const c = up('short');
    j.changed(c);
    j.changed({ ...c, state: 'ringing' });
    j.changed({ ...c, state: 'answered', answeredAt: c.startedAt + 500 });
    j.ended(c.id);
    j.recorded(c.id);
    expect(j.pending).toBe(false);
    expect(j.take()).toBeUndefined();
    expect(j.journaled).toBe(0);
  });

  it('a call up at a flush is written once, its latest snapshot; then removed in the batch of its row', () => {
    const j = new LiveCallChanges();
    const c = up('long');
    j.changed(c);
    j.changed({ ...c, state: 'ringing', ringingAt: c.startedAt + 100 });
    const first = j.take()!;
    expect(first.upserts.map((u) => [u.id, u.state])).toEqual([['long', 'ringing']]);
    expect(first.deletes).toEqual([]);
    expect(j.journaled).toBe(1);
    expect(j.take()).toBeUndefined(); // nothing changed since

    j.changed({ ...c, state: 'answered', answeredAt: c.startedAt + 900 });
    j.changed({
      ...c,
      state: 'answered',
      answeredAt: c.startedAt + 900,
      media: { ...c.media, direction: 'sendonly' },
    });
    const second = j.take()!;
    expect(second.upserts).toHaveLength(1);
    expect(second.upserts[0]!.media.direction).toBe('sendonly');

    j.ended(c.id);
    expect(j.take()).toBeUndefined(); // its row is not queued yet (an annotation it waits for): kept
    j.recorded(c.id);
    expect(j.take()).toEqual({ upserts: [], deletes: ['long'], clearAll: false });
    expect(j.journaled).toBe(0);
  });

  it('a failed batch: its changes come back, unless the call was recorded or changed again meanwhile', () => {
    const j = new LiveCallChanges();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id) => up(id));
    j.changed(d!);
    j.take();
    j.recorded(d!.id); // journaled, then its row queued: to be deleted
    j.changed(a!);
    j.changed(b!);
    j.changed(c!);
    const failed = j.take()!;
    expect(failed.upserts.map((u) => u.id)).toEqual(['a', 'b', 'c']);
    expect(failed.deletes).toEqual(['d']);
    // Meanwhile: b answered (a newer snapshot), c ended and its row was queued.
    j.changed({ ...b!, state: 'answered', answeredAt: b!.startedAt + 1 });
    j.ended(c!.id);
    j.recorded(c!.id);
    j.giveBack(failed);
    const retry = j.take()!;
    expect(retry.upserts.map((u) => [u.id, u.state])).toEqual([
      ['b', 'answered'],
      ['a', 'calling'],
    ]);
    expect(retry.deletes.sort()).toEqual(['c', 'd']);
  });

  it('clearAll() empties everything with the next batch; adopt() takes the calls a start found', () => {
    const j = new LiveCallChanges();
    j.adopt(['x', 'y']);
    j.changed(up('z'));
    j.recorded('x');
    j.clearAll();
    expect(j.journaled).toBe(0);
    expect(j.take()).toEqual({ upserts: [], deletes: [], clearAll: true });
    expect(j.take()).toBeUndefined();
  });
});
