import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import { zhMessage } from '../../../core/mml/lang';
import type { MmlResult } from '../../../core/mml/command';
import { renderText } from '../../../core/mml/text';
import { snapshot } from '../store/data-dir';
import { turnsDuring } from '../../support/turns';
import { binding, openLab, run, useLabs } from './lab';
import type { Lab } from './lab';

useLabs();

/** The first table's rows without the Created/Updated times (real clock). */
const rows = (r: MmlResult) => r.tables[0]!.rows.map((row) => row.slice(0, 6));

async function withUsers(...names: string[]): Promise<Lab> {
  const lab = openLab();
  for (const n of names) lab.users.add({ username: n, password: `pw${n}` });
  return lab;
}

describe('DSP USER', () => {
  it("ALL lists every user, as the original's list did, past the store's page size; LIMIT still pages", async () => {
    const lab = openLab();
    const list = Array.from({ length: 1234 }, (_, i) => ({ username: String(20000 + i), password: 'p' }));
    lab.users.importOriginal(JSON.stringify(list));
    const all = await run(lab, 'DSP USER ALL');
    expect(all.retcode).toBe(0);
    expect(all.tables[0]!.rows).toHaveLength(1234);
    expect(all.tables[0]!.rows.at(-1)![0]).toBe('21233');
    expect((await run(lab, 'DSP USER')).tables[0]!.rows).toHaveLength(50);
    const page = await run(lab, 'DSP USER ALL LIMIT=10 OFFSET=1230');
    expect(page.tables[0]!.rows.map((r) => r[0])).toEqual(['21230', '21231', '21232', '21233']);
  });

  it('ALL too large for the heap left is refused, naming LIMIT/OFFSET and EXP USER (a fatal OOM before)', async () => {
    // Under node --max-old-space-size=64, DSP USER ALL of 20,003 users ended the process: fake heap
    // figures here, not a real OOM.
    const lab = openLab();
    const list = Array.from({ length: 1234 }, (_, i) => ({ username: String(20000 + i), password: 'p' }));
    lab.users.importOriginal(JSON.stringify(list));
    const MB = 1024 * 1024;
    const heap = { oldUsed: 63.5 * MB, oldLimit: 64 * MB };
    lab.ctx.heap = () => heap;
    const refused = await run(lab, 'DSP USER ALL');
    expect(refused.retcode).toBe(RETCODE.OPERATION_FAILED);
    expect(refused.message).toMatch(
      /^DSP USER ALL of 1234 users would take about \d+ MB of memory to answer, and the JavaScript heap has 0 MB left \(node --max-old-space-size\): list them in pages \(LIMIT=1000 OFFSET=0, then OFFSET=1000\.\.\.\) or export them \(EXP USER\)$/,
    );
    expect(zhMessage(refused.message)).toMatch(/^DSP USER ALL 的 1234 个用户约需 \d+ MB 内存来应答/);
    // Pages still answer; and ALL does once the heap has room.
    expect((await run(lab, 'DSP USER LIMIT=1000 OFFSET=1000')).tables[0]!.rows).toHaveLength(234);
    heap.oldUsed = 20 * MB;
    expect((await run(lab, 'DSP USER ALL')).tables[0]!.rows).toHaveLength(1234);
  });

  it('lists users with typed columns, paged', async () => {
    const lab = await withUsers('1001', '1002', '1003');
    lab.users.update('1002', { status: 'SUSPENDED', email: 'b@example.com' });
    const all = await run(lab, 'DSP USER ALL');
    expect(all.retcode).toBe(0);
    expect(all.message).toBe('Operation succeeded');
    expect(all.tables[0]!.columns).toEqual([
      { key: 'Username', name: 'Username', type: 'string' },
      { key: 'Display name', name: 'Display name', type: 'string' },
      { key: 'Phone', name: 'Phone', type: 'string' },
      { key: 'Email', name: 'Email', type: 'string' },
      { key: 'Status', name: 'Status', type: 'string' },
      { key: 'Service', name: 'Service', type: 'string' },
      { key: 'Created', name: 'Created', type: 'time' },
      { key: 'Updated', name: 'Updated', type: 'time', ms: true },
    ]);
    // Every field a column carries is in README's description of the JSON answers (`ms` was not: a
    // strict schema of `--json` output broke on it).
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    for (const field of Object.keys(all.tables[0]!.columns.at(-1)!))
      expect(readme).toMatch(
        new RegExp(`"columns": \\[\\{[^\\]]*"${field}"|column may also carry \`"${field}"`),
      );
    expect(rows(all)).toEqual([
      ['1001', '用户1001', '', '', 'ACTIVE', 'BASIC'],
      ['1002', '用户1002', '', 'b@example.com', 'SUSPENDED', 'BASIC'],
      ['1003', '用户1003', '', '', 'ACTIVE', 'BASIC'],
    ]);
    expect(all.tables[0]!.rows[0]![6]).toBe(Date.parse(lab.users.get('1001')!.createTime));

    const page = await run(lab, 'DSP USER LIMIT=1 OFFSET=1');
    expect(page.message).toBe('Users 2-2 of 3; OFFSET=2 shows the next');
    expect(rows(page).map((r) => r[0])).toEqual(['1002']);
    expect(page.tables[0]!.total).toBe(3);
    expect((await run(lab, 'DSP USER LIMIT=2 OFFSET=1')).message).toBe('Users 2-3 of 3');
    expect((await run(lab, 'DSP USER OFFSET=5')).message).toBe('No users from OFFSET=5: 3 match');
  });

  it('filters by status, search and prefix', async () => {
    const lab = await withUsers('1001', '1002', '2001');
    lab.users.update('1002', { status: 'INACTIVE', displayName: 'Bob Smith' });
    expect(rows(await run(lab, 'DSP USER STATUS=inactive')).map((r) => r[0])).toEqual(['1002']);
    expect(rows(await run(lab, 'DSP USER SEARCH=smith')).map((r) => r[0])).toEqual(['1002']);
    expect(rows(await run(lab, 'DSP USER:PREFIX="10";')).map((r) => r[0])).toEqual(['1001', '1002']);
  });

  it('shows one user by exact name (the original upper-cased it)', async () => {
    const lab = await withUsers('alice');
    const r = await run(lab, 'DSP USR USERNAME=alice');
    expect(rows(r)).toEqual([['alice', '用户alice', '', '', 'ACTIVE', 'BASIC']]);
    expect(r.tables[0]!.title).toBe('User');
    expect(await run(lab, 'DSP USER USERNAME=ALICE')).toMatchObject({
      retcode: RETCODE.NOT_FOUND,
      message: 'User ALICE does not exist',
    });
  });

  it('names a bad parameter', async () => {
    const lab = openLab();
    expect(await run(lab, 'DSP USER STATUS=banana')).toMatchObject({
      retcode: RETCODE.PARAMETER_ERROR,
      message: 'Parameter STATUS: expected one of ACTIVE, INACTIVE, SUSPENDED, got "banana"',
    });
    expect((await run(lab, 'DSP USER LIMIT=1001')).message).toBe(
      'Parameter LIMIT: expected an integer 1..1000, got "1001"',
    );
  });
});

