// DSP REG and devices (RFC 5626 §4.1, RFC 5627): the bindings of phones that name their device with a
// +sip.instance are listed again in a table of their own with the instance, the flow (reg-id) and the
// public GRUU that reaches that device only; without any there is no such table. In 中文 too.
import { describe, expect, it } from 'vitest';
import { binding, openLab, run, useLabs } from './lab';

useLabs();

const INSTANCE = 'urn:uuid:4427aefb-9dd6-0095-a890-54633b5bb463';

describe('DSP REG with devices', () => {
  it('lists the device, flow and public GRUU of each binding with an instance ID', async () => {
    const lab = openLab();
    lab.location.put(binding('sip:1001@ims.lab', 'sip:1001@192.0.2.11:5062'));
    expect((await run(lab, 'DSP REG ALL')).tables).toHaveLength(1);
    lab.location.put({
      ...binding('sip:1002@ims.lab', 'sip:1002@10.9.9.9:5064'),
      contactParams: `;reg-id=2;+sip.instance="<${INSTANCE.toUpperCase()}>"`,
    });
    const r = await run(lab, 'DSP REG ALL');
    expect(r.tables).toHaveLength(2);
    expect(r.tables[0]!.rows).toHaveLength(2);
    expect(r.tables[1]!.title).toBe('Registration devices');
    expect(r.tables[1]!.columns.map((c) => c.name)).toEqual([
      'AOR',
      'Contact',
      'Instance',
      'Flow (reg-id)',
      'Public GRUU',
    ]);
    expect(r.tables[1]!.rows).toEqual([
      ['sip:1002@ims.lab', 'sip:1002@10.9.9.9:5064', INSTANCE, '2', `sip:1002@ims.lab;gr=${INSTANCE}`],
    ]);
  });
});
