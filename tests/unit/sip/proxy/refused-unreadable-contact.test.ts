// A call IMS Lab refuses itself is a FAILED call (README, CDR): its record must not depend on reading the
// caller's Contact. The transport refuses an INVITE whose Contact is malformed (checkMessage 'routing'),
// but the record is made leniently all the same: read there, a malformed Contact threw, the catch took it
// for a malformed request, and the 480 was counted nowhere, with no row.
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import { CALLER, inviteLines } from './call-steps';
import { stack } from './stack';

describe('an INVITE refused here whose Contact cannot be read (past the transport)', () => {
  it('is a failed call all the same, its caller contact unknown', async () => {
    const s = stack();
    const lines = inviteLines('refused-bad-contact').map((l) =>
      l.startsWith('Contact:') ? `Contact: <sip:1001@${CALLER.address}:${CALLER.port}` : l,
    );
    await s.receive(lines, CALLER); // 1002 is not registered
    expect((s.sentTo(CALLER).at(-1) as SipResponse).status).toBe(480);
    expect(s.callEvents.map((e) => [e.type, e.call.state, e.call.statusCode, e.call.caller.contact])).toEqual(
      [
        ['started', 'calling', 0, ''],
        ['ended', 'failed', 480, ''],
      ],
    );
  });
});
