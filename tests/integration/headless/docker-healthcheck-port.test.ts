// The Docker HEALTHCHECK against the built server: it read config.json's HTTP.PORT, so SET CFG HTTP.PORT +
// SAVE CFG (a port for the next start) made it ask a port nothing listened on, and the container turned
// unhealthy until a restart. The server now writes the port in use to <data>/console-address.json once its
// console listens (removed at a clean stop), and the check asks there first.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { consoleUrl, removeDataDir, runMml, startLabServer, type LabServer } from '../../support/lab-server';

const ROOT = join(__dirname, '..', '..', '..');
const PASSWORD = 'healthcheck-port';

/** The HEALTHCHECK's command: the JSON array after CMD on its line. */
function healthcheck(): string[] {
  const line = /HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])/.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  expect(line).not.toBeNull();
  return JSON.parse(line![1]!) as string[];
}

/** Runs the HEALTHCHECK on the data folder as the image does (no HTTP_HOST or HTTP_PORT); its exit code. */
async function check(dataDir: string): Promise<unknown> {
  const [cmd, ...args] = healthcheck();
  const env: NodeJS.ProcessEnv = { ...process.env, IMS_DATA_DIR: dataDir };
  delete env.HTTP_PORT;
  delete env.HTTP_HOST;
  const child = spawn(cmd === 'node' ? process.execPath : cmd!, args, { env, timeout: 10_000 });
  return new Promise((resolve) => child.on('exit', resolve));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let server: LabServer | undefined;
afterEach(async () => {
  await server?.stop();
  if (server !== undefined) removeDataDir(server.dataDir);
  server = undefined;
});

describe.skipIf(!HAS_BUILD)('the Docker HEALTHCHECK asks the console port in use', () => {
  it('stays healthy after SET CFG HTTP.PORT + SAVE CFG, until the restart applies it', async () => {
    const running = await freePort();
    server = await startLabServer({
      config: { 'HTTP.PORT': running, 'HTTP.HOST': '127.0.0.1' },
      // As in the image: the console's port from config.json, not from the environment.
      env: { IMS_ADMIN_PASSWORD: PASSWORD, HTTP_PORT: '' },
    });
    expect(await consoleUrl(server)).toBe(`http://127.0.0.1:${running}`);
    const file = join(server.dataDir, 'console-address.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ host: '127.0.0.1', port: running });
    expect(await check(server.dataDir)).toBe(0);

    const next = await freePort();
    const answer = await runMml(server, PASSWORD, `SET CFG KEY=HTTP.PORT VALUE=${next}\nSAVE CFG`);
    expect(answer.results.map((r) => r.retcode)).toEqual([0, 0]);
    expect(JSON.parse(readFileSync(join(server.dataDir, 'config.json'), 'utf8'))['HTTP.PORT']).toBe(next);
    expect(await check(server.dataDir)).toBe(0);

    expect(await server.stop()).toBe(0);
    expect(existsSync(file)).toBe(false);
  });
});
