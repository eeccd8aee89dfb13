// RTP ports of the dialer's range held by another program (a SIPp or a phone on the same host): the
// campaign started calls for those pairs, which failed at once with status 0 ("no free RTP port pair")
// and counted as failed seizures in ASR, with nothing in the log. README: calls beyond the range's pairs
// wait. Now such a pair is left out (said once in the log) and the calls wait for a pair of ours.
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../core/observe/logger';
import { campaignId, until, useDialerLab, type DialerLab } from './lab';
import { useHeldPorts } from '../../support/held-ports';

let lab: DialerLab;
useDialerLab((l) => (lab = l), { started: true });

const ports = useHeldPorts();

describe('dialer calls when another program holds RTP ports of the range', () => {
  it('wait for a pair of ours: none fails for want of a port, ASR counts only real outcomes', async () => {
    const logged: LogRecord[] = [];
    lab.a.logger.subscribe((r) => logged.push(r));
    // Three pairs, two of them held (RTP port of one, RTCP port of the other).
    const base = 52000 + 6 * Math.floor(Math.random() * 1000);
    await ports.hold(base);
    await ports.hold(base + 3);
    for (const [key, value] of [
      ['DIALER.RTP_PORT_MAX', base + 5],
      ['DIALER.RTP_PORT_MIN', base],
    ] as const) {
      const r = await lab.mml(`SET CFG KEY=${key} VALUE=${value}`);
      expect(r.retcode, r.message).toBe(0);
    }
    // 1002-1007 are not registered: each call a real outcome, 480, from the proxy.
    const started = await lab.mml('STR CALL BATCH NUMBERS=1002-1007 DURATION=1 CONCURRENCY=3 RATE=50');
    expect(started.retcode, started.message).toBe(0);
    const id = campaignId(started);
    await until('the campaign to end', () => lab.a.dialer.campaign(id)!.state === 'finished', 15_000);
    const c = lab.a.dialer.campaign(id)!;
    expect(c.total).toBe(6);
    expect(c.recent.map((r) => r.status)).toEqual(Array(6).fill(480));
    expect(c.figures).toMatchObject({ placed: c.total, failed: c.total, byCode: { '480': c.total } });
    const held = logged.filter((l) => l.level === 'WARNING' && /held by another program/.test(l.text));
    expect(held.map((l) => /RTP port (\d+)/.exec(l.text)?.[1])).toEqual([String(base), String(base + 3)]);
  }, 30_000);
});
