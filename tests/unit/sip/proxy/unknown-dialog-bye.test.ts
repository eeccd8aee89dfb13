// kill -9 moments after a call was answered, before the journal of calls in progress held it: the
// restarted proxy relayed the BYE of a dialog it did not know (its Record-Route mark says the dialog went
// through IMS Lab, dialog-token.ts) and the call had no CDR row at all. The proxy now tells of such a BYE
// (the CDR recorder writes a row of what it says); never of a BYE of a call it tracks, or ended lately
// (both parties hanging up at once, RFC 3261 §15).
import { describe, expect, it } from 'vitest';
import { CALLEE, CALLER, answeredCall, callerBye } from './call-steps';
import { kinds, stack } from './stack';

describe('a BYE of a marked dialog no call is of', () => {
  it('after a restart (the same secret.key): relayed, and told once', async () => {
    const before = stack();
    const ok = await answeredCall(before, 'killed-call');
    const after = stack(); // the restarted IMS Lab: no call known
    await after.receive(callerBye(ok), CALLER);
    expect(kinds(after.sentTo(CALLEE)).at(-1)).toBe('BYE');
    expect(after.unknownDialogByes).toEqual(['killed-call']);
  });

  it('of a call up, or one ended less than 32 s ago: not told', async () => {
    const s = stack();
    const ok = await answeredCall(s, 'known-call');
    await s.receive(callerBye(ok), CALLER);
    await s.receive(callerBye(ok, 3), CALLER); // a second BYE crossing the end
    expect(s.unknownDialogByes).toEqual([]);
    s.advance(33_000);
    await s.receive(callerBye(ok, 4), CALLER);
    expect(s.unknownDialogByes).toEqual(['known-call']);
  });
});
