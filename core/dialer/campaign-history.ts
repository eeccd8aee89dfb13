// The summaries of the last campaigns, kept across restarts: a campaign's figures and settings when it
// finishes, is stopped, or is interrupted by the appliance's stop ("Interrupted by shutdown: 60 of 300
// placed"), so that DSP DIALSVC still lists them after a restart. Kept in the settings table as one JSON
// list, newest last, bounded (CAMPAIGNS_KEPT); without the calls' lists (live, recent).
import type { SettingsTable } from '../store/settings-table';
import type { CampaignSnapshot } from './campaign';

/** The settings table's key of the kept summaries. */
export const CAMPAIGN_HISTORY_SETTING = 'dialer.campaign_history';

/** How many campaigns' summaries are kept. */
export const CAMPAIGNS_KEPT = 100;

export interface CampaignHistory {
  /** The kept summaries, oldest first; [] when there are none (or the value is not one we wrote). */
  load(): CampaignSnapshot[];
  save(summaries: readonly CampaignSnapshot[]): void;
}

export function campaignHistory(settings: SettingsTable): CampaignHistory {
  return {
    load: () => {
      try {
        const list: unknown = JSON.parse(settings.get(CAMPAIGN_HISTORY_SETTING) ?? '[]');
        return Array.isArray(list) ? list.filter(isSummary) : [];
      } catch {
        return [];
      }
    },
    save: (summaries) =>
      settings.put(CAMPAIGN_HISTORY_SETTING, JSON.stringify(summaries.slice(-CAMPAIGNS_KEPT))),
  };
}

function isSummary(x: unknown): x is CampaignSnapshot {
  const s = x as Partial<CampaignSnapshot> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.id === 'string' &&
    typeof s.state === 'string' &&
    typeof s.figures === 'object' &&
    s.figures !== null &&
    Array.isArray(s.live) &&
    Array.isArray(s.recent)
  );
}
