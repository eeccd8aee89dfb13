// Campaign ids (C0001, C0002...) go on across restarts, never given twice: a RECORD=YES campaign's
// recordings are filed under recordings/<id>/, and two campaigns of one id would share the folder. The
// last number is kept in the settings table; a data folder from before it was kept (IMS Lab before
// December 2026) has only the recordings' folders to say where its numbering was, so the highest of those
// counts too. A dialer call's CDR row names its campaign (extra_info `dialer campaign=C0001 …`).
import { readdirSync } from 'node:fs';
import { CAMPAIGN_ID } from '../cdr/campaign-id';
import type { SettingsTable } from '../store/settings-table';

/** The settings table's key of the last campaign number given. */
export const LAST_CAMPAIGN_SETTING = 'dialer.last_campaign';

/** The highest campaign number among the folders of `recordingsDir`; 0 when there is none (or no folder). */
export function lastRecordedCampaign(recordingsDir: string): number {
  let entries;
  try {
    entries = readdirSync(recordingsDir, { withFileTypes: true });
  } catch {
    return 0; // no recordings yet (a campaign makes the folder)
  }
  let last = 0;
  for (const e of entries) {
    // A campaign's folder of recordings is named by its id (cdr/campaign-id.ts).
    if (e.isDirectory() && CAMPAIGN_ID.test(e.name)) last = Math.max(last, Number(e.name.slice(1)));
  }
  return last;
}

/** The dialer's campaignNumbers (DialerDeps): the last number kept, or a recordings folder's if higher. */
export function campaignNumbers(
  settings: SettingsTable,
  recordingsDir: string,
): { last(): number; save(n: number): void } {
  return {
    last: () =>
      Math.max(Number(settings.get(LAST_CAMPAIGN_SETTING) ?? 0) || 0, lastRecordedCampaign(recordingsDir)),
    save: (n) => settings.put(LAST_CAMPAIGN_SETTING, String(n)),
  };
}
