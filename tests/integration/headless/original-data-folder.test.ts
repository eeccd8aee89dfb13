// The original's data folder (IMS_DATA_DIR defaults to ./data, the original's folder). Its users.json in
// a new data folder is imported at the first start, instead of the default 1001-1003 whose passwords the
// phones configured for the original do not have; a file that cannot be imported changes nothing (the
// log says why and how); a data folder that has started before is left as it is (the log says so, with
// the command that imports it). Its CDR day files are
// imported in the background at start-up, so that DSP CDR lists the calls made before the move.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Appliance } from '../../../core/appliance';
import { loopbackAppliance } from './loopback-appliance';
import { ha1Values } from '../../../core/sip/auth/ha1';
import { ORIGINAL_COLUMNS } from '../../../core/cdr/original-record';
import { ORIGINAL_ROWS } from '../../unit/cdr/fixtures';
import BetterSqlite3 from 'better-sqlite3';
import { ORIGINAL_USERS_READ } from '../../../core/store/original-users-left';
import { useHeldAppliance } from './held-appliance';

const FIXTURE = join(__dirname, '..', '..', 'unit', 'store', 'fixtures', 'original-users.json');

const held = useHeldAppliance();

/** When the last start began: its lines are those it logged, not those read back from the day's file. */
let startedAt = 0;

async function start(dir: string): Promise<Appliance> {
  startedAt = Date.now();
  held.appliance = loopbackAppliance(dir);
  await held.appliance.start();
  return held.appliance;
}

const logLines = (a: Appliance): string[] =>
  a.logger
    .recent(50)
    .filter((r) => r.time >= startedAt)
    .map((r) => `${r.level} ${r.text}`);

/** A new data folder with the original's users.json, imported at a first start that then removes 1004. */
async function importedThenRemoved1004(): Promise<string> {
  held.dataDir = mkdtempSync(join(tmpdir(), 'ims-orig-users-'));
  const file = join(held.dataDir, 'users.json');
  copyFileSync(FIXTURE, file);
  const a = await start(held.dataDir);
  const [rmv] = await a.mml.execute('RMV USER USERNAME=1004 CONFIRM=YES', 'tester');
  expect(rmv!.retcode, rmv!.message).toBe(0);
  await a.stop();
  return file;
}

describe("the original's users.json in the data folder", () => {
  it('is imported at the first start, instead of the default users', async () => {
    held.dataDir = mkdtempSync(join(tmpdir(), 'ims-orig-users-'));
    copyFileSync(FIXTURE, join(held.dataDir, 'users.json'));
    const a = await start(held.dataDir);
    expect(a.users.get('1001')).toMatchObject({ displayName: '测试用户1001', status: 'ACTIVE' });
    // The original's password: what the phones configured for it send.
    expect(a.users.credentials('1001')!.ha1.MD5).toBe(ha1Values('1001', a.users.realm, '1234').MD5);
    expect(
      logLines(a).some((l) => l.includes(`imported`) && l.includes(join(held.dataDir, 'users.json'))),
    ).toBe(true);
    expect(logLines(a).some((l) => l.includes('created the default users'))).toBe(false);
  });

  it('that cannot be imported changes nothing: no user, not even the defaults; the log says why and how', async () => {
    held.dataDir = mkdtempSync(join(tmpdir(), 'ims-orig-users-'));
    writeFileSync(join(held.dataDir, 'users.json'), '{"1001": {"password": ');
    const a = await start(held.dataDir);
    // Not 1001-1003 with their number as password where the file's users were expected.
    expect(a.users.count()).toBe(0);
    const error = logLines(a).find((l) => l.startsWith('ERROR') && l.includes('users.json'));
    const advice = /; mend it, then run (IMP USER FILE=users\.json)/.exec(error ?? '');
    expect(error).toMatch(/was not imported \(.+\), and no user was created; mend it/);
    // Mended, the command the log gives imports it.
    copyFileSync(FIXTURE, join(held.dataDir, 'users.json'));
    const [r] = await a.mml.execute(advice![1]!, 'tester');
    expect(r!.retcode).toBe(0);
    expect(a.users.credentials('1001')!.ha1.MD5).toBe(ha1Values('1001', a.users.realm, '1234').MD5);
  });

  it('is left alone in a data folder that has started before, which the log says with the command to import it', async () => {
    held.dataDir = mkdtempSync(join(tmpdir(), 'ims-orig-users-'));
    await (await start(held.dataDir)).stop();
    held.appliance = undefined;
    copyFileSync(FIXTURE, join(held.dataDir, 'users.json'));
    const a = await start(held.dataDir);
    expect(a.users.count()).toBe(3); // the defaults of the first start
    expect(a.users.get('1002')!.serviceType).toBe('BASIC');
    const file = join(held.dataDir, 'users.json');
    const told = logLines(a).filter((l) => l.includes(file));
    expect(told).toEqual([
      `WARNING users: ${file}, the original's users file, is imported at a data folder's first start only, ` +
        'and differs from the database (users, passwords and statuses compared; other fields not): ' +
        '7 of its users are not in the database (1004, 1005, 1006, 1007, 1008, ...): ' +
        'IMP USER FILE=users.json MODE=UPSERT imports it (and updates the users the database has too); ' +
        // The defaults' passwords are their usernames; the file's, 1234.
        '3 have another password there (1001, 1002, 1003; not shown): MOD USER USERNAME=<user> ' +
        "PASSWORD=<the file's> sets one (IMP USER FILE=users.json MODE=UPSERT sets them all); " +
        'said once: the file is not read again until it changes',
    ]);
    // The command it gives imports the file; the next start is quiet about it.
    const [r] = await a.mml.execute(/IMP USER [^ ]+ MODE=UPSERT/.exec(told[0]!)![0], 'tester');
    expect(r!.retcode, r!.message).toBe(0);
    expect(a.users.get('1002')!.serviceType).toBe('PREMIUM');
    await a.stop();
    held.appliance = undefined;
    expect(logLines(await start(held.dataDir)).filter((l) => l.includes(file))).toEqual([]);
  });

  it('imported at the first start, is not named again at the next', async () => {
    held.dataDir = mkdtempSync(join(tmpdir(), 'ims-orig-users-'));
    copyFileSync(FIXTURE, join(held.dataDir, 'users.json'));
    await (await start(held.dataDir)).stop();
    held.appliance = undefined;
    const a = await start(held.dataDir);
    expect(logLines(a).filter((l) => l.includes(join(held.dataDir, 'users.json')))).toEqual([]);
  });

  it('imported at the first start, then users deleted: later starts neither read it nor advise to import it', async () => {
    // Read at every start, it named the deleted users as missing, with advice that brought them back.
    const file = await importedThenRemoved1004();
    let a = await start(held.dataDir);
    expect(logLines(a).filter((l) => l.includes(file))).toEqual([]);
    expect(a.users.get('1004')).toBeUndefined();
    await a.stop();
    // Changed since (a newer copy of the original's), it is read again, and what it lacks said once.
    writeFileSync(file, readFileSync(file, 'utf8') + ' ');
    a = await start(held.dataDir);
    expect(logLines(a).filter((l) => l.includes(file))).toEqual([
      expect.stringMatching(/1 of its users are not in the database \(1004\): IMP USER/),
    ]);
    await a.stop();
    a = await start(held.dataDir);
    expect(logLines(a).filter((l) => l.includes(file))).toEqual([]);
  });

  it('imported by an older IMS Lab that kept no mark of it, then users deleted: the upgrade does not name them', async () => {
    // A folder of round 29 or 34 (schemas 6-8, no original_users.read): the upgrade took the file for a
    // changed one and named the users the operator had removed, advising MODE=UPSERT, which brings them back.
    const file = await importedThenRemoved1004();
    // The database as a schema-8 IMS Lab without the mark leaves it.
    const db = new BetterSqlite3(join(held.dataDir, 'ims-lab.db'));
    db.exec(`DELETE FROM settings WHERE key = '${ORIGINAL_USERS_READ}'; DROP TABLE cdr_live_calls;
      DELETE FROM schema_migrations WHERE version = 9;`);
    db.close();
    let a = await start(held.dataDir);
    expect(logLines(a).filter((l) => l.includes(file))).toEqual([
      `INFO users: ${file}, the original's users file, is taken as read: the IMS Lab that used this folder ` +
        "before (schema 8) read it (at the folder's first start) but kept no record of that, so it is not " +
        'compared with the database (users removed since stay removed); if it was put there later, ' +
        'IMP USER FILE=users.json MODE=UPSERT imports it',
    ]);
    expect(a.users.get('1004')).toBeUndefined();
    await a.stop();
    a = await start(held.dataDir);
    expect(logLines(a).filter((l) => l.includes(file))).toEqual([]);
  });
});

