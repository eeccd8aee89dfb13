// HEP's sent and failed counts (DSP TRACE's status line) last across a SET TRACE that leaves the
// collector and capture id as they were; a new collector starts its own.
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { SipTrace } from '../../../core/trace/index';
import { FLOW, play } from './flow';
import { traceConfig } from './config';

describe('HEP counters', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanup.splice(0)) c();
  });

  const collector = async (): Promise<{ socket: Socket; port: number; got: () => number }> => {
    const socket = createSocket('udp4');
    let n = 0;
    socket.on('message', () => n++);
    const port = await new Promise<number>((r) =>
      socket.bind(0, '127.0.0.1', () => r(socket.address().port)),
    );
    cleanup.push(() => socket.close());
    return { socket, port, got: () => n };
  };

  const until = async (done: () => boolean): Promise<void> => {
    for (let i = 0; i < 80 && !done(); i++) await new Promise((r) => setTimeout(r, 25));
  };

  it('SET TRACE with the same collector keeps the counts; another collector starts from 0', async () => {
    const c = await collector();
    const dir = mkdtempSync(join(tmpdir(), 'ims-trace-hep-'));
    const config = traceConfig({ ringMessages: 100, ringMB: 1, hepCollector: `127.0.0.1:${c.port}` });
    const tap = new MessageTap();
    const trace = new SipTrace(tap, dir, config);
    cleanup.push(() => {
      trace.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    play(tap, FLOW);
    await until(() => trace.status().hepSent === FLOW.length && c.got() === FLOW.length);
    expect(trace.status()).toMatchObject({ hepSent: FLOW.length, hepFailed: 0 });
    trace.reconfigure({ ...config, ringMessages: 50 });
    expect(trace.status().hepSent).toBe(FLOW.length);
    const other = await collector();
    trace.reconfigure({ ...config, hepCollector: `127.0.0.1:${other.port}` });
    expect(trace.status().hepSent).toBe(0);
  });
});