describe('ADD USER', () => {
  it('adds with every field (NAME is the original name of DISPLAYNAME) and renders it', async () => {
    const lab = openLab();
    const r = await run(
      lab,
      'ADD USER:USERNAME="1004",PASSWORD="s3cret pw",NAME="张 三",PHONE="+86 10 1234",EMAIL="z@example.com",SERVICE=vip,STATUS=SUSPENDED;',
    );
    expect(r.retcode).toBe(0);
    expect(r.message).toBe('User 1004 added');
    expect(rows(r)).toEqual([['1004', '张 三', '+86 10 1234', 'z@example.com', 'SUSPENDED', 'VIP']]);
    expect(lab.users.get('1004')).toMatchObject({ displayName: '张 三', serviceType: 'VIP' });
    expect(renderText(r, { formatTime: () => 'T' })).toBe(
      [
        '%%ADD USER:USERNAME="1004",PASSWORD=*****,NAME="张 三",PHONE="+86 10 1234",EMAIL="z@example.com",SERVICE=vip,STATUS=SUSPENDED;%%',
        'RETCODE = 0  User 1004 added',
        '',
        'User',
        '----',
        '    Username  =  1004',
        'Display name  =  张 三',
        '       Phone  =  +86 10 1234',
        '       Email  =  z@example.com',
        '      Status  =  SUSPENDED',
        '     Service  =  VIP',
        '     Created  =  T',
        '     Updated  =  T',
        '(Number of results = 1)',
        '',
        '---    END',
        '',
      ].join('\n'),
    );
  });

  it('applies the defaults ACTIVE and BASIC', async () => {
    const lab = openLab();
    expect(rows(await run(lab, 'ADD USR USERNAME=1005 PASSWORD=1005'))).toEqual([
      ['1005', '用户1005', '', '', 'ACTIVE', 'BASIC'],
    ]);
    expect(lab.users.credentials('1005')?.status).toBe('ACTIVE');
  });

  it.each([
    [
      'ADD USER USERNAME=1001',
      RETCODE.PARAMETER_ERROR,
      'Missing parameter PASSWORD (Digest password, stored encrypted) required by ADD USER',
    ],
    [
      'ADD USER USERNAME="a b" PASSWORD=x',
      RETCODE.PARAMETER_ERROR,
      'Parameter USERNAME: must be 1..64 characters of A-Z a-z 0-9 . _ + -, got "a b"',
    ],
    [
      'ADD USER USERNAME=1001 PASSWORD=x EMAIL=nope',
      RETCODE.PARAMETER_ERROR,
      'Parameter EMAIL: must be empty or an address like name@example.com, got "nope"',
    ],
    [
      'ADD USER USERNAME=1001 PASSWORD=x SERVICE=GOLD',
      RETCODE.PARAMETER_ERROR,
      'Parameter SERVICE: expected one of BASIC, PREMIUM, VIP, ENTERPRISE, got "GOLD"',
    ],
    [
      // The store's limit, as HELP says it: one error, whatever the length (not 128 here, 1024 there).
      `ADD USER USERNAME=1001 PASSWORD=x NAME=${'名'.repeat(129)}`,
      RETCODE.PARAMETER_ERROR,
      'Parameter NAME (DISPLAYNAME): expected text of at most 128 characters, got 129 characters (the limit is 128)',
    ],
    [
      'ADD USER USERNAME=1001 PASSWORD=x ROLE=ADMIN',
      RETCODE.PARAMETER_ERROR,
      'Unknown parameter ROLE for ADD USER; allowed: USERNAME, PASSWORD, DISPLAYNAME, PHONE, EMAIL, STATUS, SERVICE',
    ],
    [
      'ADD USER USERNAME=1001 PASSWORD=x DISPLYNAME=A',
      RETCODE.PARAMETER_ERROR,
      'Unknown parameter DISPLYNAME for ADD USER; allowed: USERNAME, PASSWORD, DISPLAYNAME, PHONE, EMAIL, STATUS, SERVICE. Did you mean DISPLAYNAME?',
    ],
  ])('%s → %i', async (text, retcode, message) => {
    const lab = openLab();
    expect(await run(lab, text)).toMatchObject({ retcode, message });
    expect(lab.users.count()).toBe(0);
  });

  it('refuses a user that exists, changing nothing', async () => {
    const lab = await withUsers('1001');
    const before = snapshot(lab.db);
    expect(await run(lab, 'ADD USER USERNAME=1001 PASSWORD=other')).toMatchObject({
      retcode: RETCODE.ALREADY_EXISTS,
      message: 'User 1001 already exists',
    });
    expect(snapshot(lab.db)).toEqual(before);
  });
});

