// README: /api/mml's `next`, "when there is a next page, the statement that shows it". Only DSP CDR set
// it; DSP USER and DSP HISTORY said the next page in the message only (in the answer's language), DSP
// REG not at all. A script pages any DSP list by following `next` until it is absent.
import { describe, expect, it } from 'vitest';
import type { MmlResult } from '../../../core/mml/command';
import { binding, openLab, run, useLabs } from './lab';
import type { Lab } from './lab';

useLabs();

/** Every page from `first` on, following `next`; at most `most` pages. */
async function pages(lab: Lab, first: string, most = 50, who = 'tester'): Promise<MmlResult[]> {
  const out: MmlResult[] = [];
  for (let text: string | undefined = first; text !== undefined && out.length < most;) {
    const [r] = await lab.engine.execute(text, who, { lang: 'zh' });
    expect(r!.retcode, `${text}: ${r!.message}`).toBe(0);
    out.push(r!);
    text = r!.next;
  }
  return out;
}

const firstColumn = (rs: MmlResult[]): unknown[] => rs.flatMap((r) => r.tables[0]!.rows.map((row) => row[0]));

describe('next: the statement of the next page', () => {
  it('DSP USER: every user once, filters kept, none after the last page', async () => {
    const lab = openLab();
    const names = Array.from({ length: 33 }, (_, i) => String(1000 + i));
    for (const n of [...names, '6000', '6001', '6002', '6003']) lab.users.add({ username: n, password: 'p' });
    const all = await pages(lab, 'DSP USER LIMIT=7');
    expect(all).toHaveLength(6);
    expect(all[0]!.next).toBe('DSP USER LIMIT=7 OFFSET=7');
    expect(all[0]!.tables[0]!.total).toBe(37);
    expect(firstColumn(all)).toEqual([...names, '6000', '6001', '6002', '6003']);
    expect(all.at(-1)!.next).toBeUndefined();

    const sixty = await pages(lab, 'DSP USER PREFIX=60 LIMIT=3');
    expect(sixty.map((r) => r.next)).toEqual(['DSP USER PREFIX=60 LIMIT=3 OFFSET=3', undefined]);
    expect(firstColumn(sixty)).toEqual(['6000', '6001', '6002', '6003']);
    // A value that needs quotes is quoted, so that the statement reads back the same.
    lab.users.update('6001', { displayName: 'a b' });
    lab.users.update('6002', { displayName: 'a b' });
    const spaced = await run(lab, 'DSP USER SEARCH="a b" STATUS=ACTIVE LIMIT=1');
    expect(spaced.next).toBe('DSP USER STATUS=ACTIVE SEARCH="a b" LIMIT=1 OFFSET=1');
    expect((await run(lab, 'DSP USER ALL')).next).toBeUndefined();
    expect((await run(lab, 'DSP USER USERNAME=1001')).next).toBeUndefined();
    expect((await run(lab, 'DSP USER OFFSET=99')).next).toBeUndefined();
  });

  it('DSP REG pages by OFFSET too', async () => {
    const lab = openLab();
    for (let i = 0; i < 5; i++)
      lab.location.put(binding('sip:1001@ims.lab', `sip:1001@192.0.2.${10 + i}:5062`));
    lab.location.put(binding('sip:1002@ims.lab', 'sip:1002@192.0.2.20:5062'));
    const all = await pages(lab, 'DSP REG LIMIT=2');
    expect(all.map((r) => r.next)).toEqual([
      'DSP REG LIMIT=2 OFFSET=2',
      'DSP REG LIMIT=2 OFFSET=4',
      undefined,
    ]);
    expect(all.flatMap((r) => r.tables[0]!.rows.map((row) => row[2]))).toHaveLength(6);
    const mine = await run(lab, 'DSP REG USERNAME=1001 LIMIT=4');
    expect(mine.next).toBe('DSP REG USERNAME=1001 LIMIT=4 OFFSET=4');
    expect((await run(lab, 'DSP REG ALL')).next).toBeUndefined();
  });

  it('DSP HISTORY: older pages by BEFORE=, every command once, and a total', async () => {
    const lab = openLab();
    for (let i = 0; i < 9; i++)
      await lab.engine.execute(`DSP USER USERNAME=${2000 + i}`, i % 3 === 0 ? 'alice' : 'bob');
    const all = await pages(lab, 'DSP HISTORY LIMIT=4');
    expect(all.map((r) => r.next)).toEqual([
      'DSP HISTORY BEFORE=6 LIMIT=4',
      'DSP HISTORY BEFORE=2 LIMIT=4',
      undefined,
    ]);
    // Each page is recorded after it ran: the first page's total is the 9 commands before it.
    expect(all[0]!.tables[0]!.total).toBe(9);
    expect(firstColumn(all).sort((a, b) => Number(a) - Number(b))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const alice = await run(lab, 'DSP HISTORY LIMIT=2 WHO=alice');
    expect(alice.next).toBe('DSP HISTORY BEFORE=4 LIMIT=2 WHO="alice"');
    expect(alice.tables[0]!.total).toBe(3);
    expect((await run(lab, alice.next!)).tables[0]!.rows.map((row) => row[0])).toEqual([1]);
    expect((await run(lab, 'DSP HISTORY')).next).toBeUndefined();
  });
});
