// The CDR list shows the answer to its latest read, whatever order the answers come in. At volume a
// Call-ID part scans the day and is answered after the read sent when the operator cleared it: the list
// showed the older query's rows ("Showing 1–2 of 2") under empty filters, and Export disagreed with it.
// Here the Call-ID part's answer is held back on the console's WebSocket (Playwright's routeWebSocket)
// until the newer read is answered, against the built headless server with a day of the original's CDR
// file imported at start-up. Screenshot under test-results/cdr-answer-order/.
import { expect, test, type Page, type WebSocketRoute } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { logIn, requireBuild, ROOT, startLabServer, stopLabServer, type LabServer } from './lab-console';

const SHOTS = path.join(ROOT, 'test-results/cdr-answer-order');
const DAY = '2026-11-15';
/** The original's 34 CDR columns (reference/original-server.md). */
const COLUMNS =
  'record_id,record_type,call_state,date,start_time,end_time,call_id,caller_uri,caller_number,caller_ip,caller_port,callee_uri,callee_number,callee_ip,callee_port,duration,setup_time,status_code,status_text,termination_reason,invite_time,ringing_time,answer_time,bye_time,call_type,codec,user_agent,contact,expires,message_body,server_ip,server_port,cseq,extra_info'.split(
    ',',
  );
const ROWS = 12;

let server: LabServer | undefined;
let dataDir: string;
let page: Page;

/** The original's day file: 12 failed calls, the Call-IDs of two holding "SlowPart". */
function writeDayFile(): void {
  const dir = path.join(dataDir, 'CDR', DAY);
  mkdirSync(dir, { recursive: true });
  const lines = [COLUMNS.join(',')];
  for (let i = 0; i < ROWS; i++) {
    const time = `10:00:${String(10 + i)}`;
    const row: Record<string, string> = {
      record_id: `20261115100${String(10 + i)}00000${i}`,
      record_type: 'CALL',
      call_state: 'FAILED',
      date: DAY,
      start_time: time,
      end_time: time,
      call_id: i % 6 === 0 ? `SlowPart-${i}@10.0.0.9` : `call-${i}@10.0.0.9`,
      caller_uri: '<sip:2001@10.0.0.1>;tag=1',
      caller_number: '2001',
      callee_uri: '<sip:2002@10.0.0.1>',
      callee_number: '2002',
      status_code: '486',
      status_text: 'Busy Here',
      termination_reason: '486 Busy Here',
      call_type: 'AUDIO',
      cseq: '1 INVITE',
    };
    lines.push(COLUMNS.map((c) => row[c] ?? '').join(','));
  }
  writeFileSync(path.join(dir, `cdr_${DAY}.csv`), `${lines.join('\n')}\n`);
}

test.beforeAll(async () => {
  requireBuild();
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(path.join(tmpdir(), 'ims-e2e-cdr-order-'));
  writeDayFile();
  server = await startLabServer(dataDir);
});

test.afterAll(async () => {
  await page?.close();
  await stopLabServer(server);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('an older, slower answer (a Call-ID part) does not replace the answer to the filters shown', async ({
  browser,
}) => {
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // The answers to cdr reads with a Call-ID are held back until released; the page marks when one
  // handled has been handled (a task after its message event: the view's code has run by then).
  const held: { id: number; text: string }[] = [];
  let holdCallIds = false;
  const slow = new Set<number>();
  /** The cdr reads sent: id and Call-ID. */
  const reads: { id: number; callId?: string }[] = [];
  let toPage: WebSocketRoute | undefined;
  await page.routeWebSocket(/\/ws/, (ws) => {
    toPage = ws;
    const srv = ws.connectToServer();
    ws.onMessage((m) => {
      const msg = JSON.parse(String(m)) as { id?: number; name?: string; query?: { callId?: string } };
      if (msg.name === 'cdr') reads.push({ id: msg.id!, callId: msg.query?.callId });
      if (holdCallIds && msg.name === 'cdr' && msg.query?.callId !== undefined) slow.add(msg.id!);
      srv.send(m);
    });
    srv.onMessage((m) => {
      const id = (JSON.parse(String(m)) as { id?: number }).id;
      if (id !== undefined && slow.has(id)) held.push({ id, text: String(m) });
      else ws.send(m);
    });
  });
  // In the page (a string: the tests are type-checked without the DOM's types).
  await page.addInitScript({
    content: `window.handled = [];
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(url, protocols) {
          super(url, protocols);
          this.addEventListener('message', (e) => {
            const id = JSON.parse(String(e.data)).id;
            if (id !== undefined) setTimeout(() => window.handled.push(id), 0);
          });
        }
      };`,
  });
  /** Waits until the page has handled the answer `id` and drawn what it did with it. */
  const handled = async (id: number): Promise<void> => {
    type InPage = { handled: number[]; requestAnimationFrame(f: () => void): void };
    await page.waitForFunction((n) => (globalThis as unknown as InPage).handled.includes(n), id);
    await page.evaluate(() => {
      const w = globalThis as unknown as InPage;
      return new Promise<void>((r) => w.requestAnimationFrame(() => w.requestAnimationFrame(r)));
    });
  };
  await logIn(page, server!.baseUrl);
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: 'CDR', exact: true })
    .click();
  await page.getByLabel('Day', { exact: true }).fill(DAY);
  // The day's file is imported at start-up, in the background: Refresh until it is all there.
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByText(`Showing 1–${ROWS} of ${ROWS}`)).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });

  // A part of a Call-ID: its answer is slow (held).
  holdCallIds = true;
  await page.getByLabel('Call-ID', { exact: true }).fill('slowpart');
  await expect.poll(() => held.length).toBe(1);
  // Cleared before it came: the day's rows, read once typing pauses and answered at once.
  const cleared = reads.length;
  await page.getByLabel('Call-ID', { exact: true }).fill('');
  await expect.poll(() => reads.slice(cleared).find((r) => r.callId === undefined)).toBeDefined();
  await handled(reads.slice(cleared).find((r) => r.callId === undefined)!.id);
  expect(await page.locator('.pager').innerText()).toContain(`Showing 1–${ROWS} of ${ROWS}`);
  // Now the older answer comes; the page handles it.
  const late = held.shift()!;
  toPage!.send(late.text);
  await handled(late.id);
  // The list still shows the filters shown: every row of the day, the count agreeing. Read once, not
  // retried (a later reload, after the import's change event, would put the day back by itself).
  expect(await page.locator('.pager').innerText()).toContain(`Showing 1–${ROWS} of ${ROWS}`);
  expect(await page.getByRole('table', { name: 'CDR' }).locator('tbody tr').count()).toBe(ROWS);
  await expect(page.getByLabel('Call-ID', { exact: true })).toHaveValue('');
  await page.screenshot({ path: path.join(SHOTS, 'cdr-after-late-answer.png') });
});
