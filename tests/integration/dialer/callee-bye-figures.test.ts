// The CDR row of a dialer call the callee hangs up carries the call's final RTP figures, the ones DSP
// DIALSVC shows: the proxy writes the row when the callee's BYE passes it, and the dialer's own session
// ends only once that BYE reaches it (its last packets are sent meanwhile). Before, the row took the
// live counters at that moment and could say one packet fewer than DSP DIALSVC and the wire.
import { describe, expect, it } from 'vitest';
import { SipRequest } from '../../../core/sip/message/index';
import { HAS_SIPP } from '../../support/sipp';
import { startCallee, user } from '../proxy/parties';
import { campaignId, useDialerLab, until, type DialerLab } from './lab';

let lab: DialerLab;

useDialerLab((l) => (lab = l), { started: true });

describe.skipIf(!HAS_SIPP)('a dialer call the callee hangs up', () => {
  it('its CDR row carries the final RTP figures, as DSP DIALSVC', async () => {
    // The callee answers and sends BYE 1 s later, echoing our RTP.
    await startCallee(lab.server(), user(1002), 'proxy_uas_answer_then_bye.xml', {
      pauseMs: 1000,
      timeoutSeconds: 20,
      args: ['-rtp_echo'],
    });
    // The moment between the proxy writing the row and the dialer reading the BYE, made wide: the proxy
    // holds the event loop 100 ms as the callee's BYE comes in, so that the dialer's overdue packets go
    // (timers run before the next poll for the forwarded BYE) after the row was made.
    let held = false;
    lab.a.transport.tap.on((m) => {
      const r = m.message;
      if (held || m.direction !== 'in' || !(r instanceof SipRequest) || r.method !== 'BYE') return;
      held = true;
      for (const end = performance.now() + 100; performance.now() < end;);
    });
    const id = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1002 DURATION=10'));
    await until('the callee to hang up', () => lab.a.dialer.campaign(id)?.state === 'finished', 15_000);
    await until('the call to end at the proxy', () => lab.a.calls.size === 0);
    const result = lab.a.dialer.campaign(id)!.recent[0]!;
    expect(result).toMatchObject({ answered: true, end: 'remote' });
    await until('the CDR row', async () => {
      lab.a.cdrRecorder.flush();
      return (await lab.a.cdr.page({})).records.some((r) => r.record_type === 'CALL');
    });
    const row = (await lab.a.cdr.page({})).records.find((r) => r.record_type === 'CALL')!;
    expect(row.extra_info).toContain(`rtp_sent=${result.rtpSent} rtp_received=${result.rtpReceived} `);
  }, 30_000);
});
