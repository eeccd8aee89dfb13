// The auto dialer calling a real phone: baresip (answermode=auto) registered as 2002 answers the
// dialer's call, media flows both ways (baresip reports RTP from the dialer; the dialer counts and
// records baresip's tone), DTMF digits reach the phone as RFC 4733 events, the dialer hangs up with
// BYE after DURATION and the CDR row is the dialer's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Appliance } from '../../../core/appliance';
import { dialerLabSettings } from './lab';
import { readPrompt } from '../../../core/media/wav';
import { BaresipUa, HAS_BARESIP, writeToneWav } from '../proxy/baresip-ua';

/** The checkout, as the installed app: its media/default.wav is the dialer's prompt. */
const CHECKOUT = join(__dirname, '..', '..', '..');

let a: Appliance;
let dir: string;
let phone: BaresipUa | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ims-dialer-baresip-'));
  const s = dialerLabSettings(100);
  a = new Appliance({ dataDir: dir, settings: s, console: false, appDirs: [CHECKOUT] });
  await a.start();
  a.users.add({ username: '2002', password: 'pw-2002' });
});

afterEach(async () => {
  await phone?.stop();
  phone = undefined;
  await a.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!HAS_BARESIP)('auto dialer and a baresip phone', () => {
  it('calls baresip, streams G.711 both ways, hangs up with BYE after DURATION', async () => {
    writeToneWav(join(dir, 'tone.wav'), 20);
    phone = await BaresipUa.start({
      dir: join(dir, 'phone'),
      user: '2002',
      password: 'pw-2002',
      server: { host: '127.0.0.1', port: a.transport.udpPort },
      accountParams: ';answermode=auto',
      wav: join(dir, 'tone.wav'),
    });
    await until('baresip to register', () =>
      [...a.location.entries()].some(([aor, b]) => aor.includes('2002') && b.length > 0),
    );
    expect((await a.mml.execute('STR DIALSVC', 'test'))[0]!.retcode).toBe(0);
    const [placed] = await a.mml.execute(
      'STR CALL SINGLE CALLEE=2002 DURATION=3 DTMF=12# RECORD=YES',
      'test',
    );
    expect(placed!.retcode, placed!.message).toBe(0);
    const id = /campaign (C\d+)/.exec(placed!.message)![1]!;
    await phone.event('CALL_ESTABLISHED', 10_000);
    await phone.event('CALL_RTPESTAB', 5000); // the dialer's RTP reached the phone
    const closed = await phone.event('CALL_CLOSED', 10_000); // our BYE after 3 s
    expect(closed.param ?? '').not.toMatch(/error/i);
    await until('the campaign to finish', () => a.dialer.campaign(id)?.state === 'finished');
    const r = a.dialer.campaign(id)!.recent[0]!;
    expect(r).toMatchObject({ number: '2002', status: 200, answered: true, end: 'local', rtpSent: 150 });
    // The digits reached the phone as RFC 4733 events (baresip reports each one it decodes).
    const digits = phone.events.filter((e) => e.type === 'CALL_DTMF_START').map((e) => e.param);
    expect(digits, phone.describe()).toEqual(['1', '2', '#']);
    // RECORD=YES: what the phone sent, as a WAV file of the call.
    expect(r.recording).toMatch(/recordings\/C0001\/2002-.*\.wav$/);
    const rec = await readPrompt(r.recording!);
    expect(rec.samples.length).toBeGreaterThan(8000); // more than a second of baresip's tone
    expect(r.rtpReceived).toBeGreaterThan(50); // baresip's tone came back
    expect(r.rtpLost).toBe(0);
    a.cdrRecorder.flush();
    const row = (await a.cdr.page({})).records.find((x) => x.record_type === 'CALL')!;
    expect(row).toMatchObject({ call_state: 'ENDED', call_type: 'AUDIO', callee_number: '2002' });
    expect(row.callee_user_agent).toMatch(/^baresip/);
  }, 60_000);
});
