// A console server on 127.0.0.1 (port 0) over a fresh appliance in a temporary data folder, logged in
// once: for the HTTP routes' tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Appliance, type ApplianceOptions } from '../../../core/appliance';
import { Settings } from '../../../core/config/settings';
import { AdminAuth } from '../../../core/http/admin-auth';
import { WebServer, type WebServerOptions } from '../../../core/http/web-server';

export const PASSWORD = 'right-password';

export interface WebFixture {
  dataDir: string;
  /** The console's files (index.html written), the server's rendererDir. */
  rendererDir: string;
  appliance: Appliance;
  auth: AdminAuth;
  web: WebServer;
  port: number;
  base: string;
  /** Authorization: Bearer <a session's token>. */
  headers: { authorization: string };
  stop(): Promise<void>;
}

export async function startWeb(
  options: Partial<WebServerOptions> = {},
  applianceOptions: Partial<ApplianceOptions> = {},
): Promise<WebFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ims-web-'));
  const rendererDir = join(dataDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<div id="root"></div>');
  const appliance = new Appliance({
    dataDir,
    console: false,
    settings: new Settings([['LOG.LEVEL', 'INFO']]),
    ...applianceOptions,
  });
  const auth = new AdminAuth(appliance.db, PASSWORD);
  const web = new WebServer(
    appliance,
    auth,
    { host: '127.0.0.1', port: 0, rendererDir, metrics: () => '', ...options },
    appliance.logger.for('http'),
  );
  const port = await web.start();
  const login = await auth.login(PASSWORD, '127.0.0.1');
  if (!login.ok) throw new Error('login refused');
  return {
    dataDir,
    rendererDir,
    appliance,
    auth,
    web,
    port,
    base: `http://127.0.0.1:${port}`,
    headers: { authorization: `Bearer ${login.token}` },
    async stop() {
      await web.stop();
      await appliance.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
