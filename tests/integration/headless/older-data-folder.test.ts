// A data folder an older IMS Lab made (schema 3: before migration 4, original_compat), against the built
// server: a start refused for a port another program holds (the older IMS Lab itself, still running)
// leaves the database at its schema, for that older IMS Lab goes on using it; a start that succeeds
// upgrades it, saying so as it goes (a large database takes a while).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Appliance } from '../../../core/appliance';
import { Settings } from '../../../core/config/settings';
import { LOG_FILE_NAME } from '../../../core/observe/logger';
import { migrate, MIGRATIONS } from '../../../core/store/migrations';
import { HAS_BUILD, SERVER_BUNDLE, startNode, type Child } from '../../support/processes';

const dirs: string[] = [];
const children: Child[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A data folder whose ims-lab.db an IMS Lab of schema `version` wrote. */
function olderFolder(version: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'ims-older-'));
  dirs.push(dir);
  const db = new BetterSqlite3(join(dir, 'ims-lab.db'));
  db.pragma('journal_mode = WAL');
  migrate(db, MIGRATIONS.slice(0, version));
  db.close();
  return dir;
}

function versions(dir: string): number[] {
  const db = new BetterSqlite3(join(dir, 'ims-lab.db'), { readonly: true });
  try {
    return db.prepare<[], number>('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
  } finally {
    db.close();
  }
}

/** A TCP port on loopback held by this test, as an older IMS Lab's console would hold it. */
async function heldPort(): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

function start(dir: string, env: NodeJS.ProcessEnv = {}): Child {
  const c = startNode([SERVER_BUNDLE], {
    IMS_DATA_DIR: dir,
    SIP_HOST: '127.0.0.1',
    SIP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    SIP_WARMUP_CALLS: '0',
    IMS_ADMIN_PASSWORD: 'older-folder',
    ...env,
  });
  children.push(c);
  return c;
}

describe.skipIf(!HAS_BUILD)('a data folder of an older IMS Lab', () => {
  it('is not upgraded by a start refused for a port in use', async () => {
    const dir = olderFolder(3);
    const port = await heldPort();
    const c = start(dir, { HTTP_PORT: String(port) });
    expect(await c.exited).toBe(2);
    expect(c.output()).toContain(`HTTP_PORT: TCP 127.0.0.1:${port} is already in use by another program`);
    expect(versions(dir)).toEqual([1, 2, 3]);
  });

  it('is upgraded by a start that succeeds, which says so', async () => {
    const dir = olderFolder(3);
    const c = start(dir);
    await c.waitFor(/Console on http:/);
    c.proc.kill('SIGTERM');
    expect(await c.exited).toBe(0);
    expect(versions(dir)).toEqual(MIGRATIONS.map((m) => m.version));
    const file = join(dir, 'ims-lab.db');
    expect(c.output()).toContain(`[store] upgrading ${file} from schema 3 to 4: original_compat\n`);
    expect(c.output()).toMatch(/\[store\] upgraded \S+ to schema 4 \(original_compat\) in \d+ ms\n/);
  });

  it("has the upgrade's lines in the day's log as it goes, not after (it holds the loop)", async () => {
    const dir = olderFolder(3);
    const appliance = new Appliance({
      dataDir: dir,
      console: false,
      settings: new Settings([
        ['SIP.HOST', '127.0.0.1'],
        ['SIP.PORT', 0],
        ['SIP.WARMUP_CALLS', 0],
      ]),
    });
    // Read before the loop turns: a batched line would not be in the file yet.
    const [day] = readdirSync(join(dir, 'logs'));
    const log = readFileSync(join(dir, 'logs', day!, LOG_FILE_NAME), 'utf8');
    await appliance.stop();
    expect(log).toContain(
      `[store] upgrading ${join(dir, 'ims-lab.db')} from schema 3 to 4: original_compat\n`,
    );
  });
});