describe('MOD USER', () => {
  it('a user made INACTIVE or SUSPENDED loses its registrations (it may not register); ACTIVE keeps them', async () => {
    const lab = await withUsers('1001', '1002');
    lab.location.put(binding('sip:1001@ims.lab', 'sip:1001@192.0.2.10:5062'));
    lab.location.put(binding('sip:1001@other.lab', 'sip:1001@192.0.2.11:5062'));
    lab.location.put(binding('sip:1002@ims.lab', 'sip:1002@192.0.2.13:5062'));
    const causes: unknown[] = [];
    lab.location.on((e) => causes.push(e.type === 'removed' ? e.cause : e.type));
    expect((await run(lab, 'MOD USER USERNAME=1002 PHONE=123 STATUS=ACTIVE')).message).toBe(
      'User 1002 modified',
    );
    expect(await run(lab, 'MOD USER USERNAME=1001 STATUS=SUSPENDED')).toMatchObject({
      retcode: 0,
      message: 'User 1001 modified; its 2 registration(s) removed (SUSPENDED)',
    });
    expect([...lab.location.entries()].map(([aor]) => aor)).toEqual(['sip:1002@ims.lab']);
    expect(causes).toEqual(['user-disabled', 'user-disabled']);
  });

  it('changes the given fields and keeps the others', async () => {
    const lab = await withUsers('1001');
    lab.users.update('1001', { phone: '123' });
    const ha1Before = lab.users.credentials('1001')!.ha1.MD5;
    const r = await run(lab, 'MOD USER USERNAME=1001 STATUS=inactive NAME="Alice A." PASSWORD=new');
    expect(r.message).toBe('User 1001 modified');
    expect(rows(r)).toEqual([['1001', 'Alice A.', '123', '', 'INACTIVE', 'BASIC']]);
    expect(lab.users.credentials('1001')!.ha1.MD5).not.toBe(ha1Before);
  });

  it('needs something to change, an existing user and valid values', async () => {
    const lab = await withUsers('1001');
    expect(await run(lab, 'MOD USER USERNAME=1001')).toMatchObject({
      retcode: RETCODE.PARAMETER_ERROR,
      message: 'MOD USER needs at least one of PASSWORD, DISPLAYNAME, PHONE, EMAIL, STATUS, SERVICE',
    });
    expect(await run(lab, 'MOD USER USERNAME=1009 STATUS=ACTIVE')).toMatchObject({
      retcode: RETCODE.NOT_FOUND,
      message: 'User 1009 does not exist',
    });
    expect(await run(lab, 'MOD USER USERNAME=1001 STATUS=banana')).toMatchObject({
      retcode: RETCODE.PARAMETER_ERROR,
      message: 'Parameter STATUS: expected one of ACTIVE, INACTIVE, SUSPENDED, got "banana"',
    });
    expect(await run(lab, 'MOD USER USERNAME=1001 PHONE=abc')).toMatchObject({
      retcode: RETCODE.PARAMETER_ERROR,
      message: 'Parameter PHONE: must be empty or 1..32 of 0-9 + * # ( ) - and space, got "abc"',
    });
    expect(lab.users.get('1001')!.phone).toBe('');
  });

  it("IF_UPDATED= (the Edit dialog's): refused, nothing changed, when the user was changed since; without it as before", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-11-24T09:30:00.250Z'));
      const lab = await withUsers('1001');
      const read = lab.users.get('1001')!.updateTime;
      // Another operator's change, a second later.
      vi.setSystemTime(new Date('2026-11-24T09:30:01.500Z'));
      expect((await run(lab, 'MOD USER USERNAME=1001 PHONE=111')).retcode).toBe(0);
      const now = lab.users.get('1001')!.updateTime;

      const stale = await run(lab, `MOD USER USERNAME=1001 EMAIL=a@example.com IF_UPDATED="${read}"`);
      expect(stale).toMatchObject({
        retcode: RETCODE.OPERATION_FAILED,
        message: `User 1001 was changed since ${read} (Updated ${now}): nothing changed; read it again (DSP USER USERNAME=1001)`,
      });
      expect(zhMessage(stale.message)).toBe(
        `用户 1001 在 ${read} 之后已被修改（更新时间 ${now}）：未作修改；请重新读取（DSP USER USERNAME=1001）`,
      );
      expect(lab.users.get('1001')).toMatchObject({ phone: '111', email: '', updateTime: now });

      // Based on what is stored: saved. As DSP USER shows it (to the millisecond, local time) too.
      expect((await run(lab, `MOD USER USERNAME=1001 EMAIL=a@example.com IF_UPDATED="${now}"`)).retcode).toBe(
        0,
      );
      const shown = renderText(await run(lab, 'DSP USER USERNAME=1001'));
      const updated = /Updated += +(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3})$/m.exec(shown)![1]!;
      // Read as DSP USER shows it; another operator's change in the same second (.900): the second read from DSP USER
      // names both, and was taken as matching (the other change overwritten unseen); the millisecond it
      // shows is refused now, and the second alone too (it cannot tell which change it was).
      vi.setSystemTime(new Date('2026-11-24T09:30:01.900Z'));
      expect((await run(lab, 'MOD USER USERNAME=1001 DISPLAYNAME=Other')).retcode).toBe(0);
      const second = updated.slice(0, 19);
      expect((await run(lab, `MOD USER USERNAME=1001 PHONE=222 IF_UPDATED="${updated}"`)).retcode).toBe(
        RETCODE.OPERATION_FAILED,
      );
      const vague = await run(lab, `MOD USER USERNAME=1001 PHONE=222 IF_UPDATED="${second}"`);
      expect(vague.message).toMatch(
        `User 1001 was updated within the second ${second} (Updated ${lab.users.get('1001')!.updateTime}), which may hold more than one change: nothing changed; read it again to the millisecond (DSP USER USERNAME=1001)`,
      );
      expect(zhMessage(vague.message)).toMatch(/^用户 1001 在 .+ 这一秒内有更新/);
      expect(lab.users.get('1001')).toMatchObject({ phone: '111', displayName: 'Other' });
      // What DSP USER shows now round-trips.
      const again = renderText(await run(lab, 'DSP USER USERNAME=1001'));
      const latest = /Updated += +(\S+ \S+)$/m.exec(again)![1]!;
      expect((await run(lab, `MOD USER USERNAME=1001 PHONE=222 IF_UPDATED="${latest}"`)).retcode).toBe(0);
      expect(lab.users.get('1001')!.phone).toBe('222');
      // Two changes in one millisecond (a script): each version's time is its own.
      const t1 = lab.users.get('1001')!.updateTime;
      expect((await run(lab, 'MOD USER USERNAME=1001 PHONE=333')).retcode).toBe(0);
      expect(lab.users.get('1001')!.updateTime).not.toBe(t1);
      expect((await run(lab, `MOD USER USERNAME=1001 PHONE=444 IF_UPDATED="${t1}"`)).retcode).toBe(
        RETCODE.OPERATION_FAILED,
      );

      // A removed user: not found, as without it; a text that is no time: the parameter named.
      expect(await run(lab, `MOD USER USERNAME=1009 PHONE=1 IF_UPDATED="${now}"`)).toMatchObject({
        retcode: RETCODE.NOT_FOUND,
        message: 'User 1009 does not exist',
      });
      expect(await run(lab, 'MOD USER USERNAME=1001 PHONE=1 IF_UPDATED=yesterday')).toMatchObject({
        retcode: RETCODE.PARAMETER_ERROR,
        message:
          "Parameter IF_UPDATED: expected the user's Updated time as DSP USER shows it (e.g. 2026-11-24 09:30:00.250), got yesterday",
      });
      expect(lab.users.get('1001')!.phone).toBe('333');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('RMV USER', () => {
  it('needs CONFIRM=YES, then removes the user and its registrations', async () => {
    const lab = await withUsers('1001', '1002');
    lab.location.put(binding('sip:1001@ims.lab', 'sip:1001@192.0.2.10:5062'));
    lab.location.put(binding('sip:1001@other.lab', 'sip:1001@192.0.2.11:5062'));
    lab.location.put(binding('sip:10011@ims.lab', 'sip:10011@192.0.2.12:5062'));
    lab.location.put(binding('sip:1002@ims.lab', 'sip:1002@192.0.2.13:5062'));

    expect(await run(lab, 'RMV USER USERNAME=1001')).toMatchObject({
      retcode: RETCODE.CONFIRM_REQUIRED,
      message: 'RMV USER cannot be undone: add CONFIRM=YES to carry it out',
    });
    expect(lab.users.get('1001')).toBeDefined();

    expect(await run(lab, 'RMV USER USERNAME=1001 CONFIRM=YES')).toMatchObject({
      retcode: 0,
      message: 'User 1001 removed, with its 2 registration(s)',
    });
    expect(lab.users.get('1001')).toBeUndefined();
    expect([...lab.location.entries()].map(([aor]) => aor).sort()).toEqual([
      'sip:10011@ims.lab',
      'sip:1002@ims.lab',
    ]);
    lab.location.flush();
    expect(
      lab.bindings
        .loadAll()
        .map((b) => b.aor)
        .sort(),
    ).toEqual(['sip:10011@ims.lab', 'sip:1002@ims.lab']);

    expect(await run(lab, 'RMV USR:USERNAME=1001,CONFIRM=YES;')).toMatchObject({
      retcode: RETCODE.NOT_FOUND,
      message: 'User 1001 does not exist',
    });
  });
});

describe('IMP USER', () => {
  const original = readFileSync(join(__dirname, '../store/fixtures/original-users.json'), 'utf8');

  it("imports the original's users.json", async () => {
    const lab = openLab();
    writeFileSync(join(lab.dir, 'users.json'), original);
    const r = await run(lab, 'IMP USER FILE=users.json');
    const count = Object.keys(JSON.parse(original) as object).length;
    expect(r.message).toBe(`Imported ${count} users from ${join(lab.dir, 'users.json')}`);
    expect(r.tables[0]!.rows).toEqual([[join(lab.dir, 'users.json'), 'JSON', count, 0, count]]);
    expect(lab.users.count()).toBe(count);
  });

  it('imports a SIPp injection file, plain and [authentication] passwords, and upserts on request', async () => {
    const lab = await withUsers('2001');
    const file = join(lab.dir, 'sipp users.txt');
    writeFileSync(
      file,
      'SEQUENTIAL\n# bench accounts\n2001;newpw\n2002;[authentication username=2002 password=x2];extra\n',
    );
    expect(await run(lab, `IMP USER FILE="${file}"`)).toMatchObject({
      retcode: RETCODE.INVALID_DATA,
      message: `Nothing imported: ${file}: 1 bad entry:\nline 3 (user 2001), username: user 2001 already exists (import in upsert mode to update it)`,
    });
    expect(lab.users.count()).toBe(1);

    const r = await run(lab, `IMP USER FILE="${file}" MODE=UPSERT`);
    expect(r.retcode).toBe(0);
    expect(r.tables[0]!.rows).toEqual([[file, 'CSV', 1, 1, 2]]);
    const before = lab.users.credentials('2002')!;
    expect(before.ha1.MD5).toMatch(/^[0-9a-f]{32}$/);
    expect(lab.users.get('2002')).toMatchObject({ status: 'ACTIVE', serviceType: 'BASIC' });
  });

  it('removes the registrations of users an upsert made INACTIVE or SUSPENDED, as MOD USER does', async () => {
    const lab = await withUsers('1001', '1002');
    lab.location.put(binding('sip:1001@ims.lab', 'sip:1001@192.0.2.10:5062'));
    lab.location.put(binding('sip:1002@ims.lab', 'sip:1002@192.0.2.13:5062'));
    writeFileSync(
      join(lab.dir, 'in.json'),
      JSON.stringify({ 1001: { username: '1001', password: '1001', status: 'INACTIVE' } }),
    );
    const r = await run(lab, 'IMP USER FILE=in.json MODE=UPSERT');
    expect(r.retcode).toBe(0);
    expect(r.message).toContain('Note: 1 registration(s) of users now INACTIVE or SUSPENDED removed');
    expect(lab.users.get('1001')!.status).toBe('INACTIVE');
    expect([...lab.location.entries()].map(([aor]) => aor)).toEqual(['sip:1002@ims.lab']);
    const [zh] = await lab.engine.execute('IMP USER FILE=in.json MODE=UPSERT', 'tester', { lang: 'zh' });
    expect(zh!.message).toMatch(/^已从 .* 导入 1 个用户$/); // nothing left to remove
  });

  it('refuses a password with control characters, as ADD USER does: one rule for both', async () => {
    const lab = await withUsers('1001');
    const before = snapshot(lab.db);
    writeFileSync(
      join(lab.dir, 'pw_ctrl.json'),
      JSON.stringify([{ username: '9006', password: 'a\r\nb\u0000' }]),
    );
    const r = await run(lab, 'IMP USER FILE=pw_ctrl.json');
    expect(r.retcode).toBe(RETCODE.INVALID_DATA);
    expect(r.message).toBe(
      `Nothing imported: ${join(lab.dir, 'pw_ctrl.json')}: 1 bad entry:\nline 1, entry "9006", password: must not contain control characters`,
    );
    expect(snapshot(lab.db)).toEqual(before);
    // The SIPp CSV too (a tab inside a password).
    writeFileSync(join(lab.dir, 'pw_ctrl.csv'), 'SEQUENTIAL\n9007;a\tb\n');
    expect((await run(lab, 'IMP USER FILE=pw_ctrl.csv')).message).toBe(
      `Nothing imported: ${join(lab.dir, 'pw_ctrl.csv')} line 2: password: must not contain control characters`,
    );
    expect(snapshot(lab.db)).toEqual(before);
    // ADD USER says the same of the same value.
    expect((await run(lab, 'ADD USER USERNAME=9008 PASSWORD="a\u0007b"')).message).toBe(
      'Parameter PASSWORD: must not contain control characters',
    );
  });

  it('refuses a lone UTF-16 surrogate in a display name (it was stored as U+FFFD), as ADD USER does', async () => {
    const lab = await withUsers('1001');
    const before = snapshot(lab.db);
    writeFileSync(
      join(lab.dir, 'lone.json'),
      '[{"username":"8012","password":"abcd","display_name":"\\ud800"}]',
    );
    expect((await run(lab, 'IMP USER FILE=lone.json')).message).toBe(
      `Nothing imported: ${join(lab.dir, 'lone.json')}: 1 bad entry:\nline 1, entry "8012", display_name: must not contain a lone UTF-16 surrogate (it is no Unicode text)`,
    );
    const added = await run(lab, 'ADD USER USERNAME=8012 PASSWORD=abcd NAME="\ud800"');
    expect(added).toMatchObject({
      retcode: RETCODE.PARAMETER_ERROR,
      message:
        'Parameter NAME (DISPLAYNAME): must not contain a lone UTF-16 surrogate (it is no Unicode text)',
    });
    expect(snapshot(lab.db)).toEqual(before);
    // A pair is one character (U+1F600), taken as typed.
    expect((await run(lab, 'ADD USER USERNAME=8013 PASSWORD=abcd NAME="\ud83d\ude00"')).retcode).toBe(0);
    expect(lab.users.get('8013')!.displayName).toBe('\u{1F600}');
  });

  it('changes nothing when an entry is wrong, and says which', async () => {
    const lab = await withUsers('1001');
    const before = snapshot(lab.db);
    writeFileSync(join(lab.dir, 'bad.csv'), 'SEQUENTIAL\n3001;a\n3002;\n3003;c\n');
    expect(await run(lab, 'IMP USER FILE=bad.csv')).toMatchObject({
      retcode: RETCODE.INVALID_DATA,
      message: `Nothing imported: ${join(lab.dir, 'bad.csv')} line 3: expected user;password, got "3002…"`,
    });
    // Every bad entry is listed with its line; the good ones are not imported either.
    writeFileSync(
      join(lab.dir, 'bad.json'),
      JSON.stringify(
        {
          3001: { password: 'a' },
          3002: { password: '' },
          1001: { password: 'x' },
          'bad user': { password: 'c' },
        },
        null,
        2,
      ),
    );
    const bad = await run(lab, 'IMP USER FILE=bad.json FORMAT=JSON');
    expect(bad.retcode).toBe(RETCODE.INVALID_DATA);
    expect(bad.message.split('\n')).toEqual([
      `Nothing imported: ${join(lab.dir, 'bad.json')}: 3 bad entries:`,
      'line 2, entry "1001", username: user 1001 already exists (import in upsert mode to update it)',
      'line 8, entry "3002", password: must be 1..128 characters',
      'line 11, entry "bad user", username: must be 1..64 characters of A-Z a-z 0-9 . _ + -, got "bad user"',
    ]);
    expect(snapshot(lab.db)).toEqual(before);
  });

  it("accepts what the original's users.json could hold, and says how it was taken", async () => {
    const lab = openLab();
    writeFileSync(
      join(lab.dir, 'users.json'),
      JSON.stringify({
        5001: { username: '5001', password: '1234', service_type: 'GOLD', status: 'ACTIVE', role: 'USER' },
        5002: { password: '1234', service_type: 'GOLD', status: 'banana', phone: 13800000000 },
        5003: { password: '1234', status: 'active', nickname: 'x', email: 'not an address' },
      }),
    );
    const r = await run(lab, 'IMP USER FILE=users.json');
    expect(r.retcode, r.message).toBe(0);
    expect(r.message.split('\n')).toEqual([
      `Imported 3 users from ${join(lab.dir, 'users.json')}`,
      'Note: service types IMS Lab does not define, kept as given: "GOLD" ×2',
      'Note: statuses other than ACTIVE, INACTIVE, SUSPENDED imported as INACTIVE (the original let only ACTIVE register): "banana", "active"',
      'Note: fields ignored: "nickname"',
    ]);
    expect(lab.users.get('5001')).toMatchObject({ serviceType: 'GOLD', status: 'ACTIVE' });
    expect(lab.users.get('5002')).toMatchObject({
      serviceType: 'GOLD',
      status: 'INACTIVE',
      phone: '13800000000',
    });
    expect(lab.users.get('5003')).toMatchObject({ status: 'INACTIVE', email: 'not an address' });
    expect((await run(lab, 'DSP USER USERNAME=5001')).retcode).toBe(0);
  });

  it('a 10,000-user import lets other work run while it prepares the users (the SIP path is not stalled)', async () => {
    const lab = openLab();
    const file: Record<string, { password: string }> = {};
    for (let i = 0; i < 10_000; i++) file[String(100_000 + i)] = { password: `p${i}` };
    writeFileSync(join(lab.dir, 'many.json'), JSON.stringify(file));
    let finished = false;
    let ticks = 0;
    let tickBeforeEnd = false;
    const tick = (): void => {
      ticks++;
      if (!finished) {
        tickBeforeEnd = true;
        setImmediate(tick);
      }
    };
    const running = run(lab, 'IMP USER FILE=many.json').then((r) => {
      finished = true;
      return r;
    });
    setImmediate(tick);
    const r = await running;
    expect(r.retcode, r.message).toBe(0);
    expect(lab.users.count()).toBe(10_000);
    // Other callbacks ran between the chunks, before the import was done.
    expect(tickBeforeEnd).toBe(true);
    expect(ticks).toBeGreaterThan(10);
  });

  it('reports a file it cannot read', async () => {
    const lab = openLab();
    const r = await run(lab, 'IMP USER FILE=missing.json');
    expect(r.retcode).toBe(RETCODE.OPERATION_FAILED);
    // In words, not Node's "ENOENT: no such file or directory, stat '...'"; in Chinese too.
    expect(r.message).toBe(`Cannot read FILE ${join(lab.dir, 'missing.json')}: no such file`);
    const [zh] = await lab.engine.execute('IMP USER FILE=missing.json', 'tester', { lang: 'zh' });
    expect(zh!.message).toBe(`无法读取文件 ${join(lab.dir, 'missing.json')}: 文件不存在`);
    const [outside] = await lab.engine.execute('IMP USER FILE=/etc/passwd', 'tester', { lang: 'zh' });
    expect(outside!.message).toMatch(/^参数 FILE 错误: \/etc\/passwd 不在数据目录 .+ 内: 请把文件放到那里/);
    expect((await run(lab, 'IMP USER FILE=x MODE=MERGE')).message).toBe(
      'Parameter MODE: expected one of ADD, UPSERT, got "MERGE"',
    );
  });
});

describe('EXP USER', () => {
  it("writes every user as the original's users.json, which IMP USER takes back whole", async () => {
    const lab = openLab();
    lab.users.add({ username: '1001', password: 'pa;ss 1', displayName: '测试用户1001', phone: '555' });
    lab.users.add({ username: 'alice', password: 'a1', serviceType: 'VIP', status: 'SUSPENDED' });
    const r = await run(lab, 'EXP USER');
    const file = join(lab.dir, 'exports', 'users_export_20251101_093000.json');
    expect(r).toMatchObject({ retcode: 0, message: `Exported 2 users to ${file}` });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const content = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(content)).toEqual(['1001', 'alice']);
    expect(content['1001']).toEqual({
      username: '1001',
      password: 'pa;ss 1',
      display_name: '测试用户1001',
      phone: '555',
      email: '',
      status: 'ACTIVE',
      service_type: 'BASIC',
      // ISO 8601 with the exporting host's offset: an import in another time zone keeps the instant.
      create_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$/),
      update_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$/),
    });
    expect(Date.parse(content['1001'].create_time)).toBe(Date.parse(lab.users.get('1001')!.createTime));

    const other = openLab();
    copyFileSync(file, join(other.dir, 'from-the-other.json'));
    const back = await run(other, 'IMP USER FILE=from-the-other.json');
    expect(back.retcode).toBe(0);
    expect(other.users.get('alice')).toMatchObject({ serviceType: 'VIP', status: 'SUSPENDED' });
    expect(other.users.get('1001')).toMatchObject({ displayName: '测试用户1001', phone: '555' });
    for (const field of ['createTime', 'updateTime'] as const)
      expect(Date.parse(other.users.get('1001')![field])).toBe(Date.parse(lab.users.get('1001')![field]));
    const h = other.users.credentials('1001')!;
    expect(h.ha1.MD5).toBe(lab.users.credentials('1001')!.ha1.MD5);
  });
});

