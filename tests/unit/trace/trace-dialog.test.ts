// A dialog record the ring reuses for another Call-ID (trace-dialog.ts newDialog): nothing of the Call-ID
// it held before may show through.
import { describe, expect, it } from 'vitest';
import { HeldMessage } from '../../../core/trace/held-message';
import { newDialog, type TraceDialog } from '../../../core/trace/trace-dialog';

function message(callId: string, method: string, timeUs: number): HeldMessage {
  const m = new HeldMessage();
  m.callId = callId;
  m.method = method;
  m.cseqMethod = method;
  m.timeUs = timeUs;
  return m;
}

describe('newDialog', () => {
  it('a reused record is the new dialog field for field, its serial kept', () => {
    const used = newDialog(message('old@x', 'INVITE', 1)) as unknown as Record<string, unknown>;
    for (const key of Object.keys(used)) used[key] = `left over ${key}`;
    const fresh = newDialog(message('new@x', 'REGISTER', 2));
    const reused = newDialog(message('new@x', 'REGISTER', 2), used as unknown as TraceDialog);
    expect(reused).toBe(used);
    expect(reused).toEqual({ ...fresh, serial: 'left over serial' });
    expect(fresh).toMatchObject({ callId: 'new@x', kind: 'registration', startUs: 2, serial: 0 });
  });
});
