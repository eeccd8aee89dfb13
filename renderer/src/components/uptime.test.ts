import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/i18n';
import { formatDuration } from './common';
import { formatUptime } from './uptime';

const en = (n: number, time: string) => translate('en', 'overview.uptimeDays', { n, time });
const zh = (n: number, time: string) => translate('zh', 'overview.uptimeDays', { n, time });

describe('the Overview uptime', () => {
  it('counts days past one, in the console language', () => {
    expect(formatUptime(7 * 86_400, en)).toBe('7d 00:00:00'); // was 168:00:00
    expect(formatUptime(7 * 86_400 + 3 * 3600 + 12 * 60 + 5, en)).toBe('7d 03:12:05');
    expect(formatUptime(86_400 + 59.9, zh)).toBe('1天 00:00:59');
  });

  it('reads as the console durations under a day, which keep their form', () => {
    for (const s of [0, 42, 3599, 3600, 6059, 86_399]) expect(formatUptime(s, en)).toBe(formatDuration(s));
    expect(formatDuration(6059)).toBe('1:40:59');
    expect(formatDuration(90_000)).toBe('25:00:00'); // a call's duration has no days
  });
});
