// The mml client (or a browser) pointed at the SIP port instead of the console's HTTP port, a likely
// mix-up: the SIP TCP listener answers the HTTP request with an HTTP/1.1 400 saying it is a SIP port and
// where the console is, and closes the connection (RFC 3261 §18.3: a stream whose framing is lost is
// closed). Before, it dropped the request as malformed SIP and kept the connection: the client waited
// out its timeout (60 s by default) and then advised a longer one.
import { createConnection } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD, SERVER_BUNDLE, startNode } from '../../support/processes';
import { consoleUrl, removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';

const PASSWORD = 'sip-port-test-secret';
let server: LabServer;
let base: string;

describe.skipIf(!HAS_BUILD)('an HTTP client given the SIP TCP port', () => {
  beforeAll(async () => {
    server = await startLabServer({ env: { IMS_ADMIN_PASSWORD: PASSWORD, HTTP_HOST: '127.0.0.1' } });
    base = await consoleUrl(server);
  });

  afterAll(async () => {
    if (server) {
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
  });

  it('the mml client: fails at once, told it reached a SIP port and where the console is', async () => {
    expect(server.tcpPort).toBeGreaterThan(0);
    const c = startNode([SERVER_BUNDLE, 'mml', '--timeout', '20', 'DSP SRVSTAT'], {
      ...process.env,
      IMS_URL: `http://127.0.0.1:${server.tcpPort}`,
      IMS_ADMIN_PASSWORD: PASSWORD,
      IMS_LANG: '',
    });
    const timer = setTimeout(() => c.proc.kill('SIGKILL'), 40_000);
    const code = await c.exited;
    clearTimeout(timer);
    expect(code, c.output()).toBe(2);
    expect(c.output()).toContain(
      `refused (400): This is a SIP port (SIP over TCP, RFC 3261), not HTTP: IMS Lab's console and its HTTP API are at ${base}/`,
    );
    expect(c.output()).not.toContain('no answer within');
    // The server says so in its log, naming the request (once a minute per address).
    await server.child.waitFor(
      /an HTTP request \(POST \/api\/login HTTP\/1\.1\) on the SIP port: answered HTTP 400 and closed/,
      10_000,
    );
  });

  it('a GET (no Content-Length): 400 with Connection: close, and the connection closed', async () => {
    const socket = createConnection({ host: '127.0.0.1', port: server.tcpPort });
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    const closed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`still open; got: ${answer}`)), 20_000);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.tcpPort}\r\n\r\n`);
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain('\r\nConnection: close\r\n');
    expect(answer).toMatch(/\r\n\r\nThis is a SIP port \(SIP over TCP, RFC 3261\), not HTTP: /);
  });
});
