// A damaged trace.db (a live copy of the data folder cut a batch in two: trace.db keeps a rollback
// journal, not a WAL) is set aside as trace.db.damaged-<time>, with its journal and a WARNING naming it,
// and a new, empty trace.db goes on: found at the open, by a read or by a batch. Before, the trace stayed
// on a file that failed every batch and read, and the answers named ims-lab.db as the damaged file.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Log } from '../../../core/observe/log';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { SipTrace } from '../../../core/trace/index';
import { damageTable } from '../../support/damaged-database';
import { traceConfig } from './config';
import { CALL_ID, FLOW, T0, play, registration } from './flow';

const CONFIG = traceConfig({ persist: true, ringMessages: 0 });

function recordingLog(): Log & { warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  return {
    warnings,
    errors,
    debug: () => undefined,
    info: () => undefined,
    warning: (m) => warnings.push(m),
    error: (m) => errors.push(m),
  };
}

describe('a damaged trace.db', () => {
  const dirs: string[] = [];
  const dir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'ims-tracedamage-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** A trace.db holding FLOW and 300 registrations, closed. */
  function written(d: string): string {
    const tap = new MessageTap();
    const trace = new SipTrace(tap, d, CONFIG);
    play(tap, FLOW);
    for (let n = 1; n <= 300; n++) play(tap, registration(7000 + n, 200), T0 + 60_000_000);
    trace.stop();
    return join(d, 'trace.db');
  }

  const aside = (d: string): string[] =>
    readdirSync(d).filter((n) => n.startsWith('trace.db.damaged-') && !n.endsWith('-journal'));

  it('that is no database at all is set aside at start, with its journal, and a new one started', () => {
    const d = dir();
    const garbage = Buffer.alloc(8192, 0x41);
    writeFileSync(join(d, 'trace.db'), garbage);
    writeFileSync(join(d, 'trace.db-journal'), '');
    const log = recordingLog();
    const tap = new MessageTap();
    const trace = new SipTrace(tap, d, CONFIG, log);
    play(tap, FLOW);
    trace.flush();
    expect(trace.status().storedMessages).toBe(FLOW.length);
    const names = readdirSync(d)
      .filter((n) => n.startsWith('trace.db.damaged-'))
      .sort();
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^trace\.db\.damaged-\d{4}-\d\d-\d\d-\d{6}$/);
    expect(names[1]).toBe(`${names[0]}-journal`);
    expect(readFileSync(join(d, names[0]!))).toEqual(garbage);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toContain(`${join(d, 'trace.db')} is damaged (file is not a database`);
    expect(log.warnings[0]).toContain(`set aside as ${join(d, names[0]!)}`);
    expect(log.warnings[0]).toContain('ims-lab.db, the users and CDR, is not concerned');
    expect(log.errors).toEqual([]);
    trace.stop();
  });

  it('whose pages are found damaged by a read: set aside, the read answers from the new one', () => {
    const d = dir();
    damageTable(written(d), 'trace_dialog');
    const log = recordingLog();
    const tap = new MessageTap();
    const trace = new SipTrace(tap, d, CONFIG, log);
    expect(trace.dialogs().total).toBe(0);
    expect(aside(d)).toHaveLength(1);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toContain('is damaged (database disk image is malformed');
    // The trace goes on in the new trace.db.
    play(tap, FLOW);
    expect(trace.messages(CALL_ID)).toHaveLength(FLOW.length);
    expect(trace.dialogs().total).toBe(1);
    trace.stop();
  });

  it('whose pages are found damaged by a batch: the batch goes to the new one, nothing reported failing', () => {
    const d = dir();
    damageTable(written(d), 'trace_dialog');
    const log = recordingLog();
    const tap = new MessageTap();
    const trace = new SipTrace(tap, d, CONFIG, log);
    play(tap, FLOW); // the batch updates the dialog's summary: it reads the damaged pages
    trace.flush();
    expect(aside(d)).toHaveLength(1);
    expect(log.warnings).toHaveLength(1);
    expect(log.errors).toEqual([]);
    expect(trace.status().storedMessages).toBe(FLOW.length);
    expect(trace.messages(CALL_ID)).toHaveLength(FLOW.length);
    trace.stop();
  });

  it('is started afresh by a clear (CLR TRACE), also while persistence is off', () => {
    const d = dir();
    damageTable(written(d), 'trace_message');
    damageTable(join(d, 'trace.db'), 'trace_dialog');
    const log = recordingLog();
    const trace = new SipTrace(new MessageTap(), d, { ...CONFIG, persist: false }, log);
    expect(trace.clear()).toEqual({ ring: 0, stored: 0 });
    expect(aside(d)).toHaveLength(1);
    expect(log.warnings).toHaveLength(1);
    trace.stop();
  });
});
