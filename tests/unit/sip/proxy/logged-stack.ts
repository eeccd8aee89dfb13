// The test stack (stack.ts) with the activity log on its calls: the lines it writes, with their level.
import { logActivity } from '../../../../core/activity/activity-log';
import type { ProxyConfig } from '../../../../core/sip/proxy/proxy-config';
import { linesLog } from '../../../support/lines-log';
import { stack } from './stack';

export function loggedStack(proxyConfig: Partial<ProxyConfig> = {}) {
  const s = stack(proxyConfig);
  const lines: string[] = [];
  logActivity(linesLog(lines), {
    onRegistration: () => () => undefined,
    onCall: (listener) => s.calls.on(listener),
    onMessage: () => () => undefined,
  });
  return { s, lines };
}
