// Test support for MML: an engine on real parts in a fresh data directory (a real SQLite file with the
// user store, binding persistence and command history; a location service on a manual clock; real
// Settings and Logger), removed after each test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { Settings } from '../../../core/config/settings';
import { createRegistry } from '../../../core/mml/commands/index';
import type { MmlContext, MmlResult, MmlTable } from '../../../core/mml/command';
import { MmlEngine } from '../../../core/mml/engine';
import { zhCellText } from '../../../core/mml/zh-cells';
import { SqliteMmlHistory } from '../../../core/mml/history';
import { Logger } from '../../../core/observe/logger';
import { SILENT_LOG } from '../../../core/observe/log';
import type { Binding } from '../../../core/sip/registrar/binding';
import { LocationService } from '../../../core/sip/registrar/location';
import { TimerWheel } from '../../../core/sip/transaction/timer-wheel';
import { SqliteBindingStore } from '../../../core/store/bindings';
import { closeDatabase, openDatabase } from '../../../core/store/database';
import type { Database } from '../../../core/store/database';
import { SqliteUserStore } from '../../../core/store/users';

/** 2025-11-01 09:30:00 local time: rendered the same in every time zone. */
export const NOW = new Date(2025, 10, 1, 9, 30, 0).getTime();

export interface Lab {
  dir: string;
  db: Database;
  users: SqliteUserStore;
  location: LocationService;
  bindings: SqliteBindingStore;
  settings: Settings;
  logger: Logger;
  history: SqliteMmlHistory;
  ctx: MmlContext;
  engine: MmlEngine;
  clock: { now: number };
}

const cleanups: (() => void)[] = [];

/** Registers the clean-up in the calling test file; call once at its top level. */
export function useLabs(): void {
  afterEach(() => {
    for (const c of cleanups.splice(0).reverse()) c();
  });
}

export function makeDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ims-lab-mml-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function openLab(dir = makeDir(), settings = new Settings()): Lab {
  const db = openDatabase(dir);
  const clock = { now: NOW };
  const now = (): number => clock.now;
  const users = new SqliteUserStore(db, dir, { realm: 'ims.lab' });
  const bindings = new SqliteBindingStore(db);
  const location = new LocationService({
    persistence: bindings,
    log: SILENT_LOG,
    now,
    wheel: new TimerWheel({ tickMs: 1000, slots: 3600, now, manual: true }),
  });
  const logger = new Logger({ level: 'INFO', console: false, recentCapacity: 50 });
  const history = new SqliteMmlHistory(db);
  cleanups.push(() => {
    location.stop();
    closeDatabase(db);
  });
  const ctx: MmlContext = { users, location, settings, log: logger, history, dataDir: dir, now };
  const engine = new MmlEngine(createRegistry(), ctx);
  return { dir, db, users, location, bindings, settings, logger, history, ctx, engine, clock };
}

/** Runs one statement and returns its result. */
export async function run(lab: Lab, text: string, who = 'tester'): Promise<MmlResult> {
  const results = await lab.engine.execute(text, who);
  expect(results).toHaveLength(1);
  return results[0]!;
}

/** The contacts a DSP REG statement lists, which must succeed. */
export async function contactsFound(lab: Lab, text: string): Promise<unknown[]> {
  const r = await run(lab, text);
  expect(r.retcode, `${text}: ${r.message}`).toBe(0);
  return r.tables[0]!.rows.map((row) => row[2]);
}

/**
 * A table's rows as the answer's text writes them in Chinese (the cells that are words, zh-cells.ts); the
 * rows themselves are the same in every language (/api/mml's JSON, for scripts).
 */
export function zhShownRows(table: MmlTable): unknown[][] {
  const words = zhCellText(table);
  return table.rows.map((row) =>
    row.map((v, i) => (words !== undefined && typeof v === 'string' ? words(v, i, row) : v)),
  );
}

/** A binding registered at the lab's clock, expiring in `seconds`. */
export function binding(aor: string, contact: string, seconds = 3600, now = NOW): Binding {
  return {
    aor,
    contact,
    contactParams: '',
    expiresAt: now + seconds * 1000,
    q: undefined,
    callId: `call-${contact}`,
    cseq: 1,
    sourceAddress: '192.0.2.10',
    sourcePort: 5062,
    transport: 'UDP',
    userAgent: 'Linphone/5.2',
    createdAt: now,
    updatedAt: now,
  };
}
