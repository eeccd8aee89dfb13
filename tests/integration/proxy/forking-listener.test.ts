// The event hub isolates listeners (core/observe/event-hub.ts): a call listener that throws on every
// event, among them the 'answered' one emitted between relaying the 2xx and cancelling the other forked
// branches, must not leave those branches ringing. An in-process appliance (so that the test can add the
// faulty listener) forks a call to two SIPp UAS; the ringing one must still get its CANCEL.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Appliance } from '../../../core/appliance';
import { loopbackAppliance } from '../headless/loopback-appliance';
import { removeDataDir, type LabServer } from '../../support/lab-server';
import { HAS_SIPP } from '../../support/sipp';
import { answers, call, receivedRequests, startCallee, stopStrayCallees, user } from './parties';

const CALLER = user(4801);
const CALLEE = user(4802);

describe.skipIf(!HAS_SIPP)('event hub: a throwing call listener does not stop forking', () => {
  let appliance: Appliance;
  let server: LabServer;
  const thrown: string[] = [];

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ims-hub-'));
    appliance = loopbackAppliance(dataDir, [['PROXY.FORKING', 'PARALLEL']]);
    for (const u of [CALLER, CALLEE]) appliance.users.add({ username: u.username, password: u.password });
    await appliance.start();
    appliance.events.on('call', (e) => {
      thrown.push(e.type);
      throw new Error(`listener fault on ${e.type}`);
    });
    // Only what the parties helpers read of a lab server.
    server = {
      host: '127.0.0.1',
      udpPort: appliance.transport.udpPort,
      tcpPort: 0,
      dataDir,
    } as unknown as LabServer;
  });

  afterEach(stopStrayCallees);

  afterAll(async () => {
    if (appliance === undefined) return;
    await appliance.stop();
    removeDataDir(server.dataDir);
  });

  it('the ringing fork is cancelled, the caller gets one 200, and the faults are logged', async () => {
    const errors: string[] = [];
    appliance.events.on('log', (r) => {
      if (r.level === 'ERROR') errors.push(r.text);
    });
    const ringing = await startCallee(server, CALLEE, 'proxy_uas_ring_cancel.xml');
    const answering = await startCallee(server, CALLEE, 'proxy_uas_answer.xml', { pauseMs: 300 });
    const caller = await call(server, 'proxy_uac_call.xml', CALLER, CALLEE.username, { pauseMs: 200 });
    const [answered, cancelled] = await Promise.all([answering.result, ringing.result]);
    const all = `${caller.describe()}\n=== answered\n${answered.describe()}\n=== cancelled\n${cancelled.describe()}`;
    expect(caller.code, all).toBe(0);
    expect(cancelled.code, all).toBe(0);
    expect(
      receivedRequests(cancelled).map((m) => m.method),
      all,
    ).toEqual(['INVITE', 'CANCEL', 'ACK']);
    expect(answers(caller).filter((a) => a === '200 INVITE')).toHaveLength(1);
    expect(thrown).toContain('answered');
    expect(errors.some((t) => /a call listener failed: Error: listener fault on answered/.test(t))).toBe(
      true,
    );
  });
});
