// The SIP trace of a real call between two baresip phones through the proxy, against tshark's capture
// of loopback during the same call: registrations, the call and the un-registrations hold the same
// messages in the trace, in its pcap export and in the HEP packets, in the order tshark saw them.
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_TSHARK, captureLoopback } from '../../support/tshark';
import { BaresipUa, HAS_BARESIP, writeToneWav } from '../proxy/baresip-ua';
import { user, users } from '../proxy/parties';
import { PASSWORD, expectTraceMatchesWire, mml } from './trace-check';

const ALICE = user(4901);
const BOB = user(4902);

describe.skipIf(!HAS_BUILD || !HAS_BARESIP || !HAS_TSHARK)('trace: a call between two baresip phones', () => {
  let server: LabServer;
  let collector: Socket;
  let hepPort: number;
  let dir: string;
  const phones: BaresipUa[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ims-trace-baresip-'));
    writeToneWav(join(dir, 'tone.wav'), 10);
    collector = createSocket('udp4');
    hepPort = await new Promise<number>((resolve) =>
      collector.bind(0, '127.0.0.1', () => resolve(collector.address().port)),
    );
    server = await startLabServer({
      users: users(4901, 2),
      config: { 'TRACE.HEP_COLLECTOR': `127.0.0.1:${hepPort}` },
      env: { IMS_ADMIN_PASSWORD: PASSWORD },
    });
  });

  afterAll(async () => {
    for (const p of phones) await p.stop();
    collector?.close();
    if (server !== undefined) {
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('register, call, hang up, quit: the trace, its pcap and HEP match the capture', async () => {
    const capture = join(dir, 'loopback.pcap');
    const tshark = await captureLoopback(capture, `udp port ${server.udpPort} or udp port ${hepPort}`);
    const target = { host: server.host, port: server.udpPort };
    const wav = join(dir, 'tone.wav');
    try {
      const bob = await BaresipUa.start({
        dir: join(dir, 'bob'),
        ...{ user: BOB.username, password: BOB.password },
        server: target,
        accountParams: ';answermode=auto',
        wav,
      });
      phones.push(bob);
      const alice = await BaresipUa.start({
        dir: join(dir, 'alice'),
        ...{ user: ALICE.username, password: ALICE.password },
        server: target,
        wav,
      });
      phones.push(alice);
      // Both registered before dialling (the trace shows their REGISTERs answered 200).
      for (let i = 0; i < 100; i++) {
        const regs = await mml(server, 'DSP TRACE KIND=REGISTRATION STATUS=2XX');
        if (regs.tables[0]!.rows.length >= 2) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await alice.command('dial', `sip:${BOB.username}@${server.host}:${server.udpPort}`)).ok).toBe(
        true,
      );
      await alice.event('CALL_ESTABLISHED', 5000);
      await bob.event('CALL_ESTABLISHED', 5000);
      await new Promise((r) => setTimeout(r, 300));
      expect((await alice.command('hangup')).ok).toBe(true);
      await alice.event('CALL_CLOSED', 3000);
      await bob.event('CALL_CLOSED', 3000);
      expect(await alice.stop()).toBe(0);
      expect(await bob.stop()).toBe(0);
    } finally {
      await tshark.stop();
    }
    const calls = await mml(server, 'DSP TRACE KIND=CALL');
    expect(calls.tables[0]!.rows).toHaveLength(1);
    const callId = String(calls.tables[0]!.rows[0]![0]);
    await expectTraceMatchesWire(server, capture, hepPort, callId);
    // The call's summary: from Alice to Bob, answered.
    const row = calls.tables[0]!.rows[0]!;
    expect(row.slice(3, 5)).toEqual([ALICE.username, BOB.username]);
    expect(row[7]).toBe(200);
  });
});
