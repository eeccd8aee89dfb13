// The Docker image's HEALTHCHECK (Dockerfile) asks /healthz where the console listens: HTTP_HOST, with
// 0.0.0.0 read as 127.0.0.1 and :: as [::1], an IPv6 address in brackets (RFC 3986 §3.2.2). It asked
// 127.0.0.1 whatever HTTP_HOST said, and failed on an image told to listen on ::1.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..', '..');

/** The HEALTHCHECK's command: the JSON array after CMD on its line. */
function healthcheck(): string[] {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const line = /HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])/.exec(text);
  expect(line).not.toBeNull();
  return JSON.parse(line![1]!) as string[];
}

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

async function healthz(host: string): Promise<number> {
  server = createServer((req, res) => {
    res.statusCode = req.url === '/healthz' ? 200 : 404;
    res.end();
  });
  await new Promise<void>((r) => server!.listen(0, host, () => r()));
  return (server.address() as AddressInfo).port;
}

describe('the Docker HEALTHCHECK', () => {
  it.each([
    ['0.0.0.0', '127.0.0.1'],
    ['::1', '::1'],
    ['127.0.0.1', '127.0.0.1'],
  ])('with HTTP_HOST=%s asks %s', async (httpHost, listening) => {
    const port = await healthz(listening);
    const [cmd, ...args] = healthcheck();
    // Run beside this process's server (a synchronous spawn would keep it from answering).
    const check = spawn(cmd === 'node' ? process.execPath : cmd!, args, {
      env: { ...process.env, HTTP_HOST: httpHost, HTTP_PORT: String(port) },
      timeout: 10_000,
    });
    expect(await new Promise((r) => check.on('exit', r))).toBe(0);
  });

  it("with no HTTP_PORT asks config.json's HTTP.PORT (set by SET CFG and SAVE CFG), a BOM or not", async () => {
    const port = await healthz('127.0.0.1');
    const dataDir = mkdtempSync(join(tmpdir(), 'ims-health-'));
    try {
      writeFileSync(join(dataDir, 'config.json'), `\uFEFF{"http.port": ${port}}`);
      const [cmd, ...args] = healthcheck();
      const env: NodeJS.ProcessEnv = { ...process.env, IMS_DATA_DIR: dataDir };
      delete env.HTTP_PORT;
      delete env.HTTP_HOST;
      const check = spawn(cmd === 'node' ? process.execPath : cmd!, args, { env, timeout: 10_000 });
      expect(await new Promise((r) => check.on('exit', r))).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
