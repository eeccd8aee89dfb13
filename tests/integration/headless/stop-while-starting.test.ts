// A stop asked while the appliance starts (SIGTERM during a first start's database upgrade: the server
// calls stopRehearsal() once the migrations let the loop go). start() went on with the quick_check, the
// rehearsal and opened the SIP listeners after "SIGTERM: stopping" (findings upgrade2 F2). Now it returns
// before any of them, and the stop ends cleanly; the next start does what this one left.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Appliance } from '../../../core/appliance';
import { loopbackAppliance } from './loopback-appliance';
import { useHeldAppliance } from './held-appliance';

const held = useHeldAppliance();

const texts = (a: Appliance): string[] => a.logger.recent(100).map((r) => r.text);

describe('a stop asked while starting', () => {
  it('opens no SIP listener and checks nothing more; the stop ends it and the next start serves', async () => {
    held.dataDir = mkdtempSync(join(tmpdir(), 'ims-stop-starting-'));
    const a = loopbackAppliance(held.dataDir);
    held.appliance = a;
    a.stopRehearsal(); // as the server's SIGTERM handler does while starting
    await a.start();
    expect(a.transport.udpPort).toBe(0);
    expect(texts(a).filter((t) => /^SIP on |checked \(quick_check\)/.test(t))).toEqual([]);
    await a.stop();
    expect(texts(a).at(-1)).toBe('stopped: calls ended, CDR rows written, database closed');
    held.appliance = undefined;
    const b = loopbackAppliance(held.dataDir);
    held.appliance = b;
    await b.start();
    expect(b.transport.udpPort).toBeGreaterThan(0);
    expect(b.users.get('1001')).toBeDefined(); // the default users the stopped start had not made
  });
});
