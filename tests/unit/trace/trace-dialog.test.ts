// A dialog record the ring reuses for another Call-ID (trace-dialog.ts newDialog): nothing of the Call-ID
// it held before may show through. Its final status is the one the call ended with for the caller.
import { describe, expect, it } from 'vitest';
import { HeldMessage } from '../../../core/trace/held-message';
import { addMessage, newDialog, type TraceDialog } from '../../../core/trace/trace-dialog';

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

describe('kind', () => {
  it('a dialog that starts with SUBSCRIBE, NOTIFY or PUBLISH is a subscription (RFC 6665); OPTIONS is other', () => {
    const kinds = ['SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'OPTIONS', 'MESSAGE'].map(
      (method) => newDialog(message(`${method}@x`, method, 1)).kind,
    );
    expect(kinds).toEqual(['subscription', 'subscription', 'subscription', 'other', 'message']);
  });
});

describe('final status', () => {
  const answer = (status: number, n: number): HeldMessage => {
    const m = message('fork@x', '', n);
    m.cseqMethod = 'INVITE';
    m.status = status;
    m.chunk = Buffer.from(`SIP/2.0 ${status} x${n}\r\n\r\n`);
    m.end = m.chunk.length;
    return m;
  };

  it('a forked call answered by one branch stays answered when another branch ends with 487', () => {
    const d = newDialog(message('fork@x', 'INVITE', 0));
    for (const [i, status] of [180, 200, 200, 487, 487].entries()) addMessage(d, answer(status, i + 1));
    expect(d.finalStatus).toBe(200);
  });

  it('a call that failed on one branch and was then answered by another is answered (the 200 relayed)', () => {
    const d = newDialog(message('fork@x', 'INVITE', 0));
    addMessage(d, answer(486, 1));
    addMessage(d, answer(200, 2));
    addMessage(d, { ...answer(200, 3), direction: 'out' } as HeldMessage);
    expect(d.finalStatus).toBe(200);
  });

  it('a 2xx received after the call failed and never relayed is no answer', () => {
    const d = newDialog(message('late@x', 'INVITE', 0));
    addMessage(d, answer(486, 1));
    addMessage(d, { ...answer(486, 2), direction: 'out' } as HeldMessage);
    addMessage(d, answer(200, 3));
    expect(d.finalStatus).toBe(486);
  });
});
