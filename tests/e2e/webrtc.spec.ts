// WebRTC clients over SIP on WebSocket (RFC 7118), in Debian's Chromium: JsSIP (from npm, bundled here
// for the page by esbuild) in two pages registers over WSS (the server's generated self-signed
// certificate accepted with --ignore-certificate-errors) and the pages call each other through IMS Lab:
// the call is established and both pages see their received RTP packet count rise (getStats, fake
// audio devices). A page calls a SIPp UAS on UDP and gets its 200 OK (the browser then hangs up: plain
// RTP SDP is not WebRTC's, a media relay would be needed), and closing a page ends its binding, and its
// call: the other page gets IMS Lab's BYE.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { RegisteringUa, openUdp } from '../support/sip-client';

const ROOT = path.resolve(__dirname, '../..');
const SERVER = path.join(ROOT, 'out/core/server.js');
const SIPP = '/usr/bin/sipp';

let server: ChildProcess;
let output = '';
let dataDir: string;
let consoleBase: string;
let ports: { udp: number; wss: number };
let pages: Server;
let pagesBase: string;

test.use({
  ignoreHTTPSErrors: true,
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--ignore-certificate-errors',
      // Host ICE candidates as addresses, not mDNS names (both pages are on this machine).
      '--disable-features=WebRtcHideLocalIpsWithMdns',
    ],
  },
});

