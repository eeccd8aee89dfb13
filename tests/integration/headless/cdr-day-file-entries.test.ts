// Entries under CDR/ that are no day file to read, against the built server: a FIFO by a day file's
// name hung the whole server at start (its open blocked the event loop: no SIP, no console, SIGTERM
// ignored), and a folder by that name stopped the import of every later day file. Each is named in a
// WARNING and passed over; the later original day file is imported, and the server serves and stops.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ORIGINAL_COLUMNS } from '../../../core/cdr/original-record';
import { HAS_BUILD } from '../../support/processes';
import { consoleUrl, removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';

let server: LabServer | undefined;
afterEach(async () => {
  if (server !== undefined) {
    await server.stop(2000);
    removeDataDir(server.dataDir);
    server = undefined;
  }
});

/** The original's REGISTER row of that day (34 columns, original-server.md §3.2). */
const registerRow = (date: string): string =>
  `${date.replaceAll('-', '')}003752000001,REGISTER,SUCCESS,${date},00:37:52,00:37:52,422098@127.0.0.1,` +
  'sip:1001@127.0.0.1:15060,1001,127.0.0.1,5061,,,,,,,200,OK,,,,,,,,,sip:1001@127.0.0.1:5061,3600,,' +
  '127.0.0.1,15060,2 REGISTER,';

describe.skipIf(!HAS_BUILD)('entries under CDR/ that are no day file', () => {
  it('are named in a WARNING and passed over: the server serves, imports the later day file, stops', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ims-cdr-entries-'));
    const day = (date: string): string => {
      mkdirSync(join(dataDir, 'CDR', date), { recursive: true });
      return join(dataDir, 'CDR', date, `cdr_${date}.csv`);
    };
    const fifo = day('2025-11-05');
    execFileSync('mkfifo', [fifo]);
    const folder = day('2025-11-06');
    mkdirSync(folder);
    const later = day('2025-11-12');
    writeFileSync(later, `${ORIGINAL_COLUMNS.join(',')}\r\n${registerRow('2025-11-12')}\r\n`);
    server = await startLabServer({
      dataDir,
      env: { IMS_ADMIN_PASSWORD: 'cdr-entries', HTTP_HOST: '127.0.0.1' },
    });
    await server.child.waitFor(/cdr_2025-11-12\.csv, the original's day file: 1 records added/);
    const out = server.child.output();
    expect(out).toContain(`cdr: ${fifo}: left out, it cannot be read: not a regular file`);
    expect(out).toContain(`cdr: ${folder}: left out, it cannot be read: not a regular file`);
    const health = await fetch(`${await consoleUrl(server)}/healthz`);
    expect(health.status).toBe(200);
    expect(await server.stop()).toBe(0);
  });
});
