// A dialer call's media notes (symmetric RTP through a NAT, packets the network refused), in English
// and in DSP DIALSVC's Chinese, joined with the call's other notes.
import { describe, expect, it } from 'vitest';
import { mediaNotes } from '../../../core/dialer/media-notes';
import { zhDialerReason } from '../../../core/dialer/reason-zh';
import type { MediaSummary } from '../../../core/media/rtp-session';

const received = { received: 0, lost: 0, jitterMs: 0, maxJitterMs: 0 } as unknown as MediaSummary['received'];

describe('mediaNotes', () => {
  it('says where RTP went after latching and how many packets the network refused', () => {
    const m: MediaSummary = {
      sent: { packets: 140, octets: 22400, dtmfPackets: 0, refused: 3, refusedWhy: 'ENETUNREACH' },
      received,
      latched: { sdp: '192.168.77.10:40000', to: '172.31.0.254:40000' },
    };
    const notes = mediaNotes(m);
    expect(notes).toEqual([
      "RTP sent to 172.31.0.254:40000, where the far end's came from (its SDP said 192.168.77.10:40000)",
      '3 RTP packets refused by the network (ENETUNREACH)',
    ]);
    expect(zhDialerReason(notes.join('; '))).toBe(
      'RTP 发往 172.31.0.254:40000，即对端 RTP 的来源（其 SDP 为 192.168.77.10:40000）；3 个 RTP 包被网络拒绝（ENETUNREACH）',
    );
    expect(mediaNotes({ sent: { packets: 5, octets: 800, dtmfPackets: 0 }, received })).toEqual([]);
    expect(mediaNotes(undefined)).toEqual([]);
  });

  it('says how many packets came from another source than the far end’s, and the last one’s source', () => {
    const m: MediaSummary = {
      sent: { packets: 175, octets: 28000, dtmfPackets: 0 },
      received,
      elsewhere: { packets: 5, from: '127.0.0.3:21099' },
    };
    const notes = mediaNotes(m);
    expect(notes).toEqual([
      "5 RTP packets from another source than the far end's not counted (the last from 127.0.0.3:21099)",
    ]);
    expect(zhDialerReason(notes[0]!)).toBe(
      '5 个来自对端以外来源的 RTP 包未计入（最后一个来自 127.0.0.3:21099）',
    );
  });

  it('names the DTMF digits the media ended before', () => {
    const m: MediaSummary = {
      sent: { packets: 90, octets: 14000, dtmfPackets: 24, dtmfNotSent: '4#' },
      received,
    };
    expect(mediaNotes(m)).toEqual(['DTMF 4# not sent before the media ended']);
    expect(zhDialerReason(mediaNotes(m)[0]!)).toBe('DTMF 4# 在媒体结束前未发送');
  });
});
