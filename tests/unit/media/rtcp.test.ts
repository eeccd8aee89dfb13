// RTCP compound packets (RFC 3550 §6.4): SR with sender info and a report block, RR when not sending,
// SDES CNAME, BYE; the report block's fraction lost and cumulative loss, also when more than half the
// packets were lost (the fraction's top bit set).
import { describe, expect, it } from 'vitest';
import { ReceiveStats } from '../../../core/media/receive-stats';
import { rtcpReport, senderReportOf } from '../../../core/media/rtcp';

describe('RTCP reports', () => {
  it('writes an SR with a report block, SDES and BYE; the loss fields survive heavy loss', () => {
    const rx = new ReceiveStats();
    // 100 expected, 30 received: fraction lost 70% = 179/256.
    for (let i = 0; i < 100; i += 1) if (i % 10 < 3) rx.packet(i, i * 160, 0xabcdef01, i * 20);
    rx.packet(99, 99 * 160, 0xabcdef01, 99 * 20);
    const buf = rtcpReport({
      ssrc: 0x11223344,
      cname: 'dialer@127.0.0.1',
      sender: { wallMs: Date.UTC(2026, 0, 1), rtpTimestamp: 1234, packets: 50, octets: 8000 },
      received: rx,
      nowMs: 2000,
      bye: true,
    });
    expect(buf[0]).toBe(0x81); // V=2, one report block
    expect(buf[1]).toBe(200);
    expect(buf.readUInt16BE(2)).toBe((28 + 24) / 4 - 1);
    expect(buf.readUInt32BE(4)).toBe(0x11223344);
    expect(buf.readUInt32BE(20)).toBe(50);
    expect(buf.readUInt32BE(24)).toBe(8000);
    const block = 28;
    expect(buf.readUInt32BE(block)).toBe(0xabcdef01);
    expect(buf[block + 4]).toBe(Math.floor((69 << 8) / 100)); // 100 expected, 31 received
    expect(buf.readUIntBE(block + 5, 3)).toBe(69);
    expect(buf.readUInt32BE(block + 8)).toBe(99);
    const sdes = 28 + 24;
    expect(buf[sdes + 1]).toBe(202);
    expect(buf.subarray(sdes + 10, sdes + 10 + buf[sdes + 9]!).toString()).toBe('dialer@127.0.0.1');
    const bye = buf.length - 8;
    expect(buf[bye + 1]).toBe(203);
    expect(senderReportOf(buf, 5)?.arrivalMs).toBe(5);
  });

  it('writes an RR when not sending', () => {
    const buf = rtcpReport({ ssrc: 1, cname: 'x', nowMs: 0 });
    expect(buf[1]).toBe(201);
    expect(buf[0]).toBe(0x80); // no report block before anything arrived
  });
});