test.beforeAll(async () => {
  if (!existsSync(SERVER)) throw new Error('out/ is missing: run `npm run build` first');
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-webrtc-'));
  server = spawn(process.execPath, [SERVER], {
    env: {
      ...process.env,
      IMS_DATA_DIR: dataDir,
      SIP_HOST: '127.0.0.1',
      SIP_PORT: '0',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      IMS_ADMIN_PASSWORD: 'e2e-webrtc',
      LOG_LEVEL: process.env.WEBRTC_LOG_LEVEL ?? 'INFO',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  consoleBase = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 15_000);
    server.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // The log is written asynchronously: the listeners' line may come after the console's.
      const m = /Console on (http:\/\/[\d.]+:\d+)\//.exec(output);
      if (m && /SIP on .* WSS \d+/.test(output)) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    server.once('exit', (code) => reject(new Error(`the server exited (${code}):\n${output}`)));
  });
  const line = /SIP on \S+ UDP (\d+)[^\n]* WSS (\d+)/.exec(output);
  if (!line) throw new Error(`no WSS listener in:\n${output}`);
  ports = { udp: Number(line[1]), wss: Number(line[2]) };

  // The test page and JsSIP for the browser (JsSIP 3 ships CommonJS only).
  const bundle = buildSync({
    entryPoints: [path.join(ROOT, 'node_modules/jssip/lib/JsSIP.js')],
    bundle: true,
    format: 'iife',
    globalName: 'JsSIP',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  }).outputFiles[0]!.contents;
  const html = readFileSync(path.join(__dirname, 'webrtc/phone.html'));
  pages = createServer((req, res) => {
    const js = req.url === '/jssip.js';
    res.writeHead(js || req.url === '/phone.html' ? 200 : 404, {
      'content-type': js ? 'text/javascript' : 'text/html; charset=utf-8',
    });
    res.end(js ? Buffer.from(bundle) : req.url === '/phone.html' ? html : '');
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', () => resolve()));
  const addr = pages.address();
  pagesBase = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

test.afterAll(async () => {
  if (process.env.WEBRTC_LOG_FILE)
    (await import('node:fs')).writeFileSync(process.env.WEBRTC_LOG_FILE, output);
  await new Promise<void>((resolve) => (pages ? pages.close(() => resolve()) : resolve()));
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface PhoneEvent {
  type: string;
  detail: unknown;
}

async function openPhone(page: Page, user: string): Promise<void> {
  if (process.env.WEBRTC_LOG_FILE) page.on('console', (m) => (output += `[page ${user}] ${m.text()}\n`));
  await page.goto(`${pagesBase}/phone.html`);
  if (process.env.WEBRTC_LOG_FILE)
    await page.evaluate(() =>
      (globalThis as unknown as { JsSIP: { debug: { enable(s: string): void } } }).JsSIP.debug.enable(
        'JsSIP:*',
      ),
    );
  await page.evaluate(
    (cfg) => (globalThis as unknown as { phone: { start(c: unknown): void } }).phone.start(cfg),
    { ws: `wss://127.0.0.1:${ports.wss}`, uri: `sip:${user}@ims.lab`, password: user },
  );
  // The whole event list on failure (a registrationFailed carries its cause).
  await expect
    .poll(async () => JSON.stringify(await events(page)), { timeout: 10_000 })
    .toContain('"type":"registered"');
}

function events(page: Page): Promise<PhoneEvent[]> {
  return page.evaluate(() => (globalThis as unknown as { phone: { events: PhoneEvent[] } }).phone.events);
}

async function eventTypes(page: Page): Promise<string[]> {
  return (await events(page)).map((e) => e.type);
}

function rtp(page: Page): Promise<{ received: number; sent: number }> {
  return page.evaluate(() =>
    (globalThis as unknown as { phone: { rtp(): Promise<{ received: number; sent: number }> } }).phone.rtp(),
  );
}

async function wssBindings(): Promise<number> {
  const res = await fetch(`${consoleBase}/healthz`);
  const status = (await res.json()) as { bindingsByTransport: Record<string, number> };
  return status.bindingsByTransport.WSS ?? 0;
}

/** Two pages registered over WSS: 1001 and 1002. */
async function alicePlusBob(context: BrowserContext): Promise<{ alice: Page; bob: Page }> {
  const alice = await context.newPage();
  const bob = await context.newPage();
  await openPhone(alice, '1001');
  await openPhone(bob, '1002');
  return { alice, bob };
}

/** Alice calls Bob, until Bob's side of the call is up. */
async function aliceCallsBob(alice: Page, bob: Page): Promise<void> {
  await alice.evaluate(() =>
    (globalThis as unknown as { phone: { call(t: string): void } }).phone.call('sip:1002@ims.lab'),
  );
  await expect.poll(() => eventTypes(bob), { timeout: 10_000 }).toContain('confirmed');
}

test('two browsers register over WSS and call each other: established, RTP rising on both; closing a page ends its binding', async ({
  context,
}) => {
  const { alice, bob } = await alicePlusBob(context);
  expect(await wssBindings()).toBe(2);

  await aliceCallsBob(alice, bob);
  await expect.poll(() => eventTypes(alice), { timeout: 10_000 }).toContain('confirmed');

  // Media flows both ways, browser to browser (DTLS-SRTP; IMS Lab relays only the signalling).
  const first = { alice: await rtp(alice), bob: await rtp(bob) };
  await expect
    .poll(async () => (await rtp(alice)).received, { timeout: 10_000 })
    .toBeGreaterThan(first.alice.received + 10);
  await expect
    .poll(async () => (await rtp(bob)).received, { timeout: 10_000 })
    .toBeGreaterThan(first.bob.received + 10);

  await alice.evaluate(() => (globalThis as unknown as { phone: { hangup(): void } }).phone.hangup());
  await expect.poll(() => eventTypes(bob), { timeout: 5000 }).toContain('ended');

  await bob.close();
  await expect.poll(wssBindings, { timeout: 5000 }).toBe(1);
  await alice.close();
  await expect.poll(wssBindings, { timeout: 5000 }).toBe(0);
});

test('a page closed mid-call ends the call: the other browser gets our BYE (its WebSocket is gone, RFC 7118 §5)', async ({
  context,
}) => {
  const { alice, bob } = await alicePlusBob(context);
  await aliceCallsBob(alice, bob);
  await alice.close(); // no BYE from it: the tab and its WebSocket are simply gone
  await expect.poll(() => eventTypes(bob), { timeout: 5000 }).toContain('ended');
  await bob.close();
  await expect.poll(wssBindings, { timeout: 5000 }).toBe(0);
});

/** A free UDP port on 127.0.0.1. */
async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

test('a browser calls a SIPp UAS on UDP and gets its 200 OK', async ({ page }) => {
  test.skip(!existsSync(SIPP), 'SIPp is not installed');
  // The UAS: its contact registered for 1003 first (digest over UDP), then SIPp listening there.
  const port = await freeUdpPort();
  const ch = await openUdp({ host: '127.0.0.1', port: ports.udp });
  const reg = await new RegisteringUa(ch, { username: '1003', password: '1003' }).register(
    [`<sip:1003@127.0.0.1:${port}>`],
    300,
  );
  await ch.close();
  expect(reg.status).toBe(200);
  const uas = spawn(
    SIPP,
    [
      `127.0.0.1:${ports.udp}`,
      ...['-sf', path.join(ROOT, 'tests/sipp/proxy_uas_answer.xml'), '-i', '127.0.0.1', '-p', String(port)],
      ...['-m', '1', '-d', '100', '-timeout', '20', '-timeout_error', '-nostdin'],
    ],
    { cwd: dataDir, stdio: 'ignore' },
  );
  const uasExit = new Promise<number | null>((resolve) => uas.once('exit', (code) => resolve(code)));
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  await expect.poll(() => readFileSync('/proc/net/udp', 'utf8').includes(hex), { timeout: 5000 }).toBe(true);
  try {
    await openPhone(page, '1001');
    await page.evaluate(() =>
      (globalThis as unknown as { phone: { call(t: string): void } }).phone.call('sip:1003@ims.lab'),
    );
    // JsSIP gets the 200 (and ACKs it); the SDP is plain RTP, which WebRTC cannot take: it then says BYE.
    await expect
      .poll(async () => (await events(page)).find((e) => e.type === 'failed' || e.type === 'confirmed'), {
        timeout: 10_000,
      })
      .toBeTruthy();
    const outcome = (await events(page)).find((e) => e.type === 'failed' || e.type === 'confirmed')!;
    if (outcome.type === 'failed') expect(outcome.detail).toMatchObject({ status: 200 });
    expect(await uasExit).toBe(0); // INVITE answered, ACK and BYE received, BYE answered
  } finally {
    if (uas.exitCode === null && uas.pid !== undefined) process.kill(uas.pid, 'SIGKILL');
  }
});
