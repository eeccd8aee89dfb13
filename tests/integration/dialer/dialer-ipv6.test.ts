// DIALER.LOCAL_IP set to an IPv6 address: the dialer registers to the server's IPv6 address
// (SERVER_IP6) and calls from there. It registered to the IPv4 one, which its IPv6 socket cannot reach,
// and STR DIALSVC said "503 Service Unavailable", an answer nobody sent (its own transport's error).
// Without SERVER_IP6, STR DIALSVC says what to set. A server on ::1 alone, DIALER.LOCAL_IP empty: the
// dialer's socket bound 0.0.0.0 and its REGISTER never left ("503"); it takes the server's family now.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Appliance } from '../../../core/appliance';
import { dialerLabSettings } from './lab';

/** The checkout, as the installed app: its media/default.wav is the dialer's prompt. */
const CHECKOUT = join(__dirname, '..', '..', '..');

const opened: { a: Appliance; dir: string }[] = [];
afterEach(async () => {
  for (const { a, dir } of opened.splice(0)) {
    await a.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** v6 'only': the server on ::1 alone, DIALER.LOCAL_IP empty (the server's address). */
async function appliance(v6: boolean | 'only'): Promise<Appliance> {
  const s = dialerLabSettings(20);
  if (v6 === 'only') s.set('SIP.HOST', '::1');
  else if (v6) {
    s.set('SIP.HOST', '::');
    s.set('SIP.SERVER_IP', '127.0.0.1');
    s.set('SIP.SERVER_IP6', '::1');
  }
  if (v6 !== 'only') s.set('DIALER.LOCAL_IP', '::1');
  const dir = mkdtempSync(join(tmpdir(), 'ims-dialer-v6-'));
  const a = new Appliance({ dataDir: dir, settings: s, console: false, appDirs: [CHECKOUT] });
  opened.push({ a, dir });
  await a.start();
  return a;
}

const mml = async (a: Appliance, text: string) => (await a.mml.execute(text, 'test'))[0]!;

describe('the dialer on an IPv6 DIALER.LOCAL_IP', () => {
  it('registers to SERVER_IP6', async () => {
    const a = await appliance(true);
    const r = await mml(a, 'STR DIALSVC');
    expect([r.retcode, r.message]).toEqual([0, expect.stringContaining('registered')]);
    const binding = [...a.location.entries()].find(([aor]) => aor.startsWith('sip:0000@'))?.[1][0];
    expect(binding?.sourceAddress).toBe('::1');
    await mml(a, 'STP DIALSVC');
  });

  it("registers from the server's own IPv6 address when DIALER.LOCAL_IP is empty", async () => {
    const a = await appliance('only');
    const r = await mml(a, 'STR DIALSVC');
    expect([r.retcode, r.message]).toEqual([0, expect.stringMatching(/registered from \[::1\]:\d+/)]);
    await mml(a, 'STP DIALSVC');
  });

  it('says what to set when the server has no IPv6 address', async () => {
    const a = await appliance(false); // SIP.HOST 127.0.0.1
    const r = await mml(a, 'STR DIALSVC');
    expect(r.retcode).not.toBe(0);
    expect(r.message).toContain('DIALER.LOCAL_IP ::1 is an IPv6 address and the server has none');
    expect(r.message).not.toContain('503');
  });
});
