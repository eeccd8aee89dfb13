// A callee's own 408, answered at once, is a failure indication like its 480 (ITU-T E.721: the delay to
// the failure indication): it has its post-dial delay. Before, every 408 had none ("-" in the Dialer
// view and DSP DIALSVC), as the proxy's after Timer B or C (64*T1 or more after the INVITE, the timer's
// length) has none still (tests/integration/dialer/dialer-stop.test.ts).
import { describe, expect, it } from 'vitest';
import { callOneCallee } from './one-callee';

describe("a callee's own 408", () => {
  it('has a post-dial delay, as a 480 has', async () => {
    for (const [i, final] of [
      'SIP/2.0 408 Request Timeout',
      'SIP/2.0 480 Temporarily Unavailable',
    ].entries()) {
      const c = await callOneCallee('', { final, rtpPorts: [45130 + i * 2, 45131 + i * 2] });
      const r = await c.call.run();
      expect(r).toMatchObject({ status: Number(final.split(' ')[1]), answered: false, end: 'failed' });
      expect(r.pddMs).toBe(0); // the callee's fake clock did not move
      await c.close();
    }
  });
});