describe('EXP USER of many users', () => {
  // 148,000 users stringified and written in one turn of the event loop held SIP 0.4-1.1 s.
  it('makes and writes its file a part at a time, the loop running between, the text as in one go', async () => {
    const lab = openLab();
    const list = Array.from({ length: 3000 }, (_, i) => ({
      username: `u${String(i).padStart(5, '0')}`,
      password: `p${i}`,
      display_name: `用户 "${i}"`,
    }));
    lab.users.importOriginal(JSON.stringify(list));
    const exports = join(lab.dir, 'exports');
    mkdirSync(exports);
    // The turns during which the file is there, written in part, under its temporary name.
    const partial = new Set<number>();
    let running = true;
    const watch = (): void => {
      if (!running) return;
      for (const name of readdirSync(exports))
        if (name.endsWith('.tmp')) partial.add(statSync(join(exports, name)).size);
      setImmediate(watch);
    };
    setImmediate(watch);
    const { result: r, turns } = await turnsDuring(() => run(lab, 'EXP USER'));
    running = false;
    expect(r.retcode, r.message).toBe(0);
    expect(turns).toBeGreaterThanOrEqual(5);
    // Without the steps: never seen, written whole in the turn that made the text.
    expect([...partial].filter((size) => size > 0).length).toBeGreaterThanOrEqual(3);
    const file = join(exports, 'users_export_20251101_093000.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    const content = JSON.parse(text) as Record<string, { password: string; display_name: string }>;
    expect(text).toBe(`${JSON.stringify(content, null, 2)}\n`);
    expect(Object.keys(content)).toEqual(list.map((u) => u.username));
    expect(content.u02999).toMatchObject({ password: 'p2999', display_name: '用户 "2999"' });
  });

  it('with no user, writes {} as JSON.stringify did', async () => {
    const lab = openLab();
    expect((await run(lab, 'EXP USER')).message).toMatch(/^Exported 0 users to /);
    expect(readFileSync(join(lab.dir, 'exports', 'users_export_20251101_093000.json'), 'utf8')).toBe('{}\n');
  });
});

describe('IMP USER in 中文', () => {
  it("names every bad line in Chinese, the file's own words (names, values) as they are", async () => {
    const lab = openLab();
    writeFileSync(join(lab.dir, 'u.csv'), 'SEQUENTIAL\n1001;a\nbad user!;x\n1001;b\n');
    writeFileSync(
      join(lab.dir, 'l.json'),
      JSON.stringify([{ username: '7', password: 'a' }, { username: '7' }]),
    );
    const zh = async (file: string) =>
      (await lab.engine.execute(`IMP USER FILE=${file}`, 't', { lang: 'zh' }))[0]!;
    const csv = await zh('u.csv');
    expect(csv.message.split('\n')).toEqual([
      `未导入任何用户: ${join(lab.dir, 'u.csv')} 第 3 行: 用户名: 应为 1..64 个字符（A-Z a-z 0-9 . _ + -），实际为 "bad user!"`,
      '第 4 行: 用户 1001 已在第 2 行出现',
    ]);
    const json = await zh('l.json');
    expect(json.message.split('\n')).toEqual([
      `未导入任何用户: ${join(lab.dir, 'l.json')}: 1 个错误条目:`,
      '第 1 行，用户 "7"，字段 username: 在文件中重复出现',
    ]);
    // A CSV that is no SIPp injection file: what its first line should be, in Chinese too.
    writeFileSync(join(lab.dir, 'plain.csv'), '1001;1234\n');
    expect((await zh('plain.csv')).message).toBe(
      `未导入任何用户: ${join(lab.dir, 'plain.csv')} 第 1 行: 应为 SEQUENTIAL、RANDOM 或 USER（SIPp 注入文件的第一行），实际为 "1001…"`,
    );
    expect(lab.users.count()).toBe(0);
  });

  it('says in Chinese that FILE is a folder, for IMP USER and STR CALL BATCH alike', async () => {
    const lab = openLab();
    mkdirSync(join(lab.dir, 'folder'));
    const [zh] = await lab.engine.execute('IMP USER FILE=folder', 't', { lang: 'zh' });
    expect(zh!.message).toBe(`文件 ${join(lab.dir, 'folder')} 不是普通文件`);
    expect(zhMessage(`Parameter FILE: ${join(lab.dir, 'folder')} is not a regular file`)).toBe(
      `参数 FILE 错误: 文件 ${join(lab.dir, 'folder')} 不是普通文件`,
    );
  });
});

describe('FILE= stays inside the data folder', () => {
  it('refuses a path outside it (absolute, ../, a symbolic link out) and quotes nothing of the file', async () => {
    const lab = openLab();
    const outside = join(lab.dir, '..', `outside-${process.pid}.csv`);
    writeFileSync(outside, 'root:x:0:0:secret line\n');
    symlinkSync(outside, join(lab.dir, 'link.csv'));
    mkdirSync(join(lab.dir, 'sub'));
    try {
      for (const given of [
        outside,
        '../' + outside.split('/').pop(),
        'link.csv',
        'sub/../../x.json',
        '/etc/hostname',
      ]) {
        const r = await run(lab, `IMP USER FILE="${given}"`);
        expect(r.retcode, given).toBe(RETCODE.PARAMETER_ERROR);
        expect(r.message, given).toMatch(/^Parameter FILE: .* is outside the data folder /);
        expect(r.message).not.toContain('secret');
      }
      const batch = await run(lab, `STR CALL BATCH FILE="${outside}"`);
      expect(batch.message).not.toContain('secret');
      // A device in the folder (a FIFO here: /dev/zero reports no size either) is refused, not read forever.
      execFileSync('mkfifo', [join(lab.dir, 'fifo.json')]);
      const fifo = await run(lab, 'IMP USER FILE=fifo.json');
      expect(fifo).toMatchObject({ retcode: RETCODE.OPERATION_FAILED });
      expect(fifo.message).toMatch(/fifo\.json is not a regular file$/);
      // Inside it, an absolute path is fine.
      writeFileSync(join(lab.dir, 'sub', 'ok.csv'), 'SEQUENTIAL\n5001;pw\n');
      expect((await run(lab, `IMP USER FILE="${join(lab.dir, 'sub', 'ok.csv')}"`)).retcode).toBe(0);
    } finally {
      rmSync(outside, { force: true });
    }
  });
});

describe('USERNAME=""', () => {
  it('is a parameter error naming USERNAME, not "User  does not exist"', async () => {
    const lab = openLab();
    for (const text of ['DSP USER USERNAME=""', 'RMV USER USERNAME="" CONFIRM=YES']) {
      const r = await run(lab, text);
      expect(r.retcode, text).toBe(RETCODE.PARAMETER_ERROR);
      expect(r.message, text).toMatch(/^Parameter USERNAME: /);
    }
  });
});

describe('IMP USER of a file that is not UTF-8 text', () => {
  it('refuses it, naming its line, and shows none of its bytes', async () => {
    const lab = openLab();
    const before = snapshot(lab.db);
    // A display name saved in GBK by an editor in a Chinese locale (张三).
    const gbk = Buffer.concat([
      Buffer.from('{"users": {"9900": {"password": "x", "display_name": "'),
      Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]),
      Buffer.from('"}}}\n'),
    ]);
    writeFileSync(join(lab.dir, 'gbk.json'), gbk);
    expect(await run(lab, 'IMP USER FILE=gbk.json')).toMatchObject({
      retcode: RETCODE.INVALID_DATA,
      message: `FILE ${join(lab.dir, 'gbk.json')} is not UTF-8 text (line 1: GBK, Latin-1 or binary bytes): save it as UTF-8`,
    });
    // A key file given by mistake: 32 random bytes, none of them echoed.
    const key = Buffer.from('342d8fa25e132b6c00114e29ceb4793a19e35bf95e71fa7f4ae72b3979c5d4a1', 'hex');
    writeFileSync(join(lab.dir, 'secret.bin'), key);
    const binary = await run(lab, 'IMP USER FILE=secret.bin');
    expect(binary.retcode).toBe(RETCODE.INVALID_DATA);
    expect(binary.message).toMatch(/secret\.bin holds NUL bytes/);
    expect(binary.message).not.toContain('4-');
    expect(snapshot(lab.db)).toEqual(before);
    // A file that is not there is 7 (numbers.test.ts: the dialer's numbers file too); bad content is 8.
    expect((await run(lab, 'IMP USER FILE=nope.json')).retcode).toBe(RETCODE.OPERATION_FAILED);
  });
});
