// A header found malformed only as the proxy forwards (a Contact's URI read for the NAT check, past the
// asynchronous target lookup) gets its 400 from route()'s catch: it went unlogged, where the transport's
// 400s and the layer's late ones say a WARNING (once per address a minute) and count it.
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '../../../../core/sip/message/index';
import { CALLEE, CALLER, inviteLines, register } from './call-steps';
import { stack } from './stack';

describe('an INVITE whose Contact is found malformed as it is forwarded', () => {
  it('is answered 400, told to onMalformed as the transport tells its 400s, and counted', async () => {
    const s = stack();
    const told: unknown[][] = [];
    s.layer.onMalformed = (...args) => told.push(args);
    await register(s, CALLEE);
    const lines = inviteLines('late-malformed').map((l) =>
      l.startsWith('Contact:') ? `Contact: <sip:1001@${CALLER.address}:${CALLER.port}` : l,
    );
    await s.receive(lines, CALLER);
    const answer = s.sentTo(CALLER).at(-1) as SipResponse;
    expect(answer.status).toBe(400);
    expect(told).toEqual([['UDP', CALLER.address, CALLER.port, `400 ${answer.reasonText}`, true]]);
    expect(
      s.counters
        .all()
        .find((c) => c.name === 'sip_late_parse_errors_total')
        ?.total(),
    ).toBe(1);
  });
});
