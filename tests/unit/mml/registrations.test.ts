import { describe, expect, it } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import type { RegistrationEvent } from '../../../core/sip/registrar/binding';
import { binding, NOW, openLab, run, useLabs } from './lab';
import type { Lab } from './lab';

useLabs();

function registered(): Lab {
  const lab = openLab();
  lab.location.put(binding('sip:1002@ims.lab', 'sip:1002@192.0.2.20:5070', 60));
  lab.location.put({
    ...binding('sip:1001@ims.lab', 'sip:1001@192.0.2.10:5062', 3600),
    sourceAddress: '2001:db8::1',
  });
  lab.location.put(binding('sip:1001@ims.lab', 'sip:1001@192.0.2.11:5062', 1800));
  lab.location.put(binding('sip:10011@ims.lab', 'sip:10011@192.0.2.12:5062', 120));
  return lab;
}

describe('DSP REG', () => {
  it('lists every binding by AOR and contact, with seconds left and the expiry time', async () => {
    const lab = registered();
    lab.clock.now = NOW + 10_500;
    const r = await run(lab, 'DSP REG ALL');
    expect(r.retcode).toBe(0);
    expect(r.tables[0]!.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'AOR:string',
      'Contact:string',
      'Expires in (s):integer',
      'Expires at:time',
      'Source:string',
      'Transport:string',
      'User agent:string',
      'Registered:time',
    ]);
    // Sorted by AOR as text ('1' sorts before '@'), then contact.
    expect(r.tables[0]!.rows).toEqual([
      [
        'sip:10011@ims.lab',
        'sip:10011@192.0.2.12:5062',
        110,
        NOW + 120_000,
        '192.0.2.10:5062',
        'UDP',
        'Linphone/5.2',
        NOW,
      ],
      [
        'sip:1001@ims.lab',
        'sip:1001@192.0.2.10:5062',
        3590,
        NOW + 3_600_000,
        '[2001:db8::1]:5062',
        'UDP',
        'Linphone/5.2',
        NOW,
      ],
      [
        'sip:1001@ims.lab',
        'sip:1001@192.0.2.11:5062',
        1790,
        NOW + 1_800_000,
        '192.0.2.10:5062',
        'UDP',
        'Linphone/5.2',
        NOW,
      ],
      [
        'sip:1002@ims.lab',
        'sip:1002@192.0.2.20:5070',
        50,
        NOW + 60_000,
        '192.0.2.10:5062',
        'UDP',
        'Linphone/5.2',
        NOW,
      ],
    ]);
    expect(r.tables[0]!.total).toBe(4);
  });

  it('selects by exact user or AOR (not by substring, as the original did), and pages', async () => {
    const lab = registered();
    const contacts = async (text: string) => (await run(lab, text)).tables[0]!.rows.map((row) => row[1]);
    expect(await contacts('DSP REG USERNAME=1001')).toEqual([
      'sip:1001@192.0.2.10:5062',
      'sip:1001@192.0.2.11:5062',
    ]);
    expect(await contacts('DSP REG URI=1002@ims.lab')).toEqual(['sip:1002@192.0.2.20:5070']);
    expect(await contacts('DSP REG:URI="sip:10011@IMS.LAB";')).toEqual(['sip:10011@192.0.2.12:5062']);
    const page = await run(lab, 'DSP REG LIMIT=2 OFFSET=1');
    expect(page.message).toBe('Registrations 2-3 of 4');
    expect(page.tables[0]!.rows.map((row) => row[1])).toEqual([
      'sip:1001@192.0.2.10:5062',
      'sip:1001@192.0.2.11:5062',
    ]);
    expect(await run(lab, 'DSP REG USERNAME=100')).toMatchObject({
      retcode: 0,
      message: 'No registration of user 100',
    });
    expect((await run(lab, 'DSP REG LIMIT=0')).message).toBe(
      'Parameter LIMIT: expected an integer 1..10000, got "0"',
    );
  });

  it('DSP REG STAT counts AORs and bindings', async () => {
    const lab = registered();
    expect((await run(lab, 'DSP REG STAT')).tables[0]!.rows).toEqual([[3, 4, 4 / 3]]);
    expect((await run(openLab(), 'dsp reg stat')).tables[0]!.rows).toEqual([[0, 0, 0]]);
  });
});

describe('RMV REG', () => {
  it('removes the bindings of a user after CONFIRM=YES, as the operator, persisted', async () => {
    const lab = registered();
    const events: RegistrationEvent[] = [];
    lab.location.on((e) => events.push(e));
    expect(await run(lab, 'RMV REG USERNAME=1001')).toMatchObject({ retcode: RETCODE.CONFIRM_REQUIRED });
    expect(lab.location.bindingCount).toBe(4);

    expect(await run(lab, 'RMV REG USERNAME=1001 CONFIRM=YES')).toMatchObject({
      retcode: 0,
      message: 'Removed 2 registration(s) of sip:1001@ims.lab',
    });
    expect(events.map((e) => [e.type, e.cause, e.binding.contact])).toEqual([
      ['removed', 'operator', 'sip:1001@192.0.2.10:5062'],
      ['removed', 'operator', 'sip:1001@192.0.2.11:5062'],
    ]);
    lab.location.flush();
    expect(
      lab.bindings
        .loadAll()
        .map((b) => b.aor)
        .sort(),
    ).toEqual(['sip:10011@ims.lab', 'sip:1002@ims.lab']);
  });

  it('removes by URI, and names what it cannot find', async () => {
    const lab = registered();
    expect((await run(lab, 'RMV REG URI=sip:1002@ims.lab CONFIRM=YES')).message).toBe(
      'Removed 1 registration(s) of sip:1002@ims.lab',
    );
    expect(await run(lab, 'RMV REG URI=sip:1002@ims.lab CONFIRM=YES')).toMatchObject({
      retcode: RETCODE.NOT_FOUND,
      message: 'No registration of URI sip:1002@ims.lab',
    });
    expect(await run(lab, 'RMV REG CONFIRM=YES')).toMatchObject({
      retcode: RETCODE.PARAMETER_ERROR,
      message: 'RMV REG needs at least one of USERNAME, URI',
    });
    expect(await run(lab, 'RMV REG USERNAME=1001 URI=sip:1001@ims.lab CONFIRM=YES')).toMatchObject({
      retcode: RETCODE.PARAMETER_ERROR,
      message: 'Give USERNAME or URI, not both',
    });
    expect(lab.location.bindingCount).toBe(3);
  });
});

describe('CLR REG', () => {
  it('removes everything after CONFIRM=YES', async () => {
    const lab = registered();
    expect(await run(lab, 'CLR REG ALL')).toMatchObject({
      retcode: RETCODE.CONFIRM_REQUIRED,
      message: 'CLR REG cannot be undone: add CONFIRM=YES to carry it out',
    });
    expect(await run(lab, 'CLR REG ALL CONFIRM=YES')).toMatchObject({
      retcode: 0,
      message: 'Removed all 4 registration(s) of 3 AOR(s)',
    });
    expect(lab.location.bindingCount).toBe(0);
    lab.location.flush();
    expect(lab.bindings.loadAll()).toEqual([]);
  });
});
