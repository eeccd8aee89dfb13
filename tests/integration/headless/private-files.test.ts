// A data folder an older IMS Lab used has its files with secrets open to every user of the host (0644:
// ims-lab.db's HA1 digests, trace.db's SIP messages, config.json's dialer password, secret.key). At
// start they are made 0600 and the log names each; files without secrets keep their modes.
import { chmodSync, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Appliance } from '../../../core/appliance';
import { loopbackAppliance } from './loopback-appliance';
import { useHeldAppliance } from './held-appliance';

const held = useHeldAppliance();

async function start(dir: string): Promise<Appliance> {
  held.appliance = loopbackAppliance(dir);
  await held.appliance.start();
  return held.appliance;
}

const mode = (path: string): number => statSync(path).mode & 0o777;

describe.skipIf(process.platform === 'win32')("an older IMS Lab's data folder", () => {
  it('has its files with secrets made private at start, each named in the log', async () => {
    held.dataDir = mkdtempSync(join(tmpdir(), 'ims-private-'));
    await start(held.dataDir);
    await held.appliance!.stop();
    held.appliance = undefined;
    writeFileSync(join(held.dataDir, 'config.json'), '{"DIALER.PASSWORD":"拨号密码"}\n', { mode: 0o644 });
    // trace.db is made when the trace is kept on disk; an older IMS Lab's is there.
    if (!existsSync(join(held.dataDir, 'trace.db'))) writeFileSync(join(held.dataDir, 'trace.db'), '');
    const secrets = ['ims-lab.db', 'trace.db', 'secret.key', 'config.json'];
    for (const file of secrets) {
      expect(existsSync(join(held.dataDir, file)), file).toBe(true);
      chmodSync(join(held.dataDir, file), 0o644);
    }
    writeFileSync(join(held.dataDir, 'notes.txt'), 'no secret\n', { mode: 0o644 });

    const a = await start(held.dataDir);
    expect(secrets.map((f) => [f, mode(join(held.dataDir, f))])).toEqual(secrets.map((f) => [f, 0o600]));
    expect(mode(join(held.dataDir, 'notes.txt'))).toBe(0o644);
    const warnings = a.logger
      .recent(100)
      .filter((r) => r.level === 'WARNING')
      .map((r) => r.text);
    for (const file of secrets)
      expect(warnings.some((w) => w.startsWith(join(held.dataDir, file)) && w.includes('0644'))).toBe(true);
  });

  it('has the data folder itself made private when it was made open beforehand (logs, CDRs, exports)', async () => {
    held.dataDir = mkdtempSync(join(tmpdir(), 'ims-private-'));
    chmodSync(held.dataDir, 0o755); // `mkdir -p data`, a Docker volume
    const a = await start(held.dataDir);
    expect(mode(held.dataDir)).toBe(0o700);
    const warnings = a.logger
      .recent(100)
      .filter((r) => r.level === 'WARNING')
      .map((r) => r.text);
    expect(warnings).toContain(`${held.dataDir} was open to other users of this host (mode 0755): now 0700`);
  });
});
