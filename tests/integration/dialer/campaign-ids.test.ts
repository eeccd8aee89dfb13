// Campaign ids go on across restarts (C0001, then C0002 after a restart, never C0001 again): a RECORD=YES
// campaign's recordings are filed under recordings/<id>/, and two campaigns of one id shared a folder. A
// data folder from before the last id was kept goes on after its recordings' folders.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignId, testDialerLab } from './lab';

describe('campaign ids', () => {
  it('go on after a restart on the same data folder', async () => {
    const lab = await testDialerLab();
    expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
    expect(campaignId(await lab.mml('STR CALL SINGLE CALLEE=1007 DURATION=1'))).toBe('C0001');
    expect(campaignId(await lab.mml('STR CALL SINGLE CALLEE=1007 DURATION=1'))).toBe('C0002');
    const dir = lab.dir;
    await lab.close(true);
    const again = await testDialerLab(dir);
    expect((await again.mml('STR DIALSVC')).retcode).toBe(0);
    expect(campaignId(await again.mml('STR CALL SINGLE CALLEE=1007 DURATION=1'))).toBe('C0003');
  }, 30_000);

  it("go on after the recordings' folders of a data folder from before the ids were kept", async () => {
    // An older IMS Lab's campaigns C0002 and C0011 recorded; C0099 is a file, not a campaign's folder.
    const dir = mkdtempSync(join(tmpdir(), 'ims-dialer-'));
    for (const id of ['C0002', 'C0011']) mkdirSync(join(dir, 'recordings', id), { recursive: true });
    writeFileSync(join(dir, 'recordings', 'C0099'), '');
    const lab = await testDialerLab(dir);
    expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
    expect(campaignId(await lab.mml('STR CALL SINGLE CALLEE=1007 DURATION=1'))).toBe('C0012');
  }, 30_000);
});
