// Numbers written as people write them (+49-30-1, "+49 30 1234-5", (030) 99-88) are dialled as a phone
// dials them, without their visual separators (RFC 3966 §5.1.1), the + kept: the INVITE goes to
// sip:+49301@..., the user of that number, wherever the numbers came from (NUMBERS=, CALLEE=, a FILE).
// Before, +49-30-1 went as the user "+49-30-1" (404 where +49301 is the lab's user).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignId, until, useDialerLab, type DialerLab } from './lab';

let lab: DialerLab;

useDialerLab((l) => (lab = l), { started: true });

async function dialled(command: string): Promise<string[]> {
  const r = await lab.mml(command);
  expect(r.retcode, r.message).toBe(0);
  const id = campaignId(r);
  await until(`${id} to finish`, () => lab.a.dialer.campaign(id)?.state === 'finished');
  return lab.a.dialer
    .campaign(id)!
    .recent.map((c) => `${c.number} ${c.status}`)
    .sort();
}

describe('numbers written with visual separators', () => {
  it('are dialled without them, as the users they name (480: known, not registered)', async () => {
    for (const n of ['+49301', '+493012345', '0309988'])
      lab.a.users.add({ username: n, password: 'pw-written' });
    expect(await dialled('STR CALL BATCH NUMBERS="+49-30-1,(030) 99-88" DURATION=1')).toEqual([
      '+49301 480',
      '0309988 480',
    ]);
    expect(await dialled('STR CALL SINGLE CALLEE=+49.30.1 DURATION=1')).toEqual(['+49301 480']);
    writeFileSync(join(lab.dir, 'written.csv'), 'MSISDN,Name\n"+49 30 1234-5",Alice\n+49-30-1,Bob\n');
    expect(await dialled('STR CALL BATCH FILE=written.csv DURATION=1')).toEqual([
      '+49301 480',
      '+493012345 480',
    ]);
    const rows = (await lab.a.cdr.page({})).records.filter((r) => r.record_type === 'CALL');
    expect(new Set(rows.map((r) => r.callee_number))).toEqual(new Set(['+49301', '0309988', '+493012345']));
  });
});
