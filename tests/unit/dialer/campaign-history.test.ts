// The kept campaign summaries: bounded to the last CAMPAIGNS_KEPT, and a value the dialer did not write
// (hand-edited, another version's) read as none rather than failing the start.
import { describe, expect, it } from 'vitest';
import type { CampaignSnapshot } from '../../../core/dialer/campaign';
import {
  CAMPAIGN_HISTORY_SETTING,
  CAMPAIGNS_KEPT,
  campaignHistory,
} from '../../../core/dialer/campaign-history';
import type { SettingsTable } from '../../../core/store/settings-table';

function table(): SettingsTable & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return { values, get: (k) => values.get(k), put: (k, v) => void values.set(k, v) };
}

const summary = (n: number): CampaignSnapshot =>
  ({
    id: `C${String(n).padStart(4, '0')}`,
    state: 'finished',
    figures: { placed: 1 },
    live: [],
    recent: [],
  }) as unknown as CampaignSnapshot;

describe('campaign history', () => {
  it('keeps the last CAMPAIGNS_KEPT summaries, oldest first', () => {
    const t = table();
    const h = campaignHistory(t);
    h.save(Array.from({ length: CAMPAIGNS_KEPT + 5 }, (_, i) => summary(i + 1)));
    const kept = h.load();
    expect(kept).toHaveLength(CAMPAIGNS_KEPT);
    expect([kept[0]!.id, kept.at(-1)!.id]).toEqual(['C0006', `C0${CAMPAIGNS_KEPT + 5}`]);
  });

  it('reads a value it did not write as no summaries', () => {
    const t = table();
    const h = campaignHistory(t);
    expect(h.load()).toEqual([]);
    for (const bad of ['{', '{"id":"C0001"}', '[1,"x",{"id":"C0001"}]']) {
      t.values.set(CAMPAIGN_HISTORY_SETTING, bad);
      expect(h.load()).toEqual([]);
    }
  });
});
