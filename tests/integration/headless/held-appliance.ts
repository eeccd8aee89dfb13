// The appliance a test of a file runs in its own process and the data folder it runs on: after each test,
// the appliance (if the test left one running) stopped and the folder removed.
import { afterEach } from 'vitest';
import type { Appliance } from '../../../core/appliance';
import { removeDataDir } from '../../support/lab-server';

export interface HeldAppliance {
  /** The running appliance; a test that stops it itself sets this back to undefined. */
  appliance: Appliance | undefined;
  /** The data folder ('' until the test makes one). */
  dataDir: string;
}

/** The file's HeldAppliance, cleaned up after each of its tests. */
export function useHeldAppliance(): HeldAppliance {
  const held: HeldAppliance = { appliance: undefined, dataDir: '' };
  afterEach(async () => {
    await held.appliance?.stop();
    held.appliance = undefined;
    removeDataDir(held.dataDir);
  });
  return held;
}
