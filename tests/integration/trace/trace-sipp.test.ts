// The SIP trace of a SIPp call through the proxy, against tshark's capture of loopback during the same
// call: the trace (DSP TRACE), its pcap export (EXP TRACE) and the HEP packets sent to a collector
// (TRACE.HEP_COLLECTOR) hold the same messages, in the same order, between the same addresses and ports,
// for the call and for the callee's registration.
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_SIPP } from '../../support/sipp';
import { HAS_TSHARK, captureLoopback } from '../../support/tshark';
import { call, startCallee, stopStrayCallees, user, users } from '../proxy/parties';
import { PASSWORD, expectTraceMatchesWire, mml, traced } from './trace-check';

describe.skipIf(!HAS_BUILD || !HAS_SIPP || !HAS_TSHARK)('trace: a SIPp call through the proxy', () => {
  let server: LabServer;
  let collector: Socket;
  let hepPort: number;
  let dir: string;
  const hepReceived: Buffer[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ims-trace-cap-'));
    collector = createSocket('udp4');
    collector.on('message', (m) => hepReceived.push(m));
    hepPort = await new Promise<number>((resolve) =>
      collector.bind(0, '127.0.0.1', () => resolve(collector.address().port)),
    );
    server = await startLabServer({
      users: users(4801, 2),
      config: { 'TRACE.HEP_COLLECTOR': `127.0.0.1:${hepPort}` },
      env: { IMS_ADMIN_PASSWORD: PASSWORD },
    });
  });

  afterEach(stopStrayCallees);

  afterAll(async () => {
    collector?.close();
    if (server !== undefined) {
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('holds every message in order, as tshark saw them; pcap export and HEP show the same', async () => {
    const capture = join(dir, 'loopback.pcap');
    const tshark = await captureLoopback(capture, `udp port ${server.udpPort} or udp port ${hepPort}`);
    const callee = user(4802);
    let callId: string;
    try {
      const uas = await startCallee(server, callee, 'proxy_uas_answer.xml', { pauseMs: 100 });
      const caller = await call(server, 'proxy_uac_call.xml', user(4801), callee.username, { pauseMs: 200 });
      expect(caller.code).toBe(0);
      expect((await uas.result).code).toBe(0);
      callId = caller.requests[0]!.callId;
    } finally {
      await tshark.stop();
    }
    await expectTraceMatchesWire(server, capture, hepPort, callId);
    expect(hepReceived.length).toBeGreaterThan(0);

    // The ladder: one column per address, the 407 challenge, the answered INVITE, ACK and BYE.
    const { ladder, messages } = await traced(server, callId);
    expect(
      messages.map(
        (m) =>
          `${m.direction} ${m.firstLine.split(' ')[0] === 'SIP/2.0' ? m.firstLine.split(' ')[1] : m.firstLine.split(' ')[0]}`,
      ),
    ).toEqual([
      'IN INVITE',
      'OUT 407',
      'IN ACK',
      'IN INVITE',
      'OUT 100',
      'OUT INVITE',
      'IN 180',
      'OUT 180',
      'IN 200',
      'OUT 200',
      'IN ACK',
      'OUT ACK',
      'IN BYE',
      'OUT BYE',
      'IN 200',
      'OUT 200',
    ]);
    expect(ladder).toContain(`127.0.0.1:${server.udpPort}`);
    expect(ladder).toMatch(/-+ 407 Proxy Authentication Required -+\|/);

    // Filters: by user, by response class, by kind.
    const byUser = await mml(server, 'DSP TRACE USER=4802 KIND=CALL');
    expect(byUser.tables[0]!.rows.map((r) => r[0])).toEqual([callId]);
    const rejected = await mml(server, 'DSP TRACE STATUS=4XX');
    expect(rejected.tables[0]!.rows.map((r) => r[0])).toContain(callId);
  });
});
