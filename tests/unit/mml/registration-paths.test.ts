// DSP REG and Path (RFC 3327 §5.3): bindings registered through an edge proxy are listed a second time,
// in a table of their own with their path vector, so the registrations table keeps its columns; without
// any path there is no second table.
import { describe, expect, it } from 'vitest';
import { binding, openLab, run, useLabs } from './lab';

useLabs();

describe('DSP REG with Path', () => {
  it('lists the path of each binding that has one in a second table, none without a path', async () => {
    const lab = openLab();
    lab.location.put(binding('sip:1001@ims.lab', 'sip:1001@192.0.2.11:5062'));
    expect((await run(lab, 'DSP REG ALL')).tables).toHaveLength(1);
    lab.location.put({
      ...binding('sip:1002@ims.lab', 'sip:1002@10.9.9.9:5064'),
      path: ['<sip:pcscf@192.0.2.50:5090;lr>', '<sip:sbc@192.0.2.60;lr>'],
    });
    const r = await run(lab, 'DSP REG ALL');
    expect(r.tables).toHaveLength(2);
    expect(r.tables[0]!.columns).toHaveLength(10);
    expect(r.tables[0]!.rows).toHaveLength(2);
    expect(r.tables[1]!.title).toBe('Registration paths');
    expect(r.tables[1]!.columns.map((c) => c.name)).toEqual(['AOR', 'Contact', 'Path']);
    expect(r.tables[1]!.rows).toEqual([
      [
        'sip:1002@ims.lab',
        'sip:1002@10.9.9.9:5064',
        '<sip:pcscf@192.0.2.50:5090;lr>, <sip:sbc@192.0.2.60;lr>',
      ],
    ]);
  });
});
