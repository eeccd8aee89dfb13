// Campaign ids go on across restarts (C0001, then C0002 after a restart, never C0001 again): a RECORD=YES
// campaign's recordings are filed under recordings/<id>/, and two campaigns of one id shared a folder.
import { afterEach, describe, expect, it } from 'vitest';
import { campaignId, openDialerLab, type DialerLab } from './lab';

let lab: DialerLab | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

describe('campaign ids', () => {
  it('go on after a restart on the same data folder', async () => {
    lab = await openDialerLab();
    expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
    expect(campaignId(await lab.mml('STR CALL SINGLE CALLEE=1007 DURATION=1'))).toBe('C0001');
    expect(campaignId(await lab.mml('STR CALL SINGLE CALLEE=1007 DURATION=1'))).toBe('C0002');
    const dir = lab.dir;
    await lab.close(true);
    lab = await openDialerLab(dir);
    expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
    expect(campaignId(await lab.mml('STR CALL SINGLE CALLEE=1007 DURATION=1'))).toBe('C0003');
  }, 30_000);
});
