// SIGTERM while a dialer call rings at a callee that answers the CANCEL with 200 but never sends the
// INVITE's 487 (SIPp's default for a CANCEL its scenario does not expect; many simple UAs do the same):
// the dialer gives the 487 up in time, and the built server still exits 0 within its 5 s (README
// "Running headless"). Before, the dialer waited 4 s for the 487 and up to 4 s more for its
// unregistration, and the appliance's 5 s watchdog ended the process with exit code 1.
import { afterEach, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, runMml, startLabServer, type LabServer } from '../../support/lab-server';
import { HAS_SIPP } from '../../support/sipp';
import { cdrRows } from '../proxy/cdr-reader';
import { liveCall, startCallee, stopStrayCallees, user } from '../proxy/parties';
import { dialerLabSettings } from './lab';

const ADMIN_PASSWORD = 'dialer-shutdown-password';
const CALLEE = user(4801);

describe.skipIf(!HAS_BUILD || !HAS_SIPP)('the server stopping while a dialer call rings', () => {
  let server: LabServer | undefined;

  afterEach(async () => {
    await stopStrayCallees();
    if (server !== undefined) {
      await server.stop();
      removeDataDir(server.dataDir);
    }
    server = undefined;
  });

  it('the callee never sends its 487: SIGTERM still ends the process with exit 0', async () => {
    const lab = dialerLabSettings(20);
    server = await startLabServer({
      users: [CALLEE],
      env: { IMS_ADMIN_PASSWORD: ADMIN_PASSWORD },
      config: {
        'DIALER.LOCAL_PORT': 0,
        'DIALER.RTP_PORT_MIN': lab.int('DIALER.RTP_PORT_MIN'),
        'DIALER.RTP_PORT_MAX': lab.int('DIALER.RTP_PORT_MAX'),
      },
    });
    const s = server;
    // Rings for 20 s (the 200 would come after the pause): SIGTERM comes while it rings.
    const callee = await startCallee(s, CALLEE, 'proxy_uas_answer.xml', {
      pauseMs: 20_000,
      timeoutSeconds: 30,
    });
    const mml = async (text: string): Promise<{ retcode: number; message: string }> =>
      (await runMml(s, ADMIN_PASSWORD, text)).results[0]!;
    const started = await mml('STR DIALSVC');
    expect(started.retcode, started.message).toBe(0);
    const placed = await mml(`STR CALL SINGLE CALLEE=${CALLEE.username} DURATION=3`);
    expect(placed.retcode, placed.message).toBe(0);
    await liveCall(s, ADMIN_PASSWORD, 'RINGING');

    const code = await s.stop(8000);
    expect(code, s.child.output()).toBe(0);
    expect(s.child.output()).toMatch(/SIGTERM: stopped/);
    // The call still has its one CDR row, ended by the stop.
    const rows = cdrRows(s.dataDir).filter((r) => r.record_type === 'CALL');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ callee_number: CALLEE.username, end_reason: 'System shutdown' });
    callee.kill();
  }, 40_000);
});
