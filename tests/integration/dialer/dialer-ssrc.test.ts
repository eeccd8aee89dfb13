// The dialer's RTP figures against a far end whose audio changes source mid-call (RFC 3550 §8: a media
// server going from its announcement to the bridged call, a new SSRC with its own sequence numbers and
// timestamps): a SIPp callee plays a pcap of 40 packets under one SSRC, then 80 under another with one
// of them missing. The dialer counts them all, the lost one as lost, in its result and the CDR row.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rtpPacket } from '../../../core/media/rtp-packet';
import { PcapWriter } from '../../../core/trace/pcap';
import { freePort, HAS_SIPP } from '../../support/sipp';
import { startCallee, user } from '../proxy/parties';
import { campaignId, useDialerLab, until, type DialerLab } from './lab';

let lab: DialerLab;

useDialerLab((l) => (lab = l));

/** 40 PCMU packets of SSRC A, then 79 of SSRC B (its 11th missing), 20 ms apart. */
function twoSources(file: string): void {
  const w = new PcapWriter();
  const payload = Buffer.alloc(160, 0x55);
  const at = (n: number) => ({ address: '127.0.0.1', port: 6000 + n });
  for (let i = 0; i < 120; i++) {
    if (i === 50) continue;
    const [ssrc, sequence, timestamp] =
      i < 40 ? [0xaaaa0001, 3000 + i, 100 + i * 160] : [0xbbbb0002, 50_000 + i, 777_777 + i * 160];
    const data = rtpPacket(
      { marker: i === 0 || i === 40, payloadType: 0, sequence, timestamp, ssrc },
      payload,
    );
    w.add({ timeUs: 1_700_000_000_000_000 + i * 20_000, transport: 'UDP', src: at(0), dst: at(2), data });
  }
  writeFileSync(file, w.toBuffer());
}

describe.skipIf(!HAS_SIPP)('a far end that changes its RTP source', () => {
  it('is counted whole: 119 received, 1 lost, as the callee sent them', async () => {
    const pcap = join(lab.dir, 'two-sources.pcap');
    twoSources(pcap);
    await startCallee(lab.server(), user(1002), 'proxy_uas_answer_play.xml', {
      pauseMs: 50,
      timeoutSeconds: 30,
      keys: { pcap },
      args: ['-mi', '127.0.0.1', '-mp', String(await freePort())],
    });
    expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
    const id = campaignId(await lab.mml('STR CALL SINGLE CALLEE=1002 DURATION=3.5'));
    const c = () => lab.a.dialer.campaign(id)!;
    await until('the call to end', () => c().recent.length === 1, 15_000);
    const r = c().recent[0]!;
    expect([r.status, r.rtpReceived, r.rtpLost]).toEqual([200, 119, 1]);
    // The dialer's call has ended; the proxy writes its row once the BYE's 200 has passed through it,
    // which on a loaded machine may be a moment later.
    const callRow = async () => {
      lab.a.cdrRecorder.flush();
      return (await lab.a.cdr.page({})).records.find((x) => x.record_type === 'CALL');
    };
    await until('the CALL row', async () => (await callRow()) !== undefined, 5000);
    expect((await callRow())!.extra_info).toMatch(/ rtp_received=119 rtp_lost=1 /);
  }, 30_000);
});
