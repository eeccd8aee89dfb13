import { describe, expect, it } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import type { RegistrationEvent } from '../../../core/sip/registrar/binding';
import { binding, NOW, openLab, run, useLabs } from './lab';
import type { Lab } from './lab';
import { turnsDuring } from '../../support/turns';
import { renderText } from '../../../core/mml/text';

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
  it("takes USERNAME= as long as a user name may be (ADD USER's limit), not longer", async () => {
    const lab = openLab();
    const allowed = async (command: string): Promise<unknown> =>
      (await run(lab, `HELP ${command}`)).tables[0]!.rows.find((r) => r[0] === 'USERNAME')![4];
    expect(await allowed('DSP REG')).toBe('text of 1..64 characters');
    expect(await allowed('RMV REG')).toBe(await allowed('ADD USER'));
    expect((await run(lab, `DSP REG USERNAME=${'1'.repeat(65)}`)).retcode).toBe(RETCODE.PARAMETER_ERROR);
  });

  it('lists every binding by AOR and contact, with seconds left and the expiry time', async () => {
    const lab = registered();
    lab.clock.now = NOW + 10_500;
    const r = await run(lab, 'DSP REG ALL');
    expect(r.retcode).toBe(0);
    expect(r.tables[0]!.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'AOR:string',
      'Registered as:string',
      'Contact:string',
      'Expires in (s):integer',
      'Expires at:time',
      'Source:string',
      'Transport:string',
      'User agent:string',
      'Registered:time',
      'q:string',
    ]);
    // Sorted by AOR as text ('1' sorts before '@'), then contact.
    expect(r.tables[0]!.rows).toEqual([
      [
        'sip:10011@ims.lab',
        'sip:10011@ims.lab',
        'sip:10011@192.0.2.12:5062',
        110,
        NOW + 120_000,
        '192.0.2.10:5062',
        'UDP',
        'Linphone/5.2',
        NOW,
        null,
      ],
      [
        'sip:1001@ims.lab',
        'sip:1001@ims.lab',
        'sip:1001@192.0.2.10:5062',
        3590,
        NOW + 3_600_000,
        '[2001:db8::1]:5062',
        'UDP',
        'Linphone/5.2',
        NOW,
        null,
      ],
      [
        'sip:1001@ims.lab',
        'sip:1001@ims.lab',
        'sip:1001@192.0.2.11:5062',
        1790,
        NOW + 1_800_000,
        '192.0.2.10:5062',
        'UDP',
        'Linphone/5.2',
        NOW,
        null,
      ],
      [
        'sip:1002@ims.lab',
        'sip:1002@ims.lab',
        'sip:1002@192.0.2.20:5070',
        50,
        NOW + 60_000,
        '192.0.2.10:5062',
        'UDP',
        'Linphone/5.2',
        NOW,
        null,
      ],
    ]);
    expect(r.tables[0]!.total).toBe(4);
  });

  it("shows each contact's q (RFC 3261 §10.2.1.2) as registered, in the table and in the one-row form", async () => {
    const lab = openLab();
    lab.location.put({ ...binding('sip:1003@ims.lab', 'sip:1003@192.0.2.40:5072'), q: 0.2 });
    lab.location.put({ ...binding('sip:1003@ims.lab', 'sip:1003@192.0.2.41:5072'), q: 0.125 });
    lab.location.put(binding('sip:1003@ims.lab', 'sip:1003@192.0.2.42:5072'));
    const all = await run(lab, 'DSP REG USERNAME=1003');
    expect(all.tables[0]!.rows.map((row) => [row[2], row.at(-1)])).toEqual([
      ['sip:1003@192.0.2.40:5072', '0.2'],
      ['sip:1003@192.0.2.41:5072', '0.125'],
      ['sip:1003@192.0.2.42:5072', null],
    ]);
    const one = await run(lab, 'DSP REG URI="sip:1003@192.0.2.40:5072"');
    expect(renderText(one)).toMatch(/^\s*q\s+=\s+0\.2$/m);
    const [zh] = await lab.engine.execute('DSP REG URI="sip:1003@192.0.2.40:5072"', 'tester', { lang: 'zh' });
    expect(renderText(zh!)).toMatch(/^\s*q 值\s+=\s+0\.2$/m);
    expect(renderText(await run(lab, 'DSP REG URI="sip:1003@192.0.2.42:5072"'))).toMatch(/^\s*q\s+=\s+-$/m);
  });

  it('selects by exact user or AOR, and pages', async () => {
    const lab = registered();
    const contacts = async (text: string) => (await run(lab, text)).tables[0]!.rows.map((row) => row[2]);
    expect(await contacts('DSP REG USERNAME=1001')).toEqual([
      'sip:1001@192.0.2.10:5062',
      'sip:1001@192.0.2.11:5062',
    ]);
    expect(await contacts('DSP REG URI=1002@ims.lab')).toEqual(['sip:1002@192.0.2.20:5070']);
    expect(await contacts('DSP REG:URI="sip:10011@IMS.LAB";')).toEqual(['sip:10011@192.0.2.12:5062']);
    const page = await run(lab, 'DSP REG LIMIT=2 OFFSET=1');
    expect(page.message).toBe('Registrations 2-3 of 4');
    expect(page.tables[0]!.rows.map((row) => row[2])).toEqual([
      'sip:1001@192.0.2.10:5062',
      'sip:1001@192.0.2.11:5062',
    ]);
    expect(await run(lab, 'DSP REG USERNAME=100')).toMatchObject({
      retcode: RETCODE.NOT_FOUND,
      message: 'No registration of user 100',
    });
    expect((await run(lab, 'DSP REG LIMIT=0')).message).toBe(
      'Parameter LIMIT: expected an integer 1..10000, got "0"',
    );
  });

  it('lists every registration for DSP REG ALL, as the original did (100 a page otherwise)', async () => {
    const lab = openLab();
    for (let i = 0; i < 151; i++)
      lab.location.put(binding(`sip:${5000 + i}@ims.lab`, `sip:${5000 + i}@192.0.2.30:${6000 + i}`, 600));
    expect((await run(lab, 'DSP REG')).message).toBe('Registrations 1-100 of 151');
    const all = await run(lab, 'DSP REG ALL');
    expect(all.tables[0]!.rows).toHaveLength(151);
    expect(all.message).toBe('Operation succeeded');
    expect((await run(lab, 'DSP REG ALL LIMIT=10')).message).toBe('Registrations 1-10 of 151');
  });

  it('finds a registration by the AOR as registered, by contact URI and by the original substring rule', async () => {
    const lab = registered();
    lab.location.put({
      ...binding('sip:1003@ims.lab', 'sip:1003@127.0.0.1:26061;transport=udp'),
      registeredAor: 'sip:1003@127.0.0.1:26060',
    });
    lab.location.put(binding('sip:91003@ims.lab', 'sip:91003@192.0.2.30:5060'));
    const found = async (text: string) => {
      const r = await run(lab, text);
      expect(r.retcode, r.message).toBe(0);
      return r.tables[0]!.rows.map((row) => [row[0], row[1], row[2]]);
    };
    const mine = [['sip:1003@ims.lab', 'sip:1003@127.0.0.1:26060', 'sip:1003@127.0.0.1:26061;transport=udp']];
    // As the phone registered it (shown beside the canonical AOR), canonical, and by contact.
    expect(await found('DSP REG URI=sip:1003@127.0.0.1:26060')).toEqual(mine);
    expect(await found('DSP REG URI=1003@127.0.0.1:26060')).toEqual(mine);
    expect(await found('DSP REG URI=sip:1003@ims.lab')).toEqual(mine);
    expect(await found('DSP REG URI="sip:1003@127.0.0.1:26061;transport=udp"')).toEqual(mine);
    expect(await found('DSP REG URI=sip:1003@127.0.0.1:26061')).toEqual(mine);
    // The original's rule: no @ and no sip: is a substring of the AOR, so 1003 also finds 91003.
    expect((await found('DSP REG URI=1003')).map((r) => r[0])).toEqual([
      'sip:1003@ims.lab',
      'sip:91003@ims.lab',
    ]);
    expect((await found('DSP REG URI=26060')).map((r) => r[0])).toEqual(['sip:1003@ims.lab']);
    // Not found is RETCODE 5, as DSP USER and DSP CALL answer.
    expect(await run(lab, 'DSP REG URI=sip:1003@127.0.0.1:9999')).toMatchObject({
      retcode: RETCODE.NOT_FOUND,
    });
    expect((await run(lab, 'DSP USER USERNAME=4242')).retcode).toBe(RETCODE.NOT_FOUND);
    // RMV REG by the registered AOR removes that binding only.
    expect(await run(lab, 'RMV REG URI=sip:1003@127.0.0.1:26060 CONFIRM=YES')).toMatchObject({
      retcode: 0,
      message: 'Removed 1 registration(s) of sip:1003@ims.lab',
    });
    expect(lab.location.lookup('sip:1003@ims.lab')).toEqual([]);
    expect(lab.location.lookup('sip:91003@ims.lab')).toHaveLength(1);
    // Kept across a restart (the bindings table stores it).
    lab.location.put({ ...binding('sip:1004@ims.lab', 'sip:1004@h:1'), registeredAor: 'sip:1004@10.0.0.1' });
    lab.location.flush();
    expect(lab.bindings.loadAll().find((b) => b.aor === 'sip:1004@ims.lab')?.registeredAor).toBe(
      'sip:1004@10.0.0.1',
    );
  });

  it('shows "-" for an AOR as registered an older IMS Lab did not keep, and finds it by its user', async () => {
    const lab = registered();
    // Stored by an IMS Lab of schema 3: what the phone sent in To is not known.
    lab.location.put({
      ...binding('sip:1003@ims.lab', 'sip:1003@127.0.0.1:26061'),
      registeredAorUnknown: true,
    });
    const r = await run(lab, 'DSP REG USERNAME=1003');
    expect(r.tables[0]!.rows.map((row) => [row[0], row[1]])).toEqual([['sip:1003@ims.lab', '-']]);
    // What the phone sent, whatever it was, names the user: the canonical AOR stands for it.
    for (const uri of ['sip:1003@127.0.0.1:26060', '1003@192.0.2.1', 'sip:1003@ims.lab']) {
      const found = await run(lab, `DSP REG URI=${uri}`);
      expect([found.retcode, found.tables[0]?.rows.map((row) => row[2])], uri).toEqual([
        0,
        ['sip:1003@127.0.0.1:26061'],
      ]);
    }
    // Not another user's, and not a binding whose AOR as registered is known.
    expect((await run(lab, 'DSP REG URI=sip:10031@127.0.0.1:26060')).retcode).toBe(RETCODE.NOT_FOUND);
    expect((await run(lab, 'DSP REG URI=sip:1002@127.0.0.1:26060')).retcode).toBe(RETCODE.NOT_FOUND);
    expect(await run(lab, 'RMV REG URI=sip:1003@127.0.0.1:26060 CONFIRM=YES')).toMatchObject({
      retcode: 0,
      message: 'Removed 1 registration(s) of sip:1003@ims.lab',
    });
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

  it("takes the words the original's command tree inserted: DSP REG SPECIFIC, RMV REG SPECIFIC", async () => {
    const lab = registered();
    expect((await run(lab, 'DSP REG SPECIFIC USERNAME=1001')).tables[0]!.rows).toHaveLength(2);
    const r = await run(lab, 'RMV REG SPECIFIC URI=sip:1001@ims.lab CONFIRM=YES');
    expect(r).toMatchObject({ retcode: 0, message: 'Removed 2 registration(s) of sip:1001@ims.lab' });
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

  it('refuses an empty URI or USERNAME, which a script with an empty variable writes, and removes nothing', async () => {
    const lab = registered();
    for (const mml of ['RMV REG:URI="",CONFIRM=YES;', 'RMV REG USERNAME="" CONFIRM=YES']) {
      const r = await run(lab, mml);
      expect(r.retcode).toBe(RETCODE.PARAMETER_ERROR);
      expect(r.message).toMatch(/URI|USERNAME/);
    }
    expect(lab.location.bindingCount).toBe(4);
  });

  it("refuses a part of an AOR that names several AORs (the original's URI=1001 took sip:10011@ too), removing nothing", async () => {
    const lab = registered();
    expect((await run(lab, 'DSP REG URI=1001')).tables[0]!.rows).toHaveLength(3);
    expect(await run(lab, 'RMV REG URI=1001 CONFIRM=YES')).toMatchObject({
      retcode: RETCODE.PARAMETER_ERROR,
      message:
        'Parameter URI: 1001 is a part of 2 AORs (sip:10011@ims.lab, sip:1001@ims.lab); give the whole AOR, e.g. URI=sip:1001@ims.lab or USERNAME=1001',
    });
    expect(lab.location.bindingCount).toBe(4);
    // A part naming one AOR still removes it, as the original's did.
    expect((await run(lab, 'RMV REG URI=10011 CONFIRM=YES')).message).toBe(
      'Removed 1 registration(s) of sip:10011@ims.lab',
    );
    expect((await run(lab, 'RMV REG URI=1001 CONFIRM=YES')).message).toBe(
      'Removed 2 registration(s) of sip:1001@ims.lab',
    );
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

  it('removes thousands a few hundred AORs a turn, SIP served between (36,000 in one turn held it 1.3 s)', async () => {
    const lab = openLab();
    for (let i = 0; i < 2_000; i++)
      lab.location.put(binding(`sip:u${i}@ims.lab`, `sip:u${i}@192.0.2.${i % 250}:${5060 + i}`));
    const { result: r, turns } = await turnsDuring(() => run(lab, 'CLR REG ALL CONFIRM=YES'));
    expect(r.message).toBe('Removed all 2000 registration(s) of 2000 AOR(s)');
    expect(lab.location.bindingCount).toBe(0);
    expect(turns).toBeGreaterThanOrEqual(2_000 / 250 - 1); // the loop ran between the steps
  });
});