describe("the original's CDR day files in the data folder", () => {
  it('are imported at start-up: DSP CDR lists them, DSP CDR STAT counts them', async () => {
    held.dataDir = mkdtempSync(join(tmpdir(), 'ims-orig-cdr-'));
    mkdirSync(join(held.dataDir, 'CDR', '2026-11-24'), { recursive: true });
    const rows = [ORIGINAL_ROWS.register, ORIGINAL_ROWS.call, ORIGINAL_ROWS.failed].map(
      (r, i) => `2026112400375200000${i + 1},${r}`,
    );
    writeFileSync(
      join(held.dataDir, 'CDR', '2026-11-24', 'cdr_2026-11-24.csv'),
      [ORIGINAL_COLUMNS.join(','), ...rows].map((l) => `${l}\r\n`).join(''),
    );
    const a = await start(held.dataDir);
    expect(await a.originalCdrImport).toEqual({ files: 1, added: 3, present: 0, refused: 0 });
    const [dsp] = await a.mml.execute('DSP CDR DATE=2026-11-24', 'test');
    expect(dsp!.tables[0]!.rows.map((r) => [r[1], r[2]])).toEqual([
      ['CALL', 'FAILED'],
      ['CALL', 'ENDED'],
      ['REGISTER', 'SUCCESS'],
    ]);
    const [stat] = await a.mml.execute('DSP CDR STAT DATE=2026-11-24', 'test');
    expect(stat!.retcode).toBe(0);
    expect(JSON.stringify(stat!.tables)).toContain('"CALL",2');
  });

  it("are named in the log when they sit beside the data folder, as in the original's folder", async () => {
    held.dataDir = mkdtempSync(join(tmpdir(), 'ims-orig-folder-')); // the original's folder, removed after
    mkdirSync(join(held.dataDir, 'data'));
    mkdirSync(join(held.dataDir, 'CDR', '2026-11-24'), { recursive: true });
    writeFileSync(
      join(held.dataDir, 'CDR', '2026-11-24', 'cdr_2026-11-24.csv'),
      `${ORIGINAL_COLUMNS.join(',')}\r\n`,
    );
    const a = await start(join(held.dataDir, 'data'));
    expect(logLines(a)).toContainEqual(
      expect.stringMatching(/^WARNING the original's CDR folder .*CDR is beside the data folder: /),
    );
  });
});
