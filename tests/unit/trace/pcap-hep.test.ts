// pcap export and HEP, read back by tshark: the same messages in order, with their addresses, ports,
// transports and microsecond times (UDP and TCP, IPv4 and IPv6); HEP packets decode to the same SIP.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import {
  hepPacket,
  packetOf,
  pcapFile,
  PcapWriter,
  SipTrace,
  type PcapPacket,
} from '../../../core/trace/index';
import { HAS_TSHARK, readPcap } from '../../support/tshark';
import { CALL_ID, FLOW, T0, play } from './flow';
import { traceConfig } from './config';

const firstLine = (text: string): string => text.slice(0, text.indexOf('\r\n'));
const SIP_FIELDS = ['frame.time_epoch', 'sip.Request-Line', 'sip.Status-Line', 'sip.Call-ID'];

describe.skipIf(!HAS_TSHARK)('pcap export and HEP, read by tshark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ims-pcap-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function traced(): SipTrace {
    const tap = new MessageTap();
    const trace = new SipTrace(tap, dir, traceConfig({ hepCaptureId: 1 }));
    play(tap, FLOW);
    return trace;
  }

  it('UDP over IPv4: every message, in order, with its ends and its time to the microsecond', () => {
    const trace = traced();
    const file = join(dir, 'flow.pcap');
    writeFileSync(file, trace.export(CALL_ID, 'PCAP'));
    const rows = readPcap(file, ['ip.src', 'udp.srcport', 'ip.dst', 'udp.dstport', ...SIP_FIELDS], {
      filter: 'sip',
    });
    expect(rows).toHaveLength(FLOW.length);
    rows.forEach((r, i) => {
      const step = FLOW[i]!;
      const us = T0 + Math.round(step.at * 1000);
      const [src, dst] =
        step.dir === 'in'
          ? [step.peer, { address: '127.0.0.1', port: 5060 }]
          : [{ address: '127.0.0.1', port: 5060 }, step.peer];
      expect(r.slice(0, 4)).toEqual([src.address, String(src.port), dst.address, String(dst.port)]);
      expect(r[4]).toBe(`${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}000`);
      expect(r[5] || r[6]).toBe(firstLine(step.text));
      expect(r[7]).toBe(CALL_ID);
    });
    // Checksums are right: tshark, asked to validate them, finds every one good.
    const good = readPcap(file, ['frame.number'], {
      filter: 'ip.checksum.status == "Good" && udp.checksum.status == "Good"',
      checksums: true,
    });
    expect(good).toHaveLength(FLOW.length);
    trace.stop();
  });

  it('TCP segments and IPv6 addresses', () => {
    const trace = traced();
    const packets: PcapPacket[] = trace.messages(CALL_ID).map((m, i) => {
      const p = packetOf(m);
      const v6 = (e: { address: string; port: number }): { address: string; port: number } => ({
        address: '2001:db8::1' + (e.port % 10),
        port: e.port,
      });
      return i % 2 === 0 ? { ...p, transport: 'TCP' } : { ...p, src: v6(p.src), dst: v6(p.dst) };
    });
    const file = join(dir, 'mixed.pcap');
    writeFileSync(file, pcapFile(packets));
    const rows = readPcap(
      file,
      ['frame.protocols', 'ipv6.src', 'tcp.srcport', 'udp.srcport', 'sip.Request-Line', 'sip.Status-Line'],
      {
        filter: 'sip',
      },
    );
    expect(rows).toHaveLength(FLOW.length);
    rows.forEach((r, i) => {
      const step = FLOW[i]!;
      expect(r[0]).toContain(i % 2 === 0 ? ':tcp:sip' : 'ipv6:udp:sip');
      if (i % 2 === 1) expect(r[1]).toMatch(/^2001:db8::1\d$/);
      expect(r[4] || r[5]).toBe(firstLine(step.text));
    });
    const good = readPcap(file, ['frame.number'], {
      filter: 'tcp.checksum.status == "Good" || udp.checksum.status == "Good"',
      checksums: true,
    });
    expect(good).toHaveLength(FLOW.length);
    trace.stop();
  });

  it('HEP3 packets decode to the same SIP, ends and times', () => {
    const trace = traced();
    const w = new PcapWriter();
    for (const m of trace.messages(CALL_ID))
      w.add({
        timeUs: m.timeUs,
        transport: 'UDP',
        src: { address: '127.0.0.1', port: 40000 },
        dst: { address: '127.0.0.1', port: 9060 },
        data: hepPacket(packetOf(m), { captureId: 7 }, m.callId),
      });
    const file = join(dir, 'hep.pcap');
    writeFileSync(file, w.toBuffer());
    const rows = readPcap(
      file,
      [
        'hep3.src_ip',
        'hep3.src_port',
        'hep3.dst_ip',
        'hep3.dst_port',
        'hep3.time_sec',
        'hep3.time_usec',
        'hep3.capture_id',
        'hep3.correlation_id',
        'sip.Request-Line',
        'sip.Status-Line',
      ],
      { filter: 'sip', hepPort: 9060 },
    );
    expect(rows).toHaveLength(FLOW.length);
    rows.forEach((r, i) => {
      const step = FLOW[i]!;
      const us = T0 + Math.round(step.at * 1000);
      const ports = step.dir === 'in' ? [step.peer.port, 5060] : [5060, step.peer.port];
      expect(r.slice(0, 8)).toEqual([
        '127.0.0.1',
        String(ports[0]),
        '127.0.0.1',
        String(ports[1]),
        String(Math.floor(us / 1e6)),
        String(us % 1e6),
        '7',
        CALL_ID,
      ]);
      expect(r[8] || r[9]).toBe(firstLine(step.text));
    });
    trace.stop();
  });
});
