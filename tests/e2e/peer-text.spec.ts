// What a SIP peer wrote, in the console in Debian's Chromium against the built headless server: its
// bidi overrides, isolates and zero-width characters (a display name "\u202Egnp.exe\u200B", a User-Agent
// "Phone \u202Ekcatta") are shown as marked escapes in the Registrations table and the Trace view's
// message text, so that they cannot reorder what follows them (the From line drew its URI and tag
// reversed, the User-Agent read "attack"); an Arabic display name stays as written.
import { expect, test, type Page } from '@playwright/test';
import { createHash, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ROOT,
  logIn,
  requireBuild,
  startLabServer,
  stopLabServer,
  type LabServer,
  openView,
} from './lab-console';

const SHOTS = path.join(ROOT, 'test-results/peer-text');
const CALL_ID = 'bidi-reg@e2e';
const NAME = 'مرحبا \u202egnp.exe\u200b';
const UA = 'Phone \u202ekcatta \u2066x\u2069';
/** None of the characters that reorder or hide text may be left in what the page shows. */
const HIDDEN = /[\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let server: LabServer | undefined;
let dataDir: string;
let page: Page;

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 820 } });

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/** REGISTERs 1001 (its default password) over UDP with the hostile From and User-Agent; the final status. */
async function register(): Promise<number> {
  const { host, port } = server!.sip;
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const local = socket.address().port;
  const uri = `sip:${host}:${port}`;
  const send = (cseq: number, authorization?: string): Promise<string> => {
    const answered = new Promise<string>((resolve) =>
      socket.on('message', function final(m) {
        const text = m.toString('utf8');
        if (/^SIP\/2\.0 [2-6]/.test(text) && text.includes(`CSeq: ${cseq} REGISTER`)) {
          socket.off('message', final);
          resolve(text);
        }
      }),
    );
    const request = [
      `REGISTER ${uri} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-bidi-${cseq}-${Date.now()};rport`,
      'Max-Forwards: 70',
      `From: "${NAME}" <sip:1001@${host}>;tag=fa735e23d`,
      `To: <sip:1001@${host}>`,
      `Call-ID: ${CALL_ID}`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:1001@127.0.0.1:${local}>`,
      'Expires: 3600',
      `User-Agent: ${UA}`,
      ...(authorization === undefined ? [] : [`Authorization: ${authorization}`]),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    socket.send(Buffer.from(request, 'utf8'), port, host);
    return answered;
  };
  try {
    const challenge = await send(1);
    const md5Challenge = challenge
      .split('\r\n')
      .find((l) => /^WWW-Authenticate: Digest /i.test(l) && !/algorithm=SHA-256/i.test(l))!;
    const param = (n: string) => new RegExp(`${n}="?([^",]+)"?`).exec(md5Challenge)![1]!;
    const realm = param('realm');
    const nonce = param('nonce');
    const cnonce = randomBytes(8).toString('hex');
    const nc = '00000001';
    const response = md5(
      `${md5(`1001:${realm}:1001`)}:${nonce}:${nc}:${cnonce}:auth:${md5(`REGISTER:${uri}`)}`,
    );
    const opaque = /opaque="([^"]*)"/.exec(md5Challenge)?.[1];
    const authorization =
      `Digest username="1001", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", ` +
      `algorithm=MD5, qop=auth, nc=${nc}, cnonce="${cnonce}"${opaque === undefined ? '' : `, opaque="${opaque}"`}`;
    return Number(/^SIP\/2\.0 (\d+)/.exec(await send(2, authorization))![1]);
  } finally {
    socket.close();
  }
}

test.beforeAll(async ({ browser }) => {
  requireBuild();
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-peer-text-'));
  server = await startLabServer(dataDir);
  page = await browser.newPage();
  await logIn(page, server.baseUrl);
  expect(await register()).toBe(200);
});

test.afterAll(async () => {
  await page?.close();
  await stopLabServer(server);
  rmSync(dataDir, { recursive: true, force: true });
});

const open = (name: string) => openView(page, name);

test('Registrations: the User-Agent shows its bidi override and isolates as marked escapes', async () => {
  await open('Registrations');
  const row = page.getByRole('table', { name: 'Registrations' }).getByRole('row', { name: /1001/ });
  const ua = row.getByRole('cell').filter({ hasText: 'kcatta' });
  await expect(ua).toHaveText('Phone \\u202Ekcatta \\u2066x\\u2069');
  await expect(ua.locator('.peer-escape')).toHaveCount(3);
  // Its tooltip (an attribute holds no markup) says the same in plain escapes.
  await expect(ua.locator('span[title]').first()).toHaveAttribute(
    'title',
    'Phone \\u202Ekcatta \\u2066x\\u2069',
  );
  expect(await row.textContent()).not.toMatch(HIDDEN);
});

test('Trace: the message text shows the From line and User-Agent with escapes, the Arabic name as written', async () => {
  await open('Trace');
  const list = page.getByRole('table', { name: 'SIP dialogs' });
  await list.getByRole('row', { name: new RegExp(CALL_ID) }).click();
  const ladder = page.getByRole('region', { name: /^Ladder of / });
  await ladder
    .getByRole('button', { name: /^#\d+ REGISTER/ })
    .first()
    .click();
  const message = page.getByRole('region', { name: /^Message #\d+$/ });
  await expect(message).toContainText(
    'From: "مرحبا \\u202Egnp.exe\\u200B" <sip:1001@127.0.0.1>;tag=fa735e23d',
  );
  await expect(message).toContainText('User-Agent: Phone \\u202Ekcatta \\u2066x\\u2069');
  expect(await message.textContent()).not.toMatch(HIDDEN);
  await expect(message.locator('.peer-escape').first()).toBeVisible();
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, 'en-dark-trace-message.png') });
});
