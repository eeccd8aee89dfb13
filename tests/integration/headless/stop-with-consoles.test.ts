// SIGTERM while a console is open that reads nothing (its socket paused: a stopped browser, a SIGSTOPped
// console): the server still stops cleanly, exit 0, the appliance's stop done (its CDR rows written);
// it waited 30 s for that console to answer the close frame, and the 5 s failsafe ended it with exit 1.
import { afterAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { consoleUrl, removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import { login } from '../../support/console-client';
import { rawConsole } from '../../support/raw-console';

const PASSWORD = 'stop-with-consoles';
let server: LabServer | undefined;

describe.skipIf(!HAS_BUILD)('headless server: stopping with a console that reads nothing', () => {
  afterAll(() => {
    if (server) removeDataDir(server.dataDir);
  });

  it('exits 0 on SIGTERM with such a console still connected', async () => {
    server = await startLabServer({ env: { IMS_ADMIN_PASSWORD: PASSWORD, HTTP_HOST: '127.0.0.1' } });
    const base = await consoleUrl(server);
    const paused = await rawConsole(Number(new URL(base).port), await login(base, PASSWORD));
    paused.on('error', () => undefined);
    expect(await server.stop()).toBe(0);
    expect(server.child.output()).toContain('SIGTERM: stopped');
    paused.destroy();
  });
});
