// HEP's sent and failed counts (DSP TRACE's status line) last across a SET TRACE that leaves the
// collector and capture id as they were; a new collector starts its own; a lost packet is told in the log.
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SILENT_LOG, type Log } from '../../../core/observe/log';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { SipTrace, type TraceConfig } from '../../../core/trace/index';
import { CALLER, FLOW, play } from './flow';
import { traceConfig } from './config';

describe('HEP counters', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanup.splice(0)) c();
  });

  const collector = async (): Promise<{
    socket: Socket;
    port: number;
    got: () => number;
    packets: Buffer[];
  }> => {
    const socket = createSocket('udp4');
    const packets: Buffer[] = [];
    socket.on('message', (m) => packets.push(m));
    const port = await new Promise<number>((r) =>
      socket.bind(0, '127.0.0.1', () => r(socket.address().port)),
    );
    cleanup.push(() => socket.close());
    return { socket, port, got: () => packets.length, packets };
  };

  /** A trace on a tap of its own in a temporary folder, stopped and removed after the test. */
  const traceOf = (config: TraceConfig, log?: Log): { tap: MessageTap; trace: SipTrace } => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-trace-hep-'));
    const tap = new MessageTap();
    const trace = new SipTrace(tap, dir, config, log);
    cleanup.push(() => {
      trace.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    return { tap, trace };
  };

  const until = async (done: () => boolean): Promise<void> => {
    for (let i = 0; i < 80 && !done(); i++) await new Promise((r) => setTimeout(r, 25));
  };

  it('SET TRACE with the same collector keeps the counts; another collector starts from 0', async () => {
    const c = await collector();
    const config = traceConfig({ ringMessages: 100, ringMB: 1, hepCollector: `127.0.0.1:${c.port}` });
    const { tap, trace } = traceOf(config);
    play(tap, FLOW);
    await until(() => trace.status().hepSent === FLOW.length && c.got() === FLOW.length);
    expect(trace.status()).toMatchObject({ hepSent: FLOW.length, hepFailed: 0 });
    trace.reconfigure({ ...config, ringMessages: 50 });
    expect(trace.status().hepSent).toBe(FLOW.length);
    const other = await collector();
    trace.reconfigure({ ...config, hepCollector: `127.0.0.1:${other.port}` });
    expect(trace.status().hepSent).toBe(0);
    // /metrics' ims_hep_packets_sent_total counts since the start: a counter never goes back.
    expect(trace.writerFigures()).toMatchObject({ hepSent: FLOW.length, hepFailed: 0 });
    trace.reconfigure({ ...config, hepCollector: '' });
    expect(trace.writerFigures()).toMatchObject({ hepSent: FLOW.length, hepFailed: 0 });
  });

  it('tells the log of a message too large for one HEP packet, with its Call-ID, and counts it', async () => {
    const c = await collector();
    const warnings: string[] = [];
    const log = { ...SILENT_LOG, warning: (m: string) => warnings.push(m) };
    const { tap, trace } = traceOf(
      traceConfig({ ringMessages: 100, ringMB: 4, hepCollector: `127.0.0.1:${c.port}` }),
      log,
    );
    const big =
      'MESSAGE sip:1002@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5061;branch=z9hG4bKbig\r\n' +
      'From: <sip:1001@ims.lab>;tag=b\r\nTo: <sip:1002@ims.lab>\r\nCall-ID: big-1\r\nCSeq: 1 MESSAGE\r\n' +
      `Content-Type: text/plain\r\nContent-Length: 65300\r\n\r\n${'x'.repeat(65_300)}`;
    play(tap, [{ dir: 'in', peer: CALLER, text: big, at: 0 }, ...FLOW]);
    await until(() => trace.status().hepSent === FLOW.length);
    expect(trace.status()).toMatchObject({ hepSent: FLOW.length, hepFailed: 1 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^trace: a HEP packet of Call-ID big-1 was not sent to 127\.0\.0\.1:\d+: a message of \d+ bytes, more than one HEP packet holds \(1 lost so far\)$/,
    );
  });

  it('TRACE.HEP_AUTH_KEY goes in each packet (chunk 14), and a new key starts a new sender', async () => {
    const { port, packets } = await collector();
    const config = traceConfig({
      ringMessages: 100,
      ringMB: 1,
      hepCollector: `127.0.0.1:${port}`,
      hepAuthKey: 'homer-key',
    });
    const { tap, trace } = traceOf(config);
    play(tap, FLOW);
    await until(() => packets.length === FLOW.length);
    // A chunk: vendor 0, type 14, its length, the key.
    const chunk14 = Buffer.concat([Buffer.from([0, 0, 0, 14, 0, 6 + 9]), Buffer.from('homer-key')]);
    expect(packets.every((p) => p.includes(chunk14))).toBe(true);
    trace.reconfigure({ ...config, hepAuthKey: 'another' });
    expect(trace.status().hepSent).toBe(0);
  });
});
