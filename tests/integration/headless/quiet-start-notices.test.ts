// A first start with LOG_LEVEL=WARNING (or ERROR) said nothing of the three default users whose password is
// their name, nor the generated TLS certificate's fingerprint (both INFO): an operator who starts quiet
// never learned that guessable accounts exist. Both are WARNINGs now, shown whatever the level above it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HAS_BUILD, SERVER_BUNDLE, startNode, type Child } from '../../support/processes';
import { removeDataDir, serverEnv } from '../../support/lab-server';

const children: Child[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.proc.exitCode === null && c.proc.signalCode === null) {
      process.kill(c.proc.pid!, 'SIGTERM');
      await c.exited;
    }
  }
  for (const d of dirs.splice(0)) removeDataDir(d);
});

describe.skipIf(!HAS_BUILD)('start-up notices under a quiet LOG_LEVEL', () => {
  it('says the default users and the generated certificate at LOG_LEVEL=WARNING', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-quiet-start-'));
    dirs.push(dir);
    const c = startNode(
      [SERVER_BUNDLE],
      serverEnv(dir, { LOG_LEVEL: 'WARNING', HTTP_HOST: '127.0.0.1', IMS_ADMIN_PASSWORD: 'quiet-start' }),
    );
    children.push(c);
    await c.waitFor(/Console on /, 15_000);
    const output = c.output();
    expect(output).toMatch(
      /WARNING.*created the default users 1001, 1002, 1003 \(password = username\): on a shared network change their passwords/,
    );
    expect(output).toMatch(
      /WARNING.*TLS certificate generated \(self-signed\), .*SHA-256 fingerprint [0-9A-F:]{95}/,
    );
    // Not the INFO lines: the level is honoured for the rest.
    expect(output).not.toMatch(/ INFO /);
  });
});
